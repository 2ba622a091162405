// Package opreport composes the opinion module's documents: the event
// 研判报告 and the periodic (week, month, half-year) 舆情分析报告, as a
// GB/T 9704 Word document (docx.Doc, finished by the caller with the
// unit's 主送机关 and 落款) and as an Excel workbook.
//
// Every figure in the text names the annex table it comes from, and every
// quotation is a stored item's own title with its number (#id), source,
// time and link in the annex, so a reader can check each sentence against
// the items behind it. Sentences are written only from the data: a part
// with nothing to report says so in one line, and nothing is estimated.
//
// It is domain code: the caller gathers the figures (Data) and, when it
// can, a chart renderer; no I/O happens here.
package opreport

import (
	"fmt"
	"math"
	"strings"
	"time"

	"zhendi/internal/chartimg"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/incident"
)

// Count is a named count (a source, a scheme).
type Count struct {
	ID   int64
	Name string
	N    int
}

// Day is one day's items.
type Day struct {
	Date     time.Time
	N        int
	Negative int
}

// Event is an event with its figures.
type Event struct {
	ID         int64
	Title      string
	Scheme     string
	FirstAt    time.Time
	LastAt     time.Time
	Items      int
	Sources    int
	Heat       float64
	Negativity float64
	Negative   int // items scored negative (event reports)
}

// Item is a stored item quoted by a report.
type Item struct {
	ID         int64
	Title      string
	Body       string
	Source     string
	Published  time.Time
	URL        string
	Negativity float64
	Copies     int
	EventID    int64
}

// Label is the item's title, or the start of its text when it has none.
func (it Item) Label() string {
	if t := strings.TrimSpace(it.Title); t != "" {
		return t
	}
	r := []rune(strings.TrimSpace(it.Body))
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return string(r)
}

// Data is everything a report says.
type Data struct {
	Unit        string
	PeriodLabel string // "2023年6月", "2023年第27周", "2023年上半年"; the event's dates for an event report
	From, To    time.Time
	Items       int
	Negative    int
	Positive    int
	Copies      int
	PrevItems   int // the period before, for the change
	PrevLabel   string
	Days        []Day
	Sources     []Count
	Schemes     []Count
	Events      []Event // hottest first
	Quotes      []Item  // representative items, cited in the text and listed in the annex
	Incidents   []incident.Incident
	// Event is set for an event's 研判报告.
	Event *Event
	// Hours is the event's volume per hour (event reports).
	Hours     []Day
	Formula   string // the heat formula
	Generated time.Time
}

func pct(n, d int) string {
	if d == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", float64(n)*100/float64(d))
}

func when(t time.Time) string { return cntime.LongMinute(t) }

func date(t time.Time) string { return t.In(cntime.Zone).Format("2006年1月2日") }

// quote cites an item: “标题”（来源，时间，附表 #编号）.
func quote(it Item) string {
	return fmt.Sprintf("“%s”（%s，%s，信息编号%d）", it.Label(), it.Source, when(it.Published), it.ID)
}

// chart adds a chart picture when the renderer can draw it; the table
// beside it keeps the figures readable either way.
func chart(blocks []docx.Block, r *chartimg.Renderer, c chartimg.Chart, caption string) []docx.Block {
	if r == nil || len(c.Categories) == 0 {
		return blocks
	}
	img, err := r.Image(c, caption)
	if err != nil {
		return blocks
	}
	return append(blocks, img)
}

