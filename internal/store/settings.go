package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"zhendi/internal/apperr"
)

// hostRE accepts host names and IPv4 addresses.
var hostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$`)

// Security holds the settings of the 安全保密管理员.
type Security struct {
	MaxFailures int // failed logins before lockout
	LockMinutes int
	IdleMinutes int // session idle timeout
	MaxUploadMB int
	// NotifyHosts are the only hosts reminders may be sent to (robot
	// webhooks and SMTP relays), so a unit's settings cannot make the
	// server call arbitrary internal addresses. Comma-separated.
	NotifyHosts string
}

// DefaultSecurity are the values of a fresh install: the public 企业微信 and
// 钉钉 robot endpoints; a unit's own mail relay must be added here first.
var DefaultSecurity = Security{MaxFailures: 5, LockMinutes: 15, IdleMinutes: 30, MaxUploadMB: 20,
	NotifyHosts: "qyapi.weixin.qq.com, oapi.dingtalk.com"}

// AllowedHosts lists NotifyHosts, lower-cased.
func (sec Security) AllowedHosts() []string {
	var out []string
	for _, h := range strings.FieldsFunc(sec.NotifyHosts, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '、' }) {
		out = append(out, strings.ToLower(strings.TrimSpace(h)))
	}
	return out
}

func (s *Store) setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// ints maps the integer settings' keys to their fields, for reading and
// writing alike.
func (sec *Security) ints() map[string]*int {
	return map[string]*int{"security.max_failures": &sec.MaxFailures, "security.lock_minutes": &sec.LockMinutes,
		"security.idle_minutes": &sec.IdleMinutes, "security.max_upload_mb": &sec.MaxUploadMB}
}

// SecuritySettings reads the security settings in one query (every
// authenticated request needs them), with defaults for missing keys.
func (s *Store) SecuritySettings(ctx context.Context) (Security, error) {
	sec := DefaultSecurity
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM settings WHERE key LIKE 'security.%'")
	if err != nil {
		return sec, fmt.Errorf("read security settings: %w", err)
	}
	defer rows.Close()
	ints := sec.ints()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return sec, fmt.Errorf("read security settings: %w", err)
		}
		if dst, ok := ints[k]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				*dst = n
			}
		} else if k == "security.notify_hosts" {
			sec.NotifyHosts = v
		}
	}
	return sec, rows.Err()
}

// ValidateSecurity checks ranges.
func ValidateSecurity(sec Security) error {
	switch {
	case sec.MaxFailures < 3 || sec.MaxFailures > 20:
		return apperr.Field("连续失败次数", "应在 3 到 20 之间")
	case sec.LockMinutes < 1 || sec.LockMinutes > 1440:
		return apperr.Field("锁定时长", "应在 1 到 1440 分钟之间")
	case sec.IdleMinutes < 5 || sec.IdleMinutes > 480:
		return apperr.Field("空闲超时", "应在 5 到 480 分钟之间")
	case sec.MaxUploadMB < 1 || sec.MaxUploadMB > 200:
		return apperr.Field("附件大小上限", "应在 1 到 200 MB 之间")
	}
	for _, h := range sec.AllowedHosts() {
		if !hostRE.MatchString(h) {
			return apperr.Field("允许的提醒地址", fmt.Sprintf("%q 不是主机名或 IP 地址", h))
		}
	}
	return nil
}

// SetSecuritySettings saves the security settings.
func (s *Store) SetSecuritySettings(ctx context.Context, actor Actor, sec Security) error {
	if err := ValidateSecurity(sec); err != nil {
		return err
	}
	before, err := s.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for key, v := range sec.ints() {
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1,$2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, strconv.Itoa(*v))
			if err != nil {
				return fmt.Errorf("save setting %s: %w", key, err)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('security.notify_hosts', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			strings.Join(sec.AllowedHosts(), ", "))
		if err != nil {
			return fmt.Errorf("save setting security.notify_hosts: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, 0, "settings.security", "settings", 0, before, sec)
	})
}
