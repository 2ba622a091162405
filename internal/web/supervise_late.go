package web

import (
	"fmt"
	"net/http"
	"strconv"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// reportDeadlines are the half-year report days (30 June, 31 December)
// falling in [from, to].
func reportDeadlines(from, to string) []string {
	var out []string
	if len(from) < 4 || len(to) < 4 {
		return nil
	}
	y1, _ := strconv.Atoi(from[:4])
	y2, _ := strconv.Atoi(to[:4])
	for y := y1; y <= y2; y++ {
		for _, md := range []string{"-06-30", "-12-31"} {
			d := fmt.Sprintf("%d%s", y, md)
			if d >= from && d <= to {
				out = append(out, d)
			}
		}
	}
	return out
}

// supLate is the late-records page (补记情况): who records long after the
// event, and how many of those in the week before a report deadline.
func (s *Server) supLate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	p, err := ledger.ParsePeriod(r.URL.Query().Get("period"))
	if err != nil {
		// No (or no valid) period: the half-year the unit's records
		// reach, as the home page and the report menu open on.
		if p, err = s.latestHalfYear(ctx, c, unitID); err != nil {
			s.httpError(w, r, c, err)
			return
		}
	}
	days := s.lateDays()
	deadlines := reportDeadlines(p.From, p.To)
	stats, err := s.st.LateStats(ctx, c.scope, unitID, p.From, p.To, days, deadlines)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	list, err := s.st.LateEntries(ctx, c.scope, unitID, p.From, p.To, days, 200)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	type lateItem struct {
		A      ledger.Activity
		Days   int
		Rushed bool
	}
	var items []lateItem
	for _, a := range list {
		it := lateItem{A: a}
		it.Days = it.A.LateDays(cntime.Zone)
		for _, d := range deadlines {
			end := dayEndUnix(d)
			it.Rushed = it.Rushed || (a.CreatedAt >= end-7*86400 && a.CreatedAt < end)
		}
		items = append(items, it)
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// 登记方式: how the unit's entries of the period were recorded and, for
	// a reader of several units (the district), each unit's share of
	// entries recorded at the source and of 补记 — completion and
	// timeliness of units in their own order, never a ranking of people.
	recs, err := s.st.RecordingCounts(ctx, c.scope, unitID, p.From, p.To, days)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	type recLine struct {
		Label ledger.Recording
		N     int
	}
	var recLines []recLine
	recTotal := 0
	for _, k := range []ledger.Recording{ledger.RecordedAtSource, ledger.RecordedSameDay, ledger.RecordedInTime, ledger.RecordedLate,
		ledger.RecordedImportedLate, ledger.RecordedImported} {
		recLines = append(recLines, recLine{k, recs[k]})
		recTotal += recs[k]
	}
	type unitLine struct {
		Name                string
		ID                  int64
		Total, Source, Late int
		Entered             int // in the system: all but imported history
	}
	var byUnit []unitLine
	if len(units) > 1 {
		for _, u := range units {
			rc, err := s.st.RecordingCounts(ctx, c.scope, u.ID, p.From, p.To, days)
			if err != nil {
				s.httpError(w, r, c, err)
				return
			}
			l := unitLine{Name: u.Name, ID: u.ID, Source: rc[ledger.RecordedAtSource], Late: rc[ledger.RecordedLate]}
			for _, n := range rc {
				l.Total += n
			}
			l.Entered = l.Total - rc[ledger.RecordedImported]
			byUnit = append(byUnit, l)
		}
	}
	rows, total := stats[:len(stats)-1], stats[len(stats)-1]
	total.Name = "合计"
	for i := range rows {
		if rows[i].UserID == 0 {
			rows[i].Name = "示例数据"
		}
	}
	s.render(w, r, c, "supervise_late", map[string]any{"Title": "补记情况", "Nav": "supervise", "UnitID": unitID, "Units": units, "P": p, "Periods": recentPeriods(s.now().In(cntime.Zone).Year()),
		"Stats": rows, "Total": total, "Items": items, "Days": days, "Deadlines": deadlines,
		"Recs": recLines, "RecTotal": recTotal, "ByUnit": byUnit,
		"Link":        ledger.Filter{UnitID: unitID, From: p.From, To: p.To, Late: days}.URL(),
		"HistoryLink": ledger.Filter{UnitID: unitID, From: p.From, To: p.To, History: true}.URL()})
}

// dayEndUnix is the end of a day (24:00 China time) in unix seconds.
func dayEndUnix(d string) int64 {
	t, err := cntime.ParseDate(d)
	if err != nil {
		return 0
	}
	return t.AddDate(0, 0, 1).Unix()
}
