package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/infosub"
	"zhendi/internal/web/form"
)

// Review of a draft: decisions, one-click replace, and the comparison of
// two versions.

func (s *Server) infoReview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	rv := form.ParseInfoReview(r.PostForm)
	if err := s.svc.ReviewDraft(r.Context(), c.actor(), c.scope, id, rv); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_%s", id, rv.Action))
}

// infoReplace is one-click replace from the screening panel: it edits the
// text node in the HTML and saves (the author's draft) or records a
// reviewer edit (a new version).
func (s *Server) infoReplace(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	f := form.ParseInfoReplace(r.PostForm)
	if err := s.svc.ReplaceInDraft(r.Context(), c.actor(), c.scope, id, f.At, f.Old, f.New); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_replaced#screen", id))
}

// infoReplaceAll is 全部替换: every finding of one kind in the body.
func (s *Server) infoReplaceAll(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	f := form.ParseInfoReplaceAll(r.PostForm)
	if _, err := s.svc.ReplaceAllInDraft(r.Context(), c.actor(), c.scope, id, f.Category, f.Old, f.New); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_replaced#screen", id))
}

func (s *Server) infoDiff(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	d, err := s.st.Draft(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	versions, _, err := s.st.DraftHistory(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	from, to := formInt(r.URL.Query().Get("from")), formInt(r.URL.Query().Get("to"))
	var a, b *infosub.Version
	for i := range versions {
		if versions[i].Version == from {
			a = &versions[i]
		}
		if versions[i].Version == to {
			b = &versions[i]
		}
	}
	current := infosub.Version{Version: 0, Title: d.Title, BodyText: d.BodyText, Note: "当前文本"}
	if b == nil {
		b = &current
	}
	if a == nil {
		a = &infosub.Version{Note: "空"}
	}
	ops := infosub.Diff(a.Title+"\n"+a.BodyText, b.Title+"\n"+b.BodyText)
	del, ins := infosub.DiffStats(ops)
	s.render(w, r, c, "info_diff", map[string]any{"Title": "修改对照", "Nav": "info", "D": d, "A": a, "B": b, "Ops": ops,
		"Deleted": del, "Inserted": ins, "Versions": versions})
}
