package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/opinion"
)

// Opinion alert rules and the alerts they fired. When a rule fires is the
// opinion domain's (AlertRule.Fires, SendAt); here the rules are kept and
// each alert is claimed under its key once.

// OpinionAlertRule is a unit's alert rule with its scheme's name.
type OpinionAlertRule struct {
	opinion.AlertRule
	UnitID     int64
	SchemeName string
	Enabled    bool
}

const alertRuleCols = `r.id, r.unit_id, r.scheme_id, COALESCE(c.name, ''), r.kind, r.threshold, r.quiet_from, r.quiet_to, r.enabled`

func (s *Store) queryAlertRules(ctx context.Context, where string, a ...any) ([]OpinionAlertRule, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+alertRuleCols+` FROM opinion_alert_rules r LEFT JOIN opinion_schemes c ON c.id = r.scheme_id
		WHERE `+where+" ORDER BY r.unit_id, r.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list alert rules: %w", err)
	}
	defer rows.Close()
	var out []OpinionAlertRule
	for rows.Next() {
		var r OpinionAlertRule
		var kind, qf, qt, enabled int
		if err := rows.Scan(&r.ID, &r.UnitID, &r.SchemeID, &r.SchemeName, &kind, &r.Threshold, &qf, &qt, &enabled); err != nil {
			return nil, err
		}
		r.Kind, r.QuietFrom, r.QuietTo, r.Enabled = opinion.AlertKind(kind), opinion.Clock(qf), opinion.Clock(qt), enabled == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// AlertRules lists a unit's alert rules.
func (s *Store) AlertRules(ctx context.Context, sc access.Scope, unitID int64) ([]OpinionAlertRule, error) {
	if !sc.CanRead(unitID, unitID) {
		return nil, ErrNotFound
	}
	return s.queryAlertRules(ctx, "r.unit_id = $1", unitID)
}

// EnabledAlertRules lists every unit's enabled rules whose scheme is live
// (the alert round).
func (s *Store) EnabledAlertRules(ctx context.Context) ([]OpinionAlertRule, error) {
	return s.queryAlertRules(ctx, "r.enabled = 1 AND c.deleted_at IS NULL")
}

// ErrSchemeNotInUnit: the rule names a scheme that is not the unit's.
var ErrSchemeNotInUnit = apperr.Field("监测方案", "不是本单位的监测方案")

// CreateAlertRule adds a rule to a unit the scope writes; the rule must
// have passed Validate and name one of the unit's live schemes.
func (s *Store) CreateAlertRule(ctx context.Context, actor Actor, sc access.Scope, r *OpinionAlertRule) error {
	if !sc.CanWrite(r.UnitID, r.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM opinion_schemes WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", r.SchemeID, r.UnitID).Scan(&n); err != nil {
			return fmt.Errorf("check scheme: %w", err)
		}
		if n == 0 {
			return ErrSchemeNotInUnit
		}
		now := s.Now().Unix()
		err := tx.QueryRowContext(ctx, `INSERT INTO opinion_alert_rules (unit_id, scheme_id, kind, threshold, quiet_from, quiet_to, enabled, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,1,$7,$7) RETURNING id`, r.UnitID, r.SchemeID, int(r.Kind), r.Threshold, int(r.QuietFrom), int(r.QuietTo), now).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert alert rule: %w", err)
		}
		r.Enabled = true
		return s.appendAudit(ctx, tx, actor, r.UnitID, "opinion.alert_rules", "opinion_alert_rule", r.ID, nil,
			map[string]any{"scheme": r.SchemeID, "kind": r.Kind.String(), "threshold": r.Threshold, "quiet": r.QuietFrom.String() + "-" + r.QuietTo.String()})
	})
}

// DeleteAlertRule removes a rule of a unit the scope writes. Alerts it
// fired stay in the log.
func (s *Store) DeleteAlertRule(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var unit int64
		err := tx.QueryRowContext(ctx, "SELECT unit_id FROM opinion_alert_rules WHERE id = $1", id).Scan(&unit)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanWrite(unit, unit)) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read alert rule: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM opinion_alert_rules WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete alert rule: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unit, "opinion.alert_rules", "opinion_alert_rule", id, map[string]any{"deleted": id}, nil)
	})
}

// EventFigures is a recent event's figures for the alert rules: its items,
// heat, negative items and volume per hour of the last hours.
type EventFigures struct {
	ID       int64
	UnitID   int64
	SchemeID int64
	Title    string
	Items    int
	Heat     float64
	Negative int
	Hours    map[int64]int
}

