package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestDocDateChosen (issue 14): a Word download's 成文日期 was the download
// day with no hint on the page. The pages with a Word download say which
// date the 落款 will carry and let the user choose another; the file
// carries the chosen one, and a date that is not one is refused.
func TestDocDateChosen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // the clock says 2023-07-05
		info := loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		for _, page := range []string{"/info/bulletin?month=2023-06", fmt.Sprintf("/supervise/circular?unit=%d&year=2023", info.UnitID), "/reports/new?kind=half-year&period=2023H1"} {
			code, body := c.get(page)
			if code != 200 {
				t.Fatalf("%s: %d", page, code)
			}
			if !strings.Contains(body, `name="date" value="2023-07-05"`) || !strings.Contains(body, "落款的成文日期默认为下载当天（2023年7月5日）") {
				t.Errorf("%s does not say the 成文日期 the Word file will carry", page)
			}
		}
		code, data := c.get("/info/bulletin.docx?month=2023-06&date=2023-07-03")
		if code != 200 {
			t.Fatalf("bulletin.docx: %d", code)
		}
		if text := docxText(t, []byte(data)); !strings.Contains(text, "2023年7月3日") || strings.Contains(text, "2023年7月5日") {
			t.Errorf("the 月通报 is not dated as chosen:\n%s", text[max(0, len(text)-200):])
		}
		if code, _ := c.get("/info/bulletin.docx?month=2023-06&date=7月3日"); code != 422 {
			t.Errorf("a 成文日期 that is no date: %d, want 422", code)
		}
	})
}

// TestDistrictDocSettings (issue 23): the district propaganda department
// issues the district 督导通报 and 月通报; it sets their 落款, 主送机关 and
// 版记 on its own 公文设置 page (audited), and the district 通报 carries
// them. A unit's clerk may not open or change the district's settings.
func TestDistrictDocSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		sup := e.client()
		sup.demoLogin("ducha")
		code, body := sup.get("/supervise/docsettings")
		if code != 200 || !strings.Contains(body, `placeholder="中共示范区委宣传部"`) {
			t.Fatalf("district 公文设置: %d %.300s", code, body)
		}
		form := url.Values{"csrf": {sup.csrf()}, "issuer": {"中共示范区委宣传部"}, "recipient": {"各镇（街道）党委，区直各单位党组（党委）"},
			"cc": {"区委办公室"}, "printer": {"中共示范区委宣传部办公室"}}
		if code, body, loc := sup.post("/supervise/docsettings", form); code != 303 || loc != "/supervise/docsettings" {
			t.Fatalf("save: %d %s %.300s", code, loc, body)
		}
		code, data := sup.get("/supervise/circular.docx?year=2023&date=2024-01-10")
		if code != 200 {
			t.Fatalf("circular.docx: %d", code)
		}
		text := docxText(t, []byte(data))
		for _, want := range []string{"各镇（街道）党委，区直各单位党组（党委）：", "中共示范区委宣传部\n2024年1月10日", "抄送：区委办公室。", "中共示范区委宣传部办公室"} {
			if !strings.Contains(text, want) {
				t.Errorf("the district 通报 lacks %q", want)
			}
		}
		entries, err := st.ListAudit(context.Background(), store.AuditFilter{OrgIDs: []int64{info.DistrictID}, Action: "doc.settings"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Errorf("the district's 公文设置 change is not audited on the district: %+v", entries)
		}
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		if code, _ := clerk.get("/supervise/docsettings"); code != 403 {
			t.Errorf("a unit's clerk opened the district's 公文设置: %d", code)
		}
		if code, _, _ := clerk.post("/supervise/docsettings", url.Values{"csrf": {clerk.csrf()}, "issuer": {"某局"}}); code != 403 {
			t.Errorf("a unit's clerk changed the district's 公文设置: %d", code)
		}
	})
}

