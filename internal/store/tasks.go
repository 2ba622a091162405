package store

import (
	"context"
	"fmt"
)

// Work that waits for a person (the 待办 page and its count in the top
// bar), beside the information review queue (ReviewQueue). Who may do the
// work is decided by the caller's domain rules, which pass the units here.

// ReportAwaiting is a report whose latest version awaits approval.
type ReportAwaiting struct {
	DraftID  int64
	UnitID   int64
	Title    string
	Version  int
	SavedAt  int64
	SavedBy  string
	AuthorID int64
}

// ReportsAwaitingApproval lists the drafts of units whose latest version
// is not approved and was not saved by userID (nobody approves their own
// version), oldest first.
func (s *Store) ReportsAwaitingApproval(ctx context.Context, unitIDs []int64, userID int64) ([]ReportAwaiting, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	q := `SELECT d.id, d.unit_id, d.title, v.version, v.created_at, COALESCE(u.name,''), COALESCE(v.created_by,0)
		FROM report_drafts d JOIN report_versions v ON v.draft_id = d.id
		LEFT JOIN users u ON u.id = v.created_by
		WHERE d.unit_id IN (` + a.in(unitIDs) + `)
		AND v.version = (SELECT MAX(x.version) FROM report_versions x WHERE x.draft_id = d.id)
		AND d.approved_version < v.version AND COALESCE(v.created_by,0) <> ` + a.add(userID) + `
		ORDER BY v.created_at, d.id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("reports awaiting approval: %w", err)
	}
	defer rows.Close()
	var out []ReportAwaiting
	for rows.Next() {
		var r ReportAwaiting
		if err := rows.Scan(&r.DraftID, &r.UnitID, &r.Title, &r.Version, &r.SavedAt, &r.SavedBy, &r.AuthorID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RectAwaiting is a rectification item waiting for someone.
type RectAwaiting struct {
	ID       int64
	UnitID   int64
	Title    string
	Status   string
	Deadline string
}

func (s *Store) rectsAwaiting(ctx context.Context, q string, a args) ([]RectAwaiting, error) {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("rectifications awaiting: %w", err)
	}
	defer rows.Close()
	var out []RectAwaiting
	for rows.Next() {
		var r RectAwaiting
		if err := rows.Scan(&r.ID, &r.UnitID, &r.Title, &r.Status, &r.Deadline); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RectsAwaitingVerification lists items of the units in 待验收 that userID
// did not work on (not the owner, not among rect_workers), by deadline.
func (s *Store) RectsAwaitingVerification(ctx context.Context, unitIDs []int64, userID int64) ([]RectAwaiting, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	q := `SELECT r.id, r.unit_id, r.title, r.status, r.deadline FROM rectifications r
		WHERE r.unit_id IN (` + a.in(unitIDs) + `) AND r.status = 'review' AND r.owner_id <> ` + a.add(userID) + `
		AND NOT EXISTS (SELECT 1 FROM rect_workers w WHERE w.rect_id = r.id AND w.user_id = ` + a.add(userID) + `)
		ORDER BY r.deadline, r.id`
	return s.rectsAwaiting(ctx, q, a)
}

// RectsOwnedOpen lists the items userID owns that are still to be worked on
// (待整改, 整改中), by deadline.
func (s *Store) RectsOwnedOpen(ctx context.Context, userID int64) ([]RectAwaiting, error) {
	var a args
	q := `SELECT r.id, r.unit_id, r.title, r.status, r.deadline FROM rectifications r
		WHERE r.owner_id = ` + a.add(userID) + ` AND r.status IN ('open','doing') ORDER BY r.deadline, r.id`
	return s.rectsAwaiting(ctx, q, a)
}
