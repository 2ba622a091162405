package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
)

// Supervision rules are kept as versions: a change closes the version in
// force and adds one from the day of the change, so periods already judged
// keep the rules then in force.

const ruleCols = `id, unit_id, rule_key, name, subject, type, topic, count, period, per_plan, due_month, grace_days, remind_days,
	COALESCE(resp_user_id,0), valid_from, valid_to, note`

func scanRule(r interface{ Scan(...any) error }) (supervise.Rule, error) {
	var x supervise.Rule
	var perPlan int
	err := r.Scan(&x.ID, &x.UnitID, &x.Key, &x.Name, &x.Subject, &x.Type, &x.Topic, &x.Count, &x.Period, &perPlan, &x.DueMonth,
		&x.GraceDays, &x.RemindDays, &x.RespUserID, &x.ValidFrom, &x.ValidTo, &x.Note)
	x.PerPlan = perPlan == 1
	return x, err
}

// RuleVersions returns every stored rule version of the units, by unit, in
// rule order. Units without stored rules are absent: they use the presets.
func (s *Store) RuleVersions(ctx context.Context, unitIDs []int64) (map[int64][]supervise.Rule, error) {
	out := map[int64][]supervise.Rule{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT "+ruleCols+" FROM supervise_rules WHERE unit_id IN ("+a.in(unitIDs)+") ORDER BY unit_id, id", a...)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, err
		}
		out[r.UnitID] = append(out[r.UnitID], r)
	}
	return out, rows.Err()
}

// EffectiveRules is RuleVersions with the presets filled in for units that
// have not stored rules of their own.
func (s *Store) EffectiveRules(ctx context.Context, unitIDs []int64) (map[int64][]supervise.Rule, error) {
	out, err := s.RuleVersions(ctx, unitIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range unitIDs {
		if len(out[id]) == 0 {
			out[id] = supervise.Presets(id, supervise.PresetValidFrom)
		}
	}
	return out, nil
}

// adoptPresets stores the presets for a unit that has no rules yet, valid
// from the beginning of time, so later versions have a history to close.
func (s *Store) adoptPresets(ctx context.Context, tx *sql.Tx, actor Actor, unitID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM supervise_rules WHERE unit_id = $1", unitID).Scan(&n); err != nil {
		return fmt.Errorf("count rules: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, r := range supervise.Presets(unitID, supervise.PresetValidFrom) {
		if err := s.insertRule(ctx, tx, actor, &r); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertRule(ctx context.Context, tx *sql.Tx, actor Actor, r *supervise.Rule) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO supervise_rules (unit_id, rule_key, name, subject, type, topic, count, period, per_plan,
		due_month, grace_days, remind_days, resp_user_id, valid_from, valid_to, note, created_at, created_by)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`,
		r.UnitID, r.Key, r.Name, r.Subject, r.Type, r.Topic, r.Count, r.Period, b2i(r.PerPlan), r.DueMonth, r.GraceDays, r.RemindDays,
		nullID(r.RespUserID), r.ValidFrom, r.ValidTo, r.Note, s.Now().Unix(), nullID(actor.UserID)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert rule: %w", err)
	}
	return s.appendAudit(ctx, tx, actor, r.UnitID, "rule.create", "rule", r.ID, nil, r)
}

// SaveRule stores a new version of a rule taking effect on today
// ("2006-01-02"): the version in force is closed the day before (or
// replaced when it only began today), so periods already judged keep their
// rules. An empty Key creates a new obligation. The rule must have passed
// supervise.Rule.Validate. ErrNotFound when the scope does not write the
// rule's unit; supervise.ErrRespNotInUnit when the person to remind is not a
// member of it.
func (s *Store) SaveRule(ctx context.Context, actor Actor, sc access.Scope, r supervise.Rule, today string) (supervise.Rule, error) {
	if !slices.Contains(sc.WriteUnits, r.UnitID) {
		return r, ErrNotFound
	}
	r.ValidFrom, r.ValidTo = today, ""
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.adoptPresets(ctx, tx, actor, r.UnitID); err != nil {
			return err
		}
		if r.RespUserID != 0 {
			in, err := userInUnit(ctx, tx, r.RespUserID, r.UnitID, false)
			if err != nil {
				return err
			}
			if !in {
				return supervise.ErrRespNotInUnit
			}
		}
		if r.Key == "" {
			r.Key = fmt.Sprintf("custom-%d", s.Now().UnixNano())
		}
		cur, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+` FROM supervise_rules WHERE unit_id = $1 AND rule_key = $2
			AND valid_to = '' ORDER BY id DESC LIMIT 1`, r.UnitID, r.Key))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read rule: %w", err)
		case cur.ValidFrom >= today:
			if _, err := tx.ExecContext(ctx, "DELETE FROM supervise_rules WHERE id = $1", cur.ID); err != nil {
				return fmt.Errorf("replace rule: %w", err)
			}
			r.ValidFrom = cur.ValidFrom
			if err := s.appendAudit(ctx, tx, actor, r.UnitID, "rule.replace", "rule", cur.ID, cur, nil); err != nil {
				return err
			}
		default:
			prev := cntime.AddDays(today, -1)
			if _, err := tx.ExecContext(ctx, "UPDATE supervise_rules SET valid_to = $1 WHERE id = $2", prev, cur.ID); err != nil {
				return fmt.Errorf("close rule version: %w", err)
			}
			if err := s.appendAudit(ctx, tx, actor, r.UnitID, "rule.close", "rule", cur.ID, cur, map[string]string{"valid_to": prev}); err != nil {
				return err
			}
		}
		return s.insertRule(ctx, tx, actor, &r)
	})
	return r, err
}

// RetireRule ends an obligation: its version in force is closed the day
// before today ("2006-01-02"). ErrNotFound when the scope does not write the
// unit or the unit has no such obligation in force.
func (s *Store) RetireRule(ctx context.Context, actor Actor, sc access.Scope, unitID int64, key, today string) error {
	if !slices.Contains(sc.WriteUnits, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.adoptPresets(ctx, tx, actor, unitID); err != nil {
			return err
		}
		cur, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM supervise_rules WHERE unit_id = $1 AND rule_key = $2 AND valid_to = ''", unitID, key))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read rule: %w", err)
		}
		prev := cntime.AddDays(today, -1)
		if cur.ValidFrom > prev {
			prev = cur.ValidFrom
		}
		if _, err := tx.ExecContext(ctx, "UPDATE supervise_rules SET valid_to = $1 WHERE id = $2", prev, cur.ID); err != nil {
			return fmt.Errorf("retire rule: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "rule.retire", "rule", cur.ID, cur, map[string]string{"valid_to": prev})
	})
}
