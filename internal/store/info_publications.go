package store

import (
	"context"
	"database/sql"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
)

// Publication and adoption records of drafts (info_publications).

// AddPublication records publication p of its draft (p.DraftID) in one
// transaction: rule (infosub.Publish, bound to p by the service) runs on the
// locked draft and completes p (unit, points); then the record, the
// draft's new status, the decision and the audit entry are written.
func (s *Store) AddPublication(ctx context.Context, actor Actor, sc access.Scope, p *infosub.Publication, rule infosub.Rule) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, d, ch, err := s.transition(ctx, tx, actor, sc, p.DraftID, rule)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO info_publications (draft_id, unit_id, kind, level, outlet, url, date, points, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`, d.ID, d.UnitID, p.Kind, p.Level, p.Outlet, p.URL, p.Date, p.Points,
			s.Now().Unix(), nullID(actor.UserID)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert publication: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info."+string(ch.Decision.Action), "info", d.ID, nil, p)
	})
}

// RemovePublication deletes a wrongly entered record (kept for the audit
// trail). ErrNotFound when the record or the draft is missing or the scope
// may not manage the draft's unit (infosub.CanManage).
func (s *Store) RemovePublication(ctx context.Context, actor Actor, sc access.Scope, draftID, pubID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, draftID)
		if err != nil {
			return err
		}
		if !infosub.CanManage(sc, d.UnitID) {
			return ErrNotFound
		}
		res, err := tx.ExecContext(ctx, `UPDATE info_publications SET deleted_at = $1 WHERE id = $2 AND draft_id = $3 AND deleted_at IS NULL`,
			s.Now().Unix(), pubID, draftID)
		if err != nil {
			return fmt.Errorf("remove publication: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.publication.remove", "info", draftID, map[string]any{"publication": pubID}, nil)
	})
}

// Publications lists the live records of a draft.
func (s *Store) Publications(ctx context.Context, sc access.Scope, draftID int64) ([]infosub.Publication, error) {
	if _, err := s.Draft(ctx, sc, draftID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, draft_id, unit_id, kind, level, outlet, url, date, points FROM info_publications
		WHERE draft_id = $1 AND deleted_at IS NULL ORDER BY date, id`, draftID)
	if err != nil {
		return nil, fmt.Errorf("list publications: %w", err)
	}
	defer rows.Close()
	var out []infosub.Publication
	for rows.Next() {
		var p infosub.Publication
		if err := rows.Scan(&p.ID, &p.DraftID, &p.UnitID, &p.Kind, &p.Level, &p.Outlet, &p.URL, &p.Date, &p.Points); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
