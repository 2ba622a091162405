package channel

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/docx"
)

// The 阵地 documents: an inspection's report and the quarterly 阵地 report,
// in the national official-document layout through the shared Word writer.
// Every figure is counted from the records passed in (channels as checked,
// findings with their dates, inspections with their items), and the annex
// tables list those records, so each number can be traced.

// InspectionReport composes the report of one inspection for its unit.
func InspectionReport(unitName string, in Inspection, today string) docx.Doc {
	done, failed := in.Progress()
	pass, na := 0, 0
	for _, it := range in.Items {
		switch it.Result {
		case ResultPass:
			pass++
		case ResultNA:
			na++
		}
	}
	d := docx.Doc{Title: unitName + PeriodLabel(in.Period) + in.Kind.Label() + "报告", Keep: []string{unitName, PeriodLabel(in.Period)}}
	d.Blocks = append(d.Blocks,
		docx.Heading{Level: 1, Text: "一、基本情况"},
		docx.Para{Text: fmt.Sprintf("按照意识形态工作责任制和%s有关要求，本单位于%s开展%s，检查人%s，责任人%s。本次共检查%d项，已检查%d项，其中合格%d项、不合格%d项、不适用%d项。",
			SrcIndicators, PeriodLabel(in.Period), in.Kind.Label(), in.InspectorName, in.RespName, len(in.Items), done, pass, failed, na)},
		docx.Heading{Level: 1, Text: "二、发现的问题"},
	)
	n := 0
	for _, it := range in.Items {
		if it.Result != ResultFail {
			continue
		}
		n++
		where := "全单位"
		if it.ChannelName != "" {
			where = "“" + it.ChannelName + "”"
		}
		text := fmt.Sprintf("%d. %s：%s。%s", n, where, strings.TrimSuffix(it.Text, "。"), it.Note)
		if it.Recheck != "" {
			text += "（" + it.Recheck + "）"
		}
		d.Blocks = append(d.Blocks, docx.Para{Text: text})
	}
	if n == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "本次检查未发现不合格项。"})
	} else {
		d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "三、整改要求"},
			docx.Para{Text: fmt.Sprintf("以上%d项问题已列入本单位问题清单和整改台账，明确责任人和整改时限；整改销号后，可自动核对的项目由系统自动复查，复查结果记入整改台账。", n)})
	}
	sign := "检查人、责任人尚未签字确认。"
	if in.InspectorAt != 0 && in.RespAt != 0 {
		sign = fmt.Sprintf("检查人%s于%s签字，责任人%s于%s签字确认。", in.InspectorName, cntime.Long(time.Unix(in.InspectorAt, 0)), in.RespName, cntime.Long(time.Unix(in.RespAt, 0)))
	} else if in.InspectorAt != 0 {
		sign = fmt.Sprintf("检查人%s于%s签字，责任人尚未签字确认。", in.InspectorName, cntime.Long(time.Unix(in.InspectorAt, 0)))
	}
	d.Blocks = append(d.Blocks, docx.Para{Text: sign}, docx.PageBreak{}, docx.Heading{Level: 1, Text: "附件：检查明细"})
	t := docx.Table{Header: []string{"序号", "检查内容", "阵地", "结果", "说明"}, Widths: []int{2, 12, 5, 3, 6}}
	for _, it := range in.Items {
		where := "全单位"
		if it.ChannelName != "" {
			where = it.ChannelName
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(it.Sort), it.Text, where, it.ResultLabel(), it.Note})
	}
	d.Blocks = append(d.Blocks, t)
	return d
}

// QuarterData is what the quarterly 阵地 report is made from.
type QuarterData struct {
	UnitName string
	Period   string // 2024Q1
	Today    string
	// Channels as judged on Today (the end of the quarter, or today if the
	// quarter is running).
	Channels []Channel
	Fresh    map[int64]Fresh
	Vetoes   []Veto
	// Findings found in the quarter (any status now).
	Findings    []Finding
	Inspections []Inspection
	Unfiled     []Event
	// Months and MonthItems are the items published per month over the
	// twelve months to the quarter's end (from the publication days the
	// checks recorded); Chart, when set, is their picture.
	Months     []string
	MonthItems []int
	Chart      *docx.Image
	// FreqChart, when set, pictures FreqRows (图2).
	FreqChart *docx.Image
}

// FreqRow is a channel judged by an update rule at the quarter's end: days
// since its last update beside its limit (the indicator's measure).
type FreqRow struct {
	Name        string
	Days, Limit int // Days -1: no dated update
}

