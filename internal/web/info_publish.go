package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/web/form"
)

// Publication and adoption records of a draft.

func (s *Server) infoPublish(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	p := form.ParseInfoPublication(r.PostForm, id)
	if err := s.svc.AddPublication(r.Context(), c.actor(), c.scope, &p); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_published", id))
}

func (s *Server) infoPublicationDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	if err := s.svc.RemovePublication(r.Context(), c.actor(), c.scope, id, formID(r.PathValue("pid"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=saved", id))
}
