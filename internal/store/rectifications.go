package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/supervise"
)

// The rectification list (整改台账): problems, their owners and evidence.
// Who may change an item and how a step moves it are supervise's rules
// (CanCreateRect, Edit, TakeStep, CheckEvidence): the service passes them
// in, and they run here on the locked row.

const rectCols = `r.id, r.unit_id, COALESCE(r.org_id,0), COALESCE(o.name,''), r.title, r.source, COALESCE(r.source_ref,''), r.owner_id, ou.name,
	r.measures, r.deadline, r.status, r.progress, COALESCE(r.verified_by,0), COALESCE(vu.name,''), COALESCE(r.verified_at,0), r.verify_note,
	r.created_at, COALESCE(r.created_by,0), r.updated_at`

const rectFrom = ` FROM rectifications r JOIN users ou ON ou.id = r.owner_id LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN users vu ON vu.id = r.verified_by`

func scanRect(row interface{ Scan(...any) error }) (supervise.Rect, error) {
	var r supervise.Rect
	err := row.Scan(&r.ID, &r.UnitID, &r.OrgID, &r.OrgName, &r.Title, &r.Source, &r.SourceRef, &r.OwnerID, &r.OwnerName, &r.Measures, &r.Deadline,
		&r.Status, &r.Progress, &r.VerifiedBy, &r.VerifierName, &r.VerifiedAt, &r.VerifyNote, &r.CreatedAt, &r.CreatedBy, &r.UpdatedAt)
	return r, err
}

