package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/apperr"
	"zhendi/internal/sso"
)

// Sign-on platforms and the platform accounts bound to zhendi accounts
// (issue 22 part 7).

const ssoCols = `id, kind, name, client_id, agent_id, secret, auth_base, api_base, issuer, enabled, msg_base, COALESCE(bind_unit_id,0)`

func scanProvider(r interface{ Scan(...any) error }) (sso.Provider, error) {
	var p sso.Provider
	var kind string
	err := r.Scan(&p.ID, &kind, &p.Name, &p.ClientID, &p.AgentID, &p.Secret, &p.AuthBase, &p.APIBase, &p.Issuer, &p.Enabled, &p.MsgBase, &p.BindUnitID)
	p.Kind = sso.Kind(kind)
	return p, err
}

// SSOProviders lists the configured platforms, enabled ones only when
// enabledOnly (the login page).
func (s *Store) SSOProviders(ctx context.Context, enabledOnly bool) ([]sso.Provider, error) {
	q := "SELECT " + ssoCols + " FROM sso_providers"
	if enabledOnly {
		q += " WHERE enabled = 1"
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list sign-on platforms: %w", err)
	}
	defer rows.Close()
	var out []sso.Provider
	for rows.Next() {
		p, err := scanProvider(rows)
		if err != nil {
			return nil, fmt.Errorf("read sign-on platform: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SSOProvider returns one platform, or ErrNotFound.
func (s *Store) SSOProvider(ctx context.Context, id int64) (sso.Provider, error) {
	p, err := scanProvider(s.db.QueryRowContext(ctx, "SELECT "+ssoCols+" FROM sso_providers WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	} else if err != nil {
		return p, fmt.Errorf("read sign-on platform %d: %w", id, err)
	}
	return p, nil
}

// SaveSSOProvider creates (ID 0) or updates a validated platform, audited
// on the installation's chain; the secret is never written to the log.
func (s *Store) SaveSSOProvider(ctx context.Context, actor Actor, p *sso.Provider) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		logged := map[string]any{"kind": p.Kind, "name": p.Name, "client_id": p.ClientID, "agent_id": p.AgentID,
			"auth_base": p.AuthBase, "api_base": p.APIBase, "issuer": p.Issuer, "enabled": p.Enabled, "msg_base": p.MsgBase, "bind_unit": p.BindUnitID}
		if p.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO sso_providers (kind, name, client_id, agent_id, secret, auth_base, api_base, issuer, enabled, updated_at, msg_base, bind_unit_id)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`, string(p.Kind), p.Name, p.ClientID, p.AgentID, p.Secret,
				p.AuthBase, p.APIBase, p.Issuer, b2i(p.Enabled), now, p.MsgBase, nullID(p.BindUnitID)).Scan(&p.ID)
			if err != nil {
				return fmt.Errorf("insert sign-on platform: %w", err)
			}
			return s.appendAudit(ctx, tx, actor, 0, "sso.provider", "sso_provider", p.ID, nil, logged)
		}
		res, err := tx.ExecContext(ctx, `UPDATE sso_providers SET kind=$1, name=$2, client_id=$3, agent_id=$4, secret=$5, auth_base=$6,
			api_base=$7, issuer=$8, enabled=$9, updated_at=$10, msg_base=$11, bind_unit_id=$12 WHERE id=$13`, string(p.Kind), p.Name, p.ClientID, p.AgentID, p.Secret,
			p.AuthBase, p.APIBase, p.Issuer, b2i(p.Enabled), now, p.MsgBase, nullID(p.BindUnitID), p.ID)
		if err != nil {
			return fmt.Errorf("update sign-on platform: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.appendAudit(ctx, tx, actor, 0, "sso.provider", "sso_provider", p.ID, nil, logged)
	})
}

// SSOUser is the zhendi account a platform account is bound to, or
// ErrNotFound when it is bound to none.
func (s *Store) SSOUser(ctx context.Context, providerID int64, subject string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT user_id FROM sso_bindings WHERE provider_id = $1 AND subject = $2", providerID, subject).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	} else if err != nil {
		return 0, fmt.Errorf("read sign-on binding: %w", err)
	}
	return id, nil
}

// SSOBindingsOf is a user's platform accounts by platform id.
func (s *Store) SSOBindingsOf(ctx context.Context, userID int64) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT provider_id, subject FROM sso_bindings WHERE user_id = $1", userID)
	if err != nil {
		return nil, fmt.Errorf("read sign-on bindings: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var pid int64
		var sub string
		if err := rows.Scan(&pid, &sub); err != nil {
			return nil, fmt.Errorf("read sign-on binding: %w", err)
		}
		out[pid] = sub
	}
	return out, rows.Err()
}

// BindSSO binds (or, with subject "", unbinds) a user's account on one
// platform, after check (the administrator's right over the user's unit);
// an account already bound to someone else is a user error.
func (s *Store) BindSSO(ctx context.Context, actor Actor, userID, providerID int64, subject string, check func(unitID int64) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var unitID int64
		err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0) FROM users WHERE id = $1", userID).Scan(&unitID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read user %d: %w", userID, err)
		}
		if err := check(unitID); err != nil {
			return err
		}
		if subject != "" {
			var other int64
			err := tx.QueryRowContext(ctx, "SELECT user_id FROM sso_bindings WHERE provider_id = $1 AND subject = $2", providerID, subject).Scan(&other)
			if err == nil && other != userID {
				return apperr.Field("平台账号", "“"+subject+"”已绑定其他用户")
			} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("read sign-on binding: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sso_bindings WHERE user_id = $1 AND provider_id = $2", userID, providerID); err != nil {
			return fmt.Errorf("unbind: %w", err)
		}
		if subject != "" {
			// A WeCom userid is what messages are addressed to; DingTalk's
			// userid is learnt at the first sign-on.
			_, err := tx.ExecContext(ctx, `INSERT INTO sso_bindings (provider_id, subject, user_id, bound_by, bound_at, userid)
				SELECT $1,$2,$3,$4,$5, CASE WHEN kind = 'wecom' THEN $2 ELSE '' END FROM sso_providers WHERE id = $1`,
				providerID, subject, userID, nullID(actor.UserID), s.Now().Unix())
			if err != nil {
				return fmt.Errorf("bind: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "sso.bind", "user", userID, nil, map[string]any{"provider": providerID, "subject": subject})
	})
}

// SetSSOUserID records the platform userid personal messages go to for a
// bound account (learnt at sign-on); no audit entry: it is what the
// platform says, not a change anyone makes.
func (s *Store) SetSSOUserID(ctx context.Context, providerID int64, subject, userid string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE sso_bindings SET userid = $1 WHERE provider_id = $2 AND subject = $3 AND userid <> $1", userid, providerID, subject)
	if err != nil {
		return fmt.Errorf("record platform userid: %w", err)
	}
	return nil
}

// SSOMessageIDs maps users to their userid on one platform, for those who
// have one (bound and, for DingTalk, signed on once).
func (s *Store) SSOMessageIDs(ctx context.Context, providerID int64, userIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var a args
	a.add(providerID)
	rows, err := s.db.QueryContext(ctx, "SELECT user_id, userid FROM sso_bindings WHERE provider_id = $1 AND userid <> '' AND user_id IN ("+a.in(userIDs)+")", a...)
	if err != nil {
		return nil, fmt.Errorf("read platform userids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var uid string
		if err := rows.Scan(&id, &uid); err != nil {
			return nil, err
		}
		out[id] = uid
	}
	return out, rows.Err()
}

// BindByMobile binds a platform account on its first sign-on to the one
// active user of unitID whose mobile is mobile, with an audit entry naming
// the platform as the actor. It returns the user's id, or 0 when no user
// or more than one matches, or the match already has another account on
// this platform (then an administrator binds by hand).
func (s *Store) BindByMobile(ctx context.Context, providerID, unitID int64, subject, userid, mobile string) (int64, error) {
	var uid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM users WHERE unit_id = $1 AND mobile = $2 AND disabled = 0", unitID, mobile)
		if err != nil {
			return fmt.Errorf("match mobile: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) != 1 {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sso_bindings WHERE (user_id = $1 AND provider_id = $2) OR (provider_id = $2 AND subject = $3)",
			ids[0], providerID, subject).Scan(&n); err != nil {
			return fmt.Errorf("read sign-on binding: %w", err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sso_bindings (provider_id, subject, user_id, bound_by, bound_at, userid) VALUES ($1,$2,$3,NULL,$4,$5)",
			providerID, subject, ids[0], s.Now().Unix(), userid); err != nil {
			return fmt.Errorf("bind by mobile: %w", err)
		}
		uid = ids[0]
		actor := Actor{Name: "系统（手机号绑定）"}
		return s.appendAudit(ctx, tx, actor, unitID, "sso.bind_mobile", "user", uid, nil,
			map[string]any{"provider": providerID, "subject": subject, "mobile": maskMobile(mobile)})
	})
	return uid, err
}

// maskMobile keeps the first three and last four digits of a number for
// the audit log (138****0000).
func maskMobile(m string) string {
	if len(m) < 8 {
		return m
	}
	return m[:3] + "****" + m[len(m)-4:]
}
