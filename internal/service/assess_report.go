package service

import (
	"context"
	"errors"

	"zhendi/internal/apperr"

	"zhendi/internal/report"
)

// LeaderFields gives package report a leader's 分管 departments, his items
// of the responsibility list and his 述职 record of a year (the 述职
// report's own fields, report.FieldSource).
func (r reportSource) LeaderFields(ctx context.Context, unitID, userID int64, year int) (report.LeaderFields, error) {
	var f report.LeaderFields
	fg, err := r.st.Fenguan(ctx, r.sc, unitID)
	if err != nil {
		return f, err
	}
	nodes, err := r.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return f, err
	}
	names := map[int64]string{}
	for _, n := range nodes {
		names[n.ID] = n.Name
	}
	for _, x := range fg {
		if x.UserID == userID && names[x.OrgID] != "" {
			f.Depts = append(f.Depts, report.Dept{ID: x.OrgID, Name: names[x.OrgID]})
		}
	}
	duties, err := r.st.Duties(ctx, r.sc, unitID, userID)
	if err != nil {
		return f, err
	}
	for _, d := range duties {
		f.Duties = append(f.Duties, d.What)
	}
	ds, err := r.st.Debriefs(ctx, r.sc, []int64{unitID}, year)
	if err != nil {
		return f, err
	}
	for _, d := range ds {
		if d.UserID == userID {
			f.Debrief = &report.DebriefRecord{Date: d.Date, Meeting: d.Meeting, Good: d.Good, Fair: d.Fair, Average: d.Average, Poor: d.Poor, FollowUps: d.FollowUpList()}
		}
	}
	return f, nil
}

// AssessFacts counts what module 8 holds for a unit's year (report.AssessSource).
func (r reportSource) AssessFacts(ctx context.Context, unitID int64, year int, to string) (report.AssessFacts, error) {
	var f report.AssessFacts
	incl, err := r.st.Inclusions(ctx, r.sc, []int64{unitID}, year)
	if err != nil {
		return f, err
	}
	for _, in := range incl[unitID] {
		if in.Done {
			f.Inclusions++
		}
	}
	duties, err := r.st.Duties(ctx, r.sc, unitID, 0)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return f, err
	}
	f.Duties = len(duties)
	cases, err := r.st.CasesForScoring(ctx, []int64{unitID}, year)
	if err != nil {
		return f, err
	}
	for _, c := range cases {
		if c.Decided() && c.Dates[4] <= to {
			f.CasesDecided++
		}
	}
	ds, err := r.st.Debriefs(ctx, r.sc, []int64{unitID}, year)
	if err != nil {
		return f, err
	}
	f.Debriefs = len(ds)
	return f, nil
}
