package web

import (
	"net/http"
	"slices"

	"zhendi/internal/service"
	"zhendi/internal/web/form"
)

// 导入舆情信息: a JSONL or CSV export (WPS and GBK CSV too) uploaded,
// previewed — rows, dates, what was imported before, scheme hits, every
// row error — and confirmed; the confirmation stores the kept file whole
// in one transaction or nothing. Writers of the unit only.

const opImportTitle = "导入舆情信息"

// opImportUnit is the unit an import page is about (the one asked for, else
// the user's own) when the user writes its records.
func (s *Server) opImportUnit(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64) bool {
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return false
	}
	return true
}

func (s *Server) opImportRender(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, unitID int64, data map[string]any) {
	units, err := s.unitNodes(r.Context(), c.scope.WriteUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data["Title"], data["Nav"], data["UnitID"], data["Units"] = opImportTitle, "opinion", unitID, units
	data["MaxRows"], data["MaxMB"] = service.WebImportMaxRows, service.WebImportMaxBytes>>20
	s.renderStatus(w, r, c, status, "opinion_import", data)
}

// opImportPage is the upload form.
func (s *Server) opImportPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	if !s.opImportUnit(w, r, c, unitID) {
		return
	}
	s.opImportRender(w, r, c, http.StatusOK, unitID, map[string]any{})
}

// opImportPreview reads an upload and shows what it would import.
func (s *Server) opImportPreview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	if !s.opImportUnit(w, r, c, unitID) {
		return
	}
	fail := func(data map[string]any) {
		s.opImportRender(w, r, c, http.StatusUnprocessableEntity, unitID, data)
	}
	data, name, msg := uploaded(r, service.WebImportMaxBytes, "要导入的 .jsonl 或 .csv 文件", "更大的文件请用命令 zhendi opinion import 导入")
	if msg != "" {
		fail(map[string]any{"Error": msg})
		return
	}
	pv, err := s.svc.PreviewOpinionImport(r.Context(), c.actor(), c.scope, unitID, name, data)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		fail(map[string]any{"Error": msg})
		return
	}
	if len(pv.Errors) > 0 {
		fail(map[string]any{"Errors": pv.Errors, "FileName": name})
		return
	}
	s.opImportRender(w, r, c, http.StatusOK, unitID, map[string]any{"Preview": pv})
}

// opImportConfirm imports a previewed file, all or nothing.
func (s *Server) opImportConfirm(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if !s.opImportUnit(w, r, c, unitID) {
		return
	}
	res, err := s.svc.ConfirmOpinionImport(r.Context(), c.actor(), c.scope, unitID, formID(r.PathValue("id")))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.opImportRender(w, r, c, http.StatusUnprocessableEntity, unitID, map[string]any{"Error": msg})
		return
	}
	s.opImportRender(w, r, c, http.StatusOK, unitID, map[string]any{"Result": res})
}
