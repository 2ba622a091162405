package access

import (
	"testing"

	"zhendi/internal/apperr"
)

func TestSecurityValidate(t *testing.T) {
	if err := DefaultSecurity.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	cases := []struct {
		edit func(*Security)
		want string
	}{
		{func(s *Security) { s.MaxFailures = 2 }, "连续失败次数：应在 3 到 20 之间"},
		{func(s *Security) { s.LockMinutes = 0 }, "锁定时长：应在 1 到 1440 分钟之间"},
		{func(s *Security) { s.IdleMinutes = 481 }, "空闲超时：应在 5 到 480 分钟之间"},
		{func(s *Security) { s.MaxUploadMB = 0 }, "附件大小上限：应在 1 到 200 MB 之间"},
		{func(s *Security) { s.NotifyHosts = "mail.example.gov.cn, http://evil" }, "允许的提醒地址：“http://evil”不是主机名或 IP 地址"},
	}
	for _, c := range cases {
		s := DefaultSecurity
		c.edit(&s)
		if got := apperr.Message(s.Validate()); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	s := Security{NotifyHosts: "A.example，b.example、10.0.0.1"}
	if got := s.AllowedHosts(); len(got) != 3 || got[0] != "a.example" || got[2] != "10.0.0.1" {
		t.Errorf("AllowedHosts = %q", got)
	}
}

func TestLockout(t *testing.T) {
	sec := Security{MaxFailures: 3, LockMinutes: 15, IdleMinutes: 30}
	const now = 1000
	if n, until := sec.AfterFailure(0, now); n != 1 || until != 0 {
		t.Errorf("first failure: %d %d", n, until)
	}
	if n, until := sec.AfterFailure(2, now); n != 0 || until != now+15*60 {
		t.Errorf("third failure: %d %d", n, until)
	}
	if got := sec.LockedNow().Msg; got != "连续登录失败次数过多，账户已锁定 15 分钟。" {
		t.Errorf("LockedNow: %q", got)
	}
	if e := LockedOut(now+61, now); !e.Locked || e.Msg != "账户因连续登录失败已锁定，请 2 分钟后再试或联系管理员解锁。" {
		t.Errorf("LockedOut: %+v", e)
	}
	if sec.IdleExpired(now-30*60, now) || !sec.IdleExpired(now-30*60-1, now) {
		t.Error("IdleExpired")
	}
}

func TestRelayHosts(t *testing.T) {
	s := DefaultSecurity
	s.InternalRelays = "Mail.Unit.local，10.1.2.3"
	if got := s.RelayHosts(); len(got) != 2 || got[0] != "mail.unit.local" || got[1] != "10.1.2.3" {
		t.Errorf("RelayHosts = %q", got)
	}
	if got := s.ReminderHosts(); len(got) != 4 || got[3] != "10.1.2.3" {
		t.Errorf("ReminderHosts = %q", got)
	}
	s.InternalRelays = "http://x"
	if got := apperr.Message(s.Validate()); got != `允许的内网转发主机：“http://x”不是主机名或 IP 地址` {
		t.Errorf("bad relay: %q", got)
	}
}
