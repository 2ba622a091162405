package web

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// xlsxTable writes a titled table in the ledger export's style: the
// supervision exports (district matrix, rectification list) use it.
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
