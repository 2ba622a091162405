package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/access"
)

// A unit's own negativity lexicon: the file as uploaded (checked by the
// opinion package first), kept whole so it can be shown and downloaded
// again, and joined to the seed lexicon when the unit's items are scored.

// OpinionLexicon is a unit's lexicon file and what it says of itself.
type OpinionLexicon struct {
	UnitID    int64
	Name      string
	Licence   string
	Body      string
	Terms     int
	UpdatedAt int64
	UpdatedBy int64
}

// UnitOpinionLexicon returns unitID's lexicon, ErrNotFound when it has none.
// No scope: intake reads it for every unit.
func (s *Store) UnitOpinionLexicon(ctx context.Context, unitID int64) (OpinionLexicon, error) {
	l := OpinionLexicon{UnitID: unitID}
	err := s.db.QueryRowContext(ctx, "SELECT name, licence, body, terms, updated_at, COALESCE(updated_by, 0) FROM opinion_lexicons WHERE unit_id = $1",
		unitID).Scan(&l.Name, &l.Licence, &l.Body, &l.Terms, &l.UpdatedAt, &l.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("read opinion lexicon of unit %d: %w", unitID, err)
	}
	return l, nil
}

// OpinionLexiconVersion is when unitID's lexicon last changed (0: none):
// the service's cache key.
func (s *Store) OpinionLexiconVersion(ctx context.Context, unitID int64) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(updated_at), 0) FROM opinion_lexicons WHERE unit_id = $1", unitID).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read opinion lexicon version: %w", err)
	}
	return v, nil
}

// SaveOpinionLexicon replaces the unit's lexicon (the scope must write the
// unit), audited with its name, licence and size; the body itself is
// kept in the table, not in the audit entry.
func (s *Store) SaveOpinionLexicon(ctx context.Context, actor Actor, sc access.Scope, l *OpinionLexicon) error {
	if !sc.CanWrite(l.UnitID, l.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var prev int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(updated_at), 0) FROM opinion_lexicons WHERE unit_id = $1", l.UnitID).Scan(&prev); err != nil {
			return fmt.Errorf("read opinion lexicon: %w", err)
		}
		// The version must change with every save, also twice in a second.
		l.UpdatedAt, l.UpdatedBy = max(s.Now().Unix(), prev+1), actor.UserID
		if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_lexicons (unit_id, name, licence, body, terms, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT (unit_id) DO UPDATE SET name = excluded.name, licence = excluded.licence, body = excluded.body, terms = excluded.terms,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			l.UnitID, l.Name, l.Licence, l.Body, l.Terms, l.UpdatedAt, nullID(actor.UserID)); err != nil {
			return fmt.Errorf("save opinion lexicon: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, l.UnitID, "opinion.lexicon.save", "opinion_lexicon", l.UnitID, nil,
			map[string]any{"name": l.Name, "licence": l.Licence, "terms": l.Terms})
	})
}

// DeleteOpinionLexicon removes the unit's lexicon: its items are scored
// with the seed lexicon alone from then on.
func (s *Store) DeleteOpinionLexicon(ctx context.Context, actor Actor, sc access.Scope, unitID int64) error {
	if !sc.CanWrite(unitID, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM opinion_lexicons WHERE unit_id = $1", unitID)
		if err != nil {
			return fmt.Errorf("delete opinion lexicon: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.appendAudit(ctx, tx, actor, unitID, "opinion.lexicon.delete", "opinion_lexicon", unitID, nil, nil)
	})
}
