package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/incident"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// The 舆情 dashboard and the event pages: aggregates of a unit's items
// and events over a period, every chart with its table beside it and its
// values linked to the events behind them.

// opPeriods are the periods the dashboard and the event list offer, in days.
var opPeriods = []int{1, 7, 30, 90, 180, 365}

// opPeriod reads ?days= (default 30) and returns [from, to) ending now.
func (s *Server) opPeriod(r *http.Request) (days int, from, to int64) {
	days, _ = strconv.Atoi(r.URL.Query().Get("days"))
	if !slices.Contains(opPeriods, days) {
		days = 30
	}
	now := s.now()
	return days, now.Add(-time.Duration(days) * 24 * time.Hour).Unix(), now.Unix() + 1
}

// dayStart is the start (unix seconds) of a China-time day number.
func dayStart(day int64) int64 { return day*86400 - 8*3600 }

// opDashboard is the 舆情 dashboard of a unit.
func (s *Server) opDashboard(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		redirect(w, r, "/opinion/incidents")
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	days, from, to := s.opPeriod(r)
	ov, err := s.st.OpinionOverview(ctx, c.scope, unitID, from, to)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	top, _, err := s.st.OpinionEvents(ctx, c.scope, store.EventFilter{UnitID: unitID, From: from, Sort: "heat", Limit: 10})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	open, err := s.st.Incidents(ctx, c.scope, store.IncidentFilter{UnitID: unitID, Status: incident.StatusOpen, Limit: 20})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	q := fmt.Sprintf("unit=%d&days=%d", unitID, days)

	trend := Chart{ID: chartID("op", "trend"), Kind: ChartLine, Title: fmt.Sprintf("近%d天信息量走势", days), Unit: "条"}
	var all, neg []int
	var links []string
	// Every day of the period, also the quiet ones, so the line is true.
	byDay := map[int64]store.DayCount{}
	for _, d := range ov.Days {
		byDay[d.Day] = d
	}
	first, last := (from+8*3600)/86400, (to-1+8*3600)/86400
	var dayRows []store.DayCount
	for d := first; d <= last; d++ {
		dc := byDay[d]
		dc.Day = d
		dayRows = append(dayRows, dc)
		trend.Categories = append(trend.Categories, time.Unix(dayStart(d), 0).In(cntime.Zone).Format("1月2日"))
		all, neg = append(all, dc.N), append(neg, dc.Negative)
		links = append(links, fmt.Sprintf("/opinion/events?unit=%d&day=%s", unitID, time.Unix(dayStart(d), 0).In(cntime.Zone).Format(cntime.DateLayout)))
	}
	trend.AddSeries("信息量", "", all, links)
	trend.AddSeries("负面", colorRed, neg, links)

	sources := Chart{ID: chartID("op", "sources"), Kind: ChartHBar, Title: "来源分布", Unit: "条"}
	var sv []int
	for _, sc := range ov.Sources {
		sources.Categories = append(sources.Categories, sc.Name)
		sv = append(sv, sc.N)
	}
	sources.AddSeries("信息量", "", sv, nil)

	schemes := Chart{ID: chartID("op", "schemes"), Kind: ChartHBar, Title: "监测方案命中", Unit: "条"}
	var cv []int
	var cl []string
	for _, sc := range ov.Schemes {
		schemes.Categories = append(schemes.Categories, sc.Name)
		cv = append(cv, sc.N)
		cl = append(cl, fmt.Sprintf("/opinion/events?%s&scheme=%d", q, sc.ID))
	}
	schemes.AddSeries("命中", "", cv, cl)

	negc := Chart{ID: chartID("op", "negativity"), Kind: ChartBar, Title: "情感倾向", Unit: "条", Categories: []string{"负面", "中性", "正面"}}
	negc.AddSeries("信息量", "", []int{ov.Negative, ov.Neutral(), ov.Positive}, nil)

	topc := Chart{ID: chartID("op", "top"), Kind: ChartHBar, Title: "热点事件（热度）"}
	var tl []string
	var tv []float64
	for _, e := range top {
		topc.Categories = append(topc.Categories, clipRunes(e.Title, 18))
		tv = append(tv, math.Round(e.Heat*10)/10)
		tl = append(tl, fmt.Sprintf("/opinion/events/%d", e.ID))
	}
	topc.Series = []Series{{Name: "热度", Values: tv, Links: tl}}

	s.render(w, r, c, "opinion_dashboard", map[string]any{"Title": "舆情概况", "Nav": "opinion", "UnitID": unitID, "Units": units, "Days": days,
		"Periods": opPeriods, "O": ov, "DayRows": dayRows, "Top": top, "Open": open, "Now": s.now().Unix(), "Q": q,
		"Charts": map[string]Chart{"trend": trend, "sources": sources, "schemes": schemes, "negativity": negc, "top": topc}})
}

