package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/notify"
)

// A unit's reminder channels (in-app, e-mail, group robots) and the e-mail
// addresses of its people.

// NotifySettings reads a unit's channels (defaults: in-app only).
func (s *Store) NotifySettings(ctx context.Context, unitID int64) (notify.Settings, error) {
	ns := notify.Settings{UnitID: unitID, InApp: true, SMTPPort: 25}
	var inapp, email, wapp, dapp int
	err := s.db.QueryRowContext(ctx, `SELECT inapp, email, smtp_host, smtp_port, smtp_user, smtp_pass, smtp_from, wecom_url, dingtalk_url, dingtalk_secret, updated_at,
		wecom_app, dingtalk_app FROM notify_settings WHERE unit_id = $1`, unitID).Scan(&inapp, &email, &ns.SMTPHost, &ns.SMTPPort, &ns.SMTPUser, &ns.SMTPPass, &ns.SMTPFrom,
		&ns.WeComURL, &ns.DingTalkURL, &ns.DingTalkSecret, &ns.UpdatedAt, &wapp, &dapp)
	if errors.Is(err, sql.ErrNoRows) {
		return ns, nil
	} else if err != nil {
		return ns, fmt.Errorf("read channel settings: %w", err)
	}
	ns.InApp, ns.Email, ns.WeComApp, ns.DingTalkApp = inapp == 1, email == 1, wapp == 1, dapp == 1
	return ns, nil
}

// ContactEmails returns the reminder e-mail addresses of users.
func (s *Store) ContactEmails(ctx context.Context, userIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT user_id, email FROM notify_contacts WHERE user_id IN ("+a.in(userIDs)+")", a...)
	if err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, rows.Err()
}

// SaveChannels stores a unit's channels and sets the reminder addresses of
// its users ("" removes one), in one transaction with their audit entries
// (secrets left out). The settings must have passed notify.Settings.Validate
// and the addresses notify.CheckEmail. ErrNotFound when the scope does not
// write the unit or an address is for someone outside it.
func (s *Store) SaveChannels(ctx context.Context, actor Actor, sc access.Scope, ns notify.Settings, emails map[int64]string) error {
	if !slices.Contains(sc.WriteUnits, ns.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notify_settings (unit_id, inapp, email, smtp_host, smtp_port, smtp_user, smtp_pass, smtp_from,
			wecom_url, dingtalk_url, dingtalk_secret, updated_at, wecom_app, dingtalk_app) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
			ON CONFLICT (unit_id) DO UPDATE SET inapp = excluded.inapp, email = excluded.email, smtp_host = excluded.smtp_host,
			smtp_port = excluded.smtp_port, smtp_user = excluded.smtp_user, smtp_pass = excluded.smtp_pass, smtp_from = excluded.smtp_from,
			wecom_url = excluded.wecom_url, dingtalk_url = excluded.dingtalk_url, dingtalk_secret = excluded.dingtalk_secret, updated_at = excluded.updated_at,
			wecom_app = excluded.wecom_app, dingtalk_app = excluded.dingtalk_app`,
			ns.UnitID, b2i(ns.InApp), b2i(ns.Email), ns.SMTPHost, ns.SMTPPort, ns.SMTPUser, ns.SMTPPass, ns.SMTPFrom, ns.WeComURL, ns.DingTalkURL,
			ns.DingTalkSecret, s.Now().Unix(), b2i(ns.WeComApp), b2i(ns.DingTalkApp))
		if err != nil {
			return fmt.Errorf("save channel settings: %w", err)
		}
		err = s.appendAudit(ctx, tx, actor, ns.UnitID, "notify.settings", "unit", ns.UnitID, nil, map[string]any{
			"inapp": ns.InApp, "email": ns.Email, "smtp_host": ns.SMTPHost, "smtp_port": ns.SMTPPort, "smtp_from": ns.SMTPFrom,
			"wecom": ns.WeComURL != "", "dingtalk": ns.DingTalkURL != "", "dingtalk_signed": ns.DingTalkSecret != "",
			"wecom_app": ns.WeComApp, "dingtalk_app": ns.DingTalkApp})
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(emails)) {
			in, err := userInUnit(ctx, tx, id, ns.UnitID, false)
			if err != nil {
				return err
			}
			if !in {
				return ErrNotFound
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM notify_contacts WHERE user_id = $1", id); err != nil {
				return fmt.Errorf("clear contact: %w", err)
			}
			if e := strings.TrimSpace(emails[id]); e != "" {
				if _, err := tx.ExecContext(ctx, "INSERT INTO notify_contacts (user_id, email) VALUES ($1,$2)", id, e); err != nil {
					return fmt.Errorf("save contact: %w", err)
				}
			}
		}
		return s.appendAudit(ctx, tx, actor, ns.UnitID, "notify.contacts", "unit", ns.UnitID, nil, map[string]int{"users": len(emails)})
	})
}
