package ledgerxlsx

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Finding the header: which sheet holds the ledger and which column is
// which field, however the user arranged them. Sheets kept by bureaus have
// a title (and sometimes a unit and period line) above the header, headers
// over two rows with a merged group cell ("参会情况" over 参加人员 and
// 缺席人员及原因), and explanatory notes; the header reader places every
// column or says which it could not place.

// headerScanRows is how many leading rows may hold the header.
const headerScanRows = 10

// header is the located header of a sheet.
type header struct {
	first, row int               // first and last header row (Excel numbers); data starts below row
	cols       map[int]string    // 0-based column index → column key
	text       map[string]string // column key → header text as written
	// unknown maps a column whose header is not recognised (or repeats a
	// recognised one) to that header, for the message naming it.
	unknown map[int]string
	ignored []string // headers of columns ignored on purpose (序号)
	score   int
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

// findHeader picks the sheet to read and its header: the template's sheet,
// then the export's, then any other sheet, each accepted when its header
// names at least the 日期, 类型 and 主题 columns.
func findHeader(f *excelize.File, info *workbookInfo) (string, *header, error) {
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
		grid, err := topRows(f, sheet)
		if err != nil {
			return "", nil, err
		}
		if h := placeHeader(grid, info.merges[sheet]); h != nil {
			return sheet, h, nil
		}
	}
	return "", nil, &FileError{Msg: fmt.Sprintf("未找到表头：前 %d 行中应有「日期」「类型」「主题」等列名。可识别的列名：%s。请使用系统提供的导入模板，或把表头改为以上名称。",
		headerScanRows, acceptedNames())}
}

// topRows reads the first headerScanRows rows of a sheet as text.
func topRows(f *excelize.File, sheet string) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &FileError{Msg: "无法读取工作表「" + sheet + "」", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}
	defer rows.Close()
	var grid [][]string
	for n := 1; n <= headerScanRows && rows.Next(); n++ {
		cols, err := rows.Columns()
		if err != nil {
			return nil, &FileError{Msg: "工作表「" + sheet + "」无法读取，文件可能已损坏。", Err: fmt.Errorf("read row %d of %s: %w", n, sheet, err)}
		}
		for i := range cols {
			cols[i] = trimCell(cols[i])
		}
		grid = append(grid, cols)
	}
	return grid, nil
}

// placeHeader finds the header in the top rows of a sheet (grid[0] is
// Excel row 1), or nil. Merged ranges carry their value (stored in the
// top-left cell only) to every cell they cover, so a header merged over
// two rows reads the same in both. Every row, and every pair of adjacent
// rows read as one header, is a candidate; the one that places the most
// columns with the fewest it cannot place wins, and on a tie the one
// ending lower (a title row above the header is not the header), then the
// single row.
func placeHeader(grid [][]string, merges [][4]int) *header {
	width := 0
	for _, r := range grid {
		width = max(width, len(r))
	}
	full := make([][]string, len(grid))
	for i, r := range grid {
		full[i] = make([]string, width)
		copy(full[i], r)
	}
	for _, m := range merges {
		c1, r1, c2, r2 := m[0]-1, m[1]-1, min(m[2], width)-1, min(m[3], len(grid))-1
		if r1 < 0 || c1 < 0 || r1 >= len(grid) || c1 >= width {
			continue
		}
		v := full[r1][c1]
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if full[r][c] == "" {
					full[r][c] = v
				}
			}
		}
	}
	var best *header
	consider := func(h *header) {
		if h.text[colDate] == "" || h.text[colType] == "" || h.text[colTitle] == "" {
			return
		}
		if best == nil || h.score > best.score || (h.score == best.score && h.row > best.row) {
			best = h
		}
	}
	for n := range full {
		consider(readHeader(full, n, n))
		if n+1 < len(full) {
			consider(readHeader(full, n, n+1))
		}
	}
	return best
}

// readHeader reads rows top..bottom (0-based, one or two rows) as a header.
// In a two-row header a column takes the lower cell when it names a field
// (or the two together do), the upper one when the lower is empty or the
// same (merged down); otherwise the column cannot be placed.
func readHeader(full [][]string, top, bottom int) *header {
	h := &header{first: top + 1, row: bottom + 1, cols: map[int]string{}, text: map[string]string{}, unknown: map[int]string{}}
	for i := range full[top] {
		t, b := full[top][i], full[bottom][i]
		name, key := t, headerKey(t)
		if bottom != top {
			switch {
			case b == "" || b == t:
			case t == "":
				name, key = b, headerKey(b)
			case headerKey(b) != "":
				name, key = b, headerKey(b)
			case headerKey(t+b) != "":
				name, key = t+b, headerKey(t+b)
			default:
				name, key = t+"／"+b, ""
			}
		}
		switch {
		case name == "":
		case key == "" && ignoredHeaders[normalizeHeader(name)]:
			h.ignored = append(h.ignored, name)
		case key == "":
			h.unknown[i] = name
			h.score--
		case h.text[key] != "":
			// A second column for a field already placed: not dropped
			// silently, named as a column that cannot be placed.
			h.unknown[i] = name + "（与「" + h.text[key] + "」列重复）"
			h.score--
		default:
			h.cols[i] = key
			h.text[key] = strings.TrimSpace(name)
			h.score++
		}
	}
	return h
}