// TestCircularRegister (issue 23): a 通报 gets its 发文字号 when it is
// issued — the unit's 代字, the year and the next number of the unit's
// register, "农发〔2023〕1号" — once: issuing it again keeps the number,
// the next 通报 gets the next one, the district numbers its own. The
// number is on the page, above the Word file's title and in the register
// on the 公文设置 page, and every number is audited.
func TestCircularRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // 2023-07-05
		info := loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		unit := fmt.Sprint(info.UnitID)
		page := "/supervise/circular?unit=" + unit + "&year=2023"
		issue := func(cl *client, form url.Values) string {
			t.Helper()
			form.Set("csrf", cl.csrf())
			code, body, loc := cl.post("/supervise/circular/issue", form)
			if code != 303 {
				t.Fatalf("issue: %d %.300s", code, body)
			}
			_, body = cl.get(loc)
			return body
		}
		if _, body := c.get(page); !strings.Contains(body, "印发并编发文字号") {
			t.Fatal("the circular page offers no 编号")
		}
		if body := issue(c, url.Values{"unit": {unit}, "year": {"2023"}}); !strings.Contains(body, "发文机关代字：尚未设置") {
			t.Errorf("issued without a 代字: %.2000s", body)
		}
		settings := url.Values{"csrf": {c.csrf()}, "unit": {unit}, "issuer": {"中共示范区农业农村局党组"}, "prefix": {"农发〔2023〕"}}
		if code, _, _ := c.post("/reports/settings", settings); code != 422 {
			t.Errorf("a 代字 with the year in it: %d, want 422", code)
		}
		settings.Set("prefix", "农发")
		if code, body, _ := c.post("/reports/settings", settings); code != 303 {
			t.Fatalf("settings: %d %.300s", code, body)
		}
		for range 2 { // issuing twice keeps the number
			if body := issue(c, url.Values{"unit": {unit}, "year": {"2023"}}); !strings.Contains(body, "发文字号：农发〔2023〕1号") {
				t.Errorf("the issued circular's page lacks its number: %.3000s", body)
			}
		}
		if body := issue(c, url.Values{"unit": {unit}, "year": {"2022"}}); !strings.Contains(body, "发文字号：农发〔2023〕2号") {
			t.Errorf("the next circular does not get the next number")
		}
		code, data := c.get("/supervise/circular.docx?unit=" + unit + "&year=2023")
		if code != 200 {
			t.Fatalf("docx: %d", code)
		}
		if text := docxText(t, []byte(data)); !strings.HasPrefix(strings.TrimSpace(text), "农发〔2023〕1号\n\n关于示范区农业农村局") {
			t.Errorf("the Word file does not open with its 发文字号:\n%.200s", text)
		}
		if _, body := c.get("/reports/settings?unit=" + unit); !strings.Contains(body, "<td>农发〔2023〕2号</td>") || !strings.Contains(body, "<td>农发〔2023〕1号</td>") {
			t.Errorf("the register does not list both numbers")
		}
		entries, err := st.ListAudit(context.Background(), store.AuditFilter{OrgIDs: []int64{info.UnitID}, Action: "doc.number"})
		if err != nil || len(entries) != 2 {
			t.Errorf("%d doc.number audit entries, want 2 (%v)", len(entries), err)
		}
		// The district numbers its own 通报 in its own register.
		sup := e.client()
		sup.demoLogin("ducha")
		form := url.Values{"csrf": {sup.csrf()}, "issuer": {"中共示范区委宣传部"}, "prefix": {"示宣通"}}
		if code, _, _ := sup.post("/supervise/docsettings", form); code != 303 {
			t.Fatalf("district settings: %d", code)
		}
		if body := issue(sup, url.Values{"year": {"2023"}}); !strings.Contains(body, "发文字号：示宣通〔2023〕1号") {
			t.Errorf("the district circular's number: %.3000s", body)
		}
		// A member of the unit who may not issue its documents cannot.
		m := e.client()
		m.demoLogin("majun")
		if code, _, _ := m.post("/supervise/circular/issue", url.Values{"csrf": {m.csrf()}, "unit": {unit}, "year": {"2021"}}); code != 403 && code != 404 {
			t.Errorf("an information officer numbered a circular: %d", code)
		}
	})
}
