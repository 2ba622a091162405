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
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/access"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

var (
	rfigRE     = regexp.MustCompile(`党组集中学习<a class="rfig" href="([^"]+)" title="([^"]*)">(\d+)</a>次`)
	textareaRE = regexp.MustCompile(`(?s)<textarea id="b(\d+)" name="b\d+" rows="4">(.*?)</textarea>`)
	inputRE    = regexp.MustCompile(`<input id="b(\d+)" name="b\d+" value="([^"]*)"`)
	figRowRE   = regexp.MustCompile(`<tr><td><a href="/ledger/\d+">#\d+</a>`)
	locIDRE    = regexp.MustCompile(`^/reports/(\d+)\?ok=saved$`)
)

// editForm reads the edit form of a report page into form values.
func editForm(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range textareaRE.FindAllStringSubmatch(page, -1) {
		v.Set("b"+m[1], html.UnescapeString(m[2]))
	}
	for _, m := range inputRE.FindAllStringSubmatch(page, -1) {
		v.Set("b"+m[1], html.UnescapeString(m[2]))
	}
	for _, name := range []string{"kind", "period", "unit", "subject", "v", "title"} {
		if m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page); m != nil {
			v.Set(name, html.UnescapeString(m[1]))
		}
	}
	if len(v) < 10 {
		t.Fatalf("no edit form on the page: %d fields", len(v))
	}
	return v
}

