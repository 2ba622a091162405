package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// Tests of issue 14 C2–C5 and issue 15 items 6, 7, 12–14 through the real
// router on both databases.

var loginErrRE = regexp.MustCompile(`<p class="error" role="alert">([^<]*)</p>`)

// loginNext posts the login form with a next parameter and returns the
// status, the redirect and the error shown.
func (c *client) loginNext(username, password, next string) (int, string, string) {
	c.e.t.Helper()
	_, page := c.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		c.e.t.Fatal("login page has no csrf token")
	}
	code, body, loc := c.post("/login", url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}, "next": {next}})
	msg := ""
	if em := loginErrRE.FindStringSubmatch(body); em != nil {
		msg = em[1]
	}
	return code, loc, msg
}

// TestLoginNextStaysOnServer: issue 15 item 12.
func TestLoginNextStaysOnServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		seedTwoUnits(t, st)
		cases := map[string]string{
			"/ledger?type=x&y=1":    "/ledger?type=x&y=1",
			"/info/3":               "/info/3",
			"//evil.example":        "/",
			"/\\evil.example":       "/",
			"/\\/evil.example":      "/",
			"/%2F%2Fevil.example":   "/",
			"/%2fevil.example":      "/",
			"/%5Cevil.example":      "/",
			"/\tevil.example":       "/",
			"/%09/evil.example":     "/",
			"/ledger\r\nX: y":       "/",
			" /ledger":              "/",
			"/ledger x":             "/",
			"https://evil.example/": "/",
			"javascript:alert(1)":   "/",
			"/\u3000/evil.example":  "/",
			"/%":                    "/",
		}
		for next, want := range cases {
			c := e.client()
			code, loc, _ := c.loginNext("clerka", pw, next)
			if code != http.StatusSeeOther || loc != want {
				t.Errorf("next %q: %d %q, want %q", next, code, loc, want)
			}
		}
	})
}

// TestLockoutSameForUnknownNames: issue 15 item 13. Five wrong passwords
// lock a real account and an invented name alike, with the same messages
// and status codes, and a successful login does not count towards the
// address limit.
func TestLockoutSameForUnknownNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		seedTwoUnits(t, st)
		type answer struct {
			code int
			msg  string
		}
		run := func(name string) []answer {
			c := e.client()
			var out []answer
			for range 7 {
				code, _, msg := c.loginNext(name, "Wrong-pass9", "/")
				out = append(out, answer{code, msg})
			}
			return out
		}
		real, ghost := run("clerka"), run("ghost-account")
		if fmt.Sprint(real) != fmt.Sprint(ghost) {
			t.Fatalf("real account and unknown name answered differently:\n%v\n%v", real, ghost)
		}
		if real[4].msg != "连续登录失败次数过多，账户已锁定 15 分钟。" || real[5].code != http.StatusForbidden ||
			!strings.HasPrefix(real[5].msg, "账户因连续登录失败已锁定") {
			t.Errorf("lockout answers: %v", real)
		}
		// The lock of the unknown name ends like an account's.
		e.now = e.now.Add(16 * time.Minute)
		if _, _, msg := e.client().loginNext("ghost-account", "Wrong-pass9", "/"); msg != "用户名或密码错误。" {
			t.Errorf("after the lock: %q", msg)
		}
		// 40 good logins from one address (the limit is 30 refused ones).
		for i := range 40 {
			if code, _, msg := e.client().loginNext("clerkb", pw, "/"); code != http.StatusSeeOther {
				t.Fatalf("good login %d refused: %d %s", i+1, code, msg)
			}
		}
	})
}

