package service

import (
	"context"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// CreateRect puts a problem on a unit's rectification list as 待整改 and
// sets r.ID. apperr.ErrNotFound when the scope may not (see
// supervise.CanCreateRect); the fields' validation errors and an owner or
// department outside the unit are user errors.
func (s *Service) CreateRect(ctx context.Context, actor store.Actor, sc access.Scope, r *supervise.Rect) error {
	if !supervise.CanCreateRect(sc, *r) {
		return apperr.ErrNotFound
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.st.CreateRect(ctx, actor, sc, r)
}

// UpdateRect edits item id with the fields of in (see supervise.Edit for
// who changes what) and returns the item as saved. The fields are
// validated first, then the rule runs on the locked item.
func (s *Service) UpdateRect(ctx context.Context, actor store.Actor, sc access.Scope, id int64, in supervise.Rect) (supervise.Rect, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	return s.st.UpdateRect(ctx, actor, sc, id, func(cur *supervise.Rect) error {
		return supervise.Edit(sc, cur, in)
	})
}

// StepRect takes item id one step along its flow (see supervise.TakeStep);
// note is the verifier's remark or the reason for sending it back. It
// returns the item as saved; a step the scope may not take at all is
// apperr.ErrNotFound, a refused one a user error.
func (s *Service) StepRect(ctx context.Context, actor store.Actor, sc access.Scope, id int64, step supervise.Step, note string) (supervise.Rect, error) {
	now := s.now().Unix()
	cur, err := s.st.Rect(ctx, sc, id)
	if err != nil {
		return cur, err
	}
	cfg, err := s.st.RectConfig(ctx, cur.UnitID)
	if err != nil {
		return cur, err
	}
	saved, err := s.st.StepRect(ctx, actor, sc, id, step, func(r *supervise.Rect, files int) error {
		return supervise.TakeStep(sc, cfg, r, step, note, files, now)
	})
	if err == nil && step == supervise.StepSubmit {
		saved.Workers = append(saved.Workers, actor.UserID)
		s.notifyRectVerifiers(ctx, saved)
	}
	return saved, err
}

// AddRectEvidence stores evidence files on item id: all of them or, on any
// failure, none. The right to add is checked before any file is written,
// so a refused upload leaves nothing on disk, and again on the locked item.
func (s *Service) AddRectEvidence(ctx context.Context, actor store.Actor, sc access.Scope, id int64, files []store.RectUpload) ([]supervise.RectFile, error) {
	cur, err := s.st.Rect(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if err := supervise.CheckEvidence(sc, cur); err != nil {
		return nil, err
	}
	return s.st.AddRectFiles(ctx, actor, sc, id, files, func(r supervise.Rect) error {
		return supervise.CheckEvidence(sc, r)
	})
}

// SetRectConfig saves a unit's rectification settings (whether 佐证材料 may
// be left out when submitting for verification); apperr.ErrNotFound when
// the scope may not manage the unit.
func (s *Service) SetRectConfig(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, c supervise.RectConfig) error {
	return s.st.SetRectConfig(ctx, actor, sc, unitID, c)
}
