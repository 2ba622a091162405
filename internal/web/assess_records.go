package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/assess"
	"zhendi/internal/org"
	"zhendi/internal/web/form"
)

// assessInclusions is the 五个纳入 checklist of a unit for a year.
func (s *Server) assessInclusions(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.inclusionsPage(w, r, c, http.StatusOK, "")
}

func (s *Server) inclusionsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	year := s.assessYear(ctx, r, c, unitID)
	all, err := s.st.Inclusions(ctx, c.scope, []int64{unitID}, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	by := map[string]assess.Inclusion{}
	for _, in := range all[unitID] {
		by[in.Key] = in
	}
	type row struct {
		Key assess.InclusionKey
		In  assess.Inclusion
	}
	var rows []row
	for _, k := range assess.Inclusions {
		rows = append(rows, row{k, by[k.Key]})
	}
	s.renderStatus(w, r, c, status, "assess_inclusions", map[string]any{"Title": "五个纳入", "Nav": "assess", "UnitID": unitID, "Units": units, "Year": year,
		"Rows": rows, "CanEdit": assess.CanSelfAssess(c.assessActor(), unitID), "Error": errMsg})
}

// assessInclusionSave confirms or withdraws one item.
func (s *Server) assessInclusionSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	in := form.Inclusion(r.PostForm)
	if err := s.svc.SaveInclusion(r.Context(), c.actor(), c.assessActor(), in); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		r.URL.RawQuery = fmt.Sprintf("unit=%d&year=%d", in.UnitID, in.Year)
		s.inclusionsPage(w, r, c, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/inclusions?unit=%d&year=%d&ok=saved", in.UnitID, in.Year))
}

// leadersOf lists the enabled leaders of a unit (述职 and cases name them).
func leadersOf(staff []org.User) []org.User {
	var out []org.User
	for _, u := range staff {
		if u.IsLeader() && !u.Disabled {
			out = append(out, u)
		}
	}
	return out
}

// assessDebriefs lists the leaders' 述职 and 民主测评 of a year, with the
// form for a new one.
func (s *Server) assessDebriefs(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.debriefsPage(w, r, c, http.StatusOK, "", assess.Debrief{})
}

func (s *Server) debriefsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, draft assess.Debrief) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	if draft.UnitID != 0 {
		unitID = draft.UnitID
	}
	year := s.assessYear(ctx, r, c, unitID)
	list, err := s.st.Debriefs(ctx, c.scope, []int64{unitID}, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if draft.Year == 0 {
		draft = assess.Debrief{Year: year, Date: fmt.Sprintf("%d-01-15", year+1), Meeting: fmt.Sprintf("%d年度领导班子民主生活会", year)}
	}
	s.renderStatus(w, r, c, status, "assess_debriefs", map[string]any{"Title": "述职和民主测评", "Nav": "assess", "UnitID": unitID, "Units": units, "Year": year,
		"List": list, "Leaders": leadersOf(staff), "CanEdit": assess.CanSelfAssess(c.assessActor(), unitID), "Draft": draft, "Error": errMsg})
}

// assessDebriefShow is one 述职 with the leader's responsibility list.
func (s *Server) assessDebriefShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	d, err := s.st.Debrief(ctx, c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	duties, err := s.st.Duties(ctx, c.scope, d.UnitID, d.UserID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "assess_debrief", map[string]any{"Title": d.UserName + "述职", "Nav": "assess", "D": d, "Duties": duties,
		"CanEdit": assess.CanSelfAssess(c.assessActor(), d.UnitID)})
}

// assessDebriefSave records or changes a 述职.
func (s *Server) assessDebriefSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	d := form.Debrief(r.PostForm)
	if err := s.svc.SaveDebrief(r.Context(), c.actor(), c.assessActor(), &d); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		r.URL.RawQuery = fmt.Sprintf("unit=%d&year=%d", d.UnitID, d.Year)
		s.debriefsPage(w, r, c, http.StatusUnprocessableEntity, msg, d)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/debriefs/%d?ok=saved", d.ID))
}

// assessCases lists the accountability cases the caller may see (each
// listing audited); roles without access get 403.
func (s *Server) assessCases(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.casesPage(w, r, c, http.StatusOK, "", assess.Case{})
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, draft assess.Case) {
	a := c.assessActor()
	unitID := unitChoice(c, r)
	if draft.UnitID != 0 {
		unitID = draft.UnitID
	}
	if !assess.CanSeeCases(a, unitID) {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	list, err := s.svc.Cases(ctx, c.actor(), a, []int64{unitID}, 0)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if draft.Year == 0 {
		draft.Year = s.assessYear(ctx, r, c, unitID)
	}
	sits, err := s.caseSituations(r, unitID, draft.Situation)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "assess_cases", map[string]any{"Title": "问责", "Nav": "assess", "UnitID": unitID, "Units": units, "List": list,
		"Staff": staff, "Draft": draft, "C": draft, "Situations": sits, "Resps": assess.RespTypes, "Methods": assess.CaseMethods, "Steps": assess.CaseSteps,
		"StepKeys": []string{"investigated", "determined", "notified", "defended", "decided"}, "Source": assess.SourceCaseList, "Error": errMsg})
}

// assessCaseShow opens one case (audited) with the form for its next steps.
func (s *Server) assessCaseShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.casePage(w, r, c, formID(r.PathValue("id")), http.StatusOK, "", nil)
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, status int, errMsg string, draft *assess.Case) {
	ctx := r.Context()
	cs, err := s.svc.Case(ctx, c.actor(), c.assessActor(), id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if draft != nil {
		draft.ID, draft.UnitID = cs.ID, cs.UnitID
		cs = *draft
	}
	_, staff, err := s.unitPeople(ctx, cs.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sits, err := s.caseSituations(r, cs.UnitID, cs.Situation)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "assess_case", map[string]any{"Title": cs.Title, "Nav": "assess", "C": cs, "Staff": staff,
		"Situations": sits, "Resps": assess.RespTypes, "Methods": assess.CaseMethods, "Steps": assess.CaseSteps,
		"StepKeys": []string{"investigated", "determined", "notified", "defended", "decided"}, "Error": errMsg})
}

// assessCaseSave records a case (id 0) or its next steps.
func (s *Server) assessCaseSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	cs := form.Case(r.PostForm)
	if err := s.svc.SaveCase(r.Context(), c.actor(), c.assessActor(), &cs); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		if cs.ID != 0 {
			s.casePage(w, r, c, cs.ID, http.StatusUnprocessableEntity, msg, &cs)
			return
		}
		r.URL.RawQuery = fmt.Sprintf("unit=%d", cs.UnitID)
		s.casesPage(w, r, c, http.StatusUnprocessableEntity, msg, cs)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/cases/%d?ok=saved", cs.ID))
}
