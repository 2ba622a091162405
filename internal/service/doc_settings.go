package service

import (
	"context"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/org"
	"zhendi/internal/store"
)

// SaveDocSettings validates and saves how a unit's documents are finished
// (落款, 主送机关, 版记). The unit-wide writers (意识形态专干, unit
// leaders) may change them; anyone else gets apperr.ErrNotFound. A field
// that is too long is a user error naming it.
func (s *Service) SaveDocSettings(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, d org.DocSettings) error {
	if !slices.Contains(sc.WriteUnits, unitID) {
		return apperr.ErrNotFound
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.st.SetDocSettings(ctx, actor, sc, unitID, d)
}
