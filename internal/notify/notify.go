// Package notify delivers reminders over the channels a unit configures:
// e-mail through an SMTP relay (net/smtp), and the group robots of 企业微信
// (WeCom) and 钉钉 (DingTalk), the latter with its signed-webhook scheme. It
// knows nothing about the database: the service's reminder round claims each
// delivery in the store's reminder log first, so retries with back-off never
// send a reminder twice.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/apperr"
)

// Channels, as stored in the delivery log.
const (
	InApp    = "inapp"
	Email    = "email"
	WeCom    = "wecom"
	DingTalk = "dingtalk"
	// WeComApp and DingTalkApp are personal messages through a sign-on
	// platform's application (企业微信应用消息, 钉钉工作通知) to the people
	// bound to it; the channel in the log is "wecom-app:<platform id>".
	WeComApp    = "wecom-app"
	DingTalkApp = "dingtalk-app"
)

// ChannelLabel names a channel in Chinese.
func ChannelLabel(c string) string {
	switch {
	case c == InApp:
		return "站内通知"
	case c == Email || strings.HasPrefix(c, Email+":"):
		return "电子邮件"
	case c == WeCom:
		return "企业微信群机器人"
	case c == DingTalk:
		return "钉钉群机器人"
	case strings.HasPrefix(c, WeComApp+":"):
		return "企业微信应用消息"
	case strings.HasPrefix(c, DingTalkApp+":"):
		return "钉钉工作通知"
	}
	return c
}

// Settings are one unit's channels.
type Settings struct {
	UnitID         int64
	InApp          bool
	Email          bool
	SMTPHost       string
	SMTPPort       int
	SMTPUser       string
	SMTPPass       string
	SMTPFrom       string
	WeComURL       string
	DingTalkURL    string
	DingTalkSecret string
	// WeComApp and DingTalkApp send reminders as personal messages through
	// the installation's 企业微信 / 钉钉 sign-on applications to the people
	// bound there.
	WeComApp    bool
	DingTalkApp bool
	UpdatedAt   int64
}

// Validate checks addresses; empty webhook URLs switch a robot off.
func (s *Settings) Validate() error {
	s.SMTPHost, s.SMTPFrom = strings.TrimSpace(s.SMTPHost), strings.TrimSpace(s.SMTPFrom)
	s.WeComURL, s.DingTalkURL = strings.TrimSpace(s.WeComURL), strings.TrimSpace(s.DingTalkURL)
	s.DingTalkSecret = strings.TrimSpace(s.DingTalkSecret)
	if s.Email {
		if s.SMTPHost == "" {
			return apperr.Field("邮件服务器", "启用邮件提醒时不能为空")
		}
		if s.SMTPPort <= 0 || s.SMTPPort > 65535 {
			return apperr.Field("邮件端口", "应为 1 到 65535")
		}
		if !strings.Contains(s.SMTPFrom, "@") {
			return apperr.Field("发件地址", "不是有效的邮件地址")
		}
	}
	for _, u := range []struct{ name, v string }{{"企业微信机器人地址", s.WeComURL}, {"钉钉机器人地址", s.DingTalkURL}} {
		if u.v == "" {
			continue
		}
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return apperr.Field(u.name, "应为 http(s):// 开头的完整地址")
		}
	}
	if s.DingTalkSecret != "" && !strings.HasPrefix(s.DingTalkSecret, "SEC") {
		return apperr.Field("钉钉加签密钥", "应以 SEC 开头（在钉钉机器人安全设置中复制）")
	}
	return nil
}

// CheckEmail checks a person's reminder address; "" (no address) passes.
func CheckEmail(addr string) error {
	addr = strings.TrimSpace(addr)
	if addr != "" && (!strings.Contains(addr, "@") || strings.ContainsAny(addr, " \r\n<>,;")) {
		return apperr.Rule(fmt.Sprintf("邮件地址“%s”：格式不正确", addr))
	}
	return nil
}

// CheckHosts refuses robot webhooks and mail relays outside the
// installation's allowed hosts (set by the 安全保密管理员).
func (s *Settings) CheckHosts(allowed []string) error {
	ok := func(host string) bool {
		host = strings.ToLower(host)
		for _, a := range allowed {
			if a == host {
				return true
			}
		}
		return false
	}
	for _, u := range []struct{ name, v string }{{"企业微信机器人地址", s.WeComURL}, {"钉钉机器人地址", s.DingTalkURL}} {
		if u.v == "" {
			continue
		}
		p, err := url.Parse(u.v)
		if err != nil {
			return apperr.Field(u.name, "地址无效")
		}
		if !ok(p.Hostname()) {
			return apperr.Field(u.name, fmt.Sprintf("%s 不在安全保密管理员允许的提醒地址中", p.Hostname()))
		}
	}
	if s.Email && s.SMTPHost != "" && !ok(s.SMTPHost) {
		return apperr.Field("邮件服务器", fmt.Sprintf("%s 不在安全保密管理员允许的提醒地址中", s.SMTPHost))
	}
	return nil
}

