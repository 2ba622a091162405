package service

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/opinion"
	"zhendi/internal/opreport"
	"zhendi/internal/report"
	"zhendi/internal/store"
)

// The opinion module's reports: the data of a periodic 舆情分析报告 and
// of an event's 研判报告, gathered in the caller's scope; opreport writes
// the documents.

// OpinionPeriodReport gathers a unit's figures for period (opreport.ParsePeriod).
func (s *Service) OpinionPeriodReport(ctx context.Context, sc access.Scope, unitID int64, period string) (opreport.Data, error) {
	var d opreport.Data
	p, err := opreport.ParsePeriod(period)
	if err != nil {
		return d, err
	}
	unit, err := s.st.Node(ctx, unitID)
	if err != nil {
		return d, err
	}
	from, to := p.From.Unix(), p.To.Unix()
	ov, err := s.st.OpinionOverview(ctx, sc, unitID, from, to)
	if err != nil {
		return d, err
	}
	prev, err := s.st.OpinionOverview(ctx, sc, unitID, p.PrevFrom.Unix(), from)
	if err != nil {
		return d, err
	}
	if ov.Copies, err = s.st.OpinionCopies(ctx, sc, unitID, from, to); err != nil {
		return d, err
	}
	d = opreport.Data{Unit: unit.Name, PeriodLabel: p.Label, From: p.From, To: p.To, Items: ov.Items, Negative: ov.Negative, Positive: ov.Positive,
		Copies: ov.Copies, PrevItems: prev.Items, PrevLabel: p.PrevLabel, Sources: counts(ov.Sources), Schemes: counts(ov.Schemes), Generated: s.now()}
	byDay := map[int64]store.DayCount{}
	for _, dc := range ov.Days {
		byDay[dc.Day] = dc
	}
	for t := p.From; t.Before(p.To); t = t.AddDate(0, 0, 1) {
		dc := byDay[(t.Unix()+8*3600)/86400]
		d.Days = append(d.Days, opreport.Day{Date: t, N: dc.N, Negative: dc.Negative})
	}
	events, _, err := s.st.OpinionEvents(ctx, sc, store.EventFilter{UnitID: unitID, From: from, To: to, Sort: "heat", Limit: 20})
	if err != nil {
		return d, err
	}
	var reps []int64
	for _, e := range events {
		d.Events = append(d.Events, reportEvent(e))
		if e.RepItemID != 0 && len(reps) < 10 {
			reps = append(reps, e.RepItemID)
		}
	}
	if d.Quotes, err = s.quotes(ctx, sc, reps, events); err != nil {
		return d, err
	}
	d.Incidents, err = s.st.Incidents(ctx, sc, store.IncidentFilter{UnitID: unitID, From: from, To: to})
	return d, err
}

// OpinionEventReport gathers an event's figures for its 研判报告, and
// returns the event's unit.
func (s *Service) OpinionEventReport(ctx context.Context, sc access.Scope, eventID int64) (opreport.Data, int64, error) {
	var d opreport.Data
	ev, err := s.st.OpinionEvent(ctx, sc, eventID)
	if err != nil {
		return d, 0, err
	}
	unit, err := s.st.Node(ctx, ev.UnitID)
	if err != nil {
		return d, 0, err
	}
	hours, err := s.st.EventHours(ctx, sc, eventID)
	if err != nil {
		return d, 0, err
	}
	srcs, err := s.st.EventSources(ctx, sc, eventID)
	if err != nil {
		return d, 0, err
	}
	neg, err := s.st.EventNegativeItems(ctx, sc, eventID)
	if err != nil {
		return d, 0, err
	}
	items, _, err := s.st.OpinionItems(ctx, sc, store.ItemFilter{UnitID: ev.UnitID, EventID: eventID, Grouped: true, Limit: 20})
	if err != nil {
		return d, 0, err
	}
	e := reportEvent(ev)
	e.Negative = neg
	d = opreport.Data{Unit: unit.Name, PeriodLabel: "", From: time.Unix(ev.FirstAt, 0).In(cntime.Zone), To: time.Unix(ev.LastAt+1, 0).In(cntime.Zone),
		Items: ev.Items, Negative: neg, Event: &e, Formula: opinion.HeatFormula, Generated: s.now()}
	// Every hour from the first to the last (at most two weeks), quiet
	// ones too, so the timeline is true.
	if len(hours) > 0 {
		byHour := map[int64]int{}
		for _, h := range hours {
			byHour[h.Hour] = h.N
		}
		first, last := hours[0].Hour, hours[len(hours)-1].Hour
		first = max(first, last-14*24)
		for h := first; h <= last; h++ {
			d.Hours = append(d.Hours, opreport.Day{Date: time.Unix(h*3600, 0).In(cntime.Zone), N: byHour[h]})
		}
	}
	for _, c := range srcs {
		d.Sources = append(d.Sources, opreport.Count{ID: c.SourceID, Name: c.Name, N: c.N})
	}
	for _, it := range items {
		q := reportItem(it)
		q.EventID = eventID
		d.Quotes = append(d.Quotes, q)
	}
	d.Incidents, err = s.st.Incidents(ctx, sc, store.IncidentFilter{UnitID: ev.UnitID, EventID: eventID})
	return d, ev.UnitID, err
}

