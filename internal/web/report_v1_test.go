package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestReportV1VersionThroughPages (issue 23): a 月通报 version saved from
// the removed v1 template, whose figures (撰写整理各类信息, 台账记录总数,
// 补记; 各科室约稿 stands in for any other) today's 月通报 — the
// information module's bulletin — no longer computes, opens with a notice
// naming them with their saved values, is refreshed by the clerk into
// version 2 and downloads as Word with those values in place of the
// tokens (before, the refresh dropped the figures and Word printed
// "{total}").
func TestReportV1VersionThroughPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		ctx := context.Background()
		clerkActor, sc := storetest.Login(t, st, "zhuangan")
		p, _ := ledger.ParsePeriod("2023-05")
		fresh, err := service.New(st, service.Config{}, nil).BuildReport(ctx, sc, report.Request{Kind: report.InfoMonthly, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		old := &report.Report{Kind: report.InfoMonthly, UnitID: info.UnitID, UnitName: fresh.UnitName, Period: p, Title: fresh.Title, Template: "info-monthly.v1",
			Blocks: []report.Block{
				{Key: "intro", Style: "p", Text: "根据信息编发月通报制度，现将2023年5月我局信息编发和意识形态工作台账登记情况通报如下："},
				{Key: "info.a", Style: "p", Text: "2023年5月，全局撰写整理各类信息{info_written}条，各科室约稿{solicited}篇。"},
				{Key: "depts.lead", Style: "p", Text: "2023年5月全局共登记意识形态工作台账{total}条，其中活动结束14天后补记{late}条。"},
			},
			Figures: []*report.Figure{
				{Key: "info_written", Label: "撰写整理各类信息", Unit: "条", Value: 20, Display: "20", Source: "info", IDs: []int64{}},
				{Key: "solicited", Label: "各科室约稿", Unit: "篇", Value: 5, Display: "5", Source: "info", IDs: []int64{}},
				{Key: "total", Label: "台账记录总数", Unit: "条", Value: 17, Display: "17", Source: "ledger", IDs: []int64{}},
				{Key: "late", Label: "补记记录", Unit: "条", Value: 3, Display: "3", Source: "ledger", IDs: []int64{}},
			}}
		body, err := old.Encode()
		if err != nil {
			t.Fatal(err)
		}
		id, _, err := st.SaveReportVersion(ctx, clerkActor, sc, store.ReportDraft{UnitID: info.UnitID, Kind: string(report.InfoMonthly), Period: "2023-05", Title: old.Title}, body, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		code, page := clerk.get(fmt.Sprintf("/reports/%d", id))
		if code != 200 || !strings.Contains(page, "本版由旧版模板生成") || !strings.Contains(page, "<li>各科室约稿：5篇</li>") || !strings.Contains(page, "<li>台账记录总数：17条</li>") {
			os.WriteFile("/tmp/docs_v1page.html", []byte(page), 0o644)
			t.Fatalf("saved v1 version: %d", code)
		}
		// The edit form of a three-paragraph version (editForm wants a
		// longer report).
		form := url.Values{}
		for _, m := range textareaRE.FindAllStringSubmatch(page, -1) {
			form.Set("b"+m[1], html.UnescapeString(m[2]))
		}
		for _, name := range []string{"kind", "period", "unit", "subject", "v", "title"} {
			if m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page); m != nil {
				form.Set(name, html.UnescapeString(m[1]))
			}
		}
		if form.Get("b2") == "" || form.Get("kind") != "info-monthly" {
			t.Fatalf("edit form: %v", form)
		}
		form.Set("csrf", clerk.csrf())
		form.Set("action", "refresh")
		if code, _, loc := clerk.post("/reports/save", form); code != http.StatusSeeOther {
			t.Fatalf("refresh: %d %s", code, loc)
		}
		code, _, data := clerk.getBytes(fmt.Sprintf("/reports/%d/docx?v=2", id))
		if code != 200 {
			t.Fatalf("docx of the refreshed version: %d", code)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var doc string
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				doc = string(b)
			}
		}
		text := strings.Join(regexpTags.Split(doc, -1), "")
		if !strings.Contains(text, "全局撰写整理各类信息20条，各科室约稿5篇。") || !strings.Contains(text, "全局共登记意识形态工作台账17条，其中活动结束14天后补记3条。") || strings.Contains(text, "{") {
			t.Errorf("refreshed v1 version in Word: %.400s", text)
		}
	})
}

var regexpTags = regexp.MustCompile(`<[^>]+>`)
