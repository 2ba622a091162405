package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/notify"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
	"zhendi/internal/upload"
)

func (s *Server) today() string { return s.now().In(cntime.Zone).Format(cntime.DateLayout) }

// supYear is the year asked for, else the current year — unless the
// caller's unit has recorded nothing this year or last (a dormant install or
// the 2023 demo), when the year of its newest entry is more useful.
func (s *Server) supYear(r *http.Request, c *reqCtx) int {
	if r.URL.Query().Get("year") != "" {
		return s.yearParam(r)
	}
	year := s.now().In(cntime.Zone).Year()
	unitID := unitChoice(c, r)
	latest, err := s.st.LatestActivityDate(r.Context(), c.scope, unitID)
	if err != nil || len(latest) < 4 {
		return year
	}
	if y, err := strconv.Atoi(latest[:4]); err == nil && y < year-1 {
		return y
	}
	return year
}

// supDashboard is the unit dashboard: every obligation with its traffic
// light, drilling down to the records counted or to what is missing.
func (s *Server) supDashboard(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		redirect(w, r, "/supervise/my")
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	year := s.supYear(r, c)
	all, err := s.svc.Compliance(ctx, c.scope, []int64{unitID}, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	uc := all[unitID]
	if uc == nil {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	stored, err := s.st.RuleVersions(ctx, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "supervise_dashboard", map[string]any{
		"Title": fmt.Sprintf("%d年 督导: %s", year, uc.Unit.Name), "Nav": "supervise", "Year": year, "UnitID": unitID, "Units": units,
		"C": uc, "Presets": len(stored[unitID]) == 0, "CanWrite": slices.Contains(c.scope.WriteUnits, unitID), "Today": s.today(),
	})
}

// mine is the person view: obligations the user answers for, own
// rectification items and notifications.
func (s *Server) supMine(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	year := s.supYear(r, c)
	today := s.today()
	var mine []supervise.Result
	if c.user.UnitID != 0 {
		// Counting for one's own obligations needs the unit's ledger even
		// when the person may not read every entry: only the counts are shown.
		full := c.scope
		full.ReadUnits = []int64{c.user.UnitID}
		all, err := s.svc.Compliance(ctx, full, []int64{c.user.UnitID}, year)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		var results []supervise.Result
		if uc := all[c.user.UnitID]; uc != nil {
			results = uc.Results
		}
		for _, res := range results {
			resp := res.Subject.Resp
			if res.Subject.Kind == supervise.SubjectUnit && res.Rule.RespUserID != 0 {
				resp = []int64{res.Rule.RespUserID}
			}
			if !slices.Contains(resp, c.user.ID) || res.Status == supervise.Upcoming {
				continue
			}
			if res.Status == supervise.Done && !(res.Period.From <= today && today <= res.Period.To) {
				continue
			}
			mine = append(mine, res)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool {
		if mine[i].Status != mine[j].Status {
			return mine[i].Status > mine[j].Status
		}
		return mine[i].Deadline < mine[j].Deadline
	})
	rects, err := s.st.Rects(ctx, c.scope, store.RectFilter{Owner: c.user.ID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	notes, unread, err := s.st.Notifications(ctx, c.user.ID, 30)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "supervise_my", map[string]any{"Title": "我的任务", "Nav": "supervise", "Year": year, "Results": mine,
		"Rects": rects, "Notes": notes, "Unread": unread, "Today": today, "CanReadUnit": len(c.scope.ReadUnits) > 0})
}

func (s *Server) supMarkRead(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := s.st.MarkNotificationsRead(r.Context(), c.user.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/supervise/my")
}

// supRollup is the district matrix: units × obligations.
type supRollup struct {
	Year    int
	Keys    []string
	Names   map[string]string
	Units   []*supervise.UnitCompliance
	Sort    string
	Behind  int
	AllDone int
}

func (s *Server) supRollupOf(ctx context.Context, c *reqCtx, r *http.Request) (supRollup, error) {
	year := s.supYear(r, c)
	ro := supRollup{Year: year, Names: map[string]string{}, Sort: r.URL.Query().Get("sort")}
	all, err := s.svc.Compliance(ctx, c.scope, c.scope.ReadUnits, year)
	if err != nil {
		return ro, err
	}
	for _, p := range supervise.Presets(0, supervise.PresetValidFrom) {
		ro.Keys = append(ro.Keys, p.Key)
		ro.Names[p.Key] = p.Name
	}
	for _, uc := range all {
		ro.Units = append(ro.Units, uc)
		for _, l := range uc.Lines {
			if _, ok := ro.Names[l.Key]; !ok {
				ro.Keys = append(ro.Keys, l.Key)
				ro.Names[l.Key] = l.Name
			}
		}
		if uc.Red+uc.Amber > 0 {
			ro.Behind++
		}
	}
	byName := func(a, b *supervise.UnitCompliance) bool {
		return a.Unit.Name < b.Unit.Name || (a.Unit.Name == b.Unit.Name && a.Unit.ID < b.Unit.ID)
	}
	switch {
	case ro.Sort == "name":
		sort.Slice(ro.Units, func(i, j int) bool { return byName(ro.Units[i], ro.Units[j]) })
	case ro.Names[ro.Sort] != "":
		k := ro.Sort
		sort.Slice(ro.Units, func(i, j int) bool {
			a, b := ro.Units[i].Cell(k).Worst, ro.Units[j].Cell(k).Worst
			if a != b {
				return a > b
			}
			return byName(ro.Units[i], ro.Units[j])
		})
	default:
		ro.Sort = "risk"
		sort.Slice(ro.Units, func(i, j int) bool {
			if ro.Units[i].Risk != ro.Units[j].Risk {
				return ro.Units[i].Risk > ro.Units[j].Risk
			}
			return byName(ro.Units[i], ro.Units[j])
		})
	}
	return ro, nil
}

func (s *Server) supDistrict(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ro, err := s.supRollupOf(r.Context(), c, r)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "supervise_district", map[string]any{"Title": fmt.Sprintf("%d年 各单位意识形态工作责任制落实情况", ro.Year), "Nav": "supervise", "R": ro, "Year": ro.Year})
}

// xlsxTable writes a titled table in the ledger export's style.
func xlsxTable(title string, header []string, widths []float64, rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	titleSt, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	headSt, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	bodySt, err := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	f.MergeCell(sheet, "A1", last+"1")
	f.SetCellStr(sheet, "A1", title)
	f.SetCellStyle(sheet, "A1", last+"1", titleSt)
	f.SetRowHeight(sheet, 1, 30)
	for i, h := range header {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetCellStr(sheet, col+"2", h)
		if i < len(widths) {
			f.SetColWidth(sheet, col, col, widths[i])
		}
	}
	f.SetCellStyle(sheet, "A2", last+"2", headSt)
	for ri, row := range rows {
		for ci, v := range row {
			cell, _ := excelize.CoordinatesToCellName(ci+1, ri+3)
			if n, err := strconv.Atoi(v); err == nil && len(v) < 10 {
				f.SetCellInt(sheet, cell, int64(n))
			} else {
				f.SetCellStr(sheet, cell, v)
			}
		}
	}
	if len(rows) > 0 {
		f.SetCellStyle(sheet, "A3", fmt.Sprintf("%s%d", last, len(rows)+2), bodySt)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func cellText(l supervise.Line) string {
	if len(l.Results) == 0 {
		return "—"
	}
	return l.Worst.Label() + " " + l.Summary()
}

func (s *Server) supDistrictXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ro, err := s.supRollupOf(r.Context(), c, r)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	header := []string{"序号", "单位", "风险分"}
	widths := []float64{6, 28, 8}
	for _, k := range ro.Keys {
		header = append(header, ro.Names[k])
		widths = append(widths, 16)
	}
	var rows [][]string
	for i, uc := range ro.Units {
		row := []string{strconv.Itoa(i + 1), uc.Unit.Name, strconv.Itoa(uc.Risk)}
		for _, k := range ro.Keys {
			row = append(row, cellText(uc.Cell(k)))
		}
		rows = append(rows, row)
	}
	data, err := xlsxTable(fmt.Sprintf("%d年各单位意识形态工作责任制落实情况(截至%s)", ro.Year, ledger.FormatDate(s.today())), header, widths, rows)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.st.Audit(r.Context(), c.actor(), c.user.UnitID, "supervise.export", "rollup", 0, map[string]any{"year": ro.Year, "units": len(rows)})
	sendXLSX(w, fmt.Sprintf("督导汇总-%d.xlsx", ro.Year), data)
}

// circular is the 通报 built from the roll-up: who is behind on what.
type circular struct {
	Title   string
	Date    string
	Intro   string
	Units   int
	Behind  []circularUnit
	Good    []string
	Table   [][]string
	Header  []string
	Closing string
}

type circularUnit struct {
	Name  string
	Items []string
}

// circGroup is one party named in a circular with its results.
type circGroup struct {
	Name    string
	Results []supervise.Result
}

// buildCircular lists, per group, what is behind; noun is 单位 or 科室(支部).
func (s *Server) buildCircular(title, noun string, year int, groups []circGroup, closing string) circular {
	ci := circular{Title: title, Date: ledger.FormatDate(s.today()), Units: len(groups),
		Header: []string{"序号", noun, "未完成", "已逾期", "有风险"}, Closing: closing}
	for _, g := range groups {
		var items []string
		var missed, overdue, risk int
		for _, res := range supervise.Shortfalls(g.Results) {
			items = append(items, fmt.Sprintf("%s%s%s: 应%d%s, 实际%d%s(截止%s, %s)", res.Subject.Name, res.Period.Label, res.Rule.Name,
				res.Required, res.Unit(), res.Count, res.Unit(), ledger.FormatDate(res.Deadline), res.Status.Label()))
			switch res.Status {
			case supervise.Missed:
				missed++
			case supervise.Overdue:
				overdue++
			case supervise.AtRisk:
				risk++
			}
		}
		if len(items) == 0 {
			ci.Good = append(ci.Good, g.Name)
			continue
		}
		ci.Behind = append(ci.Behind, circularUnit{Name: g.Name, Items: items})
		ci.Table = append(ci.Table, []string{strconv.Itoa(len(ci.Table) + 1), g.Name, strconv.Itoa(missed), strconv.Itoa(overdue), strconv.Itoa(risk)})
	}
	ci.Intro = fmt.Sprintf("根据意识形态工作责任制有关规定, 依据“阵地”系统中登记的工作台账, 对%d个%s%d年度意识形态工作责任制落实情况进行了督导。截至%s, %d个%s各项任务按进度落实, %d个%s存在未完成、已逾期或有风险的事项。现将有关情况通报如下。",
		len(groups), noun, year, ci.Date, len(ci.Good), noun, len(ci.Behind), noun)
	return ci
}

// circularFor builds the district circular from the roll-up or, with a
// unit parameter, a unit's circular on its departments, branches and leaders.
func (s *Server) circularFor(ctx context.Context, c *reqCtx, r *http.Request) (circular, int, error) {
	year := s.supYear(r, c)
	if r.URL.Query().Get("unit") != "" {
		unitID := unitChoice(c, r)
		all, err := s.svc.Compliance(ctx, c.scope, []int64{unitID}, year)
		if err != nil {
			return circular{}, year, err
		}
		uc := all[unitID]
		if uc == nil {
			return circular{}, year, store.ErrNotFound
		}
		var groups []circGroup
		idx := map[string]int{}
		for _, res := range uc.Results {
			if res.Status == supervise.Upcoming {
				continue
			}
			name := res.Subject.Name
			if res.Subject.Kind == supervise.SubjectUnit {
				name = "局机关(本单位)"
			}
			i, ok := idx[name]
			if !ok {
				i = len(groups)
				idx[name] = i
				groups = append(groups, circGroup{Name: name})
			}
			groups[i].Results = append(groups[i].Results, res)
		}
		return s.buildCircular(fmt.Sprintf("关于%s%d年度意识形态工作责任制落实情况的通报", uc.Unit.Name, year), "科室(支部)", year, groups,
			"请上述科室(支部)和责任人对照问题清单抓紧整改, 按时补齐任务, 整改情况报局意识形态工作领导小组办公室。"), year, nil
	}
	ro, err := s.supRollupOf(ctx, c, r)
	if err != nil {
		return circular{}, year, err
	}
	groups := make([]circGroup, len(ro.Units))
	for i, uc := range ro.Units {
		groups[i] = circGroup{Name: uc.Unit.Name, Results: uc.Results}
	}
	return s.buildCircular(fmt.Sprintf("关于%d年度意识形态工作责任制落实情况的通报", ro.Year), "单位", ro.Year, groups,
		"请上述单位对照问题清单认真整改, 明确责任人和整改时限, 于通报印发之日起30日内将整改情况报区委宣传部。各单位要举一反三, 把意识形态工作责任制落实到日常工作中, 确保各项任务按时保质完成。"), ro.Year, nil
}

func (s *Server) supCircular(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ci, year, err := s.circularFor(r.Context(), c, r)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "supervise_circular", map[string]any{"Title": ci.Title, "Nav": "supervise", "Ci": ci, "Year": year, "DocxURL": "/supervise/circular.docx?" + r.URL.Query().Encode()})
}

func (s *Server) supCircularDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ci, year, err := s.circularFor(r.Context(), c, r)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	d := docx.Doc{Title: ci.Title, Blocks: []docx.Block{docx.Para{Text: ci.Intro}}}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "一、总体情况"})
	if len(ci.Good) > 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "各项任务按进度落实的: " + strings.Join(ci.Good, "、") + "。"})
	}
	if len(ci.Table) > 0 {
		d.Blocks = append(d.Blocks, docx.Table{Header: ci.Header, Rows: ci.Table, Widths: []int{3, 14, 4, 4, 4}})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "二、存在的问题"})
	if len(ci.Behind) == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "各项意识形态工作责任制任务均已按进度完成。"})
	}
	for i, u := range ci.Behind {
		d.Blocks = append(d.Blocks, docx.Heading{Level: 2, Text: fmt.Sprintf("（%s）%s", chineseNum(i+1), u.Name)})
		for j, it := range u.Items {
			d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("%d. %s。", j+1, it)})
		}
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "三、有关要求"}, docx.Para{Text: ci.Closing})
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.st.Audit(r.Context(), c.actor(), c.user.UnitID, "supervise.circular", "rollup", 0, map[string]any{"year": year, "behind": len(ci.Behind), "query": r.URL.RawQuery})
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("通报-%d.docx", year)))
	w.Write(buf.Bytes())
}