// rectReadable: unit-wide readers (and supervisors) see the unit's list;
// others see items they own.
func rectScope(sc access.Scope, a *args) string {
	var or []string
	if len(sc.ReadUnits) > 0 {
		or = append(or, "r.unit_id IN ("+a.in(sc.ReadUnits)+")")
	}
	if len(sc.ReadOrgs) > 0 {
		or = append(or, "r.org_id IN ("+a.in(sc.ReadOrgs)+")")
	}
	if sc.UserID != 0 {
		or = append(or, "r.owner_id = "+a.add(sc.UserID))
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// RectFilter selects rectification items.
type RectFilter struct {
	UnitID int64
	Status string
	Owner  int64
}

// Rects lists items in scope, open ones first by deadline.
func (s *Store) Rects(ctx context.Context, sc access.Scope, f RectFilter) ([]supervise.Rect, error) {
	var a args
	w := []string{rectScope(sc, &a)}
	if f.UnitID != 0 {
		w = append(w, "r.unit_id = "+a.add(f.UnitID))
	}
	if f.Status != "" {
		w = append(w, "r.status = "+a.add(f.Status))
	}
	if f.Owner != 0 {
		w = append(w, "r.owner_id = "+a.add(f.Owner))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+rectCols+rectFrom+" WHERE "+joinAnd(w)+
		" ORDER BY CASE r.status WHEN 'closed' THEN 1 ELSE 0 END, r.deadline, r.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list rectifications: %w", err)
	}
	defer rows.Close()
	var out []supervise.Rect
	for rows.Next() {
		r, err := scanRect(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Rect returns one item in scope, with its evidence files.
func (s *Store) Rect(ctx context.Context, sc access.Scope, id int64) (supervise.Rect, error) {
	var a args
	r, err := scanRect(s.db.QueryRowContext(ctx, "SELECT "+rectCols+rectFrom+" WHERE r.id = "+a.add(id)+" AND "+rectScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	} else if err != nil {
		return r, fmt.Errorf("read rectification %d: %w", id, err)
	}
	if r.Workers, err = rectWorkers(ctx, s.db, id); err != nil {
		return r, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, rect_id, name, mime, size, sha256, created_at FROM rectification_files WHERE rect_id = $1 ORDER BY id", id)
	if err != nil {
		return r, fmt.Errorf("list evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f supervise.RectFile
		if err := rows.Scan(&f.ID, &f.RectID, &f.Name, &f.Mime, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return r, err
		}
		r.Files = append(r.Files, f)
	}
	return r, rows.Err()
}

// checkRectPeople makes sure the owner is an enabled member of the item's
// unit and its department a live one of the unit.
func checkRectPeople(ctx context.Context, tx *sql.Tx, r supervise.Rect) error {
	in, err := userInUnit(ctx, tx, r.OwnerID, r.UnitID, true)
	if err != nil {
		return err
	}
	if !in {
		return supervise.ErrOwnerNotInUnit
	}
	if r.OrgID != 0 {
		in, err := orgInUnit(ctx, tx, r.OrgID, r.UnitID)
		if err != nil {
			return err
		}
		if !in {
			return supervise.ErrOrgNotInUnit
		}
	}
	return nil
}

// CreateRect adds a problem to a unit's list as 待整改. The caller has
// checked who may (supervise.CanCreateRect) and the fields (Validate); the
// store requires the unit to be readable by the scope (else ErrNotFound)
// and the owner and department to belong to it (supervise.ErrOwnerNotInUnit,
// supervise.ErrOrgNotInUnit).
func (s *Store) CreateRect(ctx context.Context, actor Actor, sc access.Scope, r *supervise.Rect) error {
	if !slices.Contains(sc.ReadUnits, r.UnitID) {
		return ErrNotFound
	}
	r.Status = supervise.RectOpen
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkRectPeople(ctx, tx, *r); err != nil {
			return err
		}
		return s.insertRect(ctx, tx, actor, r)
	})
}

func (s *Store) insertRect(ctx context.Context, tx *sql.Tx, actor Actor, r *supervise.Rect) error {
	now := s.Now().Unix()
	var ref any
	if r.SourceRef != "" {
		ref = r.SourceRef
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (unit_id, org_id, title, source, source_ref, owner_id, measures, deadline, status,
		created_at, created_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
		r.UnitID, nullID(r.OrgID), r.Title, r.Source, ref, r.OwnerID, r.Measures, r.Deadline, r.Status, now, nullID(actor.UserID), now).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert rectification: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = now, now
	return s.appendAudit(ctx, tx, actor, r.UnitID, "rect.create", "rect", r.ID, nil, rectSnap(*r))
}

func rectSnap(r supervise.Rect) map[string]any {
	return map[string]any{"title": r.Title, "source": r.Source, "ref": r.SourceRef, "org": r.OrgID, "owner": r.OwnerID, "measures": r.Measures,
		"deadline": r.Deadline, "status": r.Status, "progress": r.Progress, "verified_by": r.VerifiedBy, "note": r.VerifyNote}
}

// EnsureAutoRect creates an automatic item for a missed obligation unless
// one with the same source key exists in the unit; it reports whether it
// created one. The reminder round runs it for every unit.
func (s *Store) EnsureAutoRect(ctx context.Context, actor Actor, r *supervise.Rect) (bool, error) {
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM rectifications WHERE unit_id = $1 AND source_ref = $2", r.UnitID, r.SourceRef).Scan(&n); err != nil {
			return fmt.Errorf("check rectification: %w", err)
		}
		if n > 0 {
			return nil
		}
		r.Status = supervise.RectOpen
		created = true
		return s.insertRect(ctx, tx, actor, r)
	})
	return created, err
}

// lockRect reads an item in scope for change (ErrNotFound when missing or
// out of scope).
func (s *Store) lockRect(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (supervise.Rect, error) {
	var a args
	r, err := scanRect(tx.QueryRowContext(ctx, "SELECT "+rectCols+rectFrom+" WHERE r.id = "+a.add(id)+" AND "+rectScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	} else if err != nil {
		return r, fmt.Errorf("read rectification %d: %w", id, err)
	}
	r.Workers, err = rectWorkers(ctx, tx, id)
	return r, err
}

// rectWorkers lists the people who worked on an item (rect_workers).
func rectWorkers(ctx context.Context, q queryer, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT user_id FROM rect_workers WHERE rect_id = $1 ORDER BY user_id", id)
	if err != nil {
		return nil, fmt.Errorf("read rectification workers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var uid int64
		if err := rows.Scan(&uid); err != nil {
			return nil, err
		}
		out = append(out, uid)
	}
	return out, rows.Err()
}

// addRectWorker records that the actor worked on an item, so that they
// cannot verify it (supervise.Next).
func addRectWorker(ctx context.Context, tx *sql.Tx, rectID, userID int64) error {
	if userID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO rect_workers (rect_id, user_id) VALUES ($1,$2) ON CONFLICT DO NOTHING", rectID, userID)
	if err != nil {
		return fmt.Errorf("record rectification worker: %w", err)
	}
	return nil
}

// UpdateRect changes an item's description, source, department, owner,
// measures, deadline and progress. change (supervise.Edit, as the service
// passes it) turns the locked item into the new one or refuses; the owner
// and department of the result must belong to the unit. It returns the item
// as saved.
func (s *Store) UpdateRect(ctx context.Context, actor Actor, sc access.Scope, id int64, change func(*supervise.Rect) error) (supervise.Rect, error) {
	var r supervise.Rect
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockRect(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		r = before
		if err := change(&r); err != nil {
			return err
		}
		r.ID, r.UnitID, r.Status = before.ID, before.UnitID, before.Status
		if err := checkRectPeople(ctx, tx, r); err != nil {
			return err
		}
		r.UpdatedAt = s.Now().Unix()
		_, err = tx.ExecContext(ctx, `UPDATE rectifications SET org_id=$1, title=$2, source=$3, owner_id=$4, measures=$5, deadline=$6, progress=$7, updated_at=$8 WHERE id=$9`,
			nullID(r.OrgID), r.Title, r.Source, r.OwnerID, r.Measures, r.Deadline, r.Progress, r.UpdatedAt, r.ID)
		if err != nil {
			return fmt.Errorf("update rectification: %w", err)
		}
		if supervise.WorkChanged(before, r) {
			if err := addRectWorker(ctx, tx, r.ID, actor.UserID); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, r.UnitID, "rect.update", "rect", r.ID, rectSnap(before), rectSnap(r))
	})
	return r, err
}

// StepRect moves an item along 待整改 → 整改中 → 待验收 → 已销号. apply
// (supervise.TakeStep, as the service passes it) gets the locked item and
// how many evidence files it has, and sets its status and verification or
// refuses; the change is audited as "rect.<step>". It returns the item as
// saved.
func (s *Store) StepRect(ctx context.Context, actor Actor, sc access.Scope, id int64, step supervise.Step, apply func(r *supervise.Rect, files int) error) (supervise.Rect, error) {
	var r supervise.Rect
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockRect(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		var files int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM rectification_files WHERE rect_id = $1", id).Scan(&files); err != nil {
			return fmt.Errorf("count evidence: %w", err)
		}
		r = before
		if err := apply(&r, files); err != nil {
			return err
		}
		r.UpdatedAt = s.Now().Unix()
		// nullID keeps an unset verifier and verification time NULL.
		_, err = tx.ExecContext(ctx, "UPDATE rectifications SET status=$1, verified_by=$2, verified_at=$3, verify_note=$4, updated_at=$5 WHERE id=$6",
			r.Status, nullID(r.VerifiedBy), nullID(r.VerifiedAt), r.VerifyNote, r.UpdatedAt, before.ID)
		if err != nil {
			return fmt.Errorf("change rectification status: %w", err)
		}
		if step == supervise.StepStart || step == supervise.StepSubmit {
			if err := addRectWorker(ctx, tx, before.ID, actor.UserID); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, before.UnitID, "rect."+string(step), "rect", before.ID, rectSnap(before), rectSnap(r))
	})
	return r, err
}

// RectUpload is an evidence file to store: its name, type and content.
type RectUpload struct {
	Name string
	Mime string
	Data []byte
}

// AddRectFiles stores evidence files on an item: the content-addressed
// files first (a leftover file, when the transaction fails, is harmless),
// then, in one transaction, check (supervise.CheckEvidence, as the service
// passes it) on the locked item and a row and an audit entry per file.
// Either every file is linked or none is. It returns the rows added.
func (s *Store) AddRectFiles(ctx context.Context, actor Actor, sc access.Scope, rectID int64, files []RectUpload, check func(supervise.Rect) error) ([]supervise.RectFile, error) {
	out := make([]supervise.RectFile, len(files))
	for i, f := range files {
		sum, err := s.PutBlob(f.Data)
		if err != nil {
			return nil, err
		}
		out[i] = supervise.RectFile{RectID: rectID, Name: f.Name, Mime: f.Mime, Size: int64(len(f.Data)), SHA256: sum}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.lockRect(ctx, tx, sc, rectID)
		if err != nil {
			return err
		}
		if err := check(r); err != nil {
			return err
		}
		if err := addRectWorker(ctx, tx, rectID, actor.UserID); err != nil {
			return err
		}
		now := s.Now().Unix()
		for i := range out {
			f := &out[i]
			f.CreatedAt = now
			err = tx.QueryRowContext(ctx, `INSERT INTO rectification_files (rect_id, name, mime, size, sha256, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
				rectID, f.Name, f.Mime, f.Size, f.SHA256, f.CreatedAt, nullID(actor.UserID)).Scan(&f.ID)
			if err != nil {
				return fmt.Errorf("insert evidence: %w", err)
			}
			err = s.appendAudit(ctx, tx, actor, r.UnitID, "rect.file", "rect", rectID, nil, map[string]any{"file": f.ID, "name": f.Name, "sha256": f.SHA256, "size": f.Size})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OpenRectFile returns an evidence file of an item in scope.
func (s *Store) OpenRectFile(ctx context.Context, sc access.Scope, rectID, fileID int64) (supervise.RectFile, io.ReadSeekCloser, error) {
	r, err := s.Rect(ctx, sc, rectID)
	if err != nil {
		return supervise.RectFile{}, nil, err
	}
	for _, f := range r.Files {
		if f.ID == fileID {
			fh, err := s.openBlob(f.SHA256)
			return f, fh, err
		}
	}
	return supervise.RectFile{}, nil, ErrNotFound
}

// RectConfig returns a unit's rectification settings (defaults when it
// saved none).
func (s *Store) RectConfig(ctx context.Context, unitID int64) (supervise.RectConfig, error) {
	var c supervise.RectConfig
	var optional int
	err := s.db.QueryRowContext(ctx, "SELECT evidence_optional FROM rect_config WHERE unit_id = $1", unitID).Scan(&optional)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	} else if err != nil {
		return c, fmt.Errorf("read rectification settings: %w", err)
	}
	c.EvidenceOptional = optional != 0
	return c, nil
}

// SetRectConfig saves a unit's rectification settings, audited;
// ErrNotFound when the scope may not manage the unit (supervise.CanManage).
func (s *Store) SetRectConfig(ctx context.Context, actor Actor, sc access.Scope, unitID int64, c supervise.RectConfig) error {
	if !supervise.CanManage(sc, unitID) {
		return ErrNotFound
	}
	before, err := s.RectConfig(ctx, unitID)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rect_config (unit_id, evidence_optional, updated_at) VALUES ($1,$2,$3)
			ON CONFLICT (unit_id) DO UPDATE SET evidence_optional = excluded.evidence_optional, updated_at = excluded.updated_at`,
			unitID, b2i(c.EvidenceOptional), s.Now().Unix())
		if err != nil {
			return fmt.Errorf("save rectification settings: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "rect.config", "unit", unitID, before, c)
	})
}