// TestPasswordPolicyAndSessions: issue 15 item 14.
func TestPasswordPolicyAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		admin := org.User{OrgID: f.unitA.ID, Username: "admina", Name: "管理员甲", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitA.ID}}}
		if err := svcOf(st).CreateUser(ctx, store.System, &admin, pw); err != nil {
			t.Fatal(err)
		}
		a := e.client()
		a.mustLogin("admina")
		form := url.Values{"csrf": {a.csrf()}, "name": {"新员工"}, "username": {"xinyuan"}, "org": {strconv.FormatInt(f.deptA.ID, 10)},
			"role_member_" + strconv.FormatInt(f.unitA.ID, 10): {"1"}}
		for pwd, want := range map[string]string{
			"Ab1!x":        "密码: 至少 8 位",
			"abcdefgh1234": "密码: 须包含大写字母、小写字母、数字、其他符号中的至少三种",
			"Xinyuan-2023": "密码: 不能包含登录名",
			"Password123":  "密码: 是常见弱密码，容易被猜中，请换一个",
			"Qwertyuiop1":  "密码: 是常见弱密码，容易被猜中，请换一个",
		} {
			form.Set("password", pwd)
			if code, body, _ := a.post("/admin/users", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
				t.Errorf("password %q: %d, want %q", pwd, code, want)
			}
		}
		form.Set("password", "Start-2023a")
		if code, body, _ := a.post("/admin/users", form); code != http.StatusSeeOther {
			t.Fatalf("create: %d %.300s", code, body)
		}
		// A new account is told it is new, not that its password was reset.
		n := e.client()
		if code, _ := n.login("xinyuan", "Start-2023a"); code != http.StatusSeeOther {
			t.Fatal("new account cannot log in")
		}
		_, page := n.get("/password")
		if !strings.Contains(page, "这是您的新账户") || strings.Contains(page, "管理员已重置您的密码") {
			t.Errorf("new account's password page: %.600s", page)
		}
		code, body, _ := n.post("/password", url.Values{"csrf": {n.csrf()}, "old": {"Start-2023a"}, "new": {"P@ssw0rd"}, "confirm": {"P@ssw0rd"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "常见弱密码") {
			t.Errorf("common password as new password: %d", code)
		}
		if code, _, _ := n.post("/password", url.Values{"csrf": {n.csrf()}, "old": {"Start-2023a"}, "new": {"Mine-2023b"}, "confirm": {"Mine-2023b"}}); code != http.StatusSeeOther {
			t.Fatalf("change: %d", code)
		}
		// An administrator's reset says so.
		u, _ := st.UserByUsername(ctx, "xinyuan")
		if code, _, _ := a.post(fmt.Sprintf("/admin/users/%d/reset", u.ID), url.Values{"csrf": {a.csrf()}, "password": {"Reset-2023c"}}); code != http.StatusSeeOther {
			t.Fatalf("reset: %d", code)
		}
		n = e.client()
		n.login("xinyuan", "Reset-2023c")
		if _, page := n.get("/password"); !strings.Contains(page, "管理员已重置您的密码") {
			t.Error("reset account is not told of the reset")
		}

		// The absolute lifetime: active every 20 minutes, out after 12 hours.
		c := e.client()
		c.mustLogin("clerka")
		start := e.now
		for e.now.Sub(start)+20*time.Minute < 12*time.Hour {
			e.now = e.now.Add(20 * time.Minute)
			if code, _ := c.get("/"); code != http.StatusOK {
				t.Fatalf("active session ended after %v: %d", e.now.Sub(start), code)
			}
		}
		e.now = start.Add(12 * time.Hour)
		if code, _ := c.get("/"); code != http.StatusSeeOther {
			t.Fatalf("session alive after 12 hours: %d", code)
		}

		// The periodic change, once the installation's 安全保密管理员 turns it on.
		sec := org.User{OrgID: f.unitA.ID, Username: "baomi", Name: "保密员", Grants: []access.Grant{{Role: access.SecAdmin, OrgID: f.unitA.ID}}}
		if err := svcOf(st).CreateUser(ctx, store.System, &sec, pw); err != nil {
			t.Fatal(err)
		}
		s := e.client()
		s.mustLogin("baomi")
		if code, body, _ := s.post("/admin/security", securityForm(s.csrf(), "password_days", "90")); code != http.StatusSeeOther {
			t.Fatalf("save settings: %d %.300s", code, body)
		}
		e.now = e.now.Add(91 * 24 * time.Hour)
		c = e.client()
		c.mustLogin("clerkb")
		if code, _ := c.get("/ledger"); code != http.StatusSeeOther {
			t.Fatalf("expired password reached the ledger: %d", code)
		}
		if _, page := c.get("/password"); !strings.Contains(page, "您的密码已到定期修改的时间") {
			t.Error("expired password not explained")
		}
	})
}

