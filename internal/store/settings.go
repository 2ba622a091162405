package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"zhendi/internal/access"
)

func (s *Store) setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, true, nil
}

// securityInts maps the integer settings' keys to their fields, for
// reading and writing alike.
func securityInts(sec *access.Security) map[string]*int {
	return map[string]*int{"security.max_failures": &sec.MaxFailures, "security.lock_minutes": &sec.LockMinutes,
		"security.idle_minutes": &sec.IdleMinutes, "security.max_upload_mb": &sec.MaxUploadMB,
		"security.session_hours": &sec.SessionHours, "security.min_password_len": &sec.MinPasswordLen,
		"security.password_days": &sec.PasswordDays}
}

// SecuritySettings reads the security settings in one query (every
// authenticated request needs them), with defaults for missing keys.
func (s *Store) SecuritySettings(ctx context.Context) (access.Security, error) {
	sec := access.DefaultSecurity
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM settings WHERE key LIKE 'security.%'")
	if err != nil {
		return sec, fmt.Errorf("read security settings: %w", err)
	}
	defer rows.Close()
	ints := securityInts(&sec)
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
		} else if k == "security.internal_relays" {
			sec.InternalRelays = v
		} else if k == "security.merge_admins" {
			sec.MergeAdmins = v == "1"
		}
	}
	return sec, rows.Err()
}

// SetSecuritySettings saves the security settings (validated by the
// caller: access.Security.Validate).
func (s *Store) SetSecuritySettings(ctx context.Context, actor Actor, sec access.Security) error {
	before, err := s.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for key, v := range securityInts(&sec) {
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
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('security.internal_relays', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			strings.Join(sec.RelayHosts(), ", "))
		if err != nil {
			return fmt.Errorf("save setting security.internal_relays: %w", err)
		}
		merge := "0"
		if sec.MergeAdmins {
			merge = "1"
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('security.merge_admins', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, merge)
		if err != nil {
			return fmt.Errorf("save setting security.merge_admins: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, 0, "settings.security", "settings", 0, before, sec)
	})
}
