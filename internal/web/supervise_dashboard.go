package web

import (
	"fmt"
	"net/http"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
)

// today is the server clock's day in China ("2006-01-02").
func (s *Server) today() string { return cntime.Date(s.now()) }

// supYear is the year asked for, else the year of the default half-year
// (latestHalfYear): the year the home page shows, so 督导, 我的任务 and
// the home page count the same obligations.
func (s *Server) supYear(r *http.Request, c *reqCtx) int {
	if r.URL.Query().Get("year") != "" {
		return s.yearParam(r)
	}
	p, err := s.latestHalfYear(r.Context(), c, unitChoice(c, r))
	if err != nil {
		return s.now().In(cntime.Zone).Year()
	}
	y, _ := strconv.Atoi(p.Key[:4])
	return y
}

// supDashboard is the unit dashboard: every obligation with its traffic
// light, drilling down to the records counted or to what is missing.
func (s *Server) supDashboard(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		redirect(w, r, "/supervise/my")
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	year := s.supYear(r, c)
	all, err := s.svc.Compliance(ctx, c.scope, []int64{unitID}, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	uc := all[unitID]
	if uc == nil {
		s.httpError(w, r, c, apperr.ErrNotFound)
		return
	}
	stored, err := s.st.RuleVersions(ctx, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	overdue, err := s.overdueIncidents(r, c, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "supervise_dashboard", map[string]any{
		"IncidentsOverdue": overdue, "NowUnix": s.now().Unix(),
		"Title": fmt.Sprintf("%d年 督导：%s", year, uc.Unit.Name), "Nav": "supervise", "Year": year, "UnitID": unitID, "Units": units,
		"Charts": map[string]Chart{"compliance": complianceChart(uc, year), "months": complianceByMonthChart(uc, year)},
		"C":      uc, "Presets": len(stored[unitID]) == 0, "CanWrite": supervise.CanManage(c.scope, unitID), "Today": s.today(),
	})
}
