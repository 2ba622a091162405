package channel

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// The registry as Excel (阵地台账): one sheet, one row per channel, the same
// columns for export and import, so an exported file edited in Excel or WPS
// imports back. Import is all or nothing: every row is read and checked
// first, and any error names its row.

// Sheet is the registry sheet's name.
const Sheet = "阵地台账"

// Import limits: the file, its unzipped size, and rows.
const (
	MaxFileSize = 10 << 20
	maxUnzipped = 100 << 20
	MaxRows     = 2000
)

// Columns of the registry sheet; the import reads them by header, in any
// order, and ignores others (the export's 更新情况 columns).
var xlsxCols = []string{"名称", "类型", "栏目类别", "网址", "账号/群号", "位置", "所属科室", "责任人", "审核人", "用途",
	"报备日期", "报备编号", "状态", "检查方式", "订阅地址", "日期提取规则", "最近更新", "更新情况", "更新期限"}

// Export writes the registry with each channel's state on today.
func Export(w io.Writer, title string, cs []Channel, rules []Rule, today string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	set := func(col, row int, v any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellValue(Sheet, cell, v)
	}
	if err := set(1, 1, title); err != nil {
		return fmt.Errorf("write title: %w", err)
	}
	for i, h := range xlsxCols {
		if err := set(i+1, 2, h); err != nil {
			return fmt.Errorf("write header: %w", err)
		}
	}
	for i, c := range cs {
		fr := Judge(c, rules, today)
		state := fr.DaysText()
		if fr.Light == Grey {
			state = "不考核"
		} else if fr.Stale {
			state += "（超期）"
		}
		vals := []any{c.Name, c.Kind.Label(), c.Class.Label(), c.URL, c.Account, c.Location, c.OrgName, c.ResponsibleName, c.ReviewerName, c.Purpose,
			c.FilingDate, c.FilingNo, c.Status.Label(), c.Method.Label(), c.FeedURL, c.DateRule, c.LastUpdate, state, fr.Rule.LimitText()}
		for j, v := range vals {
			if err := set(j+1, i+3, v); err != nil {
				return fmt.Errorf("write row %d: %w", i+3, err)
			}
		}
	}
	_ = f.SetColWidth(Sheet, "A", "A", 24)
	_ = f.SetColWidth(Sheet, "D", "D", 36)
	return f.Write(w)
}

// People maps names to ids for an import (the unit's staff and
// departments); a name that is ambiguous maps to 0 with Ambiguous set.
type People struct {
	Users     map[string]int64
	Orgs      map[string]int64
	Ambiguous map[string]bool
}

// RowError is an import error of one row.
type RowError struct {
	Row int
	Err error
}

func (e RowError) Error() string { return fmt.Sprintf("第 %d 行：%s", e.Row, apperr.Message(e.Err)) }

// Read reads a registry sheet (the first sheet, or the one named Sheet)
// into channels for unitID, checking every row; it returns the channels
// with their sheet rows, or every row's errors.
func Read(data []byte, unitID int64, p People) ([]Channel, []int, []RowError, error) {
	if len(data) > MaxFileSize {
		return nil, nil, nil, apperr.Field("文件", fmt.Sprintf("超过 %d MB", MaxFileSize>>20))
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, nil, nil, apperr.Field("文件", "不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后重试")
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if idx, _ := f.GetSheetIndex(Sheet); idx >= 0 {
		sheet = Sheet
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, nil, apperr.Field("文件", "读取工作表失败")
	}
	defer rows.Close()
	var header map[string]int
	var out []Channel
	var rowNos []int
	var errs []RowError
	n := 0
	for rows.Next() {
		n++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, nil, apperr.Field("文件", "读取工作表失败")
		}
		if header == nil {
			h := map[string]int{}
			for i, c := range cols {
				h[strings.TrimSpace(c)] = i
			}
			if _, ok := h["名称"]; ok {
				if _, ok := h["类型"]; ok {
					header = h
				}
			}
			continue
		}
		get := func(name string) string {
			i, ok := header[name]
			if !ok || i >= len(cols) {
				return ""
			}
			return strings.TrimSpace(cols[i])
		}
		if strings.Join(cols, "") == "" {
			continue
		}
		if len(out)+len(errs) >= MaxRows {
			return nil, nil, nil, apperr.Field("文件", fmt.Sprintf("超过 %d 行，请分批导入", MaxRows))
		}
		c, err := readRow(get, unitID, p, date1904)
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			errs = append(errs, RowError{Row: n, Err: err})
			continue
		}
		out = append(out, c)
		rowNos = append(rowNos, n)
	}
	if header == nil {
		return nil, nil, nil, apperr.Field("文件", "未找到表头（须含“名称”和“类型”两列）")
	}
	if len(errs) > 0 {
		return nil, nil, errs, nil
	}
	if len(out) == 0 {
		return nil, nil, nil, apperr.Field("文件", "没有数据行")
	}
	return out, rowNos, nil, nil
}