func chineseNum(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 10:
		return d[n]
	case n < 20:
		return "十" + d[n-10]
	case n < 100:
		return d[n/10] + "十" + d[n%10]
	}
	return strconv.Itoa(n)
}

// ---- rules ----

func (s *Server) supRules(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.rulesPage(w, r, c, http.StatusOK, "", supervise.Rule{})
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, draft supervise.Rule) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	if draft.UnitID != 0 {
		unitID = draft.UnitID
	}
	eff, err := s.st.EffectiveRules(ctx, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	stored, err := s.st.RuleVersions(ctx, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	today := s.today()
	var current []supervise.Rule
	for _, rl := range eff[unitID] {
		if rl.InForce(today) {
			current = append(current, rl)
		}
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
	if draft.Subject == "" {
		draft = supervise.Rule{Subject: supervise.SubjectUnit, Type: ledger.TopicStudy, Count: 1, Period: supervise.Yearly, GraceDays: 15, RemindDays: 30}
	}
	names := map[int64]string{}
	for _, u := range staff {
		names[u.ID] = u.Name
	}
	s.renderStatus(w, r, c, status, "supervise_rules", map[string]any{"Title": "督导规则", "Nav": "supervise", "UnitID": unitID, "Units": units,
		"Current": current, "History": stored[unitID], "Presets": len(stored[unitID]) == 0, "Staff": staff, "Names": names,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID), "Types": ledger.Types, "Topics": ledger.RequiredTopics, "Draft": draft, "Error": errMsg,
		"Subjects": []string{supervise.SubjectUnit, supervise.SubjectDepartment, supervise.SubjectBranch, supervise.SubjectLeader},
		"Periods":  []string{supervise.Monthly, supervise.Quarterly, supervise.HalfYear, supervise.Yearly}, "Today": today})
}

func (s *Server) supRuleSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	f := r.PostForm
	rl := supervise.Rule{UnitID: formID(f.Get("unit")), Key: strings.TrimSpace(f.Get("key")), Name: f.Get("name"), Subject: f.Get("subject"),
		Type: f.Get("type"), Topic: f.Get("topic"), Count: formInt(f.Get("count")), Period: f.Get("period"), PerPlan: f.Get("per_plan") == "1",
		DueMonth: formInt(f.Get("due_month")), GraceDays: formInt(f.Get("grace_days")), RemindDays: formInt(f.Get("remind_days")),
		RespUserID: formID(f.Get("resp")), Note: strings.TrimSpace(f.Get("note"))}
	if !slices.Contains(c.scope.WriteUnits, rl.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if _, err := s.st.SaveRule(r.Context(), c.actor(), c.scope, rl, s.today()); err != nil {
		if s.unlessUserError(w, r, c, err) {
			return
		}
		s.rulesPage(w, r, c, http.StatusUnprocessableEntity, err.Error(), rl)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rules?unit=%d&ok=saved", rl.UnitID))
}

func (s *Server) supRuleRetire(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	unitID := formID(r.PostForm.Get("unit"))
	if err := s.st.RetireRule(r.Context(), c.actor(), c.scope, unitID, r.PostForm.Get("key"), s.today()); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rules?unit=%d&ok=retired", unitID))
}

// ---- channels ----

func (s *Server) supChannels(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.channelsPage(w, r, c, unitChoice(c, r), http.StatusOK, "", nil)
}

func (s *Server) channelsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string, draft *notify.Settings) {
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	ns, err := s.st.NotifySettings(ctx, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if draft != nil {
		ns = *draft
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ids := make([]int64, len(staff))
	for i, u := range staff {
		ids[i] = u.ID
	}
	emails, err := s.st.ContactEmails(ctx, ids)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	log, err := s.st.Deliveries(ctx, []int64{unitID}, 100)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "supervise_channels", map[string]any{"Title": "提醒渠道与发送记录", "Nav": "supervise", "UnitID": unitID,
		"S": ns, "Staff": staff, "Emails": emails, "Log": log, "Error": errMsg, "HasPass": ns.SMTPPass != "", "HasSecret": ns.DingTalkSecret != ""})
}

func (s *Server) supChannelsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	f := r.PostForm
	unitID := formID(f.Get("unit"))
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	old, err := s.st.NotifySettings(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ns := notify.Settings{UnitID: unitID, InApp: f.Get("inapp") == "1", Email: f.Get("email") == "1", SMTPHost: f.Get("smtp_host"),
		SMTPPort: formInt(f.Get("smtp_port")), SMTPUser: strings.TrimSpace(f.Get("smtp_user")), SMTPPass: f.Get("smtp_pass"), SMTPFrom: f.Get("smtp_from"),
		WeComURL: f.Get("wecom_url"), DingTalkURL: f.Get("dingtalk_url"), DingTalkSecret: f.Get("dingtalk_secret")}
	// Secrets are never sent back to the browser: an empty field keeps the stored one.
	if ns.SMTPPass == "" && f.Get("clear_pass") != "1" {
		ns.SMTPPass = old.SMTPPass
	}
	if ns.DingTalkSecret == "" && f.Get("clear_secret") != "1" {
		ns.DingTalkSecret = old.DingTalkSecret
	}
	sec, err := s.st.SecuritySettings(r.Context())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := ns.CheckHosts(sec.AllowedHosts()); err != nil {
		s.channelsPage(w, r, c, unitID, http.StatusUnprocessableEntity, err.Error(), &ns)
		return
	}
	emails := map[int64]string{}
	for k, v := range f {
		if id, ok := strings.CutPrefix(k, "email_"); ok {
			emails[formID(id)] = v[0]
		}
	}
	if err := s.st.SaveNotifySettings(r.Context(), c.actor(), c.scope, ns); err != nil {
		if apperr.IsUser(err) {
			s.channelsPage(w, r, c, unitID, http.StatusUnprocessableEntity, err.Error(), &ns)
			return
		}
		s.httpError(w, r, c, err)
		return
	}
	if err := s.st.SaveContactEmails(r.Context(), c.actor(), c.scope, unitID, emails); err != nil {
		if apperr.IsUser(err) {
			s.channelsPage(w, r, c, unitID, http.StatusUnprocessableEntity, err.Error(), &ns)
			return
		}
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/channels?unit=%d&ok=saved", unitID))
}

// ---- late records ----

// reportDeadlines are the half-year report days falling in [from, to+1 year).
func reportDeadlines(from, to string) []string {
	var out []string
	if len(from) < 4 || len(to) < 4 {
		return nil
	}
	y1, _ := strconv.Atoi(from[:4])
	y2, _ := strconv.Atoi(to[:4])
	for y := y1; y <= y2; y++ {
		for _, md := range []string{"-06-30", "-12-31"} {
			d := fmt.Sprintf("%d%s", y, md)
			if d >= from && d <= to {
				out = append(out, d)
			}
		}
	}
	return out
}

func (s *Server) supLate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	key := r.URL.Query().Get("period")
	if key == "" {
		key = ledger.HalfYearOf(s.now().In(cntime.Zone)).Key
	}
	p, err := ledger.ParsePeriod(key)
	if err != nil {
		p = ledger.HalfYearOf(s.now().In(cntime.Zone))
	}
	days := s.lateDays()
	stats, err := s.st.LateStats(ctx, c.scope, unitID, p.From, p.To, days, reportDeadlines(p.From, p.To))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	list, err := s.st.LateEntries(ctx, c.scope, unitID, p.From, p.To, days, 200)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	deadlines := reportDeadlines(p.From, p.To)
	type lateItem struct {
		A      ledger.Activity
		Days   int
		Rushed bool
	}
	var items []lateItem
	for _, a := range list {
		it := lateItem{A: a}
		it.Days = it.A.LateDays(cntime.Zone)
		for _, d := range deadlines {
			end := dayEndUnix(d)
			it.Rushed = it.Rushed || (a.CreatedAt >= end-7*86400 && a.CreatedAt < end)
		}
		items = append(items, it)
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	total := stats[len(stats)-1]
	s.render(w, r, c, "supervise_late", map[string]any{"Title": "补记情况", "Nav": "supervise", "UnitID": unitID, "Units": units, "P": p,
		"Stats": stats[:len(stats)-1], "Total": total, "Items": items, "Days": days, "Deadlines": deadlines,
		"Link": ledger.Filter{UnitID: unitID, From: p.From, To: p.To, Late: days}.URL()})
}

// dayEndUnix is the end of a day (24:00 China time) in unix seconds.
func dayEndUnix(d string) int64 {
	t, err := parseDayCST(d)
	if err != nil {
		return 0
	}
	return t.AddDate(0, 0, 1).Unix()
}

// ---- rectification ----

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
		"CanCreate": slices.Contains(c.scope.WriteUnits, f.UnitID) || (f.UnitID != 0 && c.user.UnitID != f.UnitID),
		"Statuses":  []string{supervise.RectOpen, supervise.RectDoing, supervise.RectReview, supervise.RectClosed}})
}

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
	s.st.Audit(ctx, c.actor(), c.user.UnitID, "rect.export", "rect", 0, map[string]any{"rows": len(rows)})
	sendXLSX(w, "整改台账-"+s.now().In(cntime.Zone).Format("20060102")+".xlsx", data)
}

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

