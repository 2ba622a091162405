package ledgerxlsx

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Finding the header row: which sheet holds the ledger and which column
// is which field, however the user arranged them.

// header is the located header row of a sheet.
type header struct {
	row  int               // Excel row number
	cols map[int]string    // 0-based column index → column key
	text map[string]string // column key → header text as written
}

// cells returns the row's values by column key, trimmed, and whether every
// known column is empty (unknown columns such as 序号 do not count).
func (h *header) cells(cols []string) (map[string]string, bool) {
	out := make(map[string]string, len(h.cols))
	empty := true
	for i, key := range h.cols {
		if i >= len(cols) {
			continue
		}
		v := trimCell(cols[i])
		if v != "" {
			out[key] = v
			empty = false
		}
	}
	return out, empty
}

// findHeader picks the sheet to read and its header row: the template's
// sheet, then the export's, then any other sheet, each accepted when one of
// its first rows names at least the 日期, 类型 and 主题 columns.
func findHeader(f *excelize.File) (string, *header, error) {
	sheets := f.GetSheetList()
	var order []string
	for _, want := range []string{TemplateSheet, ExportSheet} {
		for _, s := range sheets {
			if s == want {
				order = append(order, s)
			}
		}
	}
	for _, s := range sheets {
		if s != TemplateSheet && s != ExportSheet && s != helpSheet && s != staffSheet && s != listSheet {
			order = append(order, s)
		}
	}
	for _, sheet := range order {
		h, err := sheetHeader(f, sheet)
		if err != nil {
			return "", nil, err
		}
		if h != nil {
			return sheet, h, nil
		}
	}
	return "", nil, &FileError{Msg: "未找到表头：前 5 行中应有「日期」「类型」「主题」等列名，请使用系统提供的导入模板"}
}

// sheetHeader returns the best header among the sheet's first rows, or nil.
func sheetHeader(f *excelize.File, sheet string) (*header, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &FileError{Msg: "无法读取工作表「" + sheet + "」", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}
	defer rows.Close()
	var best *header
	for n := 1; n <= headerScanRows && rows.Next(); n++ {
		cols, err := rows.Columns()
		if err != nil {
			return nil, &FileError{Msg: "工作表「" + sheet + "」无法读取，文件可能已损坏", Err: fmt.Errorf("read row %d of %s: %w", n, sheet, err)}
		}
		h := &header{row: n, cols: map[int]string{}, text: map[string]string{}}
		for i, c := range cols {
			key := headerKey(c)
			if key == "" || h.text[key] != "" {
				continue // unknown, or a second column for the same field: the first wins
			}
			h.cols[i] = key
			h.text[key] = strings.TrimSpace(c)
		}
		if h.text[colDate] == "" || h.text[colType] == "" || h.text[colTitle] == "" {
			continue
		}
		if best == nil || len(h.cols) > len(best.cols) {
			best = h
		}
	}
	return best, nil
}
