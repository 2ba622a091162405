package service

import (
	"context"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/report"
	"zhendi/internal/store"
)

// OpinionFigures counts a unit's opinion work for the report module
// (report.OpinionSource): items published between from and to
// ("2006-01-02", inclusive), events first seen then, incidents found then
// and those whose time limits were all met.
func (r reportSource) OpinionFigures(ctx context.Context, unitID int64, from, to string) (report.OpinionCounts, error) {
	var oc report.OpinionCounts
	f, err := cntime.ParseDate(from)
	if err != nil {
		return oc, err
	}
	t, err := cntime.ParseDate(to)
	if err != nil {
		return oc, err
	}
	start, end := f.Unix(), t.Add(24*time.Hour).Unix()
	ov, err := r.st.OpinionOverview(ctx, r.sc, unitID, start, end)
	if err != nil {
		return oc, err
	}
	oc.Items = ov.Items
	for offset := 0; ; offset += 500 {
		evs, total, err := r.st.OpinionEvents(ctx, r.sc, store.EventFilter{UnitID: unitID, From: start, To: end, Sort: "last", Limit: 500, Offset: offset})
		if err != nil {
			return oc, err
		}
		for _, e := range evs {
			if e.FirstAt >= start && e.FirstAt < end {
				oc.EventIDs = append(oc.EventIDs, e.ID)
			}
		}
		if offset+len(evs) >= total || len(evs) == 0 {
			break
		}
	}
	incs, err := r.st.Incidents(ctx, r.sc, store.IncidentFilter{UnitID: unitID, From: start, To: end})
	if err != nil {
		return oc, err
	}
	for _, in := range incs {
		oc.IncidentIDs = append(oc.IncidentIDs, in.ID)
		if in.OnTime() {
			oc.OnTimeIDs = append(oc.OnTimeIDs, in.ID)
		}
	}
	return oc, nil
}
