package service

import (
	"context"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// AddPublication records where a draft (p.DraftID) was published or which
// level adopted it, with the unit's points for that level
// (infosub.Publication.Validate, then infosub.Publish on the locked draft).
// On success p has its id, unit and points.
func (s *Service) AddPublication(ctx context.Context, actor store.Actor, sc access.Scope, p *infosub.Publication) error {
	if err := p.Validate(cntime.Date(s.now())); err != nil {
		return err
	}
	return s.st.AddPublication(ctx, actor, sc, p, func(d *infosub.Draft, f infosub.Facts) (infosub.Change, error) {
		return infosub.Publish(d, f, sc, p)
	})
}

// RemovePublication deletes a wrongly entered record (kept for the audit
// trail); apperr.ErrNotFound when it is missing or the scope may not
// manage the draft's unit.
func (s *Service) RemovePublication(ctx context.Context, actor store.Actor, sc access.Scope, draftID, pubID int64) error {
	return s.st.RemovePublication(ctx, actor, sc, draftID, pubID)
}
