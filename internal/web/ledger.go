package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/upload"
)

const perPage = 50

func (s *Server) ledgerList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if !c.scope.HasContent() {
		s.forbidden(w, r, c)
		return
	}
	f := ledger.ParseFilter(r.URL.Query())
	f.PerPage = perPage
	unitID := f.UnitID
	if unitID == 0 {
		unitID = unitChoice(c, r)
		// A user of one unit always looks at that unit; only district users
		// may list every unit at once (unit=0 in their filter).
		if len(c.scope.ReadUnits) <= 1 {
			f.UnitID = unitID
		}
	}
	acts, total, err := s.st.ListActivities(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	capped := f.Q != "" && total > store.SearchCountCap
	pages := (total + perPage - 1) / perPage
	if capped {
		pages = store.SearchCountCap / perPage
	}
	pageURL := func(p int) string {
		g := f
		g.Page = p
		return g.URL()
	}
	exp := f
	exp.Page = 0
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "ledger_list", map[string]any{
		"Title": "台账", "Nav": "ledger", "F": f, "Acts": acts, "Total": total, "Page": f.Page, "Pages": pages,
		"Prev": pageURL(f.Page - 1), "Next": pageURL(f.Page + 1), "Types": ledger.Types, "Topics": ledger.RequiredTopics,
		"Nodes": nodes, "Staff": staff, "ExportURL": "/ledger/export.xlsx?" + exp.Values().Encode(), "LateDays": s.lateDays(),
		"Units": units, "UnitID": unitID, "Audiences": ledger.AudienceTypes, "Filtered": len(r.URL.Query()) > 0,
		"CanWrite": !c.scope.IsReadOnly() || c.scope.OwnRecords, "CST": cntime.Zone,
		"Capped": capped, "Cap": store.SearchCountCap,
	})
}

// unitPeople returns a unit's nodes and staff when the caller may see them.
func (s *Server) unitPeople(ctx context.Context, unitID int64, c *reqCtx) ([]org.Node, []org.User, error) {
	if unitID == 0 {
		return nil, nil, nil
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return nil, nil, err
	}
	staff, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		return nil, nil, err
	}
	return nodes, staff, nil
}

// formContext is what the activity form needs besides the activity.
func (s *Server) formContext(ctx context.Context, c *reqCtx, unitID int64, t ledger.Type, year int) (map[string]any, error) {
	nodes, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		return nil, err
	}
	var writable []org.Node
	for _, n := range nodes {
		if c.scope.CanWrite(unitID, n.ID) {
			writable = append(writable, n)
		}
	}
	personalOnly := len(writable) == 0
	if personalOnly {
		for _, n := range nodes {
			if n.ID == c.user.OrgID {
				writable = append(writable, n)
			}
		}
	}
	plan, err := s.st.PlanItems(ctx, c.scope, unitID, year)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return map[string]any{
		"Type": t, "Nodes": writable, "Staff": staff, "Plan": plan, "Topics": ledger.RequiredTopics,
		"Audiences": ledger.AudienceTypes, "PersonalOnly": personalOnly, "Accept": upload.Accept, "Allowed": upload.Allowed,
	}, nil
}

func (s *Server) ledgerNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if c.scope.IsReadOnly() && !c.scope.OwnRecords {
		s.forbidden(w, r, c)
		return
	}
	t, ok := ledger.TypeByCode(r.URL.Query().Get("type"))
	if !ok {
		s.render(w, r, c, "ledger_types", map[string]any{"Title": "登记台账", "Nav": "ledger", "Types": ledger.Types,
			"PersonalOnly": c.scope.IsReadOnly()})
		return
	}
	if c.scope.IsReadOnly() && !t.Personal() {
		s.forbidden(w, r, c)
		return
	}
	today := s.now().In(cntime.Zone)
	unitID := c.user.UnitID
	data, err := s.formContext(ctx, c, unitID, t, today.Year())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := ledger.Activity{Type: t.Code, Date: today.Format(cntime.DateLayout), OrgID: c.user.OrgID}
	if t.Personal() {
		a.LeadID = c.user.ID
	}
	if pid := formID(r.URL.Query().Get("plan")); pid != 0 {
		if p, err := s.st.PlanItem(ctx, c.scope, pid); err == nil && p.UnitID == unitID {
			a.PlanItemID, a.Title, a.RequiredTopics, a.LeadID = p.ID, p.Topic, p.RequiredTopics, p.SpeakerID
		}
	}
	data["Title"], data["Nav"], data["A"], data["Action"] = "登记"+t.Label, "ledger", a, "/ledger"
	s.render(w, r, c, "ledger_form", data)
}