func (s *Server) rectNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	src := "inspection"
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		if !slices.Contains(c.scope.ReadUnits, unitID) || c.user.UnitID == unitID {
			s.forbidden(w, r, c)
			return
		}
		src = "supervision"
	}
	s.rectForm(w, r, c, supervise.Rect{UnitID: unitID, Source: src, Deadline: s.now().In(cntime.Zone).AddDate(0, 1, 0).Format(cntime.DateLayout)}, http.StatusOK, "")
}

func parseRect(r *http.Request) supervise.Rect {
	f := r.PostForm
	return supervise.Rect{Title: f.Get("title"), Source: f.Get("source"), OrgID: formID(f.Get("org")), OwnerID: formID(f.Get("owner")),
		Measures: f.Get("measures"), Deadline: f.Get("deadline"), Progress: strings.TrimSpace(f.Get("progress"))}
}

func (s *Server) rectCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	it := parseRect(r)
	it.UnitID = formID(r.PostForm.Get("unit"))
	if !slices.Contains(c.scope.ReadUnits, it.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if err := s.st.CreateRect(r.Context(), c.actor(), c.scope, &it); err != nil {
		if s.unlessUserError(w, r, c, err) {
			return
		}
		s.rectForm(w, r, c, it, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rect/%d?ok=created", it.ID))
}

func (s *Server) rectShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.rectPage(w, r, c, http.StatusOK, "")
}

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
	canEdit := store.CanEditRect(c.scope, it) && it.Status != supervise.RectClosed
	s.renderStatus(w, r, c, status, "supervise_rect_show", map[string]any{"Title": "整改事项", "Nav": "supervise", "It": it, "Error": errMsg,
		"CanEdit": canEdit, "FullEdit": full && canEdit, "IsOwner": it.OwnerID == c.user.ID,
		"CanVerify": store.CanVerifyRect(c.scope, it) && it.OwnerID != c.user.ID && it.Status == supervise.RectReview,
		"Staff":     staff, "Depts": depts, "Sources": supervise.RectSources, "Today": s.today(), "History": hist, "Accept": upload.Accept})
}

