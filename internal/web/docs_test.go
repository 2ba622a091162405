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
