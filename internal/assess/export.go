package assess

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/chartimg"
	"zhendi/internal/docx"
)

// Results is a year's assessment of a district's units, ranked: what the
// 通报 and the workbook are written from.
type Results struct {
	Tree   Tree
	Ranked []Ranked
	// Live: some results are not frozen yet, so the numbers may still
	// change with the records (the 通报 says so).
	Live bool
}

// itemAverage is the mean score of an indicator over the units, with the
// number of units that lost points on it.
func (rs Results) itemStats(ind Indicator) (avg float64, short int) {
	if len(rs.Ranked) == 0 {
		return 0, 0
	}
	var sum float64
	for _, u := range rs.Ranked {
		for _, l := range u.Result.Lines {
			if l.Indicator.ID != ind.ID {
				continue
			}
			sum += l.Score
			if l.NA == "" && ((ind.Rule == RulePenalty && l.Score < 0) || (ind.Rule != RulePenalty && !ind.Bonus && ind.Points > 0 && l.Score < ind.Points)) || l.Vetoed {
				short++
			}
		}
	}
	return round2(sum / float64(len(rs.Ranked))), short
}

// Circular writes the 考核结果通报 (GB/T 9704 through internal/docx; the
// caller adds the 主送机关, 落款 and 版记 from the 公文设置): what was
// assessed and how, the result in a sentence per band, the units vetoed,
// the indicators most units lost points on, and the ranking as a table.
//
// charts (the ranking drawn by RankingChart, rendered by the caller, who
// holds the font) go after the result paragraphs; none leaves the table alone.
func (rs Results) Circular(charts ...docx.Image) docx.Doc {
	t := rs.Tree
	d := docx.Doc{Title: fmt.Sprintf("关于%d年度意识形态工作责任制考核结果的通报", t.Year)}
	n := len(rs.Ranked)
	var avg float64
	for _, u := range rs.Ranked {
		avg += u.Result.Total
	}
	if n > 0 {
		avg = round2(avg / float64(n))
	}
	d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("按照《%s》，对%d个单位%d年度落实意识形态工作责任制情况进行了考核。考核细则共%d项指标，满分%s分，"+
		"其中台账、督导、信息报送、整改等能够由记录计算的指标按系统记录自动计分，其余指标由各单位自评并提供佐证，经审核确定。应当履行的义务没有记录的，按未完成计分；本年度确实不涉及的指标计为不适用，基本分按适用指标的得分率折算。意识形态工作考核结果在年度目标绩效考核中占%s%%。",
		t.Name, n, t.Year, len(t.Indicators), num(t.FullMarks()), num(t.Weight))})
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "一、考核结果"})
	if n == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "本年度没有参加考核的单位。"})
	} else {
		var top []string
		for _, u := range rs.Ranked {
			// Named as leading only where there is a field to lead and a good score.
			if n > 1 && u.Rank <= 3 && u.Result.Total >= 80 {
				top = append(top, fmt.Sprintf("%s（%s分）", u.Name, num(u.Result.Total)))
			}
		}
		p := fmt.Sprintf("参加考核的%d个单位平均得分%s分。", n, num(avg))
		if len(top) > 0 {
			p += "得分居前的是" + strings.Join(top, "、") + "。"
		}
		d.Blocks = append(d.Blocks, docx.Para{Text: p})
		var vetoed []string
		for _, u := range rs.Ranked {
			if u.Result.Vetoed {
				vetoed = append(vetoed, fmt.Sprintf("%s（%s）", u.Name, strings.Join(u.Result.VetoBy, "、")))
			}
		}
		if len(vetoed) > 0 {
			d.Blocks = append(d.Blocks, docx.Para{Text: "因一票否决事项考核计为0分的单位：" + strings.Join(vetoed, "；") + "。"})
		}
		var low []string
		for _, u := range rs.Ranked {
			if !u.Result.Vetoed && u.Result.Total < 60 {
				low = append(low, fmt.Sprintf("%s（%s分）", u.Name, num(u.Result.Total)))
			}
		}
		if len(low) > 0 {
			d.Blocks = append(d.Blocks, docx.Para{Text: "得分不足60分的单位：" + strings.Join(low, "、") + "，请对照考核细则逐项整改。"})
		}
	}
	for _, c := range charts {
		d.Blocks = append(d.Blocks, c)
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "二、存在的主要问题"})
	var weak []string
	for _, ind := range t.Indicators {
		if _, short := rs.itemStats(ind); short > 0 && n > 0 {
			weak = append(weak, fmt.Sprintf("“%s”有%d个单位失分", innerQuotes(ind.Name), short))
		}
	}
	if len(weak) == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "各单位各项指标均未失分。"})
	} else {
		if len(weak) > 6 {
			weak = weak[:6]
		}
		d.Blocks = append(d.Blocks, docx.Para{Text: "从各项指标看，" + strings.Join(weak, "，") + "。各单位失分的具体依据见附表和考核系统中的记录。"})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "三、有关要求"})
	d.Blocks = append(d.Blocks, docx.Para{Text: "各单位要对照考核结果，把失分事项列入问题清单，明确责任人和整改时限，整改情况纳入下一年度考核。考核结果作为领导班子和领导干部年度考核、评先评优的重要依据。"})
	if rs.Live {
		d.Blocks = append(d.Blocks, docx.Para{Text: "（本通报中尚未冻结的单位得分随台账记录变化，以冻结后的结果为准。）"})
	}
	d.Blocks = append(d.Blocks, docx.PageBreak{}, docx.Heading{Level: 1, Text: "附表：各单位考核得分"})
	rows := make([][]string, 0, n)
	for _, u := range rs.Ranked {
		veto := ""
		if u.Result.Vetoed {
			veto = "是"
		}
		rows = append(rows, []string{fmt.Sprint(u.Rank), u.Name, num(u.Result.Base), num(u.Result.Bonus), num(u.Result.Penalty), num(u.Result.Total), veto})
	}
	d.Blocks = append(d.Blocks, docx.Table{Header: []string{"名次", "单位", "基本分", "加分", "扣分", "总分", "一票否决"}, Rows: rows, Widths: []int{3, 12, 4, 3, 3, 4, 4}})
	return d
}

