package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// The report pages: the menu (/reports), a report generated from current
// data (/reports/new), a saved version (/reports/{id}) and the records
// behind one figure (/reports/figure/{key}). Saving and approving are in
// report_save.go, downloads in report_export.go, the units' comparison in
// report_district.go.

// reportRequest reads kind, period, unit and subject from query or form
// values. The unit must be readable in full.
func (s *Server) reportRequest(c *reqCtx, v url.Values) (report.Request, error) {
	f := form.ParseReportRequest(v)
	kind, err := report.ParseKind(f.Kind)
	if err != nil {
		return report.Request{}, err
	}
	p, err := ledger.ParsePeriod(f.Period)
	if err != nil {
		return report.Request{}, err
	}
	if err := kind.PeriodOK(p); err != nil {
		return report.Request{}, err
	}
	unitID := f.Unit
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		return report.Request{}, apperr.ErrNotFound
	}
	req := report.Request{Kind: kind, UnitID: unitID, Period: p, LateDays: s.lateDays()}
	if kind == report.Shuzhi {
		req.SubjectID = f.Subject
		if req.SubjectID == 0 {
			return req, apperr.Rule("述职报告须选择述职人")
		}
	}
	return req, nil
}

// badRequest answers a report that cannot be generated as asked — a kind,
// period or 述职 subject that does not fit — with 400 and the reason; any
// other error (not found, the database) goes to httpError.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	s.renderStatus(w, r, c, http.StatusBadRequest, "error", map[string]any{"Title": "无法生成报告", "Message": msg})
}

// recentMonths are the n months before now's, newest first: the choices
// of the period picker for the monthly bulletin.
func recentMonths(now time.Time, n int) []ledger.Period {
	var out []ledger.Period
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	for i := 1; i <= n; i++ {
		p, _ := ledger.ParsePeriod(first.AddDate(0, -i, 0).Format("2006-01"))
		out = append(out, p)
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
	def, err := s.latestHalfYear(ctx, c, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	month := now.AddDate(0, -1, 0).Format("2006-01")
	if def.To[:7] < month {
		month = def.To[:7]
		if latest, err := s.st.LatestActivityDate(ctx, c.scope, unitID); err == nil && len(latest) >= 7 && latest[:7] < month {
			month = latest[:7]
		}
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
	s.render(w, r, c, "report_index", map[string]any{"Title": "报告", "Nav": "reports", "Kinds": report.Kinds, "Periods": recentPeriods(now.Year()), "Months": recentMonths(now, 24),
		"Default": def, "Units": units, "UnitID": unitID, "Leaders": leaders, "Drafts": rows, "Month": month,
		"Wording": wording, "CanWrite": slices.Contains(c.scope.WriteUnits, unitID)})
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
	} else if !errors.Is(err, apperr.ErrNotFound) {
		s.httpError(w, r, c, err)
		return
	}
	rep, err := s.svc.BuildReport(r.Context(), c.scope, req)
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
	// Stale are figures of an older template that today's no longer
	// computes; a refresh keeps their saved values.
	Stale  []*report.Figure
	Errors []string
	Edits  map[int]string // submitted texts to show again after an error
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
	Chart *Chart // a chart block, drawn by ECharts; its table follows
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

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, v reportView, extra map[string]any) {
	titles, err := s.recordTitles(r, c, v.Rep)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var blocks []viewBlock
	for i, b := range v.Rep.Blocks {
		vb := viewBlock{Index: i, Key: b.Key, Style: b.Style, Auto: strings.HasPrefix(b.Key, "auto.")}
		if b.Style == "chart" {
			if b.Chart == nil {
				continue
			}
			vb.Chart = reportChart(i, *b.Chart, v.Rep.Plain(b.Text))
		} else if b.Style == "table" {
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
		"Version": v.Version, "Versions": v.Versions, "Changes": v.Changes, "Stale": v.Stale, "Errors": v.Errors, "Hidden": hidden,
		"KindLabel": v.Rep.Kind.Label(), "CanWrite": slices.Contains(c.scope.WriteUnits, v.Rep.UnitID),
		"ExportBase": exportBase, "ExportQuery": exportQuery, "LateDays": s.lateDays(),
		"DocDate": s.docDateForm(exportBase + "docx" + exportQuery)}
	for _, b := range blocks {
		if b.Chart != nil {
			data["Charts"] = true // loads ECharts
		}
	}
	if v.Draft != nil {
		data["CanApprove"] = report.CheckApproval(c.user, v.Rep.UnitID, v.Version.CreatedBy) == nil && v.Draft.ApprovedVersion != v.Version.Version
		data["IsLatest"] = v.Version.Version == v.Draft.Latest
	}
	for k, x := range extra {
		data[k] = x
	}
	s.renderStatus(w, r, c, status, "report_view", data)
}

// loadSaved reads a draft and one version (?v=, default latest).
func (s *Server) loadSaved(r *http.Request, c *reqCtx, id int64, v int) (reportView, error) {
	saved, err := s.svc.SavedReport(r.Context(), c.scope, id, v)
	if err != nil {
		return reportView{}, err
	}
	return savedView(saved, s.lateDays()), nil
}

// savedView is the page of a saved version; Req names the same report
// built from current data.
func savedView(saved service.SavedReport, lateDays int) reportView {
	rep := saved.Report
	req := report.Request{Kind: rep.Kind, UnitID: rep.UnitID, Period: rep.Period, SubjectID: rep.SubjectID, LateDays: lateDays}
	return reportView{Rep: rep, Req: req, Draft: &saved.Draft, Version: &saved.Version}
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
	fresh, err := s.svc.BuildReport(r.Context(), c.scope, v.Req)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	v.Changes = v.Rep.Changed(fresh)
	v.Stale = v.Rep.Stale(fresh)
	s.reportPage(w, r, c, http.StatusOK, v, nil)
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
			v.Rep, err = s.svc.BuildReport(ctx, c.scope, req)
		}
	}
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	f := v.Rep.Figure(r.PathValue("key"))
	if f == nil {
		s.httpError(w, r, c, apperr.ErrNotFound)
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
		if what, ok := figureRecordNoun[f.Source]; ok {
			// Not a ledger record: looking the id up as an activity
			// would show an unrelated 台账 (or "deleted") under this figure.
			recs = append(recs, rec{ID: id, Link: f.RecordLink(id), Title: fmt.Sprintf("%s #%d", what, id)})
			continue
		}
		a, err := s.st.Activity(ctx, c.scope, id)
		if errors.Is(err, apperr.ErrNotFound) {
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

// figureRecordNoun names the records of a figure whose ids are not ledger
// activities ("ledger" and "derived" figures list 台账).
var figureRecordNoun = map[string]string{
	"info":               "信息稿件",
	"opinion":            "舆情事件",
	"incident":           "舆情处置",
	"channel":            "阵地",
	"channel_inspection": "检查排查",
	"channel_finding":    "阵地问题",
}

// latestHalfYear is the period the home page, the report menu and 补记情况
// open on: the latest half-year with a substantial share of the unit's
// records (ledger.DefaultHalfYear), so a unit whose ledger ends earlier
// (the demo's 2023) does not open on an empty half-year, nor on one that
// holds only a few imported entries.
func (s *Server) latestHalfYear(ctx context.Context, c *reqCtx, unitID int64) (ledger.Period, error) {
	current := ledger.HalfYearOf(s.now().In(cntime.Zone))
	counts, err := s.st.CountByHalfYear(ctx, c.scope, unitID)
	if err != nil {
		return current, err
	}
	return ledger.DefaultHalfYear(counts, current), nil
}
