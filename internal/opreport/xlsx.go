package opreport

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSX is the report's figures as a workbook: one sheet per annex, each
// row naming the stored item or event it counts.
func XLSX(d Data) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, fmt.Errorf("xlsx style: %w", err)
	}
	sheet := func(name string, header []string, widths []float64, rows [][]any) error {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for i, h := range header {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			f.SetCellValue(name, cell, h)
			col, _ := excelize.ColumnNumberToName(i + 1)
			if i < len(widths) {
				f.SetColWidth(name, col, col, widths[i])
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(header), 1)
		f.SetCellStyle(name, "A1", last, head)
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				if err := f.SetCellValue(name, cell, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	title := d.Unit + d.PeriodLabel + "舆情分析报告"
	if d.Event != nil {
		title = "“" + d.Event.Title + "”舆情分析研判报告"
	}
	sum := [][]any{{"报告", title}, {"时段", fmt.Sprintf("%s至%s", date(d.From), date(d.To.Add(-time.Second)))}, {"信息量（条）", d.Items},
		{"负面（条）", d.Negative}, {"正面（条）", d.Positive}, {"转载合并（条）", d.Copies}, {"舆情事件（个）", len(d.Events)}, {"舆情处置（件）", len(d.Incidents)}}
	if d.PrevLabel != "" {
		sum = append(sum, []any{d.PrevLabel + "信息量（条）", d.PrevItems})
	}
	if err := sheet("概况", []string{"项目", "数值"}, []float64{24, 40}, sum); err != nil {
		return nil, err
	}
	f.DeleteSheet("Sheet1")
	var days [][]any
	for _, dy := range append(d.Days, d.Hours...) {
		days = append(days, []any{dy.Date.Format("2006-01-02 15:04"), dy.N, dy.Negative})
	}
	if err := sheet("信息量", []string{"时间", "信息量", "负面"}, []float64{20, 10, 10}, days); err != nil {
		return nil, err
	}
	var counts [][]any
	for _, s := range d.Sources {
		counts = append(counts, []any{"来源", s.ID, s.Name, s.N})
	}
	for _, s := range d.Schemes {
		counts = append(counts, []any{"监测方案", s.ID, s.Name, s.N})
	}
	if err := sheet("来源与方案", []string{"类别", "编号", "名称", "信息量"}, []float64{10, 8, 30, 10}, counts); err != nil {
		return nil, err
	}
	var evs [][]any
	for _, e := range d.Events {
		evs = append(evs, []any{e.ID, e.Title, e.Scheme, e.FirstAt.Format("2006-01-02 15:04"), e.LastAt.Format("2006-01-02 15:04"), e.Items, e.Sources,
			round1(e.Heat), round2(e.Negativity)})
	}
	if d.Event != nil {
		e := d.Event
		evs = append(evs, []any{e.ID, e.Title, e.Scheme, e.FirstAt.Format("2006-01-02 15:04"), e.LastAt.Format("2006-01-02 15:04"), e.Items, e.Sources,
			round1(e.Heat), round2(e.Negativity)})
	}
	if err := sheet("舆情事件", []string{"事件编号", "事件", "监测方案", "首现", "最近", "信息量", "来源数", "热度", "负面倾向"},
		[]float64{10, 36, 16, 18, 18, 8, 8, 8, 10}, evs); err != nil {
		return nil, err
	}
	var qs [][]any
	for _, q := range d.Quotes {
		qs = append(qs, []any{q.ID, q.EventID, q.Label(), q.Source, q.Published.Format("2006-01-02 15:04"), q.URL, round2(q.Negativity), q.Copies})
	}
	if err := sheet("代表性信息", []string{"信息编号", "事件编号", "标题", "来源", "发布时间", "链接", "负面倾向", "转载"},
		[]float64{10, 10, 40, 16, 18, 40, 10, 8}, qs); err != nil {
		return nil, err
	}
	var incs [][]any
	for _, in := range d.Incidents {
		var lim []string
		for _, dl := range in.Deadlines() {
			lim = append(lim, dl.Label+"："+dl.State(d.Generated.Unix()))
		}
		incs = append(incs, []any{in.ID, in.EventID, in.Title, in.LevelLabel(), time.Unix(in.FoundAt, 0).Format("2006-01-02 15:04"), in.StatusLabel(), strings.Join(lim, "；")})
	}
	if err := sheet("舆情处置", []string{"编号", "事件编号", "舆情", "级别", "发现时间", "状态", "时限"}, []float64{8, 10, 36, 14, 18, 10, 50}, incs); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round2(v float64) float64 {
	if v < 0 {
		return -round2(-v)
	}
	return float64(int64(v*100+0.5)) / 100
}
