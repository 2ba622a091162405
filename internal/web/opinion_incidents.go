package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/incident"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/upload"
	"zhendi/internal/web/form"
)

// 舆情处置 pages: the list with filters, 启动处置 (from an event or by
// hand), an incident's page with its five steps, time limits, evidence
// and the screening of its response text.

// incidentList lists the incidents of a unit, or those the caller answers for.
func (s *Server) incidentList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	q := r.URL.Query()
	f := store.IncidentFilter{Status: q.Get("status"), Level: q.Get("level")}
	if f.Status != incident.StatusOpen && f.Status != incident.StatusClosed {
		f.Status = ""
	}
	if !slices.Contains(incident.Levels, f.Level) {
		f.Level = ""
	}
	if len(c.scope.ReadUnits) > 0 {
		f.UnitID = unitChoice(c, r)
	}
	items, err := s.st.Incidents(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	now := s.now().Unix()
	overdue := 0
	for _, it := range items {
		if it.Overdue(now) {
			overdue++
		}
	}
	s.render(w, r, c, "opinion_incident_list", map[string]any{"Title": "舆情处置", "Nav": "opinion", "Items": items, "Units": units, "UnitID": f.UnitID,
		"Status": f.Status, "Level": f.Level, "Levels": incident.Levels, "Now": now, "Overdue": overdue,
		"CanStart": f.UnitID != 0 && incident.CanManage(c.scope, f.UnitID)})
}

// incidentForm renders the 启动处置 form.
func (s *Server) incidentForm(w http.ResponseWriter, r *http.Request, c *reqCtx, in incident.Incident, owner int64, status int, errMsg string) {
	_, staff, err := s.unitPeople(r.Context(), in.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "opinion_incident_form", map[string]any{"Title": "启动舆情处置", "Nav": "opinion", "It": in, "Owner": owner,
		"Staff": staff, "Levels": incident.Levels, "FoundAt": inputTime(in.FoundAt), "Basis": incident.Basis, "Error": errMsg})
}

// incidentNew opens the 启动处置 form, filled from the event named by
// ?event= when there is one.
func (s *Server) incidentNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	in := incident.Incident{UnitID: unitChoice(c, r), Level: incident.LevelGeneral, FoundAt: s.now().Unix()}
	if ev := formID(r.URL.Query().Get("event")); ev != 0 {
		if err := s.fillFromEvent(r, c, &in, ev); err != nil {
			s.httpError(w, r, c, err)
			return
		}
	}
	if !incident.CanManage(c.scope, in.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	s.incidentForm(w, r, c, in, c.user.ID, http.StatusOK, "")
}

// incidentCreate starts an incident.
func (s *Server) incidentCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	in, err := form.Incident(r.PostForm)
	in.UnitID = form.ID(r.PostForm, "unit")
	owner := form.ID(r.PostForm, "owner")
	if err == nil && in.EventID != 0 {
		// The event must be one the caller reads, in the same unit.
		var ev incident.Incident
		if err = s.fillFromEvent(r, c, &ev, in.EventID); err == nil && ev.UnitID != in.UnitID {
			err = store.ErrNotFound
		}
	}
	if err == nil {
		err = s.svc.StartIncident(r.Context(), c.actor(), c.scope, &in, owner)
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.incidentForm(w, r, c, in, owner, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/opinion/incidents/%d?ok=created", in.ID))
}

// incidentShow is an incident's page.
func (s *Server) incidentShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.incidentPage(w, r, c, http.StatusOK, "", "")
}

