package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/perf"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestOpinionReports downloads an event's 研判报告 and a month's 舆情分析
// 报告 through the router and reads them back: the figures, the quoted
// items with their numbers and links in the annex, the unit's 落款, the
// chart pictures, the Excel sheets; and the Word report as LibreOffice
// renders it (ZHENDI_TEST_ARTIFACTS=dir keeps the documents to look at).
func TestOpinionReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		fx, err := perf.OpinionSample(context.Background(), st, f.unitA.ID, e.now)
		if err != nil {
			t.Fatal(err)
		}
		a := e.client()
		a.mustLogin("clerka")
		code, _, data := a.getBytes(fmt.Sprintf("/opinion/events/%d/report/docx", fx.EventID))
		if code != http.StatusOK {
			t.Fatalf("event report: %d", code)
		}
		if dir := os.Getenv("ZHENDI_TEST_ARTIFACTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "opinion-event-"+st.Dialect()+".docx"), data, 0o644)
		}
		text := docxText(t, data)
		for _, want := range []string{"关于“化工园区起火 浓烟滚滚”舆情的分析研判报告", "共采集相关信息4条，来自2个来源", "热度计算方法：热度 = 来源权重 × 15 × ln",
			"“化工园区起火 浓烟滚滚”（区融媒体中心，2023年7月5日 04:00，信息编号", "https://example.gov.cn/news/1.html", "本期未启动舆情处置。",
			"附表1　信息清单", "中共甲局党组", "2023年7月5日"} {
			if !strings.Contains(text, want) {
				t.Errorf("event report lacks %q", want)
			}
		}
		hasImage := false
		zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		for _, zf := range zr.File {
			hasImage = hasImage || strings.HasPrefix(zf.Name, "word/media/")
		}
		if _, err := exec.LookPath("fc-list"); err == nil && !hasImage {
			t.Errorf("event report has no chart picture although fonts are installed")
		}

		code, _, data = a.getBytes(fmt.Sprintf("/opinion/reports/docx?unit=%d&period=2023-07", f.unitA.ID))
		if code != http.StatusOK {
			t.Fatalf("month report: %d", code)
		}
		text = docxText(t, data)
		for _, want := range []string{"甲局2023年7月舆情分析报告", "2023年7月，本单位舆情监测共采集信息6条（见附表1）", "上月未采集到信息。",
			"“化工园区安全”4条", "本期形成舆情事件1个", "附表3　舆情事件与代表性信息"} {
			if !strings.Contains(text, want) {
				t.Errorf("month report lacks %q", want)
			}
		}
		if dir := os.Getenv("ZHENDI_TEST_ARTIFACTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "opinion-month-"+st.Dialect()+".docx"), data, 0o644)
		}
		code, _, data = a.getBytes(fmt.Sprintf("/opinion/reports/xlsx?unit=%d&period=2023-07", f.unitA.ID))
		if code != http.StatusOK {
			t.Fatalf("month workbook: %d", code)
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("代表性信息")
		if len(rows) != 2 || rows[1][0] != fmt.Sprint(fx.ItemIDs[0]) || rows[1][5] != "https://example.gov.cn/news/1.html" {
			t.Errorf("representative items sheet: %q", rows)
		}
		if sum, _ := x.GetRows("概况"); len(sum) < 3 || sum[3][1] != "6" {
			t.Errorf("summary sheet: %q", sum)
		}
		if n := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'opinion.report.export'"); n != 3 {
			t.Errorf("report downloads logged: %d, want 3", n)
		}
		// The half-year summary cites the period's opinion work, and only
		// a period that has some.
		tags := regexp.MustCompile(`<[^>]+>`)
		_, page := a.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H2&unit=%d", f.unitA.ID))
		if txt := tags.ReplaceAllString(page, ""); !strings.Contains(txt, "舆情监测系统采集涉及本单位的信息6条，形成舆情事件1个。") {
			t.Errorf("the 2023H2 summary does not cite the opinion work: %s", pageMessage(page))
		}
		if _, page = a.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H1&unit=%d", f.unitA.ID)); strings.Contains(page, "舆情监测系统采集") {
			t.Errorf("the 2023H1 summary cites opinion work it has none of")
		}
		// Another unit's clerk gets nothing.
		b := e.client()
		b.mustLogin("clerkb")
		if code, _, _ := b.getBytes(fmt.Sprintf("/opinion/events/%d/report/docx", fx.EventID)); code != http.StatusNotFound {
			t.Errorf("another unit downloaded the event report: %d", code)
		}
		if code, _, _ := b.getBytes(fmt.Sprintf("/opinion/reports/docx?unit=%d&period=2023-07", f.unitA.ID)); code != http.StatusNotFound {
			t.Errorf("another unit downloaded the month report: %d", code)
		}
		if code, body := a.get(fmt.Sprintf("/opinion/reports/docx?unit=%d&period=2023-13", f.unitA.ID)); code != http.StatusUnprocessableEntity || !strings.Contains(body, "时段") {
			t.Errorf("bad period: %d", code)
		}
	})
}
