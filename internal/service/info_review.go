package service

import (
	"context"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// ReviewDraft records a reviewer's decision on a draft: infosub.Decide on
// the locked draft, with the reviewer's roles as stored now and the unit's
// lexicon for the blocking check. An approval notifies the next step's
// reviewers.
func (s *Service) ReviewDraft(ctx context.Context, actor store.Actor, sc access.Scope, id int64, rv infosub.Review) error {
	d, err := s.st.Draft(ctx, sc, id)
	if err != nil {
		return err
	}
	if err := rv.Validate(); err != nil {
		return err
	}
	check, err := s.checker(ctx, d.UnitID)
	if err != nil {
		return err
	}
	if err := s.decide(ctx, actor, sc, id, rv, check); err != nil {
		return err
	}
	if rv.Action == infosub.ActApprove {
		s.notifyStep(ctx, sc, id)
	}
	return nil
}

func (s *Service) decide(ctx context.Context, actor store.Actor, sc access.Scope, id int64, rv infosub.Review, check infosub.Checker) error {
	return s.st.DecideDraft(ctx, actor, sc, id, func(d *infosub.Draft, f infosub.Facts) (infosub.Change, error) {
		return infosub.Decide(d, f, actor.UserID, rv, check)
	})
}

// ReplaceInDraft is one-click replace from the screening panel: old, found
// at rune offset at of the draft's text, becomes repl in the HTML. The
// author's draft is saved as an edit; a reviewer's replacement is a review
// edit (a new version).
func (s *Service) ReplaceInDraft(ctx context.Context, actor store.Actor, sc access.Scope, id int64, at int, old, repl string) error {
	d, err := s.st.Draft(ctx, sc, id)
	if err != nil {
		return err
	}
	body, ok := infosub.ReplaceInHTML(d.Body, at, old, repl)
	if !ok || old == "" {
		return apperr.Rule("正文已变化或该处跨越了格式，无法一键替换，请在编辑器中修改")
	}
	body, text := infosub.NewSanitizer().Clean(body)
	if d.AuthorID == actor.UserID {
		d.Body, d.BodyText = body, text
		return s.UpdateDraft(ctx, actor, sc, &d)
	}
	return s.decide(ctx, actor, sc, id, infosub.Review{Action: infosub.ActEdit, Title: d.Title, Body: body, BodyText: text,
		Comment: "一键替换：" + old + " → " + repl}, nil)
}