// PeriodDoc is the periodic 舆情分析报告.
func PeriodDoc(d Data, r *chartimg.Renderer) docx.Doc {
	doc := docx.Doc{Title: d.Unit + d.PeriodLabel + "舆情分析报告", Keep: []string{d.Unit},
		Subtitle: fmt.Sprintf("（%s至%s）", date(d.From), date(d.To.Add(-time.Second)))}
	var b []docx.Block
	b = append(b, docx.Heading{Level: 1, Text: "一、总体情况"})
	if d.Items == 0 {
		b = append(b, docx.Para{Text: fmt.Sprintf("%s，本单位舆情监测未采集到信息。", d.PeriodLabel)})
	} else {
		s := fmt.Sprintf("%s，本单位舆情监测共采集信息%d条（见附表1），其中负面%d条，占%s；正面%d条，占%s。", d.PeriodLabel, d.Items,
			d.Negative, pct(d.Negative, d.Items), d.Positive, pct(d.Positive, d.Items))
		if d.Copies > 0 {
			s += fmt.Sprintf("另有转载、重复信息%d条已合并计入原信息。", d.Copies)
		}
		if d.PrevLabel != "" {
			switch {
			case d.PrevItems == 0:
				s += fmt.Sprintf("%s未采集到信息。", d.PrevLabel)
			case d.Items >= d.PrevItems:
				s += fmt.Sprintf("较%s（%d条）增加%d条。", d.PrevLabel, d.PrevItems, d.Items-d.PrevItems)
			default:
				s += fmt.Sprintf("较%s（%d条）减少%d条。", d.PrevLabel, d.PrevItems, d.PrevItems-d.Items)
			}
		}
		if peak, ok := peakDay(d.Days); ok {
			s += fmt.Sprintf("信息量最多的一天是%s，共%d条。", date(peak.Date), peak.N)
		}
		b = append(b, docx.Para{Text: s})
		cats, all, neg := dayChart(d.Days)
		b = chart(b, r, chartimg.Chart{Kind: chartimg.Line, Categories: cats, Unit: "条",
			Series: []chartimg.Series{{Name: "信息量", Values: all}, {Name: "负面", Values: neg}}}, "图1　每日信息量")
	}
	b = append(b, docx.Heading{Level: 1, Text: "二、来源与监测方案"})
	if len(d.Sources) == 0 {
		b = append(b, docx.Para{Text: "本期无来源信息。"})
	} else {
		var parts []string
		for _, s := range top(d.Sources, 5) {
			parts = append(parts, fmt.Sprintf("%s%d条（%s）", s.Name, s.N, pct(s.N, d.Items)))
		}
		b = append(b, docx.Para{Text: "信息来源居前的是：" + strings.Join(parts, "，") + "（见附表2）。"})
		b = chart(b, r, countChart(top(d.Sources, 10)), "图2　信息来源分布")
	}
	var hits []string
	for _, s := range d.Schemes {
		if s.N > 0 {
			hits = append(hits, fmt.Sprintf("“%s”%d条", s.Name, s.N))
		}
	}
	if len(hits) > 0 {
		b = append(b, docx.Para{Text: "各监测方案命中信息：" + strings.Join(hits, "，") + "（见附表2）。"})
	} else if len(d.Schemes) > 0 {
		b = append(b, docx.Para{Text: "本期各监测方案均未命中信息。"})
	}
	b = append(b, docx.Heading{Level: 1, Text: "三、热点事件"})
	if len(d.Events) == 0 {
		b = append(b, docx.Para{Text: "本期未形成舆情事件。"})
	} else {
		b = append(b, docx.Para{Text: fmt.Sprintf("本期形成舆情事件%d个（见附表3），按热度排列前%d个如下。", len(d.Events), min(len(d.Events), 5))})
		for i, e := range top(d.Events, 5) {
			s := fmt.Sprintf("%d.“%s”（事件编号%d）：%s首现，相关信息%d条，来自%d个来源，热度%.1f，平均负面倾向%.2f。", i+1, e.Title, e.ID,
				when(e.FirstAt), e.Items, e.Sources, e.Heat, e.Negativity)
			for _, q := range d.Quotes {
				if q.EventID == e.ID {
					s += "代表性信息：" + quote(q) + "。"
					break
				}
			}
			b = append(b, docx.Para{Text: s})
		}
	}
	b = append(b, docx.Heading{Level: 1, Text: "四、舆情处置"})
	b = append(b, incidentParas(d.Incidents, d.Generated.Unix())...)
	b = append(b, annexes(d)...)
	doc.Blocks = b
	return doc
}

