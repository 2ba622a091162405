package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
)

// Compliance judges the obligations of the units for a year from the ledger
// as it is now, as the scope sees it: the unit dashboard, the district
// matrix, the 通报 and my tasks call this, and the reminder round the same
// pipeline over several years (complianceYears) (rules in force → organisation → tallies → supervise.JudgeUnit),
// so they can never disagree. Three grouped queries for all units, kept in
// complianceCache until the next committed change or the next day, so a
// figure is never older than the page. Units that do not exist are left out
// of the map. The map and its values are shared: callers must not change
// them.
func (s *Service) Compliance(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64]*supervise.UnitCompliance, error) {
	return s.cachedCompliance(ctx, sc, unitIDs, year, cntime.Date(s.now()))
}

// complianceYears judges the units for each of several years on the day
// today ("2006-01-02"):
// the rules and the organisation are read once, the tallies once per year
// (the reminder round looks at last year too until its grace periods end).
func (s *Service) complianceYears(ctx context.Context, sc access.Scope, unitIDs []int64, years []int, today string) (map[int]map[int64]*supervise.UnitCompliance, error) {
	rules, err := s.st.EffectiveRules(ctx, unitIDs)
	if err != nil {
		return nil, fmt.Errorf("compliance rules: %w", err)
	}
	units, err := s.st.SuperviseUnits(ctx, unitIDs)
	if err != nil {
		return nil, fmt.Errorf("compliance units: %w", err)
	}
	byYear := make(map[int]map[int64]*supervise.UnitCompliance, len(years))
	for _, year := range years {
		tallies, err := s.st.SuperviseTallies(ctx, sc, unitIDs, year, supervise.NeedsOf(rules))
		if err != nil {
			return nil, fmt.Errorf("compliance tallies %d: %w", year, err)
		}
		out := make(map[int64]*supervise.UnitCompliance, len(unitIDs))
		for _, id := range unitIDs {
			u, ok := units[id]
			if !ok || u.ID == 0 {
				continue
			}
			out[id] = supervise.JudgeUnit(u, rules[id], tallies[id], today)
		}
		byYear[year] = out
	}
	return byYear, nil
}