// FreqRows are the quarter's running channels with an update rule, as
// judged on q.Today.
func (q QuarterData) FreqRows() []FreqRow {
	var out []FreqRow
	for _, c := range q.Channels {
		f, ok := q.Fresh[c.ID]
		if !ok || c.Status != Running {
			continue
		}
		if lim := f.LimitDays(q.Today); lim > 0 {
			out = append(out, FreqRow{Name: c.Name, Days: f.Days, Limit: lim})
		}
	}
	return out
}

// Empty reports whether there is nothing to report (no channel at all).
func (q QuarterData) Empty() bool { return len(q.Channels) == 0 }

// QuarterSummary is the quarter's figures, shared by the Word and Excel
// reports and the half-year report's 阵地 part.
type QuarterSummary struct {
	Channels, Running, Web, Media, Offline int
	Green, Amber, Red                      int
	Findings, FindingsOpen                 int
	ByKind                                 map[FindingKind]int
	Inspections, InspItems, InspFailed     int
	FailingVetoes                          []string
	Unfiled                                int
}

// Summary counts the quarter's figures.
func (q QuarterData) Summary() QuarterSummary {
	s := QuarterSummary{ByKind: map[FindingKind]int{}}
	for _, c := range q.Channels {
		s.Channels++
		if c.Status == Running {
			s.Running++
		}
		switch {
		case c.Kind.Web():
			s.Web++
		case c.Kind.NewMedia():
			s.Media++
		default:
			s.Offline++
		}
		switch q.Fresh[c.ID].Light {
		case Green:
			s.Green++
		case Amber:
			s.Amber++
		case Red:
			s.Red++
		}
	}
	for _, f := range q.Findings {
		s.Findings++
		s.ByKind[f.Kind]++
		if f.Status == "open" {
			s.FindingsOpen++
		}
	}
	for _, in := range q.Inspections {
		s.Inspections++
		s.InspItems += len(in.Items)
		s.InspFailed += in.FailedCount()
	}
	for _, v := range Failing(q.Vetoes) {
		s.FailingVetoes = append(s.FailingVetoes, v.Name)
	}
	s.Unfiled = len(q.Unfiled)
	return s
}

// FindingKinds lists the finding kinds in report order.
var FindingKinds = []FindingKind{FStale, FEmpty, FUnreachable, FSlow, FDeadLink, FWording, FUnanswered, FUnfiled}

