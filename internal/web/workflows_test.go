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
			"Ab1!x":        "密码：至少 8 位",
			"abcdefgh1234": "密码：须包含大写字母、小写字母、数字、其他符号中的至少三种",
			"Xinyuan-2023": "密码：不能包含登录名",
			"Password123":  "密码：是常见弱密码，容易被猜中，请换一个",
			"Qwertyuiop1":  "密码：是常见弱密码，容易被猜中，请换一个",
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

// newInfoDraft saves a clean draft as the logged-in information officer
// and returns its id.
func newInfoDraft(t *testing.T, c *client, title string) string {
	t.Helper()
	_, form := c.get("/info/new")
	m := regexp.MustCompile(`<select name="org" required><option value="(\d+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatal("no department on the form")
	}
	code, body, loc := c.post("/info", url.Values{"csrf": {c.csrf()}, "title": {title}, "org": {m[1]}, "category": {"工作动态"},
		"body": {"<p>我科组织学习会议精神。</p>"}, "then": {"save"}})
	dm := draftLocRE.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || dm == nil {
		t.Fatalf("create draft: %d %s %.300s", code, loc, body)
	}
	return dm[1]
}

// TestThreeProofreadersAndNoWithdrawOfDraft: issue 14 C3. One account
// recorded 第1校 and 第2校 and the page offered a 第4校.
func TestThreeProofreadersAndNoWithdrawOfDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		author := e.client()
		author.demoLogin("tangjing")
		// A draft never submitted offers no 撤回, and a forged one is refused.
		idle := newInfoDraft(t, author, "未提交的草稿")
		if _, page := author.get("/info/" + idle); strings.Contains(page, "/withdraw") || !strings.Contains(page, "删除") {
			t.Error("a never-submitted draft offers 撤回")
		}
		if code, body, _ := author.post("/info/"+idle+"/withdraw", url.Values{"csrf": {author.csrf()}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "草稿尚未提交，无需撤回") {
			t.Errorf("withdraw of a draft: %d", code)
		}

		id := newInfoDraft(t, author, "政策法规科组织学习")
		if code, body, _ := author.post("/info/"+id+"/submit", url.Values{"csrf": {author.csrf()}}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d %.300s", code, body)
		}
		// Self-review: the author can neither review nor proofread her draft.
		for _, action := range []string{"approve", "proof"} {
			code, body, _ := author.post("/info/"+id+"/review", url.Values{"csrf": {author.csrf()}, "action": {action}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不能审核本人撰写的信息") {
				t.Errorf("author's own %s: %d", action, code)
			}
		}
		users := map[string]*client{}
		for _, u := range []string{"zhuangan", "gaoyuan", "liuzhiqiang", "wangjianguo"} {
			users[u] = e.client()
			users[u].demoLogin(u)
		}
		review := func(u, action string) (int, string) {
			code, body, _ := users[u].post("/info/"+id+"/review", url.Values{"csrf": {users[u].csrf()}, "action": {action}, "comment": {"同意"}})
			return code, body
		}
		if code, _ := review("zhuangan", "approve"); code != http.StatusSeeOther {
			t.Fatalf("初审：%d", code)
		}
		if code, _ := review("gaoyuan", "approve"); code != http.StatusSeeOther {
			t.Fatalf("复审：%d", code)
		}
		if code, _ := review("zhuangan", "proof"); code != http.StatusSeeOther {
			t.Fatalf("第1校：%d", code)
		}
		code, body := review("zhuangan", "proof")
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "每一校须由不同人员完成") {
			t.Fatalf("second round by the same person: %d", code)
		}
		if _, page := users["zhuangan"].get("/info/" + id); !strings.Contains(page, "本单位设置：终审前须完成 3 次校对，每一校由不同人员完成。") {
			t.Error("the review page does not show the unit's 三校 setting")
		}
		if code, _ := review("gaoyuan", "proof"); code != http.StatusSeeOther {
			t.Fatalf("第2校：%d", code)
		}
		if code, _ := review("liuzhiqiang", "proof"); code != http.StatusSeeOther {
			t.Fatalf("第3校：%d", code)
		}
		_, page := users["wangjianguo"].get("/info/" + id)
		if strings.Contains(page, "第 4 校") || strings.Contains(page, `value="proof"`) {
			t.Error("the page offers a 第4校")
		}
		if code, body := review("wangjianguo", "proof"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "不再增加校次") {
			t.Errorf("第4校：%d", code)
		}
		if code, _ := review("wangjianguo", "approve"); code != http.StatusSeeOther {
			t.Fatalf("终审 after three proofreaders：%d", code)
		}
		var proofs int
		st.DB().QueryRowContext(context.Background(), `SELECT COUNT(DISTINCT user_id) FROM info_decisions WHERE draft_id = $1 AND action = 'proof'`, id).Scan(&proofs)
		if proofs != 3 {
			t.Errorf("%d different proofreaders recorded", proofs)
		}
	})
}

// TestRectVerifiedByNoneWhoWorkedOnIt: issue 14 C4 and the verification
// task of C5.
func TestRectVerifiedByNoneWhoWorkedOnIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedDistrict(t, st)
		clerk2 := org.User{OrgID: f.a.ID, Username: "clerka2", Name: "赵专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.a.ID}}}
		leader := org.User{OrgID: f.a.ID, Username: "leadera", Name: "钱书记", Grants: []access.Grant{{Role: access.FirstResp, OrgID: f.a.ID}}}
		for _, u := range []*org.User{&clerk2, &leader} {
			if err := svcOf(st).CreateUser(ctx, store.System, u, pw); err != nil {
				t.Fatal(err)
			}
		}
		ca, c2, ld := e.client(), e.client(), e.client()
		ca.mustLogin("clerka")
		c2.mustLogin("clerka2")
		ld.mustLogin("leadera")
		code, _, loc := ca.post("/supervise/rect", url.Values{"csrf": {ca.csrf()}, "unit": {fmt.Sprint(f.a.ID)}, "title": {"宣传栏内容陈旧"},
			"source": {"inspection"}, "owner": {fmt.Sprint(clerk2.ID)}, "deadline": {"2023-07-31"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		path := strings.SplitN(loc, "?", 2)[0]
		edit := func(c *client, owner int64, progress string) (int, string) {
			code, body, _ := c.post(path, url.Values{"csrf": {c.csrf()}, "title": {"宣传栏内容陈旧"}, "source": {"inspection"}, "org": {"0"},
				"owner": {fmt.Sprint(owner)}, "deadline": {"2023-07-31"}, "progress": {progress}})
			return code, body
		}
		// clerka reports progress: she has worked on it now.
		if code, _ := edit(ca, clerk2.ID, "已更换宣传栏内容"); code != http.StatusSeeOther {
			t.Fatalf("progress: %d", code)
		}
		// Progress alone is not evidence unless the unit relaxes the rule.
		code, body, _ := c2.post(path+"/step", url.Values{"csrf": {c2.csrf()}, "step": {"submit"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "提交验收前须上传整改佐证材料") {
			t.Fatalf("submit without evidence: %d", code)
		}
		if _, page := c2.get(path); !strings.Contains(page, "提交验收前须上传整改佐证材料（照片、文件、会议记录等）。") {
			t.Error("the item page does not show the evidence rule")
		}
		if code, _, _ := c2.postMultipart(path+"/files", url.Values{"csrf": {c2.csrf()}}, map[string][2]string{"files": {"照片说明.txt", "宣传栏已更新。"}}); code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}
		if code, _, _ := c2.post(path+"/step", url.Values{"csrf": {c2.csrf()}, "step": {"submit"}}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d", code)
		}
		// The owner, a writer of the unit, cannot hand the item to someone
		// else and then verify it; the owner stays.
		if code, body := edit(c2, f.clerkA.ID, "已更换宣传栏内容"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "事项已提交验收，不能更换责任人") {
			t.Errorf("owner changed in 待验收：%d", code)
		}
		for name, c := range map[string]*client{"owner": c2, "progress reporter": ca} {
			code, body, _ := c.post(path+"/step", url.Values{"csrf": {c.csrf()}, "step": {"verify"}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "整改责任人和参与整改、提交验收的人员不能验收该事项") {
				t.Errorf("%s verified: %d", name, code)
			}
		}
		// The leader has it on the 待办 page with the count in the top bar;
		// those who worked on it do not.
		_, tasks := ld.get("/tasks")
		if !strings.Contains(tasks, `href="`+path+`"`) || !strings.Contains(tasks, "整改验收") || !strings.Contains(tasks, `待办 <span class="count">1</span>`) {
			t.Errorf("leader's tasks: %.1500s", tasks)
		}
		if _, tasks := ca.get("/tasks"); strings.Contains(tasks, `href="`+path+`"`) {
			t.Error("the progress reporter is asked to verify")
		}
		if code, _, _ := ld.post(path+"/step", url.Values{"csrf": {ld.csrf()}, "step": {"verify"}, "note": {"已核实"}}); code != http.StatusSeeOther {
			t.Fatalf("leader verifies: %d", code)
		}
		if _, tasks := ld.get("/tasks"); strings.Contains(tasks, `href="`+path+`"`) {
			t.Error("a verified item is still a task")
		}
		// The unit relaxes the evidence rule, visibly; another unit cannot.
		cb := e.client()
		cb.mustLogin("clerkb")
		if code, _, _ := cb.post("/supervise/rect/settings", url.Values{"csrf": {cb.csrf()}, "unit": {fmt.Sprint(f.a.ID)}, "evidence_optional": {"1"}}); code != http.StatusNotFound {
			t.Errorf("another unit's clerk changed the setting: %d", code)
		}
		if code, _, _ := ca.post("/supervise/rect/settings", url.Values{"csrf": {ca.csrf()}, "unit": {fmt.Sprint(f.a.ID)}, "evidence_optional": {"1"}}); code != http.StatusSeeOther {
			t.Fatalf("relax: %d", code)
		}
		if _, list := ca.get(fmt.Sprintf("/supervise/rect?unit=%d", f.a.ID)); !strings.Contains(list, "本单位已放宽：提交验收时可只填写整改进展，不上传佐证材料。") {
			t.Error("the relaxed rule is not shown")
		}
		_, _, loc = ca.post("/supervise/rect", url.Values{"csrf": {ca.csrf()}, "unit": {fmt.Sprint(f.a.ID)}, "title": {"展板未更新"},
			"source": {"inspection"}, "owner": {fmt.Sprint(f.memberA.ID)}, "deadline": {"2023-07-31"}})
		path2 := strings.SplitN(loc, "?", 2)[0]
		m := e.client()
		m.mustLogin("membera")
		edit2 := url.Values{"csrf": {m.csrf()}, "title": {"展板未更新"}, "source": {"inspection"}, "owner": {fmt.Sprint(f.memberA.ID)}, "deadline": {"2023-07-31"}, "progress": {"展板已更新"}}
		if code, _, _ := m.post(path2, edit2); code != http.StatusSeeOther {
			t.Fatalf("owner's progress: %d", code)
		}
		if code, body, _ := m.post(path2+"/step", url.Values{"csrf": {m.csrf()}, "step": {"submit"}}); code != http.StatusSeeOther {
			t.Fatalf("submit with progress, relaxed: %d %.300s", code, body)
		}
	})
}

// TestReportLockedFiguresAndApprovalTask: issue 14 C2 and C5 for reports.
func TestReportLockedFiguresAndApprovalTask(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		info := loadDemo(t, st)
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		_, page := clerk.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H1&unit=%d", info.UnitID))
		form := editForm(t, page)
		form.Set("csrf", clerk.csrf())
		form.Set("action", "save")
		key := ""
		for k, v := range form {
			if strings.HasPrefix(k, "b") && strings.Contains(v[0], "【党组成员上党课】") {
				key = k
			}
		}
		if key == "" {
			t.Fatal("no paragraph with 【党组成员上党课】")
		}
		orig := form.Get(key)
		form.Set(key, strings.Replace(orig, "【党组成员上党课】", "10", 1))
		code, body, _ := clerk.post("/reports/save", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "数据项【党组成员上党课】不能删除或改写") || !strings.Contains(body, "“10次”是手写的数字") {
			t.Fatalf("hand-typed figure: %d %.500s", code, body)
		}
		if ds, _ := st.ReportDrafts(ctx, reportScope(t, st, "zhuangan"), info.UnitID); len(ds) != 0 {
			t.Fatal("a refused save left a draft")
		}
		form.Set(key, orig)
		code, _, loc := clerk.post("/reports/save", form)
		lm := locIDRE.FindStringSubmatch(loc)
		if code != http.StatusSeeOther || lm == nil {
			t.Fatalf("save: %d %q", code, loc)
		}
		id := lm[1]
		link := "/reports/" + id + "?v=1"
		// The 第一责任人 and 直接责任人 are told and have the task; the
		// author does not.
		for _, name := range []string{"wangjianguo", "liuzhiqiang"} {
			u, _ := st.UserByUsername(ctx, name)
			notes, _, err := st.Notifications(ctx, u.ID, 10)
			if err != nil || len(notes) == 0 || notes[0].Link != link || !strings.Contains(notes[0].Title, "待审批报告") {
				t.Errorf("%s's notifications: %+v %v", name, notes, err)
			}
		}
		leader := e.client()
		leader.demoLogin("wangjianguo")
		_, tasks := leader.get("/tasks")
		if !strings.Contains(tasks, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`) || !strings.Contains(tasks, "报告审批") {
			t.Errorf("leader's tasks lack the report: %.1500s", tasks)
		}
		if !regexp.MustCompile(`待办 <span class="count">\d+</span>`).MatchString(tasks) {
			t.Error("no task count in the top bar")
		}
		if _, own := clerk.get("/tasks"); strings.Contains(own, "报告审批") {
			t.Error("the author is asked to approve her own version")
		}
		if code, _, _ := leader.post("/reports/"+id+"/approve", url.Values{"csrf": {leader.csrf()}, "v": {"1"}}); code != http.StatusSeeOther {
			t.Fatalf("approve: %d", code)
		}
		if _, tasks := leader.get("/tasks"); strings.Contains(tasks, "报告审批") {
			t.Error("an approved version is still a task")
		}
		// Another unit's clerk sees none of it.
		f := seedTwoUnits(t, st)
		_ = f
		other := e.client()
		other.mustLogin("clerkb")
		if _, tasks := other.get("/tasks"); strings.Contains(tasks, "/reports/"+id) {
			t.Error("another unit sees the task")
		}
	})
}
