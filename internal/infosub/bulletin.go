package infosub

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/chartimg"
	"zhendi/internal/docx"
)

// BulletinRow is one department (or, in a district roll-up, one unit) of
// the monthly bulletin (信息编发月通报).
type BulletinRow struct {
	OrgID     int64
	Name      string
	Submitted int // drafts first submitted in the month (not withdrawn)
	Approved  int // drafts passing 终审 in the month
	Published int // distinct drafts with a publication or adoption dated in the month
	Adopted   int // distinct drafts adopted by a higher level in the month
	Points    int // points of the month's publication and adoption records
	Quota     int // monthly quota (0: none)
	Rank      int
}

// QuotaMet reports whether the quota is met (always true without a quota).
func (r BulletinRow) QuotaMet() bool { return r.Submitted >= r.Quota }

// Zero reports 零报送.
func (r BulletinRow) Zero() bool { return r.Submitted == 0 }

// Bulletin is the monthly information bulletin of a unit or district.
type Bulletin struct {
	Month    string // YYYY-MM
	From, To string // its first and last day
	Label    string // 2023年5月
	Scope    string // unit or district name
	District bool   // rows are units
	Rows     []BulletinRow
	Total    BulletinRow
}

// CanReadBulletin reports whether the scope may read a unit's bulletin: it
// is circulated in the unit, so every user of the unit with content access
// and every unit-wide reader (leaders, supervisors) may see it.
func CanReadBulletin(sc access.Scope, unitID int64) bool {
	return slices.Contains(sc.ReadUnits, unitID) || (sc.HomeUnit == unitID && sc.HasContent())
}

// DistrictScope is the Scope of a bulletin whose rows are units.
const DistrictScope = "各单位"

