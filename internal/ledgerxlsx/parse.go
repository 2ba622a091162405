package ledgerxlsx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
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
		return fmt.Sprintf("第 %d 行: %s", e.Row, e.Msg)
	}
	return fmt.Sprintf("第 %d 行「%s」: %s", e.Row, e.Column, e.Msg)
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
// one activity per data row for store.ImportActivities. Every activity has
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
		return nil, nil, &FileError{Msg: fmt.Sprintf("文件超过 %d MB, 请分批导入", MaxFileSize>>20)}
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
			return nil, nil, &FileError{Msg: fmt.Sprintf("第 %d 行无法读取, 文件可能已损坏", rowNum), Err: fmt.Errorf("read row %d: %w", rowNum, err)}
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
			return nil, nil, &FileError{Msg: fmt.Sprintf("数据超过 %d 行, 请分批导入", MaxRows)}
		}
		a, rowErrs := p.parseRow(rowNum, cells)
		report(rowErrs...)
		if a.ImportKey != "" {
			if first, dup := keyRow[a.ImportKey]; dup {
				report(RowError{Row: rowNum, Column: p.column(colTitle),
					Msg: fmt.Sprintf("与第 %d 行重复 (日期、类型、主题、组织部门均相同)", first)})
			} else {
				keyRow[a.ImportKey] = rowNum
			}
		}
		acts = append(acts, a)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, &FileError{Msg: "工作表「" + sheet + "」读取失败, 文件可能已损坏", Err: fmt.Errorf("rows of %s: %w", sheet, err)}
	}
	if dataRows == 0 {
		return nil, nil, &FileError{Msg: "文件中没有可导入的台账数据 (表头下方的行都是空的)"}
	}
	if overflow > 0 {
		errs = append(errs, RowError{Msg: fmt.Sprintf("另有 %d 处错误未列出, 请先改正以上错误后重新导入", overflow)})
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
		return nil, &FileError{Msg: "文件不是有效的 Excel (.xlsx) 文件: 旧版 .xls 或加密的文件请在 Excel/WPS 中另存为 .xlsx (且不设密码) 后再导入", Err: ErrNotXLSX}
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, &FileError{Msg: "文件不是有效的 Excel (.xlsx) 文件, 请上传由导入模板填写的 .xlsx 文件", Err: ErrNotXLSX}
	}
	// Bound decompression: a legitimate 5000-row ledger is a few MB
	// unzipped, a zip bomb is not.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 256 << 20})
	if err != nil {
		return nil, &FileError{Msg: "文件不是有效的 Excel (.xlsx) 文件, 或已损坏", Err: fmt.Errorf("%w: %w", ErrNotXLSX, err)}
	}
	return f, nil
}

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
	return "", nil, &FileError{Msg: "未找到表头: 前 5 行中应有「日期」「类型」「主题」等列名, 请使用系统提供的导入模板"}
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
			return nil, &FileError{Msg: "工作表「" + sheet + "」无法读取, 文件可能已损坏", Err: fmt.Errorf("read row %d of %s: %w", n, sheet, err)}
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

// rowParser turns one row's cells into an activity.
type rowParser struct {
	unitID     int64
	today      time.Time
	date1904   bool
	unit       org.Node
	orgs       map[string][]org.Node
	staff      map[string][]org.User
	headerText map[string]string
}

func newRowParser(unitID int64, nodes []org.Node, staff []org.User, today time.Time) *rowParser {
	p := &rowParser{unitID: unitID, today: today, unit: org.Node{ID: unitID},
		orgs: map[string][]org.Node{}, staff: map[string][]org.User{}}
	for _, n := range nodes {
		if n.ID == unitID {
			p.unit = n
		}
		name := strings.TrimSpace(n.Name)
		p.orgs[name] = append(p.orgs[name], n)
	}
	for _, u := range staff {
		if u.UnitID != 0 && u.UnitID != unitID {
			continue // defensive: only the unit's own people may be named
		}
		name := strings.TrimSpace(u.Name)
		p.staff[name] = append(p.staff[name], u)
	}
	return p
}

// column is the header text the user sees for a column key.
func (p *rowParser) column(key string) string {
	if t := p.headerText[key]; t != "" {
		return t
	}
	return key
}

