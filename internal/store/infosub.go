package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
)

// InfoFigures are the half-year report's 信息 figures of one unit; the ids
// are the drafts behind each number (traceability). Definitions are in the
// infosub package doc.
type InfoFigures struct {
	Written, Published, Adopted int
	WrittenIDs, PublishedIDs    []int64
}

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

// InfoFigures counts a unit's drafts written and published in [from, to]
// (dates 'YYYY-MM-DD', inclusive) that the scope may read.
func (s *Store) InfoFigures(ctx context.Context, sc access.Scope, unitID int64, from, to string) (InfoFigures, error) {
	var f InfoFigures
	var a args
	q := `SELECT d.id FROM info_drafts d WHERE d.unit_id = ` + a.add(unitID) + ` AND d.deleted_at IS NULL
		AND d.submitted_date >= ` + a.add(from) + ` AND d.submitted_date <= ` + a.add(to) + `
		AND d.status <> 'withdrawn' AND ` + infoReadScope(sc, &a) + ` ORDER BY d.id`
	ids, err := s.queryIDs(ctx, q, a...)
	if err != nil {
		return f, fmt.Errorf("info written: %w", err)
	}
	f.WrittenIDs, f.Written = ids, len(ids)

	a = nil
	q = `SELECT d.id, MAX(CASE WHEN p.kind = 'adopt' THEN 1 ELSE 0 END) FROM info_publications p JOIN info_drafts d ON d.id = p.draft_id
		WHERE p.unit_id = ` + a.add(unitID) + ` AND p.deleted_at IS NULL AND d.deleted_at IS NULL
		AND p.date >= ` + a.add(from) + ` AND p.date <= ` + a.add(to) + ` AND ` + infoReadScope(sc, &a) + `
		GROUP BY d.id ORDER BY d.id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return f, fmt.Errorf("info published: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var adopted int
		if err := rows.Scan(&id, &adopted); err != nil {
			return f, err
		}
		f.PublishedIDs = append(f.PublishedIDs, id)
		f.Adopted += adopted
	}
	f.Published = len(f.PublishedIDs)
	return f, rows.Err()
}

func (s *Store) queryIDs(ctx context.Context, q string, a ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ---- configuration ----

// InfoConfig returns a unit's settings, defaults where it saved none.
func (s *Store) InfoConfig(ctx context.Context, unitID int64) (infosub.Config, error) {
	return infoConfig(ctx, s.db, unitID)
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func infoConfig(ctx context.Context, q rowQueryer, unitID int64) (infosub.Config, error) {
	c := infosub.DefaultConfig()
	var chain, points string
	err := q.QueryRowContext(ctx, `SELECT chain_json, points_json, quota, proof_rounds, step_days FROM info_config WHERE unit_id = $1`, unitID).
		Scan(&chain, &points, &c.Quota, &c.ProofRounds, &c.StepDays)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	} else if err != nil {
		return c, fmt.Errorf("read info config: %w", err)
	}
	if chain != "" {
		if err := json.Unmarshal([]byte(chain), &c.Chain); err != nil {
			return c, fmt.Errorf("info config chain: %w", err)
		}
	}
	if points != "" {
		p := infosub.DefaultPoints()
		if err := json.Unmarshal([]byte(points), &p); err != nil {
			return c, fmt.Errorf("info config points: %w", err)
		}
		c.Points = p
	}
	return c, nil
}

func canManageInfo(sc access.Scope, unitID int64) bool { return slices.Contains(sc.WriteUnits, unitID) }

// SetInfoConfig saves a unit's settings (unit-wide writers only).
func (s *Store) SetInfoConfig(ctx context.Context, actor Actor, sc access.Scope, unitID int64, c infosub.Config) error {
	if !canManageInfo(sc, unitID) {
		return ErrNotFound
	}
	if err := c.Validate(); err != nil {
		return err
	}
	chain, _ := json.Marshal(c.Chain)
	points, _ := json.Marshal(c.Points)
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := infoConfig(ctx, tx, unitID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO info_config (unit_id, chain_json, points_json, quota, proof_rounds, step_days, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (unit_id) DO UPDATE SET chain_json = excluded.chain_json,
			points_json = excluded.points_json, quota = excluded.quota, proof_rounds = excluded.proof_rounds,
			step_days = excluded.step_days, updated_at = excluded.updated_at`,
			unitID, string(chain), string(points), c.Quota, c.ProofRounds, c.StepDays, s.Now().Unix())
		if err != nil {
			return fmt.Errorf("save info config: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.config", "unit", unitID, before, c)
	})
}

// InfoQuotas returns the departments' own monthly quotas of a unit.
func (s *Store) InfoQuotas(ctx context.Context, unitID int64) (map[int64]int, error) {
	out, err := queryCounts[int64](ctx, s.db, `SELECT org_id, monthly FROM info_quotas WHERE unit_id = $1`, unitID)
	if err != nil {
		return nil, fmt.Errorf("read quotas: %w", err)
	}
	return out, nil
}

