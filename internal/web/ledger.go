package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/upload"
)

const perPage = 50

func (s *Server) ledgerList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if !c.scope.HasContent() {
		s.forbidden(w, r, c)
		return
	}
	f := ledger.ParseFilter(r.URL.Query())
	f.PerPage = perPage
	unitID := f.UnitID
	if unitID == 0 {
		unitID = unitChoice(c, r)
		// A user of one unit always looks at that unit; only district users
		// may list every unit at once (unit=0 in their filter).
		if len(c.scope.ReadUnits) <= 1 {
			f.UnitID = unitID
		}
	}
	acts, total, err := s.st.ListActivities(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ids := make([]int64, len(acts))
	for i, a := range acts {
		ids[i] = a.ID
	}
	sources, err := s.st.ActivitySources(ctx, ids)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	for i := range acts {
		acts[i].Source = sources[acts[i].ID]
	}
	nodes, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	capped := f.Q != "" && total > store.SearchCountCap
	pages := (total + perPage - 1) / perPage
	if capped {
		pages = store.SearchCountCap / perPage
	}
	pageURL := func(p int) string {
		g := f
		g.Page = p
		return g.URL()
	}
	exp := f
	exp.Page = 0
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "ledger_list", map[string]any{
		"Title": "台账", "Nav": "ledger", "F": f, "Acts": acts, "Total": total, "Page": f.Page, "Pages": pages,
		"Prev": pageURL(f.Page - 1), "Next": pageURL(f.Page + 1), "Types": ledger.Types, "Topics": ledger.RequiredTopics,
		"Nodes": nodes, "Staff": staff, "ExportURL": "/ledger/export.xlsx?" + exp.Values().Encode(), "LateDays": s.lateDays(),
		"Units": units, "UnitID": unitID, "Audiences": ledger.AudienceTypes, "Filtered": len(r.URL.Query()) > 0,
		"CanWrite": !c.scope.IsReadOnly() || c.scope.OwnRecords, "CST": cntime.Zone,
		// Import writes the unit's records: not offered to someone who may
		// write only their own 心得体会 and 自学 (the page would refuse).
		"CanImport": !c.scope.IsReadOnly() && c.user.UnitID != 0,
		"Capped":    capped, "Cap": store.SearchCountCap,
	})
}

// unitPeople returns a unit's nodes and staff when the caller may see
// them — its own unit or one it reads — and store.ErrNotFound otherwise.
func (s *Server) unitPeople(ctx context.Context, unitID int64, c *reqCtx) ([]org.Node, []org.User, error) {
	if unitID == 0 {
		return nil, nil, nil
	}
	if unitID != c.user.UnitID && !slices.Contains(c.scope.ReadUnits, unitID) {
		return nil, nil, store.ErrNotFound
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return nil, nil, err
	}
	staff, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		return nil, nil, err
	}
	return nodes, staff, nil
}

// formContext is what the activity form needs besides the activity.
func (s *Server) formContext(ctx context.Context, c *reqCtx, unitID int64, t ledger.Type, year int) (map[string]any, error) {
	nodes, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		return nil, err
	}
	var writable []org.Node
	for _, n := range nodes {
		if c.scope.CanWrite(unitID, n.ID) {
			writable = append(writable, n)
		}
	}
	personalOnly := len(writable) == 0
	if personalOnly {
		for _, n := range nodes {
			if n.ID == c.user.OrgID {
				writable = append(writable, n)
			}
		}
	}
	plan, err := s.st.PlanItems(ctx, c.scope, unitID, year)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return map[string]any{"LateDays": s.lateDays(),
		"Type": t, "Nodes": writable, "Staff": staff, "Plan": plan, "Topics": ledger.RequiredTopics,
		"Audiences": ledger.AudienceTypes, "PersonalOnly": personalOnly, "Accept": upload.Accept, "Allowed": upload.Allowed,
	}, nil
}

