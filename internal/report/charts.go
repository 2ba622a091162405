package report

import (
	"fmt"
	"strconv"
	"strings"

	"zhendi/internal/chartimg"
	"zhendi/internal/ledger"
)

// charts are the figures of the half-year and annual reports drawn, each
// chart followed by a table of the same numbers (a reader who cannot see
// the picture, or a document printed without it, loses nothing):
//
//   - 图1: the period's entries per month, stacked by kind of activity
//     (ledger.Groups: 理论学习, 会议, 三会一课 …, as the home page's chart
//     stacks them); the table's
//     合计 is the figure total (台账记录总数);
//   - 图2: from 1 January to the period's end, the entries on each
//     required topic (必修课), with whether the year's study plan lists it;
//     the counts are the figures topic_<code>.
//
// Nothing is drawn for a period without entries.
func (b *builder) charts() ([]Block, error) {
	if len(b.acts) == 0 {
		return nil, nil
	}
	p := b.req.Period
	months := periodMonths(p)
	var groups []string
	for _, g := range ledger.Groups() {
		groups = append(groups, g.Name)
	}
	groups = append(groups, "其他")
	counts := map[string]map[string]int{} // month key -> group -> n
	for _, a := range b.acts {
		if len(a.Date) < 7 {
			continue
		}
		t, _ := ledger.TypeByCode(a.Type)
		g := t.Group
		if g == "" {
			g = "其他"
		}
		if counts[a.Date[:7]] == nil {
			counts[a.Date[:7]] = map[string]int{}
		}
		counts[a.Date[:7]][g]++
	}
	used := []string{}
	for _, g := range groups {
		for _, m := range months {
			if counts[m][g] > 0 {
				used = append(used, g)
				break
			}
		}
	}
	// The table has a row per kind and a column per month (kinds across
	// would not fit the text block at twelve months).
	byMonth := chartimg.Chart{Kind: chartimg.StackedBar, Unit: "次"}
	header := []string{"类别"}
	for _, m := range months {
		byMonth.Categories = append(byMonth.Categories, monthLabel(m))
		header = append(header, monthLabel(m))
	}
	rows := [][]string{append(header, "合计")}
	monthTotals := make([]int, len(months))
	all := 0
	for _, g := range used {
		vals := make([]float64, len(months))
		row := []string{g}
		sum := 0
		for j, m := range months {
			n := counts[m][g]
			vals[j] = float64(n)
			row = append(row, strconv.Itoa(n))
			monthTotals[j] += n
			sum += n
		}
		all += sum
		byMonth.Series = append(byMonth.Series, chartimg.Series{Name: g, Values: vals})
		rows = append(rows, append(row, strconv.Itoa(sum)))
	}
	total := []string{"合计"}
	for _, n := range monthTotals {
		total = append(total, strconv.Itoa(n))
	}
	rows = append(rows, append(total, strconv.Itoa(all)))

	inPlan := b.planTopics()
	topics := chartimg.Chart{Kind: chartimg.Bar, Horizontal: true, Unit: "次", HeightMM: float64(24 + 8*len(ledger.RequiredTopics))}
	trows := [][]string{{"必修课", "学习次数", "列入年度学习计划"}}
	var tvals []float64
	for _, t := range ledger.RequiredTopics {
		n := 0
		if f := b.r.Figure("topic_" + t.Code); f != nil {
			n = f.Value
		}
		label := strings.Trim(t.Label, "《》")
		topics.Categories = append(topics.Categories, label)
		tvals = append(tvals, float64(n))
		planned := "—"
		if len(inPlan) > 0 {
			planned = "否"
			for _, c := range inPlan {
				if c == t.Code {
					planned = "是"
				}
			}
		}
		trows = append(trows, []string{t.Label, strconv.Itoa(n), planned})
	}
	topics.Series = []chartimg.Series{{Name: "学习次数", Values: tvals}}

	ytd := fmt.Sprintf("%s至%s", ledger.FormatDate(b.ytd.From), ledger.FormatDate(b.ytd.To))
	intro := fmt.Sprintf("%s台账记录的活动按月份和类别统计见图1、表1，%s各项必修课的学习次数见图2、表2。", b.fill("{期间}"), ytd)
	return []Block{
		{Key: "auto.charts.intro", Style: "p", Text: intro},
		{Key: "auto.charts.months", Style: "chart", Text: "图1　" + b.fill("{期间}") + "各月开展活动情况（按类别）", Chart: &byMonth},
		{Key: "auto.charts.months.table", Style: "table", Rows: rows},
		{Key: "auto.charts.topics", Style: "chart", Text: "图2　" + ytd + "必修课学习情况", Chart: &topics},
		{Key: "auto.charts.topics.table", Style: "table", Rows: trows},
	}, nil
}

// periodMonths are the month keys ("2023-01") of a period, in order.
func periodMonths(p ledger.Period) []string {
	var out []string
	if len(p.From) < 7 || len(p.To) < 7 {
		return nil
	}
	y, _ := strconv.Atoi(p.From[:4])
	m, _ := strconv.Atoi(p.From[5:7])
	for i := 0; i < 24; i++ {
		key := fmt.Sprintf("%04d-%02d", y, m)
		if key > p.To[:7] {
			break
		}
		out = append(out, key)
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

// monthLabel is "6月" for "2023-06".
func monthLabel(key string) string {
	m, _ := strconv.Atoi(key[5:7])
	return strconv.Itoa(m) + "月"
}