// incidentPage renders the incident of the path; after a refused change
// errMsg is shown beside the form of errStep ("" for the incident's own).
func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errStep, errMsg string) {
	ctx := r.Context()
	in, err := s.st.Incident(ctx, c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	manage := incident.CanManage(c.scope, in.UnitID)
	var staff []org.User
	if manage {
		if _, staff, err = s.unitPeople(ctx, in.UnitID, c); err != nil {
			s.httpError(w, r, c, err)
			return
		}
	}
	findings, err := s.svc.ScreenResponse(ctx, in.UnitID, in.Step(incident.StepRespond).Text)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	hist, err := s.st.History(ctx, "incident", in.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	type stepView struct {
		incident.Step
		Files   []incident.File
		CanWork bool
		Current bool
		Error   string
	}
	cur := in.Current()
	var steps []stepView
	for _, st := range in.Steps {
		v := stepView{Step: st, Files: in.FilesOf(st.Key), CanWork: in.Status == incident.StatusOpen && incident.CanWork(c.scope, in, st.Key), Current: st.Key == cur}
		if st.Key == errStep {
			v.Error = errMsg
		}
		steps = append(steps, v)
	}
	blocking := 0
	for _, f := range findings {
		if f.Blocking() {
			blocking++
		}
	}
	var formErr string
	if errStep == "" {
		formErr = errMsg
	}
	now := s.now().Unix()
	s.renderStatus(w, r, c, status, "opinion_incident_show", map[string]any{"Title": "舆情处置：" + in.Title, "Nav": "opinion", "It": in, "Steps": steps,
		"Deadlines": in.Deadlines(), "Now": now, "Basis": incident.Basis, "Manage": manage && in.Status == incident.StatusOpen, "Staff": staff,
		"Levels": incident.Levels, "FoundAt": inputTime(in.FoundAt), "AuthorityAt": inputTime(in.AuthorityAt), "PresserAt": inputTime(in.PresserAt),
		"NowInput": inputTime(now), "Findings": findings, "Blocking": blocking, "History": hist, "Error": formErr, "Accept": upload.Accept})
}

// incidentUpdate changes an incident's title, level, time and summary.
func (s *Server) incidentUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	in, err := form.Incident(r.PostForm)
	if err == nil {
		_, err = s.svc.EditIncident(r.Context(), c.actor(), c.scope, id, in)
	}
	s.incidentAfter(w, r, c, id, "", err)
}

// incidentStep saves a step's form, and completes the step when asked.
func (s *Server) incidentStep(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	step := r.PathValue("step")
	in, err := form.IncidentStep(r.PostForm)
	if err == nil {
		_, err = s.svc.SaveIncidentStep(r.Context(), c.actor(), c.scope, id, step, in)
	}
	s.incidentAfter(w, r, c, id, step, err)
}

// incidentUpload adds evidence files to a step.
func (s *Server) incidentUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.incidentPage(w, r, c, http.StatusUnprocessableEntity, "", "文件过大或上传格式错误。")
		return
	}
	step := r.PostForm.Get("step")
	if !slices.Contains(incident.Steps, step) {
		step = incident.StepCollect
	}
	files, err := s.readUploads(r, "files")
	if err != nil {
		s.incidentAfter(w, r, c, id, step, err)
		return
	}
	if len(files) == 0 {
		s.incidentPage(w, r, c, http.StatusUnprocessableEntity, step, "请选择要上传的材料。")
		return
	}
	ups := make([]store.IncidentUpload, len(files))
	for i, f := range files {
		ups[i] = store.IncidentUpload{Name: f.att.Name, Mime: f.att.Mime, Data: f.data}
	}
	_, err = s.svc.AddIncidentEvidence(r.Context(), c.actor(), c.scope, id, step, ups)
	s.incidentAfter(w, r, c, id, step, err)
}

// incidentFile downloads an evidence file.
func (s *Server) incidentFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	f, fh, err := s.st.OpenIncidentFile(r.Context(), c.scope, id, formID(r.PathValue("fid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer fh.Close()
	if !s.recordDownload(w, r, c, 0, "incident.file.download", "incident", id, map[string]any{"file": f.ID, "name": f.Name, "size": f.Size}) {
		return
	}
	w.Header().Set("Content-Type", f.Mime)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "no-store")
	io.Copy(w, fh)
}

// incidentAfter answers a change: on success back to the page, on a user
// error the page again with the message beside the step's form (422).
func (s *Server) incidentAfter(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, step string, err error) {
	if err == nil {
		anchor := ""
		if step != "" {
			anchor = "#step-" + step
		}
		redirect(w, r, fmt.Sprintf("/opinion/incidents/%d?ok=saved%s", id, anchor))
		return
	}
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	s.incidentPage(w, r, c, http.StatusUnprocessableEntity, step, msg)
}

// inputTime writes unix seconds for a datetime-local input ("" for 0).
func inputTime(sec int64) string {
	if sec == 0 {
		return ""
	}
	return time.Unix(sec, 0).In(cntime.Zone).Format("2006-01-02T15:04")
}

// overdueIncidents lists the unit's open incidents past a national time
// limit, for the 督导 dashboard.
func (s *Server) overdueIncidents(r *http.Request, c *reqCtx, unitID int64) ([]incident.Incident, error) {
	open, err := s.st.Incidents(r.Context(), c.scope, store.IncidentFilter{UnitID: unitID, Status: incident.StatusOpen})
	if err != nil {
		return nil, err
	}
	now := s.now().Unix()
	var out []incident.Incident
	for _, in := range open {
		if in.Overdue(now) {
			out = append(out, in)
		}
	}
	return out, nil
}
