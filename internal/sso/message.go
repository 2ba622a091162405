package sso

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Personal messages through the platforms' application message APIs
// (issue 22 part 1), with the application access token they need:
//
//   - WeCom: GET {api}/cgi-bin/gettoken?corpid&corpsecret, then
//     POST {api}/cgi-bin/message/send?access_token (发送应用消息) with
//     touser "a|b", msgtype text, agentid. Up to 1000 people a call.
//   - DingTalk: GET {oapi}/gettoken?appkey&appsecret, then
//     POST {oapi}/topapi/message/corpconversation/asyncsend_v2?access_token
//     (工作通知) with agent_id, userid_list "a,b" and msg. Up to 100 a call.
//
// Tokens last 7200 s; they are cached until 5 minutes before they expire,
// and fetched again once when the platform says a token is invalid or
// expired (the platform may invalidate it early, e.g. when the secret is
// reset).

// errPlatform marks an answer with a non-zero errcode (the platform
// refused), as opposed to one that could not be had.
var errPlatform = errors.New("platform refused")

// Token errcodes: WeCom 40014 (invalid) and 42001 (expired); DingTalk 40014
// and 88 (鉴权异常).
func tokenInvalid(code int) bool { return code == 40014 || code == 42001 || code == 88 }

// withToken calls fn with the platform's application token and, when the
// platform answers that the token is invalid or expired, once more with a
// fresh one. fn returns the answer's errcode; a non-zero one is errPlatform.
func (c *Client) withToken(ctx context.Context, p Provider, fn func(tok string) (int, error)) error {
	for try := 0; try < 2; try++ {
		tok, err := c.appToken(ctx, p, try > 0)
		if err != nil {
			return err
		}
		code, err := fn(tok)
		if err != nil {
			return err
		}
		if code == 0 {
			return nil
		}
		if !tokenInvalid(code) || try > 0 {
			return fmt.Errorf("%w: errcode %d", errPlatform, code)
		}
	}
	return nil
}

func (c *Client) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// appToken returns the cached application token of p, fetching one when
// there is none, it expires within 5 minutes, or fresh is asked for.
func (c *Client) appToken(ctx context.Context, p Provider, fresh bool) (string, error) {
	key := string(p.Kind) + "\x00" + p.APIBase + "\x00" + p.MsgBase + "\x00" + p.ClientID + "\x00" + p.Secret
	c.mu.Lock()
	if c.tokens == nil {
		c.tokens = map[string]appToken{}
	}
	t, ok := c.tokens[key]
	c.mu.Unlock()
	if ok && !fresh && c.now().Before(t.expires.Add(-5*time.Minute)) {
		return t.token, nil
	}
	var got struct {
		ErrCode     int    `json:"errcode"`
		ErrMsg      string `json:"errmsg"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	var u string
	switch p.Kind {
	case WeCom:
		u = p.APIBase + "/cgi-bin/gettoken?" + url.Values{"corpid": {p.ClientID}, "corpsecret": {p.Secret}}.Encode()
	case DingTalk:
		u = p.MsgBase + "/gettoken?" + url.Values{"appkey": {p.ClientID}, "appsecret": {p.Secret}}.Encode()
	default:
		return "", fmt.Errorf("sso: %s has no application token", p.Kind)
	}
	if err := c.getJSON(ctx, "GET", u, nil, nil, &got); err != nil {
		return "", err
	}
	if got.ErrCode != 0 || got.AccessToken == "" {
		return "", fmt.Errorf("sso: %s gettoken: %d %s", p.Kind, got.ErrCode, got.ErrMsg)
	}
	if got.ExpiresIn <= 0 {
		got.ExpiresIn = 7200
	}
	c.mu.Lock()
	c.tokens[key] = appToken{token: got.AccessToken, expires: c.now().Add(time.Duration(got.ExpiresIn) * time.Second)}
	c.mu.Unlock()
	return got.AccessToken, nil
}

// Message is a personal message: a title, a body and a link to the page.
type Message struct {
	Title, Body, Link string
}

func (m Message) text() string {
	parts := []string{m.Title}
	if m.Body != "" {
		parts = append(parts, m.Body)
	}
	if m.Link != "" {
		parts = append(parts, m.Link)
	}
	return strings.Join(parts, "\n")
}

// Send sends m to the platform's users (their userids) through the
// application p. It returns the userids the platform did not accept
// (WeCom's invaliduser: not members, or outside the application's range);
// an error when the platform refused the whole message or could not be
// reached, for the delivery log to retry.
func (c *Client) Send(ctx context.Context, p Provider, userIDs []string, m Message) (rejected []string, err error) {
	if !p.CanMessage() {
		return nil, fmt.Errorf("sso: %s %q cannot send messages", p.Kind, p.Name)
	}
	agent, err := strconv.ParseInt(p.AgentID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("sso: agent id %q: %w", p.AgentID, err)
	}
	batch := 1000
	if p.Kind == DingTalk {
		batch = 100
	}
	for len(userIDs) > 0 {
		n := min(batch, len(userIDs))
		part := userIDs[:n]
		userIDs = userIDs[n:]
		var bad []string
		switch p.Kind {
		case WeCom:
			bad, err = c.sendWeCom(ctx, p, agent, part, m)
		case DingTalk:
			err = c.sendDingTalk(ctx, p, agent, part, m)
		}
		if err != nil {
			return rejected, err
		}
		rejected = append(rejected, bad...)
	}
	return rejected, nil
}

func (c *Client) sendWeCom(ctx context.Context, p Provider, agent int64, to []string, m Message) ([]string, error) {
	body := map[string]any{"touser": strings.Join(to, "|"), "msgtype": "text", "agentid": agent,
		"text": map[string]string{"content": m.text()}}
	var got struct {
		ErrCode     int    `json:"errcode"`
		ErrMsg      string `json:"errmsg"`
		InvalidUser string `json:"invaliduser"`
	}
	err := c.withToken(ctx, p, func(tok string) (int, error) {
		got.ErrCode, got.InvalidUser = 0, ""
		err := c.getJSON(ctx, "POST", p.APIBase+"/cgi-bin/message/send?"+url.Values{"access_token": {tok}}.Encode(), nil, body, &got)
		return got.ErrCode, err
	})
	if err != nil {
		return nil, fmt.Errorf("sso: wecom message/send: %w %s", err, got.ErrMsg)
	}
	var bad []string
	if got.InvalidUser != "" {
		bad = strings.Split(got.InvalidUser, "|")
	}
	return bad, nil
}

func (c *Client) sendDingTalk(ctx context.Context, p Provider, agent int64, to []string, m Message) error {
	body := map[string]any{"agent_id": agent, "userid_list": strings.Join(to, ","),
		"msg": map[string]any{"msgtype": "text", "text": map[string]string{"content": m.text()}}}
	var got struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
		TaskID  int64  `json:"task_id"`
	}
	err := c.withToken(ctx, p, func(tok string) (int, error) {
		got.ErrCode = 0
		u := p.MsgBase + "/topapi/message/corpconversation/asyncsend_v2?" + url.Values{"access_token": {tok}}.Encode()
		err := c.getJSON(ctx, "POST", u, nil, body, &got)
		return got.ErrCode, err
	})
	if err != nil {
		return fmt.Errorf("sso: dingtalk asyncsend_v2: %w %s", err, got.ErrMsg)
	}
	return nil
}
