package report

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// LoadAnnex reads the ledger entries of the report period (the annex of
// the Excel workbook) and notes which figures each one counts in.
func (r *Report) LoadAnnex(ctx context.Context, src Source) error {
	acts, err := src.Activities(ctx, ledger.Filter{UnitID: r.UnitID, From: r.Period.From, To: r.Period.To})
	if err != nil {
		return fmt.Errorf("report annex: %w", err)
	}
	in := map[int64][]string{}
	for _, f := range r.UsedFigures() {
		if f.Source == "info" {
			continue
		}
		for _, id := range f.IDs {
			in[id] = append(in[id], f.Label)
		}
	}
	r.Annex = r.Annex[:0]
	for i := len(acts) - 1; i >= 0; i-- { // oldest first
		a := acts[i]
		t, _ := ledger.TypeByCode(a.Type)
		r.Annex = append(r.Annex, AnnexRow{ID: a.ID, Date: a.Date, Type: t.Label, Title: a.Title, Org: a.OrgName, Lead: a.LeadName,
			Late: a.LateDays(cntime.Zone), Figures: in[a.ID]})
	}
	return nil
}

type sheetCol struct {
	header string
	width  float64
}

type xlsxStyles struct{ title, header, body, wrap, num, pct int }

func newXlsxStyles(f *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	specs := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.body, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.wrap, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.num, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "right"}}},
		// 0.0% keeps the precision the text states (11.9%, not 11 or 12).
		{&st.pct, &excelize.Style{Border: border, CustomNumFmt: ptr("0.0%"), Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "right"}}},
	}
	for _, sp := range specs {
		id, err := f.NewStyle(sp.s)
		if err != nil {
			return st, fmt.Errorf("new style: %w", err)
		}
		*sp.dst = id
	}
	return st, nil
}

// writeSheet writes a title row, a frozen header row and the rows. Cells
// that are ints are written as numbers.
func writeSheet(f *excelize.File, st xlsxStyles, name, title string, cols []sheetCol, rows [][]any, wrapCols map[int]bool) error {
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.MergeCell(name, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.SetCellStr(name, "A1", cleanCell(title)); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", last+"1", st.title); err != nil {
		return err
	}
	if err := f.SetRowHeight(name, 1, 30); err != nil {
		return err
	}
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(name, col+"2", c.header); err != nil {
			return err
		}
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(name, "A2", last+"2", st.header); err != nil {
		return err
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+3)
			style := st.body
			switch x := v.(type) {
			case int:
				if err := f.SetCellInt(name, cell, int64(x)); err != nil {
					return err
				}
				style = st.num
			case percent:
				if err := f.SetCellFloat(name, cell, float64(x), -1, 64); err != nil {
					return err
				}
				style = st.pct
			case string:
				if err := f.SetCellStr(name, cell, cleanCell(x)); err != nil {
					return err
				}
				if wrapCols[c] {
					style = st.wrap
				}
			}
			if err := f.SetCellStyle(name, cell, cell, style); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// percent is a fraction written as a percentage cell (0.119 shows 11.9%).
type percent float64

func ptr[T any](v T) *T { return &v }

// figureValue is a figure's value cell: a percentage keeps its fraction.
func figureValue(fig *Figure) any {
	switch {
	case fig.Missing:
		return "缺数据"
	case fig.Unit == "%":
		return percent(fig.Ratio)
	}
	return fig.Value
}

// sheetName makes a worksheet name from a heading: numbering and the
// characters Excel refuses dropped, at most 31 characters, unique.
func sheetName(heading string, used map[string]bool) string {
	h := strings.TrimSpace(heading)
	if i := strings.Index(h, "、"); i >= 0 && i <= 9 {
		h = h[i+len("、"):]
	}
	h = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return -1
		}
		return r
	}, h)
	if h == "" {
		h = "表格"
	}
	if r := []rune(h); len(r) > 28 {
		h = string(r[:28])
	}
	name := h
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s%d", h, n)
	}
	used[name] = true
	return name
}

func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
}

