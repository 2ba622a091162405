package notify

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"zhendi/internal/apperr"
)

// Guard decides which network addresses reminders may connect to. The
// host allow-list (access.Security.NotifyHosts) is checked when a unit
// saves its channels; the Guard checks the address actually dialled, at
// send time: the check runs in the dialer's Control hook, after name
// resolution and for every address tried, so a name that resolved to a
// public address when checked and to 127.0.0.1 a moment later (DNS
// rebinding), a redirect to an internal host, or an allowed name pointed
// at an internal address are all refused.
//
// Refused unless the host is a named internal relay: loopback
// (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7),
// shared carrier-grade NAT (100.64/10), "this network" (0/8), benchmark
// (198.18/15) and IPv4-mapped forms of all these. Refused always, relay or
// not: link-local (169.254/16, fe80::/10, where the cloud metadata services
// of AWS, Huawei, Tencent and others answer), Alibaba Cloud's metadata
// address 100.100.100.200, AWS's fd00:ec2::254, unspecified, multicast and
// broadcast addresses.
type Guard struct {
	// Relays are host names or IP addresses (lower case, as written in the
	// URL or the SMTP host) that may be internal: the installation's own
	// mail server or message relay, named by the 安全保密管理员.
	Relays []string
}

// BlockedError is a connection the Guard refused.
type BlockedError struct {
	Host string     // as named in the URL or SMTP setting
	IP   netip.Addr // the address it resolved to
	// Always: the address is refused even for a named relay (metadata,
	// link-local).
	Always bool
}

func (e *BlockedError) Error() string {
	if e.Always {
		return fmt.Sprintf("提醒地址 %s 指向 %s（链路本地或云主机元数据地址），一律不允许连接", e.Host, e.IP)
	}
	return fmt.Sprintf("提醒地址 %s 指向内网地址 %s，未发送；如确为本单位内网转发服务器，请安全保密管理员将其设为允许的内网转发主机", e.Host, e.IP)
}

var (
	metadataAddrs = []netip.Addr{netip.MustParseAddr("100.100.100.200"), netip.MustParseAddr("fd00:ec2::254")}
	internalNets  = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("198.18.0.0/15"),
	}
)

// classify says whether ip may be reached: internal (needs a relay) or
// never (refused for everyone).
func classify(ip netip.Addr) (internal, never bool) {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid(), ip.IsUnspecified(), ip.IsMulticast(), ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(),
		ip == netip.MustParseAddr("255.255.255.255"):
		return true, true
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return true, true
		}
	}
	if ip.IsLoopback() || ip.IsPrivate() {
		return true, false
	}
	for _, p := range internalNets {
		if p.Contains(ip) {
			return true, false
		}
	}
	return false, false
}

// isRelay reports whether host is one of the named relays.
func (g Guard) isRelay(host string) bool {
	host = strings.ToLower(strings.Trim(host, "[]"))
	for _, r := range g.Relays {
		if strings.EqualFold(strings.Trim(r, "[]"), host) {
			return true
		}
	}
	return false
}

// Check judges one address for host: nil, or a *BlockedError.
func (g Guard) Check(host string, ip netip.Addr) error {
	internal, never := classify(ip)
	switch {
	case never:
		return &BlockedError{Host: host, IP: ip.Unmap(), Always: true}
	case internal && !g.isRelay(host):
		return &BlockedError{Host: host, IP: ip.Unmap()}
	}
	return nil
}

// DialContext connects like net.Dialer.DialContext, refusing every
// address Check refuses; it is the dialer of the reminder HTTP client and
// of the SMTP connection.
func (g Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	d := net.Dialer{Timeout: 15 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("dial %s: unexpected address %q", host, address)
		}
		return g.Check(host, ap.Addr())
	}}
	return d.DialContext(ctx, network, addr)
}

// CheckLiteral refuses, when a unit saves its channels, webhook and mail
// hosts that are written as an internal IP address or "localhost" and are
// not relays: a mistake that can be named at once instead of failing at
// every send. Names are resolved only at send time (see Guard).
func (s *Settings) CheckLiteral(g Guard) error {
	check := func(field, host string) error {
		h := strings.ToLower(strings.Trim(host, "[]"))
		if h == "localhost" || strings.HasSuffix(h, ".localhost") {
			if g.isRelay(h) {
				return nil
			}
			return apperr.Field(field, fmt.Sprintf("%s 指向本机，未保存；如确为本单位内网转发服务器，请安全保密管理员将其设为允许的内网转发主机", host))
		}
		ip, err := netip.ParseAddr(h)
		if err != nil {
			return nil
		}
		if err := g.Check(h, ip); err != nil {
			return apperr.Field(field, err.Error())
		}
		return nil
	}
	for _, u := range []struct{ name, v string }{{"企业微信机器人地址", s.WeComURL}, {"钉钉机器人地址", s.DingTalkURL}} {
		if u.v == "" {
			continue
		}
		if err := check(u.name, hostOf(u.v)); err != nil {
			return err
		}
	}
	if s.Email && s.SMTPHost != "" {
		return check("邮件服务器", s.SMTPHost)
	}
	return nil
}
