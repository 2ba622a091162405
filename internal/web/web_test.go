package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/web"
)

const pw = "Kx7m-Lp2q9"

// env is a running server on a real store.
type env struct {
	t   *testing.T
	st  *store.Store
	srv *httptest.Server
	now time.Time
}

func newEnv(t *testing.T, st *store.Store) *env {
	t.Helper()
	e := &env{t: t, st: st, now: time.Date(2023, 7, 5, 10, 0, 0, 0, cntime.Zone)}
	st.Now = func() time.Time { return e.now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, log), log)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetClock(func() time.Time { return e.now })
	e.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// svcOf is a service on st for setting up tests: accounts and entries
// are created through the use cases (the store takes password hashes only).
func svcOf(st *store.Store) *service.Service { return service.New(st, service.Config{}, nil) }

// twoUnits creates units A and B with a clerk each and a member in A.
type twoUnits struct {
	unitA, unitB, deptA     org.Node
	clerkA, clerkB, memberA org.User
}

func seedTwoUnits(t *testing.T, st *store.Store) twoUnits {
	t.Helper()
	ctx := context.Background()
	var f twoUnits
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.unitA = org.Node{Kind: org.Unit, Name: "甲局"}
	must(st.CreateNode(ctx, store.System, &f.unitA))
	f.unitB = org.Node{Kind: org.Unit, Name: "乙局"}
	must(st.CreateNode(ctx, store.System, &f.unitB))
	f.deptA = org.Node{Kind: org.Department, Name: "办公室", ParentID: f.unitA.ID}
	must(st.CreateNode(ctx, store.System, &f.deptA))
	f.clerkA = org.User{OrgID: f.deptA.ID, Username: "clerka", Name: "张专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.unitA.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.clerkA, pw))
	f.memberA = org.User{OrgID: f.deptA.ID, Username: "membera", Name: "王党员", Grants: []access.Grant{{Role: access.Member, OrgID: f.unitA.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.memberA, pw))
	f.clerkB = org.User{OrgID: f.unitB.ID, Username: "clerkb", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.unitB.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.clerkB, pw))
	return f
}

// client is one browser.
type client struct {
	e  *env
	hc *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) (int, string) {
	c.e.t.Helper()
	resp, err := c.hc.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// csrf reads the token from a page the client can see.
func (c *client) csrf() string {
	c.e.t.Helper()
	_, body := c.get("/password")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		c.e.t.Fatalf("no csrf token on page: %.300s", body)
	}
	return m[1]
}

func (c *client) post(path string, form url.Values) (int, string, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.e.srv.URL)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// postBroken posts a URL-encoded body that cannot be parsed (the token in
// the header, as scripts send it) and reports whether the server refused it
// with 400 “表单过大或格式错误”.
func (c *client) postBroken(path, body string) bool {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.e.srv.URL)
	req.Header.Set("X-CSRF-Token", c.csrf())
	resp, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == http.StatusBadRequest && strings.Contains(string(b), "表单过大或格式错误")
}

func (c *client) postMultipart(path string, fields url.Values, files map[string][2]string) (int, string, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, f := range files {
		w, _ := mw.CreateFormFile(field, f[0])
		w.Write([]byte(f[1]))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.e.srv.URL)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func (c *client) login(username, password string) (int, string) {
	c.e.t.Helper()
	_, page := c.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		c.e.t.Fatal("login page has no csrf token")
	}
	code, body, _ := c.post("/login", url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}, "next": {"/"}})
	return code, body
}

func (c *client) mustLogin(username string) {
	c.e.t.Helper()
	if code, body := c.login(username, pw); code != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: %d %.300s", username, code, body)
	}
}

func TestLoginLockoutLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		c := e.client()
		if code, _ := c.get("/"); code != http.StatusSeeOther {
			t.Fatalf("anonymous home: %d, want redirect to login", code)
		}
		code, body := c.login("clerka", "wrong-password1")
		if code != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
			t.Fatalf("wrong password: %d %.200s", code, body)
		}
		for range 3 {
			c.login("clerka", "wrong-password1")
		}
		code, body = c.login("clerka", "wrong-password1") // fifth failure locks
		if !strings.Contains(body, "已锁定") {
			t.Fatalf("no lockout after 5 failures: %d %.300s", code, body)
		}
		// Even the right password is refused while locked.
		code, body = c.login("clerka", pw)
		if code != http.StatusForbidden || !strings.Contains(body, "锁定") {
			t.Fatalf("locked account logged in: %d", code)
		}
		// After the lock period the right password works.
		e.now = e.now.Add(16 * time.Minute)
		c.mustLogin("clerka")
		code, body = c.get("/")
		if code != 200 || !strings.Contains(body, "张专干") {
			t.Fatalf("home after login: %d", code)
		}
		// Idle timeout ends the session.
		e.now = e.now.Add(31 * time.Minute)
		if code, _ := c.get("/"); code != http.StatusSeeOther {
			t.Fatalf("idle session still valid: %d", code)
		}
		c.mustLogin("clerka")
		code, _, loc := c.post("/logout", url.Values{"csrf": {c.csrf()}})
		if code != http.StatusSeeOther || loc != "/login" {
			t.Fatalf("logout: %d %s", code, loc)
		}
		if code, _ := c.get("/ledger"); code != http.StatusSeeOther {
			t.Fatalf("ledger after logout: %d", code)
		}
		// Every attempt is in the audit log, and the chain holds.
		entries, err := st.ListAudit(context.Background(), store.AuditFilter{OrgIDs: []int64{f.unitA.ID}, Action: "auth.login_failed", Limit: 50})
		if err != nil || len(entries) != 5 {
			t.Fatalf("audit has %d failed logins: %v", len(entries), err)
		}
		if _, err := st.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestStateChangeWithoutCSRFRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		form := url.Values{"type": {ledger.CentralGroup}, "title": {"无令牌的请求"}, "date": {"2023-07-01"}}
		code, body, _ := c.post("/ledger", form)
		if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Fatalf("POST without token: %d", code)
		}
		form.Set("csrf", "forged-token")
		if code, _, _ := c.post("/ledger", form); code != http.StatusForbidden {
			t.Fatalf("POST with forged token: %d", code)
		}
		// A login form posted without its cookie token is refused too.
		anon := e.client()
		code, _, _ = anon.post("/login", url.Values{"username": {"clerka"}, "password": {pw}})
		if code != http.StatusForbidden {
			t.Fatalf("login without token: %d", code)
		}
		n, _ := st.CountActivities(context.Background(), access.Scope{ReadUnits: []int64{1, 2}}, ledger.Filter{})
		if n != 0 {
			t.Fatalf("refused requests created %d activities", n)
		}
		form.Set("csrf", c.csrf())
		if code, body, _ := c.post("/ledger", form); code != http.StatusSeeOther {
			t.Fatalf("POST with token: %d %.500s", code, body)
		}
	})
}

func TestOtherUnitsActivityIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		a, b := e.client(), e.client()
		a.mustLogin("clerka")
		b.mustLogin("clerkb")
		code, _, loc := a.post("/ledger", url.Values{"csrf": {a.csrf()}, "type": {ledger.CentralGroup}, "title": {"甲局中心组学习"},
			"date": {"2023-06-01"}, "org": {strconv.FormatInt(f.unitA.ID, 10)}, "late_reason": {"纸质记录补录"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/ledger/")
		token := b.csrf()
		for _, path := range []string{"/ledger/" + id, "/ledger/" + id + "/edit", "/ledger/" + id + "/print"} {
			if code, body := b.get(path); code != http.StatusNotFound || strings.Contains(body, "甲局中心组学习") {
				t.Errorf("GET %s as unit B: %d", path, code)
			}
		}
		for _, path := range []string{"/ledger/" + id, "/ledger/" + id + "/delete"} {
			code, _, _ := b.post(path, url.Values{"csrf": {token}, "title": {"乙局篡改"}, "date": {"2023-06-01"}, "type": {ledger.CentralGroup}})
			if code != http.StatusNotFound {
				t.Errorf("POST %s as unit B: %d", path, code)
			}
		}
		_, body := a.get("/ledger/" + id)
		if !strings.Contains(body, "甲局中心组学习") || strings.Contains(body, "已删除") {
			t.Fatalf("unit A's record changed: %.300s", body)
		}
		// Unit B's ledger and search do not show it either.
		if _, body := b.get("/ledger?q=" + url.QueryEscape("甲局")); strings.Contains(body, "甲局中心组学习") {
			t.Fatal("unit B's search shows unit A's record")
		}
		// A party member sees only records they take part in.
		m := e.client()
		m.mustLogin("membera")
		if code, _ := m.get("/ledger/" + id); code != http.StatusNotFound {
			t.Errorf("member reads a record they did not attend: %d", code)
		}
	})
}

