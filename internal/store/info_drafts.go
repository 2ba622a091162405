package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
)

// Information drafts (info_drafts): reading one, creating, the author's
// edits and deletion, and the lists. Who may do what is decided by the
// infosub rule each change method takes; the store locks, runs it and
// saves.

// infoReadScope is the condition for drafts the scope may read: whole
// units, departments, or the user's own drafts.
func infoReadScope(sc access.Scope, a *args) string {
	var or []string
	if len(sc.ReadUnits) > 0 {
		or = append(or, "d.unit_id IN ("+a.in(sc.ReadUnits)+")")
	}
	if len(sc.ReadOrgs) > 0 {
		or = append(or, "d.org_id IN ("+a.in(sc.ReadOrgs)+")")
	}
	if sc.UserID != 0 && !(sc.HomeUnit != 0 && slices.Contains(sc.ReadUnits, sc.HomeUnit)) {
		or = append(or, "d.author_id = "+a.add(sc.UserID))
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

const draftCols = `d.id, d.unit_id, d.org_id, o.name, COALESCE(d.author_id,0), d.author_name, d.title, d.body, d.body_text, d.category,
	COALESCE(d.activity_id,0), d.status, d.step, d.chain_json, d.version, d.cycle, COALESCE(d.submitted_date,''), COALESCE(d.submitted_at,0),
	COALESCE(d.step_due,0), COALESCE(d.approved_at,0), d.created_at, d.updated_at`

const draftFrom = ` FROM info_drafts d JOIN orgs o ON o.id = d.org_id`

func scanDraft(r interface{ Scan(...any) error }) (infosub.Draft, error) {
	var d infosub.Draft
	var status, chain string
	err := r.Scan(&d.ID, &d.UnitID, &d.OrgID, &d.OrgName, &d.AuthorID, &d.AuthorName, &d.Title, &d.Body, &d.BodyText, &d.Category,
		&d.ActivityID, &status, &d.Step, &chain, &d.Version, &d.Cycle, &d.SubmittedDate, &d.SubmittedAt,
		&d.StepDue, &d.ApprovedAt, &d.CreatedAt, &d.UpdatedAt)
	if err != nil {
		return d, err
	}
	d.Status = infosub.Status(status)
	if chain != "" {
		if err := json.Unmarshal([]byte(chain), &d.Chain); err != nil {
			return d, fmt.Errorf("draft %d chain: %w", d.ID, err)
		}
	}
	return d, nil
}

// Draft returns one draft the scope may read.
func (s *Store) Draft(ctx context.Context, sc access.Scope, id int64) (infosub.Draft, error) {
	return s.draftQ(ctx, s.db, sc, id)
}

func (s *Store) draftQ(ctx context.Context, q rowQueryer, sc access.Scope, id int64) (infosub.Draft, error) {
	var a args
	d, err := scanDraft(q.QueryRowContext(ctx, "SELECT "+draftCols+draftFrom+" WHERE d.id = "+a.add(id)+
		" AND d.deleted_at IS NULL AND "+infoReadScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	} else if err != nil {
		return d, fmt.Errorf("read draft %d: %w", id, err)
	}
	return d, nil
}

// DraftRefs looks up what a draft names: the unit and kind of organisation
// node orgID and the unit of ledger activity activityID (0 for none). A
// missing node or activity gives zeros — infosub.CheckRefs says what that
// means to the user; any other failure is returned.
func (s *Store) DraftRefs(ctx context.Context, orgID, activityID int64) (infosub.Refs, error) {
	var r infosub.Refs
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0), kind FROM orgs WHERE id = $1 AND deleted_at IS NULL", orgID).Scan(&r.OrgUnitID, &r.OrgKind)
	if errors.Is(err, sql.ErrNoRows) {
		r.OrgUnitID, r.OrgKind = 0, ""
	} else if err != nil {
		return r, fmt.Errorf("read draft department %d: %w", orgID, err)
	}
	if activityID != 0 {
		err := s.db.QueryRowContext(ctx, "SELECT unit_id FROM activities WHERE id = $1 AND deleted_at IS NULL", activityID).Scan(&r.ActivityUnitID)
		if errors.Is(err, sql.ErrNoRows) {
			r.ActivityUnitID = 0
		} else if err != nil {
			return r, fmt.Errorf("read draft activity %d: %w", activityID, err)
		}
	}
	return r, nil
}

// CreateDraft stores a new draft, checked by the caller (infosub.Draft.
// Validate and infosub.CheckRefs, which set d.UnitID), written by the
// actor. ErrNotFound when the scope cannot write the draft's department.
func (s *Store) CreateDraft(ctx context.Context, actor Actor, sc access.Scope, d *infosub.Draft) error {
	if !sc.CanWrite(d.UnitID, d.OrgID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		d.Status, d.CreatedAt, d.UpdatedAt, d.AuthorID, d.AuthorName = infosub.StatusDraft, now, now, actor.UserID, actor.Name
		err := tx.QueryRowContext(ctx, `INSERT INTO info_drafts (unit_id, org_id, author_id, author_name, title, body, body_text, category,
			activity_id, status, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id`,
			d.UnitID, d.OrgID, nullID(actor.UserID), actor.Name, d.Title, d.Body, d.BodyText, d.Category, nullID(d.ActivityID),
			string(d.Status), now).Scan(&d.ID)
		if err != nil {
			return fmt.Errorf("insert draft: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.create", "info", d.ID, nil, draftSnapshot(*d))
	})
}

func draftSnapshot(d infosub.Draft) map[string]any {
	return map[string]any{"org": d.OrgID, "title": d.Title, "body": d.Body, "category": d.Category, "activity": d.ActivityID,
		"status": d.Status, "step": d.Step, "version": d.Version}
}

// lockDraft reads a draft for change inside tx (scope checked).
func (s *Store) lockDraft(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (infosub.Draft, error) {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT id FROM info_drafts WHERE id = $1 FOR UPDATE", id); err != nil {
			return infosub.Draft{}, fmt.Errorf("lock draft: %w", err)
		}
	}
	return s.draftQ(ctx, tx, sc, id)
}

// saveDraft writes the columns a rule changed (before → after) and the
// change time. The draft's id, unit, author and creation are never changed.
func (s *Store) saveDraft(ctx context.Context, tx *sql.Tx, before, after infosub.Draft, now time.Time) error {
	var a args
	var set []string
	col := func(name string, v any) { set = append(set, name+" = "+a.add(v)) }
	if after.OrgID != before.OrgID {
		col("org_id", after.OrgID)
	}
	if after.Title != before.Title || after.Body != before.Body || after.BodyText != before.BodyText {
		col("title", after.Title)
		col("body", after.Body)
		col("body_text", after.BodyText)
	}
	if after.Category != before.Category {
		col("category", after.Category)
	}
	if after.ActivityID != before.ActivityID {
		col("activity_id", nullID(after.ActivityID))
	}
	if after.Status != before.Status {
		col("status", string(after.Status))
	}
	if after.Step != before.Step {
		col("step", after.Step)
	}
	chain, err := chainJSON(after.Chain)
	if err != nil {
		return err
	}
	if old, _ := chainJSON(before.Chain); chain != old {
		col("chain_json", chain)
	}
	if after.Version != before.Version {
		col("version", after.Version)
	}
	if after.Cycle != before.Cycle {
		col("cycle", after.Cycle)
	}
	if after.SubmittedDate != before.SubmittedDate {
		col("submitted_date", nullText(after.SubmittedDate))
	}
	if after.SubmittedAt != before.SubmittedAt {
		col("submitted_at", nullID(after.SubmittedAt))
	}
	if after.StepDue != before.StepDue {
		col("step_due", nullID(after.StepDue))
	}
	if after.ApprovedAt != before.ApprovedAt {
		col("approved_at", nullID(after.ApprovedAt))
		col("approved_date", nullText(approvedDate(after.ApprovedAt)))
	}
	col("updated_at", now.Unix())
	if _, err := tx.ExecContext(ctx, "UPDATE info_drafts SET "+strings.Join(set, ", ")+" WHERE id = "+a.add(after.ID), a...); err != nil {
		return fmt.Errorf("save draft %d: %w", after.ID, err)
	}
	return nil
}

// chainJSON is how a draft's review chain is stored: "" before submission.
func chainJSON(c infosub.Chain) (string, error) {
	if len(c) == 0 {
		return "", nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encode chain: %w", err)
	}
	return string(b), nil
}

// approvedDate is the China date of an approval time (the bulletin counts
// approvals by it), "" for none.
func approvedDate(at int64) string {
	if at == 0 {
		return ""
	}
	return cntime.Date(time.Unix(at, 0))
}

// nullText stores "" as NULL.
func nullText(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// UpdateDraft changes a draft by rule (infosub.Edit with the author's
// changes, or infosub.AddImages), which runs on the draft locked in the
// transaction and returns the user error that stops the change.
func (s *Store) UpdateDraft(ctx context.Context, actor Actor, sc access.Scope, id int64, rule func(*infosub.Draft) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockDraft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		d := before
		if err := rule(&d); err != nil {
			return err
		}
		if err := s.saveDraft(ctx, tx, before, d, s.Now()); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, before.UnitID, "info.update", "info", id, draftSnapshot(before), draftSnapshot(d))
	})
}

