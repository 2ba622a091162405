// Package sso signs people on through the platforms they already use at
// work (issue 22, part 7): 企业微信 (WeCom) and 钉钉 (DingTalk) web
// authorisation, including private government deployments (政务微信,
// 浙政钉) whose addresses differ, and generic OpenID Connect for provinces'
// 统一身份认证 platforms (through github.com/coreos/go-oidc). Local
// passwords remain; a platform account signs on only once an administrator
// has bound it to a zhendi account.
//
// The package talks to the platform and nothing else: it builds the
// authorisation address and turns the code the platform returns into an
// Identity. Endpoints, as documented by each platform:
//
//   - WeCom: {auth}/connect/oauth2/authorize (snsapi_base), then
//     {api}/cgi-bin/gettoken?corpid&corpsecret and
//     {api}/cgi-bin/auth/getuserinfo?access_token&code → userid.
//   - DingTalk: {auth}/oauth2/auth (scope openid), then
//     POST {api}/v1.0/oauth2/userAccessToken and
//     GET {api}/v1.0/contact/users/me (header x-acs-dingtalk-access-token)
//     → unionId, mobile.
//   - OIDC: discovery at {issuer}/.well-known/openid-configuration, code
//     flow, ID token verified (signature, issuer, audience, expiry, nonce).
package sso

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"zhendi/internal/apperr"
)

// Kind is a platform.
type Kind string

// Platforms.
const (
	WeCom    Kind = "wecom"
	DingTalk Kind = "dingtalk"
	OIDC     Kind = "oidc"
)

// Label names a platform in Chinese.
func (k Kind) Label() string {
	switch k {
	case WeCom:
		return "企业微信"
	case DingTalk:
		return "钉钉"
	case OIDC:
		return "统一身份认证（OpenID Connect）"
	}
	return string(k)
}

// Provider is one configured platform. ClientID is the WeCom corp id, the
// DingTalk app key (client id) or the OIDC client id; AgentID is WeCom's
// application id; AuthBase and APIBase replace the public addresses for
// private deployments; Issuer is the OIDC issuer URL.
type Provider struct {
	ID       int64
	Kind     Kind
	Name     string // shown on the login button
	ClientID string
	AgentID  string
	Secret   string
	AuthBase string
	APIBase  string
	Issuer   string
	Enabled  bool
	// MsgBase is DingTalk's server API (oapi): the app token, the unionId
	// → userid look-up and work notices. Unused for the other platforms.
	MsgBase string
	// BindUnitID is the unit whose people the platform binds by mobile
	// number on first sign-on (0: only an administrator binds).
	BindUnitID int64
}

// CanMessage reports whether the platform can send personal messages:
// WeCom always (its application id is required), DingTalk when its
// AgentId is set, OIDC never.
func (p Provider) CanMessage() bool {
	return (p.Kind == WeCom || p.Kind == DingTalk) && p.AgentID != ""
}

// Public addresses used when a provider leaves AuthBase/APIBase empty.
var defaults = map[Kind][3]string{
	WeCom:    {"https://open.weixin.qq.com", "https://qyapi.weixin.qq.com", ""},
	DingTalk: {"https://login.dingtalk.com", "https://api.dingtalk.com", "https://oapi.dingtalk.com"},
}

// Validate checks a provider's settings and fills the default addresses.
func (p *Provider) Validate() error {
	p.Name, p.ClientID, p.AgentID = strings.TrimSpace(p.Name), strings.TrimSpace(p.ClientID), strings.TrimSpace(p.AgentID)
	p.AuthBase, p.APIBase, p.Issuer = strings.TrimRight(strings.TrimSpace(p.AuthBase), "/"), strings.TrimRight(strings.TrimSpace(p.APIBase), "/"), strings.TrimRight(strings.TrimSpace(p.Issuer), "/")
	p.MsgBase = strings.TrimRight(strings.TrimSpace(p.MsgBase), "/")
	var errs apperr.Errors
	switch p.Kind {
	case WeCom, DingTalk, OIDC:
	default:
		return apperr.Field("平台", "不是已知的登录平台")
	}
	if p.Name == "" {
		p.Name = p.Kind.Label()
	}
	if p.ClientID == "" {
		errs = append(errs, apperr.Field(clientLabel(p.Kind), "不能为空"))
	}
	if p.Secret == "" {
		errs = append(errs, apperr.Field("密钥", "不能为空"))
	}
	if p.Kind == WeCom && p.AgentID == "" {
		errs = append(errs, apperr.Field("应用 AgentId", "不能为空"))
	}
	// Both platforms take the application id as a number in their message APIs.
	if p.AgentID != "" && p.Kind != OIDC {
		if _, err := strconv.ParseInt(p.AgentID, 10, 64); err != nil {
			errs = append(errs, apperr.Field("应用 AgentId", "应为数字"))
		}
	}
	if p.Kind == OIDC {
		if !httpURL(p.Issuer) {
			errs = append(errs, apperr.Field("Issuer 地址", "应为 http:// 或 https:// 开头的地址"))
		}
	} else {
		d := defaults[p.Kind]
		if p.AuthBase == "" {
			p.AuthBase = d[0]
		}
		if p.APIBase == "" {
			p.APIBase = d[1]
		}
		if !httpURL(p.AuthBase) {
			errs = append(errs, apperr.Field("授权地址", "应为 http:// 或 https:// 开头的地址"))
		}
		if !httpURL(p.APIBase) {
			errs = append(errs, apperr.Field("接口地址", "应为 http:// 或 https:// 开头的地址"))
		}
		if p.Kind == DingTalk {
			if p.MsgBase == "" {
				p.MsgBase = d[2]
			}
			if !httpURL(p.MsgBase) {
				errs = append(errs, apperr.Field("消息接口地址", "应为 http:// 或 https:// 开头的地址"))
			}
		} else {
			p.MsgBase = ""
		}
	}
	if p.Kind == OIDC {
		p.MsgBase = ""
	}
	return errs.OrNil()
}

