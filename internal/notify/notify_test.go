package notify

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// local lets the tests' servers on the loopback address through, as a
// named internal relay would be.
var local = Guard{Relays: []string{"127.0.0.1"}}

var msg = Message{Title: "【督导提醒】专题研究意识形态工作", Body: "2023年仅完成1次，应不少于2次，截止2023年12月31日。", Link: "http://zhendi.local/supervise"}

func TestWeComPayload(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != "abc-123" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q", ct)
		}
		json.NewDecoder(r.Body).Decode(&got)
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer srv.Close()
	if err := (Sender{Guard: local}).SendWeCom(context.Background(), srv.URL+"/cgi-bin/webhook/send?key=abc-123", msg); err != nil {
		t.Fatal(err)
	}
	text, _ := got["text"].(map[string]any)
	if got["msgtype"] != "text" || text["content"] != msg.Text() || len(got) != 2 {
		t.Fatalf("payload %v", got)
	}
}

func TestWeComErrorReply(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":93000,"errmsg":"invalid webhook url"}`)
	}))
	defer srv.Close()
	err := (Sender{Guard: local}).SendWeCom(context.Background(), srv.URL, msg)
	if err == nil || !strings.Contains(err.Error(), "93000") {
		t.Fatalf("error reply not reported: %v", err)
	}
}

// dingTalkReceiver checks the signature the way DingTalk's server does:
// timestamp within an hour, sign == urlsafe(base64(HMAC-SHA256(secret, ts+"\n"+secret))).
func dingTalkReceiver(t *testing.T, secret string, now time.Time, got *map[string]any) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("access_token") != "tok" {
			io.WriteString(w, `{"errcode":300001,"errmsg":"token is not exist"}`)
			return
		}
		// The raw query must carry sign URL-encoded: base64 has + / = in it.
		rawSign := ""
		for _, kv := range strings.Split(r.URL.RawQuery, "&") {
			if v, ok := strings.CutPrefix(kv, "sign="); ok {
				rawSign = v
			}
		}
		ts, _ := strconv.ParseInt(r.URL.Query().Get("timestamp"), 10, 64)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(strconv.FormatInt(ts, 10) + "\n" + secret))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if dec, err := urlUnescape(rawSign); err != nil || dec != want || strings.ContainsAny(rawSign, "+/=") {
			io.WriteString(w, `{"errcode":310000,"errmsg":"sign not match"}`)
			return
		}
		if d := now.UnixMilli() - ts; d < 0 || d > 3600*1000 {
			io.WriteString(w, `{"errcode":310000,"errmsg":"timestamp expired"}`)
			return
		}
		json.NewDecoder(r.Body).Decode(got)
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
}

func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }

func TestDingTalkSigned(t *testing.T) {
	now := time.Date(2023, 12, 24, 9, 0, 0, 0, time.UTC)
	const secret = "SEC0123456789abcdef"
	var got map[string]any
	srv := dingTalkReceiver(t, secret, now, &got)
	defer srv.Close()
	s := Sender{Now: func() time.Time { return now }, Guard: local}
	if err := s.SendDingTalk(context.Background(), srv.URL+"/robot/send?access_token=tok", secret, msg); err != nil {
		t.Fatal(err)
	}
	text, _ := got["text"].(map[string]any)
	if got["msgtype"] != "text" || text["content"] != msg.Text() {
		t.Fatalf("payload %v", got)
	}
	// A wrong secret is refused by the receiver and reported.
	if err := s.SendDingTalk(context.Background(), srv.URL+"/robot/send?access_token=tok", "SECwrong", msg); err == nil || !strings.Contains(err.Error(), "310000") {
		t.Fatalf("wrong secret not refused: %v", err)
	}
}

func TestSignDingTalkKnownValue(t *testing.T) {
	// Computed independently: printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
	if got := SignDingTalk("SECabc", 1700000000000); got != "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=" {
		t.Fatalf("sign = %s", got)
	}
}

