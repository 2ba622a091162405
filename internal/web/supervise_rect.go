package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
	"zhendi/internal/upload"
	"zhendi/internal/web/form"
)

// rectList is the rectification list (问题清单与整改台账) of a unit, or the
// caller's own items.
func (s *Server) rectList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	f := store.RectFilter{Status: r.URL.Query().Get("status")}
	if supervise.RectStatusLabel(f.Status) == f.Status {
		f.Status = ""
	}
	if len(c.scope.ReadUnits) > 0 {
		f.UnitID = unitChoice(c, r)
	}
	items, err := s.st.Rects(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var cfg supervise.RectConfig
	if f.UnitID != 0 {
		if cfg, err = s.st.RectConfig(ctx, f.UnitID); err != nil {
			s.httpError(w, r, c, err)
			return
		}
	}
	counts := map[string]int{}
	overdue := 0
	for _, it := range items {
		counts[it.Status]++
		if it.Overdue(s.today()) {
			overdue++
		}
	}
	s.render(w, r, c, "supervise_rect_list", map[string]any{"Title": "问题清单与整改台账", "Nav": "supervise", "Items": items, "UnitID": f.UnitID, "Units": units,
		"Status": f.Status, "Today": s.today(), "Counts": counts, "Overdue": overdue,
		"CanCreate": f.UnitID != 0 && supervise.CanCreateRect(c.scope, supervise.Rect{UnitID: f.UnitID, Source: "supervision"}),
		"Config":    cfg, "CanConfig": f.UnitID != 0 && supervise.CanManage(c.scope, f.UnitID),
		"Statuses": []string{supervise.RectOpen, supervise.RectDoing, supervise.RectReview, supervise.RectClosed}})
}

// rectXLSX downloads the rectification list (整改台账) as a workbook.
func (s *Server) rectXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	f := store.RectFilter{}
	if len(c.scope.ReadUnits) > 0 {
		f.UnitID = unitChoice(c, r)
	}
	items, err := s.st.Rects(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	header := []string{"序号", "问题描述", "问题来源", "责任科室", "责任人", "整改措施", "整改时限", "整改进展", "完成情况", "验收人", "销号时间", "备注"}
	widths := []float64{6, 40, 12, 14, 10, 36, 16, 30, 10, 10, 18, 20}
	var rows [][]string
	today := s.today()
	for i, it := range items {
		note := it.VerifyNote
		if it.Overdue(today) {
			note = strings.TrimSpace("已超过整改时限 " + note)
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), it.Title, it.SourceLabel(), it.OrgName, it.OwnerName, it.Measures, ledger.FormatDate(it.Deadline),
			it.Progress, it.StatusLabel(), it.VerifierName, fmtUnix(it.VerifiedAt), note})
	}
	data, err := xlsxTable("意识形态工作问题整改台账", header, widths, rows)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.RecordExport(ctx, c.actor(), c.user.UnitID, "rect.export", "rect", map[string]any{"rows": len(rows)}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, "整改台账-"+s.now().In(cntime.Zone).Format("20060102")+".xlsx", data)
}

// rectForm renders the form for a new problem.
func (s *Server) rectForm(w http.ResponseWriter, r *http.Request, c *reqCtx, it supervise.Rect, status int, errMsg string) {
	nodes, staff, err := s.unitPeople(r.Context(), it.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var depts []org.Node
	for _, n := range nodes {
		if n.Kind != org.Unit {
			depts = append(depts, n)
		}
	}
	s.renderStatus(w, r, c, status, "supervise_rect_form", map[string]any{"Title": "登记问题", "Nav": "supervise", "It": it, "Depts": depts, "Staff": staff,
		"Sources": supervise.RectSources, "Error": errMsg})
}

// rectNew opens the form: unit writers record 检查排查 problems, a supervisor
// from outside the unit 上级督查 ones.
func (s *Server) rectNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	it := supervise.Rect{UnitID: unitChoice(c, r), Source: "inspection", Deadline: s.now().In(cntime.Zone).AddDate(0, 1, 0).Format(cntime.DateLayout)}
	if !supervise.CanCreateRect(c.scope, it) {
		it.Source = "supervision"
		if !supervise.CanCreateRect(c.scope, it) {
			s.forbidden(w, r, c)
			return
		}
	}
	s.rectForm(w, r, c, it, http.StatusOK, "")
}

// rectCreate puts a problem on the unit's list.
func (s *Server) rectCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	it := form.Rect(r.PostForm)
	it.UnitID = form.ID(r.PostForm, "unit")
	if err := s.svc.CreateRect(r.Context(), c.actor(), c.scope, &it); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.rectForm(w, r, c, it, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rect/%d?ok=created", it.ID))
}