func clientLabel(k Kind) string {
	switch k {
	case WeCom:
		return "企业 ID（CorpID）"
	case DingTalk:
		return "应用 AppKey（Client ID）"
	}
	return "Client ID"
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Identity is who the platform says signed on: Subject is the WeCom
// userid, the DingTalk unionId or the OIDC sub; UserID is the id personal
// messages are addressed to (the WeCom userid, the DingTalk userid of the
// organisation's member, "" when there is none); Mobile is the mobile
// number the platform vouches for ("" when it gives none or an
// unverified one), Name when the platform gives it.
type Identity struct {
	Subject string
	UserID  string
	Mobile  string
	Name    string
}

// ErrRefused is returned when the platform refuses the code or does not
// name a member (an outside WeChat user, a cancelled consent).
var ErrRefused = apperr.Field("登录", "平台未确认您的身份，请重新扫码或使用账号密码登录")

// Client talks to the platforms with a timeout. It caches the platforms'
// application access tokens (valid two hours; both platforms limit how
// often they may be fetched), so keep one Client for the process.
type Client struct {
	HTTP *http.Client
	Now  func() time.Time // the token cache's clock

	mu     sync.Mutex
	tokens map[string]appToken
}

type appToken struct {
	token   string
	expires time.Time
}

// NewClient is a Client with a 10-second timeout per request.
func NewClient() *Client {
	return &Client{HTTP: &http.Client{Timeout: 10 * time.Second}, Now: time.Now, tokens: map[string]appToken{}}
}

// AuthURL is where the browser goes to sign on; state comes back with the
// code (and is the OIDC nonce too).
func (c *Client) AuthURL(ctx context.Context, p Provider, redirect, state string) (string, error) {
	switch p.Kind {
	case WeCom:
		v := url.Values{"appid": {p.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"},
			"scope": {"snsapi_base"}, "state": {state}, "agentid": {p.AgentID}}
		return p.AuthBase + "/connect/oauth2/authorize?" + v.Encode() + "#wechat_redirect", nil
	case DingTalk:
		v := url.Values{"redirect_uri": {redirect}, "response_type": {"code"}, "client_id": {p.ClientID},
			"scope": {"openid"}, "state": {state}, "prompt": {"consent"}}
		return p.AuthBase + "/oauth2/auth?" + v.Encode(), nil
	case OIDC:
		conf, _, err := c.oidc(ctx, p, redirect)
		if err != nil {
			return "", err
		}
		return conf.AuthCodeURL(state, oidc.Nonce(state)), nil
	}
	return "", fmt.Errorf("sso: unknown platform %q", p.Kind)
}

// Exchange turns the code the platform sent back into an Identity. A
// refusal by the platform is ErrRefused; a platform that cannot be reached
// or answers nonsense is an error saying which.
func (c *Client) Exchange(ctx context.Context, p Provider, redirect, code, state string) (Identity, error) {
	if code == "" {
		return Identity{}, ErrRefused
	}
	switch p.Kind {
	case WeCom:
		return c.wecom(ctx, p, code)
	case DingTalk:
		return c.dingtalk(ctx, p, code)
	case OIDC:
		return c.oidcExchange(ctx, p, redirect, code, state)
	}
	return Identity{}, fmt.Errorf("sso: unknown platform %q", p.Kind)
}

func (c *Client) getJSON(ctx context.Context, method, u string, header map[string]string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("sso: %s: %w", req.URL.Host, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("sso: read %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode >= 500 {
		return fmt.Errorf("sso: %s answered %d", req.URL.Path, resp.StatusCode)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("sso: %s answered %d with no JSON: %w", req.URL.Path, resp.StatusCode, err)
	}
	return nil
}

func (c *Client) wecom(ctx context.Context, p Provider, code string) (Identity, error) {
	var who struct {
		ErrCode int    `json:"errcode"`
		UserID  string `json:"userid"`
		UserID2 string `json:"UserId"` // the older getuserinfo answer
	}
	err := c.withToken(ctx, p, func(tok string) (int, error) {
		u := p.APIBase + "/cgi-bin/auth/getuserinfo?" + url.Values{"access_token": {tok}, "code": {code}}.Encode()
		err := c.getJSON(ctx, "GET", u, nil, nil, &who)
		return who.ErrCode, err
	})
	if err != nil && !errors.Is(err, errPlatform) {
		return Identity{}, err
	}
	id := who.UserID
	if id == "" {
		id = who.UserID2
	}
	if who.ErrCode != 0 || id == "" {
		return Identity{}, ErrRefused
	}
	// The member's mobile from the address book (成员读取, cgi-bin/user/get):
	// the number the organisation registered for its member. Applications
	// without the right get no mobile, and binding by mobile is then off.
	var member struct {
		ErrCode int    `json:"errcode"`
		Mobile  string `json:"mobile"`
		Name    string `json:"name"`
	}
	err = c.withToken(ctx, p, func(tok string) (int, error) {
		u := p.APIBase + "/cgi-bin/user/get?" + url.Values{"access_token": {tok}, "userid": {id}}.Encode()
		err := c.getJSON(ctx, "GET", u, nil, nil, &member)
		return member.ErrCode, err
	})
	if err != nil && !errors.Is(err, errPlatform) {
		return Identity{}, err
	}
	who2 := Identity{Subject: id, UserID: id}
	if err == nil {
		who2.Mobile, who2.Name = member.Mobile, member.Name
	}
	return who2, nil
}

func (c *Client) dingtalk(ctx context.Context, p Provider, code string) (Identity, error) {
	var tok struct {
		AccessToken string `json:"accessToken"`
		Code        string `json:"code"`
		Message     string `json:"message"`
	}
	body := map[string]string{"clientId": p.ClientID, "clientSecret": p.Secret, "code": code, "grantType": "authorization_code"}
	if err := c.getJSON(ctx, "POST", p.APIBase+"/v1.0/oauth2/userAccessToken", nil, body, &tok); err != nil {
		return Identity{}, err
	}
	if tok.AccessToken == "" {
		return Identity{}, ErrRefused
	}
	var me struct {
		UnionID   string `json:"unionId"`
		Nick      string `json:"nick"`
		Mobile    string `json:"mobile"`
		StateCode string `json:"stateCode"`
	}
	if err := c.getJSON(ctx, "GET", p.APIBase+"/v1.0/contact/users/me", map[string]string{"x-acs-dingtalk-access-token": tok.AccessToken}, nil, &me); err != nil {
		return Identity{}, err
	}
	if me.UnionID == "" {
		return Identity{}, ErrRefused
	}
	who := Identity{Subject: me.UnionID, Name: me.Nick}
	// DingTalk verifies an account's mobile by SMS; only a mainland number
	// (state code 86) can match a user's mobile here.
	if me.StateCode == "" || me.StateCode == "86" {
		who.Mobile = me.Mobile
	}
	if p.MsgBase == "" {
		return who, nil
	}
	// Work notices are addressed by the organisation's userid, which the
	// sign-on does not give: look it up by the unionId (topapi/user/getbyunionid).
	// Someone outside the organisation (contact_type 1) has none.
	var got struct {
		ErrCode int `json:"errcode"`
		Result  struct {
			ContactType int    `json:"contact_type"`
			UserID      string `json:"userid"`
		} `json:"result"`
	}
	err := c.withToken(ctx, p, func(tok string) (int, error) {
		u := p.MsgBase + "/topapi/user/getbyunionid?" + url.Values{"access_token": {tok}}.Encode()
		err := c.getJSON(ctx, "POST", u, nil, map[string]string{"unionid": me.UnionID}, &got)
		return got.ErrCode, err
	})
	if err != nil && !errors.Is(err, errPlatform) {
		return Identity{}, err
	}
	if err == nil && got.Result.ContactType == 0 {
		who.UserID = got.Result.UserID
	}
	return who, nil
}

func (c *Client) oidc(ctx context.Context, p Provider, redirect string) (*oauth2.Config, *oidc.Provider, error) {
	ctx = oidc.ClientContext(ctx, c.HTTP)
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("sso: oidc discovery at %s: %w", p.Issuer, err)
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.Secret, Endpoint: op.Endpoint(), RedirectURL: redirect,
		Scopes: []string{oidc.ScopeOpenID, "profile", "phone"}}, op, nil
}

func (c *Client) oidcExchange(ctx context.Context, p Provider, redirect, code, state string) (Identity, error) {
	conf, op, err := c.oidc(ctx, p, redirect)
	if err != nil {
		return Identity{}, err
	}
	ctx = oidc.ClientContext(ctx, c.HTTP)
	tok, err := conf.Exchange(ctx, code)
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return Identity{}, ErrRefused
		}
		return Identity{}, fmt.Errorf("sso: oidc token: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, ErrRefused
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("sso: oidc id token: %w", err)
	}
	if idt.Nonce != state {
		return Identity{}, ErrRefused
	}
	var claims struct {
		Name          string `json:"name"`
		Phone         string `json:"phone_number"`
		PhoneVerified bool   `json:"phone_number_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("sso: oidc claims: %w", err)
	}
	who := Identity{Subject: idt.Subject, Name: claims.Name}
	// Only a number the platform verified may bind an account.
	if claims.PhoneVerified {
		who.Mobile = claims.Phone
	}
	return who, nil
}
