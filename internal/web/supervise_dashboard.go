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

// supYear is the year asked for, else the current year — unless the
// caller's unit has recorded nothing this year or last (a dormant install or
// the 2023 demo), when the year of its newest entry is more useful.
func (s *Server) supYear(r *http.Request, c *reqCtx) int {
	if r.URL.Query().Get("year") != "" {
		return s.yearParam(r)
	}
	year := s.now().In(cntime.Zone).Year()
	unitID := unitChoice(c, r)
	latest, err := s.st.LatestActivityDate(r.Context(), c.scope, unitID)
	if err != nil || len(latest) < 4 {
		return year
	}
	if y, err := strconv.Atoi(latest[:4]); err == nil && y < year-1 {
		return y
	}
	return year
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