// RankingChart is the ranking as a horizontal bar chart of the totals,
// highest at the top, for the 通报.
func (rs Results) RankingChart() chartimg.Chart {
	c := chartimg.Chart{Kind: chartimg.Bar, Horizontal: true, Unit: "分", Series: []chartimg.Series{{Name: "总分"}}}
	// Horizontal bars run from the bottom category up: list the last first.
	for i := len(rs.Ranked) - 1; i >= 0; i-- {
		u := rs.Ranked[i]
		c.Categories = append(c.Categories, u.Name)
		c.Series[0].Values = append(c.Series[0].Values, u.Result.Total)
	}
	c.HeightMM = min(max(40, 7*float64(len(rs.Ranked))+20), 200)
	return c
}

// Workbook writes the results as Excel: the ranking, every item's score per
// unit, and every score's basis with its record ids (provenance).
func (rs Results) Workbook() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	rank := "考核排名"
	if err := f.SetSheetName(f.GetSheetName(0), rank); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}
	put := func(sheet string, row int, vals ...any) {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			f.SetCellValue(sheet, cell, v)
		}
	}
	title := fmt.Sprintf("%d年度意识形态工作责任制考核排名（%s）", rs.Tree.Year, rs.Tree.Name)
	put(rank, 1, title)
	put(rank, 2, "名次", "单位", "状态", "基本分", "加分", "扣分", "总分", "一票否决事项", "折合目标绩效分")
	f.SetRowStyle(rank, 2, 2, head)
	for i, u := range rs.Ranked {
		put(rank, i+3, u.Rank, u.Name, StateLabel(u.State), u.Result.Base, u.Result.Bonus, u.Result.Penalty, u.Result.Total,
			strings.Join(u.Result.VetoBy, "、"), u.Result.Weighted)
	}
	f.SetColWidth(rank, "B", "B", 28)
	f.SetColWidth(rank, "H", "H", 30)

	items := "分项得分"
	if _, err := f.NewSheet(items); err != nil {
		return nil, err
	}
	hdr := []any{"单位"}
	for _, ind := range rs.Tree.Indicators {
		hdr = append(hdr, ind.Name)
	}
	put(items, 1, hdr...)
	f.SetRowStyle(items, 1, 1, head)
	for i, u := range rs.Ranked {
		row := []any{u.Name}
		by := map[int64]any{}
		for _, l := range u.Result.Lines {
			by[l.Indicator.ID] = l.Score
			if l.NA != "" {
				by[l.Indicator.ID] = "不适用"
			}
		}
		for _, ind := range rs.Tree.Indicators {
			row = append(row, by[ind.ID])
		}
		put(items, i+2, row...)
	}
	f.SetColWidth(items, "A", "A", 28)

	basis := "计分依据"
	if _, err := f.NewSheet(basis); err != nil {
		return nil, err
	}
	put(basis, 1, "单位", "指标", "得分", "来源", "计数说明", "记录", "自评佐证", "审核理由")
	f.SetRowStyle(basis, 1, 1, head)
	row := 2
	for _, u := range rs.Ranked {
		for _, l := range u.Result.Lines {
			var note, recs string
			if m := l.Item.Measure; m != nil {
				note = m.Note
				var parts []string
				for _, r := range m.Refs {
					s := r.Label
					if r.ID != 0 {
						s = fmt.Sprintf("%s#%d %s", refKind(r.Kind), r.ID, r.Label)
					}
					parts = append(parts, s)
				}
				recs = strings.Join(parts, "\n")
			}
			var score any = l.Score
			if l.NA != "" {
				score = "不适用" // the note gives the reason
			}
			put(basis, row, u.Name, l.Indicator.Name, score, byText(l.By), note, recs, l.Item.Evidence, l.Item.Reason)
			row++
		}
	}
	f.SetColWidth(basis, "A", "B", 24)
	f.SetColWidth(basis, "E", "F", 50)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// innerQuotes turns the double quotes inside a quoted name into single
// ones (GB/T 15834: quotes within quotes).
func innerQuotes(s string) string {
	return strings.NewReplacer("“", "‘", "”", "’").Replace(s)
}

func refKind(k string) string {
	switch k {
	case "activity":
		return "台账"
	case "info":
		return "信息"
	case "rect":
		return "整改"
	case "debrief":
		return "述职"
	case "case":
		return "问责"
	case "finding":
		return "阵地问题"
	case "inspection":
		return "阵地检查"
	case "incident":
		return "舆情事件"
	}
	return "记录"
}

func byText(by string) string {
	switch by {
	case "auto":
		return "自动计分"
	case "self":
		return "自评"
	case "review":
		return "审核"
	}
	return "未评分"
}
