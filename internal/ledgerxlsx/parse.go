package ledgerxlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Limits of one import (the limits on the file itself are in limits.go).
const (
	// MaxRows is the most data rows one file may hold; larger ledgers are
	// imported in batches so one mistake does not block a year of records.
	MaxRows = 5000
	// MaxRowErrors is the most row errors reported; past it one summary
	// error says how many more there are.
	MaxRowErrors = 200
	// exampleMark starts the title of the template's example row, which
	// Parse skips so a user who leaves it in does not import it.
	exampleMark = "【示例】"
)

// RowError is one problem in one cell of the file.
type RowError struct {
	Row    int    // Excel row number as the user sees it (1-based); 0 for a summary
	Column string // header text, e.g. "日期"
	Msg    string // Chinese reason
}

func (e RowError) Error() string {
	switch {
	case e.Row == 0:
		return e.Msg
	case e.Column == "":
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Msg)
	}
	return fmt.Sprintf("第 %d 行「%s」：%s", e.Row, e.Column, e.Msg)
}

// FileError is a problem with the file as a whole. Error() is the Chinese
// message for the user; Unwrap keeps the technical cause for logs.
type FileError struct {
	Msg string
	Err error
}

func (e *FileError) Error() string { return e.Msg }
func (e *FileError) Unwrap() error { return e.Err }

// ErrNotXLSX is the cause of a FileError for input that is not an .xlsx
// workbook: errors.Is(err, ErrNotXLSX) tells it apart.
var ErrNotXLSX = errors.New("not an xlsx workbook")

// Input is what Read matches a file against: the importing unit, its
// nodes (the unit with its departments and branches) and people, and today
// (dates after it are refused, as in ledger.Activity.Validate).
type Input struct {
	UnitID int64
	Nodes  []org.Node
	Staff  []org.User
	Today  time.Time
}

// Result is what a file holds, for the preview and the import.
type Result struct {
	// Acts has one activity per data row, in file order, each with
	// UnitID, a deterministic ImportKey (unit, type, date, title and
	// organising node; not the row number, so a re-sorted file still
	// matches) and Import.Row and Import.Claimed set. nil when Errors is
	// not empty: an import is all or nothing.
	Acts   []ledger.Activity
	Errors []RowError
	Sheet  string
	// HeaderRows is the header's first and last row (equal for a one-row
	// header).
	HeaderRows [2]int
	Rows       int        // data rows read
	Matched    []NameNote // names written with a title, matched to a person
	Guests     []NameNote // names on nobody's staff list: outside guests (外请)
	NoteRows   []int      // rows skipped as notes (说明, 备注, 填表人 ...)
	// Warnings are the things a user should see before confirming, as
	// Chinese sentences: ignored columns, outside guests, report entries
	// without their document.
	Warnings []string
	// MissingReport counts the rows of a report type (分析研判), which an
	// import cannot attach a document to: they show 缺报告文档 and are not
	// counted until one is uploaded.
	MissingReport int
}

// Parse is Read for callers that need only the activities and the row
// errors.
func Parse(r io.Reader, unitID int64, nodes []org.Node, staff []org.User, today time.Time) ([]ledger.Activity, []RowError, error) {
	res, err := Read(r, Input{UnitID: unitID, Nodes: nodes, Staff: staff, Today: today})
	if err != nil {
		return nil, nil, err
	}
	return res.Acts, res.Errors, nil
}

