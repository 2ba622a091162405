package web

import (
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// 监测方案: the unit's schemes, and an editor that shows a rule's parse
// error beside the rule (the text engine's position and reason) and runs a
// 试运行 of the scheme as written over the last 30 days of stored items
// without saving it.

func (s *Server) opinionSchemes(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.opinionUnit(w, r, c)
	if !ok {
		return
	}
	list, err := s.st.OpinionSchemes(r.Context(), c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(r.Context(), c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "opinion_schemes", map[string]any{
		"Title": "监测方案", "Nav": "opinion", "Schemes": list, "UnitID": unitID, "Units": units,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID),
	})
}

// schemeForm renders the editor with an optional error and 试运行 result.
func (s *Server) schemeForm(w http.ResponseWriter, r *http.Request, c *reqCtx, sc store.OpinionScheme, status int, errMsg string, trial *service.TrialResult) {
	sources, err := s.st.OpinionSources(r.Context(), c.scope, sc.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	title := "新建监测方案"
	action := "/opinion/schemes"
	if sc.ID != 0 {
		title = "修改监测方案：" + sc.Name
		action = fmt.Sprintf("/opinion/schemes/%d", sc.ID)
	}
	s.renderStatus(w, r, c, status, "opinion_scheme_form", map[string]any{
		"Title": title, "Nav": "opinion", "S": sc, "Sources": sources, "Action": action, "Error": errMsg, "Trial": trial,
		"TrialDays": service.TrialDays, "CanWrite": slices.Contains(c.scope.WriteUnits, sc.UnitID),
	})
}

func (s *Server) opinionSchemeNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	s.schemeForm(w, r, c, store.OpinionScheme{UnitID: unitID, Scope: "all", Enabled: true}, http.StatusOK, "", nil)
}

func (s *Server) opinionSchemeEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	sc, err := s.st.OpinionScheme(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.schemeForm(w, r, c, sc, http.StatusOK, "", nil)
}

// schemeSubmit saves the posted scheme, or with action=trial runs it
// without saving.
func (s *Server) schemeSubmit(w http.ResponseWriter, r *http.Request, c *reqCtx, sc store.OpinionScheme) {
	if r.PostForm.Get("action") == "trial" {
		res, err := s.svc.TrialScheme(r.Context(), c.scope, sc)
		if err != nil {
			msg, ok := s.userMessage(w, r, c, err)
			if !ok {
				return
			}
			s.schemeForm(w, r, c, sc, http.StatusUnprocessableEntity, msg, nil)
			return
		}
		s.schemeForm(w, r, c, sc, http.StatusOK, "", &res)
		return
	}
	if err := s.svc.SaveOpinionScheme(r.Context(), c.actor(), c.scope, &sc); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.schemeForm(w, r, c, sc, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/schemes?unit=%d&ok=saved", sc.UnitID))
}

func (s *Server) opinionSchemeCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	sc := form.OpinionScheme(r.PostForm)
	sc.UnitID = form.ID(r.PostForm, "unit")
	if !slices.Contains(c.scope.WriteUnits, sc.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	s.schemeSubmit(w, r, c, sc)
}

func (s *Server) opinionSchemeUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	old, err := s.st.OpinionScheme(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !slices.Contains(c.scope.WriteUnits, old.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	sc := form.OpinionScheme(r.PostForm)
	sc.ID, sc.UnitID = old.ID, old.UnitID
	s.schemeSubmit(w, r, c, sc)
}

func (s *Server) opinionSchemeDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	sc, err := s.st.OpinionScheme(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.DeleteOpinionScheme(r.Context(), c.actor(), c.scope, sc.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/schemes?unit=%d&ok=scheme_deleted", sc.UnitID))
}
