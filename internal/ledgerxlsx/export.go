package ledgerxlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// ExportSheet is the sheet name of an exported ledger.
const ExportSheet = "台账"

// maxExportContent bounds the 内容摘要 column: the export is a register to
// read and print, the full minutes stay in the system.
const maxExportContent = 500

// cntime.Zone is China Standard Time. A fixed zone keeps the package independent of
// the tzdata installed on 信创 machines.

// exportColumn is one column of the export with its width in Excel units
// (roughly one Latin character; a Chinese character needs about two).
type exportColumn struct {
	header string
	width  float64
	wrap   bool
}

var exportColumns = []exportColumn{
	{"序号", 6, false},
	{colDate, 16, false},
	{colType, 22, false},
	{colTitle, 36, true},
	{colOrg, 16, false},
	{colLead, 14, false},
	{colPlace, 16, true},
	{colDuration, 10, false},
	{colAudience, 10, false},
	{colCount, 10, false},
	{colAgenda, 24, true},
	{colTopics, 24, true},
	{colTags, 16, true},
	{colPresent, 40, true},
	{colAbsent, 28, true},
	{"出席/应到", 10, false},
	{colContent, 60, true},
	{"登记时间", 20, false},
	{"登记人", 10, false},
	// 来源 says which entries were imported (with the old sheet's claimed
	// recording date) and which lack their report document, so the
	// recording time of an import is not read as a lag.
	{"来源", 30, true},
}

// Export writes acts (with Attendance loaded) as an .xlsx workbook with one
// sheet "台账": a title row, a frozen header row and one row per activity.
// The columns use the same header texts as the import template, so an
// exported file can be corrected and imported again.
func Export(w io.Writer, title string, acts []ledger.Activity) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), ExportSheet); err != nil {
		return fmt.Errorf("export ledger: rename sheet: %w", err)
	}
	st, err := newExportStyles(f)
	if err != nil {
		return fmt.Errorf("export ledger: %w", err)
	}
	lastCol, _ := excelize.ColumnNumberToName(len(exportColumns))

	// Row 1: the title across all columns.
	if err := f.MergeCell(ExportSheet, "A1", lastCol+"1"); err != nil {
		return fmt.Errorf("export ledger: merge title: %w", err)
	}
	if err := f.SetCellStr(ExportSheet, "A1", clean(title)); err != nil {
		return fmt.Errorf("export ledger: title: %w", err)
	}
	if err := f.SetCellStyle(ExportSheet, "A1", lastCol+"1", st.title); err != nil {
		return fmt.Errorf("export ledger: title style: %w", err)
	}
	if err := f.SetRowHeight(ExportSheet, 1, 30); err != nil {
		return fmt.Errorf("export ledger: title height: %w", err)
	}

	// Row 2: the header.
	header := make([]any, len(exportColumns))
	for i, c := range exportColumns {
		header[i] = c.header
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(ExportSheet, name, name, c.width); err != nil {
			return fmt.Errorf("export ledger: column width: %w", err)
		}
	}
	if err := f.SetSheetRow(ExportSheet, "A2", &header); err != nil {
		return fmt.Errorf("export ledger: header: %w", err)
	}
	if err := f.SetCellStyle(ExportSheet, "A2", lastCol+"2", st.header); err != nil {
		return fmt.Errorf("export ledger: header style: %w", err)
	}
	if err := f.SetPanes(ExportSheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("export ledger: freeze header: %w", err)
	}

	for i := range acts {
		row := i + 3
		cell, _ := excelize.CoordinatesToCellName(1, row)
		vals := exportRow(i+1, &acts[i])
		if err := f.SetSheetRow(ExportSheet, cell, &vals); err != nil {
			return fmt.Errorf("export ledger row %d: %w", i+1, err)
		}
	}
	if len(acts) > 0 {
		// Styles per column after the values: setting a time.Time value on
		// an unstyled cell would otherwise install excelize's default format.
		last := len(acts) + 2
		for i, c := range exportColumns {
			name, _ := excelize.ColumnNumberToName(i + 1)
			style := st.body
			switch {
			case c.header == colDate:
				style = st.date
			case c.wrap:
				style = st.wrap
			}
			if err := f.SetCellStyle(ExportSheet, name+"3", name+strconv.Itoa(last), style); err != nil {
				return fmt.Errorf("export ledger: body style: %w", err)
			}
		}
		if err := f.AutoFilter(ExportSheet, "A2:"+lastCol+strconv.Itoa(last), nil); err != nil {
			return fmt.Errorf("export ledger: auto filter: %w", err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: clean(title), Creator: "zhendi"}); err != nil {
		return fmt.Errorf("export ledger: properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export ledger: write: %w", err)
	}
	return nil
}