// clipRunes shortens s to n characters with "…".
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// opEvents lists a unit's events with filters: period (or one day),
// scheme and order.
func (s *Server) opEvents(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	q := r.URL.Query()
	days, from, to := s.opPeriod(r)
	f := store.EventFilter{UnitID: unitID, From: from, To: to, SchemeID: formID(q.Get("scheme")), Sort: q.Get("sort"), Limit: 50}
	day := q.Get("day")
	if d, err := cntime.ParseDate(day); err == nil {
		f.From, f.To = d.Unix(), d.AddDate(0, 0, 1).Unix()
	} else {
		day = ""
	}
	page := max(formInt(q.Get("page")), 1)
	f.Offset = (page - 1) * f.Limit
	events, total, err := s.st.OpinionEvents(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	schemes, err := s.st.OpinionSchemes(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "opinion_event_list", map[string]any{"Title": "舆情事件", "Nav": "opinion", "Events": events, "Total": total, "UnitID": unitID,
		"Units": units, "Days": days, "Day": day, "Periods": opPeriods, "Schemes": schemes, "SchemeID": f.SchemeID, "Sort": f.Sort,
		"Page": page, "More": f.Offset+len(events) < total})
}

// opEventShow is an event's page.
func (s *Server) opEventShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.opEventPage(w, r, c, http.StatusOK, "")
}

func (s *Server) opEventPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	ctx := r.Context()
	id := formID(r.PathValue("id"))
	ev, err := s.st.OpinionEvent(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	hours, err := s.st.EventHours(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	srcs, err := s.st.EventSources(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	items, total, err := s.st.OpinionItems(ctx, c.scope, store.ItemFilter{UnitID: ev.UnitID, EventID: id, Grouped: true, Limit: 30})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	negItems, err := s.st.EventNegativeItems(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	incs, err := s.st.Incidents(ctx, c.scope, store.IncidentFilter{UnitID: ev.UnitID, EventID: id})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	canWrite := incident.CanManage(c.scope, ev.UnitID) && ev.MergedInto == 0
	var others []store.OpinionEvent
	if canWrite {
		list, _, err := s.st.OpinionEvents(ctx, c.scope, store.EventFilter{UnitID: ev.UnitID, SchemeID: ev.SchemeID, Sort: "last", Limit: 50})
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		for _, o := range list {
			if o.ID != ev.ID {
				others = append(others, o)
			}
		}
	}
	s.renderStatus(w, r, c, status, "opinion_event_show", map[string]any{"Title": "舆情事件：" + ev.Title, "Nav": "opinion", "E": ev,
		"Charts": map[string]Chart{"timeline": eventTimeline(ev, hours), "sources": eventSourcesChart(srcs)}, "Sources": srcs, "Items": items,
		"ItemsTotal": total, "NegItems": negItems, "Formula": opinion.HeatFormula, "Incidents": incs, "CanWrite": canWrite, "Others": others,
		"Error": errMsg, "Now": s.now().Unix()})
}

// eventTimeline is the event's volume per hour, or per day when it spans
// more than three days.
func eventTimeline(ev store.OpinionEvent, hours []store.HourCount) Chart {
	ch := Chart{ID: chartID("event", "timeline"), Kind: ChartLine, Title: "事件走势", Unit: "条"}
	if len(hours) == 0 {
		return ch
	}
	firstH, lastH := hours[0].Hour, hours[len(hours)-1].Hour
	byDay := lastH-firstH > 72
	counts := map[int64]int{}
	for _, h := range hours {
		k := h.Hour
		if byDay {
			k = (h.Hour*3600 + 8*3600) / 86400
		}
		counts[k] += h.N
	}
	var vals []int
	if byDay {
		for d := (firstH*3600 + 8*3600) / 86400; d <= (lastH*3600+8*3600)/86400; d++ {
			ch.Categories = append(ch.Categories, time.Unix(dayStart(d), 0).In(cntime.Zone).Format("1月2日"))
			vals = append(vals, counts[d])
		}
	} else {
		for h := firstH; h <= lastH; h++ {
			ch.Categories = append(ch.Categories, time.Unix(h*3600, 0).In(cntime.Zone).Format("1月2日 15时"))
			vals = append(vals, counts[h])
		}
	}
	ch.AddSeries("信息量", "", vals, nil)
	return ch
}

func eventSourcesChart(srcs []store.EventSourceCount) Chart {
	ch := Chart{ID: chartID("event", "sources"), Kind: ChartHBar, Title: "来源分布", Unit: "条"}
	var vals []int
	for _, sc := range srcs {
		ch.Categories = append(ch.Categories, sc.Name)
		vals = append(vals, sc.N)
	}
	ch.AddSeries("信息量", "", vals, nil)
	return ch
}

// opEventMerge merges another event of the unit into this one.
func (s *Server) opEventMerge(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	err := s.svc.MergeOpinionEvents(r.Context(), c.actor(), c.scope, id, form.ID(r.PostForm, "from"))
	s.opEventAfter(w, r, c, id, err)
}

// opEventSplit moves the chosen items of this event into a new one.
func (s *Server) opEventSplit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	newID, err := s.svc.SplitOpinionEvent(r.Context(), c.actor(), c.scope, id, form.IDs(r.PostForm, "item"), r.PostForm.Get("title"))
	if err == nil {
		id = newID
	}
	s.opEventAfter(w, r, c, id, err)
}

func (s *Server) opEventAfter(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, err error) {
	if err == nil {
		redirect(w, r, fmt.Sprintf("/opinion/events/%d?ok=saved", id))
		return
	}
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	s.opEventPage(w, r, c, http.StatusUnprocessableEntity, msg)
}