// RecentEvents returns the live events of the given schemes with an item
// at or after since, with their figures and their hourly volume from
// hourFrom on.
func (s *Store) RecentEvents(ctx context.Context, schemeIDs []int64, since, hourFrom int64) ([]EventFigures, error) {
	if len(schemeIDs) == 0 {
		return nil, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.unit_id, e.scheme_id, e.title, e.items, e.heat,
		(SELECT COUNT(*) FROM opinion_event_items ei JOIN opinion_items i ON i.id = ei.item_id WHERE ei.event_id = e.id AND i.negativity > 0)
		FROM opinion_events e WHERE e.scheme_id IN (`+a.in(schemeIDs)+`) AND e.merged_into = 0 AND e.last_at >= `+a.add(since)+` ORDER BY e.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("read recent events: %w", err)
	}
	var out []EventFigures
	idx := map[int64]int{}
	for rows.Next() {
		var e EventFigures
		if err := rows.Scan(&e.ID, &e.UnitID, &e.SchemeID, &e.Title, &e.Items, &e.Heat, &e.Negative); err != nil {
			rows.Close()
			return nil, err
		}
		e.Hours = map[int64]int{}
		idx[e.ID] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, e := range out {
		ids[i] = e.ID
	}
	var b args
	hrows, err := s.db.QueryContext(ctx, "SELECT event_id, hour, n FROM opinion_event_hours WHERE event_id IN ("+b.in(ids)+") AND hour >= "+b.add(hourFrom), b...)
	if err != nil {
		return nil, fmt.Errorf("read event hours: %w", err)
	}
	defer hrows.Close()
	for hrows.Next() {
		var id, h int64
		var n int
		if err := hrows.Scan(&id, &h, &n); err != nil {
			return nil, err
		}
		out[idx[id]].Hours[h] += n
	}
	return out, hrows.Err()
}

// OpinionAlert is one alert fired for an event by a rule.
type OpinionAlert struct {
	Key         string
	UnitID      int64
	RuleID      int64
	EventID     int64
	Title       string
	Body        string
	FiredAt     int64
	SendAt      int64
	DeliveredAt int64
}

// ClaimAlert records an alert unless one with its key exists, and
// reports whether this caller claimed it (and so must see it delivered).
func (s *Store) ClaimAlert(ctx context.Context, a OpinionAlert) (bool, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO opinion_alerts (alert_key, unit_id, rule_id, event_id, title, body, fired_at, send_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`, a.Key, a.UnitID, a.RuleID, a.EventID, a.Title, a.Body, a.FiredAt, a.SendAt)
	if err != nil {
		return false, fmt.Errorf("claim alert %s: %w", a.Key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) queryAlerts(ctx context.Context, where string, a ...any) ([]OpinionAlert, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT alert_key, unit_id, rule_id, event_id, title, body, fired_at, send_at, delivered_at FROM opinion_alerts WHERE `+where, a...)
	if err != nil {
		return nil, fmt.Errorf("read alerts: %w", err)
	}
	defer rows.Close()
	var out []OpinionAlert
	for rows.Next() {
		var x OpinionAlert
		if err := rows.Scan(&x.Key, &x.UnitID, &x.RuleID, &x.EventID, &x.Title, &x.Body, &x.FiredAt, &x.SendAt, &x.DeliveredAt); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// DueAlerts lists alerts not yet handed to the channels whose send time
// has come.
func (s *Store) DueAlerts(ctx context.Context, now int64) ([]OpinionAlert, error) {
	return s.queryAlerts(ctx, "delivered_at = 0 AND send_at <= $1 ORDER BY send_at, alert_key", now)
}

// MarkAlertDelivered records that an alert was handed to the channels.
func (s *Store) MarkAlertDelivered(ctx context.Context, key string, now int64) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE opinion_alerts SET delivered_at = $1 WHERE alert_key = $2", now, key); err != nil {
		return fmt.Errorf("mark alert %s: %w", key, err)
	}
	return nil
}

// Alerts lists a unit's latest alerts.
func (s *Store) Alerts(ctx context.Context, sc access.Scope, unitID int64, limit int) ([]OpinionAlert, error) {
	if !sc.CanRead(unitID, unitID) {
		return nil, ErrNotFound
	}
	return s.queryAlerts(ctx, "unit_id = $1 ORDER BY fired_at DESC, alert_key LIMIT $2", unitID, limit)
}
