package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/assess"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/web/form"
)

// assessDuties is the unit's 责任清单 (printable: the page prints on A4 as
// it is), optionally one person's (?person=).
func (s *Server) assessDuties(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.dutiesPage(w, r, c, http.StatusOK, "", assess.Duty{})
}

func (s *Server) dutiesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, draft assess.Duty) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	if draft.UnitID != 0 {
		unitID = draft.UnitID
	}
	person := formID(r.URL.Query().Get("person"))
	duties, err := s.st.Duties(ctx, c.scope, unitID, person)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var depts []org.Node
	for _, n := range nodes {
		if n.Kind != org.Unit {
			depts = append(depts, n)
		}
	}
	if draft.Role == "" {
		draft = assess.Duty{Role: assess.DutyMember, Freq: "每年"}
	}
	s.renderStatus(w, r, c, status, "assess_duties", map[string]any{"Title": "责任清单", "Nav": "assess", "UnitID": unitID, "Units": units, "Duties": duties,
		"Person": person, "Staff": staff, "Depts": depts, "CanEdit": assess.CanSelfAssess(c.assessActor(), unitID), "Roles": assess.DutyRoles,
		"Freqs": assess.Freqs, "Types": ledger.Types, "Draft": draft, "Error": errMsg})
}

// assessDutiesXLSX exports the list.
func (s *Server) assessDutiesXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	duties, err := s.st.Duties(r.Context(), c.scope, unitID, formID(r.URL.Query().Get("person")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	header := []string{"序号", "责任类别", "责任人", "分管科室", "责任内容", "频次", "完成时限", "佐证（台账类型）", "依据"}
	widths := []float64{6, 14, 10, 16, 50, 8, 18, 20, 40}
	rows := make([][]string, len(duties))
	for i, d := range duties {
		who := d.UserName
		if d.Role == assess.DutyPartyGroup {
			who = "党组（领导班子）"
		}
		rows[i] = []string{fmt.Sprint(i + 1), assess.DutyRoleLabel(d.Role), who, d.OrgName, d.What, d.Freq, d.Due, d.EvidenceLabel(), d.Source}
	}
	data, err := xlsxTable("意识形态工作责任清单", header, widths, rows)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, unitID, "assess.duty.export", "duty", 0, map[string]any{"rows": len(rows)}) {
		return
	}
	sendXLSX(w, "责任清单-"+s.now().In(cntime.Zone).Format("20060102")+".xlsx", data)
}

// assessDutySave adds or changes an item.
func (s *Server) assessDutySave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	d := form.Duty(r.PostForm)
	if err := s.svc.SaveDuty(r.Context(), c.actor(), c.assessActor(), d); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.dutiesPage(w, r, c, http.StatusUnprocessableEntity, msg, d)
		return
	}
	unit := d.UnitID
	if d.ID != 0 {
		if cur, err := s.st.Duty(r.Context(), c.scope, d.ID); err == nil {
			unit = cur.UnitID
		}
	}
	redirect(w, r, fmt.Sprintf("/assess/duties?unit=%d&ok=saved", unit))
}

// assessDutiesGenerate adds the items the unit's roles and 分管 call for.
func (s *Server) assessDutiesGenerate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if _, err := s.svc.GenerateDuties(r.Context(), c.actor(), c.assessActor(), unitID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/duties?unit=%d&ok=saved", unitID))
}

// assessDutyDelete removes an item.
func (s *Server) assessDutyDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	d, err := s.st.Duty(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.DeleteDuty(r.Context(), c.actor(), c.assessActor(), id); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/duties?unit=%d&ok=saved", d.UnitID))
}

// assessFenguan is the org page for 分管: which departments each leader of
// the unit is in charge of.
func (s *Server) assessFenguan(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.fenguanPage(w, r, c, http.StatusOK, "")
}

func (s *Server) fenguanPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	if len(c.scope.ReadUnits) == 0 && len(c.scope.AdminUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := formID(r.URL.Query().Get("unit"))
	if unitID == 0 || !(slicesHas(c.scope.ReadUnits, unitID) || c.scope.CanAdmin(unitID)) {
		unitID = c.user.UnitID
		if len(c.scope.ReadUnits) > 0 {
			unitID = unitChoice(c, r)
		} else if len(c.scope.AdminUnits) > 0 && !c.scope.CanAdmin(unitID) {
			unitID = c.scope.AdminUnits[0]
		}
	}
	fg, err := s.st.Fenguan(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	staff, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var depts []org.Node
	for _, n := range nodes {
		if n.Kind != org.Unit {
			depts = append(depts, n)
		}
	}
	var leaders []org.User
	for _, u := range staff {
		if u.IsLeader() && !u.Disabled {
			leaders = append(leaders, u)
		}
	}
	has := map[int64][]int64{}
	names := map[int64]string{}
	for _, n := range nodes {
		names[n.ID] = n.Name
	}
	for _, f := range fg {
		has[f.UserID] = append(has[f.UserID], f.OrgID)
	}
	s.renderStatus(w, r, c, status, "assess_fenguan", map[string]any{"Title": "分管科室", "Nav": "assess", "UnitID": unitID, "Leaders": leaders, "Depts": depts,
		"Has": has, "Names": names, "CanEdit": service.CanEditFenguan(c.assessActor(), unitID), "Error": errMsg})
}

func slicesHas(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// assessFenguanSave replaces one leader's 分管.
func (s *Server) assessFenguanSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if err := s.svc.SetFenguan(r.Context(), c.actor(), c.assessActor(), unitID, form.ID(r.PostForm, "person"), form.IDs(r.PostForm, "org")); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		r.URL.RawQuery = fmt.Sprintf("unit=%d", unitID)
		s.fenguanPage(w, r, c, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/fenguan?unit=%d&ok=saved", unitID))
}
