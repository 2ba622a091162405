package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

// ScopeOf is what u may read, write and administer (access.Build over the
// user's grants, a district grant reaching every unit under it). An error
// when the units under a district cannot be read: a supervisor must get a
// 503, not a page that silently shows no units.
func (s *Service) ScopeOf(ctx context.Context, u org.User) (access.Scope, error) {
	var firstErr error
	sc := access.Build(u.ID, u.UnitID, u.Grants, func(districtID int64) []int64 {
		ids, err := s.st.UnitsUnder(ctx, districtID)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("units under district %d: %w", districtID, err)
		}
		return ids
	})
	return sc, firstErr
}
