package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
	"zhendi/internal/web/form"
)

// channelsInspections lists a unit's 网络安全排查 and 阵地检查 with the form
// to start this quarter's.
func (s *Server) channelsInspections(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.inspectionsPage(w, r, c, unitChoice(c, r), http.StatusOK, "")
}

func (s *Server) inspectionsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string) {
	ctx := r.Context()
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	list, err := s.st.Inspections(ctx, c.scope, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	period, due := channel.Quarter(s.now())
	s.renderStatus(w, r, c, status, "channels_inspections", map[string]any{
		"Title": "检查排查", "Nav": "channels", "List": list, "UnitID": unitID, "Staff": staff, "Period": period, "Due": due,
		"Kinds": channel.InspKinds, "Today": cntime.Date(s.now()), "Error": errMsg, "CanWrite": supervise.CanManage(c.scope, unitID), "Me": c.user.ID,
	})
}

func (s *Server) inspectionCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	v := r.PostForm
	in := channel.Inspection{UnitID: form.ID(v, "unit"), Kind: channel.InspKind(form.Text(v, "kind")), Period: form.Text(v, "period"),
		InspectorID: form.ID(v, "inspector_id"), RespID: form.ID(v, "resp_id"), Note: form.Text(v, "note")}
	if !supervise.CanManage(c.scope, in.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	if err := s.svc.CreateInspection(r.Context(), c.actor(), c.scope, &in); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.inspectionsPage(w, r, c, in.UnitID, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/inspections/%d?ok=created", in.ID))
}

// inspectionShow is one inspection: every item with its result, evidence
// and rectification item, the upload form and the signatures.
func (s *Server) inspectionShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.inspectionPage(w, r, c, formID(r.PathValue("id")), http.StatusOK, "")
}

func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, status int, errMsg string) {
	in, err := s.st.Inspection(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	done, failed := in.Progress()
	files := map[int64][]channel.InspFile{}
	for _, f := range in.Files {
		files[f.ItemID] = append(files[f.ItemID], f)
	}
	canRecord := in.CanRecord() && (slices.Contains(c.scope.WriteUnits, in.UnitID) || in.InspectorID == c.user.ID)
	s.renderStatus(w, r, c, status, "channels_inspection", map[string]any{
		"Title": channel.PeriodLabel(in.Period) + in.Kind.Label(), "Nav": "channels", "In": in, "Done": done, "Failed": failed, "Files": files, "General": files[0],
		"CanRecord": canRecord, "CanUpload": slices.Contains(c.scope.WriteUnits, in.UnitID) || in.InspectorID == c.user.ID,
		"Error": errMsg, "Me": c.user.ID, "Today": cntime.Date(s.now()),
	})
}

func (s *Server) inspectionResult(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	err := s.svc.SetInspectionResult(r.Context(), c.actor(), c.scope, id, formID(r.PathValue("iid")), form.Text(r.PostForm, "result"), form.Text(r.PostForm, "note"))
	s.inspectionAfter(w, r, c, id, "saved", err)
}

func (s *Server) inspectionAfter(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, ok string, err error) {
	if err == nil {
		redirect(w, r, fmt.Sprintf("/inspections/%d?ok=%s", id, ok))
		return
	}
	msg, isUser := s.userMessage(w, r, c, err)
	if !isUser {
		return
	}
	s.inspectionPage(w, r, c, id, http.StatusUnprocessableEntity, msg)
}

func (s *Server) inspectionUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.inspectionPage(w, r, c, id, http.StatusUnprocessableEntity, "文件过大或上传格式错误。")
		return
	}
	files, err := s.readUploads(r, "files")
	if err != nil {
		s.inspectionAfter(w, r, c, id, "", err)
		return
	}
	ups := make([]store.RectUpload, len(files))
	for i, f := range files {
		ups[i] = store.RectUpload{Name: f.att.Name, Mime: f.att.Mime, Data: f.data}
	}
	err = s.svc.AddInspectionFiles(r.Context(), c.actor(), c.scope, id, form.ID(r.MultipartForm.Value, "item"), ups)
	s.inspectionAfter(w, r, c, id, "uploaded", err)
}

func (s *Server) inspectionFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	f, fh, err := s.st.OpenInspectionFile(r.Context(), c.scope, id, formID(r.PathValue("fid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer fh.Close()
	in, err := s.st.Inspection(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, in.UnitID, "channel.inspection.file.download", "channel_inspection", id, map[string]any{"file": f.ID, "name": f.Name, "size": f.Size}) {
		return
	}
	w.Header().Set("Content-Type", f.Mime)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "no-store")
	io.Copy(w, fh)
}

func (s *Server) inspectionSign(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	s.inspectionAfter(w, r, c, id, "signed", s.svc.SignInspection(r.Context(), c.actor(), c.scope, id))
}

// channelsChecklist shows and edits a unit's checklists.
func (s *Server) channelsChecklist(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.checklistPage(w, r, c, unitChoice(c, r), http.StatusOK, "")
}

func (s *Server) checklistPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string) {
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	lists := map[channel.InspKind][]channel.ChecklistItem{}
	for _, k := range channel.InspKinds {
		l, err := s.st.Checklist(r.Context(), unitID, k)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		lists[k] = l
	}
	s.renderStatus(w, r, c, status, "channels_checklist", map[string]any{
		"Title": "检查清单", "Nav": "channels", "Lists": lists, "Kinds": channel.InspKinds, "ChannelKinds": channel.Kinds, "UnitID": unitID,
		"CanWrite": supervise.CanManage(c.scope, unitID), "Error": errMsg,
	})
}

func (s *Server) checklistAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	v := r.PostForm
	it := channel.ChecklistItem{UnitID: form.ID(v, "unit"), Kind: channel.InspKind(form.Text(v, "kind")), Text: form.Text(v, "text"), Auto: form.Text(v, "auto")}
	for _, k := range v["kinds"] {
		if channel.Kind(k).Valid() {
			it.Kinds = append(it.Kinds, channel.Kind(k))
		}
	}
	if err := s.svc.AddChecklistItem(r.Context(), c.actor(), c.scope, &it); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.checklistPage(w, r, c, it.UnitID, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/inspections/checklist?unit=%d&ok=saved", it.UnitID))
}

func (s *Server) checklistRetire(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	v := r.PostForm
	unitID := form.ID(v, "unit")
	if err := s.svc.RetireChecklistItem(r.Context(), c.actor(), c.scope, unitID, channel.InspKind(form.Text(v, "kind")), form.ID(v, "id"), form.Text(v, "text")); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/inspections/checklist?unit=%d&ok=saved", unitID))
}
