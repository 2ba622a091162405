package report

import (
	"context"
	"fmt"
)

// What module 8 (考核问责, issue 19) records about a unit's year, for the
// sentences of the summaries that claim it: "五个纳入" only when all five
// are confirmed with evidence, the responsibility list only when the unit
// has one, 责任追究 as a practice only when a case was decided. Without
// the data the sentence is left out (issue 23: no claim without a record).

// AssessSource is what a Source may also provide (the service does).
type AssessSource interface {
	AssessFacts(ctx context.Context, unitID int64, year int, to string) (AssessFacts, error)
}

// AssessFacts are the unit's records of a year.
type AssessFacts struct {
	Inclusions   int // 五个纳入 confirmed
	Duties       int // items of the responsibility list
	CasesDecided int // accountability decisions of the year
	Debriefs     int // leaders' 述职 recorded for the year
}

// loadAssessFacts sets the conditions incl_all, has_duties, cases_decided
// and has_debriefs (all false when the Source has no such records).
func (b *builder) loadAssessFacts(year int) error {
	src, ok := b.src.(AssessSource)
	if !ok {
		return nil
	}
	f, err := src.AssessFacts(b.ctx, b.req.UnitID, year, b.req.Period.To)
	if err != nil {
		return fmt.Errorf("assessment facts: %w", err)
	}
	b.conds["incl_all"] = f.Inclusions >= 5
	b.conds["has_duties"] = f.Duties > 0
	b.conds["cases_decided"] = f.CasesDecided > 0
	b.conds["has_debriefs"] = f.Debriefs > 0
	return nil
}