// DeleteDraft removes a draft if rule (infosub.CanDelete) allows it on the
// draft locked in the transaction.
func (s *Store) DeleteDraft(ctx context.Context, actor Actor, sc access.Scope, id int64, rule func(infosub.Draft) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := rule(d); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE info_drafts SET deleted_at = $1 WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("delete draft: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.delete", "info", id, draftSnapshot(d), nil)
	})
}

// DraftFilter selects drafts.
type DraftFilter struct {
	UnitID   int64
	OrgID    int64
	Status   string
	Mine     bool   // author is the scope's user
	Month    string // 'YYYY-MM' of submission
	PubMonth string // 'YYYY-MM' of a publication or adoption record
	Adopted  bool   // with PubMonth: adoption records only
	Counted  bool   // leave out withdrawn drafts (as the figures do)
	Q        string
	Page     int
	PerPage  int
	AuthorID int64
}

func (s *Store) draftWhere(sc access.Scope, f DraftFilter, a *args) string {
	w := []string{"d.deleted_at IS NULL", infoReadScope(sc, a)}
	if f.UnitID != 0 {
		w = append(w, "d.unit_id = "+a.add(f.UnitID))
	}
	if f.OrgID != 0 {
		w = append(w, "d.org_id = "+a.add(f.OrgID))
	}
	if f.Status != "" {
		w = append(w, "d.status = "+a.add(f.Status))
	}
	if f.Mine {
		w = append(w, "d.author_id = "+a.add(sc.UserID))
	}
	if f.Month != "" {
		w = append(w, "d.submitted_date >= "+a.add(f.Month+"-01")+" AND d.submitted_date <= "+a.add(f.Month+"-31"))
	}
	if f.Counted {
		w = append(w, "d.status <> 'withdrawn'")
	}
	if f.PubMonth != "" {
		kind := ""
		if f.Adopted {
			kind = " AND p.kind = 'adopt'"
		}
		w = append(w, "EXISTS (SELECT 1 FROM info_publications p WHERE p.draft_id = d.id AND p.deleted_at IS NULL"+kind+
			" AND p.date >= "+a.add(f.PubMonth+"-01")+" AND p.date <= "+a.add(f.PubMonth+"-31")+")")
	}
	if f.Q != "" {
		w = append(w, "d.title LIKE "+a.add("%"+likeEscape(f.Q)+"%")+` ESCAPE '\'`)
	}
	return strings.Join(w, " AND ")
}

// ListDrafts returns one page of drafts, newest change first, and the total.
func (s *Store) ListDrafts(ctx context.Context, sc access.Scope, f DraftFilter) ([]infosub.Draft, int, error) {
	var a args
	where := s.draftWhere(sc, f, &a)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM info_drafts d WHERE "+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count drafts: %w", err)
	}
	q := "SELECT " + draftCols + draftFrom + " WHERE " + where + " ORDER BY d.updated_at DESC, d.id DESC"
	if f.PerPage > 0 {
		q += " LIMIT " + a.add(f.PerPage) + " OFFSET " + a.add((max(f.Page, 1)-1)*f.PerPage)
	}
	out, err := s.scanDrafts(ctx, q, a...)
	return out, total, err
}

func (s *Store) scanDrafts(ctx context.Context, q string, a ...any) ([]infosub.Draft, error) {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	defer rows.Close()
	var out []infosub.Draft
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReviewQueue lists drafts waiting at a step the user may decide, oldest
// deadline first. Drafts the user wrote, or already approved at an earlier
