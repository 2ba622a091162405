package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/opinion"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// 情感词表: the unit's own negativity terms, joined to the seed lexicon
// when its new items are scored. Readers of the unit see the file's name,
// licence and size; writers upload a new file or remove it.

func (s *Server) opLexiconPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string) {
	ctx := r.Context()
	own, err := s.st.UnitOpinionLexicon(ctx, unitID)
	has := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	seed := opinion.DefaultLexicon()
	s.renderStatus(w, r, c, status, "opinion_lexicon", map[string]any{"Title": "情感词表", "Nav": "opinion", "UnitID": unitID, "Units": units,
		"Has": has, "Own": own, "SeedTerms": len(seed.Terms()), "SeedLicence": seed.Licence, "Error": errMsg,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID)})
}

func (s *Server) opLexicon(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.opinionUnit(w, r, c)
	if !ok {
		return
	}
	s.opLexiconPage(w, r, c, unitID, http.StatusOK, "")
}

// opLexiconUpload replaces the unit's lexicon with an uploaded file.
func (s *Server) opLexiconUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	data, _, msg := uploaded(r, service.MaxLexiconBytes, "词表文件", "")
	if msg != "" {
		s.opLexiconPage(w, r, c, unitID, http.StatusUnprocessableEntity, msg)
		return
	}
	if _, err := s.svc.ImportOpinionLexicon(r.Context(), c.actor(), c.scope, unitID, data); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.opLexiconPage(w, r, c, unitID, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/lexicon?unit=%d&ok=saved", unitID))
}

// opLexiconDelete removes the unit's lexicon.
func (s *Server) opLexiconDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	if err := s.svc.DeleteOpinionLexicon(r.Context(), c.actor(), c.scope, unitID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/lexicon?unit=%d&ok=deleted", unitID))
}
