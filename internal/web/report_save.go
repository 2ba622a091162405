package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/apperr"
	"zhendi/internal/report"
	"zhendi/internal/web/form"
)

// Changes to reports: saving an edited version, approving one, and
// returning a paragraph to the template's wording.

// reportSave stores the edited text as a new version. "refresh" also
// takes the figures from current data; a plain save keeps the figures of
// the version that was edited, so numbers never change unseen.
func (s *Server) reportSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if !s.readForm(w, r, c) {
		return
	}
	req, err := s.reportRequest(c, r.PostForm)
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	if !slices.Contains(c.scope.WriteUnits, req.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	f := form.ParseReportEdit(r.PostForm)
	fresh, err := s.svc.BuildReport(ctx, c.scope, req)
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	view := reportView{Rep: fresh, Req: req}
	d, err := s.st.FindReportDraft(ctx, c.scope, req.UnitID, string(req.Kind), req.Period.Key, req.SubjectID)
	switch {
	case err == nil:
		if view, err = s.loadSaved(r, c, d.ID, f.Version); err != nil {
			s.httpError(w, r, c, err)
			return
		}
	case !errors.Is(err, apperr.ErrNotFound):
		s.httpError(w, r, c, err)
		return
	}
	rep := view.Rep
	if f.Refresh {
		rep.Refresh(fresh)
	}
	wording, err := rep.ApplyEdit(f.Edit)
	if err != nil {
		msgs, ok := apperr.User(err)
		if !ok {
			s.httpError(w, r, c, err)
			return
		}
		view.Errors, view.Edits = msgs, f.Edit.Texts
		s.reportPage(w, r, c, http.StatusUnprocessableEntity, view, nil)
		return
	}
	note := f.Note
	if f.Refresh && note == "" {
		note = "从台账刷新数据"
	}
	id, _, err := s.svc.SaveReport(ctx, c.actor(), c.scope, rep, note, wording)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/reports/%d?ok=saved", id))
}

// reportApprove records a leader's approval of one version; refusals by
// the approval rule answer 403 with its reason.
func (s *Server) reportApprove(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if !s.readForm(w, r, c) {
		return
	}
	v := form.Int(r.PostForm, "v")
	err := s.svc.ApproveReport(r.Context(), c.actor(), c.scope, id, v)
	switch {
	case errors.Is(err, report.ErrSelfApproval), errors.Is(err, report.ErrNotApprover):
		s.renderStatus(w, r, c, http.StatusForbidden, "error", map[string]any{"Title": "不能审批", "Message": apperr.Message(err)})
		return
	case err != nil:
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/reports/%d?v=%d&ok=approved", id, v))
}

// reportWordingReset returns one paragraph of a report kind to the
// template's wording for the unit.
func (s *Server) reportWordingReset(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	kind, err := report.ParseKind(r.PostForm.Get("kind"))
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	if err := s.svc.ResetReportWording(r.Context(), c.actor(), c.scope, unitID, kind, r.PostForm.Get("key")); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/reports?unit=%d&ok=saved", unitID))
}
