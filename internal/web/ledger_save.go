package web

import (
	"errors"
	"fmt"
	"net/http"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// ledgerCreate records a new entry with its files in one step: the
// service saves the entry, its attendance and its attachments together or
// not at all, so a failure shows the form again with what the user typed.
func (s *Server) ledgerCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if !s.readForm(w, r, c) {
		return
	}
	t, ok := ledger.TypeByCode(r.PostForm.Get("type"))
	if !ok {
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "error", map[string]any{"Title": "类型无效", "Message": "请选择活动类型。"})
		return
	}
	_, staff, err := s.unitPeople(ctx, c.user.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := form.Activity(r.PostForm, staff)
	if a.OrgID == 0 {
		a.OrgID = c.user.OrgID
	}
	// A member records only personal entries, always as their own.
	if c.scope.IsReadOnly() && t.Personal() {
		a.LeadID, a.OrgID = c.user.ID, c.user.OrgID
	}
	files, err := s.readUploads(r, "files", "report")
	if err != nil {
		s.formError(w, r, c, a, "/ledger", err)
		return
	}
	if err := s.svc.CreateActivity(ctx, c.actor(), c.scope, &a, serviceUploads(files)); err != nil {
		s.formError(w, r, c, a, "/ledger", err)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=created", a.ID))
}

// formError shows the activity form again with the user's input and why it
// was not saved: a user error beside the form (422); any other failure with
// the status and message of its kind (see errorPage), saying that nothing
// was saved, instead of an error page that loses the input.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, c *reqCtx, a ledger.Activity, action string, err error) {
	status := http.StatusUnprocessableEntity
	msgs, ok := apperr.User(err)
	if !ok {
		var msg string
		if status, _, msg, ok = s.errorPage(r, err); !ok {
			return
		}
		msgs = []string{"台账未保存：" + msg}
	}
	t, _ := ledger.TypeByCode(a.Type)
	data, derr := s.formContext(r.Context(), c, c.user.UnitID, t, s.now().In(cntime.Zone).Year())
	if derr != nil {
		s.httpError(w, r, c, derr)
		return
	}
	data["Title"], data["Nav"], data["A"], data["Action"], data["Errors"] = "登记"+t.Label, "ledger", a, action, msgs
	if a.ID != 0 {
		data["Title"] = "修改台账"
	}
	s.renderStatus(w, r, c, status, "ledger_form", data)
}

func (s *Server) ledgerUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	old, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	if !ledger.CanWrite(c.scope, old) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	_, staff, err := s.unitPeople(ctx, old.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := form.Activity(r.PostForm, staff)
	a.ID, a.Type = old.ID, old.Type
	if c.scope.IsReadOnly() {
		a.LeadID, a.OrgID = c.user.ID, old.OrgID
	}
	if err := s.svc.UpdateActivity(ctx, c.actor(), c.scope, &a); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.httpError(w, r, c, err)
			return
		}
		s.formError(w, r, c, a, r.URL.Path, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=saved", a.ID))
}

func (s *Server) ledgerDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.svc.DeleteActivity(r.Context(), c.actor(), c.scope, id); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/ledger?ok=deleted")
}

func (s *Server) ledgerRestore(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.svc.RestoreActivity(r.Context(), c.actor(), c.scope, id); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=restored", id))
}