// SetInfoQuota sets one department's monthly quota; a negative value
// removes it (the unit default applies).
func (s *Store) SetInfoQuota(ctx context.Context, actor Actor, sc access.Scope, unitID, orgID int64, monthly int) error {
	if !canManageInfo(sc, unitID) {
		return ErrNotFound
	}
	if monthly > 100 {
		return apperr.Field("每月任务数", "不能超过 100")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var u int64
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(unit_id,0), kind FROM orgs WHERE id = $1 AND deleted_at IS NULL`, orgID).Scan(&u, &kind)
		if err != nil || u != unitID || kind == "unit" || kind == "district" {
			return apperr.Field("科室", "不属于本单位")
		}
		if monthly < 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM info_quotas WHERE org_id = $1`, orgID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO info_quotas (org_id, unit_id, monthly) VALUES ($1,$2,$3)
				ON CONFLICT (org_id) DO UPDATE SET monthly = excluded.monthly`, orgID, unitID, monthly)
		}
		if err != nil {
			return fmt.Errorf("save quota: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.quota", "org", orgID, nil, map[string]int{"monthly": monthly})
	})
}

// ---- drafts ----

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

// checkDraftRefs makes sure the department and the linked activity belong
// to a unit the author may write in.
func checkDraftRefs(ctx context.Context, tx *sql.Tx, sc access.Scope, d *infosub.Draft) error {
	var unitID int64
	var kind string
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0), kind FROM orgs WHERE id = $1 AND deleted_at IS NULL", d.OrgID).Scan(&unitID, &kind)
	if err != nil || unitID == 0 || kind == "district" {
		return apperr.Field("报送科室", "不存在")
	}
	if !sc.CanWrite(unitID, d.OrgID) {
		return apperr.Field("报送科室", "无权以该科室名义报送")
	}
	if d.UnitID != 0 && d.UnitID != unitID {
		return apperr.Field("报送科室", "不能改到其他单位")
	}
	d.UnitID = unitID
	if d.ActivityID != 0 {
		var au int64
		err := tx.QueryRowContext(ctx, "SELECT unit_id FROM activities WHERE id = $1 AND deleted_at IS NULL", d.ActivityID).Scan(&au)
		if err != nil || au != unitID {
			return apperr.Field("关联台账", "所选活动不存在")
		}
	}
	return nil
}

// CreateDraft stores a new draft written by the actor.
func (s *Store) CreateDraft(ctx context.Context, actor Actor, sc access.Scope, d *infosub.Draft) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		d.UnitID = 0
		if err := checkDraftRefs(ctx, tx, sc, d); err != nil {
			return err
		}
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

// UpdateDraft saves the author's changes while the draft is with the author.
func (s *Store) UpdateDraft(ctx context.Context, actor Actor, sc access.Scope, d *infosub.Draft) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockDraft(ctx, tx, sc, d.ID)
		if err != nil {
			return err
		}
		if before.AuthorID != actor.UserID {
			return apperr.Rule("只有撰写人可以修改草稿; 审核人请在审核时修改")
		}
		if before.Status != infosub.StatusDraft && before.Status != infosub.StatusReturned {
			return apperr.Rule(fmt.Sprintf("信息%s, 不能修改", before.Status.Label()))
		}
		d.UnitID = before.UnitID
		if err := checkDraftRefs(ctx, tx, sc, d); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE info_drafts SET org_id=$1, title=$2, body=$3, body_text=$4, category=$5, activity_id=$6, updated_at=$7 WHERE id=$8`,
			d.OrgID, d.Title, d.Body, d.BodyText, d.Category, nullID(d.ActivityID), s.Now().Unix(), d.ID)
		if err != nil {
			return fmt.Errorf("update draft: %w", err)
		}
		after := before
		after.OrgID, after.Title, after.Body, after.Category, after.ActivityID = d.OrgID, d.Title, d.Body, d.Category, d.ActivityID
		return s.appendAudit(ctx, tx, actor, before.UnitID, "info.update", "info", d.ID, draftSnapshot(before), draftSnapshot(after))
	})
}

// DeleteDraft removes a draft that was never submitted (author only).
func (s *Store) DeleteDraft(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if d.AuthorID != actor.UserID || d.Status != infosub.StatusDraft || d.Cycle != 0 {
			return apperr.Rule("只有撰写人可以删除从未提交的草稿; 已提交的信息请撤回")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE info_drafts SET deleted_at = $1 WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("delete draft: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.delete", "info", id, draftSnapshot(d), nil)
	})
}

// Checker screens a title and text and returns the blocking terms found.
type Checker func(title, text string) []string

// ErrBlocked lists blocking findings that no reviewer has let pass.
type ErrBlocked struct{ Terms []string }