func readRow(get func(string) string, unitID int64, p People, date1904 bool) (Channel, error) {
	var errs apperr.Errors
	c := Channel{UnitID: unitID, Name: get("名称"), URL: get("网址"), Account: get("账号/群号"), Location: get("位置"), Purpose: get("用途"),
		FilingNo: get("报备编号"), FeedURL: get("订阅地址"), DateRule: get("日期提取规则")}
	var ok bool
	if c.Kind, ok = KindByLabel(get("类型")); !ok {
		errs = append(errs, apperr.Field("类型", "无法识别“"+get("类型")+"”"))
	}
	if c.Class, ok = ClassByLabel(get("栏目类别")); !ok {
		errs = append(errs, apperr.Field("栏目类别", "无法识别“"+get("栏目类别")+"”"))
	}
	if c.Status, ok = StatusByLabel(get("状态")); !ok {
		errs = append(errs, apperr.Field("状态", "无法识别“"+get("状态")+"”"))
	}
	if m := get("检查方式"); m != "" {
		found := false
		for _, x := range Methods {
			if m == string(x) || m == x.Label() || strings.HasPrefix(x.Label(), m) {
				c.Method, found = x, true
			}
		}
		if !found {
			errs = append(errs, apperr.Field("检查方式", "无法识别“"+m+"”"))
		}
	}
	person := func(field, name string, required bool) int64 {
		if name == "" {
			if required {
				errs = append(errs, apperr.Field(field, "不能为空"))
			}
			return 0
		}
		if p.Ambiguous[name] {
			errs = append(errs, apperr.Field(field, "本单位有同名人员“"+name+"”，请在系统中登记"))
			return 0
		}
		id, ok := p.Users[name]
		if !ok {
			errs = append(errs, apperr.Field(field, "“"+name+"”不是本单位人员"))
		}
		return id
	}
	c.ResponsibleID = person("责任人", get("责任人"), true)
	c.ReviewerID = person("审核人", get("审核人"), false)
	if o := get("所属科室"); o != "" && o != "本单位" {
		id, ok := p.Orgs[o]
		if !ok {
			errs = append(errs, apperr.Field("所属科室", "“"+o+"”不是本单位科室"))
		}
		c.OrgID = id
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"报备日期", &c.FilingDate}, {"最近更新", &c.LastUpdate}} {
		v := get(d.name)
		if v == "" {
			continue
		}
		s, ok := cellDate(v, date1904)
		if !ok {
			errs = append(errs, apperr.Field(d.name, "日期无法识别“"+v+"”"))
		}
		*d.dst = s
	}
	return c, errs.OrNil()
}

// cellDate reads a date cell as Excel and WPS store it (a serial number)
// or as people type it (2024-01-02, 2024/1/2, 2024年1月2日, 20240102).
func cellDate(s string, date1904 bool) (string, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if len(s) == 8 && !strings.Contains(s, ".") {
			t, err := time.Parse("20060102", s)
			return t.Format(cntime.DateLayout), err == nil
		}
		if n >= 10000 && n < 2958466 {
			t, err := excelize.ExcelDateToTime(n, date1904)
			if err != nil {
				return "", false
			}
			return t.Format(cntime.DateLayout), true
		}
		return "", false
	}
	r, _ := ParseDateRule("")
	l := r.Extract(s, time.Date(9999, 1, 1, 0, 0, 0, 0, cntime.Zone))
	if len(l.Dates) != 1 {
		return "", false
	}
	return l.Dates[0], true
}

// sheetWriter writes rows to one sheet of f.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
}

func (s *sheetWriter) put(vals ...any) error {
	s.row++
	for i, v := range vals {
		cell, err := excelize.CoordinatesToCellName(i+1, s.row)
		if err != nil {
			return err
		}
		if err := s.f.SetCellValue(s.sheet, cell, v); err != nil {
			return fmt.Errorf("write %s!%s: %w", s.sheet, cell, err)
		}
	}
	return nil
}

