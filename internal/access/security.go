package access

import (
	"fmt"
	"regexp"
	"strings"

	"zhendi/internal/apperr"
)

// Security holds the installation-wide settings of the installation-level
// 安全保密管理员 (Scope.InstallSecurity).
type Security struct {
	MaxFailures int // failed logins before lockout
	LockMinutes int
	IdleMinutes int // session idle timeout
	// SessionHours is the absolute lifetime of a session from its login,
	// however active it stays (等保: 会话超时 besides the idle timeout).
	SessionHours int
	// MinPasswordLen is the shortest password allowed (at least 8).
	MinPasswordLen int
	// PasswordDays forces a password change this many days after the last
	// one; 0 turns the periodic change off.
	PasswordDays int
	// MergeAdmins lets one account hold more than one of the three
	// administrator roles (系统管理员, 安全保密管理员, 审计管理员), for a unit
	// too small to give each to a different person. Off by default (三员分立).
	MergeAdmins bool
	MaxUploadMB int
	// NotifyHosts are the only hosts reminders may be sent to (robot
	// webhooks and SMTP relays), so a unit's settings cannot make the
	// server call arbitrary internal addresses. Comma-separated.
	NotifyHosts string
	// InternalRelays are the hosts among the reminder addresses that may
	// be on the internal network (loopback, private addresses): the
	// installation's own mail server or message relay, named one by one.
	// Any other reminder host that resolves to such an address is refused
	// at send time (notify.Guard). Comma-separated; empty by default.
	InternalRelays string
}

// DefaultSecurity are the values of a fresh install: the public 企业微信 and
// 钉钉 robot endpoints; a unit's own mail relay must be added here first.
var DefaultSecurity = Security{MaxFailures: 5, LockMinutes: 15, IdleMinutes: 30, SessionHours: 12, MinPasswordLen: 8, MaxUploadMB: 20,
	NotifyHosts: "qyapi.weixin.qq.com, oapi.dingtalk.com"}

// hostRE accepts host names and IPv4 addresses.
var hostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$`)

// AllowedHosts lists NotifyHosts, lower-cased.
func (sec Security) AllowedHosts() []string { return hostList(sec.NotifyHosts) }

// RelayHosts lists InternalRelays, lower-cased.
func (sec Security) RelayHosts() []string { return hostList(sec.InternalRelays) }

// ReminderHosts are the hosts a unit may send reminders to: the allowed
// hosts and the internal relays.
func (sec Security) ReminderHosts() []string { return append(sec.AllowedHosts(), sec.RelayHosts()...) }

func hostList(s string) []string {
	var out []string
	for _, h := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '、' }) {
		out = append(out, strings.ToLower(strings.TrimSpace(h)))
	}
	return out
}

// Validate checks the ranges and the host list.
func (sec Security) Validate() error {
	switch {
	case sec.MaxFailures < 3 || sec.MaxFailures > 20:
		return apperr.Field("连续失败次数", "应在 3 到 20 之间")
	case sec.LockMinutes < 1 || sec.LockMinutes > 1440:
		return apperr.Field("锁定时长", "应在 1 到 1440 分钟之间")
	case sec.IdleMinutes < 5 || sec.IdleMinutes > 480:
		return apperr.Field("空闲超时", "应在 5 到 480 分钟之间")
	case sec.SessionHours < 1 || sec.SessionHours > 72:
		return apperr.Field("会话最长时间", "应在 1 到 72 小时之间")
	case sec.SessionHours*60 < sec.IdleMinutes:
		return apperr.Field("会话最长时间", "不能短于空闲超时")
	case sec.MinPasswordLen < 8 || sec.MinPasswordLen > 64:
		return apperr.Field("密码最短长度", "应在 8 到 64 位之间")
	case sec.PasswordDays != 0 && (sec.PasswordDays < 30 || sec.PasswordDays > 365):
		return apperr.Field("定期修改密码", "应为 0（不要求）或 30 到 365 天")
	case sec.MaxUploadMB < 1 || sec.MaxUploadMB > 200:
		return apperr.Field("附件大小上限", "应在 1 到 200 MB 之间")
	}
	for _, h := range sec.AllowedHosts() {
		if !hostRE.MatchString(h) {
			return apperr.Field("允许的提醒地址", fmt.Sprintf("“%s”不是主机名或 IP 地址", h))
		}
	}
	for _, h := range sec.RelayHosts() {
		if !hostRE.MatchString(h) {
			return apperr.Field("允许的内网转发主机", fmt.Sprintf("“%s”不是主机名或 IP 地址", h))
		}
	}
	return nil
}

// IdleExpired reports whether a session last seen at lastSeen (unix
// seconds) has timed out at now.
func (sec Security) IdleExpired(lastSeen, now int64) bool {
	return now-lastSeen > int64(sec.IdleMinutes)*60
}

// SessionExpired reports whether a session that began at created (unix
// seconds) has reached its absolute lifetime at now.
func (sec Security) SessionExpired(created, now int64) bool {
	return now-created >= int64(sec.SessionHours)*3600
}

// PasswordExpired reports whether a password set at changedAt (unix
// seconds; 0 when unknown, which counts from now on) must be changed at now.
func (sec Security) PasswordExpired(changedAt, now int64) bool {
	return sec.PasswordDays > 0 && changedAt > 0 && now-changedAt >= int64(sec.PasswordDays)*86400
}

// AfterFailure is the lockout rule: given the failures counted so far, it
// returns the count to store after one more wrong password and, when that
// one reaches MaxFailures, the time (unix seconds) until which the account
// is locked (0 when it is not). A lock starts the count again.
func (sec Security) AfterFailure(failed int, now int64) (count int, lockedUntil int64) {
	failed++
	if failed >= sec.MaxFailures {
		return 0, now + int64(sec.LockMinutes)*60
	}
	return failed, 0
}

// Why a login was refused. The messages are what the login page shows.
var (
	// ErrBadLogin: unknown name, disabled account or wrong password.
	ErrBadLogin = &LoginError{Msg: "用户名或密码错误。"}
)

// LoginError is a refused login.
type LoginError struct {
	Msg string
	// Locked: the account was already locked when the attempt came (the
	// login page answers 403 instead of 401).
	Locked bool
}

func (e *LoginError) Error() string { return e.Msg }

// LockedOut is the refusal of an attempt on an account locked until
// lockedUntil (unix seconds), at now.
func LockedOut(lockedUntil, now int64) *LoginError {
	mins := (lockedUntil - now + 59) / 60
	return &LoginError{Locked: true, Msg: fmt.Sprintf("账户因连续登录失败已锁定，请 %d 分钟后再试或联系管理员解锁。", mins)}
}

// LockedNow is the refusal of the wrong password that locked the account.
func (sec Security) LockedNow() *LoginError {
	return &LoginError{Msg: fmt.Sprintf("连续登录失败次数过多，账户已锁定 %d 分钟。", sec.LockMinutes)}
}
