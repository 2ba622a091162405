package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/sso/ssotest"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestSignOnWithPlatforms: a 企业微信 and an OpenID Connect platform,
// served locally by ssotest (the real ones cannot be reached here),
// configured by the installation's 安全保密管理员; an unbound account is
// refused with its platform id, an administrator of the person's unit
// binds it (another unit's cannot), then the person signs on. A forged
// state and a replayed code are refused.
func TestSignOnWithPlatforms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		fake := ssotest.New("ww-corp", "corp-secret")
		defer fake.Close()
		district := org.Node{Kind: org.District, Name: "示范区"}
		if err := st.CreateNode(ctx, store.System, &district); err != nil {
			t.Fatal(err)
		}
		for _, u := range []org.User{
			{OrgID: f.unitA.ID, Username: "adminA", Name: "甲局管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitA.ID}}},
			{OrgID: f.unitB.ID, Username: "adminB", Name: "乙局管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitB.ID}}},
			{OrgID: f.unitA.ID, Username: "installsec", Name: "保密员", Grants: []access.Grant{{Role: access.SecAdmin, OrgID: district.ID}}},
		} {
			if err := svcOf(st).CreateUser(ctx, store.System, &u, pw); err != nil {
				t.Fatal(err)
			}
		}
		sec := e.client()
		sec.mustLogin("installsec")
		tok := sec.csrf()
		// A missing AgentId is shown beside the form.
		code, body, _ := sec.post("/admin/sso", url.Values{"csrf": {tok}, "kind": {"wecom"}, "client_id": {"ww-corp"}, "secret": {"corp-secret"}, "enabled": {"1"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "应用 AgentId：不能为空") {
			t.Fatalf("wecom without agent id: %d %s", code, pageMessage(body))
		}
		save := func(v url.Values) {
			t.Helper()
			v.Set("csrf", tok)
			v.Set("enabled", "1")
			if code, body, _ := sec.post("/admin/sso", v); code != http.StatusSeeOther {
				t.Fatalf("save platform: %d %s", code, pageMessage(body))
			}
		}
		save(url.Values{"kind": {"wecom"}, "name": {"政务微信"}, "client_id": {"ww-corp"}, "agent_id": {"1000002"}, "secret": {"corp-secret"},
			"auth_base": {fake.URL + "/wecom"}, "api_base": {fake.URL + "/wecom"}})
		save(url.Values{"kind": {"oidc"}, "name": {"统一身份认证"}, "client_id": {"ww-corp"}, "secret": {"corp-secret"}, "issuer": {fake.Issuer()}})
		_, page := sec.get("/admin/sso")
		if strings.Contains(page, "corp-secret") {
			t.Error("the settings page shows a secret")
		}
		wecom := one(t, st, "SELECT id FROM sso_providers WHERE kind = 'wecom'")[0]
		oidcID := one(t, st, "SELECT id FROM sso_providers WHERE kind = 'oidc'")[0]

		anon := e.client()
		_, login := anon.get("/login")
		if !strings.Contains(login, "政务微信登录") || !strings.Contains(login, "统一身份认证登录") {
			t.Fatal("the login page has no sign-on buttons")
		}
		// signOn goes to the platform, lets person sign on there, and comes back.
		signOn := func(pid string, person string) (int, string, string) {
			t.Helper()
			code, _, loc := anon.getFull("/sso/" + pid + "/start?next=/m")
			if code != http.StatusSeeOther {
				t.Fatalf("start: %d", code)
			}
			u, _ := url.Parse(strings.TrimSuffix(loc, "#wechat_redirect"))
			state := u.Query().Get("state")
			fake.Issue("code-"+person+state, ssotest.Person{Subject: person}, state)
			return anon.getFull("/sso/" + pid + "/callback?" + url.Values{"code": {"code-" + person + state}, "state": {state}}.Encode())
		}
		code, body, _ = signOn(wecom, "wangdangyuan")
		if code != http.StatusUnauthorized || !strings.Contains(body, "您的企业微信账号（wangdangyuan）尚未绑定本系统账号") {
			t.Fatalf("unbound account: %d %s", code, pageMessage(body))
		}
		if n := one(t, st, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.sso_unbound'")[0]; n != "1" {
			t.Errorf("unbound attempts logged: %s", n)
		}
		// Another unit's administrator cannot bind a person of unit A.
		b := e.client()
		b.mustLogin("adminB")
		if code, _, _ := b.post(fmt.Sprintf("/admin/users/%d/sso", f.memberA.ID), url.Values{"csrf": {b.csrf()}, "sso_" + wecom: {"wangdangyuan"}}); code != http.StatusNotFound {
			t.Errorf("another unit's admin binding: %d, want 404", code)
		}
		a := e.client()
		a.mustLogin("adminA")
		if code, body, _ := a.post(fmt.Sprintf("/admin/users/%d/sso", f.memberA.ID), url.Values{"csrf": {a.csrf()}, "sso_" + wecom: {"wangdangyuan"}, "sso_" + oidcID: {"330102-0001"}}); code != http.StatusSeeOther {
			t.Fatalf("bind: %d %s", code, pageMessage(body))
		}
		// The same platform account cannot be bound to a second person.
		if code, body, _ := a.post(fmt.Sprintf("/admin/users/%d/sso", f.clerkA.ID), url.Values{"csrf": {a.csrf()}, "sso_" + wecom: {"wangdangyuan"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "已绑定其他用户") {
			t.Errorf("second binding: %d %s", code, pageMessage(body))
		}
		for _, pid := range []string{wecom, oidcID} {
			person := map[string]string{wecom: "wangdangyuan", oidcID: "330102-0001"}[pid]
			code, body, loc := signOn(pid, person)
			if code != http.StatusSeeOther || loc != "/m" {
				t.Fatalf("sign on with %s: %d %s %s", pid, code, pageMessage(body), loc)
			}
			if code, page := anon.get("/m"); code != http.StatusOK || !strings.Contains(page, "王党员") {
				t.Errorf("after sign-on the phone page is %d", code)
			}
			anon = e.client()
		}
		// A callback without this browser's state, and a replayed code.
		code, _, loc := anon.getFull("/sso/" + wecom + "/start")
		if code != http.StatusSeeOther {
			t.Fatalf("start: %d", code)
		}
		u, _ := url.Parse(strings.TrimSuffix(loc, "#wechat_redirect"))
		state := u.Query().Get("state")
		if code, _, _ := e.client().getFull("/sso/" + wecom + "/callback?state=" + state + "&code=x"); code != http.StatusForbidden {
			t.Errorf("callback in another browser: %d, want 403", code)
		}
		fake.Issue("once", ssotest.Person{Subject: "wangdangyuan"}, state)
		if code, _, _ := anon.getFull("/sso/" + wecom + "/callback?state=" + state + "&code=once"); code != http.StatusSeeOther {
			t.Errorf("first use of the code: %d", code)
		}
		if code, _, loc = anon.getFull("/sso/" + wecom + "/start"); code != http.StatusSeeOther {
			t.Fatalf("second start: %d", code)
		}
		u, _ = url.Parse(strings.TrimSuffix(loc, "#wechat_redirect"))
		if code, body, _ := anon.getFull("/sso/" + wecom + "/callback?state=" + u.Query().Get("state") + "&code=once"); code != http.StatusUnauthorized || !strings.Contains(body, "平台未确认您的身份") {
			t.Errorf("replayed code: %d %s", code, pageMessage(body))
		}
	})
}

// getFull is get with the redirect target.
func (c *client) getFull(path string) (int, string, string) {
	c.e.t.Helper()
	resp, err := c.hc.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b := new(strings.Builder)
	_, _ = io.Copy(b, resp.Body)
	return resp.StatusCode, b.String(), resp.Header.Get("Location")
}