// securityForm is a full security settings form with one field changed.
func securityForm(csrf string, kv ...string) url.Values {
	v := url.Values{"csrf": {csrf}, "max_failures": {"5"}, "lock_minutes": {"15"}, "idle_minutes": {"30"}, "session_hours": {"12"},
		"min_password_len": {"8"}, "password_days": {"0"}, "max_upload_mb": {"20"}, "notify_hosts": {"qyapi.weixin.qq.com, oapi.dingtalk.com"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestThreeAdminsApart: issue 15 items 6 and 7.
func TestThreeAdminsApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		district := org.Node{Kind: org.District, Name: "示范区"}
		must(st.CreateNode(ctx, store.System, &district))
		unit := org.Node{Kind: org.Unit, Name: "丙局", ParentID: district.ID}
		must(st.CreateNode(ctx, store.System, &unit))
		mk := func(username, name string, g ...access.Grant) org.User {
			u := org.User{OrgID: unit.ID, Username: username, Name: name, Grants: g}
			must(svcOf(st).CreateUser(ctx, store.System, &u, pw))
			return u
		}
		admin := mk("sysadm", "系统管理员", access.Grant{Role: access.SysAdmin, OrgID: unit.ID})
		auditor := mk("shenji", "审计员", access.Grant{Role: access.Auditor, OrgID: unit.ID})
		clerk := mk("zhuangan", "专干", access.Grant{Role: access.Clerk, OrgID: unit.ID})
		mk("unitsec", "单位保密员", access.Grant{Role: access.SecAdmin, OrgID: unit.ID})
		mk("installsec", "安装级保密员", access.Grant{Role: access.SecAdmin, OrgID: district.ID})

		a := e.client()
		a.mustLogin("sysadm")
		userForm := func(u org.User, roles ...string) url.Values {
			v := url.Values{"csrf": {a.csrf()}, "name": {u.Name}, "username": {u.Username}, "org": {strconv.FormatInt(unit.ID, 10)}}
			for _, r := range roles {
				v.Set("role_"+r+"_"+strconv.FormatInt(unit.ID, 10), "1")
			}
			return v
		}
		// The sysadmin re-posts its own form with content, auditor and
		// security roles: refused, and it still reads nothing.
		code, body, _ := a.post(fmt.Sprintf("/admin/users/%d", admin.ID), userForm(admin, "sysadmin", "clerk", "auditor", "secadmin"))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不能修改自己的角色") {
			t.Fatalf("own roles: %d %.300s", code, body)
		}
		for _, p := range []string{"/ledger", "/audit", "/admin/security"} {
			if code, _ := a.get(p); code != http.StatusForbidden && code != http.StatusNotFound {
				t.Errorf("sysadmin opens %s: %d", p, code)
			}
		}
		// It cannot grant the auditor or security roles to anyone.
		for _, role := range []string{"auditor", "secadmin"} {
			code, body, _ := a.post(fmt.Sprintf("/admin/users/%d", clerk.ID), userForm(clerk, "clerk", role))
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "系统管理员不能授予或取消审计管理员、安全保密管理员角色") {
				t.Errorf("grant %s: %d", role, code)
			}
		}
		got, _ := st.User(ctx, clerk.ID)
		if len(got.Grants) != 1 || got.Grants[0].Role != access.Clerk {
			t.Errorf("clerk's roles changed: %+v", got.Grants)
		}
		// An ordinary edit of the auditor keeps the auditor role; adding
		// sysadmin to it is refused while merging is off.
		if code, body, _ := a.post(fmt.Sprintf("/admin/users/%d", auditor.ID), userForm(auditor, "member")); code != http.StatusSeeOther {
			t.Fatalf("edit auditor: %d %.300s", code, body)
		}
		got, _ = st.User(ctx, auditor.ID)
		if len(got.Grants) != 2 {
			t.Errorf("auditor's grants after edit: %+v", got.Grants)
		}
		code, body, _ = a.post(fmt.Sprintf("/admin/users/%d", auditor.ID), userForm(auditor, "member", "sysadmin"))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不能由同一账户兼任") {
			t.Fatalf("merge refused: %d", code)
		}
		// Installation settings: the unit's 安全保密管理员 reads them only.
		u := e.client()
		u.mustLogin("unitsec")
		if _, page := u.get("/admin/security"); !strings.Contains(page, "只有安装级安全保密管理员") || strings.Contains(page, `<button class="primary">保存</button>`) {
			t.Errorf("unit security admin's settings page offers saving")
		}
		if code, _, _ := u.post("/admin/security", securityForm(u.csrf(), "merge_admins", "1", "max_failures", "20")); code != http.StatusForbidden {
			t.Errorf("unit security admin saved installation settings: %d", code)
		}
		if sec, _ := st.SecuritySettings(ctx); sec.MaxFailures != 5 || sec.MergeAdmins {
			t.Errorf("settings changed: %+v", sec)
		}
		// The installation's turns merging on (shown, audited); then it works.
		i := e.client()
		i.mustLogin("installsec")
		if code, _, _ := i.post("/admin/security", securityForm(i.csrf(), "merge_admins", "1")); code != http.StatusSeeOther {
			t.Fatalf("installation security admin: %d", code)
		}
		if _, page := i.get("/admin/security"); !strings.Contains(page, "当前：<strong>允许兼任</strong>") {
			t.Error("merging not shown on the settings page")
		}
		var n int
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'settings.security' AND after_json LIKE '%"MergeAdmins":true%'`).Scan(&n)
		if n != 1 {
			t.Errorf("merging not audited: %d entries", n)
		}
		if code, body, _ := a.post(fmt.Sprintf("/admin/users/%d", auditor.ID), userForm(auditor, "member", "sysadmin")); code != http.StatusSeeOther {
			t.Errorf("merge allowed: %d %.300s", code, body)
		}
	})
}
