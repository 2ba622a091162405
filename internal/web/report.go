package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/store"
)

// reportRequest reads kind, period, unit and subject from query or form
// values. The unit must be readable in full.
func (s *Server) reportRequest(c *reqCtx, v url.Values) (report.Request, error) {
	kind, err := report.ParseKind(v.Get("kind"))
	if err != nil {
		return report.Request{}, err
	}
	p, err := ledger.ParsePeriod(v.Get("period"))
	if err != nil {
		return report.Request{}, err
	}
	if err := kind.PeriodOK(p); err != nil {
		return report.Request{}, err
	}
	unitID := formID(v.Get("unit"))
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		return report.Request{}, store.ErrNotFound
	}
	req := report.Request{Kind: kind, UnitID: unitID, Period: p, LateDays: s.lateDays()}
	if kind == report.Shuzhi {
		req.SubjectID = formID(v.Get("subject"))
		if req.SubjectID == 0 {
			return req, apperr.Rule("述职报告须选择述职人")
		}
	}
	return req, nil
}

// build generates a report from current data with the unit's wording.
func (s *Server) buildReport(r *http.Request, c *reqCtx, req report.Request) (*report.Report, error) {
	w, err := s.st.ReportWording(r.Context(), req.UnitID, string(req.Kind))
	if err != nil {
		return nil, err
	}
	req.Wording = w
	return report.Build(r.Context(), s.st, c.scope, req)
}

func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, http.StatusBadRequest, "error", map[string]any{"Title": "无法生成报告", "Message": err.Error()})
}