func (c *client) getBytes(path string) (int, http.Header, []byte) {
	c.e.t.Helper()
	resp, err := c.hc.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// TestReportWorkflow is the clerk's half-year report from the menu to the
// approved DOCX: figures from the ledger, each linked to its records;
// edited text saved as versions; approval by a leader only; downloads.
func TestReportWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		want := demo.ExpectedH1()[ledger.CentralGroup]
		clerk := e.client()
		clerk.demoLogin("zhuangan")

		code, index := clerk.get("/")
		if code != 200 || !strings.Contains(index, `<a href="/reports"`) {
			t.Fatalf("no 报告 in the menu")
		}
		code, index = clerk.get("/reports")
		if code != 200 || !strings.Contains(index, "半年总结及下半年安排") || !strings.Contains(index, `value="2023H1"`) {
			t.Fatalf("report menu: %d %.300s", code, index)
		}
		newURL := fmt.Sprintf("/reports/new?kind=half-year&period=2023H1&unit=%d", info.UnitID)
		code, page := clerk.get(newURL)
		if code != 200 {
			t.Fatalf("generate: %d %.500s", code, page)
		}
		for _, s := range []string{"示范区农业农村局党组2023年上半年意识形态工作总结及下半年工作安排", "一、上半年工作完成情况", "必修课“宣传部长会议精神”（计划6月学习）未按计划开展学习"} {
			if !strings.Contains(page, s) {
				t.Errorf("generated report lacks %q", s)
			}
		}
		m := rfigRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("党组集中学习 is not a linked figure")
		}
		if n, _ := strconv.Atoi(m[3]); n != want {
			t.Errorf("党组集中学习 shows %d, the demo ledger has %d", n, want)
		}
		if !strings.Contains(html.UnescapeString(m[2]), "共 "+strconv.Itoa(want)+" 条记录") || !strings.Contains(html.UnescapeString(m[2]), "二十大") {
			t.Errorf("hover text does not list the records: %q", m[2])
		}
		code, figPage := clerk.get(html.UnescapeString(m[1]))
		if code != 200 || len(figRowRE.FindAllString(figPage, -1)) != want {
			t.Errorf("figure page: %d, %d records listed, want %d", code, len(figRowRE.FindAllString(figPage, -1)), want)
		}

		// A mistyped figure is refused with the paragraph named; nothing saved.
		form := editForm(t, page)
		form.Set("csrf", clerk.csrf())
		form.Set("action", "save")
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("b0", form.Get("b0")+"【党组学习次数】")
		code, body, _ := clerk.post("/reports/save", bad)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "第 1 段") || !strings.Contains(body, "【党组学习次数】") {
			t.Fatalf("bad figure token: %d %.300s", code, body)
		}
		if ds, _ := st.ReportDrafts(context.Background(), reportScope(t, st, "zhuangan"), info.UnitID); len(ds) != 0 {
			t.Fatal("a refused save left a draft")
		}
		form.Set("b0", form.Get("b0")+"上半年工作总体平稳。")
		code, _, loc := clerk.post("/reports/save", form)
		lm := locIDRE.FindStringSubmatch(loc)
		if code != http.StatusSeeOther || lm == nil {
			t.Fatalf("save: %d %q", code, loc)
		}
		id := lm[1]
		_, saved := clerk.get("/reports/" + id)
		if !strings.Contains(saved, "上半年工作总体平稳。") || !strings.Contains(saved, "第 <strong>1</strong> 版") || !strings.Contains(saved, "尚未审批") {
			t.Errorf("saved draft page lacks the edit or version")
		}
		if strings.Contains(saved, "审批通过") {
			t.Error("the clerk is offered to approve her own report")
		}
		// Opening the same report again goes to the saved draft.
		if code, _, loc := clerk.post("/reports/"+id+"/approve", url.Values{"csrf": {clerk.csrf()}, "v": {"1"}}); code != http.StatusForbidden {
			t.Errorf("clerk approves: %d %s", code, loc)
		}

		// The ledger changes: the saved version keeps its figure, the page
		// says what changed, and a refresh saves version 2 with the new one.
		sc := reportScope(t, st, "zhuangan")
		ids, _ := st.ActivityIDs(context.Background(), sc, ledger.Filter{UnitID: info.UnitID, From: "2023-01-01", To: "2023-06-30", Types: []string{ledger.CentralGroup}})
		if code, _, _ := clerk.post(fmt.Sprintf("/ledger/%d/delete", ids[0]), url.Values{"csrf": {clerk.csrf()}}); code != http.StatusSeeOther {
			t.Fatalf("delete ledger entry: %d", code)
		}
		_, saved = clerk.get("/reports/" + id)
		if !strings.Contains(saved, "保存后台账数据有变化") || !strings.Contains(saved, fmt.Sprintf("党组集中学习：%d → %d", want, want-1)) {
			t.Errorf("the draft does not show the changed figure")
		}
		form = editForm(t, saved)
		form.Set("csrf", clerk.csrf())
		form.Set("action", "refresh")
		if code, _, _ := clerk.post("/reports/save", form); code != http.StatusSeeOther {
			t.Fatalf("refresh: %d", code)
		}
		_, saved = clerk.get("/reports/" + id)
		m = rfigRE.FindStringSubmatch(saved)
		if m == nil || m[3] != strconv.Itoa(want-1) || !strings.Contains(saved, "第 <strong>2</strong> 版") || !strings.Contains(saved, "上半年工作总体平稳。") {
			t.Errorf("refreshed version: figure %v", m)
		}

		// The 第一责任人 approves version 2.
		leader := e.client()
		leader.demoLogin("wangjianguo")
		_, lp := leader.get("/reports/" + id)
		if !strings.Contains(lp, "审批通过第 2 版") {
			t.Fatal("the leader is not offered approval")
		}
		if code, _, _ := leader.post("/reports/"+id+"/approve", url.Values{"csrf": {leader.csrf()}, "v": {"2"}}); code != http.StatusSeeOther {
			t.Fatalf("approve: %d", code)
		}
		_, lp = leader.get("/reports/" + id)
		if !strings.Contains(lp, "本版已由 王建国") {
			t.Error("approval not shown")
		}

		// Downloads of the approved version.
		code, hdr, docx := clerk.getBytes("/reports/" + id + "/docx?v=2")
		if code != 200 || !strings.Contains(hdr.Get("Content-Type"), "wordprocessingml") || !strings.Contains(hdr.Get("Content-Disposition"), ".docx") {
			t.Fatalf("docx: %d %v", code, hdr)
		}
		zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
		if err != nil {
			t.Fatal(err)
		}
		var doc string
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				doc = string(b)
			}
		}
		if !strings.Contains(doc, fmt.Sprintf("党组集中学习%d次", want-1)) || !strings.Contains(doc, "上半年工作总体平稳。") {
			t.Error("docx lacks the approved text")
		}
		code, _, xl := clerk.getBytes("/reports/" + id + "/xlsx?v=2")
		if code != 200 {
			t.Fatalf("xlsx: %d", code)
		}
		x, err := excelize.OpenReader(bytes.NewReader(xl))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("数据项")
		found := false
		for _, r := range rows {
			if len(r) > 7 && r[1] == "党组集中学习" {
				found = r[2] == strconv.Itoa(want-1) && r[7] == strconv.Itoa(want-1) && strings.Contains(r[9], "/ledger?")
			}
		}
		if !found {
			t.Errorf("xlsx 数据项 lacks 党组集中学习 with its provenance: %v", rows)
		}
		annex, _ := x.GetRows("台账附表")
		total := 0
		for _, n := range demo.ExpectedH1() {
			total += n
		}
		if len(annex)-2 != total-1 {
			t.Errorf("annex has %d rows, the half-year ledger %d", len(annex)-2, total-1)
		}
		code, pr := clerk.get("/reports/" + id + "/print?v=2")
		if code != 200 || !strings.Contains(pr, `class="rprint"`) || !strings.Contains(pr, fmt.Sprintf("党组集中学习%d次", want-1)) {
			t.Errorf("print page: %d", code)
		}
	})
}

