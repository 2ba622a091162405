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

const ssoCols = `id, kind, name, client_id, agent_id, secret, auth_base, api_base, issuer, enabled`

func scanProvider(r interface{ Scan(...any) error }) (sso.Provider, error) {
	var p sso.Provider
	var kind string
	err := r.Scan(&p.ID, &kind, &p.Name, &p.ClientID, &p.AgentID, &p.Secret, &p.AuthBase, &p.APIBase, &p.Issuer, &p.Enabled)
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
			"auth_base": p.AuthBase, "api_base": p.APIBase, "issuer": p.Issuer, "enabled": p.Enabled}
		if p.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO sso_providers (kind, name, client_id, agent_id, secret, auth_base, api_base, issuer, enabled, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`, string(p.Kind), p.Name, p.ClientID, p.AgentID, p.Secret,
				p.AuthBase, p.APIBase, p.Issuer, b2i(p.Enabled), now).Scan(&p.ID)
			if err != nil {
				return fmt.Errorf("insert sign-on platform: %w", err)
			}
			return s.appendAudit(ctx, tx, actor, 0, "sso.provider", "sso_provider", p.ID, nil, logged)
		}
		res, err := tx.ExecContext(ctx, `UPDATE sso_providers SET kind=$1, name=$2, client_id=$3, agent_id=$4, secret=$5, auth_base=$6,
			api_base=$7, issuer=$8, enabled=$9, updated_at=$10 WHERE id=$11`, string(p.Kind), p.Name, p.ClientID, p.AgentID, p.Secret,
			p.AuthBase, p.APIBase, p.Issuer, b2i(p.Enabled), now, p.ID)
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
			_, err := tx.ExecContext(ctx, "INSERT INTO sso_bindings (provider_id, subject, user_id, bound_by, bound_at) VALUES ($1,$2,$3,$4,$5)",
				providerID, subject, userID, nullID(actor.UserID), s.Now().Unix())
			if err != nil {
				return fmt.Errorf("bind: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "sso.bind", "user", userID, nil, map[string]any{"provider": providerID, "subject": subject})
	})
}
