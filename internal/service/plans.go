package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
)

// SavePlanItem creates (ID 0) or updates an item of a unit's annual study
// plan. Changing a plan needs write access to the whole unit
// (ledger.CanWritePlan); without it, or for an item that is not the unit's,
// the answer is apperr.ErrNotFound. The speaker must be one of the unit's
// people.
func (s *Service) SavePlanItem(ctx context.Context, actor store.Actor, sc access.Scope, p *ledger.PlanItem) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("save plan item: %w", err)
	}
	if !ledger.CanWritePlan(sc, p.UnitID) {
		return apperr.ErrNotFound
	}
	if err := s.st.SavePlanItem(ctx, actor, p, p.SetSpeaker); err != nil {
		return fmt.Errorf("save plan item: %w", err)
	}
	return nil
}

// DeletePlanItem removes a plan item of a unit the scope writes; linked
// activities keep their link.
func (s *Service) DeletePlanItem(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	err := s.st.DeletePlanItem(ctx, actor, id, func(p ledger.PlanItem) error {
		if !ledger.CanWritePlan(sc, p.UnitID) {
			return apperr.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete plan item %d: %w", id, err)
	}
	return nil
}
