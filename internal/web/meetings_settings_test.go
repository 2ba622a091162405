package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestMeetingWindowSetting (issue 22 part 2): the unit's 系统管理员 sets
// the sign-in window within its bounds; it is shown on the meeting list
// and audited; a clerk, or another unit's administrator, cannot set it.
// The user form takes a mobile number (part 7) and the unit's channel
// page the platforms' personal messages (part 1).
func TestMeetingWindowSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		for _, u := range []org.User{
			{OrgID: f.unitA.ID, Username: "adminA", Name: "甲局管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitA.ID}}},
			{OrgID: f.unitB.ID, Username: "adminB", Name: "乙局管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitB.ID}}},
		} {
			if err := svcOf(st).CreateUser(ctx, store.System, &u, pw); err != nil {
				t.Fatal(err)
			}
		}
		unit := fmt.Sprint(f.unitA.ID)
		a := e.client()
		a.mustLogin("adminA")
		code, page := a.get("/meetings/settings?unit=" + unit)
		if code != http.StatusOK || !strings.Contains(page, "现行签到时段：会议开始前30分钟至结束后30分钟") {
			t.Fatalf("settings page: %d %s", code, pageMessage(page))
		}
		tok := a.csrf()
		code, body, _ := a.post("/meetings/settings", url.Values{"csrf": {tok}, "unit": {unit}, "before": {"150"}, "after": {"x"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "结束后可签到：应为整数分钟") {
			t.Errorf("not a number: %d %s", code, pageMessage(body))
		}
		code, body, _ = a.post("/meetings/settings", url.Values{"csrf": {tok}, "unit": {unit}, "before": {"150"}, "after": {"10"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "开始前可签到：应在5到120分钟之间") {
			t.Errorf("out of bounds: %d %s", code, pageMessage(body))
		}
		// Another unit's administrator and the unit's clerk: not found, nothing changed.
		b := e.client()
		b.mustLogin("adminB")
		if code, _, _ := b.post("/meetings/settings", url.Values{"csrf": {b.csrf()}, "unit": {unit}, "before": {"10"}, "after": {"10"}}); code != http.StatusNotFound {
			t.Errorf("another unit's admin: %d", code)
		}
		if code, _ := b.get("/meetings/settings?unit=" + unit); code != http.StatusNotFound {
			t.Errorf("another unit's admin reads: %d", code)
		}
		clerk := e.client()
		clerk.mustLogin("clerka")
		if code, _, _ := clerk.post("/meetings/settings", url.Values{"csrf": {clerk.csrf()}, "unit": {unit}, "before": {"10"}, "after": {"10"}}); code != http.StatusNotFound {
			t.Errorf("the clerk: %d", code)
		}
		if n := one(t, st, "SELECT COUNT(*) FROM meeting_settings")[0]; n != "0" {
			t.Fatalf("refused changes stored %s rows", n)
		}
		if code, body, _ := a.post("/meetings/settings", url.Values{"csrf": {tok}, "unit": {unit}, "before": {"10"}, "after": {"15"}}); code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", code, pageMessage(body))
		}
		_, list := clerk.get("/meetings?unit=" + unit)
		if !strings.Contains(list, "本单位签到时段：会议开始前10分钟至结束后15分钟") || strings.Contains(list, "修改签到设置") {
			t.Errorf("the clerk's list does not show the window (or offers to change it): %s", pageMessage(list))
		}
		if got := one(t, st, "SELECT before_json, after_json FROM audit_log WHERE action = 'meeting.settings'"); len(got) != 2 ||
			got[0] != `{"after_min":30,"before_min":30}` || got[1] != `{"after_min":15,"before_min":10}` {
			t.Errorf("audit: %q", got)
		}

		// The user form's mobile number, normalised, and its error.
		uid := fmt.Sprint(f.memberA.ID)
		form := url.Values{"csrf": {tok}, "name": {"王党员"}, "username": {"membera"}, "org": {fmt.Sprint(f.deptA.ID)}, "party": {"1"},
			"mobile": {"1380000"}, fmt.Sprintf("role_member_%d", f.unitA.ID): {"1"}}
		if code, body, _ := a.post("/admin/users/"+uid, form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "手机号：应为11位手机号码") {
			t.Errorf("bad mobile: %d %s", code, pageMessage(body))
		}
		form.Set("mobile", "+86 138-0000-0001")
		if code, body, _ := a.post("/admin/users/"+uid, form); code != http.StatusSeeOther {
			t.Fatalf("save user: %d %s", code, pageMessage(body))
		}
		if _, page := a.get("/admin/users/" + uid); !strings.Contains(page, `name="mobile" value="13800000001"`) {
			t.Error("the user form does not show the stored mobile")
		}

		// Personal messages on the unit's channel page.
		code, body, _ = clerk.post("/supervise/channels", url.Values{"csrf": {clerk.csrf()}, "unit": {unit}, "inapp": {"1"}, "dingtalk_app": {"1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("channels: %d %s", code, pageMessage(body))
		}
		if got := one(t, st, "SELECT wecom_app, dingtalk_app FROM notify_settings WHERE unit_id = $1", f.unitA.ID); strings.Join(got, ",") != "0,1" {
			t.Errorf("personal channels stored %v", got)
		}
	})
}
