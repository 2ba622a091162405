package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/demo"
	"zhendi/internal/store"
)

// TestAssessCommand: `zhendi assess score` prints the demo bureau's 2023
// items with their sources and record ids and the total; --district the
// ranking; `zhendi report --kind assessment` writes the 通报 and workbook.
func TestAssessCommand(t *testing.T) {
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
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	data := "--data=" + dir
	unit, district := strconv.FormatInt(info.UnitID, 10), strconv.FormatInt(info.DistrictID, 10)
	var out, errb bytes.Buffer
	if err := assessCmd(ctx, quiet(), []string{"score", data, "--unit", unit, "--year", "2023", "--json"}, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	var got struct {
		Total float64 `json:"total"`
		Items []struct {
			Indicator string   `json:"indicator"`
			Source    string   `json:"source"`
			Records   []string `json:"records"`
			Evidence  string   `json:"evidence"`
			NA        string   `json:"not_applicable"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	var auto, manual, na bool
	for _, it := range got.Items {
		// The demo bureau had no 舆情 incident in 2023: the item does not apply, and says why.
		if strings.Contains(it.Indicator, "舆情") && it.NA == "全年没有舆情处置事件" {
			na = true
		}
		if it.Source == "auto" && len(it.Records) > 0 && strings.HasPrefix(it.Records[0], "activity#") {
			auto = true
		}
		if it.Source == "self" && it.Evidence != "" {
			manual = true
		}
	}
	if !auto || !manual || !na || got.Total <= 0 || len(got.Items) != 17 {
		t.Fatalf("score output: auto %v manual %v not applicable %v total %v items %d\n%s", auto, manual, na, got.Total, len(got.Items), out.String())
	}
	out.Reset()
	if err := assessCmd(ctx, quiet(), []string{"score", data, "--district", district, "--year", "2023"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "  1  ") || !strings.Contains(out.String(), "示范区农业农村局") {
		t.Fatalf("ranking output:\n%s", out.String())
	}
	doc := filepath.Join(dir, "通报.docx")
	if err := reportCmd(ctx, quiet(), []string{data, "--kind", "assessment", "--year", "2023", "--district", district, "--out", doc}, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	zr, err := zip.OpenReader(doc)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			text = string(b)
		}
	}
	zr.Close()
	if !strings.Contains(text, "考核结果的通报") || !strings.Contains(text, "示范区农业农村局") {
		t.Fatalf("通报 text: %.500s", text)
	}
	xl := filepath.Join(dir, "排名.xlsx")
	if err := reportCmd(ctx, quiet(), []string{data, "--kind=assessment", "--year", "2023", "--district", district, "--out", xl}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("考核排名")
	if len(rows) < 3 || rows[2][1] != "示范区农业农村局" {
		t.Fatalf("workbook %v", rows)
	}
}