// parseActivity reads the activity form. Attendance comes as att_<userID>
// = present|absent, reason_<userID> and spk_<userID>, for the unit's staff.
func parseActivity(r *http.Request, staff []org.User) ledger.Activity {
	f := r.PostForm
	a := ledger.Activity{
		Type: f.Get("type"), OrgID: formID(f.Get("org")), Title: f.Get("title"), Date: strings.TrimSpace(f.Get("date")),
		StartTime: strings.TrimSpace(f.Get("start_time")), DurationMin: formInt(f.Get("duration")), Place: f.Get("place"),
		LeadID: formID(f.Get("lead_id")), LeadName: f.Get("lead_name"), HostID: formID(f.Get("host_id")),
		AudienceType: f.Get("audience_type"), AudienceCount: formInt(f.Get("audience_count")), Agenda: strings.TrimSpace(f.Get("agenda")),
		Content: strings.TrimSpace(f.Get("content")), Tags: ledger.SplitList(f.Get("tags")), RequiredTopics: f["topics"],
		PlanItemID: formID(f.Get("plan_item")),
	}
	if a.LeadID != 0 {
		a.LeadName = ""
	}
	for _, u := range staff {
		id := strconv.FormatInt(u.ID, 10)
		st := f.Get("att_" + id)
		if st != "present" && st != "absent" {
			continue
		}
		a.Attendance = append(a.Attendance, ledger.Attendance{UserID: u.ID, Name: u.Name, Status: st,
			Reason: strings.TrimSpace(f.Get("reason_" + id)), Speaker: f.Get("spk_"+id) == "1" && st == "present"})
	}
	return a
}

// uploadedFile is a checked upload waiting to be stored.
type uploadedFile struct {
	att  ledger.Attachment
	data []byte
}

// readUploads reads and checks every file of the given form fields.
func (s *Server) readUploads(r *http.Request, fields ...string) ([]uploadedFile, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	sec, err := s.st.SecuritySettings(r.Context())
	if err != nil {
		return nil, err
	}
	limit := int64(sec.MaxUploadMB) << 20
	var out []uploadedFile
	for _, field := range fields {
		for _, fh := range r.MultipartForm.File[field] {
			data, err := readPart(fh, limit)
			if err != nil {
				return nil, err
			}
			mime, err := upload.Check(fh.Filename, data, limit)
			if err != nil {
				return nil, err
			}
			kind := ""
			if field == "report" {
				kind = "report"
			}
			out = append(out, uploadedFile{att: ledger.Attachment{Name: cleanFileName(fh.Filename), Mime: mime, Kind: kind}, data: data})
		}
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	if fh.Size > limit {
		return nil, apperr.Rule(fmt.Sprintf("附件「%s」超过大小上限 %d MB", fh.Filename, limit>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, apperr.Rule(fmt.Sprintf("读取附件「%s」失败", fh.Filename))
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// cleanFileName keeps the base name and drops characters that could break a
// Content-Disposition header.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == 127 {
			return -1
		}
		return r
	}, name)
	if name == "" {
		name = "附件"
	}
	return name
}

func (s *Server) parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return r.ParseMultipartForm(8 << 20)
	}
	return r.ParseForm()
}

func (s *Server) ledgerCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if err := s.parseForm(r); err != nil {
		s.formError(w, r, c, ledger.Activity{}, "/ledger", apperr.Rule("表单过大或格式错误"))
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
	a := parseActivity(r, staff)
	if a.OrgID == 0 {
		a.OrgID = c.user.OrgID
	}
	if c.scope.IsReadOnly() && t.Personal() {
		a.LeadID, a.OrgID = c.user.ID, c.user.OrgID
	}
	files, err := s.readUploads(r, "files", "report")
	if err != nil {
		s.formError(w, r, c, a, "/ledger", err)
		return
	}
	if t.Report && len(files) == 0 {
		s.formError(w, r, c, a, "/ledger", &ledger.FieldError{Field: "报告文件", Msg: "分析研判须上传报告文档"})
		return
	}
	if err := s.st.CreateActivity(ctx, c.actor(), c.scope, &a); err != nil {
		s.formError(w, r, c, a, "/ledger", err)
		return
	}
	for i := range files {
		if err := s.st.AddAttachment(ctx, c.actor(), c.scope, a.ID, &files[i].att, files[i].data); err != nil {
			s.httpError(w, r, c, fmt.Errorf("activity %d saved, attachment failed: %w", a.ID, err))
			return
		}
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=created", a.ID))
}

// formError re-renders the activity form with the user's input and the error.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, c *reqCtx, a ledger.Activity, action string, err error) {
	msgs, ok := apperr.User(err)
	if !ok {
		s.httpError(w, r, c, err)
		return
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
	s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "ledger_form", data)
}

