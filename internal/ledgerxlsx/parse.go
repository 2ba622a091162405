package ledgerxlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Limits of one import.
const (
	// MaxRows is the most data rows one file may hold; larger ledgers are
	// imported in batches so one mistake does not block a year of records.
	MaxRows = 5000
	// MaxRowErrors is the most row errors reported; past it one summary
	// error says how many more there are.
	MaxRowErrors = 200
	// MaxFileSize bounds what Parse reads from r.
	MaxFileSize = 32 << 20
	// headerScanRows is how many leading rows may hold the header (the
	// export has a title row above it; hand-made sheets often have more).
	headerScanRows = 5
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

// Parse reads a filled import template, or an earlier Export, and returns
// one activity per data row for service.ImportActivities. Every activity has
// UnitID = unitID and a deterministic ImportKey (unit, type, date, title and
// organising node; not the row number), so importing the same file twice
// adds nothing.
//
// nodes are the unit itself with its departments and branches; staff are
// the unit's people, against whom every name in the file is matched. today
// bounds dates as in ledger.Activity.Validate.
//
// Problems in cells come back as RowErrors (all of them, up to
// MaxRowErrors); when there are any, the activity slice is nil, because an
// import is all or nothing. A file that cannot be read at all gives a
// *FileError.
func Parse(r io.Reader, unitID int64, nodes []org.Node, staff []org.User, today time.Time) ([]ledger.Activity, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, nil, &FileError{Msg: "读取上传文件失败", Err: fmt.Errorf("read import file: %w", err)}
	}
	if len(data) > MaxFileSize {
		return nil, nil, &FileError{Msg: fmt.Sprintf("文件超过 %d MB，请分批导入", MaxFileSize>>20)}
	}
	f, err := openWorkbook(data)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()

	sheet, hdr, err := findHeader(f)
	if err != nil {
		return nil, nil, err
	}
	p := newRowParser(unitID, nodes, staff, today)
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		p.date1904 = *props.Date1904
	}
	p.headerText = hdr.text

	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, &FileError{Msg: "无法读取工作表「" + sheet + "」", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}
	defer rows.Close()

	var (
		acts     []ledger.Activity
		errs     []RowError
		overflow int
		keyRow   = map[string]int{}
		rowNum   = 0
		dataRows = 0
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
			return nil, nil, &FileError{Msg: fmt.Sprintf("第 %d 行无法读取，文件可能已损坏", rowNum), Err: fmt.Errorf("read row %d: %w", rowNum, err)}
		}
		if rowNum <= hdr.row {
			continue
		}
		cells, empty := hdr.cells(cols)
		if empty || strings.HasPrefix(cells[colTitle], exampleMark) {
			continue
		}
		dataRows++
		if dataRows > MaxRows {
			return nil, nil, &FileError{Msg: fmt.Sprintf("数据超过 %d 行，请分批导入", MaxRows)}
		}
		a, rowErrs := p.parseRow(rowNum, cells)
		report(rowErrs...)
		if a.ImportKey != "" {
			if first, dup := keyRow[a.ImportKey]; dup {
				report(RowError{Row: rowNum, Column: p.column(colTitle),
					Msg: fmt.Sprintf("与第 %d 行重复（日期、类型、主题、组织部门均相同）", first)})
			} else {
				keyRow[a.ImportKey] = rowNum
			}
		}
		acts = append(acts, a)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, &FileError{Msg: "工作表「" + sheet + "」读取失败，文件可能已损坏", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}
	if dataRows == 0 {
		return nil, nil, &FileError{Msg: "文件中没有可导入的台账数据（表头下方的行都是空的）"}
	}
	if overflow > 0 {
		errs = append(errs, RowError{Msg: fmt.Sprintf("另有 %d 处错误未列出，请先改正以上错误后重新导入", overflow)})
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	return acts, nil, nil
}

// openWorkbook checks the file's signature before handing it to excelize,
// so the user learns why a file was refused: an old .xls (or an encrypted
// workbook, which is an OLE container too) needs saving as .xlsx first.
func openWorkbook(data []byte) (*excelize.File, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件：旧版 .xls 或加密的文件请在 Excel/WPS 中另存为 .xlsx（且不设密码）后再导入", Err: ErrNotXLSX}
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，请上传由导入模板填写的 .xlsx 文件", Err: ErrNotXLSX}
	}
	// Bound decompression: a legitimate 5000-row ledger is a few MB
	// unzipped, a zip bomb is not.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 256 << 20})
	if err != nil {
		return nil, &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏", Err: fmt.Errorf("%w: %w", ErrNotXLSX, err)}
	}
	return f, nil
}
