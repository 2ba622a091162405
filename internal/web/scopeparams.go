package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"zhendi/internal/apperr"
)

// Request parameters that name a unit, an organisation node or a person
// are checked against the caller's scope before any handler runs, on
// every route, in the query string and in posted forms alike: a filter
// such as /ledger?unit=2 or ?person=17 naming something outside the scope
// is answered 404 “记录不存在或无权访问”, as an id in the path is, instead
// of filling drop-downs, headings or reports with another unit's roster.
// Handlers still scope every query; this check makes sure none of them
// looks up a name, a roster or a department list for an id the caller may
// not see. A parameter added under one of these names is covered without
// further work; one under a new name must be added here (and the probe
// test in scopeparams_test.go lists them).
var (
	// unitParams name a unit.
	unitParams = []string{"unit"}
	// nodeParams name a department, branch or unit node.
	nodeParams = []string{"org", "dept"}
	// personParams name a user.
	personParams = []string{"person", "lead", "speaker", "subject", "owner", "lead_id"}
)

// paramUnits are the units whose names, nodes and people the caller may
// see: those it reads, administers or audits, and its own.
func paramUnitAllowed(c *reqCtx, unitID int64) bool {
	sc := c.scope
	return unitID != 0 && (unitID == c.user.UnitID || slices.Contains(sc.ReadUnits, unitID) ||
		slices.Contains(sc.AdminUnits, unitID) || slices.Contains(sc.AuditUnits, unitID))
}

// checkScopeParams returns apperr.ErrNotFound when a parameter names a
// unit, node or person outside the caller's scope. Values that are not
// positive integers ("all", empty) are left to the handler.
func (s *Server) checkScopeParams(ctx context.Context, r *http.Request, c *reqCtx) error {
	values := func(name string) []int64 {
		var ids []int64
		for _, vs := range [][]string{r.URL.Query()[name], r.PostForm[name]} {
			for _, v := range vs {
				if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	for _, p := range unitParams {
		for _, id := range values(p) {
			if !paramUnitAllowed(c, id) {
				return apperr.ErrNotFound
			}
		}
	}
	for _, p := range nodeParams {
		for _, id := range values(p) {
			if slices.Contains(c.scope.ReadOrgs, id) || slices.Contains(c.scope.AdminDistricts, id) {
				continue
			}
			n, err := s.st.Node(ctx, id)
			if err != nil {
				return err // not found is 404 in httpError, unavailable 503
			}
			if !paramUnitAllowed(c, n.UnitID) {
				return apperr.ErrNotFound
			}
		}
	}
	for _, p := range personParams {
		for _, id := range values(p) {
			if id == c.user.ID {
				continue
			}
			u, err := s.st.User(ctx, id)
			if err != nil {
				return err // not found is 404 in httpError, unavailable 503
			}
			if !paramUnitAllowed(c, u.UnitID) {
				return apperr.ErrNotFound
			}
		}
	}
	return nil
}