// TestRecordSearchAttachExport is the clerk's story: record a 中心组学习 with
// attendees, absentees, minutes and a PDF, find it by two characters, and
// export the ledger to Excel.
func TestRecordSearchAttachExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		code, page := c.get("/ledger/new?type=central_group")
		if code != 200 || !strings.Contains(page, "王党员") || !strings.Contains(page, "中心发言") {
			t.Fatalf("form: %d", code)
		}
		cid, mid := strconv.FormatInt(f.clerkA.ID, 10), strconv.FormatInt(f.memberA.ID, 10)
		fields := url.Values{"csrf": {c.csrf()}, "type": {ledger.CentralGroup}, "title": {"深入学习贯彻宣传工作条例"},
			"date": {"2023-06-20"}, "late_reason": {"纸质记录补录"}, "org": {strconv.FormatInt(f.unitA.ID, 10)}, "lead_id": {cid}, "content": {"会议传达学习了条例全文。"},
			"topics": {"tiaoli"}, "att_" + cid: {"present"}, "spk_" + cid: {"1"}, "att_" + mid: {"absent"}}
		// An absentee without a reason is refused, with the field named, and nothing is saved.
		code, body, _ := c.postMultipart("/ledger", fields, nil)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "王党员 缺席，须填写原因") {
			t.Fatalf("missing reason: %d %.400s", code, body)
		}
		fields.Set("reason_"+mid, "出差")
		// A file that claims to be a PDF but is not is refused.
		code, body, _ = c.postMultipart("/ledger", fields, map[string][2]string{"files": {"纪要.pdf", "<html>not a pdf</html>"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "与扩展名") {
			t.Fatalf("fake pdf: %d", code)
		}
		pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
		code, _, loc := c.postMultipart("/ledger", fields, map[string][2]string{"files": {"会议纪要.pdf", pdf}})
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		_, show := c.get(loc)
		for _, want := range []string{"深入学习贯彻宣传工作条例", "2023年6月20日", "出差", "会议纪要.pdf", "中心发言", "出席 1 人，缺席 1 人", "修改记录", "登记台账", "上传附件"} {
			if !strings.Contains(show, want) {
				t.Errorf("detail page lacks %q", want)
			}
		}
		m := regexp.MustCompile(`href="(/ledger/\d+/files/\d+)"`).FindStringSubmatch(show)
		if m == nil {
			t.Fatal("no attachment link")
		}
		if code, got := c.get(m[1]); code != 200 || got != pdf {
			t.Fatalf("download: %d %q", code, got)
		}
		// Two characters of the topic find it.
		_, list := c.get("/ledger?q=" + url.QueryEscape("条例"))
		if !strings.Contains(list, "深入学习贯彻宣传工作条例") || !strings.Contains(list, "共 1 条") {
			t.Fatalf("2-character search did not find the entry")
		}
		_, list = c.get("/ledger?q=" + url.QueryEscape("乡村"))
		if strings.Contains(list, "深入学习贯彻宣传工作条例") {
			t.Fatal("search for another word found the entry")
		}
		// Excel export of the filtered view.
		resp, err := c.hc.Get(e.srv.URL + "/ledger/export.xlsx?from=2023-01-01&to=2023-06-30")
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.HasPrefix(x, []byte("PK")) {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		rows := readXLSXRows(t, x)
		found := false
		for _, r := range rows {
			if strings.Contains(strings.Join(r, "|"), "深入学习贯彻宣传工作条例") && strings.Contains(strings.Join(r, "|"), "王党员（出差）") {
				found = true
			}
		}
		if !found {
			t.Fatalf("export lacks the entry: %v", rows)
		}
		// Delete, find it in the recycle bin, restore.
		id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/ledger/")
		if code, _, _ := c.post("/ledger/"+id+"/delete", url.Values{"csrf": {c.csrf()}}); code != http.StatusSeeOther {
			t.Fatal("delete failed")
		}
		if _, list := c.get("/ledger?deleted=1"); !strings.Contains(list, "深入学习贯彻宣传工作条例") {
			t.Fatal("not in recycle bin")
		}
		if code, _, _ := c.post("/ledger/"+id+"/restore", url.Values{"csrf": {c.csrf()}}); code != http.StatusSeeOther {
			t.Fatal("restore failed")
		}
		if _, list := c.get("/ledger"); !strings.Contains(list, "深入学习贯彻宣传工作条例") {
			t.Fatal("restored entry not listed")
		}
	})
}

func TestMain(m *testing.M) {
	m.Run()
}

var _ = fmt.Sprint