func (s *Server) activityFor(w http.ResponseWriter, r *http.Request, c *reqCtx) (ledger.Activity, bool) {
	id := formID(r.PathValue("id"))
	a, err := s.st.Activity(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return a, false
	}
	return a, true
}

func (s *Server) ledgerShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	s.renderActivity(w, r, c, a, "ledger_show", "")
}

func (s *Server) renderActivity(w http.ResponseWriter, r *http.Request, c *reqCtx, a ledger.Activity, tmpl, errMsg string) {
	t, _ := ledger.TypeByCode(a.Type)
	present, absent := a.Present()
	var plan *ledger.PlanItem
	if a.PlanItemID != 0 {
		if p, err := s.st.PlanItem(r.Context(), c.scope, a.PlanItemID); err == nil {
			plan = &p
		}
	}
	history, err := s.st.History(r.Context(), "activity", a.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusUnprocessableEntity
	}
	s.renderStatus(w, r, c, status, tmpl, map[string]any{
		"Title": a.Title, "Nav": "ledger", "A": a, "Type": t, "Present": present, "Absent": absent,
		"LateDays": a.LateDays(cntime.Zone), "LateLimit": s.lateDays(), "CanWrite": store.CanWriteActivity(c.scope, a),
		"Plan": plan, "Accept": upload.Accept, "Allowed": upload.Allowed, "Error": errMsg, "History": history,
	})
}

func (s *Server) ledgerPrint(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	s.renderActivity(w, r, c, a, "ledger_print", "")
}

func (s *Server) ledgerEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	if !store.CanWriteActivity(c.scope, a) || a.DeletedAt != 0 {
		s.forbidden(w, r, c)
		return
	}
	t, _ := ledger.TypeByCode(a.Type)
	year, _ := strconv.Atoi(a.Date[:4])
	data, err := s.formContext(r.Context(), c, a.UnitID, t, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data["Title"], data["Nav"], data["A"], data["Action"] = "修改台账", "ledger", a, fmt.Sprintf("/ledger/%d", a.ID)
	s.render(w, r, c, "ledger_form", data)
}

func (s *Server) ledgerUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	old, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	if !store.CanWriteActivity(c.scope, old) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if err := s.parseForm(r); err != nil {
		s.formError(w, r, c, old, r.URL.Path, apperr.Rule("表单过大或格式错误"))
		return
	}
	_, staff, err := s.unitPeople(ctx, old.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := parseActivity(r, staff)
	a.ID, a.Type = old.ID, old.Type
	if c.scope.IsReadOnly() {
		a.LeadID, a.OrgID = c.user.ID, old.OrgID
	}
	if err := s.st.UpdateActivity(ctx, c.actor(), c.scope, &a); err != nil {
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
	if err := s.st.DeleteActivity(r.Context(), c.actor(), c.scope, id); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/ledger?ok=deleted")
}

func (s *Server) ledgerRestore(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.st.RestoreActivity(r.Context(), c.actor(), c.scope, id); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=restored", id))
}

func (s *Server) fileUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, ok := s.activityFor(w, r, c)
	if !ok {
		return
	}
	if !store.CanWriteActivity(c.scope, a) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if err := s.parseForm(r); err != nil {
		s.renderActivity(w, r, c, a, "ledger_show", "附件过大或上传格式错误。")
		return
	}
	files, err := s.readUploads(r, "files", "report")
	if err == nil && len(files) == 0 {
		err = apperr.Rule("请选择要上传的文件")
	}
	if err != nil {
		s.renderActivity(w, r, c, a, "ledger_show", err.Error())
		return
	}
	for i := range files {
		if err := s.st.AddAttachment(r.Context(), c.actor(), c.scope, a.ID, &files[i].att, files[i].data); err != nil {
			s.httpError(w, r, c, err)
			return
		}
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
	w.Header().Set("Content-Type", att.Mime)
	// Served as a download: an uploaded file never renders as a page of ours.
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(att.Name))
	w.Header().Set("Content-Security-Policy", "sandbox")
	http.ServeContent(w, r, "", timeOf(att.CreatedAt), f)
}

func (s *Server) fileDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.st.RemoveAttachment(r.Context(), c.actor(), c.scope, id, formID(r.PathValue("fid"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=saved", id))
}