// Read reads a filled import template, an earlier Export or a bureau's own
// ledger sheet (title rows above the header, two-row merged headers,
// columns under common aliases, notes rows), within the limits of
// limits.go. Problems in cells come back as RowErrors (all of them, up to
// MaxRowErrors): a file that cannot be read at all, or crosses a limit,
// gives a *FileError whose message is for the user.
func Read(r io.Reader, in Input) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, &FileError{Msg: "读取上传文件失败。", Err: fmt.Errorf("read import file: %w", err)}
	}
	if len(data) > MaxFileSize {
		return nil, limitError("文件超过 %d MB，请分批导入。", MaxFileSize>>20)
	}
	if err := checkSignature(data); err != nil {
		return nil, err
	}
	info, err := inspect(data)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏。", Err: fmt.Errorf("%w: %w", ErrNotXLSX, err)}
	}
	defer f.Close()

	sheet, hdr, err := findHeader(f, info)
	if err != nil {
		return nil, err
	}
	p := newRowParser(in.UnitID, in.Nodes, in.Staff, in.Today)
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		p.date1904 = *props.Date1904
	}
	p.headerText = hdr.text
	res := &Result{Sheet: sheet, HeaderRows: [2]int{hdr.first, hdr.row}}
	wide := wideMergedRows(info.merges[sheet], hdr)

	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &FileError{Msg: "无法读取工作表「" + sheet + "」", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}
	defer rows.Close()

	var (
		acts     []ledger.Activity
		errs     []RowError
		overflow int
		keyRow   = map[string]int{}
		rowNum   = 0
		filled   = map[int]int{} // unknown column → filled cells
	)
	report := func(list ...RowError) {
		for _, e := range list {
			if len(errs) < MaxRowErrors {
				errs = append(errs, e)
			} else {
				overflow++
			}
		}
	}
	for rows.Next() {
		rowNum++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &FileError{Msg: fmt.Sprintf("第 %d 行无法读取，文件可能已损坏。", rowNum), Err: fmt.Errorf("read row %d: %w", rowNum, err)}
		}
		if rowNum <= hdr.row {
			continue
		}
		cells, empty := hdr.cells(cols)
		var unknownHere []string
		for i, name := range hdr.unknown {
			if i < len(cols) && trimCell(cols[i]) != "" {
				filled[i]++
				unknownHere = append(unknownHere, name)
			}
		}
		if isNoteRow(cols, cells, wide[rowNum]) {
			res.NoteRows = append(res.NoteRows, rowNum)
			continue
		}
		if empty || strings.HasPrefix(cells[colTitle], exampleMark) {
			continue
		}
		res.Rows++
		if res.Rows > MaxRows {
			return nil, limitError("数据超过 %d 行，请分批导入。", MaxRows)
		}
		a, rowErrs := p.parseRow(rowNum, cells)
		if len(unknownHere) > 0 {
			// No error may call a cell empty when the row has content
			// in a column that could not be placed.
			slices.Sort(unknownHere)
			for i := range rowErrs {
				if strings.Contains(rowErrs[i].Msg, "不能为空") {
					rowErrs[i].Msg += fmt.Sprintf("（本行「%s」列有内容，但该列名无法识别，请先改正列名）", strings.Join(unknownHere, "」「"))
				}
			}
		}
		report(rowErrs...)
		if a.ImportKey != "" {
			if first, dup := keyRow[a.ImportKey]; dup {
				report(RowError{Row: rowNum, Column: p.column(colTitle),
					Msg: fmt.Sprintf("与第 %d 行重复（日期、类型、主题、组织部门均相同）", first)})
			} else {
				keyRow[a.ImportKey] = rowNum
			}
		}
		if t, ok := ledger.TypeByCode(a.Type); ok && t.Report {
			res.MissingReport++
		}
		acts = append(acts, a)
	}
	if err := rows.Error(); err != nil {
		return nil, &FileError{Msg: "工作表「" + sheet + "」读取失败，文件可能已损坏。", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}

	// Columns that could not be placed: refused when they hold anything
	// (a filled column is never dropped silently), named otherwise.
	var colErrs []RowError
	for _, i := range sortedKeys(hdr.unknown) {
		name := hdr.unknown[i]
		col, _ := excelize.ColumnNumberToName(i + 1)
		if n := filled[i]; n > 0 {
			colErrs = append(colErrs, RowError{Row: hdr.row, Column: name, Msg: fmt.Sprintf(
				"%s 列的列名无法识别，该列有 %d 个单元格有内容，不能忽略。请把列名改为可识别的名称：%s；如该列不需要导入，请删除该列。",
				col, n, acceptedNames())})
		} else {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s 列「%s」的列名无法识别，该列没有内容，已忽略。", col, name))
		}
	}
	for _, name := range hdr.ignored {
		res.Warnings = append(res.Warnings, fmt.Sprintf("「%s」列不导入（由系统生成或统计）。", name))
	}
	errs = append(colErrs, errs...)
	if res.Rows == 0 && len(errs) == 0 {
		return nil, &FileError{Msg: "文件中没有可导入的台账数据（表头下方的行都是空的）。"}
	}
	if overflow > 0 {
		errs = append(errs, RowError{Msg: fmt.Sprintf("另有 %d 处错误未列出，请先改正以上错误后重新导入。", overflow)})
	}
	res.Matched = sortedNotes(p.matched)
	res.Guests = sortedNotes(p.guests)
	if len(res.Guests) > 0 {
		names := make([]string, len(res.Guests))
		for i, g := range res.Guests {
			names[i] = fmt.Sprintf("%s（第 %s 行）", g.Written, joinInts(g.Rows))
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("以下姓名不在本单位人员名单中，将作为外请人员登记，不计入本单位人员的统计（如党组成员上党课）：%s。如是本单位人员，请改为人员名单中的姓名后重新导入。",
			strings.Join(names, "、")))
	}
	if res.MissingReport > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d 条意识形态分析研判报告没有报告文档（导入不带文件）：导入后显示“缺报告文档”，在记录页面上传报告文档之前不计入“上报分析研判报告”。", res.MissingReport))
	}
	if len(res.NoteRows) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("第 %s 行是说明或合计文字，已跳过。", joinInts(res.NoteRows)))
	}
	if len(errs) > 0 {
		res.Errors = errs
		return res, nil
	}
	res.Acts = acts
	return res, nil
}