// exportRow renders one activity in the order of exportColumns.
func exportRow(n int, a *ledger.Activity) []any {
	typeLabel := a.Type
	if t, ok := ledger.TypeByCode(a.Type); ok {
		typeLabel = t.Label
	}
	var date any = a.Date
	if d, err := time.Parse(cntime.DateLayout, a.Date); err == nil {
		date = d // a real date cell: sortable and filterable in Excel
	}
	topics := make([]string, len(a.RequiredTopics))
	for i, c := range a.RequiredTopics {
		topics[i] = ledger.TopicLabel(c)
	}
	present, absent, counts := attendanceCells(a.Attendance)
	content := a.Content
	if utf8.RuneCountInString(content) > maxExportContent {
		content = string([]rune(content)[:maxExportContent]) + "…"
	}
	recorded := ""
	if a.CreatedAt > 0 {
		recorded = cntime.LongMinute(time.Unix(a.CreatedAt, 0))
	}
	return []any{
		n, date, typeLabel, clean(a.Title), clean(a.OrgName), clean(a.LeadName), clean(a.Place),
		intOrEmpty(a.DurationMin), a.AudienceType, intOrEmpty(a.AudienceCount), clean(a.Agenda),
		strings.Join(topics, "、"), clean(strings.Join(a.Tags, "、")), present, absent, counts,
		clean(content), recorded, clean(a.CreatedByName), sourceCell(*a),
	}
}

// attendanceCells renders present people (speakers as 姓名(发言)), absent
// people as 姓名(原因) and the 出席/应到 count. A name shared by two
// attendees is written 部门/姓名 so the parser can tell them apart.
func attendanceCells(list []ledger.Attendance) (present, absent, counts string) {
	if len(list) == 0 {
		return "", "", ""
	}
	seen := map[string]int{}
	for _, at := range list {
		seen[at.Name]++
	}
	var pres, abs []string
	for _, at := range list {
		name := at.Name
		if seen[name] > 1 && at.OrgName != "" {
			name = at.OrgName + "/" + name
		}
		name = clean(name)
		if at.Status == "absent" {
			abs = append(abs, name+"（"+clean(at.Reason)+"）")
			continue
		}
		if at.Speaker {
			name += "（发言）"
		}
		pres = append(pres, name)
	}
	return strings.Join(pres, "、"), strings.Join(abs, "、"), fmt.Sprintf("%d/%d", len(pres), len(list))
}

func intOrEmpty(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

// clean drops control characters that are not allowed in the workbook XML
// (text pasted from other programs sometimes carries them).
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' {
			return -1
		}
		if r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
}

type exportStyles struct {
	title, header, body, wrap, date int
}

func newExportStyles(f *excelize.File) (exportStyles, error) {
	var st exportStyles
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	dateFmt := `yyyy"年"m"月"d"日"`
	specs := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.body, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.wrap, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.date, &excelize.Style{Border: border, CustomNumFmt: &dateFmt,
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}},
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

// sourceCell is the 来源 column: the provenance of an imported entry
// ("系统启用前导入（2022台账.xlsx第5行），原表登记于2022年3月2日"), and 缺报告文档
// for a report entry without its document.
func sourceCell(a ledger.Activity) string {
	s := a.Import.Note()
	if a.MissingReport {
		if s != "" {
			s += "；"
		}
		s += "缺报告文档"
	}
	return clean(s)
}
