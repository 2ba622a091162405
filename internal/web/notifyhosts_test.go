package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestReminderHostsAllowList: a unit cannot point reminders at an internal
// address until the 安全保密管理员 allows that host.
func TestReminderHostsAllowList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		sec := org.User{OrgID: f.unitA.ID, Username: "baomi", Name: "保密员", Grants: []access.Grant{{Role: access.SecAdmin, OrgID: f.unitA.ID}}}
		if err := svcOf(st).CreateUser(context.Background(), store.System, &sec, pw); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.mustLogin("clerka")
		form := url.Values{"csrf": {c.csrf()}, "unit": {strconv.FormatInt(f.unitA.ID, 10)}, "inapp": {"1"},
			"wecom_url": {"http://10.1.2.3:8080/hook"}}
		code, body, _ := c.post("/supervise/channels", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "10.1.2.3 不在安全保密管理员允许的提醒地址中") {
			t.Fatalf("internal webhook accepted: %d", code)
		}
		form.Set("wecom_url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")
		if code, body, _ := c.post("/supervise/channels", form); code != http.StatusSeeOther {
			t.Fatalf("WeCom webhook refused: %d %.500s", code, body)
		}
		// The security administrator allows the unit's own relay.
		s := e.client()
		s.mustLogin("baomi")
		code, _, _ = s.post("/admin/security", url.Values{"csrf": {s.csrf()}, "max_failures": {"5"}, "lock_minutes": {"15"},
			"idle_minutes": {"30"}, "session_hours": {"12"}, "min_password_len": {"8"}, "max_upload_mb": {"20"}, "notify_hosts": {"qyapi.weixin.qq.com, oapi.dingtalk.com, 10.1.2.3, 127.0.0.1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("save security settings: %d", code)
		}
		// On the allow-list is not enough for an internal address: 127.0.0.1
		// and 10.1.2.3 are refused until named as internal relays.
		for _, u := range []string{"http://10.1.2.3:8080/hook", "http://127.0.0.1:6379/"} {
			form.Set("wecom_url", u)
			form.Set("csrf", c.csrf())
			if code, body, _ := c.post("/supervise/channels", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "指向内网地址") {
				t.Fatalf("internal webhook %s on the allow-list accepted: %d", u, code)
			}
		}
		code, _, _ = s.post("/admin/security", url.Values{"csrf": {s.csrf()}, "max_failures": {"5"}, "lock_minutes": {"15"},
			"idle_minutes": {"30"}, "session_hours": {"12"}, "min_password_len": {"8"}, "max_upload_mb": {"20"},
			"notify_hosts": {"qyapi.weixin.qq.com, oapi.dingtalk.com"}, "internal_relays": {"10.1.2.3"}})
		if code != http.StatusSeeOther {
			t.Fatalf("save security settings: %d", code)
		}
		if _, page := s.get("/admin/security"); !strings.Contains(page, ">10.1.2.3</textarea>") {
			t.Fatal("internal relay not shown on the settings page")
		}
		form.Set("wecom_url", "http://10.1.2.3:8080/hook")
		form.Set("csrf", c.csrf())
		if code, body, _ := c.post("/supervise/channels", form); code != http.StatusSeeOther {
			t.Fatalf("named internal relay refused: %d %.500s", code, body)
		}
		form.Set("wecom_url", "http://127.0.0.1:6379/")
		if code, _, _ := c.post("/supervise/channels", form); code != http.StatusUnprocessableEntity {
			t.Fatalf("loopback accepted beside a named relay: %d", code)
		}
	})
}

// TestUnreadBadge: unread notifications show as a count in the top bar of
// every page until the user reads them.
func TestUnreadBadge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		if _, body := c.get("/ledger"); strings.Contains(body, `class="count"`) {
			t.Fatal("badge shown with no notifications")
		}
		if err := st.Notify(context.Background(), f.unitA.ID, []int64{f.clerkA.ID}, "k1", "专题研究即将到期", "", "/supervise"); err != nil {
			t.Fatal(err)
		}
		if _, body := c.get("/ledger"); !strings.Contains(body, `通知 <span class="count">1</span>`) {
			t.Fatal("unread notification not counted in the top bar")
		}
		if code, _, _ := c.post("/supervise/my/read", url.Values{"csrf": {c.csrf()}}); code != http.StatusSeeOther {
			t.Fatalf("mark read: %d", code)
		}
		if _, body := c.get("/ledger"); strings.Contains(body, `class="count"`) {
			t.Fatal("badge still shown after reading")
		}
	})
}

// TestSearchTotalCapped: a search matching more than store.SearchCountCap
// entries says "1000 条以上" and asks to narrow it; the plain list still
// counts exactly.
func TestSearchTotalCapped(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	f := seedTwoUnits(t, st)
	acts := make([]ledger.Activity, store.SearchCountCap+2)
	for i := range acts {
		acts[i] = ledger.Activity{UnitID: f.unitA.ID, OrgID: f.unitA.ID, Type: ledger.SelfStudy, Title: "个人自学", Date: "2023-05-01", LeadName: "张专干"}
	}
	if err := st.SeedActivities(context.Background(), store.Actor{UserID: f.clerkA.ID}, f.unitA.ID, acts); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.mustLogin("clerka")
	if _, body := c.get("/ledger?q=" + url.QueryEscape("自学")); !strings.Contains(body, "1000 条以上") || !strings.Contains(body, "缩小范围") || !strings.Contains(body, "第 1 / 20 页") {
		t.Fatal("capped search total not shown as such")
	}
	if _, body := c.get("/ledger"); !strings.Contains(body, "共 1002 条") {
		t.Fatal("plain list total not exact")
	}
}
