package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/web/form"
)

// The author's draft: the editor, save, submit, withdraw and delete.

// editorData is what the draft editor needs.
func (s *Server) editorData(ctx context.Context, c *reqCtx, d infosub.Draft, errMsg string) (map[string]any, error) {
	unitID := d.UnitID
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return nil, err
	}
	var orgs []org.Node
	for _, n := range nodes {
		if c.scope.CanWrite(unitID, n.ID) {
			orgs = append(orgs, n)
		}
	}
	// The latest ledger entries, to link the information to an activity.
	acts, _, err := s.st.ListActivities(ctx, c.scope, ledger.Filter{UnitID: unitID, PerPage: 100, Page: 1})
	if err != nil {
		return nil, err
	}
	title := "撰写信息"
	if d.ID != 0 {
		title = "修改信息"
	}
	return map[string]any{"Title": title, "Nav": "info", "D": d, "Orgs": orgs, "Categories": infosub.Categories, "Acts": acts,
		"Error": errMsg, "BodyHTML": template.HTML(infosub.NewSanitizer().Sanitize(d.Body))}, nil // sanitised on save too; again here so no path can skip it
}

func (s *Server) infoNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if c.scope.IsReadOnly() || c.user.UnitID == 0 {
		s.forbidden(w, r, c)
		return
	}
	data, err := s.editorData(r.Context(), c, infosub.Draft{OrgID: c.user.OrgID, Category: infosub.Categories[0]}, "")
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "info_form", data)
}

// infoFormError shows the editor again with a user error (422); any other
// error gets its own page.
func (s *Server) infoFormError(w http.ResponseWriter, r *http.Request, c *reqCtx, d infosub.Draft, err error) {
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	data, derr := s.editorData(r.Context(), c, d, msg)
	if derr != nil {
		s.httpError(w, r, c, derr)
		return
	}
	s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "info_form", data)
}

func (s *Server) infoCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	f := form.ParseInfoDraft(r.PostForm)
	if err := s.svc.CreateDraft(r.Context(), c.actor(), c.scope, &f.Draft); err != nil {
		s.infoFormError(w, r, c, f.Draft, err)
		return
	}
	s.afterSave(w, r, c, f)
}

func (s *Server) infoEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	d, err := s.st.Draft(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data, err := s.editorData(r.Context(), c, d, "")
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// A reviewer edits inside the review: the form posts a review action.
	data["ReviewEdit"] = d.AuthorID != c.user.ID
	s.render(w, r, c, "info_form", data)
}

func (s *Server) infoUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	f := form.ParseInfoDraft(r.PostForm)
	f.Draft.ID = formID(r.PathValue("id"))
	if err := s.svc.UpdateDraft(r.Context(), c.actor(), c.scope, &f.Draft); err != nil {
		s.infoFormError(w, r, c, f.Draft, err)
		return
	}
	s.afterSave(w, r, c, f)
}

// afterSave submits the saved draft when the author asked for it, and
// otherwise goes back to it.
func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, c *reqCtx, f form.InfoDraft) {
	if f.ThenSubmit {
		s.submitAndRedirect(w, r, c, f.Draft.ID, f.Comment)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=saved", f.Draft.ID))
}

func (s *Server) submitAndRedirect(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, comment string) {
	if err := s.svc.SubmitDraft(r.Context(), c.actor(), c.scope, id, comment); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_submitted", id))
}

func (s *Server) infoSubmit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	s.submitAndRedirect(w, r, c, formID(r.PathValue("id")), form.Text(r.PostForm, "comment"))
}

func (s *Server) infoWithdraw(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	if err := s.svc.WithdrawDraft(r.Context(), c.actor(), c.scope, id, form.Text(r.PostForm, "comment")); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_withdrawn", id))
}

func (s *Server) infoDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	if err := s.svc.DeleteDraft(r.Context(), c.actor(), c.scope, id); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, "/info?mine=1&ok=info_deleted")
}