func (p *rowParser) parseRow(rowNum int, cells map[string]string) (ledger.Activity, []RowError) {
	var errs []RowError
	flagged := map[string]bool{} // columns already reported, so Validate does not repeat them
	fail := func(key, format string, args ...any) {
		flagged[key] = true
		errs = append(errs, RowError{Row: rowNum, Column: p.column(key), Msg: fmt.Sprintf(format, args...)})
	}
	a := ledger.Activity{
		UnitID:       p.unitID,
		Title:        cells[colTitle],
		Place:        cells[colPlace],
		AudienceType: cells[colAudience],
		Agenda:       cells[colAgenda],
		Content:      cells[colContent],
		Tags:         ledger.SplitList(cells[colTags]),
	}

	t, typeOK := p.parseType(cells[colType])
	switch {
	case cells[colType] == "":
		fail(colType, "不能为空, 请从下拉列表中选择")
	case !typeOK:
		fail(colType, "「%s」不是已知的活动类型, 请从下拉列表中选择", cells[colType])
	default:
		a.Type = t.Code
	}

	if v := cells[colDate]; v != "" {
		if d, ok := parseDate(v, p.date1904); ok {
			a.Date = d
		} else {
			fail(colDate, "「%s」不是有效日期, 格式应为 2023-06-30、2023/6/30 或 2023年6月30日", v)
		}
	}

	orgOK := true
	if v := cells[colOrg]; v == "" {
		a.OrgID, a.OrgName = p.unit.ID, p.unit.Name
	} else if list := p.orgs[v]; len(list) == 1 {
		a.OrgID, a.OrgName = list[0].ID, list[0].Name
	} else if len(list) > 1 {
		orgOK = false
		fail(colOrg, "「%s」有 %d 个同名部门, 请在系统中改名后再导入", v, len(list))
	} else {
		orgOK = false
		fail(colOrg, "「%s」不是本单位的部门或支部, 请从下拉列表中选择 (留空表示本单位)", v)
	}

	if v := cells[colLead]; v != "" {
		u, found, msg := p.person(v)
		switch {
		case msg != "":
			fail(colLead, "%s", msg)
		case found:
			a.LeadID, a.LeadName = u.ID, u.Name
		default:
			a.LeadName = v // an outside speaker, not on the staff list
		}
	}

	for _, f := range []struct {
		key  string
		dst  *int
		unit string
	}{{colDuration, &a.DurationMin, "分钟"}, {colCount, &a.AudienceCount, "人数"}} {
		if v := cells[f.key]; v != "" {
			n, ok := parseNumber(v, f.key == colDuration)
			if !ok {
				fail(f.key, "「%s」不是有效的%s, 应填整数, 如 90", v, f.unit)
				continue
			}
			*f.dst = n
		}
	}

	for _, s := range splitItems(cells[colTopics]) {
		topic, ok := ledger.TopicByLabel(strings.NewReplacer("<", "《", ">", "》").Replace(s))
		if !ok {
			fail(colTopics, "「%s」不是必修专题, 应为 %s 之一", s, topicLabels())
			continue
		}
		if !containsString(a.RequiredTopics, topic.Code) {
			a.RequiredTopics = append(a.RequiredTopics, topic.Code)
		}
	}

	present, absent := cells[colPresent], cells[colAbsent]
	if typeOK && !t.Attendance && (present != "" || absent != "") {
		key := colPresent
		if present == "" {
			key = colAbsent
		}
		fail(key, "「%s」不登记参加人员, 请清空此列", t.Label)
	} else {
		p.attendance(&a, present, absent, fail)
	}

	if typeOK {
		if err := a.Validate(p.today); err != nil {
			var fes ledger.Errors
			if !errors.As(err, &fes) {
				fail(colType, "%v", err)
			}
			for _, fe := range fes {
				key, msg := fieldColumn(fe, t)
				if flagged[key] {
					continue
				}
				errs = append(errs, RowError{Row: rowNum, Column: p.column(key), Msg: msg})
			}
		}
	}
	if typeOK && a.Date != "" && a.Title != "" && orgOK {
		a.ImportKey = importKey(p.unitID, a.Type, a.Date, a.Title, a.OrgID)
	}
	return a, errs
}