func (e *ErrBlocked) Error() string {
	return "筛查发现阻断性问题: " + strings.Join(e.Terms, "、") + "。请修改, 或由审核人填写理由后放行"
}

// Unwrap makes the finding a user error, shown beside the draft.
func (e *ErrBlocked) Unwrap() error { return apperr.Rule(e.Error()) }

// unreleased returns the blocking terms of the draft's text not yet let pass.
func unreleased(ctx context.Context, tx *sql.Tx, d infosub.Draft, check Checker) ([]string, error) {
	if check == nil {
		return nil, nil
	}
	found := check(d.Title, d.BodyText)
	if len(found) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT terms FROM info_decisions WHERE draft_id = $1 AND action = 'override'", d.ID)
	if err != nil {
		return nil, fmt.Errorf("read overrides: %w", err)
	}
	defer rows.Close()
	passed := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		for _, x := range strings.Split(t, "\n") {
			passed[x] = true
		}
	}
	var out []string
	for _, t := range found {
		if !passed[t] && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}

func (s *Store) addDecision(ctx context.Context, tx *sql.Tx, d infosub.Draft, actor Actor, act infosub.Action, round int, comment, terms string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO info_decisions (draft_id, cycle, step, step_name, action, round, user_id, user_name, comment, terms, version, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`, d.ID, d.Cycle, d.Step, d.StepName(), string(act), round,
		nullID(actor.UserID), actor.Name, comment, terms, d.Version, s.Now().Unix())
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	return nil
}

func (s *Store) addVersion(ctx context.Context, tx *sql.Tx, d *infosub.Draft, actor Actor, note string) error {
	d.Version++
	_, err := tx.ExecContext(ctx, `INSERT INTO info_versions (draft_id, version, title, body, body_text, created_at, created_by, by_name, note)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, d.ID, d.Version, d.Title, d.Body, d.BodyText, s.Now().Unix(), nullID(actor.UserID), actor.Name, note)
	if err != nil {
		return fmt.Errorf("store version: %w", err)
	}
	return nil
}

func (s *Store) cstDate() string {
	return s.Now().In(cntime.Zone).Format(cntime.DateLayout)
}

// SubmitDraft sends a draft (new or returned) to the first review step. The
// chain is fixed at this moment. Blocking findings must have been let pass.
func (s *Store) SubmitDraft(ctx context.Context, actor Actor, sc access.Scope, id int64, comment string, check Checker) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if d.AuthorID != actor.UserID {
			return apperr.Rule("只有撰写人可以提交")
		}
		if !infosub.Allowed(d.Status, infosub.ActSubmit) {
			return apperr.Rule(fmt.Sprintf("信息%s, 不能提交", d.Status.Label()))
		}
		if strings.TrimSpace(d.BodyText) == "" {
			return apperr.Field("正文", "不能为空")
		}
		if bad, err := unreleased(ctx, tx, d, check); err != nil {
			return err
		} else if len(bad) > 0 {
			return &ErrBlocked{Terms: bad}
		}
		cfg, err := infoConfig(ctx, tx, d.UnitID)
		if err != nil {
			return err
		}
		note := "提交"
		if d.Status == infosub.StatusReturned {
			note = "退回后重新提交"
		}
		if err := s.addVersion(ctx, tx, &d, actor, note); err != nil {
			return err
		}
		before := d.Status
		d.Status, d.Step, d.Chain = infosub.StatusReview, 0, cfg.Chain
		d.Cycle++
		chain, _ := json.Marshal(cfg.Chain)
		now := s.Now().Unix()
		sub := d.SubmittedDate
		if sub == "" {
			sub = s.cstDate()
		}
		_, err = tx.ExecContext(ctx, `UPDATE info_drafts SET status=$1, step=0, chain_json=$2, version=$3, cycle=$4,
			submitted_date=$5, submitted_at=COALESCE(submitted_at,$6), step_due=$7, updated_at=$6 WHERE id=$8`,
			string(d.Status), string(chain), d.Version, d.Cycle, sub, now, now+int64(cfg.StepDays)*86400, d.ID)
		if err != nil {
			return fmt.Errorf("submit draft: %w", err)
		}
		if err := s.addDecision(ctx, tx, d, actor, infosub.ActSubmit, 0, comment, ""); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.submit", "info", d.ID, map[string]any{"status": before},
			map[string]any{"status": d.Status, "version": d.Version, "cycle": d.Cycle})
	})
}