// smtpServer is a tiny SMTP receiver speaking enough of RFC 5321 for net/smtp.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	from string
	rcpt []string
	data string
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			tp.PrintfLine("250-test\r\n250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			s.mu.Lock()
			s.from = strings.Trim(strings.Fields(line[10:])[0], "<>")
			s.mu.Unlock()
			tp.PrintfLine("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			s.mu.Lock()
			s.rcpt = append(s.rcpt, strings.Trim(line[8:], "<> "))
			s.mu.Unlock()
			tp.PrintfLine("250 ok")
		case cmd == "DATA":
			tp.PrintfLine("354 go ahead")
			b, _ := io.ReadAll(tp.DotReader())
			s.mu.Lock()
			s.data = string(b)
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
		case cmd == "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("250 ok")
		}
	}
}

func TestSendMail(t *testing.T) {
	srv := startSMTP(t)
	host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	p, _ := strconv.Atoi(port)
	cfg := Settings{Email: true, SMTPHost: host, SMTPPort: p, SMTPFrom: "zhendi@nyj.gov.cn"}
	to := []string{"lixiaowen@nyj.gov.cn", "wangjianguo@nyj.gov.cn"}
	if err := (Sender{Guard: local}).SendMail(context.Background(), cfg, to, msg); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.from != cfg.SMTPFrom || strings.Join(srv.rcpt, ",") != strings.Join(to, ",") {
		t.Fatalf("envelope from %q rcpt %v", srv.from, srv.rcpt)
	}
	tp := textproto.NewReader(bufio.NewReader(strings.NewReader(srv.data)))
	hdr, err := tp.ReadMIMEHeader()
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(hdr.Get("Subject"))
	if subj != msg.Title || hdr.Get("Content-Transfer-Encoding") != "base64" {
		t.Fatalf("headers %v (subject %q)", hdr, subj)
	}
	rest, _ := io.ReadAll(tp.R)
	body, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(rest), "\r\n", ""))
	if err != nil || string(body) != msg.Text() {
		t.Fatalf("body %q (%v)", body, err)
	}
}

func TestSettingsValidate(t *testing.T) {
	cases := []struct {
		s    Settings
		want string
	}{
		{Settings{Email: true, SMTPPort: 25, SMTPFrom: "a@b"}, "邮件服务器"},
		{Settings{Email: true, SMTPHost: "mail", SMTPPort: 25, SMTPFrom: "nobody"}, "发件地址"},
		{Settings{WeComURL: "qyapi.weixin.qq.com/x"}, "企业微信"},
		{Settings{DingTalkURL: "https://oapi.dingtalk.com/robot/send?access_token=x", DingTalkSecret: "abc"}, "SEC"},
		{Settings{DingTalkURL: "https://oapi.dingtalk.com/robot/send?access_token=x", DingTalkSecret: "SECabc"}, ""},
	}
	for _, c := range cases {
		err := c.s.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.s, err, c.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{0, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 3 * time.Hour}
	for n, w := range want {
		if got := Backoff(n); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, w)
		}
	}
}

func TestCheckHosts(t *testing.T) {
	allowed := []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com", "mail.example.gov.cn"}
	cases := []struct {
		s    Settings
		want string
	}{
		{Settings{WeComURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", DingTalkURL: "https://oapi.dingtalk.com/robot/send?access_token=y"}, ""},
		{Settings{WeComURL: "http://127.0.0.1:6379/"}, "企业微信机器人地址：127.0.0.1 不在"},
		{Settings{DingTalkURL: "https://OAPI.dingtalk.com.evil.example/robot"}, "钉钉机器人地址"},
		{Settings{Email: true, SMTPHost: "mail.example.gov.cn"}, ""},
		{Settings{Email: true, SMTPHost: "10.0.0.5"}, "邮件服务器：10.0.0.5 不在"},
		{Settings{Email: false, SMTPHost: "10.0.0.5"}, ""},
	}
	for i, c := range cases {
		err := c.s.CheckHosts(allowed)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("case %d: got %v, want %q", i, err, c.want)
		}
	}
}