// quotes reads the representative items of events.
func (s *Service) quotes(ctx context.Context, sc access.Scope, ids []int64, events []store.OpinionEvent) ([]opreport.Item, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	items, err := s.st.OpinionItemsByID(ctx, sc, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]store.OpinionItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	var out []opreport.Item
	for _, e := range events {
		if it, ok := byID[e.RepItemID]; ok {
			q := reportItem(it)
			q.EventID = e.ID
			out = append(out, q)
		}
	}
	return out, nil
}

func reportEvent(e store.OpinionEvent) opreport.Event {
	return opreport.Event{ID: e.ID, Title: e.Title, Scheme: e.SchemeName, FirstAt: time.Unix(e.FirstAt, 0).In(cntime.Zone), LastAt: time.Unix(e.LastAt, 0).In(cntime.Zone),
		Items: e.Items, Sources: e.Sources, Heat: e.Heat, Negativity: e.Negativity}
}

func reportItem(it store.OpinionItem) opreport.Item {
	return opreport.Item{ID: it.ID, Title: it.Title, Body: it.Body, Source: it.SourceName, Published: time.Unix(it.PublishedAt, 0).In(cntime.Zone), URL: it.URL,
		Negativity: it.Negativity, Copies: it.GroupCopies}
}

func counts(cs []store.NamedCount) []opreport.Count {
	out := make([]opreport.Count, len(cs))
	for i, c := range cs {
		out[i] = opreport.Count{ID: c.ID, Name: c.Name, N: c.N}
	}
	return out
}

// OpinionReportFile writes a report as Word (GB/T 9704, with the unit's
// 主送机关 and 落款 from 公文设置, as the 研判报告 of the report module)
// or Excel. d is from OpinionPeriodReport or OpinionEventReport; the
// charts are drawn with the shared renderer (Charts; without a CJK font the
// tables stay alone). The caller records the download.
func (s *Service) OpinionReportFile(ctx context.Context, unitID int64, d opreport.Data, format string) ([]byte, error) {
	charts := s.Charts()
	if format == "xlsx" {
		return opreport.XLSX(d)
	}
	doc := opreport.PeriodDoc(d, charts)
	if d.Event != nil {
		doc = opreport.EventDoc(d, charts)
	}
	unit, err := s.st.Node(ctx, unitID)
	if err != nil {
		return nil, err
	}
	ds, err := s.st.DocSettings(ctx, unitID)
	if err != nil {
		return nil, err
	}
	doc.Keep = append(doc.Keep, unit.Name)
	report.Finish(&doc, report.FinishingOf(report.Analysis), ds, unit.Name, cntime.Date(s.now()))
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc); err != nil {
		return nil, fmt.Errorf("write opinion report: %w", err)
	}
	return buf.Bytes(), nil
}

// OpinionReportName is the file name (without extension) of a report.
func OpinionReportName(d opreport.Data) string {
	if d.Event != nil {
		return "舆情分析研判报告-" + clip(d.Event.Title, 20)
	}
	return d.Unit + d.PeriodLabel + "舆情分析报告"
}