// TestReportAccess: department staff and other units cannot see a unit's
// report; the district supervisor reads but cannot save.
func TestReportAccess(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	info := loadDemo(t, st)
	clerk := e.client()
	clerk.demoLogin("zhuangan")
	newURL := fmt.Sprintf("/reports/new?kind=half-year&period=2023H1&unit=%d", info.UnitID)
	_, page := clerk.get(newURL)
	form := editForm(t, page)
	form.Set("csrf", clerk.csrf())
	// The clerk keeps her own wording of the opening paragraph for later reports.
	form.Set("b0", "2023年上半年，示范区农业农村局党组抓实意识形态工作，党组集中学习【党组集中学习】次。")
	form.Set("w0", "1")
	_, _, loc := clerk.post("/reports/save", form)
	id := locIDRE.FindStringSubmatch(loc)
	if id == nil {
		t.Fatalf("save: %q", loc)
	}
	_, h2 := clerk.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H2&unit=%d", info.UnitID))
	if !strings.Contains(h2, "2023年下半年，示范区农业农村局党组抓实意识形态工作，党组集中学习<a class=\"rfig\"") {
		t.Errorf("the unit's wording is not used for the next period")
	}
	_, idx := clerk.get("/reports")
	if !strings.Contains(idx, "{期间}，{单位}党组抓实意识形态工作") {
		t.Errorf("the menu does not list the unit's wording")
	}
	if code, _, _ := clerk.post("/reports/wording", url.Values{"csrf": {clerk.csrf()}, "unit": {strconv.FormatInt(info.UnitID, 10)}, "kind": {"half-year"}, "key": {"intro"}}); code != http.StatusSeeOther {
		t.Errorf("reset wording: %d", code)
	}
	_, h2 = clerk.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H2&unit=%d", info.UnitID))
	if strings.Contains(h2, "党组抓实意识形态工作") || !strings.Contains(h2, "意识形态工作是党的一项极端重要的工作") {
		t.Errorf("reset wording still used")
	}
	officer := e.client()
	officer.demoLogin("tangjing")
	for _, p := range []string{newURL, "/reports/" + id[1], "/reports/" + id[1] + "/docx", "/reports/figure/central_group?id=" + id[1] + "&v=1"} {
		if code, _ := officer.get(p); code != http.StatusNotFound {
			t.Errorf("信息员 GET %s: %d, want 404", p, code)
		}
	}
	sup := e.client()
	sup.demoLogin("ducha")
	if code, _ := sup.get("/reports/" + id[1]); code != 200 {
		t.Errorf("supervisor reads the report: %d", code)
	}
	cg := strconv.Itoa(demo.ExpectedH1()[ledger.CentralGroup])
	code, dist := sup.get("/reports/district?kind=half-year&period=2023H1")
	if code != 200 || !regexp.MustCompile(`>示范区农业农村局</a></td><td class="num"><a href="/ledger\?[^"]+" title="[^"]+">`+cg+`</a>`).MatchString(dist) {
		t.Errorf("district summary: %d", code)
	}
	code, _, xl := sup.getBytes("/reports/district?kind=half-year&period=2023H1&format=xlsx")
	x, err := excelize.OpenReader(bytes.NewReader(xl))
	if code != 200 || err != nil {
		t.Fatalf("summary xlsx: %d %v", code, err)
	}
	// The demo district's three bureaus, each with its own figure.
	if rows, _ := x.GetRows("汇总"); len(rows) != 5 || rows[2][1] != "示范区农业农村局" || rows[2][2] != cg || rows[4][1] != "示范区市场监督管理局" || rows[4][2] != "4" {
		t.Errorf("summary rows %v", rows)
	}
	form.Set("csrf", sup.csrf())
	if code, _, _ := sup.post("/reports/save", form); code != http.StatusForbidden {
		t.Errorf("supervisor saves: %d", code)
	}
	form.Del("csrf")
	if code, _, _ := clerk.post("/reports/save", form); code != http.StatusForbidden {
		t.Errorf("save without CSRF token: %d", code)
	}
	if code, body := clerk.get("/reports/new?kind=half-year&period=2023&unit=" + strconv.FormatInt(info.UnitID, 10)); code != 400 || !strings.Contains(body, "半年总结的期间应为半年") {
		t.Errorf("wrong period: %d", code)
	}
}

func reportScope(t *testing.T, st *store.Store, username string) access.Scope {
	_, sc := storetest.Login(t, st, username)
	return sc
}

// TestReportFormsUnreadable: a report form that cannot be parsed is
// answered 400 by every report action, and nothing is done.
func TestReportFormsUnreadable(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	info := loadDemo(t, st)
	clerk := e.client()
	clerk.demoLogin("zhuangan")
	for _, path := range []string{"/reports/save", "/reports/wording", "/reports/1/approve"} {
		if !clerk.postBroken(path, "unit="+strconv.FormatInt(info.UnitID, 10)+"&v=%zz") {
			t.Errorf("POST %s with a broken form was not refused with 400", path)
		}
	}
	var n int
	st.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'report.%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d report audit entries after refused forms", n)
	}
}