// periodChoices suggests periods for the kind menu: recent half-years,
// years and months around today.
func periodChoices(year int) []ledger.Period {
	var out []ledger.Period
	for y := year; y >= year-2; y-- {
		for _, k := range []string{"H2", "H1", ""} {
			p, _ := ledger.ParsePeriod(strconv.Itoa(y) + k)
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) reportIndex(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	unitID := unitChoice(c, r)
	drafts, err := s.st.ReportDrafts(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	leaders, err := s.unitLeaders(r, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	now := s.now().In(cntime.Zone)
	def := ledger.HalfYearOf(now)
	if latest, err := s.st.LatestActivityDate(ctx, c.scope, unitID); err == nil && latest != "" && latest < def.From {
		def, _ = ledger.HalfYearOfDate(latest)
	}
	type draftRow struct {
		store.ReportDraft
		KindLabel, PeriodLabel string
	}
	var rows []draftRow
	for _, d := range drafts {
		k, _ := report.ParseKind(d.Kind)
		p, _ := ledger.ParsePeriod(d.Period)
		rows = append(rows, draftRow{d, k.Label(), p.Label})
	}
	type wordingRow struct {
		Kind      report.Kind
		Key, Text string
	}
	var wording []wordingRow
	for _, k := range report.Kinds {
		ws, err := s.st.ReportWording(ctx, unitID, string(k))
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		keys := make([]string, 0, len(ws))
		for key := range ws {
			keys = append(keys, key)
		}
		slices.Sort(keys)
		for _, key := range keys {
			wording = append(wording, wordingRow{k, key, ws[key]})
		}
	}
	s.render(w, r, c, "report_index", map[string]any{"Title": "报告", "Nav": "reports", "Kinds": report.Kinds, "Periods": periodChoices(now.Year()),
		"Default": def, "Units": units, "UnitID": unitID, "Leaders": leaders, "Drafts": rows, "Month": now.AddDate(0, -1, 0).Format("2006-01"),
		"Wording": wording, "CanWrite": slices.Contains(c.scope.WriteUnits, unitID)})
}

// reportWordingReset returns one paragraph of a report kind to the
// template's wording for the unit.
func (s *Server) reportWordingReset(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	unitID := formID(r.PostForm.Get("unit"))
	kind, err := report.ParseKind(r.PostForm.Get("kind"))
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	key := r.PostForm.Get("key")
	if err := s.st.SetReportWording(r.Context(), c.actor(), c.scope, unitID, string(kind), map[string]string{key: ""}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/reports?unit=%d&ok=saved", unitID))
}

func (s *Server) unitLeaders(r *http.Request, unitID int64) ([]org.User, error) {
	users, err := s.st.Users(r.Context(), []int64{unitID}, true)
	if err != nil {
		return nil, err
	}
	var out []org.User
	for _, u := range users {
		for _, g := range u.Grants {
			if g.Role.IsLeader() && g.UnitID == unitID {
				out = append(out, u)
				break
			}
		}
	}
	return out, nil
}

// reportNew generates a draft from the ledger, or opens the saved draft of
// the same report.
func (s *Server) reportNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	req, err := s.reportRequest(c, r.URL.Query())
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	d, err := s.st.FindReportDraft(r.Context(), c.scope, req.UnitID, string(req.Kind), req.Period.Key, req.SubjectID)
	if err == nil {
		redirect(w, r, fmt.Sprintf("/reports/%d", d.ID))
		return
	} else if !errors.Is(err, store.ErrNotFound) {
		s.httpError(w, r, c, err)
		return
	}
	rep, err := s.buildReport(r, c, req)
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	s.reportPage(w, r, c, http.StatusOK, reportView{Rep: rep, Req: req}, nil)
}

// reportView is what the report page shows.
type reportView struct {
	Rep      *report.Report
	Req      report.Request
	Draft    *store.ReportDraft
	Version  *store.ReportVersion
	Versions []store.ReportVersion
	Changes  []report.Change
	Errors   []string
	Edits    map[int]string // submitted texts to show again after an error
}

type viewSeg struct {
	Text  string
	Fig   *report.Figure
	Link  string
	Title string
}

type viewBlock struct {
	Index int
	Key   string
	Style string
	Segs  []viewSeg
	Rows  [][][]viewSeg
	Edit  string
	Auto  bool
}

// figureLink points at the records behind a figure: the provenance page of
// a saved version, or the ledger filter of fresh data.
func (v reportView) figureLink(f *report.Figure) string {
	if v.Draft != nil {
		return fmt.Sprintf("/reports/figure/%s?id=%d&v=%d", url.PathEscape(f.Key), v.Draft.ID, v.Version.Version)
	}
	q := url.Values{"kind": {string(v.Req.Kind)}, "period": {v.Req.Period.Key}, "unit": {strconv.FormatInt(v.Req.UnitID, 10)}}
	if v.Req.SubjectID != 0 {
		q.Set("subject", strconv.FormatInt(v.Req.SubjectID, 10))
	}
	return "/reports/figure/" + url.PathEscape(f.Key) + "?" + q.Encode()
}

func (s *Server) segments(v reportView, titles map[int64]string, text string) []viewSeg {
	var out []viewSeg
	for _, sg := range v.Rep.Segments(text) {
		if sg.Figure == nil {
			out = append(out, viewSeg{Text: sg.Text})
			continue
		}
		f := sg.Figure
		var b strings.Builder
		fmt.Fprintf(&b, "%s：%s", f.Label, f.Def)
		if f.Missing {
			b.WriteString("\n该数据暂无来源，请核实后填写。")
		} else {
			fmt.Fprintf(&b, "\n共 %d 条记录", len(f.IDs))
			for i, id := range f.IDs {
				if i == 8 {
					b.WriteString("\n……点击查看全部")
					break
				}
				if t, ok := titles[id]; ok {
					b.WriteString("\n· " + t)
				} else {
					fmt.Fprintf(&b, "\n· 记录 #%d", id)
				}
			}
		}
		out = append(out, viewSeg{Fig: f, Link: v.figureLink(f), Title: b.String()})
	}
	return out
}

// recordTitles names the ledger entries of the report's year up to the
// period end, for the figures' hover lists: one query.
func (s *Server) recordTitles(r *http.Request, c *reqCtx, rep *report.Report) (map[int64]string, error) {
	acts, _, err := s.st.ListActivities(r.Context(), c.scope, ledger.Filter{UnitID: rep.UnitID, From: rep.Period.Key[:4] + "-01-01", To: rep.Period.To})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(acts))
	for _, a := range acts {
		out[a.ID] = ledger.FormatDate(a.Date) + " " + a.Title
	}
	return out, nil
}

func (s *Server) canApprove(c *reqCtx, unitID int64) bool {
	for _, g := range c.user.Grants {
		if (g.Role == access.FirstResp || g.Role == access.DirectResp) && g.UnitID == unitID {
			return true
		}
	}
	return false
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, v reportView, extra map[string]any) {
	titles, err := s.recordTitles(r, c, v.Rep)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var blocks []viewBlock
	for i, b := range v.Rep.Blocks {
		vb := viewBlock{Index: i, Key: b.Key, Style: b.Style, Auto: strings.HasPrefix(b.Key, "auto.")}
		if b.Style == "table" {
			for _, row := range b.Rows {
				var cells [][]viewSeg
				for _, cell := range row {
					cells = append(cells, s.segments(v, titles, cell))
				}
				vb.Rows = append(vb.Rows, cells)
			}
		} else {
			vb.Segs = s.segments(v, titles, b.Text)
			vb.Edit = v.Rep.EditText(b.Text)
			if t, ok := v.Edits[i]; ok {
				vb.Edit = t
			}
		}
		blocks = append(blocks, vb)
	}
	var figs []viewSeg
	for _, f := range v.Rep.UsedFigures() {
		figs = append(figs, viewSeg{Fig: f, Link: v.figureLink(f), Title: f.Def})
	}
	hidden := url.Values{"kind": {string(v.Rep.Kind)}, "period": {v.Rep.Period.Key}, "unit": {strconv.FormatInt(v.Rep.UnitID, 10)}}
	if v.Rep.SubjectID != 0 {
		hidden.Set("subject", strconv.FormatInt(v.Rep.SubjectID, 10))
	}
	exportBase := "/reports/fresh/"
	exportQuery := "?" + hidden.Encode()
	if v.Draft != nil {
		exportBase = fmt.Sprintf("/reports/%d/", v.Draft.ID)
		exportQuery = fmt.Sprintf("?v=%d", v.Version.Version)
	}
	data := map[string]any{"Title": v.Rep.Title, "Nav": "reports", "R": v.Rep, "Blocks": blocks, "Figures": figs, "Draft": v.Draft,
		"Version": v.Version, "Versions": v.Versions, "Changes": v.Changes, "Errors": v.Errors, "Hidden": hidden,
		"KindLabel": v.Rep.Kind.Label(), "CanWrite": slices.Contains(c.scope.WriteUnits, v.Rep.UnitID),
		"ExportBase": exportBase, "ExportQuery": exportQuery, "LateDays": s.lateDays()}
	if v.Draft != nil {
		data["CanApprove"] = s.canApprove(c, v.Rep.UnitID) && v.Version.CreatedBy != c.user.ID && v.Draft.ApprovedVersion != v.Version.Version
		data["IsLatest"] = v.Version.Version == v.Draft.Latest
	}
	for k, x := range extra {
		data[k] = x
	}
	s.renderStatus(w, r, c, status, "report_view", data)
}

// loadSaved reads a draft and one version (?v=, default latest).
func (s *Server) loadSaved(r *http.Request, c *reqCtx, id int64, v int) (reportView, error) {
	ctx := r.Context()
	d, err := s.st.ReportDraft(ctx, c.scope, id)
	if err != nil {
		return reportView{}, err
	}
	ver, err := s.st.ReportVersion(ctx, c.scope, id, v)
	if err != nil {
		return reportView{}, err
	}
	rep, err := report.Decode(ver.Body)
	if err != nil {
		return reportView{}, err
	}
	req := report.Request{Kind: rep.Kind, UnitID: rep.UnitID, Period: rep.Period, SubjectID: rep.SubjectID, LateDays: s.lateDays()}
	return reportView{Rep: rep, Req: req, Draft: &d, Version: &ver}, nil
}

func (s *Server) reportShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	v, err := s.loadSaved(r, c, formID(r.PathValue("id")), formInt(r.URL.Query().Get("v")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if v.Versions, err = s.st.ReportVersions(r.Context(), c.scope, v.Draft.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	fresh, err := s.buildReport(r, c, v.Req)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	v.Changes = v.Rep.Changed(fresh)
	s.reportPage(w, r, c, http.StatusOK, v, nil)
}

// reportSave stores the edited text as a new version. "refresh" also
// takes the figures from current data; a plain save keeps the figures of
// the version that was edited, so numbers never change unseen.
func (s *Server) reportSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.badRequest(w, r, c, err)
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
	fresh, err := s.buildReport(r, c, req)
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	view := reportView{Rep: fresh, Req: req}
	d, err := s.st.FindReportDraft(ctx, c.scope, req.UnitID, string(req.Kind), req.Period.Key, req.SubjectID)
	switch {
	case err == nil:
		if view, err = s.loadSaved(r, c, d.ID, formInt(r.PostForm.Get("v"))); err != nil {
			s.httpError(w, r, c, err)
			return
		}
	case !errors.Is(err, store.ErrNotFound):
		s.httpError(w, r, c, err)
		return
	}
	rep := view.Rep
	refresh := r.PostForm.Get("action") == "refresh"
	if refresh {
		rep.Refresh(fresh)
	}
	var errs []string
	edits := map[int]string{}
	wording := map[string]string{}
	var kept []report.Block
	for i, b := range rep.Blocks {
		if b.Style == "table" {
			kept = append(kept, b)
			continue
		}
		raw, ok := r.PostForm["b"+strconv.Itoa(i)]
		if !ok {
			errs = append(errs, fmt.Sprintf("第 %d 段没有提交，请刷新页面后重试", i+1))
			continue
		}
		edits[i] = raw[0]
		text, err := rep.ParseEditText(raw[0])
		if err != nil {
			errs = append(errs, fmt.Sprintf("第 %d 段：%v", i+1, err))
			continue
		}
		if text == "" {
			if b.Style != "p" {
				errs = append(errs, fmt.Sprintf("第 %d 段：标题不能为空", i+1))
			}
			continue // an emptied paragraph is removed
		}
		b.Text = text
		if r.PostForm.Get("w"+strconv.Itoa(i)) == "1" && !strings.HasPrefix(b.Key, "auto.") {
			wording[b.Key] = rep.Generalise(text)
		}
		kept = append(kept, b)
	}
	title := strings.TrimSpace(r.PostForm.Get("title"))
	if title == "" {
		errs = append(errs, "标题不能为空")
	}
	if len(errs) > 0 {
		view.Errors, view.Edits = errs, edits
		s.reportPage(w, r, c, http.StatusUnprocessableEntity, view, nil)
		return
	}
	rep.Title, rep.Blocks = title, kept
	body, err := rep.Encode()
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	if refresh && note == "" {
		note = "从台账刷新数据"
	}
	id, _, err := s.st.SaveReportVersion(ctx, c.actor(), c.scope, store.ReportDraft{UnitID: req.UnitID, Kind: string(req.Kind),
		Period: req.Period.Key, SubjectID: req.SubjectID, Title: title}, body, note, wording)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/reports/%d?ok=saved", id))
}

func (s *Server) reportApprove(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	r.ParseForm()
	v := formInt(r.PostForm.Get("v"))
	err := s.st.ApproveReport(r.Context(), c.actor(), c.scope, id, v)
	switch {
	case errors.Is(err, store.ErrSelfApproval), errors.Is(err, store.ErrNotApprover):
		s.renderStatus(w, r, c, http.StatusForbidden, "error", map[string]any{"Title": "不能审批", "Message": err.Error()})
		return
	case err != nil:
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/reports/%d?v=%d&ok=approved", id, v))
}

// reportFigure lists the records behind one figure: those saved with a
// version (?id=&v=), or those of current data (?kind=&period=&unit=).
func (s *Server) reportFigure(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	q := r.URL.Query()
	var v reportView
	var err error
	if id := formID(q.Get("id")); id != 0 {
		v, err = s.loadSaved(r, c, id, formInt(q.Get("v")))
	} else {
		var req report.Request
		req, err = s.reportRequest(c, q)
		if err == nil {
			v.Req = req
			v.Rep, err = s.buildReport(r, c, req)
		}
	}
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	f := v.Rep.Figure(r.PathValue("key"))
	if f == nil {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	type rec struct {
		ID    int64
		Link  string
		Date  string
		Type  string
		Title string
		Gone  bool
	}
	var recs []rec
	for i, id := range f.IDs {
		if i == 500 {
			break
		}
		if f.Source == "info" {
			recs = append(recs, rec{ID: id, Link: f.RecordLink(id), Title: fmt.Sprintf("信息稿件 #%d", id)})
			continue
		}
		a, err := s.st.Activity(ctx, c.scope, id)
		if errors.Is(err, store.ErrNotFound) {
			recs = append(recs, rec{ID: id, Gone: true})
			continue
		} else if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		t, _ := ledger.TypeByCode(a.Type)
		recs = append(recs, rec{ID: id, Link: f.RecordLink(id), Date: a.Date, Type: t.Label, Title: a.Title, Gone: a.DeletedAt != 0})
	}
	back := "/reports/new?" + q.Encode()
	if v.Draft != nil {
		back = fmt.Sprintf("/reports/%d?v=%d", v.Draft.ID, v.Version.Version)
	}
	s.render(w, r, c, "report_figure", map[string]any{"Title": f.Label, "Nav": "reports", "F": f, "R": v.Rep, "Records": recs,
		"More": len(f.IDs) - len(recs), "Back": back, "Saved": v.Draft != nil})
}

func (s *Server) reportExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	v, err := s.loadSaved(r, c, formID(r.PathValue("id")), formInt(r.URL.Query().Get("v")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.exportReport(w, r, c, v)
}

func (s *Server) reportFreshExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	req, err := s.reportRequest(c, r.URL.Query())
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	rep, err := s.buildReport(r, c, req)
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	s.exportReport(w, r, c, reportView{Rep: rep, Req: req})
}

// exportReport writes the DOCX, the Excel workbook or the print page.
func (s *Server) exportReport(w http.ResponseWriter, r *http.Request, c *reqCtx, v reportView) {
	rep := v.Rep
	name := rep.Title
	if v.Version != nil {
		name = fmt.Sprintf("%s（第%d版）", rep.Title, v.Version.Version)
	}
	var buf bytes.Buffer
	switch r.PathValue("format") {
	case "docx":
		if err := rep.WriteDocx(&buf); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		reportDownload(w, name+".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buf.Bytes())
	case "xlsx":
		if err := rep.LoadAnnex(r.Context(), s.st, c.scope); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		scheme := "http://"
		if s.secure(r) {
			scheme = "https://"
		}
		if err := rep.WriteXlsx(&buf, scheme+r.Host); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		reportDownload(w, name+"-数据及台账附表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	case "print":
		type pblock struct {
			Style string
			Text  string
			Rows  [][]string
		}
		var blocks []pblock
		for _, b := range rep.Blocks {
			pb := pblock{Style: b.Style, Text: rep.Plain(b.Text)}
			for _, row := range b.Rows {
				var cells []string
				for _, cell := range row {
					cells = append(cells, rep.Plain(cell))
				}
				pb.Rows = append(pb.Rows, cells)
			}
			blocks = append(blocks, pb)
		}
		s.render(w, r, c, "report_print", map[string]any{"Title": rep.Title, "Nav": "reports", "R": rep, "Blocks": blocks})
	default:
		s.httpError(w, r, c, store.ErrNotFound)
	}
}

// reportDownload sends a file with a UTF-8 file name (RFC 5987).
func reportDownload(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// reportDistrict compares the units the caller reads in full (the district
// supervisor's view): the key figures of one report kind and period per
// unit, each linked to its records, and the summary workbook.
func (s *Server) reportDistrict(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	q := r.URL.Query()
	if q.Get("kind") == "" {
		q.Set("kind", string(report.HalfYear))
	}
	if q.Get("period") == "" {
		q.Set("period", ledger.HalfYearOf(s.now().In(cntime.Zone)).Key)
	}
	kind, err := report.ParseKind(q.Get("kind"))
	if err == nil && kind == report.Shuzhi {
		err = apperr.Rule("述职报告按人生成，没有各单位汇总")
	}
	var p ledger.Period
	if err == nil {
		p, err = ledger.ParsePeriod(q.Get("period"))
	}
	if err == nil {
		err = kind.PeriodOK(p)
	}
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	req := report.Request{Kind: kind, Period: p, LateDays: s.lateDays()}
	reps, err := report.Batch(ctx, s.st, c.scope, req, ids, 2, nil)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if r.URL.Query().Get("format") == "xlsx" {
		var buf bytes.Buffer
		title := fmt.Sprintf("%s各单位%s汇总", p.Label, kind.Label())
		if err := report.WriteSummary(&buf, title, reps); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		reportDownload(w, title+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
		return
	}
	var head []string
	for _, k := range report.SummaryKeys {
		if f := reps[0].Figure(k); f != nil {
			head = append(head, f.Label)
		}
	}
	type cell struct {
		Text, Link, Title string
		Missing           bool
	}
	type row struct {
		Unit  string
		Open  string
		Cells []cell
	}
	var rows []row
	for _, rep := range reps {
		open := url.Values{"kind": {string(kind)}, "period": {p.Key}, "unit": {strconv.FormatInt(rep.UnitID, 10)}}
		rw := row{Unit: rep.UnitName, Open: "/reports/new?" + open.Encode()}
		for _, k := range report.SummaryKeys {
			if f := rep.Figure(k); f != nil {
				rw.Cells = append(rw.Cells, cell{Text: f.Text(), Link: f.Link, Title: f.Def, Missing: f.Missing})
			}
		}
		rows = append(rows, rw)
	}
	s.render(w, r, c, "report_district", map[string]any{"Title": "各单位汇总", "Nav": "reports", "Kind": kind, "Kinds": report.Kinds,
		"Period": p, "Head": head, "Rows": rows, "XLSX": "/reports/district?" + url.Values{"kind": {string(kind)}, "period": {p.Key}, "format": {"xlsx"}}.Encode()})
}