func newSheet(f *excelize.File, name string, first bool) (*sheetWriter, error) {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, fmt.Errorf("name sheet: %w", err)
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("add sheet: %w", err)
	}
	return &sheetWriter{f: f, sheet: name}, nil
}

// InspectionXLSX writes an inspection's items as a sheet.
func InspectionXLSX(w io.Writer, unitName string, in Inspection) error {
	f := excelize.NewFile()
	defer f.Close()
	s, err := newSheet(f, "检查明细", true)
	if err != nil {
		return err
	}
	if err := s.put(unitName + PeriodLabel(in.Period) + in.Kind.Label() + "检查表"); err != nil {
		return err
	}
	if err := s.put("序号", "检查内容", "阵地", "结果", "说明", "整改事项", "复查"); err != nil {
		return err
	}
	for _, it := range in.Items {
		where, rect := "全单位", ""
		if it.ChannelName != "" {
			where = it.ChannelName
		}
		if it.RectID != 0 {
			rect = fmt.Sprintf("整改事项 %d", it.RectID)
		}
		if err := s.put(it.Sort, it.Text, where, it.ResultLabel(), it.Note, rect, it.Recheck); err != nil {
			return err
		}
	}
	_ = s.put()
	_ = s.put("检查人", in.InspectorName, "责任人", in.RespName)
	_ = f.SetColWidth(s.sheet, "B", "B", 48)
	return f.Write(w)
}

// QuarterXLSX writes the quarterly 阵地 report's tables: channels with
// their state, the quarter's findings, its inspections.
func QuarterXLSX(w io.Writer, q QuarterData) error {
	f := excelize.NewFile()
	defer f.Close()
	s, err := newSheet(f, "阵地更新情况", true)
	if err != nil {
		return err
	}
	if err := s.put(q.UnitName + PeriodLabel(q.Period) + "阵地更新情况（截至" + q.Today + "）"); err != nil {
		return err
	}
	if err := s.put("阵地", "类型", "栏目类别", "责任人", "最近更新", "距上次更新天数", "期限", "期限依据", "状态"); err != nil {
		return err
	}
	for _, c := range q.Channels {
		fr := q.Fresh[c.ID]
		days := any(fr.Days)
		if fr.Days < 0 {
			days = "无更新记录"
		}
		if err := s.put(c.Name, c.Kind.Label(), c.Class.Label(), c.ResponsibleName, c.LastUpdate, days, fr.Rule.LimitText(), fr.Rule.Source, fr.Light.Label()); err != nil {
			return err
		}
	}
	fs, err := newSheet(f, "检查发现的问题", false)
	if err != nil {
		return err
	}
	if err := fs.put("编号", "发现时间", "阵地", "问题", "说明", "页面", "原句", "状态", "整改事项"); err != nil {
		return err
	}
	for _, x := range q.Findings {
		st := "未整改"
		if x.Status != "open" {
			st = "已消除"
		}
		if err := fs.put(x.ID, cntime.DateTime(time.Unix(x.FoundAt, 0)), x.ChannelName, x.Kind.Label(), x.Detail, x.PageURL, x.Sentence, st, x.RectID); err != nil {
			return err
		}
	}
	is, err := newSheet(f, "检查排查", false)
	if err != nil {
		return err
	}
	if err := is.put("类别", "期间", "检查项", "不合格", "检查人", "责任人", "签字确认"); err != nil {
		return err
	}
	for _, in := range q.Inspections {
		signed := "否"
		if in.Signed() {
			signed = "是"
		}
		if err := is.put(in.Kind.Label(), PeriodLabel(in.Period), len(in.Items), in.FailedCount(), in.InspectorName, in.RespName, signed); err != nil {
			return err
		}
	}
	vs, err := newSheet(f, "单项否决指标", false)
	if err != nil {
		return err
	}
	if err := vs.put("指标", "判定", "情况", "依据"); err != nil {
		return err
	}
	for _, v := range q.Vetoes {
		st := "合格"
		if v.Failed {
			st = "不合格"
		} else if !v.Judged {
			st = "无数据"
		}
		if err := vs.put(v.Name, st, v.Detail, v.Rule+"（"+v.Source+"）"); err != nil {
			return err
		}
	}
	return f.Write(w)
}
