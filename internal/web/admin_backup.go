package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/cntime"

	"zhendi/internal/audit"
	"zhendi/internal/service"
	"zhendi/internal/web/form"
)

// backupPage shows the automatic backup schedule, the backups made and how
// long audit entries and backups are kept (installation administrators).
func (s *Server) backupPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.InstallAdmin {
		s.forbidden(w, r, c)
		return
	}
	st, err := s.svc.BackupStatus(r.Context(), c.scope)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderBackup(w, r, c, http.StatusOK, st, "")
}

func (s *Server) renderBackup(w http.ResponseWriter, r *http.Request, c *reqCtx, code int, st service.BackupStatus, msg string) {
	type row struct {
		Name, When, Size string
		Auto             bool
	}
	rows := make([]row, len(st.Backups))
	for i, b := range st.Backups {
		rows[i] = row{Name: b.Name, When: cntime.DateTime(b.At), Size: fmt.Sprintf("%.1f MB", float64(b.Size)/(1<<20)), Auto: b.Auto}
	}
	// Opinion items' retention (issue 17, oppipe).
	opDays, err := s.st.OpinionRetentionDays(r.Context())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if d := r.PostForm.Get("opinion_days"); d != "" && code != http.StatusOK {
		opDays = formInt(d)
	}
	s.renderStatus(w, r, c, code, "admin_backup", map[string]any{"Title": "备份与保存期限", "Nav": "admin", "St": st, "Rows": rows, "Error": msg,
		"AuditDays": audit.RetentionDays, "Saved": r.URL.Query().Get("ok") == "saved", "OpinionDays": opDays})
}

func (s *Server) backupSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.InstallAdmin {
		s.forbidden(w, r, c)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	b := form.Backup(r.PostForm)
	err := s.svc.SetBackupSettings(r.Context(), c.actor(), c.scope, b)
	if d := r.PostForm.Get("opinion_days"); err == nil && d != "" {
		err = s.svc.SetOpinionRetention(r.Context(), c.actor(), c.scope, formInt(d))
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		st, err := s.svc.BackupStatus(r.Context(), c.scope)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		st.Settings = b
		s.renderBackup(w, r, c, http.StatusUnprocessableEntity, st, msg)
		return
	}
	redirect(w, r, "/admin/backup?ok=saved")
}
