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
	for _, g := range u.Grants {
		if g.Role != access.Auditor && g.Role != access.SysAdmin {
			continue
		}
		n, err := s.st.Node(ctx, g.OrgID)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("node of auditor grant %d: %w", g.OrgID, err)
			}
			continue
		}
		roots := 0
		if n.ParentID == 0 {
			if roots, err = s.st.CountTopLevelNodes(ctx); err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
		}
		if access.InstallationNode(n.ParentID, string(n.Kind), roots) {
			if g.Role == access.Auditor {
				sc.InstallAudit = true
			} else {
				sc.InstallAdmin = true
			}
		}
	}
	return sc, firstErr
}
