package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
)

// The review workflow's records: decisions (info_decisions) and text
// versions (info_versions). DecideDraft runs an infosub workflow rule on
// the locked draft and records what it decided; the review queue and the
// reminder queries read them.

// draftFacts reads, in tx, what a workflow rule judges the locked draft d
// by when the actor acts on it at now.
func (s *Store) draftFacts(ctx context.Context, tx *sql.Tx, d infosub.Draft, actor Actor, now time.Time) (infosub.Facts, error) {
	f := infosub.Facts{Now: now}
	var err error
	if f.Config, err = infoConfig(ctx, tx, d.UnitID); err != nil {
		return f, err
	}
	if f.Cycle, err = decisionsQ(ctx, tx, "WHERE draft_id = $1 AND cycle = $2", d.ID, d.Cycle); err != nil {
		return f, err
	}
	if f.Passed, err = passedTerms(ctx, tx, d.ID); err != nil {
		return f, err
	}
	if f.Grants, err = grantsOf(ctx, tx, actor.UserID); err != nil {
		return f, err
	}
	return f, nil
}

// passedTerms lists the blocking terms overrides let pass on a draft.
func passedTerms(ctx context.Context, tx *sql.Tx, draftID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT terms FROM info_decisions WHERE draft_id = $1 AND action = 'override'", draftID)
	if err != nil {
		return nil, fmt.Errorf("read overrides: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		for _, x := range strings.Split(t, "\n") {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out, rows.Err()
}

// transition locks draft id, runs rule on it with its facts and records
// the result in tx: the new text version, the changed columns and the
// decision. It returns the draft before and after and what the rule decided.
func (s *Store) transition(ctx context.Context, tx *sql.Tx, actor Actor, sc access.Scope, id int64, rule infosub.Rule) (before, after infosub.Draft, ch infosub.Change, err error) {
	if before, err = s.lockDraft(ctx, tx, sc, id); err != nil {
		return before, after, ch, err
	}
	now := s.Now()
	f, err := s.draftFacts(ctx, tx, before, actor, now)
	if err != nil {
		return before, after, ch, err
	}
	after = before
	if ch, err = rule(&after, f); err != nil {
		return before, after, ch, err
	}
	if ch.VersionNote != "" {
		_, err = tx.ExecContext(ctx, `INSERT INTO info_versions (draft_id, version, title, body, body_text, created_at, created_by, by_name, note)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, after.ID, after.Version, after.Title, after.Body, after.BodyText, now.Unix(),
			nullID(actor.UserID), actor.Name, ch.VersionNote)
		if err != nil {
			return before, after, ch, fmt.Errorf("store version: %w", err)
		}
	}
	if ch.Save {
		if err = s.saveDraft(ctx, tx, before, after, now); err != nil {
			return before, after, ch, err
		}
	}
	x := ch.Decision
	_, err = tx.ExecContext(ctx, `INSERT INTO info_decisions (draft_id, cycle, step, step_name, action, round, user_id, user_name, comment, terms, version, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`, after.ID, x.Cycle, x.Step, x.StepName, string(x.Action), x.Round,
		nullID(actor.UserID), actor.Name, x.Comment, strings.Join(ch.Terms, "\n"), x.Version, now.Unix())
	if err != nil {
		return before, after, ch, fmt.Errorf("record decision: %w", err)
	}
	return before, after, ch, nil
}

// DecideDraft runs a workflow rule — infosub.Submit, Withdraw or Decide as
// the service binds it to the request — on draft id, locked in one
// transaction with the facts it judges by, and records what it decided
// with its audit entry. The rule's error (a user error) is returned as is.
func (s *Store) DecideDraft(ctx context.Context, actor Actor, sc access.Scope, id int64, rule infosub.Rule) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, d, ch, err := s.transition(ctx, tx, actor, sc, id, rule)
		if err != nil {
			return err
		}
		var was, is any
		switch ch.Decision.Action {
		case infosub.ActSubmit:
			was, is = map[string]any{"status": before.Status}, map[string]any{"status": d.Status, "version": d.Version, "cycle": d.Cycle}
		case infosub.ActWithdraw:
			was, is = map[string]any{"status": before.Status}, map[string]any{"status": d.Status}
		default:
			was = map[string]any{"status": before.Status, "step": before.Step, "version": before.Version}
			is = map[string]any{"comment": ch.Decision.Comment, "version": d.Version, "round": ch.Decision.Round, "terms": strings.Join(ch.Terms, "\n")}
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, "info."+string(ch.Decision.Action), "info", id, was, is)
	})
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
	return slices.DeleteFunc(all, func(d infosub.Draft) bool { return !d.AwaitsDecisionBy(grants) }), nil
}

// OverdueReviews lists drafts whose current review step is past its
// deadline (installation-wide: the reminder scheduler's query). now is a
// Unix time.
func (s *Store) OverdueReviews(ctx context.Context, now int64) ([]infosub.Draft, error) {
	out, err := s.scanDrafts(ctx, "SELECT "+draftCols+draftFrom+` WHERE d.status = 'review' AND d.deleted_at IS NULL
		AND d.step_due IS NOT NULL AND d.step_due < $1 ORDER BY d.step_due, d.id LIMIT 1000`, now)
	if err != nil {
		return nil, fmt.Errorf("overdue reviews: %w", err)
	}
	return out, nil
}

// StepReviewers lists the ids of the users who may decide the draft's
// current step (infosub.StepReviewers over the unit's users); none when the
// draft is not in review.
func (s *Store) StepReviewers(ctx context.Context, d infosub.Draft) ([]int64, error) {
	users, err := s.Users(ctx, []int64{d.UnitID}, true)
	if err != nil {
		return nil, err
	}
	return infosub.StepReviewers(d, users), nil
}
