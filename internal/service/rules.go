package service

import (
	"context"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// SaveRule stores a new version of a unit's supervision rule, in force from
// today (service clock, China time); an empty Key adds an obligation. It
// returns the version stored, apperr.ErrNotFound when the scope may not
// manage the unit's rules, and the rule's validation errors or
// supervise.ErrRespNotInUnit as user errors.
func (s *Service) SaveRule(ctx context.Context, actor store.Actor, sc access.Scope, r supervise.Rule) (supervise.Rule, error) {
	if !supervise.CanManage(sc, r.UnitID) {
		return r, apperr.ErrNotFound
	}
	today := cntime.Date(s.now())
	r.ValidFrom, r.ValidTo = today, ""
	if err := r.Validate(); err != nil {
		return r, err
	}
	return s.st.SaveRule(ctx, actor, sc, r, today)
}

// RetireRule ends a unit's obligation from today: its version in force is
// closed yesterday. apperr.ErrNotFound when the scope may not manage the
// unit's rules or no such obligation is in force.
func (s *Service) RetireRule(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, key string) error {
	if !supervise.CanManage(sc, unitID) {
		return apperr.ErrNotFound
	}
	return s.st.RetireRule(ctx, actor, sc, unitID, key, cntime.Date(s.now()))
}
