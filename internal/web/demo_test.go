package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func loadDemo(t *testing.T, st *store.Store) demo.Info {
	t.Helper()
	info, err := demo.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func (c *client) demoLogin(username string) {
	c.e.t.Helper()
	if code, body := c.login(username, demo.Password); code != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: %d %.300s", username, code, body)
	}
}

var (
	figureRE = regexp.MustCompile(`<a class="figure" href="([^"]+)" data-figure="([^"]+)"><span class="nu"><span class="n">(\d+)</span>`)
	totalRE  = regexp.MustCompile(`共 (\d+) 条`)
	rowRE    = regexp.MustCompile(`<tr>\s*<td class="nowrap">`)
)

// TestHomeFiguresMatchLinkedLedger: every figure on the clerk's home page
// equals the number of entries on the ledger page its link opens, and the
// demo's own data definitions.
func TestHomeFiguresMatchLinkedLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		// No 2023H2 records exist, so the home page falls back to 2023H1.
		code, home := c.get("/")
		if code != 200 || !strings.Contains(home, "2023年上半年") {
			t.Fatalf("home: %d", code)
		}
		figs := figureRE.FindAllStringSubmatch(home, -1)
		if len(figs) < 6 {
			t.Fatalf("home shows %d figures", len(figs))
		}
		exp := demo.ExpectedH1()
		want := map[string]int{"党组集中学习": exp[ledger.CentralGroup], "召开党政工作会": exp[ledger.PartyGovMeeting],
			"宣讲": exp[ledger.Preach], "专题研究意识形态工作": exp[ledger.TopicStudy], "上报分析研判报告": exp[ledger.AnalysisReport]}
		for _, f := range figs {
			link := strings.ReplaceAll(f[1], "&amp;", "&")
			label := f[2]
			n, _ := strconv.Atoi(f[3])
			if w, ok := want[label]; ok && n != w {
				t.Errorf("%s: home shows %d, demo data has %d", label, n, w)
			}
			if n == 0 {
				t.Errorf("%s is 0 on the demo home page", label)
			}
			_, list := c.get(link)
			m := totalRE.FindStringSubmatch(list)
			if m == nil || m[1] != f[3] {
				t.Errorf("%s: home shows %s, its list %s shows %v", label, f[3], link, m)
			}
			if rows := len(rowRE.FindAllString(list, -1)); rows != n && n <= 50 {
				t.Errorf("%s: list has %d rows, figure is %d", label, rows, n)
			}
		}
		// The supervisor sees the same unit in the district comparison.
		d := e.client()
		d.demoLogin("ducha")
		if code, body := d.get("/?period=2023H1"); code != 200 || !strings.Contains(body, "各单位对比") || !strings.Contains(body, "示范区农业农村局") {
			t.Fatalf("supervisor home: %d", code)
		}
	})
}

// fillTemplate writes n rows into the downloaded import template.
func fillTemplate(t *testing.T, tmpl []byte, n int, edit func(row int, cells []any) []any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	for i := range n {
		day := 1 + i%28
		cells := []any{fmt.Sprintf("2023-05-%02d", day), "业务大讲堂", fmt.Sprintf("农业技术业务讲座第%d讲", i+1), "产业发展科",
			"外请专家", "局三楼会议室", 90, "", "", "", "乡村振兴", "业务、培训", "", "", "讲授现代农业技术要点。"}
		if edit != nil {
			cells = edit(i+3, cells)
		}
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+3), &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importFile uploads data and, when the preview offers it, confirms the
// import: the answer is the confirmation's, or the preview's when it
// refused the file.
func (c *client) importFile(data []byte) (int, string) {
	c.e.t.Helper()
	code, body := c.previewFile(data)
	m := confirmRE.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		return code, body
	}
	form := url.Values{"csrf": {c.csrf()}}
	if strings.Contains(body, `name="late_reason"`) {
		// Rows that will be 补记: a reason, as the page requires.
		form.Set("late_reason", "纸质台账整理后补录")
	}
	code, body, _ = c.post(m[0], form)
	return code, body
}

var confirmRE = regexp.MustCompile(`/ledger/import/\d+/confirm`)

// previewFile uploads data to the import page: the preview, or the errors.
func (c *client) previewFile(data []byte) (int, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf())
	w, _ := mw.CreateFormFile("file", "台账导入.xlsx")
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/ledger/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestImportTemplateAllOrNothing: the clerk downloads the template, fills
// 200 rows, one of them bad: nothing is imported and that row is named;
// fixed, all 200 go in; imported again, nothing is duplicated.
func TestImportTemplateAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		resp, err := c.hc.Get(e.srv.URL + "/ledger/template.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		tmpl, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("template: %d", resp.StatusCode)
		}
		count := func() int {
			_, list := c.get("/ledger?q=" + "农业技术业务讲座")
			m := totalRE.FindStringSubmatch(list)
			if m == nil {
				return 0
			}
			n, _ := strconv.Atoi(m[1])
			return n
		}
		bad := fillTemplate(t, tmpl, 200, func(row int, cells []any) []any {
			if row == 59 {
				cells[0] = "2023-13-45"
			}
			return cells
		})
		code, body := c.importFile(bad)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "第 59 行") || !strings.Contains(body, "日期") || !strings.Contains(body, "未导入任何记录") {
			t.Fatalf("bad row: %d %.2000s", code, body)
		}
		if n := count(); n != 0 {
			t.Fatalf("failed import left %d entries", n)
		}
		good := fillTemplate(t, tmpl, 200, nil)
		code, body = c.importFile(good)
		if code != 200 || !strings.Contains(body, "新增 200 条") {
			t.Fatalf("good import: %d %.1500s", code, body)
		}
		if n := count(); n != 200 {
			t.Fatalf("after import %d entries", n)
		}
		code, body = c.importFile(good)
		if code != 200 || !strings.Contains(body, "新增 0 条") || !strings.Contains(body, "200 条此前已导入过") {
			t.Fatalf("re-import: %d %.1500s", code, body)
		}
		if n := count(); n != 200 {
			t.Fatalf("after re-import %d entries", n)
		}
		if _, err := st.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
