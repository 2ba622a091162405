package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"zhendi/internal/audit"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
)

// A unit's own screening terms (info_terms), compiled with the built-in
// lexicon by the service.

// InfoTerms lists a unit's own screening terms.
func (s *Store) InfoTerms(ctx context.Context, unitID int64) ([]infosub.Term, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, term, category, severity, replacement, note FROM info_terms WHERE unit_id = $1 ORDER BY category, term`, unitID)
	if err != nil {
		return nil, fmt.Errorf("list terms: %w", err)
	}
	defer rows.Close()
	var out []infosub.Term
	for rows.Next() {
		var t infosub.Term
		if err := rows.Scan(&t.ID, &t.Term, &t.Category, &t.Severity, &t.Suggest, &t.Note); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveInfoTerms adds or replaces (same text) terms of a unit, checked by
// the caller (infosub.ValidateTerms), in one transaction: an import is all
// or nothing. It returns how many were saved; ErrNotFound when the scope
// may not manage the unit (infosub.CanManage).
func (s *Store) SaveInfoTerms(ctx context.Context, actor Actor, sc access.Scope, unitID int64, terms []infosub.Term) (int, error) {
	if !infosub.CanManage(sc, unitID) {
		return 0, ErrNotFound
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		ids := make([]int64, 0, len(terms))
		for _, t := range terms {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO info_terms (unit_id, category, term, replacement, severity, note, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (unit_id, term) DO UPDATE SET category = excluded.category,
				replacement = excluded.replacement, severity = excluded.severity, note = excluded.note RETURNING id`,
				unitID, t.Category, t.Term, t.Suggest, t.Severity, t.Note, now).Scan(&id)
			if err != nil {
				return fmt.Errorf("save term %s: %w", t.Term, err)
			}
			ids = append(ids, id)
		}
		summary := make([]string, 0, min(len(terms), 20))
		for _, t := range terms[:min(len(terms), 20)] {
			summary = append(summary, t.Category+":"+t.Term)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.terms.save", "unit", unitID, nil, map[string]any{"count": len(terms), "first": summary, "ids": audit.IDRanges(ids)})
	})
	if err != nil {
		return 0, err
	}
	return len(terms), nil
}

// DeleteInfoTerm removes one of a unit's terms; ErrNotFound when there is
// no such term of the unit or the scope may not manage the unit
// (infosub.CanManage).
func (s *Store) DeleteInfoTerm(ctx context.Context, actor Actor, sc access.Scope, unitID, termID int64) error {
	if !infosub.CanManage(sc, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var t infosub.Term
		err := tx.QueryRowContext(ctx, `SELECT term, category FROM info_terms WHERE id = $1 AND unit_id = $2`, termID, unitID).Scan(&t.Term, &t.Category)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read term: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM info_terms WHERE id = $1`, termID); err != nil {
			return fmt.Errorf("delete term: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.terms.delete", "unit", unitID, map[string]any{"term": t.Term, "category": t.Category}, nil)
	})
}