// WithdrawDraft is the author taking a draft back before 终审.
func (s *Store) WithdrawDraft(ctx context.Context, actor Actor, sc access.Scope, id int64, comment string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if d.AuthorID != actor.UserID {
			return apperr.Rule("只有撰写人可以撤回")
		}
		if !infosub.Allowed(d.Status, infosub.ActWithdraw) {
			return apperr.Rule(fmt.Sprintf("信息%s, 不能撤回", d.Status.Label()))
		}
		before := d.Status
		if _, err := tx.ExecContext(ctx, `UPDATE info_drafts SET status='withdrawn', step_due=NULL, updated_at=$1 WHERE id=$2`, s.Now().Unix(), id); err != nil {
			return fmt.Errorf("withdraw draft: %w", err)
		}
		if err := s.addDecision(ctx, tx, d, actor, infosub.ActWithdraw, 0, comment, ""); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.withdraw", "info", id, map[string]any{"status": before}, map[string]any{"status": "withdrawn"})
	})
}

func cycleDecisions(ctx context.Context, tx *sql.Tx, d infosub.Draft) ([]infosub.Decision, error) {
	return decisionsQ(ctx, tx, "WHERE draft_id = $1 AND cycle = $2", d.ID, d.Cycle)
}

func decisionsQ(ctx context.Context, q queryer, where string, a ...any) ([]infosub.Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, draft_id, cycle, step, step_name, action, round, COALESCE(user_id,0), user_name, comment, version, at
		FROM info_decisions `+where+` ORDER BY id`, a...)
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	defer rows.Close()
	var out []infosub.Decision
	for rows.Next() {
		var x infosub.Decision
		var act string
		if err := rows.Scan(&x.ID, &x.DraftID, &x.Cycle, &x.Step, &x.StepName, &act, &x.Round, &x.UserID, &x.UserName, &x.Comment, &x.Version, &x.At); err != nil {
			return nil, err
		}
		x.Action = infosub.Action(act)
		out = append(out, x)
	}
	return out, rows.Err()
}

// Review is one reviewer decision.
type Review struct {
	Action  infosub.Action // approve, return, proof, override, edit
	Comment string
	// Edit: the reviewer's new text.
	Title, Body, BodyText string
}

// ReviewDraft records a reviewer's decision. The reviewer's roles are read
// from the database inside the transaction; infosub.CanReview decides.
func (s *Store) ReviewDraft(ctx context.Context, actor Actor, sc access.Scope, id int64, rv Review, check Checker) error {
	rv.Comment = strings.TrimSpace(rv.Comment)
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		grants, err := grantsOf(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		cfg, err := infoConfig(ctx, tx, d.UnitID)
		if err != nil {
			return err
		}
		chain := d.Chain
		if len(chain) == 0 { // not yet submitted: override is judged by the unit's chain
			chain = cfg.Chain
		}
		cyc, err := cycleDecisions(ctx, tx, d)
		if err != nil {
			return err
		}
		st := infosub.ReviewState{Status: d.Status, Step: d.Step, Chain: chain, AuthorID: d.AuthorID, UnitID: d.UnitID,
			OrgID: d.OrgID, Cycle: cyc, ProofRounds: cfg.ProofRounds}
		if err := infosub.CanReview(st, actor.UserID, grants, rv.Action); err != nil {
			return err
		}
		now := s.Now().Unix()
		before := map[string]any{"status": d.Status, "step": d.Step, "version": d.Version}
		round, terms := 0, ""
		switch rv.Action {
		case infosub.ActReturn:
			if rv.Comment == "" {
				return apperr.Field("退回意见", "不能为空")
			}
			_, err = tx.ExecContext(ctx, `UPDATE info_drafts SET status='returned', step_due=NULL, updated_at=$1 WHERE id=$2`, now, id)
		case infosub.ActApprove:
			if bad, err := unreleased(ctx, tx, d, check); err != nil {
				return err
			} else if len(bad) > 0 {
				return &ErrBlocked{Terms: bad}
			}
			if d.Step+1 < len(d.Chain) {
				_, err = tx.ExecContext(ctx, `UPDATE info_drafts SET step=$1, step_due=$2, updated_at=$3 WHERE id=$4`,
					d.Step+1, now+int64(cfg.StepDays)*86400, now, id)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE info_drafts SET status='approved', step_due=NULL, approved_at=$1, approved_date=$2, updated_at=$1 WHERE id=$3`,
					now, s.cstDate(), id)
			}
		case infosub.ActEdit:
			t := strings.TrimSpace(rv.Title)
			nd := d
			nd.Title, nd.Body, nd.BodyText = t, rv.Body, rv.BodyText
			if err := nd.Validate(); err != nil {
				return err
			}
			if nd.Title == d.Title && nd.Body == d.Body {
				return apperr.Rule("正文和标题都没有改动")
			}
			if err := s.addVersion(ctx, tx, &nd, actor, d.StepName()+"修改"); err != nil {
				return err
			}
			d = nd
			_, err = tx.ExecContext(ctx, `UPDATE info_drafts SET title=$1, body=$2, body_text=$3, version=$4, updated_at=$5 WHERE id=$6`,
				d.Title, d.Body, d.BodyText, d.Version, now, id)
		case infosub.ActProof:
			round = infosub.ProofCount(cyc) + 1
			if round > 3 {
				return apperr.Rule("本轮已完成三校")
			}
		case infosub.ActOverride:
			if rv.Comment == "" {
				return apperr.Field("放行理由", "不能为空")
			}
			var found []string
			if check != nil {
				found = check(d.Title, d.BodyText)
			}
			if len(found) == 0 {
				return apperr.Rule("当前文本没有需要放行的阻断性问题")
			}
			terms = strings.Join(found, "\n")
		}
		if err != nil {
			return fmt.Errorf("review draft: %w", err)
		}
		if err := s.addDecision(ctx, tx, d, actor, rv.Action, round, rv.Comment, terms); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info."+string(rv.Action), "info", id, before,
			map[string]any{"comment": rv.Comment, "version": d.Version, "round": round, "terms": terms})
	})
}

