package web

import (
	"fmt"
	"net/http"
	"net/url"

	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
)

// fileUpload adds files to an entry; all of them are recorded together.
func (s *Server) fileUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	if !ledger.CanWrite(c.scope, a) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	files, err := s.readUploads(r, "files", "report")
	if err == nil && len(files) == 0 {
		err = apperr.Rule("请选择要上传的文件")
	}
	if err == nil {
		err = s.svc.AddAttachments(r.Context(), c.actor(), c.scope, a.ID, serviceUploads(files))
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderActivity(w, r, c, a, "ledger_show", msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=uploaded", a.ID))
}

func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	att, f, err := s.st.OpenAttachment(r.Context(), c.scope, formID(r.PathValue("id")), formID(r.PathValue("fid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer f.Close()
	if !s.recordDownload(w, r, c, 0, "attachment.download", "activity", att.ActivityID, map[string]any{"attachment": att.ID, "name": att.Name, "size": att.Size}) {
		return
	}
	w.Header().Set("Content-Type", att.Mime)
	// Served as a download: an uploaded file never renders as a page of ours.
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(att.Name))
	w.Header().Set("Content-Security-Policy", "sandbox")
	http.ServeContent(w, r, "", timeOf(att.CreatedAt), f)
}

func (s *Server) fileDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.svc.RemoveAttachment(r.Context(), c.actor(), c.scope, id, formID(r.PathValue("fid"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=saved", id))
}