func (s *Server) ledgerNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if c.scope.IsReadOnly() && !c.scope.OwnRecords {
		s.forbidden(w, r, c)
		return
	}
	t, ok := ledger.TypeByCode(r.URL.Query().Get("type"))
	if !ok {
		s.render(w, r, c, "ledger_types", map[string]any{"Title": "登记台账", "Nav": "ledger", "Types": ledger.Types,
			"PersonalOnly": c.scope.IsReadOnly()})
		return
	}
	if c.scope.IsReadOnly() && !t.Personal() {
		s.forbidden(w, r, c)
		return
	}
	today := s.now().In(cntime.Zone)
	unitID := c.user.UnitID
	data, err := s.formContext(ctx, c, unitID, t, today.Year())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := ledger.Activity{Type: t.Code, Date: today.Format(cntime.DateLayout), OrgID: c.user.OrgID}
	if t.Personal() {
		a.LeadID = c.user.ID
	}
	if pid := formID(r.URL.Query().Get("plan")); pid != 0 {
		if p, err := s.st.PlanItem(ctx, c.scope, pid); err == nil && p.UnitID == unitID {
			a.PlanItemID, a.Title, a.RequiredTopics, a.LeadID = p.ID, p.Topic, p.RequiredTopics, p.SpeakerID
		}
	}
	data["Title"], data["Nav"], data["A"], data["Action"] = "登记"+t.Label, "ledger", a, "/ledger"
	s.render(w, r, c, "ledger_form", data)
}

func (s *Server) activityFor(w http.ResponseWriter, r *http.Request, c *reqCtx) (ledger.Activity, bool) {
	id := formID(r.PathValue("id"))
	a, err := s.st.Activity(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return a, false
	}
	return a, true
}

func (s *Server) ledgerShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	s.renderActivity(w, r, c, a, "ledger_show", "")
}

func (s *Server) renderActivity(w http.ResponseWriter, r *http.Request, c *reqCtx, a ledger.Activity, tmpl, errMsg string) {
	t, _ := ledger.TypeByCode(a.Type)
	present, absent := a.Present()
	var plan *ledger.PlanItem
	if a.PlanItemID != 0 {
		if p, err := s.st.PlanItem(r.Context(), c.scope, a.PlanItemID); err == nil {
			plan = &p
		}
	}
	history, err := s.st.History(r.Context(), "activity", a.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if a.Source, err = s.st.ActivitySource(r.Context(), a.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// The print sheet is filed on paper: it names the unit.
	unitName := ""
	if units, err := s.unitNodes(r.Context(), []int64{a.UnitID}); err != nil {
		s.httpError(w, r, c, err)
		return
	} else if len(units) > 0 {
		unitName = units[0].Name
	}
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusUnprocessableEntity
	}
	s.renderStatus(w, r, c, status, tmpl, map[string]any{"UnitName": unitName,
		"Title": a.Title, "Nav": "ledger", "A": a, "Type": t, "Present": present, "Absent": absent,
		"LateDays": a.LateDays(cntime.Zone), "LateLimit": s.lateDays(), "CanWrite": ledger.CanWrite(c.scope, a),
		"Recording": a.Recording(cntime.Zone, s.lateDays()), "Plan": plan, "Accept": upload.Accept, "Allowed": upload.Allowed, "Error": errMsg, "History": history,
	})
}

func (s *Server) ledgerPrint(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	s.renderActivity(w, r, c, a, "ledger_print", "")
}

func (s *Server) ledgerEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	if !ledger.CanWrite(c.scope, a) || a.DeletedAt != 0 {
		s.forbidden(w, r, c)
		return
	}
	t, _ := ledger.TypeByCode(a.Type)
	year, _ := strconv.Atoi(a.Date[:4])
	data, err := s.formContext(r.Context(), c, a.UnitID, t, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data["Title"], data["Nav"], data["A"], data["Action"] = "修改台账", "ledger", a, fmt.Sprintf("/ledger/%d", a.ID)
	s.render(w, r, c, "ledger_form", data)
}