// parseType accepts the labels, codes and aliases of ledger.TypeByLabel,
// also with full-width parentheses or stray spaces.
func (p *rowParser) parseType(v string) (ledger.Type, bool) {
	if t, ok := ledger.TypeByLabel(v); ok {
		return t, true
	}
	return ledger.TypeByLabel(strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "").Replace(v))
}

// attendance fills a.Attendance from the 参加人员 and 缺席人员及原因 cells.
func (p *rowParser) attendance(a *ledger.Activity, present, absent string, fail func(key, format string, args ...any)) {
	for _, item := range splitItems(present) {
		name, note := splitNote(item)
		speaker := false
		switch note {
		case "":
		case "发言", "中心发言":
			speaker = true
		default:
			fail(colPresent, "「%s」: 括号中只能写「发言」; 缺席人员请填在「%s」列", item, p.column(colAbsent))
			continue
		}
		u, found, msg := p.person(name)
		if msg == "" && !found {
			msg = fmt.Sprintf("「%s」不在本单位人员名单中", name)
		}
		if msg != "" {
			fail(colPresent, "%s", msg)
			continue
		}
		a.Attendance = append(a.Attendance, ledger.Attendance{UserID: u.ID, Name: u.Name, OrgName: u.OrgName, Status: "present", Speaker: speaker})
	}
	for _, item := range splitItems(absent) {
		name, reason := splitNote(item)
		if reason == "" {
			fail(colAbsent, "「%s」须写明缺席原因, 格式: 姓名(原因), 如 张三(出差)", item)
			continue
		}
		u, found, msg := p.person(name)
		if msg == "" && !found {
			msg = fmt.Sprintf("「%s」不在本单位人员名单中", name)
		}
		if msg != "" {
			fail(colAbsent, "%s", msg)
			continue
		}
		a.Attendance = append(a.Attendance, ledger.Attendance{UserID: u.ID, Name: u.Name, OrgName: u.OrgName, Status: "absent", Reason: reason})
	}
}

// person finds a staff member by 姓名 or 部门/姓名. found is false with an
// empty msg when nobody has that name; msg explains a name that is
// ambiguous or a 部门/姓名 that matches nobody.
func (p *rowParser) person(s string) (u org.User, found bool, msg string) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "／", "/"))
	if dept, name, ok := strings.Cut(s, "/"); ok {
		dept, name = strings.TrimSpace(dept), strings.TrimSpace(name)
		for _, c := range p.staff[name] {
			if strings.TrimSpace(c.OrgName) == dept {
				return c, true, ""
			}
		}
		if len(p.orgs[dept]) == 0 {
			return org.User{}, false, "" // not 部门/姓名: perhaps 某大学/李教授, an outside speaker
		}
		return org.User{}, false, fmt.Sprintf("「%s」: %s没有名叫%s的人员", s, dept, name)
	}
	switch list := p.staff[s]; len(list) {
	case 0:
		return org.User{}, false, ""
	case 1:
		return list[0], true, ""
	default:
		depts := make([]string, len(list))
		for i, c := range list {
			depts[i] = c.OrgName
		}
		return org.User{}, false, fmt.Sprintf("「%s」有 %d 人同名 (%s), 请写成 部门/姓名, 如 %s/%s",
			s, len(list), strings.Join(depts, "、"), list[0].OrgName, s)
	}
}

// fieldColumn maps a validation error to the column it belongs to. The
// lead and content fields are named per type (授课人, 会议纪要 ...), so
// their messages keep that name.
func fieldColumn(fe *ledger.FieldError, t ledger.Type) (key, msg string) {
	switch fe.Field {
	case "类型":
		return colType, fe.Msg
	case "主题":
		return colTitle, fe.Msg
	case "日期", "开始时间":
		return colDate, fe.Msg
	case "时长":
		return colDuration, fe.Msg
	case "地点":
		return colPlace, fe.Msg
	case "议题":
		return colAgenda, fe.Msg
	case "宣讲对象":
		return colAudience, fe.Msg
	case "受众人数":
		return colCount, fe.Msg
	case "必修专题":
		return colTopics, fe.Msg
	case "参加人员":
		return colPresent, fe.Msg
	case "缺席原因":
		return colAbsent, fe.Msg
	case t.LeadLabel, t.LeadLabel + "姓名":
		return colLead, fe.Field + fe.Msg
	case t.ContentLabel:
		return colContent, fe.Field + fe.Msg
	}
	return fe.Field, fe.Msg
}

