package sso_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"zhendi/internal/sso"
	"zhendi/internal/sso/ssotest"
)

func TestPlatforms(t *testing.T) {
	fake := ssotest.New("client-1", "s3cret")
	defer fake.Close()
	ctx := context.Background()
	c := sso.NewClient()
	providers := []sso.Provider{
		{Kind: sso.WeCom, ClientID: "client-1", AgentID: "1000002", Secret: "s3cret", AuthBase: fake.URL + "/wecom", APIBase: fake.URL + "/wecom"},
		{Kind: sso.DingTalk, ClientID: "client-1", Secret: "s3cret", AuthBase: fake.URL + "/ding", APIBase: fake.URL + "/ding"},
		{Kind: sso.OIDC, ClientID: "client-1", Secret: "s3cret", Issuer: fake.Issuer()},
	}
	for _, p := range providers {
		t.Run(string(p.Kind), func(t *testing.T) {
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			u, err := c.AuthURL(ctx, p, "https://zhendi.example/sso/1/callback", "state-1")
			if err != nil {
				t.Fatal(err)
			}
			pu, _ := url.Parse(strings.TrimSuffix(u, "#wechat_redirect"))
			if pu.Query().Get("state") != "state-1" || pu.Query().Get("redirect_uri") != "https://zhendi.example/sso/1/callback" {
				t.Errorf("auth url %s", u)
			}
			fake.Issue("code-1", ssotest.Person{Subject: "wangjianguo", Mobile: "13800000000", Name: "王建国"}, "state-1")
			id, err := c.Exchange(ctx, p, "https://zhendi.example/sso/1/callback", "code-1", "state-1")
			if err != nil || id.Subject != "wangjianguo" {
				t.Fatalf("exchange: %+v %v", id, err)
			}
			// A code is single-use: replaying it is refused.
			if _, err := c.Exchange(ctx, p, "https://zhendi.example/sso/1/callback", "code-1", "state-1"); !errors.Is(err, sso.ErrRefused) {
				t.Errorf("replayed code: %v", err)
			}
			if _, err := c.Exchange(ctx, p, "https://zhendi.example/sso/1/callback", "", "state-1"); !errors.Is(err, sso.ErrRefused) {
				t.Errorf("no code: %v", err)
			}
		})
	}
	// An OIDC token issued for another login attempt (nonce) is refused.
	p := providers[2]
	fake.Issue("code-2", ssotest.Person{Subject: "x"}, "other-state")
	if _, err := c.Exchange(ctx, p, "https://zhendi.example/cb", "code-2", "state-1"); !errors.Is(err, sso.ErrRefused) {
		t.Errorf("nonce mismatch: %v", err)
	}
	// A wrong secret is an error to the administrator, not a refusal of the person.
	w := providers[0]
	w.Secret = "wrong"
	fake.Issue("code-3", ssotest.Person{Subject: "x"}, "")
	if _, err := c.Exchange(ctx, w, "https://zhendi.example/cb", "code-3", ""); err == nil || errors.Is(err, sso.ErrRefused) {
		t.Errorf("wrong secret: %v", err)
	}
}

func TestValidate(t *testing.T) {
	p := sso.Provider{Kind: sso.WeCom, ClientID: "ww1", Secret: "x"}
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "应用 AgentId：不能为空") {
		t.Errorf("%v", err)
	}
	p.AgentID = "1"
	if err := p.Validate(); err != nil || p.APIBase != "https://qyapi.weixin.qq.com" || p.Name != "企业微信" {
		t.Errorf("%v %+v", err, p)
	}
	o := sso.Provider{Kind: sso.OIDC, ClientID: "c", Secret: "s", Issuer: "ftp://x"}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "Issuer 地址") {
		t.Errorf("%v", err)
	}
}
