package store

import (
	"context"
	"database/sql"
	"fmt"

	"zhendi/internal/infosub"
)

// Bulk loading of drafts with their history, for the demo and benchmarks.

// SeedDraft is a draft with its history, for bulk loading (demo, benchmarks).
type SeedDraft struct {
	Draft     infosub.Draft
	Versions  []infosub.Version
	Decisions []infosub.Decision
	Pubs      []infosub.Publication
}

// SeedInfo inserts drafts with their versions, decisions and publications
// in one transaction, keeping their timestamps, with one audit entry for the
// batch. The data must be consistent already (ids of users and nodes of unitID).
func (s *Store) SeedInfo(ctx context.Context, actor Actor, unitID int64, drafts []SeedDraft) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		insD, err := tx.PrepareContext(ctx, `INSERT INTO info_drafts (unit_id, org_id, author_id, author_name, title, body, body_text, category,
			status, step, chain_json, version, cycle, submitted_date, submitted_at, step_due, approved_at, approved_date, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) RETURNING id`)
		if err != nil {
			return fmt.Errorf("prepare seed drafts: %w", err)
		}
		defer insD.Close()
		insV, err := tx.PrepareContext(ctx, `INSERT INTO info_versions (draft_id, version, title, body, body_text, created_at, created_by, by_name, note)
			VALUES ($1,$2,$3,$4,$5,$6,NULL,$7,$8)`)
		if err != nil {
			return fmt.Errorf("prepare seed versions: %w", err)
		}
		defer insV.Close()
		insX, err := tx.PrepareContext(ctx, `INSERT INTO info_decisions (draft_id, cycle, step, step_name, action, round, user_id, user_name, comment, version, at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`)
		if err != nil {
			return fmt.Errorf("prepare seed decisions: %w", err)
		}
		defer insX.Close()
		insP, err := tx.PrepareContext(ctx, `INSERT INTO info_publications (draft_id, unit_id, kind, level, outlet, url, date, points, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`)
		if err != nil {
			return fmt.Errorf("prepare seed publications: %w", err)
		}
		defer insP.Close()
		for i := range drafts {
			sd := &drafts[i]
			d := &sd.Draft
			chain, err := chainJSON(d.Chain)
			if err != nil {
				return err
			}
			err = insD.QueryRowContext(ctx, unitID, d.OrgID, nullID(d.AuthorID), d.AuthorName, d.Title, d.Body, d.BodyText, d.Category,
				string(d.Status), d.Step, chain, d.Version, d.Cycle, nullText(d.SubmittedDate), nullID(d.SubmittedAt), nullID(d.StepDue),
				nullID(d.ApprovedAt), nullText(approvedDate(d.ApprovedAt)), d.CreatedAt, d.UpdatedAt).Scan(&d.ID)
			if err != nil {
				return fmt.Errorf("seed draft %q: %w", d.Title, err)
			}
			for _, v := range sd.Versions {
				if _, err := insV.ExecContext(ctx, d.ID, v.Version, v.Title, v.Body, v.BodyText, v.CreatedAt, v.ByName, v.Note); err != nil {
					return fmt.Errorf("seed version: %w", err)
				}
			}
			for _, x := range sd.Decisions {
				if _, err := insX.ExecContext(ctx, d.ID, x.Cycle, x.Step, x.StepName, string(x.Action), x.Round, nullID(x.UserID), x.UserName,
					x.Comment, x.Version, x.At); err != nil {
					return fmt.Errorf("seed decision: %w", err)
				}
			}
			for _, p := range sd.Pubs {
				if _, err := insP.ExecContext(ctx, d.ID, unitID, p.Kind, p.Level, p.Outlet, p.URL, p.Date, p.Points, d.UpdatedAt); err != nil {
					return fmt.Errorf("seed publication: %w", err)
				}
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.seed", "unit", unitID, nil, map[string]int{"drafts": len(drafts)})
	})
}

// HasInfoDrafts reports whether a unit has any drafts (demo idempotence).
func (s *Store) HasInfoDrafts(ctx context.Context, unitID int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM info_drafts WHERE unit_id = $1 LIMIT 1) x", unitID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check drafts: %w", err)
	}
	return n > 0, nil
}

// OverdueReviews lists drafts whose current review step is past its