// EventDoc is an event's 研判报告.
func EventDoc(d Data, r *chartimg.Renderer) docx.Doc {
	e := d.Event
	doc := docx.Doc{Title: "关于“" + e.Title + "”舆情的分析研判报告", Keep: []string{d.Unit}}
	var b []docx.Block
	b = append(b, docx.Heading{Level: 1, Text: "一、基本情况"})
	b = append(b, docx.Para{Text: fmt.Sprintf("%s，监测方案“%s”首次发现相关信息。截至%s，共采集相关信息%d条，来自%d个来源（见附表1、附表2）。",
		when(e.FirstAt), e.Scheme, when(e.LastAt), e.Items, e.Sources)})
	b = append(b, docx.Heading{Level: 1, Text: "二、传播态势"})
	if peak, ok := peakDay(d.Hours); ok {
		b = append(b, docx.Para{Text: fmt.Sprintf("信息量在%s达到高峰，该小时%d条。当前热度%.1f。", when(peak.Date), peak.N, e.Heat)})
	} else {
		b = append(b, docx.Para{Text: fmt.Sprintf("当前热度%.1f。", e.Heat)})
	}
	if d.Formula != "" {
		b = append(b, docx.Para{Text: "热度计算方法：" + d.Formula})
	}
	cats, all := hourChart(d.Hours)
	b = chart(b, r, chartimg.Chart{Kind: chartimg.Line, Categories: cats, Unit: "条", Series: []chartimg.Series{{Name: "信息量", Values: all}}}, "图1　事件走势")
	b = append(b, docx.Heading{Level: 1, Text: "三、来源分布"})
	var parts []string
	for _, s := range top(d.Sources, 5) {
		parts = append(parts, fmt.Sprintf("%s%d条（%s）", s.Name, s.N, pct(s.N, e.Items)))
	}
	if len(parts) > 0 {
		b = append(b, docx.Para{Text: "相关信息来自：" + strings.Join(parts, "，") + "（见附表2）。"})
		b = chart(b, r, countChart(top(d.Sources, 10)), "图2　来源分布")
	}
	b = append(b, docx.Heading{Level: 1, Text: "四、情感倾向"})
	b = append(b, docx.Para{Text: fmt.Sprintf("相关信息中负面%d条，占%s；平均负面倾向%.2f（−1为正面，1为负面）。", e.Negative, pct(e.Negative, e.Items), e.Negativity)})
	b = append(b, docx.Heading{Level: 1, Text: "五、代表性信息"})
	if len(d.Quotes) == 0 {
		b = append(b, docx.Para{Text: "无。"})
	}
	for i, q := range top(d.Quotes, 5) {
		s := fmt.Sprintf("%d.%s", i+1, quote(q))
		if q.Copies > 0 {
			s += fmt.Sprintf("，转载%d次", q.Copies)
		}
		b = append(b, docx.Para{Text: s + "。"})
	}
	b = append(b, docx.Heading{Level: 1, Text: "六、处置情况"})
	b = append(b, incidentParas(d.Incidents, d.Generated.Unix())...)
	b = append(b, annexes(d)...)
	doc.Blocks = b
	return doc
}

// incidentParas describe the incidents: counts by level and on time, and
// each incident's steps and limits.
func incidentParas(incs []incident.Incident, now int64) []docx.Block {
	if len(incs) == 0 {
		return []docx.Block{docx.Para{Text: "本期未启动舆情处置。"}}
	}
	closed, onTime := 0, 0
	for _, in := range incs {
		if in.Status == incident.StatusClosed {
			closed++
		}
		if in.OnTime() {
			onTime++
		}
	}
	out := []docx.Block{docx.Para{Text: fmt.Sprintf("启动舆情处置%d件，已办结%d件，各项时限均按时完成的%d件（见附表4）。", len(incs), closed, onTime)}}
	for i, in := range incs {
		s := fmt.Sprintf("%d.“%s”（%s，%s发现）：", i+1, in.Title, in.LevelLabel(), when(time.Unix(in.FoundAt, 0)))
		var steps []string
		for _, st := range in.Steps {
			if st.Done() {
				steps = append(steps, fmt.Sprintf("%s于%s完成", st.Label(), when(time.Unix(st.DoneAt, 0))))
			}
		}
		if len(steps) == 0 {
			s += "尚未完成任何环节"
		} else {
			s += strings.Join(steps, "，")
		}
		for _, dl := range in.Deadlines() {
			s += fmt.Sprintf("；%s时限%s，%s", dl.Label, when(time.Unix(dl.Due, 0)), dl.State(now))
		}
		out = append(out, docx.Para{Text: s + "。"})
	}
	return out
}

