// Package report generates the documents the ideology-work responsibility
// system is judged by — the half-year summary and plan of the seed, the
// annual summary, the monthly information bulletin, the 分析研判 report
// skeleton and each leader's 述职 section — from the ledger, with every
// number traceable to the records behind it.
//
// A report is data: a title, blocks (headings and paragraphs) whose text
// carries figure tokens such as {central_group}, and the figures, each with
// its definition, its value and its provenance (the ledger filter and the
// record ids, or the information drafts). The wording comes from versioned
// template files embedded in the binary (templates/*.txt); a unit may
// replace the wording of any paragraph (Source.Wording) without code.
// Paragraphs under 存在问题 and 下一步工作打算 are drafted from the data:
// obligations missed or behind, the share of records entered late, the
// spread of study forms and required topics not yet covered.
//
// Renderers turn a report into a GB/T 9704 DOCX (package docx), an Excel
// workbook of the figures with their provenance and the ledger annex, and
// the print HTML of package web.
//
// The package is domain code: no SQL and no I/O. Build, Batch and
// LoadAnnex read through a Source, which the service binds to the store and
// the reader's scope (service.ReportSource); the rule of who may approve a
// saved version is CheckApproval, and the clerk's edit of a page is applied
// by ApplyEdit. Saving, approving and the unit's wording are use cases of
// the service (service/reports.go).
package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/chartimg"
	"zhendi/internal/ledger"
)

// Kind is a report kind.
type Kind string

// Report kinds.
const (
	HalfYear    Kind = "half-year"    // 半年总结及下半年安排 (the seed)
	Annual      Kind = "annual"       // 年度总结
	InfoMonthly Kind = "info-monthly" // 信息编发月通报
	Analysis    Kind = "analysis"     // 意识形态分析研判报告 (skeleton)
	Shuzhi      Kind = "shuzhi"       // 述职 section of one leader
)

// Kinds lists the kinds in menu order.
var Kinds = []Kind{HalfYear, Annual, InfoMonthly, Analysis, Shuzhi}

// Label names the kind in Chinese.
func (k Kind) Label() string {
	switch k {
	case HalfYear:
		return "半年总结及下半年安排"
	case Annual:
		return "年度总结"
	case InfoMonthly:
		return "信息编发月通报"
	case Analysis:
		return "意识形态分析研判报告"
	case Shuzhi:
		return "述职报告（意识形态部分）"
	}
	return string(k)
}

// ParseKind validates a kind name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", apperr.Rule(fmt.Sprintf("报告类型“%s”无效（可选：half-year 半年总结，annual 年度总结，info-monthly 信息月通报，analysis 分析研判，shuzhi 述职）", s))
}

// PeriodOK checks that the period suits the kind: half-years for the
// half-year summary, years for the annual one and 述职, months for the
// bulletin; the 研判 report takes any period.
func (k Kind) PeriodOK(p ledger.Period) error {
	key := p.Key
	switch k {
	case HalfYear:
		if !strings.HasSuffix(key, "H1") && !strings.HasSuffix(key, "H2") {
			return apperr.Rule("半年总结的期间应为半年，如 2023H1")
		}
	case Annual, Shuzhi:
		if len(key) != 4 {
			return apperr.Rule(fmt.Sprintf("%s的期间应为年度，如 2023", k.Label()))
		}
	case InfoMonthly:
		if len(key) != 7 || key[4] != '-' {
			return apperr.Rule("信息编发月通报的期间应为月份，如 2023-05")
		}
	}
	return nil
}

// Block is a heading or paragraph of a report. Text may hold figure
// tokens {key}.
type Block struct {
	Key   string `json:"key"`   // template paragraph key; generated paragraphs start with "auto."
	Style string `json:"style"` // h1, h2, h3, p, table or chart
	Text  string `json:"text"`  // a chart's caption ("图1　…")
	// Rows of a table block, the first row the header; cells may hold tokens.
	Rows [][]string `json:"rows,omitempty"`
	// Chart is a chart block's data; the table after it holds the same
	// figures. Word draws it as a picture (DocCharts), the pages with
	// ECharts.
	Chart *chartimg.Chart `json:"chart,omitempty"`
}

// Figure is one number of a report with its provenance.
type Figure struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit"` // 次, 篇, 条, % …
	Def     string `json:"def"`  // what is counted, in Chinese
	Value   int    `json:"value"`
	Display string `json:"display"` // as written in the text: "12", "120余", "18.5%"
	// Ratio is a percentage's exact value as a fraction (0.119 for
	// "11.9%"); Value holds the whole percent the problems compare.
	Ratio float64 `json:"ratio,omitempty"`
	// Missing is set when the figure's source is not available; Display then
	// says so instead of showing a number.
	Missing bool `json:"missing,omitempty"`
	// Source is "ledger" (activity ids), "info" (information drafts),
	// "channel" (阵地 ids), "channel_finding" (阵地 findings, listed on
	// their channel's page), "channel_inspection" (检查排查 ids) or
	// "derived" (computed from other figures; IDs are the records named).
	Source string  `json:"source"`
	Link   string  `json:"link,omitempty"` // the list behind the figure
	IDs    []int64 `json:"ids"`
}

