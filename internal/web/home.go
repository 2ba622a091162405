package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// figure is one number on the home page with the ledger view behind it.
type figure struct {
	Label  string
	Unit   string
	Filter ledger.Filter
	N      int
	Note   string
}

func (f figure) Link() string { return f.Filter.URL() }

// seedFigures are the counts the half-year summary (the seed document) asks
// for, each defined as a ledger filter so the number and its list agree.
func seedFigures(unitID int64, p ledger.Period) []figure {
	base := ledger.Filter{UnitID: unitID, From: p.From, To: p.To}
	with := func(mod func(*ledger.Filter)) ledger.Filter {
		f := base
		mod(&f)
		return f
	}
	return []figure{
		{Label: "党组集中学习", Unit: "次", Filter: with(func(f *ledger.Filter) { f.Types = []string{ledger.CentralGroup} })},
		{Label: "召开党政工作会", Unit: "次", Filter: with(func(f *ledger.Filter) { f.Types = []string{ledger.PartyGovMeeting} })},
		{Label: "党组成员上党课", Unit: "次", Note: "授课人为班子成员", Filter: with(func(f *ledger.Filter) {
			f.Types = []string{ledger.PartyLecture}
			f.LeadIsLeader = true
		})},
		{Label: "宣讲", Unit: "次", Filter: with(func(f *ledger.Filter) { f.Types = []string{ledger.Preach} })},
		{Label: "为服务对象宣讲", Unit: "次", Filter: with(func(f *ledger.Filter) {
			f.Types = []string{ledger.Preach}
			f.AudienceType = "服务对象"
		})},
		{Label: "专题研究意识形态工作", Unit: "次", Filter: with(func(f *ledger.Filter) { f.Types = []string{ledger.TopicStudy} })},
		{Label: "上报分析研判报告", Unit: "篇", Note: "已上传报告文档的", Filter: with(func(f *ledger.Filter) {
			f.Types = []string{ledger.AnalysisReport}
			f.Counted = true // 缺报告文档 entries do not count
		})},
	}
}

// unitChoice picks the unit a page is about: the ?unit= value when the
// caller may read it, else the caller's own unit, else their first unit.
func unitChoice(c *reqCtx, r *http.Request) int64 {
	want := formID(r.URL.Query().Get("unit"))
	readable := c.scope.ReadUnits
	if want != 0 && slices.Contains(readable, want) {
		return want
	}
	if slices.Contains(readable, c.user.UnitID) || len(readable) == 0 {
		return c.user.UnitID
	}
	return readable[0]
}

