package notify

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestGuardCheck(t *testing.T) {
	relay := Guard{Relays: []string{"mail.unit.local", "10.1.2.3", "169.254.169.254"}}
	cases := []struct {
		host, ip  string
		g         Guard
		ok        bool
		alwaysBad bool
	}{
		{"qyapi.weixin.qq.com", "101.91.22.57", Guard{}, true, false},
		{"evil.example", "127.0.0.1", Guard{}, false, false},
		{"evil.example", "127.8.9.1", Guard{}, false, false},
		{"evil.example", "::1", Guard{}, false, false},
		{"evil.example", "::ffff:127.0.0.1", Guard{}, false, false},
		{"evil.example", "10.0.0.8", Guard{}, false, false},
		{"evil.example", "172.20.1.1", Guard{}, false, false},
		{"evil.example", "192.168.1.1", Guard{}, false, false},
		{"evil.example", "fd12::1", Guard{}, false, false},
		{"evil.example", "100.64.3.3", Guard{}, false, false},
		{"evil.example", "0.0.0.0", Guard{}, false, true},
		{"evil.example", "169.254.169.254", Guard{}, false, true},
		{"evil.example", "100.100.100.200", Guard{}, false, true},
		{"evil.example", "fd00:ec2::254", Guard{}, false, true},
		{"evil.example", "fe80::1", Guard{}, false, true},
		{"evil.example", "224.0.0.1", Guard{}, false, true},
		// A named relay may be internal, under its own name only.
		{"mail.unit.local", "10.9.9.9", relay, true, false},
		{"MAIL.unit.local", "127.0.0.1", relay, true, false},
		{"10.1.2.3", "10.1.2.3", relay, true, false},
		{"other.unit.local", "10.9.9.9", relay, false, false},
		// Metadata and link-local stay refused even when named as a relay.
		{"169.254.169.254", "169.254.169.254", relay, false, true},
	}
	for _, c := range cases {
		err := c.g.Check(c.host, netip.MustParseAddr(c.ip))
		var be *BlockedError
		if c.ok != (err == nil) || (!c.ok && (!errors.As(err, &be) || be.Always != c.alwaysBad)) {
			t.Errorf("Check(%s, %s) = %v, want ok=%v always=%v", c.host, c.ip, err, c.ok, c.alwaysBad)
		}
	}
}

// TestGuardRefusesAtSendTime: the check is on the address dialled, so a
// literal loopback URL, a name resolving to loopback ("localhost", the
// stand-in for a rebinding DNS answer) and a redirect from an allowed
// relay to an internal host all fail, and nothing reaches the server.
func TestGuardRefusesAtSendTime(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	ctx := context.Background()
	for _, target := range []string{srv.URL, "http://localhost:" + port + "/hook", "http://[::ffff:127.0.0.1]:" + port + "/"} {
		err := (Sender{}).SendWeCom(ctx, target, msg)
		var be *BlockedError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "内网地址 127.0.0.1") {
			t.Errorf("%s: %v, want refused as internal", target, err)
		}
	}
	if err := (Sender{}).SendDingTalk(ctx, srv.URL, "SECx", msg); err == nil {
		t.Error("DingTalk to loopback sent")
	}
	if hits != 0 {
		t.Fatalf("the internal server received %d requests", hits)
	}
	// The relay named "localhost" passes; the same address under another name does not.
	if err := (Sender{Guard: Guard{Relays: []string{"localhost"}}}).SendWeCom(ctx, "http://localhost:"+port+"/hook", msg); err != nil || hits != 1 {
		t.Fatalf("named relay refused: %v (hits %d)", err, hits)
	}
	if err := (Sender{Guard: Guard{Relays: []string{"localhost"}}}).SendWeCom(ctx, srv.URL, msg); err == nil {
		t.Fatal("relay name let another name for the same address through")
	}
	// A relay that redirects elsewhere is not followed.
	redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+port+"/hook", http.StatusFound)
	}))
	defer redir.Close()
	if err := (Sender{Guard: local}).SendWeCom(ctx, redir.URL, msg); err == nil || hits != 1 {
		t.Fatalf("redirect followed: %v (hits %d)", err, hits)
	}
	// Mail takes the same dialer.
	cfg := Settings{SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPFrom: "a@b.cn"}
	if err := (Sender{}).SendMail(ctx, cfg, []string{"x@y.cn"}, msg); err == nil || !strings.Contains(err.Error(), "内网地址") {
		t.Fatalf("mail to loopback: %v", err)
	}
}

func TestCheckLiteral(t *testing.T) {
	relays := Guard{Relays: []string{"10.1.2.3"}}
	cases := []struct {
		s    Settings
		want string
	}{
		{Settings{WeComURL: "http://127.0.0.1:6379/"}, "企业微信机器人地址：提醒地址 127.0.0.1 指向内网地址"},
		{Settings{WeComURL: "http://[::1]/"}, "企业微信机器人地址：提醒地址 ::1 指向内网地址"},
		{Settings{DingTalkURL: "http://localhost/robot"}, "钉钉机器人地址：localhost 指向本机"},
		{Settings{DingTalkURL: "http://169.254.169.254/latest/meta-data"}, "云主机元数据地址"},
		{Settings{Email: true, SMTPHost: "192.168.0.2"}, "邮件服务器：提醒地址 192.168.0.2 指向内网地址"},
		{Settings{WeComURL: "http://10.1.2.3:8080/hook"}, ""},
		{Settings{WeComURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}, ""},
	}
	for i, c := range cases {
		err := c.s.CheckLiteral(relays)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("case %d: got %v, want %q", i, err, c.want)
		}
	}
}