// RecordLink is the page of one record behind the figure.
func (f *Figure) RecordLink(id int64) string {
	switch f.Source {
	case "info":
		return fmt.Sprintf("/info/%d", id)
	case "channel":
		return fmt.Sprintf("/channels/%d", id)
	case "channel_inspection":
		return fmt.Sprintf("/inspections/%d", id)
	case "channel_finding":
		return fmt.Sprintf("/findings/%d", id)
	}
	if f.Source == "opinion" {
		return fmt.Sprintf("/opinion/events/%d", id)
	}
	if f.Source == "incident" {
		return fmt.Sprintf("/opinion/incidents/%d", id)
	}
	return fmt.Sprintf("/ledger/%d", id)
}

// Text is the figure as it appears in prose.
func (f *Figure) Text() string {
	if f.Missing {
		return "〔" + f.Display + "〕"
	}
	return f.Display
}

// Report is a generated or saved report.
type Report struct {
	Kind      Kind          `json:"kind"`
	UnitID    int64         `json:"unit_id"`
	UnitName  string        `json:"unit_name"`
	Period    ledger.Period `json:"period"`
	SubjectID int64         `json:"subject_id,omitempty"`
	Subject   string        `json:"subject,omitempty"` // leader's name for 述职
	Title     string        `json:"title"`
	Subtitle  string        `json:"subtitle"`
	Template  string        `json:"template"` // file and version, e.g. half-year.v1
	Blocks    []Block       `json:"blocks"`
	Figures   []*Figure     `json:"figures"`
	// Annex is the ledger of the period behind the figures (Excel annex).
	Annex []AnnexRow `json:"-"`
}

// AnnexRow is one ledger entry of the annex.
type AnnexRow struct {
	ID      int64
	Date    string
	Type    string
	Title   string
	Org     string
	Lead    string
	Late    int // days between the activity and its record
	Figures []string
}

