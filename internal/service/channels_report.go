package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
)

// ChannelQuarter gathers a unit's quarter for the quarterly 阵地 report: the
// channels as they stood at the quarter's end (or today, while it runs) by
// the publication days the checks recorded and the rules then in force,
// the findings and 报备 lapses of the quarter, and its inspections.
func (s *Service) ChannelQuarter(ctx context.Context, sc access.Scope, unitID int64, period string) (channel.QuarterData, error) {
	q := channel.QuarterData{Period: period, Fresh: map[int64]channel.Fresh{}}
	if !slices.Contains(sc.ReadUnits, unitID) {
		return q, apperr.ErrNotFound
	}
	end, err := channel.ParsePeriod(period)
	if err != nil {
		return q, err
	}
	endT, _ := cntime.ParseDate(end)
	startT := endT.AddDate(0, -3, 1)
	today := cntime.Date(s.now())
	q.Today = min(end, today)
	n, err := s.st.Node(ctx, unitID)
	if err != nil {
		return q, err
	}
	q.UnitName = n.Name
	chs, err := s.st.Channels(ctx, sc, store.ChannelFilter{UnitID: unitID})
	if err != nil {
		return q, err
	}
	if q.Today < today {
		last, err := s.st.LastPubOnOrBefore(ctx, unitID, q.Today)
		if err != nil {
			return q, err
		}
		for i := range chs {
			chs[i].LastUpdate = last[chs[i].ID]
		}
	}
	for _, c := range chs {
		if c.CreatedAt < endT.AddDate(0, 0, 1).Unix() {
			q.Channels = append(q.Channels, c)
		}
	}
	rules, err := s.st.ChannelRules(ctx, unitID)
	if err != nil {
		return q, err
	}
	for _, c := range q.Channels {
		q.Fresh[c.ID] = channel.Judge(c, rules, q.Today)
	}
	dayEnd, _ := cntime.ParseDate(q.Today)
	until := dayEnd.AddDate(0, 0, 1).Unix()
	avail, err := s.st.ProbeDays(ctx, []int64{unitID}, cntime.Date(dayEnd.AddDate(0, 0, -channel.AvailWindowDays)), q.Today)
	if err != nil {
		return q, err
	}
	if q.Findings, err = s.st.Findings(ctx, sc, store.FindingFilter{UnitIDs: []int64{unitID}, From: startT.Unix(), To: until}); err != nil {
		return q, err
	}
	var open []channel.Finding
	for _, f := range q.Findings {
		if f.Status == "open" {
			open = append(open, f)
		}
	}
	q.Vetoes = channel.Evaluate(channel.Input{Today: q.Today, Channels: q.Channels, Rules: rules, Avail: avail, Findings: open})
	ins, err := s.st.Inspections(ctx, sc, []int64{unitID})
	if err != nil {
		return q, err
	}
	for _, in := range ins {
		if in.Period == period {
			q.Inspections = append(q.Inspections, in)
		}
	}
	first := time.Date(endT.Year(), endT.Month(), 1, 0, 0, 0, 0, cntime.Zone).AddDate(0, -11, 0)
	pubs, err := s.st.PubMonths(ctx, []int64{unitID}, cntime.Date(first))
	if err != nil {
		return q, err
	}
	for i := 0; i < 12; i++ {
		m := first.AddDate(0, i, 0)
		n := 0
		for _, c := range pubs[m.Format("2006-01")] {
			n += c
		}
		q.Months = append(q.Months, fmt.Sprintf("%d年%d月", m.Year(), m.Month()))
		q.MonthItems = append(q.MonthItems, n)
	}
	evs, err := s.st.ChannelEvents(ctx, sc, unitID, 0)
	if err != nil {
		return q, err
	}
	from := cntime.Date(startT)
	for _, e := range channel.UnfiledEvents(evs) {
		if e.Day >= from && e.Day <= end {
			q.Unfiled = append(q.Unfiled, e)
		}
	}
	return q, nil
}

// ChannelHalfYear is the 阵地 part of a half-year report (2023H1): the
// quarters' summaries, "" when the unit has no channels.
func (s *Service) ChannelHalfYear(ctx context.Context, sc access.Scope, unitID int64, year, half int) (string, error) {
	var qs []channel.QuarterData
	today := cntime.Date(s.now())
	for i := 1; i <= 2; i++ {
		qn := (half-1)*2 + i
		start := time.Date(year, time.Month(qn*3-2), 1, 0, 0, 0, 0, cntime.Zone)
		if cntime.Date(start) > today {
			break // the quarter has not started
		}
		period, _ := channel.Quarter(start)
		q, err := s.ChannelQuarter(ctx, sc, unitID, period)
		if err != nil {
			return "", err
		}
		qs = append(qs, q)
	}
	return channel.HalfYearPart(qs), nil
}
