package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/web/form"
)

func (s *Server) yearParam(r *http.Request) int {
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || y < 2000 || y > 2100 {
		return s.now().In(cntime.Zone).Year()
	}
	return y
}

// planPage shows the annual study plan against what was done, and the
// year's coverage of the required topics (必修课).
func (s *Server) planPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	unitID := unitChoice(c, r)
	// Plan-vs-actual and coverage count the unit's whole ledger; a member's
	// scope would count only what they attended.
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	year := s.supYear(r, c) // the latest year with records when this year and last have none (the 2023 demo)
	items, err := s.st.PlanItems(ctx, c.scope, unitID, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	today := s.now().In(cntime.Zone).Format(cntime.DateLayout)
	done := 0
	for i := range items {
		if len(items[i].Done) > 0 {
			done++
		}
	}
	yp, _ := ledger.ParsePeriod(strconv.Itoa(year))
	var cov []ledger.Coverage
	missing := 0
	for _, t := range ledger.RequiredTopics {
		f := ledger.Filter{UnitID: unitID, From: yp.From, To: yp.To, Topic: t.Code}
		n, err := s.st.CountActivities(ctx, c.scope, f)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		planned := 0
		for _, it := range items {
			for _, code := range it.RequiredTopics {
				if code == t.Code {
					planned++
				}
			}
		}
		if n == 0 {
			missing++
		}
		cov = append(cov, ledger.Coverage{Topic: t, Planned: planned, Count: n, Link: f.URL()})
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "plan", map[string]any{
		"Title": fmt.Sprintf("%d年度学习计划", year), "Nav": "plan", "Year": year, "Items": items, "Done": done,
		"Coverage": cov, "Missing": missing, "Today": today, "UnitID": unitID, "Units": units,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID),
	})
}

func (s *Server) planForm(w http.ResponseWriter, r *http.Request, c *reqCtx, p ledger.PlanItem, status int, errMsg string) {
	_, staff, err := s.unitPeople(r.Context(), p.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	action := "/plan"
	title := "新增计划项"
	if p.ID != 0 {
		action = fmt.Sprintf("/plan/%d", p.ID)
		title = "修改计划项"
	}
	s.renderStatus(w, r, c, status, "plan_form", map[string]any{"Title": title, "Nav": "plan", "P": p, "Staff": staff,
		"Topics": ledger.RequiredTopics, "Types": ledger.Types, "Action": action, "Error": errMsg})
}

func (s *Server) planNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	s.planForm(w, r, c, ledger.PlanItem{UnitID: unitID, Year: s.yearParam(r), Month: 1, Form: ledger.CentralGroup}, http.StatusOK, "")
}

func (s *Server) planSave(w http.ResponseWriter, r *http.Request, c *reqCtx, p ledger.PlanItem) {
	if err := s.svc.SavePlanItem(r.Context(), c.actor(), c.scope, &p); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.planForm(w, r, c, p, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/plan?year=%d&unit=%d&ok=saved", p.Year, p.UnitID))
}

func (s *Server) planCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	p := form.PlanItem(r.PostForm)
	p.UnitID = form.PlanUnit(r.PostForm)
	s.planSave(w, r, c, p)
}

func (s *Server) planEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.st.PlanItem(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !slices.Contains(c.scope.WriteUnits, p.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	s.planForm(w, r, c, p, http.StatusOK, "")
}

func (s *Server) planUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	old, err := s.st.PlanItem(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	p := form.PlanItem(r.PostForm)
	p.ID, p.UnitID = old.ID, old.UnitID
	s.planSave(w, r, c, p)
}

func (s *Server) planDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.st.PlanItem(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.DeletePlanItem(r.Context(), c.actor(), c.scope, p.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/plan?year=%d&unit=%d&ok=deleted", p.Year, p.UnitID))
}

// leadsPage shows each leader's "five leads" for a year, every count linked
// to the ledger entries it counts.
func (s *Server) leadsPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	unitID := unitChoice(c, r)
	// The counts are the leaders' whole record, so only readers of the whole
	// unit see them (a member's scope would show only what they attended).
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	year := s.supYear(r, c)
	p, _ := ledger.ParsePeriod(strconv.Itoa(year))
	staff, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var rows []ledger.FiveLeads
	for _, u := range staff {
		if !u.IsLeader() {
			continue
		}
		row := ledger.FiveLeads{UserID: u.ID, Name: u.Name, Title: u.Title}
		for i, f := range ledger.FiveLeadFilters(unitID, u.ID, p) {
			n, err := s.st.CountActivities(ctx, c.scope, f)
			if err != nil {
				s.httpError(w, r, c, err)
				return
			}
			row.Counts[i], row.Links[i] = n, f.URL()
		}
		rows = append(rows, row)
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "leads", map[string]any{"Title": fmt.Sprintf("%d年 班子成员“五个带头”", year), "Nav": "leads",
		"Charts": map[string]Chart{"leads": fiveLeadsChart(year, rows)},
		"Rows":   rows, "Labels": ledger.FiveLeadLabels, "Year": year, "UnitID": unitID, "Units": units})
}
