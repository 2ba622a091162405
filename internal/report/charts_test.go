package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/chartimg"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

func chartBlocks(r *report.Report) []report.Block {
	var out []report.Block
	for _, b := range r.Blocks {
		if b.Style == "chart" {
			out = append(out, b)
		}
	}
	return out
}

// tableAfter is the table block that follows the chart block with key.
func tableAfter(t *testing.T, r *report.Report, key string) [][]string {
	t.Helper()
	for i, b := range r.Blocks {
		if b.Key == key {
			if i+1 < len(r.Blocks) && r.Blocks[i+1].Style == "table" {
				return r.Blocks[i+1].Rows
			}
			t.Fatalf("chart %s is not followed by its table", key)
		}
	}
	t.Fatalf("no chart %s", key)
	return nil
}

// TestHalfYearCharts checks the half-year report's two charts against
// the ledger and against their tables: the June bar of 图1 is the number
// of June entries the ledger lists, the 合计 is the figure total, and
// 图2's bars are the required-topic figures.
func TestHalfYearCharts(t *testing.T) {
	st := storetest.SQLite(t)
	r, info := demoReport(t, st, "zhuangan", report.HalfYear, "2023H1")
	charts := chartBlocks(r)
	if len(charts) != 2 {
		t.Fatalf("%d chart blocks, want 2", len(charts))
	}
	months := charts[0].Chart
	if got := strings.Join(months.Categories, ","); got != "1月,2月,3月,4月,5月,6月" {
		t.Errorf("months %s", got)
	}
	if !strings.HasPrefix(charts[0].Text, "图1　2023年上半年各月开展活动情况") {
		t.Errorf("caption %s", charts[0].Text)
	}
	_, sc := scopeOf(t, st, "zhuangan")
	june, err := source(st, sc).Activities(context.Background(), ledger.Filter{UnitID: info.UnitID, From: "2023-06-01", To: "2023-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, s := range months.Series {
		sum += s.Values[5]
	}
	if int(sum) != len(june) || len(june) == 0 {
		t.Errorf("June bar %v, ledger lists %d June entries", sum, len(june))
	}
	rows := tableAfter(t, r, charts[0].Key)
	last := rows[len(rows)-1]
	if last[0] != "合计" || last[len(last)-1] != strconv.Itoa(r.Figure("total").Value) {
		t.Errorf("合计 row %v, figure total %d", last, r.Figure("total").Value)
	}
	if last[6] != strconv.Itoa(len(june)) || rows[0][6] != "6月" {
		t.Errorf("table June column %s %s, want %d", rows[0][6], last[6], len(june))
	}
	for si, s := range months.Series {
		if rows[si+1][0] != s.Name {
			t.Errorf("table row %d is %s, series %s", si+1, rows[si+1][0], s.Name)
		}
		for m := range months.Categories {
			if rows[si+1][m+1] != strconv.Itoa(int(s.Values[m])) {
				t.Errorf("%s %s: table %s, chart %v", months.Categories[m], s.Name, rows[si+1][m+1], s.Values[m])
			}
		}
	}
	topics := charts[1].Chart
	trows := tableAfter(t, r, charts[1].Key)
	for i, tp := range ledger.RequiredTopics {
		want := r.Figure("topic_" + tp.Code).Value
		if int(topics.Series[0].Values[i]) != want || trows[i+1][1] != strconv.Itoa(want) {
			t.Errorf("%s: chart %v, table %s, figure %d", tp.Label, topics.Series[0].Values[i], trows[i+1][1], want)
		}
	}

	// In Word: one picture per chart, each above its table; without a
	// renderer the tables alone.
	plain := docxParts(t, r.Doc())
	if n := countMedia(plain); n != 0 {
		t.Errorf("Doc() has %d pictures", n)
	}
	cr, err := chartimg.Open("")
	if errors.Is(err, chartimg.ErrNoCJKFont) {
		t.Skip("no CJK font")
	}
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.DocCharts(cr)
	if err != nil {
		t.Fatal(err)
	}
	if n := countMedia(docxParts(t, d)); n != 2 {
		t.Errorf("DocCharts has %d pictures, want 2", n)
	}
	for i, b := range d.Blocks {
		if img, ok := b.(docx.Image); ok {
			if _, ok := d.Blocks[i+1].(docx.Table); !ok {
				t.Errorf("picture %q is not followed by its table", img.Caption)
			}
		}
	}
}

// TestBulletinRankingChart: the 月通报 carries its ranking as a chart
// with the table's names and points, in the table's order, both in the
// 报告 of kind info-monthly and in the bulletin's own Word file.
func TestBulletinRankingChart(t *testing.T) {
	st := storetest.SQLite(t)
	r, _ := demoReport(t, st, "zhuangan", report.InfoMonthly, "2023-05")
	charts := chartBlocks(r)
	if len(charts) != 1 {
		t.Fatalf("%d chart blocks, want 1", len(charts))
	}
	c := charts[0].Chart
	rows := tableAfter(t, r, charts[0].Key)
	if len(c.Categories) != len(rows)-2 { // header and 合计
		t.Fatalf("%d bars for %d table rows", len(c.Categories), len(rows)-2)
	}
	for i, name := range c.Categories {
		if rows[i+1][1] != name || rows[i+1][6] != fmt.Sprint(c.Series[0].Values[i]) || rows[i+1][2] != fmt.Sprint(c.Series[1].Values[i]) {
			t.Errorf("bar %d %s %v/%v, table row %v", i, name, c.Series[0].Values[i], c.Series[1].Values[i], rows[i+1])
		}
	}
	if !c.Horizontal || c.Series[0].Name != "积分（分）" {
		t.Errorf("chart %+v", c)
	}
}

func docxParts(t *testing.T, d docx.Doc) map[string]bool {
	t.Helper()
	b, err := docx.Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range zr.File {
		out[f.Name] = true
	}
	return out
}

func countMedia(parts map[string]bool) int {
	n := 0
	for name := range parts {
		if strings.HasPrefix(name, "word/media/") {
			n++
		}
	}
	return n
}
