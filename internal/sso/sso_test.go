package sso_test

import (
	"context"
	"errors"
	"fmt"
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
		{Kind: sso.DingTalk, ClientID: "client-1", Secret: "s3cret", AuthBase: fake.URL + "/ding", APIBase: fake.URL + "/ding", MsgBase: fake.URL + "/ding"},
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
			fake.Issue("code-1", ssotest.Person{Subject: "wangjianguo", Mobile: "13800000000", Name: "王建国", UserID: "0281"}, "state-1")
			id, err := c.Exchange(ctx, p, "https://zhendi.example/sso/1/callback", "code-1", "state-1")
			if err != nil || id.Subject != "wangjianguo" || id.Mobile != "13800000000" {
				t.Fatalf("exchange: %+v %v", id, err)
			}
			// The id messages go to: the WeCom userid itself, the DingTalk
			// member's userid looked up from the unionId, none for OIDC.
			want := map[sso.Kind]string{sso.WeCom: "wangjianguo", sso.DingTalk: "0281", sso.OIDC: ""}[p.Kind]
			if id.UserID != want {
				t.Errorf("userid %q, want %q", id.UserID, want)
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

// An OIDC phone number the platform has not verified binds nothing; a
// DingTalk account outside the organisation signs on with no userid.
func TestUnverifiedAndOutside(t *testing.T) {
	fake := ssotest.New("client-1", "s3cret")
	defer fake.Close()
	ctx := context.Background()
	c := sso.NewClient()
	d := sso.Provider{Kind: sso.DingTalk, ClientID: "client-1", Secret: "s3cret", AgentID: "77", AuthBase: fake.URL + "/ding", APIBase: fake.URL + "/ding", MsgBase: fake.URL + "/ding"}
	fake.Issue("c1", ssotest.Person{Subject: "union-x", Mobile: "13900000000"}, "")
	id, err := c.Exchange(ctx, d, "https://z/cb", "c1", "")
	if err != nil || id.Subject != "union-x" || id.UserID != "" || id.Mobile != "13900000000" {
		t.Errorf("outside contact: %+v %v", id, err)
	}
	o := sso.Provider{Kind: sso.OIDC, ClientID: "client-1", Secret: "s3cret", Issuer: fake.Issuer()}
	fake.Issue("c2", ssotest.Person{Subject: "s", Mobile: ""}, "st")
	if id, err := c.Exchange(ctx, o, "https://z/cb", "c2", "st"); err != nil || id.Mobile != "" {
		t.Errorf("oidc without phone: %+v %v", id, err)
	}
}

// Personal messages: a token is fetched once and reused, fetched again
// when the platform says it expired, the message reaches the userids,
// WeCom reports the ones it could not reach, and DingTalk's 100-a-call
// limit is kept.
func TestMessages(t *testing.T) {
	fake := ssotest.New("client-1", "s3cret")
	defer fake.Close()
	ctx := context.Background()
	c := sso.NewClient()
	w := sso.Provider{Kind: sso.WeCom, ClientID: "client-1", AgentID: "1000002", Secret: "s3cret", APIBase: fake.URL + "/wecom"}
	d := sso.Provider{Kind: sso.DingTalk, ClientID: "client-1", AgentID: "3001", Secret: "s3cret", APIBase: fake.URL + "/ding", MsgBase: fake.URL + "/ding"}
	m := sso.Message{Title: "会议通知：中心组学习", Body: "7月6日09:00，三楼会议室", Link: "https://zhendi.example/m/meetings/1"}
	fake.Outside["left"] = true
	bad, err := c.Send(ctx, w, []string{"wangjianguo", "left"}, m)
	if err != nil || len(bad) != 1 || bad[0] != "left" {
		t.Fatalf("wecom send: %v %v", bad, err)
	}
	if _, err := c.Send(ctx, w, []string{"lina"}, m); err != nil {
		t.Fatal(err)
	}
	if n := fake.TokensIssued(); n != 1 {
		t.Errorf("tokens fetched %d times for two messages, want once", n)
	}
	fake.ExpireToken()
	if _, err := c.Send(ctx, w, []string{"lina"}, m); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := fake.TokensIssued(); n != 2 {
		t.Errorf("tokens fetched %d times, want 2 (refreshed after expiry)", n)
	}
	many := make([]string, 150)
	for i := range many {
		many[i] = fmt.Sprintf("u%03d", i)
	}
	if _, err := c.Send(ctx, d, many, m); err != nil {
		t.Fatalf("dingtalk send: %v", err)
	}
	sent := fake.Sent()
	if len(sent) != 5 {
		t.Fatalf("sent %d calls: %+v", len(sent), sent)
	}
	if s := sent[0]; s.Platform != "wecom" || s.AgentID != 1000002 || strings.Join(s.To, ",") != "wangjianguo" ||
		s.Content != "会议通知：中心组学习\n7月6日09:00，三楼会议室\nhttps://zhendi.example/m/meetings/1" {
		t.Errorf("wecom message %+v", s)
	}
	if s := sent[3]; s.Platform != "dingtalk" || s.AgentID != 3001 || len(s.To) != 100 || len(sent[4].To) != 50 {
		t.Errorf("dingtalk batches %d and %d, agent %d", len(s.To), len(sent[4].To), s.AgentID)
	}
	// A wrong secret is an error for the delivery log to retry, not a silent success.
	w.Secret = "wrong"
	if _, err := sso.NewClient().Send(ctx, w, []string{"x"}, m); err == nil {
		t.Error("send with a wrong secret succeeded")
	}
	// A DingTalk application without an AgentId sends nothing.
	d.AgentID = ""
	if _, err := c.Send(ctx, d, []string{"x"}, m); err == nil {
		t.Error("dingtalk without agent id sent")
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
	p.AgentID = "abc"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "应用 AgentId：应为数字") {
		t.Errorf("%v", err)
	}
	d := sso.Provider{Kind: sso.DingTalk, ClientID: "k", Secret: "s"}
	if err := d.Validate(); err != nil || d.MsgBase != "https://oapi.dingtalk.com" || d.CanMessage() {
		t.Errorf("%v %+v", err, d)
	}
	o := sso.Provider{Kind: sso.OIDC, ClientID: "c", Secret: "s", Issuer: "ftp://x"}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "Issuer 地址") {
		t.Errorf("%v", err)
	}
}