func joinIDs(ids []int64, max int) string {
	var b strings.Builder
	for i, id := range ids {
		if i == max {
			fmt.Fprintf(&b, " 等共%d条", len(ids))
			break
		}
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// WriteXlsx writes the report's figures with their provenance, its tables
// and the ledger annex (LoadAnnex first) as an .xlsx workbook. baseURL,
// when set, makes the record links absolute.
func (r *Report) WriteXlsx(w io.Writer, baseURL string) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXlsxStyles(f)
	if err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	var rows [][]any
	for i, fig := range r.UsedFigures() {
		src := map[string]string{"ledger": "台账", "info": "信息报送", "derived": "由其他数据项计算", "channel": "阵地", "channel_finding": "阵地检查发现的问题",
			"channel_inspection": "检查排查"}[fig.Source]
		value := figureValue(fig)
		link := ""
		if fig.Link != "" {
			link = baseURL + fig.Link
		}
		rows = append(rows, []any{i + 1, fig.Label, value, fig.Text(), fig.Unit, fig.Def, src, len(fig.IDs), joinIDs(fig.IDs, 200), link})
	}
	cols := []sheetCol{{"序号", 6}, {"数据项", 28}, {"数值", 8}, {"文中写法", 10}, {"单位", 6}, {"统计口径", 50}, {"来源", 12}, {"记录数", 8}, {"记录编号", 40}, {"查看记录", 50}}
	title := r.Title + "——数据项及来源"
	if err := writeSheet(f, st, "数据项", title, cols, rows, map[int]bool{1: true, 5: true, 8: true}); err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	used := map[string]bool{"数据项": true, "台账附表": true}
	heading := r.Kind.Label()
	for _, b := range r.Blocks {
		if strings.HasPrefix(b.Style, "h") {
			heading = r.Plain(b.Text)
		}
		if b.Style != "table" || len(b.Rows) < 1 {
			continue
		}
		var tcols []sheetCol
		for _, h := range b.Rows[0] {
			tcols = append(tcols, sheetCol{h, float64(max(8, 3*len([]rune(h))))})
		}
		var trows [][]any
		for _, row := range b.Rows[1:] {
			var cells []any
			for _, c := range row {
				p := r.Plain(c)
				if n, err := strconv.Atoi(p); err == nil {
					cells = append(cells, n)
				} else {
					cells = append(cells, p)
				}
			}
			trows = append(trows, cells)
		}
		if err := writeSheet(f, st, sheetName(heading, used), r.Title, tcols, trows, nil); err != nil {
			return fmt.Errorf("report xlsx: %w", err)
		}
	}
	var arows [][]any
	for i, a := range r.Annex {
		arows = append(arows, []any{i + 1, ledger.FormatDate(a.Date), a.Type, a.Title, a.Org, a.Lead, a.Late, strings.Join(a.Figures, "、"), int(a.ID)})
	}
	acols := []sheetCol{{"序号", 6}, {"日期", 16}, {"类型", 22}, {"主题", 40}, {"组织部门", 16}, {"主讲/负责人", 12}, {"登记滞后（天）", 10}, {"计入数据项", 40}, {"记录编号", 10}}
	if err := writeSheet(f, st, "台账附表", fmt.Sprintf("附表：%s%s意识形态工作台账", r.UnitName, r.Period.Label), acols, arows, map[int]bool{3: true, 7: true}); err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	return nil
}

// SummaryKeys are the figures of the district summary sheet.
var SummaryKeys = []string{"central_group", "party_gov_meeting", "leader_lecture", "preach_clients", "info_written", "info_published",
	"topic_study", "analysis_report", "total", "late", "late_share", "topics_covered"}

// WriteSummary writes one row per unit with its key figures: the summary
// sheet of a district's batch.
func WriteSummary(w io.Writer, title string, reports []*Report) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXlsxStyles(f)
	if err != nil {
		return fmt.Errorf("summary xlsx: %w", err)
	}
	cols := []sheetCol{{"序号", 6}, {"单位", 28}}
	if len(reports) > 0 {
		for _, k := range SummaryKeys {
			if fig := reports[0].Figure(k); fig != nil {
				cols = append(cols, sheetCol{fig.Label + "（" + fig.Unit + "）", 14})
			}
		}
	}
	var rows [][]any
	for i, r := range reports {
		row := []any{i + 1, r.UnitName}
		for _, k := range SummaryKeys {
			fig := r.Figure(k)
			switch {
			case fig == nil:
				continue
			case fig.Missing:
				row = append(row, "缺数据")
			default:
				row = append(row, figureValue(fig))
			}
		}
		rows = append(rows, row)
	}
	if err := writeSheet(f, st, "汇总", title, cols, rows, map[int]bool{1: true}); err != nil {
		return fmt.Errorf("summary xlsx: %w", err)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("summary xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("summary xlsx: %w", err)
	}
	return nil
}