// rectShow is an item's page: its flow, evidence, history and forms.
func (s *Server) rectShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.rectPage(w, r, c, http.StatusOK, "")
}

// rectPage renders the item of the path with status and, after a refused
// change, the message.
func (s *Server) rectPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	ctx := r.Context()
	it, err := s.st.Rect(ctx, c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var staff []org.User
	var depts []org.Node
	full := slices.Contains(c.scope.WriteUnits, it.UnitID)
	if full {
		nodes, st, err := s.unitPeople(ctx, it.UnitID, c)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		staff = st
		for _, n := range nodes {
			if n.Kind != org.Unit {
				depts = append(depts, n)
			}
		}
	}
	hist, err := s.st.History(ctx, "rect", it.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	cfg, err := s.st.RectConfig(ctx, it.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// 阵地 (issue 18): the channel or inspection the item came from.
	chLink, _, err := s.st.RectChannelOf(ctx, it.UnitID, it.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	canEdit := supervise.CanEditRect(c.scope, it) && it.Status != supervise.RectClosed
	s.renderStatus(w, r, c, status, "supervise_rect_show", map[string]any{"Title": "整改事项", "Nav": "supervise", "It": it, "Error": errMsg, "Channel": chLink,
		"CanEdit": canEdit, "FullEdit": full && canEdit, "IsOwner": it.OwnerID == c.user.ID, "WorkedOn": it.WorkedOn(c.user.ID),
		"CanVerify":   supervise.CanVerifyRect(c.scope, it) && !it.WorkedOn(c.user.ID) && it.Status == supervise.RectReview,
		"OwnerFrozen": it.Status == supervise.RectReview, "EvidenceRule": cfg.EvidenceRule(),
		"Staff": staff, "Depts": depts, "Sources": supervise.RectSources, "Today": s.today(), "History": hist, "Accept": upload.Accept})
}

// rectUpdate edits an item (writers: everything; the owner: progress).
func (s *Server) rectUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	_, err := s.svc.UpdateRect(r.Context(), c.actor(), c.scope, id, form.Rect(r.PostForm))
	s.rectAfter(w, r, c, id, "saved", err)
}

// rectStep takes an item one step along 待整改 → 整改中 → 待验收 → 已销号.
func (s *Server) rectStep(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	step, note := form.RectStep(r.PostForm)
	_, err := s.svc.StepRect(r.Context(), c.actor(), c.scope, id, step, note)
	s.rectAfter(w, r, c, id, "saved", err)
}

// rectUpload adds evidence files to an item, all of them or none.
func (s *Server) rectUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	// Parsed here rather than by readForm: a file too large is answered
	// on the item's page, beside the upload form.
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, "文件过大或上传格式错误。")
		return
	}
	files, err := s.readUploads(r, "files")
	if err != nil {
		s.rectAfter(w, r, c, id, "", err)
		return
	}
	if len(files) == 0 {
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, "请选择要上传的整改佐证材料。")
		return
	}
	ups := make([]store.RectUpload, len(files))
	for i, f := range files {
		ups[i] = store.RectUpload{Name: f.att.Name, Mime: f.att.Mime, Data: f.data}
	}
	_, err = s.svc.AddRectEvidence(r.Context(), c.actor(), c.scope, id, ups)
	s.rectAfter(w, r, c, id, "uploaded", err)
}

// rectAfter answers a change of item id: on success back to its page
// saying ok, on a user error the page again with the message (422),
// otherwise the error page.
func (s *Server) rectAfter(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, ok string, err error) {
	if err == nil {
		redirect(w, r, fmt.Sprintf("/supervise/rect/%d?ok=%s", id, ok))
		return
	}
	msg, shown := s.userMessage(w, r, c, err)
	if !shown {
		return
	}
	s.rectPage(w, r, c, http.StatusUnprocessableEntity, msg)
}

// rectFile downloads an evidence file.
func (s *Server) rectFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f, fh, err := s.st.OpenRectFile(r.Context(), c.scope, formID(r.PathValue("id")), formID(r.PathValue("fid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer fh.Close()
	if !s.recordDownload(w, r, c, 0, "rect.file.download", "rect", formID(r.PathValue("id")), map[string]any{"file": f.ID, "name": f.Name, "size": f.Size}) {
		return
	}
	w.Header().Set("Content-Type", f.Mime)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "no-store")
	io.Copy(w, fh)
}

// rectConfigSave changes a unit's rectification settings (whether evidence
// files may be left out when submitting for verification).
func (s *Server) rectConfigSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	cfg := supervise.RectConfig{EvidenceOptional: r.PostForm.Get("evidence_optional") == "1"}
	if err := s.svc.SetRectConfig(r.Context(), c.actor(), c.scope, unitID, cfg); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rect?unit=%d&ok=saved", unitID))
}
