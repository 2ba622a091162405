package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
)

// 信息报送 settings of a unit: the review chain, points per level, the
// default monthly quota, proofreading rounds and step time limit
// (info_config), and departments' own quotas (info_quotas). Validation is
// infosub.Config.Validate and infosub.ValidateQuota, called by the service.

// InfoConfig returns a unit's settings, defaults where it saved none.
func (s *Store) InfoConfig(ctx context.Context, unitID int64) (infosub.Config, error) {
	return infoConfig(ctx, s.db, unitID)
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func infoConfig(ctx context.Context, q rowQueryer, unitID int64) (infosub.Config, error) {
	c := infosub.DefaultConfig()
	var chain, points string
	var distinct int
	err := q.QueryRowContext(ctx, `SELECT chain_json, points_json, quota, proof_rounds, step_days, proof_distinct FROM info_config WHERE unit_id = $1`, unitID).
		Scan(&chain, &points, &c.Quota, &c.ProofRounds, &c.StepDays, &distinct)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	} else if err != nil {
		return c, fmt.Errorf("read info config: %w", err)
	}
	c.ProofDistinct = distinct != 0
	if chain != "" {
		if err := json.Unmarshal([]byte(chain), &c.Chain); err != nil {
			return c, fmt.Errorf("info config chain: %w", err)
		}
	}
	if points != "" {
		p := infosub.DefaultPoints()
		if err := json.Unmarshal([]byte(points), &p); err != nil {
			return c, fmt.Errorf("info config points: %w", err)
		}
		c.Points = p
	}
	return c, nil
}

// SetInfoConfig saves a unit's validated settings. ErrNotFound when the
// scope may not manage the unit (infosub.CanManage).
func (s *Store) SetInfoConfig(ctx context.Context, actor Actor, sc access.Scope, unitID int64, c infosub.Config) error {
	if !infosub.CanManage(sc, unitID) {
		return ErrNotFound
	}
	chain, err := json.Marshal(c.Chain)
	if err != nil {
		return fmt.Errorf("encode chain: %w", err)
	}
	points, err := json.Marshal(c.Points)
	if err != nil {
		return fmt.Errorf("encode points: %w", err)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := infoConfig(ctx, tx, unitID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO info_config (unit_id, chain_json, points_json, quota, proof_rounds, step_days, updated_at, proof_distinct)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (unit_id) DO UPDATE SET chain_json = excluded.chain_json,
			points_json = excluded.points_json, quota = excluded.quota, proof_rounds = excluded.proof_rounds,
			step_days = excluded.step_days, updated_at = excluded.updated_at, proof_distinct = excluded.proof_distinct`,
			unitID, string(chain), string(points), c.Quota, c.ProofRounds, c.StepDays, s.Now().Unix(), b2i(c.ProofDistinct))
		if err != nil {
			return fmt.Errorf("save info config: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.config", "unit", unitID, before, c)
	})
}

// InfoQuotas returns the departments' own monthly quotas of a unit, by
// organisation node id.
func (s *Store) InfoQuotas(ctx context.Context, unitID int64) (map[int64]int, error) {
	out, err := queryCounts[int64](ctx, s.db, `SELECT org_id, monthly FROM info_quotas WHERE unit_id = $1`, unitID)
	if err != nil {
		return nil, fmt.Errorf("read quotas: %w", err)
	}
	return out, nil
}

// SetInfoQuota sets one department's monthly quota (checked by the caller
// with infosub.ValidateQuota and infosub.CheckQuotaOrg); a negative value
// removes it, so the unit default applies. ErrNotFound when the scope may
// not manage the unit (infosub.CanManage).
func (s *Store) SetInfoQuota(ctx context.Context, actor Actor, sc access.Scope, unitID, orgID int64, monthly int) error {
	if !infosub.CanManage(sc, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if monthly < 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM info_quotas WHERE org_id = $1 AND unit_id = $2`, orgID, unitID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO info_quotas (org_id, unit_id, monthly) VALUES ($1,$2,$3)
				ON CONFLICT (org_id) DO UPDATE SET monthly = excluded.monthly`, orgID, unitID, monthly)
		}
		if err != nil {
			return fmt.Errorf("save quota: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.quota", "org", orgID, nil, map[string]int{"monthly": monthly})
	})
}