// DraftHistory returns the stored versions and every decision of a draft.
func (s *Store) DraftHistory(ctx context.Context, sc access.Scope, id int64) ([]infosub.Version, []infosub.Decision, error) {
	if _, err := s.Draft(ctx, sc, id); err != nil {
		return nil, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version, title, body, body_text, created_at, by_name, note FROM info_versions WHERE draft_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("read versions: %w", err)
	}
	defer rows.Close()
	var vs []infosub.Version
	for rows.Next() {
		var v infosub.Version
		if err := rows.Scan(&v.Version, &v.Title, &v.Body, &v.BodyText, &v.CreatedAt, &v.ByName, &v.Note); err != nil {
			return nil, nil, err
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	ds, err := decisionsQ(ctx, s.db, "WHERE draft_id = $1", id)
	return vs, ds, err
}

// ---- lists ----

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
// step of the same cycle, are left out.
func (s *Store) ReviewQueue(ctx context.Context, sc access.Scope, userID int64, grants []access.Grant) ([]infosub.Draft, error) {
	units := map[int64]bool{}
	for _, g := range grants {
		if slices.Contains(infosub.ReviewRoles, g.Role) && g.UnitID != 0 {
			units[g.UnitID] = true
		}
	}
	if len(units) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(units))
	for id := range units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var a args
	me := a.add(userID)
	q := "SELECT " + draftCols + draftFrom + " WHERE d.unit_id IN (" + a.in(ids) + ") AND d.status = 'review' AND d.deleted_at IS NULL" +
		" AND (d.author_id IS NULL OR d.author_id <> " + me + ") AND " + infoReadScope(sc, &a) +
		" AND NOT EXISTS (SELECT 1 FROM info_decisions x WHERE x.draft_id = d.id AND x.cycle = d.cycle AND x.action = 'approve' AND x.user_id = " + me + ")" +
		" ORDER BY d.step_due, d.id"
	all, err := s.scanDrafts(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, d := range all {
		if d.Step < len(d.Chain) && d.Chain[d.Step].Eligible(grants, d.UnitID, d.OrgID) {
			out = append(out, d)
		}
	}
	return out, nil
}

// ---- publication and adoption ----

// AddPublication records where a draft was published or which level adopted
// it, with the unit's points for that level. Unit-wide writers only.
func (s *Store) AddPublication(ctx context.Context, actor Actor, sc access.Scope, p *infosub.Publication) error {
	lv, ok := infosub.LevelByCode(p.Level)
	if !ok {
		return apperr.Field("发布渠道/采用级别", "无效")
	}
	if _, err := time.Parse(cntime.DateLayout, p.Date); err != nil {
		return apperr.Field("日期", "格式应为 2023-06-30")
	}
	if p.Date > s.cstDate() {
		return apperr.Field("日期", "不能晚于今天")
	}
	p.Outlet, p.URL = strings.TrimSpace(p.Outlet), strings.TrimSpace(p.URL)
	if p.URL != "" && !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
		return apperr.Field("链接", "应以 http:// 或 https:// 开头")
	}
	if len([]rune(p.Outlet)) > 60 || len(p.URL) > 500 {
		return apperr.Field("刊发媒体/链接", "过长")
	}
	p.Kind = "publish"
	act := infosub.ActPublish
	if lv.Adopt {
		p.Kind, act = "adopt", infosub.ActAdopt
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, p.DraftID)
		if err != nil {
			return err
		}
		if !canManageInfo(sc, d.UnitID) {
			return apperr.Rule("只有意识形态专干或单位领导可以登记发布和采用")
		}
		ok := infosub.Allowed(d.Status, act)
		if act == infosub.ActAdopt && d.Status == infosub.StatusApproved {
			ok = true // adoption of an approved draft also publishes it
		}
		if !ok {
			return apperr.Rule(fmt.Sprintf("信息%s, 不能登记%s", d.Status.Label(), act.Label()))
		}
		cfg, err := infoConfig(ctx, tx, d.UnitID)
		if err != nil {
			return err
		}
		p.UnitID, p.Points = d.UnitID, cfg.Points[p.Level]
		err = tx.QueryRowContext(ctx, `INSERT INTO info_publications (draft_id, unit_id, kind, level, outlet, url, date, points, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`, d.ID, d.UnitID, p.Kind, p.Level, p.Outlet, p.URL, p.Date, p.Points,
			s.Now().Unix(), nullID(actor.UserID)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert publication: %w", err)
		}
		if d.Status != infosub.StatusPublished {
			if _, err := tx.ExecContext(ctx, `UPDATE info_drafts SET status='published', updated_at=$1 WHERE id=$2`, s.Now().Unix(), d.ID); err != nil {
				return fmt.Errorf("publish draft: %w", err)
			}
		}
		if err := s.addDecision(ctx, tx, d, actor, act, 0, lv.Label+" "+p.Outlet, ""); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info."+string(act), "info", d.ID, nil, p)
	})
}