func (s *Server) rectUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	it := parseRect(r)
	it.ID = formID(r.PathValue("id"))
	if err := s.st.UpdateRect(r.Context(), c.actor(), c.scope, &it); err != nil {
		if s.unlessUserError(w, r, c, err) {
			return
		}
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rect/%d?ok=saved", it.ID))
}

func (s *Server) rectStep(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.ParseForm()
	id := formID(r.PathValue("id"))
	_, err := s.st.StepRect(r.Context(), c.actor(), c.scope, id, supervise.Step(r.PostForm.Get("step")), r.PostForm.Get("note"))
	if err != nil {
		if s.unlessUserError(w, r, c, err) {
			return
		}
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rect/%d?ok=saved", id))
}

func (s *Server) rectUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, "文件过大或上传格式错误。")
		return
	}
	files, err := s.readUploads(r, "files")
	if err != nil {
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if len(files) == 0 {
		s.rectPage(w, r, c, http.StatusUnprocessableEntity, "请选择要上传的整改佐证材料。")
		return
	}
	for _, f := range files {
		rf := supervise.RectFile{Name: f.att.Name, Mime: f.att.Mime}
		if err := s.st.AddRectFile(r.Context(), c.actor(), c.scope, id, &rf, f.data); err != nil {
			if s.unlessUserError(w, r, c, err) {
				return
			}
			s.rectPage(w, r, c, http.StatusUnprocessableEntity, err.Error())
			return
		}
	}
	redirect(w, r, fmt.Sprintf("/supervise/rect/%d?ok=uploaded", id))
}

func (s *Server) rectFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f, fh, err := s.st.OpenRectFile(r.Context(), c.scope, formID(r.PathValue("id")), formID(r.PathValue("fid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer fh.Close()
	w.Header().Set("Content-Type", f.Mime)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "no-store")
	io.Copy(w, fh)
}

func parseDayCST(d string) (time.Time, error) {
	return time.ParseInLocation(cntime.DateLayout, d, cntime.Zone)
}
