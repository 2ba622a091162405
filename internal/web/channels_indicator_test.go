package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestChannelIndicatorPages shows the indicator's own measures through the
// real router: a site's week of visits judged 站点无法访问 on its page and
// the board, the update-frequency charts per 2 weeks, and an interaction
// column's message rule previewed on its live page, saved, and refused to
// another unit.
func TestChannelIndicatorPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		a := e.client()
		a.mustLogin("clerka")
		b := e.client()
		b.mustLogin("clerkb")
		tok := a.csrf()
		scA := access.Scope{UserID: f.clerkA.ID, ReadUnits: []int64{f.unitA.ID}, WriteUnits: []int64{f.unitA.ID}}
		msgs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/robots.txt" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<table><tr><td><a href="/1">关于公租房申请的咨询</a></td><td>2023-03-02</td><td>未回复</td></tr>
<tr><td><a href="/2">关于公交线路的建议</a></td><td>2023-06-01</td><td>已回复</td><td>2023-06-03</td></tr></table>`)
		}))
		t.Cleanup(msgs.Close)
		add := func(c channel.Channel) int64 {
			t.Helper()
			c.UnitID, c.ResponsibleID, c.FilingNo, c.FilingDate = f.unitA.ID, f.clerkA.ID, "备2023-9", "2023-01-01"
			if err := svcOf(st).CreateChannel(ctx, store.Actor{UserID: f.clerkA.ID, Name: "张专干"}, scA, &c); err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		site := add(channel.Channel{Name: "甲局门户网站", Kind: channel.Portal, URL: "http://127.0.0.1:1/", Method: channel.MethodListing})
		col := add(channel.Channel{Name: "在线咨询", Kind: channel.Column, Class: channel.ClassInteract, URL: msgs.URL + "/zx/", Method: channel.MethodListing})
		// 20 visits on each of the 7 days before 2023-07-05, 7 failed: 5%.
		for d := 1; d <= 7; d++ {
			day := time.Date(2023, 7, 5, 0, 0, 0, 0, cntime.Zone).AddDate(0, 0, -d)
			for i := 0; i < 20; i++ {
				sm := channel.Sample{At: day.Add(time.Duration(i) * time.Hour).Unix(), Millis: 300, Status: 200, OK: true}
				if i == 0 {
					sm.Millis = 15000
				}
				if err := st.RecordSample(ctx, site, f.unitA.ID, sm); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, page := a.get(fmt.Sprintf("/channels/%d", site))
		if !strings.Contains(page, "站点可访问性") || !strings.Contains(page, "2023-06-28至2023-07-04访问 140 次，打不开 7 次（5.0%）") || !strings.Contains(page, "不合格") {
			t.Fatalf("site page: %s", pageMessage(page))
		}
		_, board := a.get("/channels")
		if !strings.Contains(board, "近7天访问 140 次，打不开 7 次") || !strings.Contains(board, "各阵地距上次更新天数与更新期限") || !strings.Contains(board, "各阵地近2周发布信息条数") {
			t.Fatalf("board: %s", pageMessage(board))
		}
		if code, body, _ := a.post(fmt.Sprintf("/channels/%d/manual", col), url.Values{"csrf": {tok}, "last_update": {"2023-06-20"}}); code != http.StatusSeeOther {
			t.Fatalf("manual check: %d %s", code, pageMessage(body))
		}
		_, page = a.get(fmt.Sprintf("/channels/%d", col))
		if !strings.Contains(page, "每2周发布信息条数") || !strings.Contains(page, "每2周末距上次更新天数") || !strings.Contains(page, "留言提取规则") {
			t.Fatalf("column page: %s", pageMessage(page))
		}
		rule := "item: <tr\nanswered: 已回复\npending: 未回复"
		code, page, _ := a.post(fmt.Sprintf("/channels/%d/messages/preview", col), url.Values{"csrf": {tok}, "message_rule": {rule}})
		if code != http.StatusOK || !strings.Contains(page, "读取到 2 条留言") || !strings.Contains(page, "其中超过3个月未回复 <strong>1</strong> 条") || !strings.Contains(page, "关于公租房申请的咨询") {
			t.Fatalf("preview: %d %s", code, pageMessage(page))
		}
		if code, page, _ := a.post(fmt.Sprintf("/channels/%d/messages", col), url.Values{"csrf": {tok}, "message_rule": {"pending: 未回复"}}); code != http.StatusUnprocessableEntity || !strings.Contains(page, "留言提取规则：须用 item") {
			t.Fatalf("bad rule: %d %s", code, pageMessage(page))
		}
		for _, p := range []string{"/messages/preview", "/messages"} {
			if code, _, _ := b.post(fmt.Sprintf("/channels/%d%s", col, p), url.Values{"csrf": {b.csrf()}, "message_rule": {rule}}); code != http.StatusNotFound {
				t.Errorf("unit B POST %s: %d", p, code)
			}
		}
		if code, body, _ := a.post(fmt.Sprintf("/channels/%d/messages", col), url.Values{"csrf": {tok}, "message_rule": {rule}}); code != http.StatusSeeOther {
			t.Fatalf("save rule: %d %s", code, pageMessage(body))
		}
		if c, err := st.Channel(ctx, scA, col); err != nil || c.MessageRule != rule {
			t.Fatalf("rule saved: %q %v", c.MessageRule, err)
		}
	})
}
