package web

import (
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// 舆情来源: feeds and push sources with their health. Readers of the unit
// see them; writers add and change them. A push source's token is shown
// once, on the page that created or renewed it.

// opinionUnit is the unit an opinion page is about: the one asked for if
// the user reads it, else their own; ok is false (and 403 answered) when
// they read no unit's opinion records at all.
func (s *Server) opinionUnit(w http.ResponseWriter, r *http.Request, c *reqCtx) (int64, bool) {
	unitID := unitChoice(c, r)
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return 0, false
	}
	return unitID, true
}

func (s *Server) opinionSources(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.opinionUnit(w, r, c)
	if !ok {
		return
	}
	s.sourcesPage(w, r, c, unitID, store.OpinionSource{Kind: store.SourceFeed, IntervalSec: 900, Weight: 1, Enabled: true}, http.StatusOK, "", "")
}

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, draft store.OpinionSource, status int, errMsg, token string) {
	ctx := r.Context()
	list, err := s.st.OpinionSources(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "opinion_sources", map[string]any{
		"Title": "舆情来源", "Nav": "opinion", "Tab": "sources", "Sources": list, "UnitID": unitID, "Units": units,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID), "Draft": draft, "Error": errMsg, "Token": token,
		"Now": s.now().Unix(),
	})
}

func (s *Server) opinionSourceCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	o := form.OpinionSource(r.PostForm)
	o.UnitID = form.ID(r.PostForm, "unit")
	if !slices.Contains(c.scope.WriteUnits, o.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	token, err := s.svc.SaveOpinionSource(r.Context(), c.actor(), c.scope, &o, false)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.sourcesPage(w, r, c, o.UnitID, o, http.StatusUnprocessableEntity, msg, "")
		return
	}
	if token != "" {
		// The token is shown on this answer only; it is not kept.
		s.sourceForm(w, r, c, o, http.StatusOK, "", token)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/sources?unit=%d&ok=saved", o.UnitID))
}

func (s *Server) sourceForm(w http.ResponseWriter, r *http.Request, c *reqCtx, o store.OpinionSource, status int, errMsg, token string) {
	s.renderStatus(w, r, c, status, "opinion_source_form", map[string]any{
		"Title": "修改舆情来源：" + o.Name, "Nav": "opinion", "Tab": "sources", "S": o, "Error": errMsg, "Token": token,
		"CanWrite": slices.Contains(c.scope.WriteUnits, o.UnitID),
	})
}

func (s *Server) opinionSourceEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	o, err := s.st.OpinionSource(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.sourceForm(w, r, c, o, http.StatusOK, "", "")
}

func (s *Server) opinionSourceUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	old, err := s.st.OpinionSource(r.Context(), c.scope, formID(r.PathValue("id")))
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
	o := form.OpinionSource(r.PostForm)
	o.ID, o.UnitID, o.Kind, o.HasToken = old.ID, old.UnitID, old.Kind, old.HasToken
	token, err := s.svc.SaveOpinionSource(r.Context(), c.actor(), c.scope, &o, form.Bool(r.PostForm, "rotate"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.sourceForm(w, r, c, o, http.StatusUnprocessableEntity, msg, "")
		return
	}
	if token != "" {
		s.sourceForm(w, r, c, o, http.StatusOK, "", token)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/sources?unit=%d&ok=saved", o.UnitID))
}

func (s *Server) opinionSourceDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	o, err := s.st.OpinionSource(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.DeleteOpinionSource(r.Context(), c.actor(), c.scope, o.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/sources?unit=%d&ok=source_deleted", o.UnitID))
}
