package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/chartimg"
	"zhendi/internal/demo"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
)

// TestReportCommand writes the demo bureau's half-year report for one unit
// and for its district (one file per unit and a summary sheet).
func TestReportCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// The command opens the same audit key afterwards.
	if err := st.OpenAudit(ctx, store.DefaultAuditFiles(dir)); err != nil {
		t.Fatal(err)
	}
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	data := "--data=" + dir
	out := filepath.Join(dir, "h1.docx")
	var stdout, stderr bytes.Buffer
	err = reportCmd(ctx, quiet(), []string{data, "--kind", "half-year", "--period", "2023H1", "--unit", strconv.FormatInt(info.UnitID, 10), "--out", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			doc = b.Bytes()
		}
	}
	zr.Close()
	if !bytes.Contains(doc, []byte("党组集中学习"+strconv.Itoa(demo.ExpectedH1()[ledger.CentralGroup])+"次")) {
		t.Error("the command's DOCX lacks the figure")
	}

	dist := filepath.Join(dir, "district")
	stderr.Reset()
	err = reportCmd(ctx, quiet(), []string{data, "--kind", "half-year", "--period", "2023H1", "--district", strconv.FormatInt(info.DistrictID, 10), "--out", dist}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "] 1/1 示范区农业农村局") {
		t.Errorf("no progress bar: %q", stderr.String())
	}
	files, _ := os.ReadDir(dist)
	if len(files) != 2 {
		t.Fatalf("district output: %v", files)
	}
	x, err := excelize.OpenFile(filepath.Join(dist, "000-汇总.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("汇总")
	if len(rows) != 3 || rows[2][1] != "示范区农业农村局" || rows[2][2] != strconv.Itoa(demo.ExpectedH1()[ledger.CentralGroup]) {
		t.Errorf("summary sheet: %v", rows)
	}

	for _, bad := range [][]string{
		{data, "--kind", "half-year", "--period", "2023", "--unit", "1", "--out", out},
		{data, "--kind", "weekly", "--period", "2023H1", "--unit", "1", "--out", out},
		{data, "--kind", "half-year", "--period", "2023H1", "--out", out},
		{data, "--kind", "half-year", "--period", "2023H1", "--unit", "999", "--out", out},
	} {
		if err := reportCmd(ctx, quiet(), bad, &stdout, &stderr); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestMonthlyBulletinCommand: `zhendi report --kind info-monthly` writes
// the same 月通报 as the page's Word and Excel downloads: the same text and
// table (with its 合计 row), exact counts.
func TestMonthlyBulletinCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.InfoBulletin(ctx, systemScope(info.UnitID), info.UnitID, "2023-06")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// The page's download draws the ranking chart when the machine has
	// a CJK font, and so does the command.
	charts, _ := chartimg.Open("")
	pageDoc, err := b.DocCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	page, err := docx.Bytes(pageDoc)
	if err != nil {
		t.Fatal(err)
	}
	wantXlsx, err := b.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".docx", ".xlsx"} {
		out := filepath.Join(dir, "2023-06"+ext)
		var stdout, stderr bytes.Buffer
		if err := reportCmd(ctx, quiet(), []string{"--data=" + dir, "--kind", "info-monthly", "--period", "2023-06", "--unit", strconv.FormatInt(info.UnitID, 10), "--out", out}, &stdout, &stderr); err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if ext == ".xlsx" {
			if !bytes.Equal(xlsxCells(t, got), xlsxCells(t, wantXlsx)) {
				t.Errorf("the command's workbook differs from the page's")
			}
			continue
		}
		if g, w := bodyLines(t, got), bodyLines(t, page); g != w {
			t.Errorf("the command's 月通报\n%s\ndiffers from the page's\n%s", g, w)
		}
		if text := bodyLines(t, got); !strings.Contains(text, "合计") || !strings.Contains(text, "共报送信息"+strconv.Itoa(b.Total.Submitted)+"条") || strings.Contains(text, "余条") {
			t.Errorf("no 合计 row or no exact count:\n%s", text)
		}
	}
}

// bodyLines is the text of a .docx body, one paragraph or cell a line.
func bodyLines(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			s := regexp.MustCompile(`</w:p>`).ReplaceAllString(b.String(), "\n")
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(s, "")
		}
	}
	t.Fatal("no document.xml")
	return ""
}

// xlsxCells is every cell of every sheet of a workbook, for comparing two.
func xlsxCells(t *testing.T, data []byte) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		b.WriteString(sh + "\n")
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	return b.Bytes()
}
