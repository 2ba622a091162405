package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// ActivityIDs returns the ids of live entries matching f within the scope,
// in date order: the provenance of a report figure.
func (s *Store) ActivityIDs(ctx context.Context, sc access.Scope, f ledger.Filter) ([]int64, error) {
	var a args
	q := "SELECT a.id FROM activities a WHERE " + s.filterWhere(sc, f, &a) + " ORDER BY a.date, a.id"
	ids, err := queryIDs(ctx, s.db, q, a...)
	if err != nil {
		return nil, fmt.Errorf("activity ids: %w", err)
	}
	return ids, nil
}

// CountByOrgType counts entries matching f per organising node and type:
// counts[orgID][type].
func (s *Store) CountByOrgType(ctx context.Context, sc access.Scope, f ledger.Filter) (map[int64]map[string]int, error) {
	var a args
	q := "SELECT a.org_id, a.type, COUNT(*) FROM activities a WHERE " + s.filterWhere(sc, f, &a) + " GROUP BY a.org_id, a.type"
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count by org and type: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var org int64
		var typ string
		var n int
		if err := rows.Scan(&org, &typ, &n); err != nil {
			return nil, fmt.Errorf("count by org and type: %w", err)
		}
		if out[org] == nil {
			out[org] = map[string]int{}
		}
		out[org][typ] = n
	}
	return out, rows.Err()
}

// ReportDraft is a saved report: one per unit, kind, period and subject.
type ReportDraft struct {
	ID              int64
	UnitID          int64
	Kind            string
	Period          string
	SubjectID       int64 // the leader of a 述职 section; 0 otherwise
	Title           string
	CreatedAt       int64
	CreatedBy       int64
	UpdatedAt       int64
	Latest          int // latest version number
	ApprovedVersion int
	ApprovedBy      int64
	ApprovedByName  string
	ApprovedAt      int64
}

// ReportVersion is one saved text of a draft.
type ReportVersion struct {
	ID            int64
	DraftID       int64
	Version       int
	Body          string // JSON written and read by package report
	Note          string
	CreatedAt     int64
	CreatedBy     int64
	CreatedByName string
}

const reportDraftCols = `d.id, d.unit_id, d.kind, d.period, d.subject_id, d.title, d.created_at, COALESCE(d.created_by,0), d.updated_at,
	COALESCE((SELECT MAX(v.version) FROM report_versions v WHERE v.draft_id = d.id),0),
	d.approved_version, COALESCE(d.approved_by,0), COALESCE(au.name,''), d.approved_at`

func scanReportDraft(r interface{ Scan(...any) error }) (ReportDraft, error) {
	var d ReportDraft
	err := r.Scan(&d.ID, &d.UnitID, &d.Kind, &d.Period, &d.SubjectID, &d.Title, &d.CreatedAt, &d.CreatedBy, &d.UpdatedAt,
		&d.Latest, &d.ApprovedVersion, &d.ApprovedBy, &d.ApprovedByName, &d.ApprovedAt)
	return d, err
}

const reportDraftFrom = ` FROM report_drafts d LEFT JOIN users au ON au.id = d.approved_by`