// RemovePublication deletes a wrongly entered record (kept for the audit trail).
func (s *Store) RemovePublication(ctx context.Context, actor Actor, sc access.Scope, draftID, pubID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, draftID)
		if err != nil {
			return err
		}
		if !canManageInfo(sc, d.UnitID) {
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

// ---- images ----

// InfoImage is an image of a draft.
type InfoImage struct {
	ID      int64
	DraftID int64
	Name    string
	Mime    string
	Size    int64
	SHA256  string
}

// AddInfoImage stores a checked image for a draft its author may still edit
// (or a reviewer at the current step).
func (s *Store) AddInfoImage(ctx context.Context, actor Actor, sc access.Scope, draftID int64, img *InfoImage, data []byte) error {
	sum, err := s.putBlob(data)
	if err != nil {
		return err
	}
	img.SHA256, img.Size, img.DraftID = sum, int64(len(data)), draftID
	return s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.lockDraft(ctx, tx, sc, draftID)
		if err != nil {
			return err
		}
		editable := d.AuthorID == actor.UserID && (d.Status == infosub.StatusDraft || d.Status == infosub.StatusReturned)
		if !editable && d.Status == infosub.StatusReview {
			grants, err := grantsOf(ctx, tx, actor.UserID)
			if err != nil {
				return err
			}
			editable = d.AuthorID != actor.UserID && d.Step < len(d.Chain) && d.Chain[d.Step].Eligible(grants, d.UnitID, d.OrgID)
		}
		if !editable {
			return apperr.Rule(fmt.Sprintf("信息%s, 不能添加图片", d.Status.Label()))
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO info_images (draft_id, unit_id, name, mime, size, sha256, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, draftID, d.UnitID, img.Name, img.Mime, img.Size, sum, s.Now().Unix(), nullID(actor.UserID)).Scan(&img.ID)
		if err != nil {
			return fmt.Errorf("insert image: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info.image.add", "info", draftID, nil, map[string]any{"image": img.ID, "name": img.Name, "sha256": sum})
	})
}

// OpenInfoImage returns an image if the scope may read its draft.
func (s *Store) OpenInfoImage(ctx context.Context, sc access.Scope, draftID, imgID int64) (InfoImage, io.ReadSeekCloser, error) {
	var img InfoImage
	if _, err := s.Draft(ctx, sc, draftID); err != nil {
		return img, nil, err
	}
	err := s.db.QueryRowContext(ctx, `SELECT id, draft_id, name, mime, size, sha256 FROM info_images WHERE id = $1 AND draft_id = $2`, imgID, draftID).
		Scan(&img.ID, &img.DraftID, &img.Name, &img.Mime, &img.Size, &img.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return img, nil, ErrNotFound
	} else if err != nil {
		return img, nil, fmt.Errorf("read image: %w", err)
	}
	f, err := os.Open(s.blobPath(img.SHA256))
	if err != nil {
		return img, nil, fmt.Errorf("open image file: %w", err)
	}
	return img, f, nil
}

// ---- monthly bulletin ----

// canReadUnitInfo: the bulletin is circulated in the unit, so every user of
// the unit with content access and every unit-wide reader (leaders,
// supervisors) may see it.
func canReadUnitInfo(sc access.Scope, unitID int64) bool {
	return slices.Contains(sc.ReadUnits, unitID) || (sc.HomeUnit == unitID && sc.HasContent())
}

// InfoBulletin computes the monthly bulletin of a unit (rows: its
// departments, plus the unit itself when it submitted drafts at unit level)
// or, with unitID 0, of every unit the scope reads in full (rows: units).
// Rows with no drafts are included: they are the 零报送.
func (s *Store) InfoBulletin(ctx context.Context, sc access.Scope, unitID int64, month string) (infosub.Bulletin, error) {
	from, to, label, err := infosub.MonthRange(month)
	if err != nil {
		return infosub.Bulletin{}, err
	}
	b := infosub.Bulletin{Month: month, From: from, To: to, Label: label, District: unitID == 0}
	var units []int64
	rows := map[int64]*infosub.BulletinRow{}
	var order []int64
	addRow := func(id int64, name string, quota int) {
		rows[id] = &infosub.BulletinRow{OrgID: id, Name: name, Quota: quota}
		order = append(order, id)
	}
	if unitID != 0 {
		if !canReadUnitInfo(sc, unitID) {
			return b, ErrNotFound
		}
		units = []int64{unitID}
		cfg, err := s.InfoConfig(ctx, unitID)
		if err != nil {
			return b, err
		}
		quotas, err := s.InfoQuotas(ctx, unitID)
		if err != nil {
			return b, err
		}
		if err := s.db.QueryRowContext(ctx, "SELECT name FROM orgs WHERE id = $1", unitID).Scan(&b.Scope); err != nil {
			return b, fmt.Errorf("read unit: %w", err)
		}
		r, err := s.db.QueryContext(ctx, `SELECT id, name FROM orgs WHERE unit_id = $1 AND kind = 'department' AND deleted_at IS NULL ORDER BY sort, id`, unitID)
		if err != nil {
			return b, fmt.Errorf("list departments: %w", err)
		}
		for r.Next() {
			var id int64
			var name string
			if err := r.Scan(&id, &name); err != nil {
				r.Close()
				return b, err
			}
			q, ok := quotas[id]
			if !ok {
				q = cfg.Quota
			}
			addRow(id, name, q)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return b, err
		}
	} else {
		units = sc.ReadUnits
		if len(units) == 0 {
			return b, ErrNotFound
		}
		b.Scope = "各单位"
		var a args
		r, err := s.db.QueryContext(ctx, `SELECT o.id, o.name, COALESCE(c.quota, $1) * (SELECT COUNT(*) FROM orgs dd WHERE dd.unit_id = o.id AND dd.kind = 'department' AND dd.deleted_at IS NULL)
			FROM orgs o LEFT JOIN info_config c ON c.unit_id = o.id WHERE o.id IN (`+func() string { a.add(infosub.DefaultConfig().Quota); return a.in(units) }()+`) ORDER BY o.sort, o.id`, a...)
		if err != nil {
			return b, fmt.Errorf("list units: %w", err)
		}
		for r.Next() {
			var id int64
			var name string
			var q int
			if err := r.Scan(&id, &name, &q); err != nil {
				r.Close()
				return b, err
			}
			addRow(id, name, q)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return b, err
		}
	}
	key := "d.org_id"
	if unitID == 0 {
		key = "d.unit_id"
	}
	get := func(id int64) *infosub.BulletinRow {
		if r, ok := rows[id]; ok {
			return r
		}
		// Drafts at unit level (or of a department deleted since).
		var name string
		s.db.QueryRowContext(ctx, "SELECT name FROM orgs WHERE id = $1", id).Scan(&name)
		addRow(id, name, 0)
		return rows[id]
	}
	type q struct {
		sql  string
		scan func(id int64, vals []int)
		n    int
	}
	var a args
	unitCond := func() string { return "d.unit_id IN (" + a.in(units) + ")" }
	queries := []q{
		{`SELECT ` + key + `, COUNT(*) FROM info_drafts d WHERE ` + unitCond() + ` AND d.deleted_at IS NULL AND d.status <> 'withdrawn'
			AND d.submitted_date >= ` + a.add(from) + ` AND d.submitted_date <= ` + a.add(to) + ` GROUP BY ` + key,
			func(id int64, v []int) { get(id).Submitted = v[0] }, 1},
	}
	run := func(qq q, qa args) error {
		r, err := s.db.QueryContext(ctx, qq.sql, qa...)
		if err != nil {
			return fmt.Errorf("bulletin: %w", err)
		}
		defer r.Close()
		for r.Next() {
			var id int64
			vals := make([]int, qq.n)
			dst := []any{&id}
			for i := range vals {
				dst = append(dst, &vals[i])
			}
			if err := r.Scan(dst...); err != nil {
				return err
			}
			qq.scan(id, vals)
		}
		return r.Err()
	}
	if err := run(queries[0], a); err != nil {
		return b, err
	}
	a = nil
	approved := q{`SELECT ` + key + `, COUNT(*) FROM info_drafts d WHERE ` + unitCond() + ` AND d.deleted_at IS NULL
		AND d.status IN ('approved','published') AND d.approved_date >= ` + a.add(from) + ` AND d.approved_date <= ` + a.add(to) + ` GROUP BY ` + key,
		func(id int64, v []int) { get(id).Approved = v[0] }, 1}
	if err := run(approved, a); err != nil {
		return b, err
	}
	a = nil
	pubKey := strings.Replace(key, "d.unit_id", "p.unit_id", 1)
	pubs := q{`SELECT ` + pubKey + `, COUNT(DISTINCT p.draft_id), COUNT(DISTINCT CASE WHEN p.kind = 'adopt' THEN p.draft_id END), COALESCE(SUM(p.points),0)
		FROM info_publications p JOIN info_drafts d ON d.id = p.draft_id
		WHERE p.unit_id IN (` + a.in(units) + `) AND p.deleted_at IS NULL AND d.deleted_at IS NULL
		AND p.date >= ` + a.add(from) + ` AND p.date <= ` + a.add(to) + ` GROUP BY ` + pubKey,
		func(id int64, v []int) { r := get(id); r.Published, r.Adopted, r.Points = v[0], v[1], v[2] }, 3}
	if err := run(pubs, a); err != nil {
		return b, err
	}
	for _, id := range order {
		b.Rows = append(b.Rows, *rows[id])
	}
	b.Finish()
	return b, nil
}

// ---- lexicon ----

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

// SaveInfoTerms adds or replaces (same text) terms of a unit in one
// transaction: an import is all or nothing.
func (s *Store) SaveInfoTerms(ctx context.Context, actor Actor, sc access.Scope, unitID int64, terms []infosub.Term) (int, error) {
	if !canManageInfo(sc, unitID) {
		return 0, ErrNotFound
	}
	for i := range terms {
		if err := terms[i].Validate(); err != nil {
			return 0, apperr.Within(fmt.Sprintf("第 %d 条", i+1), err)
		}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		for _, t := range terms {
			_, err := tx.ExecContext(ctx, `INSERT INTO info_terms (unit_id, category, term, replacement, severity, note, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (unit_id, term) DO UPDATE SET category = excluded.category,
				replacement = excluded.replacement, severity = excluded.severity, note = excluded.note`,
				unitID, t.Category, t.Term, t.Suggest, t.Severity, t.Note, now)
			if err != nil {
				return fmt.Errorf("save term %s: %w", t.Term, err)
			}
		}
		summary := make([]string, 0, min(len(terms), 20))
		for _, t := range terms[:min(len(terms), 20)] {
			summary = append(summary, t.Category+":"+t.Term)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "info.terms.save", "unit", unitID, nil, map[string]any{"count": len(terms), "first": summary})
	})
	if err != nil {
		return 0, err
	}
	return len(terms), nil
}

