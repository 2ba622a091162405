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

// OpinionScheme is a unit's monitoring scheme (方案).
type OpinionScheme struct {
	ID          int64
	UnitID      int64
	Name        string
	Rule        string  // rule language of internal/textscan
	Scope       string  // "all", "title" or "text"
	SourceIDs   []int64 // empty: every source
	ActiveFrom  int64   // 0: no start
	ActiveUntil int64   // 0: no end
	Enabled     bool
	CreatedAt   int64
	UpdatedAt   int64
}

const schemeCols = "id, unit_id, name, rule, scope, source_ids, active_from, active_until, enabled, created_at, updated_at"

func scanScheme(r interface{ Scan(...any) error }) (OpinionScheme, error) {
	var c OpinionScheme
	var src string
	var enabled int
	err := r.Scan(&c.ID, &c.UnitID, &c.Name, &c.Rule, &c.Scope, &src, &c.ActiveFrom, &c.ActiveUntil, &enabled, &c.CreatedAt, &c.UpdatedAt)
	c.Enabled = enabled == 1
	for _, f := range strings.Split(src, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil {
			c.SourceIDs = append(c.SourceIDs, id)
		}
	}
	return c, err
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func (s *Store) querySchemes(ctx context.Context, q string, a ...any) ([]OpinionScheme, error) {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list schemes: %w", err)
	}
	defer rows.Close()
	var out []OpinionScheme
	for rows.Next() {
		c, err := scanScheme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// OpinionSchemes lists a unit's live schemes.
func (s *Store) OpinionSchemes(ctx context.Context, sc access.Scope, unitID int64) ([]OpinionScheme, error) {
	if !sc.CanRead(unitID, unitID) {
		return nil, ErrNotFound
	}
	return s.querySchemes(ctx, "SELECT "+schemeCols+" FROM opinion_schemes WHERE unit_id = $1 AND deleted_at IS NULL ORDER BY name, id", unitID)
}

// EnabledSchemes lists a unit's enabled schemes for intake, which runs
// for the unit itself (a job, the push API, an import the caller was
// allowed to start), so it takes no scope.
func (s *Store) EnabledSchemes(ctx context.Context, unitID int64) ([]OpinionScheme, error) {
	return s.querySchemes(ctx, "SELECT "+schemeCols+" FROM opinion_schemes WHERE unit_id = $1 AND deleted_at IS NULL AND enabled = 1 ORDER BY id", unitID)
}

// SchemesVersion is a cheap fingerprint of a unit's schemes (count and
// latest change), so a cached compiled set is rebuilt only after a change.
func (s *Store) SchemesVersion(ctx context.Context, unitID int64) (string, error) {
	var n, upd int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(updated_at), 0) + COALESCE(MAX(deleted_at), 0)
		FROM opinion_schemes WHERE unit_id = $1`, unitID).Scan(&n, &upd)
	if err != nil {
		return "", fmt.Errorf("schemes version: %w", err)
	}
	return fmt.Sprintf("%d/%d", n, upd), nil
}

// OpinionScheme returns one scheme the scope may read.
func (s *Store) OpinionScheme(ctx context.Context, sc access.Scope, id int64) (OpinionScheme, error) {
	c, err := scanScheme(s.db.QueryRowContext(ctx, "SELECT "+schemeCols+" FROM opinion_schemes WHERE id = $1 AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanRead(c.UnitID, c.UnitID)) {
		return OpinionScheme{}, ErrNotFound
	} else if err != nil {
		return c, fmt.Errorf("read scheme %d: %w", id, err)
	}
	return c, nil
}

// SaveOpinionScheme creates (ID 0) or updates a scheme of c.UnitID, which
// the scope must be able to write. check (the domain's validation: the rule
// compiles, the sources are the unit's) runs inside the transaction with the
// unit's source ids.
func (s *Store) SaveOpinionScheme(ctx context.Context, actor Actor, sc access.Scope, c *OpinionScheme, check func(unitSources []int64) error) error {
	if !sc.CanWrite(c.UnitID, c.UnitID) {
		return ErrNotFound
	}
	now := s.Now().Unix()
	return s.tx(ctx, func(tx *sql.Tx) error {
		srcs, err := queryIDs(ctx, tx, "SELECT id FROM opinion_sources WHERE unit_id = $1 AND deleted_at IS NULL", c.UnitID)
		if err != nil {
			return fmt.Errorf("read unit sources: %w", err)
		}
		if err := check(srcs); err != nil {
			return err
		}
		if c.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO opinion_schemes (unit_id, name, rule, scope, source_ids, active_from, active_until, enabled, created_at, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id`, c.UnitID, c.Name, c.Rule, c.Scope, joinIDs(c.SourceIDs), c.ActiveFrom, c.ActiveUntil,
				b2i(c.Enabled), now).Scan(&c.ID)
			if err != nil {
				return fmt.Errorf("insert scheme: %w", err)
			}
			c.CreatedAt, c.UpdatedAt = now, now
			return s.appendAudit(ctx, tx, actor, c.UnitID, "opinion.scheme.create", "opinion_scheme", c.ID, nil, c)
		}
		before, err := scanScheme(tx.QueryRowContext(ctx, "SELECT "+schemeCols+" FROM opinion_schemes WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", c.ID, c.UnitID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read scheme %d: %w", c.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE opinion_schemes SET name = $1, rule = $2, scope = $3, source_ids = $4, active_from = $5, active_until = $6,
			enabled = $7, updated_at = $8 WHERE id = $9`, c.Name, c.Rule, c.Scope, joinIDs(c.SourceIDs), c.ActiveFrom, c.ActiveUntil, b2i(c.Enabled),
			max(now, before.UpdatedAt+1), c.ID); err != nil {
			return fmt.Errorf("update scheme: %w", err)
		}
		c.CreatedAt, c.UpdatedAt = before.CreatedAt, max(now, before.UpdatedAt+1)
		return s.appendAudit(ctx, tx, actor, c.UnitID, "opinion.scheme.update", "opinion_scheme", c.ID, before, c)
	})
}

// DeleteOpinionScheme removes a scheme (soft); its hits and events stay.
func (s *Store) DeleteOpinionScheme(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanScheme(tx.QueryRowContext(ctx, "SELECT "+schemeCols+" FROM opinion_schemes WHERE id = $1 AND deleted_at IS NULL", id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanWrite(c.UnitID, c.UnitID)) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read scheme %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE opinion_schemes SET deleted_at = $1 WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("delete scheme: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, c.UnitID, "opinion.scheme.delete", "opinion_scheme", id, c, nil)
	})
}
