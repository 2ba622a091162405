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
// matrix, the 通报, my tasks, the reminders and the reports all call this one
// pipeline (rules in force → organisation → tallies → supervise.JudgeUnit),
// so they can never disagree. Three grouped queries for all units and no
// cache, so a figure is never older than the page. Units that do not exist
// are left out of the map.
func (s *Service) Compliance(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64]*supervise.UnitCompliance, error) {
	return s.complianceOn(ctx, sc, unitIDs, year, cntime.Date(s.now()))
}

// complianceOn is Compliance judged on a given day ("2006-01-02").
func (s *Service) complianceOn(ctx context.Context, sc access.Scope, unitIDs []int64, year int, today string) (map[int64]*supervise.UnitCompliance, error) {
	rules, err := s.st.EffectiveRules(ctx, unitIDs)
	if err != nil {
		return nil, fmt.Errorf("compliance rules: %w", err)
	}
	units, err := s.st.SuperviseUnits(ctx, unitIDs)
	if err != nil {
		return nil, fmt.Errorf("compliance units: %w", err)
	}
	tallies, err := s.st.SuperviseTallies(ctx, sc, unitIDs, year, supervise.NeedsOf(rules))
	if err != nil {
		return nil, fmt.Errorf("compliance tallies: %w", err)
	}
	out := make(map[int64]*supervise.UnitCompliance, len(unitIDs))
	for _, id := range unitIDs {
		u, ok := units[id]
		if !ok || u.ID == 0 {
			continue
		}
		out[id] = supervise.JudgeUnit(u, rules[id], tallies[id], today)
	}
	return out, nil
}
