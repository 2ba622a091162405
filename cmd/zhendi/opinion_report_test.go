package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/perf"
	"zhendi/internal/store"
)

// TestOpinionReportCommand: `zhendi opinion report` writes a unit's month
// report as Word and Excel, and refuses a bad period.
func TestOpinionReportCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.OpenAudit(ctx, store.DefaultAuditFiles(dir)); err != nil {
		t.Fatal(err)
	}
	unit := org.Node{Kind: org.Unit, Name: "甲局"}
	if err := st.CreateNode(ctx, store.System, &unit); err != nil {
		t.Fatal(err)
	}
	if _, err := perf.OpinionSample(ctx, st, unit.ID, time.Date(2023, 6, 20, 10, 0, 0, 0, cntime.Zone)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	id := strconv.FormatInt(unit.ID, 10)
	for _, name := range []string{"m.docx", "m.xlsx"} {
		out := filepath.Join(dir, name)
		var stdout bytes.Buffer
		if err := opinionCmd(ctx, quiet(), []string{"report", "--data=" + dir, "--unit", id, "--period", "2023-06", "--out", out}, &stdout); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(stdout.String(), "甲局2023年6月舆情分析报告") || !strings.Contains(stdout.String(), "信息 6 条") {
			t.Errorf("%s: output %q", name, stdout.String())
		}
		data, err := os.ReadFile(out)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s not written: %v", name, err)
		}
		if name == "m.xlsx" {
			x, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if rows, _ := x.GetRows("概况"); len(rows) < 4 || rows[3][1] != "6" {
				t.Errorf("workbook summary: %q", rows)
			}
		}
	}
	var stdout bytes.Buffer
	if err := opinionCmd(ctx, quiet(), []string{"report", "--data=" + dir, "--unit", id, "--period", "2023-13", "--out", filepath.Join(dir, "x.docx")}, &stdout); err == nil {
		t.Error("a bad period was accepted")
	}
}
