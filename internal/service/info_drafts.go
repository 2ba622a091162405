package service

import (
	"context"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// 信息报送 drafts: the author writes, edits, submits, withdraws and deletes.
// Each method applies the infosub rules; those that depend on the draft as
// it is now run inside the store's transaction on the locked row.

// CreateDraft stores a new draft written by the actor: the fields are
// validated (d.Body already sanitised, infosub.CleanBody), the department
// and linked activity checked (infosub.CheckRefs). On success d has its id,
// unit and author. A user error names the field; a failed lookup is
// returned as the failure it is, never as "不存在".
func (s *Service) CreateDraft(ctx context.Context, actor store.Actor, sc access.Scope, d *infosub.Draft) error {
	if err := d.Validate(); err != nil {
		return err
	}
	refs, err := s.st.DraftRefs(ctx, d.OrgID, d.ActivityID)
	if err != nil {
		return fmt.Errorf("create draft: %w", err)
	}
	d.UnitID = 0
	if err := infosub.CheckRefs(d, refs, sc); err != nil {
		return err
	}
	return s.st.CreateDraft(ctx, actor, sc, d)
}

// UpdateDraft saves the author's changes to draft d.ID (infosub.Edit on the
// locked draft: the author's own, while it is with the author). d.UnitID is
// set to the draft's unit, for showing the form again.
func (s *Service) UpdateDraft(ctx context.Context, actor store.Actor, sc access.Scope, d *infosub.Draft) error {
	// Out of scope is not found before anything is said about the form, so
	// another unit's id is answered like any record it cannot see.
	if _, err := s.st.Draft(ctx, sc, d.ID); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	refs, err := s.st.DraftRefs(ctx, d.OrgID, d.ActivityID)
	if err != nil {
		return fmt.Errorf("update draft %d: %w", d.ID, err)
	}
	in := *d
	return s.st.UpdateDraft(ctx, actor, sc, d.ID, func(locked *infosub.Draft) error {
		d.UnitID = locked.UnitID
		return infosub.Edit(locked, actor.UserID, in, refs, sc)
	})
}

// DeleteDraft removes a draft its author never submitted.
func (s *Service) DeleteDraft(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	return s.st.DeleteDraft(ctx, actor, sc, id, func(d infosub.Draft) error { return infosub.CanDelete(d, actor.UserID) })
}

// SubmitDraft sends the author's draft to the first review step, screened
// with the unit's lexicon (blocking findings must have been let pass), and
// notifies the step's reviewers.
func (s *Service) SubmitDraft(ctx context.Context, actor store.Actor, sc access.Scope, id int64, comment string) error {
	d, err := s.st.Draft(ctx, sc, id)
	if err != nil {
		return err
	}
	check, err := s.checker(ctx, d.UnitID)
	if err != nil {
		return err
	}
	err = s.st.DecideDraft(ctx, actor, sc, id, func(d *infosub.Draft, f infosub.Facts) (infosub.Change, error) {
		return infosub.Submit(d, f, actor.UserID, comment, check)
	})
	if err != nil {
		return err
	}
	s.notifyStep(ctx, sc, id)
	return nil
}

// WithdrawDraft is the author taking a draft back before 终审.
func (s *Service) WithdrawDraft(ctx context.Context, actor store.Actor, sc access.Scope, id int64, comment string) error {
	return s.st.DecideDraft(ctx, actor, sc, id, func(d *infosub.Draft, f infosub.Facts) (infosub.Change, error) {
		return infosub.Withdraw(d, actor.UserID, comment)
	})
}

// checker is the blocking-term check of a unit's lexicon.
func (s *Service) checker(ctx context.Context, unitID int64) (infosub.Checker, error) {
	scr, err := s.InfoScreener(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return scr.BlockingTerms, nil
}

// notifyStep sends an in-app notification (the supervision module's
// channel) to everyone who may decide the draft's current step. Failures
// are logged, not returned: the draft is already in the reviewers' queue.
func (s *Service) notifyStep(ctx context.Context, sc access.Scope, id int64) {
	d, err := s.st.Draft(ctx, sc, id)
	if err != nil || d.Status != infosub.StatusReview || d.Step >= len(d.Chain) {
		return
	}
	ids, err := s.st.StepReviewers(ctx, d)
	if err != nil {
		s.log.Warn("info reviewers", "draft", id, "err", err)
		return
	}
	step := d.Chain[d.Step]
	key := fmt.Sprintf("info:%d:%d:%d", d.ID, d.Cycle, d.Step)
	due := cntime.LongMinute(time.Unix(d.StepDue, 0))
	body := fmt.Sprintf("%s报送的信息「%s」待%s，请于 %s 前处理。", d.OrgName, d.Title, step.Name, due)
	if err := s.st.Notify(ctx, d.UnitID, ids, key, "待审核信息："+d.Title, body, fmt.Sprintf("/info/%d", d.ID)); err != nil {
		s.log.Warn("info notify", "draft", id, "err", err)
	}
}
