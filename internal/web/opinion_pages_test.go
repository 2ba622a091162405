package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"

	"zhendi/internal/perf"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestOpinionDashboardAndEvent: the dashboard's charts with their tables,
// the event page (timeline, sources, representative items, heat formula,
// negativity), 启动处置 from the event, split and merge by hand, and the
// pages refused to another unit and to a member without unit-wide reading.
func TestOpinionDashboardAndEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		fx, err := perf.OpinionSample(context.Background(), st, f.unitA.ID, e.now)
		if err != nil {
			t.Fatal(err)
		}
		a := e.client()
		a.mustLogin("clerka")
		code, body := a.get(fmt.Sprintf("/opinion?unit=%d&days=7", f.unitA.ID))
		if code != http.StatusOK {
			t.Fatalf("dashboard: %d %s", code, pageMessage(body))
		}
		for _, want := range []string{"信息 6 条", "chart-op-trend", "chart-op-sources", "chart-op-schemes", "chart-op-negativity", "chart-op-top",
			"区融媒体中心", "化工园区安全", fmt.Sprintf("/opinion/events/%d", fx.EventID), "不采集、不统计发布者个人信息"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		ev := fmt.Sprintf("/opinion/events/%d", fx.EventID)
		code, body = a.get(ev)
		if code != http.StatusOK {
			t.Fatalf("event: %d %s", code, pageMessage(body))
		}
		for _, want := range []string{"信息量</dt><dd>4 条", "chart-event-timeline", "热度 = 来源权重 × 15 × ln", "负面信息", "化工园区起火 浓烟滚滚",
			"启动处置", "/opinion/incidents/new?event=", "市新闻网"} {
			if !strings.Contains(body, want) {
				t.Errorf("event page lacks %q", want)
			}
		}
		if code, body = a.get(fmt.Sprintf("/opinion/events?unit=%d&days=7", f.unitA.ID)); code != http.StatusOK || !strings.Contains(body, ev) {
			t.Errorf("event list: %d lacks the event", code)
		}
		// 启动处置 from the event: the form is filled from it.
		code, body = a.get("/opinion/incidents/new?event=" + fmt.Sprint(fx.EventID))
		if code != http.StatusOK || !strings.Contains(body, `name="event" value="`+fmt.Sprint(fx.EventID)) || !strings.Contains(body, "化工园区起火") {
			t.Fatalf("start from event: %d %s", code, pageMessage(body))
		}
		tok := a.csrf()
		code, body, _ = a.post("/opinion/incidents", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.unitA.ID)}, "event": {fmt.Sprint(fx.EventID)},
			"title": {"化工园区起火"}, "level": {"general"}, "found_at": {"2023-07-05T04:00"}, "owner": {fmt.Sprint(f.clerkA.ID)}})
		if code != http.StatusSeeOther {
			t.Fatalf("start incident from event: %d %s", code, pageMessage(body))
		}
		if _, body = a.get(ev); !strings.Contains(body, "舆情处置：") {
			t.Errorf("the event page does not link its incident")
		}
		// Split one item out, then merge it back.
		if code, body, _ = a.post(ev+"/split", url.Values{"csrf": {tok}, "title": {""}, "item": {fmt.Sprint(fx.ItemIDs[3])}}); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "新事件名称：不能为空") {
			t.Errorf("split without title: %d %s", code, pageMessage(body))
		}
		code, body, loc := a.post(ev+"/split", url.Values{"csrf": {tok}, "title": {"泄漏传闻"}, "item": {fmt.Sprint(fx.ItemIDs[3])}})
		if code != http.StatusSeeOther || loc == ev+"?ok=saved" {
			t.Fatalf("split: %d %s %s", code, loc, pageMessage(body))
		}
		if _, body = a.get(ev); !strings.Contains(body, "信息量</dt><dd>3 条") {
			t.Errorf("after the split the event should hold 3 items")
		}
		newID := strings.TrimSuffix(strings.TrimPrefix(loc, "/opinion/events/"), "?ok=saved")
		if code, body, _ = a.post(ev+"/merge", url.Values{"csrf": {tok}, "from": {newID}}); code != http.StatusSeeOther {
			t.Fatalf("merge: %d %s", code, pageMessage(body))
		}
		if _, body = a.get(ev); !strings.Contains(body, "信息量</dt><dd>4 条") {
			t.Errorf("after the merge the event should hold 4 items again")
		}

		// Alert rules: a threshold that is no number is refused beside the form.
		rule := url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.unitA.ID)}, "scheme": {fmt.Sprint(fx.SchemeID)}, "kind": {"3"}, "threshold": {"很多"}}
		if code, body, _ = a.post("/opinion/alerts", rule); code != http.StatusUnprocessableEntity || !strings.Contains(body, "阈值：应为数字") {
			t.Errorf("bad threshold: %d %s", code, pageMessage(body))
		}
		rule.Set("threshold", "50%")
		rule.Set("quiet_from", "22:00")
		rule.Set("quiet_to", "07:00")
		if code, body, _ = a.post("/opinion/alerts", rule); code != http.StatusSeeOther {
			t.Fatalf("alert rule: %d %s", code, pageMessage(body))
		}
		if _, body = a.get("/opinion/alerts"); !strings.Contains(body, "负面占比达到50%") || !strings.Contains(body, "22:00–07:00") {
			t.Errorf("alert page lacks the rule: %s", pageMessage(body))
		}

		b := e.client()
		b.mustLogin("clerkb")
		if code, body := b.get(ev); code != http.StatusNotFound || strings.Contains(body, "化工园区") {
			t.Errorf("another unit's clerk opened the event: %d", code)
		}
		if code, body := b.get(fmt.Sprintf("/opinion?unit=%d", f.unitA.ID)); code != http.StatusNotFound || strings.Contains(body, "化工园区") {
			t.Errorf("dashboard with another unit's id: %d", code)
		}
		m := e.client()
		m.mustLogin("membera")
		if code, _ := m.get("/opinion"); code != http.StatusSeeOther {
			t.Errorf("a member's /opinion: %d, want a redirect to the incidents they answer for", code)
		}
		if code, _ := m.get(ev); code != http.StatusNotFound {
			t.Errorf("a member opened the event: %d", code)
		}
	})
}