// annexes are the tables every figure and quotation points to.
func annexes(d Data) []docx.Block {
	b := []docx.Block{docx.PageBreak{}, docx.Heading{Level: 1, Text: "附表1　信息清单"}}
	if d.Event != nil || len(d.Days) == 0 {
		rows := [][]string{}
		for _, q := range d.Quotes {
			rows = append(rows, []string{fmt.Sprint(q.ID), q.Label(), q.Source, when(q.Published), q.URL})
		}
		b = append(b, docx.Para{Text: "代表性信息（完整信息可按编号在系统中查阅）："},
			table([]string{"编号", "标题", "来源", "发布时间", "链接"}, rows, []int{3, 9, 5, 6, 9}))
	} else {
		var rows [][]string
		for _, dy := range d.Days {
			if dy.N > 0 {
				rows = append(rows, []string{date(dy.Date), fmt.Sprint(dy.N), fmt.Sprint(dy.Negative)})
			}
		}
		rows = append(rows, []string{"合计", fmt.Sprint(d.Items), fmt.Sprint(d.Negative)})
		b = append(b, table([]string{"日期", "信息量", "负面"}, rows, []int{8, 5, 5}))
	}
	b = append(b, docx.Heading{Level: 1, Text: "附表2　来源与监测方案"})
	var rows [][]string
	for _, s := range d.Sources {
		rows = append(rows, []string{"来源", s.Name, fmt.Sprint(s.N)})
	}
	for _, s := range d.Schemes {
		rows = append(rows, []string{"监测方案", s.Name, fmt.Sprint(s.N)})
	}
	b = append(b, table([]string{"类别", "名称", "信息量"}, rows, []int{4, 12, 4}))
	if d.Event == nil {
		b = append(b, docx.Heading{Level: 1, Text: "附表3　舆情事件与代表性信息"})
		rows = nil
		for _, e := range d.Events {
			rep := ""
			for _, q := range d.Quotes {
				if q.EventID == e.ID {
					rep = fmt.Sprintf("%d %s %s", q.ID, q.Label(), q.URL)
					break
				}
			}
			rows = append(rows, []string{fmt.Sprint(e.ID), e.Title, fmt.Sprint(e.Items), fmt.Sprintf("%.1f", e.Heat), rep})
		}
		b = append(b, table([]string{"事件编号", "事件", "信息量", "热度", "代表性信息（编号、标题、链接）"}, rows, []int{3, 8, 3, 3, 12}))
	}
	b = append(b, docx.Heading{Level: 1, Text: "附表4　舆情处置"})
	rows = nil
	for _, in := range d.Incidents {
		var lim []string
		for _, dl := range in.Deadlines() {
			lim = append(lim, dl.Label+"："+dl.State(d.Generated.Unix()))
		}
		rows = append(rows, []string{fmt.Sprint(in.ID), in.Title, in.LevelLabel(), when(time.Unix(in.FoundAt, 0)), in.StatusLabel(), strings.Join(lim, "；")})
	}
	b = append(b, table([]string{"编号", "舆情", "级别", "发现时间", "状态", "时限"}, rows, []int{3, 8, 4, 6, 3, 9}))
	return b
}

func peakDay(days []Day) (Day, bool) {
	var best Day
	for _, d := range days {
		if d.N > best.N {
			best = d
		}
	}
	return best, best.N > 0
}

// dayChart is the days' series for a chart: per day ("5日") for up to
// two months, per week beyond (a half-year), so the labels stay legible.
func dayChart(days []Day) (cats []string, all, neg []float64) {
	if len(days) > 62 {
		for _, d := range days {
			_, w := d.Date.In(cntime.Zone).ISOWeek()
			label := fmt.Sprintf("%d周", w)
			if len(cats) == 0 || cats[len(cats)-1] != label {
				cats, all, neg = append(cats, label), append(all, 0), append(neg, 0)
			}
			all[len(all)-1] += float64(d.N)
			neg[len(neg)-1] += float64(d.Negative)
		}
		return cats, all, neg
	}
	for _, d := range days {
		cats = append(cats, d.Date.In(cntime.Zone).Format("2日"))
		all = append(all, float64(d.N))
		neg = append(neg, float64(d.Negative))
	}
	return cats, all, neg
}

// hourChart is an event's volume per hour for up to two days, per day
// beyond.
func hourChart(hours []Day) (cats []string, all []float64) {
	layout := "2日15时"
	if len(hours) > 48 {
		layout = "1月2日"
	}
	for _, h := range hours {
		label := h.Date.In(cntime.Zone).Format(layout)
		if len(cats) == 0 || cats[len(cats)-1] != label {
			cats, all = append(cats, label), append(all, 0)
		}
		all[len(all)-1] += float64(h.N)
	}
	return cats, all
}

// table is an annex table, or "无。" when it has no rows.
func table(header []string, rows [][]string, widths []int) docx.Block {
	if len(rows) == 0 {
		return docx.Para{Text: "无。"}
	}
	return docx.Table{Header: header, Rows: rows, Widths: widths}
}

func countChart(cs []Count) chartimg.Chart {
	c := chartimg.Chart{Kind: chartimg.Bar, Horizontal: true, Unit: "条"}
	var vals []float64
	for _, x := range cs {
		c.Categories = append(c.Categories, x.Name)
		vals = append(vals, float64(x.N))
	}
	c.Series = []chartimg.Series{{Name: "信息量", Values: vals}}
	c.HeightMM = math.Max(50, float64(len(cs))*9+20)
	return c
}

func top[T any](list []T, n int) []T {
	if len(list) > n {
		return list[:n]
	}
	return list
}