// notePrefixes start the explanatory rows of bureaus' sheets.
var notePrefixes = []string{"注", "说明", "备注", "填表", "制表", "审核", "填报", "合计", "小计", "总计", "附", "签字", "负责人", "联系人"}

// isNoteRow reports a row that explains the sheet rather than records an
// activity: its date cell is not a date, and it lies under a merged range
// across the sheet (wide) or its first filled cell starts like a note.
func isNoteRow(cols []string, cells map[string]string, wide bool) bool {
	if _, ok := parseDate(cells[colDate], false); ok {
		return false
	}
	if wide {
		return true
	}
	for _, c := range cols {
		if c = trimCell(c); c != "" {
			for _, p := range notePrefixes {
				if strings.HasPrefix(c, p) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// wideMergedRows are the rows below the header covered by a merged range
// three or more columns wide: a note or a section title across the sheet,
// not an activity.
func wideMergedRows(merges [][4]int, h *header) map[int]bool {
	out := map[int]bool{}
	for _, m := range merges {
		if m[2]-m[0] >= 2 && m[3] > h.row {
			for r := max(m[1], h.row+1); r <= m[3] && r <= h.row+MaxSheetRows; r++ {
				out[r] = true
			}
		}
	}
	return out
}

func sortedKeys(m map[int]string) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedNotes(m map[string]*NameNote) []NameNote {
	out := make([]NameNote, 0, len(m))
	for _, n := range m {
		out = append(out, *n)
	}
	slices.SortFunc(out, func(a, b NameNote) int { return a.Rows[0] - b.Rows[0] })
	return out
}

func joinInts(list []int) string {
	s := make([]string, len(list))
	for i, n := range list {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, "、")
}

// checkSignature looks at the file's first bytes, so the user learns why a
// file was refused: an old .xls (or an encrypted workbook, which is an OLE
// container too) needs saving as .xlsx first.
func checkSignature(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件：旧版 .xls 或加密的文件请在 Excel/WPS 中另存为 .xlsx（且不设密码）后再导入。", Err: ErrNotXLSX}
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，请上传由导入模板填写的 .xlsx 文件。", Err: ErrNotXLSX}
	}
	return nil
}