// DeleteInfoTerm removes one of a unit's terms.
func (s *Store) DeleteInfoTerm(ctx context.Context, actor Actor, sc access.Scope, unitID, termID int64) error {
	if !canManageInfo(sc, unitID) {
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

// ---- demo and benchmark data ----

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
		nilStr := func(v string) any {
			if v == "" {
				return nil
			}
			return v
		}
		nilInt := func(v int64) any {
			if v == 0 {
				return nil
			}
			return v
		}
		for i := range drafts {
			sd := &drafts[i]
			d := &sd.Draft
			chain, _ := json.Marshal(d.Chain)
			if len(d.Chain) == 0 {
				chain = nil
			}
			approvedDate := ""
			if d.ApprovedAt != 0 {
				approvedDate = time.Unix(d.ApprovedAt, 0).In(cntime.Zone).Format(cntime.DateLayout)
			}
			err := insD.QueryRowContext(ctx, unitID, d.OrgID, nullID(d.AuthorID), d.AuthorName, d.Title, d.Body, d.BodyText, d.Category,
				string(d.Status), d.Step, string(chain), d.Version, d.Cycle, nilStr(d.SubmittedDate), nilInt(d.SubmittedAt), nilInt(d.StepDue),
				nilInt(d.ApprovedAt), nilStr(approvedDate), d.CreatedAt, d.UpdatedAt).Scan(&d.ID)
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
// deadline (installation-wide: the reminder scheduler's query).
func (s *Store) OverdueReviews(ctx context.Context, now int64) ([]infosub.Draft, error) {
	out, err := s.scanDrafts(ctx, "SELECT "+draftCols+draftFrom+` WHERE d.status = 'review' AND d.deleted_at IS NULL
		AND d.step_due IS NOT NULL AND d.step_due < $1 ORDER BY d.step_due, d.id LIMIT 1000`, now)
	if err != nil {
		return nil, fmt.Errorf("overdue reviews: %w", err)
	}
	return out, nil
}

// StepReviewers lists the users who may decide the draft's current step:
// eligible for the step in the draft's unit and department, active, and
// not its author.
func (s *Store) StepReviewers(ctx context.Context, d infosub.Draft) ([]int64, error) {
	if d.Status != infosub.StatusReview || d.Step >= len(d.Chain) {
		return nil, nil
	}
	users, err := s.Users(ctx, []int64{d.UnitID}, true)
	if err != nil {
		return nil, err
	}
	step := d.Chain[d.Step]
	var ids []int64
	for _, u := range users {
		if u.ID != d.AuthorID && !u.Disabled && step.Eligible(u.Grants, d.UnitID, d.OrgID) {
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}
