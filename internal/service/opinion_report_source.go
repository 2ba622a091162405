package service

import (
	"context"
	"sort"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/incident"
	"zhendi/internal/opinion"
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

// OpinionEvents lists the unit's events with items between from and to
// ("2006-01-02", inclusive), hottest first, each with the 舆情处置 started
// from it (report.OpinionEventSource). A limit still running at the
// period's end, or now if that is earlier, is pending; one passed with
// nothing done, or done after it, is late.
func (r reportSource) OpinionEvents(ctx context.Context, unitID int64, from, to string) ([]report.OpinionEvent, error) {
	f, err := cntime.ParseDate(from)
	if err != nil {
		return nil, err
	}
	t, err := cntime.ParseDate(to)
	if err != nil {
		return nil, err
	}
	start, end := f.Unix(), t.Add(24*time.Hour).Unix()
	asOf := min(end, r.svc.Now().Unix())
	incs, err := r.st.Incidents(ctx, r.sc, store.IncidentFilter{UnitID: unitID})
	if err != nil {
		return nil, err
	}
	byEvent := map[int64]incident.Incident{}
	for _, in := range incs {
		// The first incident started from an event is its handling (the
		// list is newest first).
		if in.EventID != 0 && in.FoundAt < end {
			byEvent[in.EventID] = in
		}
	}
	var out []report.OpinionEvent
	defer func() {
		// Hottest in the period first.
		sort.SliceStable(out, func(i, j int) bool { return out[i].Heat > out[j].Heat })
	}()
	for offset := 0; ; offset += 500 {
		evs, total, err := r.st.OpinionEvents(ctx, r.sc, store.EventFilter{UnitID: unitID, From: start, To: end, Sort: "heat", Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			hours, err := r.st.EventHours(ctx, r.sc, e.ID)
			if err != nil {
				return nil, err
			}
			w := 1.0
			if e.Items > 0 && e.WeightSum > 0 {
				w = e.WeightSum / float64(e.Items)
			}
			ev := report.OpinionEvent{ID: e.ID, Title: e.Title, FirstDate: cntime.Date(time.Unix(e.FirstAt, 0)), Items: e.Items,
				Heat: peakHeat(hours, w, start/3600, end/3600), Negativity: e.Negativity}
			if in, ok := byEvent[e.ID]; ok {
				oi := &report.OpinionIncident{ID: in.ID, Level: in.LevelLabel(), Closed: in.Status == incident.StatusClosed, Current: incident.StepLabel(in.Current())}
				for _, s := range in.Steps {
					if s.Done() {
						oi.StepsDone++
					}
				}
				for _, d := range in.Deadlines() {
					switch {
					case d.Late() || d.Overdue(asOf):
						oi.Late = true
					case !d.Met():
						oi.Pending = true
					}
				}
				ev.Incident = oi
			}
			out = append(out, ev)
		}
		if offset+len(evs) >= total || len(evs) == 0 {
			break
		}
	}
	return out, nil
}

// peakHeat is the highest heat (opinion.Heat, the formula of the event
// page) the event reached in an hour of [from, to) in which it had items:
// the event's own heat is the one it had when last active, after the
// period for an event still running and before it for one long quiet.
func peakHeat(hours []store.HourCount, weight float64, from, to int64) float64 {
	byHour := make(map[int64]int, len(hours))
	for _, h := range hours {
		byHour[h.Hour] = h.N
	}
	peak := 0.0
	hourly := make([]int, 24)
	for _, h := range hours {
		if h.Hour < from || h.Hour >= to {
			continue
		}
		for i := range hourly {
			hourly[i] = byHour[h.Hour-int64(len(hourly)-1-i)]
		}
		peak = max(peak, opinion.Heat(hourly, weight))
	}
	return peak
}