// ReportDrafts lists the saved drafts of a unit the scope may read, newest first.
func (s *Store) ReportDrafts(ctx context.Context, sc access.Scope, unitID int64) ([]ReportDraft, error) {
	if !slices.Contains(sc.ReadUnits, unitID) {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+reportDraftCols+reportDraftFrom+" WHERE d.unit_id = $1 ORDER BY d.updated_at DESC, d.id DESC", unitID)
	if err != nil {
		return nil, fmt.Errorf("list report drafts: %w", err)
	}
	defer rows.Close()
	var out []ReportDraft
	for rows.Next() {
		d, err := scanReportDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReportDraft reads one draft; ErrNotFound when it does not exist or its
// unit is outside the scope.
func (s *Store) ReportDraft(ctx context.Context, sc access.Scope, id int64) (ReportDraft, error) {
	d, err := scanReportDraft(s.db.QueryRowContext(ctx, "SELECT "+reportDraftCols+reportDraftFrom+" WHERE d.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !slices.Contains(sc.ReadUnits, d.UnitID)) {
		return ReportDraft{}, ErrNotFound
	}
	if err != nil {
		return ReportDraft{}, fmt.Errorf("read report draft: %w", err)
	}
	return d, nil
}

// FindReportDraft returns the draft of a unit, kind, period and subject,
// or ErrNotFound.
func (s *Store) FindReportDraft(ctx context.Context, sc access.Scope, unitID int64, kind, period string, subjectID int64) (ReportDraft, error) {
	if !slices.Contains(sc.ReadUnits, unitID) {
		return ReportDraft{}, ErrNotFound
	}
	d, err := scanReportDraft(s.db.QueryRowContext(ctx, "SELECT "+reportDraftCols+reportDraftFrom+
		" WHERE d.unit_id = $1 AND d.kind = $2 AND d.period = $3 AND d.subject_id = $4", unitID, kind, period, subjectID))
	if errors.Is(err, sql.ErrNoRows) {
		return ReportDraft{}, ErrNotFound
	}
	if err != nil {
		return ReportDraft{}, fmt.Errorf("find report draft: %w", err)
	}
	return d, nil
}

// ReportVersions lists a draft's versions, newest first, without bodies.
func (s *Store) ReportVersions(ctx context.Context, sc access.Scope, draftID int64) ([]ReportVersion, error) {
	if _, err := s.ReportDraft(ctx, sc, draftID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.id, v.draft_id, v.version, '', v.note, v.created_at, COALESCE(v.created_by,0), COALESCE(u.name,'')
		FROM report_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.draft_id = $1 ORDER BY v.version DESC`, draftID)
	if err != nil {
		return nil, fmt.Errorf("list report versions: %w", err)
	}
	defer rows.Close()
	var out []ReportVersion
	for rows.Next() {
		var v ReportVersion
		if err := rows.Scan(&v.ID, &v.DraftID, &v.Version, &v.Body, &v.Note, &v.CreatedAt, &v.CreatedBy, &v.CreatedByName); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ReportVersion reads one version with its body; version 0 means the latest.
func (s *Store) ReportVersion(ctx context.Context, sc access.Scope, draftID int64, version int) (ReportVersion, error) {
	if _, err := s.ReportDraft(ctx, sc, draftID); err != nil {
		return ReportVersion{}, err
	}
	var a args
	q := `SELECT v.id, v.draft_id, v.version, v.body, v.note, v.created_at, COALESCE(v.created_by,0), COALESCE(u.name,'')
		FROM report_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.draft_id = ` + a.add(draftID)
	if version > 0 {
		q += " AND v.version = " + a.add(version)
	} else {
		q += " ORDER BY v.version DESC LIMIT 1"
	}
	var v ReportVersion
	err := s.db.QueryRowContext(ctx, q, a...).Scan(&v.ID, &v.DraftID, &v.Version, &v.Body, &v.Note, &v.CreatedAt, &v.CreatedBy, &v.CreatedByName)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("read report version: %w", err)
	}
	return v, nil
}

// SaveReportVersion stores a new version of the draft of (unit, kind,
// period, subject), creating the draft on first save, and returns the draft
// id and version number. wording, when not empty, becomes the unit's own
// text of those template paragraphs in the same transaction. The caller
// must be able to write the unit.
func (s *Store) SaveReportVersion(ctx context.Context, actor Actor, sc access.Scope, d ReportDraft, body, note string, wording map[string]string) (int64, int, error) {
	if !slices.Contains(sc.WriteUnits, d.UnitID) {
		return 0, 0, ErrNotFound
	}
	now := s.Now().Unix()
	var version int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Two first saves at once: the second finds the draft the first made.
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_drafts (unit_id, kind, period, subject_id, title, created_at, created_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $6) ON CONFLICT (unit_id, kind, period, subject_id) DO NOTHING`,
			d.UnitID, d.Kind, d.Period, d.SubjectID, d.Title, now, nullID(actor.UserID)); err != nil {
			return fmt.Errorf("create report draft: %w", err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM report_drafts WHERE unit_id = $1 AND kind = $2 AND period = $3 AND subject_id = $4`,
			d.UnitID, d.Kind, d.Period, d.SubjectID).Scan(&id); err != nil {
			return fmt.Errorf("find report draft: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_drafts SET title = $1, updated_at = $2 WHERE id = $3`, d.Title, now, id); err != nil {
			return fmt.Errorf("save report draft: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version),0)+1 FROM report_versions WHERE draft_id = $1`, id).Scan(&version); err != nil {
			return fmt.Errorf("next report version: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_versions (draft_id, version, body, note, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, version, body, note, now, nullID(actor.UserID)); err != nil {
			return fmt.Errorf("insert report version: %w", err)
		}
		d.ID = id
		if err := s.appendAudit(ctx, tx, actor, d.UnitID, "report.save", "report", id, nil,
			map[string]any{"kind": d.Kind, "period": d.Period, "subject": d.SubjectID, "title": d.Title, "version": version, "note": note}); err != nil {
			return err
		}
		return s.setWording(ctx, tx, actor, d.UnitID, d.Kind, wording)
	})
	return d.ID, version, err
}

// ApproveReport records that the actor approves one version of a draft
// the scope can read. allow is the approval rule (report.CheckApproval),
// called inside the transaction with the user id of the version's author;
// its error is returned as is and nothing is written. ErrNotFound when the
// draft is out of scope or the version does not exist.
func (s *Store) ApproveReport(ctx context.Context, actor Actor, sc access.Scope, draftID int64, version int, allow func(author int64) error) error {
	d, err := s.ReportDraft(ctx, sc, draftID)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var author int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(created_by,0) FROM report_versions WHERE draft_id = $1 AND version = $2`, draftID, version).Scan(&author)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read report version: %w", err)
		}
		if err := allow(author); err != nil {
			return err
		}
		now := s.Now().Unix()
		if _, err := tx.ExecContext(ctx, `UPDATE report_drafts SET approved_version = $1, approved_by = $2, approved_at = $3 WHERE id = $4`,
			version, actor.UserID, now, draftID); err != nil {
			return fmt.Errorf("approve report: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "report.approve", "report", draftID,
			map[string]any{"approved_version": d.ApprovedVersion}, map[string]any{"approved_version": version, "title": d.Title})
	})
}

// ReportWording returns a unit's own wording of template paragraphs of one
// report kind, by paragraph key.
func (s *Store) ReportWording(ctx context.Context, unitID int64, kind string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT para_key, text FROM report_wording WHERE unit_id = $1 AND kind = $2`, unitID, kind)
	if err != nil {
		return nil, fmt.Errorf("read report wording: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, t string
		if err := rows.Scan(&k, &t); err != nil {
			return nil, err
		}
		out[k] = t
	}
	return out, rows.Err()
}

// SetReportWording saves (or, with empty text, removes) a unit's wording of
// template paragraphs, all in one transaction with one audit entry.
func (s *Store) SetReportWording(ctx context.Context, actor Actor, sc access.Scope, unitID int64, kind string, texts map[string]string) error {
	if !slices.Contains(sc.WriteUnits, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.setWording(ctx, tx, actor, unitID, kind, texts) })
}

func (s *Store) setWording(ctx context.Context, tx *sql.Tx, actor Actor, unitID int64, kind string, texts map[string]string) error {
	if len(texts) == 0 {
		return nil
	}
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	now := s.Now().Unix()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `DELETE FROM report_wording WHERE unit_id = $1 AND kind = $2 AND para_key = $3`, unitID, kind, k); err != nil {
			return fmt.Errorf("report wording %s: %w", k, err)
		}
		if strings.TrimSpace(texts[k]) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_wording (unit_id, kind, para_key, text, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)`,
			unitID, kind, k, texts[k], now, nullID(actor.UserID)); err != nil {
			return fmt.Errorf("report wording %s: %w", k, err)
		}
	}
	return s.appendAudit(ctx, tx, actor, unitID, "report.wording", "report_wording", unitID, nil, map[string]any{"kind": kind, "texts": texts})
}
