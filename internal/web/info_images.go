package web

import (
	"fmt"
	"net/http"
	"strings"

	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// Images in a draft's text: upload and serve.

// infoImageUpload stores type-checked images and appends them to the
// author's draft.
func (s *Server) infoImageUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	uploads, err := s.readUploads(r, "image")
	if err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	files := make([]infosub.ImageFile, len(uploads))
	for i, u := range uploads {
		files[i] = infosub.ImageFile{Name: u.att.Name, Mime: u.att.Mime, Data: u.data}
	}
	if err := s.svc.AddDraftImages(r.Context(), c.actor(), c.scope, id, files); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d/edit?ok=uploaded", id))
}

func (s *Server) infoImage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	img, f, err := s.st.OpenInfoImage(r.Context(), c.scope, formID(r.PathValue("id")), formID(r.PathValue("iid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer f.Close()
	if !strings.HasPrefix(img.Mime, "image/") || img.Mime == "image/svg+xml" {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	w.Header().Set("Content-Type", img.Mime)
	w.Header().Set("Content-Security-Policy", "sandbox")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", timeOf(0), f)
}