// Figure returns the figure with the given key, or nil.
func (r *Report) Figure(key string) *Figure {
	for _, f := range r.Figures {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// FigureByLabel returns the figure with the given label, or nil.
func (r *Report) FigureByLabel(label string) *Figure {
	for _, f := range r.Figures {
		if f.Label == label {
			return f
		}
	}
	return nil
}

var tokenRE = regexp.MustCompile(`\{([a-z0-9_.]+)\}`)

// Segment is a piece of text or one figure.
type Segment struct {
	Text   string
	Figure *Figure
}

// Segments splits a block's text into plain text and figures. A token for
// an unknown figure is kept as text.
func (r *Report) Segments(text string) []Segment {
	var out []Segment
	last := 0
	for _, m := range tokenRE.FindAllStringSubmatchIndex(text, -1) {
		f := r.Figure(text[m[2]:m[3]])
		if f == nil {
			continue
		}
		if m[0] > last {
			out = append(out, Segment{Text: text[last:m[0]]})
		}
		out = append(out, Segment{Figure: f})
		last = m[1]
	}
	if last < len(text) {
		out = append(out, Segment{Text: text[last:]})
	}
	return out
}

// Plain is a block's text with the figures filled in.
func (r *Report) Plain(text string) string {
	var b strings.Builder
	for _, s := range r.Segments(text) {
		if s.Figure != nil {
			b.WriteString(s.Figure.Text())
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// UsedFigures lists the figures the text of the report refers to, in order
// of first use.
func (r *Report) UsedFigures() []*Figure {
	seen := map[string]bool{}
	var out []*Figure
	for _, b := range r.Blocks {
		for _, m := range tokenRE.FindAllStringSubmatch(b.Text, -1) {
			if f := r.Figure(m[1]); f != nil && !seen[f.Key] {
				seen[f.Key] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// EditText shows a block's text for editing: figure tokens become
// 【label】, which the clerk cannot mistype into a number.
func (r *Report) EditText(text string) string {
	return tokenRE.ReplaceAllStringFunc(text, func(tok string) string {
		if f := r.Figure(tok[1 : len(tok)-1]); f != nil {
			return "【" + f.Label + "】"
		}
		return tok
	})
}

var editTokenRE = regexp.MustCompile(`【([^】]{1,40})】`)

// ParseEditText turns edited text back into stored text: each 【label】
// must name a figure of the report.
func (r *Report) ParseEditText(text string) (string, error) {
	var bad []string
	out := editTokenRE.ReplaceAllStringFunc(text, func(tok string) string {
		label := strings.TrimSuffix(strings.TrimPrefix(tok, "【"), "】")
		if f := r.FigureByLabel(label); f != nil {
			return "{" + f.Key + "}"
		}
		bad = append(bad, tok)
		return tok
	})
	if len(bad) > 0 {
		return "", apperr.Rule(fmt.Sprintf("数据项 %s 不存在（数据项只能从右侧列表插入，不能改名）", strings.Join(bad, "、")))
	}
	return strings.TrimSpace(strings.ReplaceAll(out, "\r\n", "\n")), nil
}

// RoundDown writes a count the way offices do: exact below ten, otherwise
// rounded down to tens (hundreds from a thousand) with 余 when anything
// was dropped: 127 → 120余, 120 → 120, 1234 → 1200余.
func RoundDown(n int) string {
	if n < 10 {
		return fmt.Sprint(n)
	}
	step := 10
	if n >= 1000 {
		step = 100
	}
	if n%step == 0 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d余", n/step*step)
}

// Percent writes n/d as 18.5%.
func Percent(n, d int) string {
	if d == 0 {
		return "0%"
	}
	return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)*100/float64(d)), "0"), ".") + "%"
}

// Encode serialises the report for a saved version: its text and the
// figures with their values and record ids at the time of saving.
func (r *Report) Encode() (string, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("encode report: %w", err)
	}
	return string(b), nil
}

// Decode reads a saved version.
func Decode(body string) (*Report, error) {
	var r Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	return &r, nil
}

// Changed lists the figures whose value or records differ in fresh data.
func (r *Report) Changed(fresh *Report) []Change {
	var out []Change
	for _, f := range r.UsedFigures() {
		n := fresh.Figure(f.Key)
		if n == nil {
			n = fresh.FigureByLabel(f.Label) // an older template's key (Refresh)
		}
		if n == nil {
			continue // no longer computed: Stale
		}
		if n.Value != f.Value || n.Missing != f.Missing || !slices.Equal(n.IDs, f.IDs) {
			out = append(out, Change{Label: f.Label, Old: f.Text(), New: n.Text()})
		}
	}
	return out
}

// Change is a figure that moved since the version was saved.
type Change struct{ Label, Old, New string }

// Stale lists the figures the text uses that fresh does not compute,
// under their key or their label: a version saved from an older template
// (the v1 files are gone) may cite figures today's templates dropped.
// Refresh keeps them at their saved values, and the page says so, rather
// than print a bare {token}.
func (r *Report) Stale(fresh *Report) []*Figure {
	var out []*Figure
	for _, f := range r.UsedFigures() {
		if fresh.Figure(f.Key) == nil && fresh.FigureByLabel(f.Label) == nil {
			out = append(out, f)
		}
	}
	return out
}

// Refresh replaces the figures by fresh ones, keeping the text. A figure
// of an older template that fresh computes under another key with the same
// label (what the clerk sees as 【label】) takes that key in the text;
// figures fresh no longer computes at all (Stale) keep their saved values
// and records.
func (r *Report) Refresh(fresh *Report) {
	moved := map[string]string{}
	for _, f := range r.UsedFigures() {
		if fresh.Figure(f.Key) != nil {
			continue
		}
		if g := fresh.FigureByLabel(f.Label); g != nil {
			moved["{"+f.Key+"}"] = "{" + g.Key + "}"
		}
	}
	if len(moved) > 0 {
		rekey := func(s string) string {
			return tokenRE.ReplaceAllStringFunc(s, func(tok string) string {
				if k, ok := moved[tok]; ok {
					return k
				}
				return tok
			})
		}
		for i := range r.Blocks {
			r.Blocks[i].Text = rekey(r.Blocks[i].Text)
			for _, row := range r.Blocks[i].Rows {
				for j := range row {
					row[j] = rekey(row[j])
				}
			}
		}
	}
	stale := r.Stale(fresh)
	r.Figures = append(append([]*Figure{}, fresh.Figures...), stale...)
	r.Template = fresh.Template
}

// Generalise turns a paragraph of this report back into template wording
// for the unit's own wording: the unit name and the period label become
// the variables {单位} and {期间}, so the wording fits the next period.
func (r *Report) Generalise(text string) string {
	if r.Period.Label != "" {
		text = strings.ReplaceAll(text, r.Period.Label, "{期间}")
	}
	if r.UnitName != "" {
		text = strings.ReplaceAll(text, r.UnitName, "{单位}")
	}
	return text
}