// importKey identifies an activity across imports of the same file. The row
// number is left out on purpose: a row moved or re-sorted must still match.
func importKey(unitID int64, typ, date, title string, orgID int64) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d|%s|%s|%s|%d", unitID, typ, date, title, orgID)))
	return hex.EncodeToString(sum[:])
}

var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s].*)?$`)

// parseDate accepts 2023-06-30, 2023/6/30, 2023.6.30, 2023年6月30日,
// 20230630 and Excel date serials (real date cells, read raw), and returns
// YYYY-MM-DD. Impossible dates such as 2023-13-45 are refused, not rolled
// over into the next year.
func parseDate(s string, date1904 bool) (string, bool) {
	s = toHalfWidth(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if len(s) == 8 && !strings.Contains(s, ".") {
			return checkDate(s[:4], s[4:6], s[6:])
		}
		// Serials below 10000 (1927) are not dates anyone records here;
		// refusing them keeps "2023.06" from becoming a day in 1905.
		if n >= 10000 && n < 2958466 {
			t, err := excelize.ExcelDateToTime(n, date1904)
			if err != nil {
				return "", false
			}
			return t.Format(cntime.DateLayout), true
		}
		return "", false
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return checkDate(m[1], m[2], m[3])
}

func checkDate(ys, ms, ds string) (string, bool) {
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format(cntime.DateLayout), true
}

// parseNumber reads a whole number written leniently: full-width digits,
// a trailing unit (分钟, 人 ...), thousands separators; durations may be
// given in hours ("1.5小时").
func parseNumber(s string, duration bool) (int, bool) {
	s = strings.ReplaceAll(toHalfWidth(s), ",", "")
	scale := 1.0
	if duration {
		for _, suf := range []string{"小时", "h", "H"} {
			if strings.HasSuffix(s, suf) {
				s, scale = strings.TrimSuffix(s, suf), 60
				break
			}
		}
	}
	for _, suf := range []string{"分钟", "分", "min", "人次", "人", "名"} {
		s = strings.TrimSuffix(s, suf)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v > 1e9 {
		return 0, false
	}
	v *= scale
	if math.Abs(v-math.Round(v)) > 1e-6 {
		return 0, false
	}
	return int(math.Round(v)), true
}

// toHalfWidth converts full-width ASCII (digits, letters, punctuation) and
// the ideographic space to their half-width forms.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}

// trimCell trims spaces, including the ideographic and no-break spaces that
// text pasted from Word brings along.
func trimCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00a0'
	})
}

// splitItems splits a list of names on 、 ， , ; ； and white space, but
// not inside parentheses, so a reason such as (出差, 外地) stays whole.
func splitItems(s string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	flush := func() {
		if v := trimCell(cur.String()); v != "" {
			out = append(out, v)
		}
		cur.Reset()
	}
	for _, r := range s {
		switch r {
		case '(', '（':
			depth++
		case ')', '）':
			if depth > 0 {
				depth--
			}
		case '、', ',', '，', ';', '；', ' ', '\t', '\n', '\r', '\u3000':
			if depth == 0 {
				flush()
				continue
			}
		}
		cur.WriteRune(r)
	}
	flush()
	return out
}

// splitNote splits 姓名(备注) or 姓名（备注） into name and note.
func splitNote(item string) (name, note string) {
	item = trimCell(item)
	if !strings.HasSuffix(item, ")") && !strings.HasSuffix(item, "）") {
		return item, ""
	}
	open := max(strings.LastIndex(item, "("), strings.LastIndex(item, "（"))
	if open <= 0 {
		return item, ""
	}
	name = trimCell(item[:open])
	note = item[open:]
	note = strings.TrimPrefix(strings.TrimPrefix(note, "("), "（")
	note = strings.TrimSuffix(strings.TrimSuffix(note, ")"), "）")
	return name, trimCell(note)
}

func topicLabels() string {
	labels := make([]string, len(ledger.RequiredTopics))
	for i, t := range ledger.RequiredTopics {
		labels[i] = t.Label
	}
	return strings.Join(labels, "、")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