// MonthRange parses "2023-05" into its first and last day and label.
func MonthRange(month string) (from, to, label string, err error) {
	bad := apperr.Rule(fmt.Sprintf("月份“%s”无法识别（示例：2023-05）", month))
	if len(month) != 7 || month[4] != '-' {
		return "", "", "", bad
	}
	y, err1 := strconv.Atoi(month[:4])
	m, err2 := strconv.Atoi(month[5:])
	if err1 != nil || err2 != nil || y < 2000 || y > 2100 || m < 1 || m > 12 {
		return "", "", "", bad
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return fmt.Sprintf("%04d-%02d-01", y, m), fmt.Sprintf("%04d-%02d-%02d", y, m, days), fmt.Sprintf("%d年%d月", y, m), nil
}

// Finish ranks the rows (points, then adopted, published, submitted; equal
// figures share a rank) and computes the totals.
func (b *Bulletin) Finish() {
	sort.SliceStable(b.Rows, func(i, j int) bool {
		x, y := b.Rows[i], b.Rows[j]
		if x.Points != y.Points {
			return x.Points > y.Points
		}
		if x.Adopted != y.Adopted {
			return x.Adopted > y.Adopted
		}
		if x.Published != y.Published {
			return x.Published > y.Published
		}
		return x.Submitted > y.Submitted
	})
	b.Total = BulletinRow{Name: "合计"}
	for i := range b.Rows {
		r := &b.Rows[i]
		r.Rank = i + 1
		if i > 0 {
			p := b.Rows[i-1]
			if p.Points == r.Points && p.Adopted == r.Adopted && p.Published == r.Published && p.Submitted == r.Submitted {
				r.Rank = p.Rank
			}
		}
		b.Total.Submitted += r.Submitted
		b.Total.Approved += r.Approved
		b.Total.Published += r.Published
		b.Total.Adopted += r.Adopted
		b.Total.Points += r.Points
		b.Total.Quota += r.Quota
	}
}

// ZeroNames lists the rows with 零报送.
func (b Bulletin) ZeroNames() []string {
	var out []string
	for _, r := range b.Rows {
		if r.Zero() {
			out = append(out, r.Name)
		}
	}
	return out
}

// Unmet lists rows that missed their quota (零报送 included).
func (b Bulletin) Unmet() []string {
	var out []string
	for _, r := range b.Rows {
		if !r.QuotaMet() {
			out = append(out, fmt.Sprintf("%s（%d/%d）", r.Name, r.Submitted, r.Quota))
		}
	}
	return out
}

func (b Bulletin) unitWord() string {
	if b.District {
		return "单位"
	}
	return "科室"
}

// Summary is the bulletin's opening paragraph with exact counts.
func (b Bulletin) Summary() string { return b.summary(Itoa) }

// Itoa writes a bulletin figure as a plain number (Bulletin.Content's num
// for the page and the Word document).
func Itoa(_ string, n int) string { return strconv.Itoa(n) }

// BulletinFigures name the totals the summary states, in order: the keys
// Content passes to num.
var BulletinFigures = []struct{ Key, Label, Unit, Def string }{
	{"bulletin_submitted", "报送信息", "条", "当月首次提交（不含撤回、删除）的信息稿件"},
	{"bulletin_approved", "终审通过", "条", "当月通过终审的信息稿件"},
	{"bulletin_published", "在各类媒体发表", "条", "当月有发布或采用记录的不同信息稿件（同一信息多渠道发表计一条）"},
	{"bulletin_adopted", "被上级采用", "条", "当月有上级采用记录的不同信息稿件"},
	{"bulletin_points", "积分", "分", "当月发布和采用记录按本单位设定分值计算的积分"},
}

// Totals are the values of BulletinFigures, in order.
func (b Bulletin) Totals() []int {
	t := b.Total
	return []int{t.Submitted, t.Approved, t.Published, t.Adopted, t.Points}
}

func (b Bulletin) summary(num func(key string, n int) string) string {
	v := b.Totals()
	k := func(i int) string { return num(BulletinFigures[i].Key, v[i]) }
	s := fmt.Sprintf("%s，%s共报送信息%s条，终审通过%s条，在各类媒体发表%s条，被上级采用%s条，计%s分。",
		b.Label, b.Scope, k(0), k(1), k(2), k(3), k(4))
	if len(b.Rows) > 0 && b.Rows[0].Points > 0 {
		s += fmt.Sprintf("%s积分居首。", b.Rows[0].Name)
	}
	return s
}

var bulletinHeader = []string{"排名", "名称", "报送", "终审通过", "发表", "采用", "积分", "月任务", "完成情况"}

func (b Bulletin) cells(r BulletinRow) []string {
	met := "完成"
	switch {
	case r.Quota == 0 && r.Zero():
		met = "零报送"
	case r.Quota == 0:
		met = "无任务"
	case r.Zero():
		met = "零报送"
	case !r.QuotaMet():
		met = "未完成"
	}
	quota := strconv.Itoa(r.Quota)
	if r.Quota == 0 {
		quota = "—"
	}
	return []string{strconv.Itoa(r.Rank), r.Name, strconv.Itoa(r.Submitted), strconv.Itoa(r.Approved), strconv.Itoa(r.Published),
		strconv.Itoa(r.Adopted), strconv.Itoa(r.Points), quota, met}
}

// Title is the bulletin's title; Subtitle its month.
func (b Bulletin) Title() string    { return b.Scope + "信息编发情况通报" }
func (b Bulletin) Subtitle() string { return "（" + b.Label + "）" }

// Content is the bulletin's text and table: the page, the Word document
// and the 报告 of kind 信息编发月通报 (package report, which passes num to
// lock the totals as figures) all write these blocks, so they are one
// document. The table ends with a 合计 row.
func (b Bulletin) Content(num func(key string, n int) string) []docx.Block {
	var d []docx.Block
	d = append(d, docx.Heading{Level: 1, Text: "一、总体情况"}, docx.Para{Text: b.summary(num)})
	d = append(d, docx.Heading{Level: 1, Text: "二、各" + b.unitWord() + "排名"})
	t := docx.Table{Header: bulletinHeader, Widths: []int{3, 10, 3, 4, 3, 3, 3, 3, 5}}
	for _, r := range b.Rows {
		t.Rows = append(t.Rows, b.cells(r))
	}
	tot := b.cells(b.Total)
	tot[0], tot[8] = "", ""
	t.Rows = append(t.Rows, tot)
	d = append(d, t)
	d = append(d, docx.Heading{Level: 1, Text: "三、零报送和未完成任务情况"})
	if z := b.ZeroNames(); len(z) > 0 {
		d = append(d, docx.Para{Text: "本月零报送的" + b.unitWord() + "：" + strings.Join(z, "、") + "。"})
	} else {
		d = append(d, docx.Para{Text: "本月没有零报送的" + b.unitWord() + "。"})
	}
	if u := b.Unmet(); len(u) > 0 {
		d = append(d, docx.Para{Text: "未完成月度报送任务的" + b.unitWord() + "（已报送/任务）：" + strings.Join(u, "、") + "。"})
	}
	d = append(d, docx.Para{Text: "说明：报送数按首次提交日期统计，不含撤回；发表数按发布或采用记录的日期统计，同一条信息在多个渠道发表计一条；积分按本单位设定的各级采用分值计算。"})
	return d
}

// Doc is the bulletin as an official document (rendered by report/docx),
// without the ranking chart; DocCharts draws it.
func (b Bulletin) Doc() docx.Doc {
	return docx.Doc{Title: b.Title(), Subtitle: b.Subtitle(), Blocks: b.Content(Itoa)}
}

// RankingCaption is the caption of the ranking chart.
func (b Bulletin) RankingCaption() string {
	return "图1　" + b.Label + "各" + b.unitWord() + "信息报送积分和报送数"
}

// RankingChart is the ranking table drawn: points and submissions of each
// department (or unit), in the table's order, the first on top. Its
// numbers are the table's.
func (b Bulletin) RankingChart() chartimg.Chart {
	c := chartimg.Chart{Kind: chartimg.Bar, Horizontal: true, HeightMM: float64(min(30+9*len(b.Rows), 220))}
	points := chartimg.Series{Name: "积分（分）"}
	sub := chartimg.Series{Name: "报送（条）"}
	for _, r := range b.Rows {
		c.Categories = append(c.Categories, r.Name)
		points.Values = append(points.Values, float64(r.Points))
		sub.Values = append(sub.Values, float64(r.Submitted))
	}
	c.Series = []chartimg.Series{points, sub}
	return c
}

// DocCharts is Doc with the ranking chart above the ranking table. A nil
// charts (no CJK font, see chartimg) leaves the chart out; so does a
// bulletin without rows.
func (b Bulletin) DocCharts(charts *chartimg.Renderer) (docx.Doc, error) {
	d := b.Doc()
	if charts == nil || len(b.Rows) == 0 {
		return d, nil
	}
	img, err := charts.Image(b.RankingChart(), b.RankingCaption())
	if err != nil {
		return d, fmt.Errorf("bulletin chart: %w", err)
	}
	for i, blk := range d.Blocks {
		if _, ok := blk.(docx.Table); ok {
			d.Blocks = append(d.Blocks[:i], append([]docx.Block{img}, d.Blocks[i:]...)...)
			break
		}
	}
	return d, nil
}

// XLSX is the bulletin as a spreadsheet, styled like the ledger export.
func (b Bulletin) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "信息编发情况"
	f.SetSheetName("Sheet1", sheet)
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return nil, fmt.Errorf("bulletin style: %w", err)
	}
	header, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	body, _ := f.NewStyle(&excelize.Style{Border: border})
	warn, _ := f.NewStyle(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C00000", Bold: true}})
	f.SetCellValue(sheet, "A1", b.Scope+"信息编发情况通报（"+b.Label+"）")
	f.MergeCell(sheet, "A1", "I1")
	f.SetCellStyle(sheet, "A1", "I1", title)
	for i, h := range bulletinHeader {
		c, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue(sheet, c, h)
	}
	f.SetCellStyle(sheet, "A2", "I2", header)
	rows := append(append([]BulletinRow{}, b.Rows...), b.Total)
	for ri, r := range rows {
		cells := b.cells(r)
		if ri == len(rows)-1 {
			cells[0], cells[8] = "", ""
		}
		for ci, v := range cells {
			c, _ := excelize.CoordinatesToCellName(ci+1, ri+3)
			if n, err := strconv.Atoi(v); err == nil && ci != 1 {
				f.SetCellValue(sheet, c, n)
			} else {
				f.SetCellValue(sheet, c, v)
			}
			st := body
			if ci == 8 && v != "完成" && v != "" {
				st = warn
			}
			f.SetCellStyle(sheet, c, c, st)
		}
	}
	for i, w := range []float64{6, 24, 8, 10, 8, 8, 8, 8, 10} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, w)
	}
	note := fmt.Sprintf("A%d", len(rows)+4)
	f.SetCellValue(sheet, note, "说明：报送按首次提交日期统计（不含撤回）；发表、采用按记录日期统计，同一信息多渠道发表计一条；积分按本单位设定分值。")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write bulletin xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