func (s *Server) unitNodes(ctx context.Context, ids []int64) ([]org.Node, error) {
	nodes, err := s.st.Nodes(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	var units []org.Node
	for _, n := range nodes {
		if n.Kind == org.Unit {
			units = append(units, n)
		}
	}
	return units, nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if !c.scope.HasContent() {
		s.render(w, r, c, "home_admin", map[string]any{"Title": "首页", "Nav": "home"})
		return
	}
	unitID := unitChoice(c, r)
	var period ledger.Period
	var fallback string
	fallbackN := 0 // records of the current half-year when the page shows another
	if key := r.URL.Query().Get("period"); key != "" {
		p, err := ledger.ParsePeriod(key)
		if err != nil {
			s.renderStatus(w, r, c, http.StatusBadRequest, "error", map[string]any{"Title": "期间无效", "Message": err.Error()})
			return
		}
		period = p
	} else {
		current := ledger.HalfYearOf(s.now().In(cntime.Zone))
		p, err := s.latestHalfYear(ctx, c, unitID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		period = p
		if p.Key != current.Key {
			fallback = current.Label
			n, err := s.st.CountActivities(ctx, c.scope, ledger.Filter{UnitID: unitID, From: current.From, To: current.To})
			if err != nil {
				s.httpError(w, r, c, err)
				return
			}
			fallbackN = n
		}
	}
	figs := seedFigures(unitID, period)
	for i := range figs {
		n, err := s.st.CountActivities(ctx, c.scope, figs[i].Filter)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		figs[i].N = n
	}
	all := ledger.Filter{UnitID: unitID, From: period.From, To: period.To}
	byType, err := s.st.CountByType(ctx, c.scope, all)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	total := 0
	var typeRows []figure
	for _, t := range ledger.Types {
		total += byType[t.Code]
		f := all
		f.Types = []string{t.Code}
		typeRows = append(typeRows, figure{Label: t.Label, Unit: t.Unit, N: byType[t.Code], Filter: f})
	}
	late := all
	late.Late = s.lateDays()
	lateN, err := s.st.CountActivities(ctx, c.scope, late)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// Required-topic coverage over the period's year to date.
	var coverage []figure
	for _, t := range ledger.RequiredTopics {
		f := all
		f.Topic = t.Code
		n, err := s.st.CountActivities(ctx, c.scope, f)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		coverage = append(coverage, figure{Label: t.Label, Unit: "次", N: n, Filter: f})
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	unitName := c.user.OrgName
	for _, u := range units {
		if u.ID == unitID {
			unitName = u.Name
		}
	}
	data := map[string]any{
		"Title": "首页", "Nav": "home", "Period": period, "Fallback": fallback, "FallbackN": fallbackN, "Figures": figs, "Types": typeRows,
		"Total": total, "Late": lateN, "LateLink": late.URL(), "LateDays": s.lateDays(), "Coverage": coverage,
		"Units": units, "UnitID": unitID, "UnitName": unitName, "Periods": recentPeriods(s.now().In(cntime.Zone).Year()),
		"OwnOnly":  len(c.scope.ReadUnits) == 0 && len(c.scope.ReadOrgs) == 0,
		"CanWrite": !c.scope.IsReadOnly() || c.scope.OwnRecords,
	}
	year, _ := strconv.Atoi(period.From[:4])
	months, err := s.yearMonths(ctx, c.scope, unitID, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data["Months"] = months
	data["Charts"] = map[string]Chart{
		"months":   monthsByTypeChart(unitID, year, months),
		"late":     lateShareChart(year, s.lateDays(), months),
		"coverage": coverageChart(period.Label, coverage),
	}
	if err := s.roleHome(r, c, data, unitID, year); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// District-level users (home node above any unit) always get the
	// comparison, even while their district has a single unit.
	if len(units) > 1 || (c.user.UnitID == 0 && len(units) > 0) {
		roll, err := s.rollup(ctx, c.scope, units, period)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		data["Rollup"] = roll
	}
	s.render(w, r, c, "home", data)
}

// rollupRow is one unit's seed figures for the supervisor's comparison.
type rollupRow struct {
	Unit    org.Node
	Figures []figure
}

func (s *Server) rollup(ctx context.Context, sc access.Scope, units []org.Node, p ledger.Period) ([]rollupRow, error) {
	tmpl := seedFigures(0, p)
	counts := make([]map[int64]int, len(tmpl))
	for i, f := range tmpl {
		m, err := s.st.CountByUnit(ctx, sc, f.Filter)
		if err != nil {
			return nil, err
		}
		counts[i] = m
	}
	var rows []rollupRow
	for _, u := range units {
		figs := seedFigures(u.ID, p)
		for i := range figs {
			figs[i].N = counts[i][u.ID]
		}
		rows = append(rows, rollupRow{Unit: u, Figures: figs})
	}
	return rows, nil
}

// recentPeriods offers the half-years and years of the last few years.
func recentPeriods(year int) []ledger.Period {
	var out []ledger.Period
	for y := year; y >= year-5; y-- {
		for _, k := range []string{"H2", "H1", ""} {
			p, _ := ledger.ParsePeriod(strconv.Itoa(y) + k)
			out = append(out, p)
		}
	}
	return out
}