// QuarterReport composes the quarterly 阵地 report.
func QuarterReport(q QuarterData) docx.Doc {
	s := q.Summary()
	d := docx.Doc{Title: q.UnitName + PeriodLabel(q.Period) + "意识形态阵地管理情况报告", Keep: []string{q.UnitName, PeriodLabel(q.Period)}}
	d.Blocks = append(d.Blocks,
		docx.Heading{Level: 1, Text: "一、阵地基本情况"},
		docx.Para{Text: fmt.Sprintf("截至%s，本单位登记阵地%d个，其中运行%d个；网站及栏目%d个，政务新媒体%d个，工作群和线下阵地%d个。每个阵地均明确了责任人和审核人。",
			cntime.Long(mustDay(q.Today)), s.Channels, s.Running, s.Web, s.Media, s.Offline)},
		docx.Heading{Level: 1, Text: "二、更新和运行情况"},
		docx.Para{Text: fmt.Sprintf("对照%s，按期更新%d个，临近更新期限%d个，超过更新期限%d个。", SrcIndicators, s.Green, s.Amber, s.Red)},
	)
	if len(s.FailingVetoes) > 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "按检查指标单项否决项判断，本单位存在“" + strings.Join(s.FailingVetoes, "”“") + "”问题，须立即整改。"})
	} else {
		d.Blocks = append(d.Blocks, docx.Para{Text: "按检查指标单项否决项判断，本单位未触及单项否决。"})
	}
	var stale []string
	for _, c := range q.Channels {
		if f := q.Fresh[c.ID]; f.Stale {
			stale = append(stale, fmt.Sprintf("“%s”（%s，期限%s）", c.Name, f.DaysText(), f.Rule.LimitText()))
		}
	}
	if len(stale) > 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "超期未更新的阵地：" + strings.Join(stale, "；") + "。"})
	}
	if len(q.Months) > 0 {
		total := 0
		for _, n := range q.MonthItems {
			total += n
		}
		d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("近12个月（%s至%s）检查记录到本单位阵地发布信息%d条，各月条数如下。", q.Months[0], q.Months[len(q.Months)-1], total)})
		if q.Chart != nil {
			d.Blocks = append(d.Blocks, *q.Chart)
		}
		t := docx.Table{Header: []string{"月份", "发布条数"}, Widths: []int{6, 4}}
		for i, m := range q.Months {
			t.Rows = append(t.Rows, []string{m, fmt.Sprint(q.MonthItems[i])})
		}
		d.Blocks = append(d.Blocks, t)
	}
	if rows := q.FreqRows(); len(rows) > 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("按检查指标的口径，截至%s各阵地距上次更新天数与更新期限如下。", q.Today)})
		if q.FreqChart != nil {
			d.Blocks = append(d.Blocks, *q.FreqChart)
		}
		t := docx.Table{Header: []string{"阵地", "距上次更新（天）", "更新期限（天）"}, Widths: []int{6, 3, 3}}
		for _, r := range rows {
			days := "无更新记录"
			if r.Days >= 0 {
				days = fmt.Sprint(r.Days)
			}
			t.Rows = append(t.Rows, []string{r.Name, days, fmt.Sprint(r.Limit)})
		}
		d.Blocks = append(d.Blocks, t)
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "三、检查发现的问题"})
	if s.Findings == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "本季度自动检查和人工检查未发现问题。"})
	} else {
		var parts []string
		for _, k := range FindingKinds {
			if n := s.ByKind[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s%d项", k.Label(), n))
			}
		}
		d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("本季度自动检查和人工检查共发现问题%d项（%s），已整改消除%d项，尚未整改%d项，均已列入问题清单和整改台账。",
			s.Findings, strings.Join(parts, "、"), s.Findings-s.FindingsOpen, s.FindingsOpen)})
	}
	if s.Unfiled > 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("网站和政务新媒体开设、更名、关停未报备%d次，须补办报备手续。", s.Unfiled)})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "四、检查排查开展情况"})
	if s.Inspections == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "本季度尚未开展网络安全排查和阵地检查。"})
	} else {
		var names []string
		for _, in := range q.Inspections {
			st := "未签字确认"
			if in.Signed() {
				st = "已签字确认"
			}
			names = append(names, fmt.Sprintf("%s（%d项，不合格%d项，%s）", in.Kind.Label(), len(in.Items), in.FailedCount(), st))
		}
		d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("本季度开展%s，共检查%d项，不合格%d项。", strings.Join(names, "、"), s.InspItems, s.InspFailed)})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "五、下一步工作"},
		docx.Para{Text: "落实阵地责任人和审核人责任，按更新规则及时更新栏目和账号，严格执行三审三校；对发现的问题限期整改、逐项销号，整改后及时复查；开设、更名、关停阵地按规定报备。"},
		docx.PageBreak{}, docx.Heading{Level: 1, Text: "附件1：阵地更新情况"})
	t := docx.Table{Header: []string{"阵地", "类型", "责任人", "最近更新", "期限", "状态"}, Widths: []int{7, 4, 3, 6, 3, 3}}
	for _, c := range q.Channels {
		f := q.Fresh[c.ID]
		last := "无"
		if c.LastUpdate != "" {
			last = c.LastUpdate
		}
		t.Rows = append(t.Rows, []string{c.Name, c.Kind.Label(), c.ResponsibleName, last, f.Rule.LimitText(), f.Light.Label()})
	}
	d.Blocks = append(d.Blocks, t)
	if len(q.Findings) > 0 {
		ft := docx.Table{Header: []string{"发现日期", "阵地", "问题", "状态"}, Widths: []int{6, 6, 11, 3}}
		fs := append([]Finding(nil), q.Findings...)
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].FoundAt < fs[j].FoundAt })
		for _, f := range fs {
			st := "未整改"
			if f.Status != "open" {
				st = "已消除"
			}
			ft.Rows = append(ft.Rows, []string{cntime.Date(time.Unix(f.FoundAt, 0)), f.ChannelName, f.Kind.Label() + "：" + f.Detail, st})
		}
		d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "附件2：检查发现的问题"}, ft)
	}
	return d
}

func mustDay(s string) time.Time {
	t, err := cntime.ParseDate(s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// HalfYearPart is the 阵地 paragraph of the half-year ideology report,
// citing the quarterly reports of its quarters (only those with data);
// "" when there is none.
func HalfYearPart(quarters []QuarterData) string {
	var parts []string
	for _, q := range quarters {
		if q.Empty() {
			continue
		}
		s := q.Summary()
		p := fmt.Sprintf("%s登记阵地%d个，超期未更新%d个，发现问题%d项（已消除%d项），开展检查排查%d次",
			PeriodLabel(q.Period), s.Channels, s.Red, s.Findings, s.Findings-s.FindingsOpen, s.Inspections)
		if len(s.FailingVetoes) > 0 {
			p += "，存在“" + strings.Join(s.FailingVetoes, "”“") + "”单项否决问题"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	return "加强意识形态阵地管理。" + strings.Join(parts, "；") + "（详见各季度阵地管理情况报告）。"
}