// TestOpinionDistrict: the district supervisor sees each unit's counts
// (items, negative, events, incidents, on time) and no item text.
func TestOpinionDistrict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		district := org.Node{Kind: org.District, Name: "示范区"}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(st.CreateNode(ctx, store.System, &district))
		ua := org.Node{Kind: org.Unit, Name: "甲局", ParentID: district.ID}
		ub := org.Node{Kind: org.Unit, Name: "乙局", ParentID: district.ID}
		must(st.CreateNode(ctx, store.System, &ua))
		must(st.CreateNode(ctx, store.System, &ub))
		sup := org.User{OrgID: district.ID, Username: "dsup", Name: "督查员", Grants: []access.Grant{{Role: access.Supervisor, OrgID: district.ID}}}
		must(svcOf(st).CreateUser(ctx, store.System, &sup, pw))
		clerk := org.User{OrgID: ua.ID, Username: "clerkx", Name: "专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: ua.ID}}}
		must(svcOf(st).CreateUser(ctx, store.System, &clerk, pw))
		if _, err := perf.OpinionSample(ctx, st, ua.ID, e.now); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.mustLogin("dsup")
		code, body := c.get("/opinion/district?days=7")
		if code != http.StatusOK {
			t.Fatalf("district: %d %s", code, pageMessage(body))
		}
		cells := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")
		cells = strings.Join(strings.Fields(cells), " ")
		for _, want := range []string{"甲局 6 4 1 0 0 0 —", "乙局 0 0 0 0 0 0 —", "合计 6 4 1 0 0 0 —"} {
			if !strings.Contains(cells, want) {
				t.Errorf("district page lacks the row %q", want)
			}
		}
		if !strings.Contains(body, "chart-op-district") {
			t.Errorf("district page lacks its chart")
		}
		if strings.Contains(body, "浓烟滚滚") || strings.Contains(body, "example.gov.cn") {
			t.Errorf("the district roll-up shows item content")
		}
		k := e.client()
		k.mustLogin("clerkx")
		if _, body := k.get("/opinion/district"); strings.Contains(body, "乙局") {
			t.Errorf("a unit's clerk sees another unit in the roll-up")
		}
	})
}

// TestOpinionPagesAsEachRole opens the 舆情 pages as each demo role: the
// unit's readers get the pages (writers with 启动处置 and rule forms),
// department staff and members only the incidents they answer for, the
// three administrators nothing of the content.
func TestOpinionPagesAsEachRole(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	info := loadDemo(t, st)
	if _, err := perf.OpinionSample(context.Background(), st, info.UnitID, e.now); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/opinion", "/opinion/events", "/opinion/incidents", "/opinion/alerts", "/opinion/reports", "/opinion/district"}
	for _, c := range []struct {
		user  string
		codes []int  // per page
		write bool   // sees 启动处置 on the incident list
		see   string // text on the dashboard
	}{
		{"wangjianguo", []int{200, 200, 200, 200, 200, 200}, true, "化工园区安全"},
		{"zhuangan", []int{200, 200, 200, 200, 200, 200}, true, "化工园区安全"},
		{"ducha", []int{200, 200, 200, 200, 200, 200}, false, "化工园区安全"},
		{"majun", []int{303, 403, 200, 403, 403, 403}, false, ""},
		{"yanghui", []int{303, 403, 200, 403, 403, 403}, false, ""},
		{"admin", []int{303, 403, 200, 403, 403, 403}, false, ""},
	} {
		cl := e.client()
		cl.demoLogin(c.user)
		for i, p := range pages {
			code, body := cl.get(p)
			if code != c.codes[i] {
				t.Errorf("%s %s: %d, want %d", c.user, p, code, c.codes[i])
			}
			if p == "/opinion" && c.see != "" && !strings.Contains(body, c.see) {
				t.Errorf("%s: the dashboard lacks %q", c.user, c.see)
			}
			if p == "/opinion/incidents" && strings.Contains(body, `href="/opinion/incidents/new`) != c.write {
				t.Errorf("%s: 启动处置 offered %v, want %v", c.user, !c.write, c.write)
			}
		}
	}
}