// Message is one reminder.
type Message struct {
	Title string
	Body  string
	Link  string // absolute or site-relative link to the page concerned
}

// Text is the plain-text form used by e-mail and the robots.
func (m Message) Text() string {
	s := m.Title + "\n" + m.Body
	if m.Link != "" {
		s += "\n详情：" + m.Link
	}
	return s
}

// Sender delivers messages. Its zero value is usable.
type Sender struct {
	// HTTP replaces the client built from Guard (tests only: it skips the
	// address check).
	HTTP *http.Client
	// Guard checks every address dialled, for the robots and for mail.
	Guard Guard
	// Now is the clock used for DingTalk timestamps and mail dates.
	Now func() time.Time
}

func (s Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s Sender) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	// No proxy from the environment (the Guard must see the real
	// destination) and no redirects (the robot APIs answer directly; a
	// redirect is someone steering the request elsewhere).
	return &http.Client{
		Timeout:       15 * time.Second,
		Transport:     &http.Transport{DialContext: s.Guard.DialContext, TLSHandshakeTimeout: 10 * time.Second, MaxIdleConns: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// hostOf is the host name of a URL, "" when it does not parse.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// robotReply is what both robots answer.
type robotReply struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (s Sender) postJSON(ctx context.Context, target string, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := s.client().Do(req)
	if err != nil {
		return fmt.Errorf("post webhook: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered HTTP %d: %.200s", resp.StatusCode, raw)
	}
	var r robotReply
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("webhook reply not JSON: %.200s", raw)
	}
	if r.ErrCode != 0 {
		return fmt.Errorf("webhook error %d: %s", r.ErrCode, r.ErrMsg)
	}
	return nil
}

// WeComText is the body of a 企业微信 group-robot text message.
type WeComText struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// SendWeCom posts a text message to a 企业微信 group robot
// (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...).
func (s Sender) SendWeCom(ctx context.Context, webhook string, m Message) error {
	var body WeComText
	body.MsgType = "text"
	body.Text.Content = truncateBytes(m.Text(), 2048)
	return s.postJSON(ctx, webhook, body)
}

// DingTalkText is the body of a 钉钉 group-robot text message.
type DingTalkText struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// SignDingTalk computes DingTalk's signature for a millisecond timestamp:
// base64(HMAC-SHA256(key=secret, timestamp + "\n" + secret)).
func SignDingTalk(secret string, tsMillis int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(tsMillis, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SendDingTalk posts a text message to a 钉钉 group robot
// (https://oapi.dingtalk.com/robot/send?access_token=...). With a secret the
// URL gets timestamp and sign query parameters (加签).
func (s Sender) SendDingTalk(ctx context.Context, webhook, secret string, m Message) error {
	target := webhook
	if secret != "" {
		u, err := url.Parse(webhook)
		if err != nil {
			return fmt.Errorf("parse webhook: %w", err)
		}
		ts := s.now().UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ts, 10))
		q.Set("sign", SignDingTalk(secret, ts))
		u.RawQuery = q.Encode()
		target = u.String()
	}
	var body DingTalkText
	body.MsgType = "text"
	body.Text.Content = m.Text()
	return s.postJSON(ctx, target, body)
}

// SendMail sends a plain-text UTF-8 mail through the unit's SMTP relay. It
// upgrades to TLS when the server offers STARTTLS and authenticates when a
// user name is set.
func (s Sender) SendMail(ctx context.Context, cfg Settings, to []string, m Message) error {
	if len(to) == 0 {
		return nil
	}
	addr := net.JoinHostPort(cfg.SMTPHost, strconv.Itoa(cfg.SMTPPort))
	conn, err := s.Guard.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to mail server %s: %w", addr, err)
	}
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	c, err := smtp.NewClient(conn, cfg.SMTPHost)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail server greeting: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: cfg.SMTPHost}); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if cfg.SMTPUser != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.SMTPUser, cfg.SMTPPass, cfg.SMTPHost)); err != nil {
			return fmt.Errorf("mail login: %w", err)
		}
	}
	if err := c.Mail(cfg.SMTPFrom); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("recipient %s: %w", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail data: %w", err)
	}
	if _, err := w.Write(buildMail(cfg.SMTPFrom, to, m, s.now())); err != nil {
		return fmt.Errorf("write mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return c.Quit()
}

func buildMail(from string, to []string, m Message, now time.Time) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", from)
	hdr("To", strings.Join(to, ", "))
	hdr("Subject", mime.BEncoding.Encode("UTF-8", m.Title))
	hdr("Date", now.Format(time.RFC1123Z))
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=UTF-8")
	hdr("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Text()))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// truncateBytes cuts s to at most n bytes on a character boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// MaxAttempts is how often a delivery is tried before it is given up.
const MaxAttempts = 6

// Backoff is the wait before attempt n+1 after n failed attempts:
// 1, 5, 15, 60, 180 minutes.
func Backoff(failed int) time.Duration {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour}
	if failed < 1 {
		return 0
	}
	return steps[min(failed, len(steps))-1]
}
