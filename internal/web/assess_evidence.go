package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"zhendi/internal/assess"
	"zhendi/internal/store"
)

// Evidence files of accountability cases and the 干部考察 records: seen
// only by the unit's 第一责任人 and the district (assess.CanSeeCases);
// everyone else gets 404, and every view and download is audited.

// assessCaseUpload adds evidence files to a case (types and sizes checked
// by readUploads through internal/upload; files first, then the rows).
func (s *Server) assessCaseUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.casePage(w, r, c, id, http.StatusUnprocessableEntity, "佐证材料：文件过大或上传格式错误", nil)
		return
	}
	files, err := s.readUploads(r, "files")
	if err == nil && len(files) == 0 {
		s.casePage(w, r, c, id, http.StatusUnprocessableEntity, "佐证材料：请选择要上传的文件", nil)
		return
	}
	if err == nil {
		ups := make([]store.CaseUpload, len(files))
		for i, f := range files {
			ups[i] = store.CaseUpload{Name: f.att.Name, Mime: f.att.Mime, Data: f.data}
		}
		_, err = s.svc.AddCaseEvidence(r.Context(), c.actor(), c.assessActor(), id, ups)
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.casePage(w, r, c, id, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/cases/%d?ok=saved#files", id))
}

// assessCaseFile downloads an evidence file of a case (audited).
func (s *Server) assessCaseFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	a := c.assessActor()
	f, unit, fh, err := s.st.OpenCaseFile(r.Context(), id, formID(r.PathValue("fid")), func(u int64) bool { return assess.CanSeeCases(a, u) })
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer fh.Close()
	if !s.recordDownload(w, r, c, unit, "assess.case.file.download", "case", id, map[string]any{"file": f.ID, "name": f.Name, "size": f.Size}) {
		return
	}
	w.Header().Set("Content-Type", f.Mime)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.Copy(w, fh)
}

// assessCadre lists a unit's 干部考察 records for a year, with the form
// that records a leader's.
func (s *Server) assessCadre(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.cadrePage(w, r, c, http.StatusOK, "", unitChoice(c, r), 0)
}

func (s *Server) cadrePage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, unitID int64, year int) {
	a := c.assessActor()
	if !assess.CanSeeCases(a, unitID) {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	if year == 0 {
		year = s.assessYear(ctx, r, c, unitID)
	}
	list, err := s.svc.CadreRecords(ctx, c.actor(), a, unitID, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "assess_cadre", map[string]any{"Title": "干部考察记录", "Nav": "assess", "UnitID": unitID, "Units": units, "Year": year,
		"List": list, "Leaders": leadersOf(staff), "Error": errMsg})
}

// assessCadreSave records (or records again) a leader's year.
func (s *Server) assessCadreSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := formID(r.PostForm.Get("unit"))
	year, err := strconv.Atoi(r.PostForm.Get("year"))
	if err != nil {
		year = -1 // refused by Validate as 年度：无效
	}
	_, err = s.svc.RecordCadre(r.Context(), c.actor(), c.assessActor(), unitID, formID(r.PostForm.Get("person")), year, r.PostForm.Get("use"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		if year < 0 {
			year = 0
		}
		s.cadrePage(w, r, c, http.StatusUnprocessableEntity, msg, unitID, year)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/cadre?unit=%d&year=%d&ok=saved", unitID, year))
}

// caseSituations are the choices of the case form: the district's list as
// the unit adopts it (with the unit's detail), and the case's own grounds
// even when the unit has since stopped using them.
func (s *Server) caseSituations(r *http.Request, unitID int64, current string) ([]assess.Situation, error) {
	list, err := s.svc.UnitSituationList(r.Context(), unitID)
	if err != nil {
		return nil, err
	}
	var out []assess.Situation
	for _, u := range list {
		if !u.Enabled && u.Code != current {
			continue
		}
		label := u.Label
		if u.Detail != "" {
			label += "（本单位：" + u.Detail + "）"
		}
		out = append(out, assess.Situation{Code: u.Code, Label: label})
	}
	return out, nil
}

// assessSituations is the unit's 问责情形 page: the district's list with
// the unit's choices, editable by its leaders and clerk.
func (s *Server) assessSituations(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.situationsPage(w, r, c, http.StatusOK, "", unitChoice(c, r))
}

func (s *Server) situationsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, unitID int64) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	list, err := s.svc.UnitSituationList(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(r.Context(), c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "assess_situations", map[string]any{"Title": "问责情形", "Nav": "assess", "UnitID": unitID, "Units": units,
		"List": list, "CanEdit": assess.CanSelfAssess(c.assessActor(), unitID), "Source": assess.SourceCaseList, "Error": errMsg})
}

// assessSituationSave saves the unit's choice for one situation.
func (s *Server) assessSituationSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := formID(r.PostForm.Get("unit"))
	u := assess.UnitSituation{Situation: assess.Situation{Code: r.PostForm.Get("code")}, Enabled: r.PostForm.Get("enabled") == "1", Detail: r.PostForm.Get("detail")}
	if err := s.svc.SaveUnitSituation(r.Context(), c.actor(), c.assessActor(), unitID, u); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.situationsPage(w, r, c, http.StatusUnprocessableEntity, msg, unitID)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/situations?unit=%d&ok=saved#s-%s", unitID, url.QueryEscape(u.Code)))
}
