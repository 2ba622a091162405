package ledgerxlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Sheet names of the import template.
const (
	TemplateSheet = "台账导入"
	helpSheet     = "填写说明"
	staffSheet    = "人员名单"
	listSheet     = "选项" // hidden: sources of the drop-down lists
)

// templateWidths are the column widths of the import sheet, by column key.
var templateWidths = map[string]float64{
	colDate: 14, colType: 26, colTitle: 36, colOrg: 16, colLead: 18, colPlace: 16, colDuration: 11,
	colAudience: 11, colCount: 10, colAgenda: 24, colTopics: 28, colTags: 16, colPresent: 40,
	colAbsent: 28, colContent: 50, colClaimed: 14,
}

// columnHelp explains each import column on the 填写说明 sheet.
var columnHelp = map[string][2]string{
	colDate:     {"必填", "活动开展的日期（不是登记日期）。可写 2023-06-30、2023/6/30、2023年6月30日，或 Excel 日期单元格；不能晚于今天。"},
	colType:     {"必填", "从下拉列表选择。常用简称也可识别，如 中心组学习、专题研究、领导小组会议、分析研判、党员大会、心得、自学、调研。"},
	colTitle:    {"必填", "活动主题，不超过 200 字。以【示例】开头的行是示例，导入时自动跳过。"},
	colOrg:      {"选填", "从下拉列表选择组织活动的科室或支部；留空表示本单位。"},
	colLead:     {"视类型", "主讲人、授课人、宣讲人、撰写人、作者或主持人（见下方类型说明）。本单位人员须与「人员名单」中姓名一致；同名人员写成 部门/姓名；名单外的姓名按外请人员登记。"},
	colPlace:    {"选填", "活动地点。"},
	colDuration: {"选填", "整数分钟，如 90；也可写 1.5小时。"},
	colAudience: {"宣讲必填", "从下拉列表选择：" + strings.Join(ledger.AudienceTypes, "、") + "。仅宣讲、党课登记。"},
	colCount:    {"选填", "受众人数，整数。仅宣讲、党课登记。"},
	colAgenda:   {"视类型", "专题研究意识形态工作、意识形态工作领导小组会议必须写明议题，其他类型不登记。"},
	colTopics:   {"选填", "本次活动涉及的必修专题，多个用 、 或 ， 分隔。可选：" + topicLabels() + "。"},
	colTags:     {"选填", "自定义标签，多个用 、 或 ， 分隔。"},
	colPresent:  {"选填", "出席人员姓名，用 、 或 ， 分隔，须与「人员名单」一致；同名人员写成 部门/姓名。作中心发言的写成 姓名（发言）。不登记参加人员的类型（宣讲、研判报告、心得体会、个人自学）请留空。"},
	colAbsent:   {"选填", "应到未到人员，写成 姓名（原因），如 张三（出差）、李四（病假），原因必填。"},
	colContent:  {"选填", "学习内容、会议纪要或报告摘要。"},
	colClaimed:  {"选填", "从原有台账导入历史记录时，原表上写的登记日期。系统只作为“原表登记于…”显示，不作为系统登记时间；活动日期早于本单位在系统中登记第一条台账的记录作为“系统启用前导入”的历史记录，单独列出，不计入补记。"},
}

// Template writes the import template: the sheet 台账导入 with the header
// row, one example row and drop-down lists, the sheet 填写说明 with the
// rules Parse applies, and the sheet 人员名单 whose names Parse accepts.
// units are the unit itself and its departments and branches.
func Template(w io.Writer, units []org.Node, staff []org.User) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), TemplateSheet); err != nil {
		return fmt.Errorf("import template: rename sheet: %w", err)
	}
	for _, s := range []string{helpSheet, staffSheet, listSheet} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("import template: sheet %s: %w", s, err)
		}
	}
	st, err := newExportStyles(f)
	if err != nil {
		return fmt.Errorf("import template: %w", err)
	}
	steps := []func() error{
		func() error { return writeImportSheet(f, st, units, staff) },
		func() error { return writeLists(f, units) },
		func() error { return writeHelp(f, st) },
		func() error { return writeStaff(f, st, staff) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("import template: %w", err)
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("import template: write: %w", err)
	}
	return nil
}

func writeImportSheet(f *excelize.File, st exportStyles, units []org.Node, staff []org.User) error {
	sh := TemplateSheet
	header := make([]any, len(importColumns))
	for i, key := range importColumns {
		header[i] = key
		col := colName(i)
		if err := f.SetColWidth(sh, col, col, templateWidths[key]); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := f.SetSheetRow(sh, "A1", &header); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	last := colName(len(importColumns) - 1)
	if err := f.SetCellStyle(sh, "A1", last+"1", st.header); err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	example := exampleRow(units, staff)
	if err := f.SetSheetRow(sh, "A2", &example); err != nil {
		return fmt.Errorf("example row: %w", err)
	}
	// The example row is grey so it reads as an illustration.
	grey, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "808080", Italic: true}})
	if err != nil {
		return fmt.Errorf("example style: %w", err)
	}
	if err := f.SetCellStyle(sh, "A2", last+"2", grey); err != nil {
		return fmt.Errorf("example style: %w", err)
	}

	// Drop-downs over the rows a file may hold. Warnings rather than stops:
	// Parse accepts aliases (中心组学习 ...) that are not in the list.
	lastRow := strconv.Itoa(MaxRows + 1)
	lists := []struct {
		key, source, prompt string
	}{
		{colType, "LedgerTypes", "请从列表中选择活动类型"},
		{colAudience, "LedgerAudiences", "宣讲必填：" + strings.Join(ledger.AudienceTypes, "、")},
		{colOrg, "LedgerOrgs", "留空表示本单位"},
	}
	for _, l := range lists {
		if l.key == colOrg && len(units) == 0 {
			continue
		}
		col := colName(indexOf(importColumns, l.key))
		dv := excelize.NewDataValidation(true)
		dv.Sqref = col + "2:" + col + lastRow
		dv.SetSqrefDropList(l.source)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "不在列表中", "「"+l.key+"」请从下拉列表中选择，否则导入时可能报错。")
		dv.SetInput(l.key, l.prompt)
		if err := f.AddDataValidation(sh, dv); err != nil {
			return fmt.Errorf("drop-down %s: %w", l.key, err)
		}
	}
	// Typed dates display uniformly; Parse reads text and date cells alike.
	dateFmt := "yyyy-mm-dd"
	ds, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return fmt.Errorf("date style: %w", err)
	}
	if err := f.SetColStyle(sh, colName(indexOf(importColumns, colDate)), ds); err != nil {
		return fmt.Errorf("date style: %w", err)
	}
	return nil
}

// exampleRow fills one row with names from the unit's own lists, so the
// example shows exactly how its people are written.
func exampleRow(units []org.Node, staff []org.User) []any {
	orgName := ""
	for _, n := range units {
		if n.Kind == org.Department || n.Kind == org.Branch {
			orgName = n.Name
			break
		}
	}
	names := []string{"张三", "李四", "王五"}
	for i := 0; i < len(staff) && i < len(names); i++ {
		names[i] = staff[i].Name
	}
	values := map[string]string{
		colDate:     "2023-06-30",
		colType:     ledger.Types[0].Label,
		colTitle:    exampleMark + "学习党的二十大精神（本行为示例，导入时自动跳过）",
		colOrg:      orgName,
		colLead:     names[0],
		colPlace:    "三楼会议室",
		colDuration: "90",
		colTopics:   "党的二十大精神、《中国共产党宣传工作条例》",
		colTags:     "中心组学习",
		colPresent:  names[0] + "（发言）、" + names[1],
		colAbsent:   names[2] + "（出差）",
		colContent:  "集中学习党的二十大报告第八部分，结合本单位工作交流发言。",
	}
	row := make([]any, len(importColumns))
	for i, key := range importColumns {
		row[i] = values[key]
	}
	return row
}

// writeLists fills the hidden 选项 sheet and names its ranges for the
// drop-downs (defined names work in Excel and WPS alike).
func writeLists(f *excelize.File, units []org.Node) error {
	var types, orgs []string
	for _, t := range ledger.Types {
		types = append(types, t.Label)
	}
	for _, n := range units {
		orgs = append(orgs, n.Name)
	}
	cols := []struct {
		col, title, name string
		values           []string
	}{
		{"A", "活动类型", "LedgerTypes", types},
		{"B", "宣讲对象", "LedgerAudiences", ledger.AudienceTypes},
		{"C", "组织部门", "LedgerOrgs", orgs},
	}
	for _, c := range cols {
		if err := f.SetCellStr(listSheet, c.col+"1", c.title); err != nil {
			return fmt.Errorf("list %s: %w", c.title, err)
		}
		for i, v := range c.values {
			if err := f.SetCellStr(listSheet, c.col+strconv.Itoa(i+2), clean(v)); err != nil {
				return fmt.Errorf("list %s: %w", c.title, err)
			}
		}
		if len(c.values) == 0 {
			continue
		}
		ref := fmt.Sprintf("'%s'!$%s$2:$%s$%d", listSheet, c.col, c.col, len(c.values)+1)
		if err := f.SetDefinedName(&excelize.DefinedName{Name: c.name, RefersTo: ref}); err != nil {
			return fmt.Errorf("defined name %s: %w", c.name, err)
		}
	}
	if err := f.SetSheetVisible(listSheet, false); err != nil {
		return fmt.Errorf("hide list sheet: %w", err)
	}
	return nil
}

func writeHelp(f *excelize.File, st exportStyles) error {
	sh := helpSheet
	var rows [][]any
	add := func(v ...any) { rows = append(rows, v) }
	var styled []int // rows that get the header style

	add("台账导入填写说明")
	add("1. 在「" + TemplateSheet + "」工作表中每行填写一项活动，第 1 行表头不要修改；列的顺序可以调整，多余的列会被忽略。")
	add("2. 人员姓名须与「" + staffSheet + "」工作表一致；名单中有同名人员时写成 部门/姓名，如 办公室/张伟。")
	add("3. 多个姓名、专题或标签之间用 、 或 ， 分隔。缺席人员写成 姓名（原因），全角或半角括号均可，原因必填。")
	add(fmt.Sprintf("4. 日期可写 2023-06-30、2023/6/30、2023年6月30日，或使用 Excel 日期单元格。一次最多导入 %d 行。", MaxRows))
	add("5. 导入前会检查全部行，任一行有错误则整份文件都不导入，并逐行列出错误（第几行、哪一列、原因）；改正后重新上传即可。")
	add("6. 同一文件重复导入不会产生重复记录：日期、类型、主题、组织部门都相同的活动视为同一条，已导入的会被跳过。同一文件中两行这四项完全相同会报「重复」。")
	add("7. 以【示例】开头的行是示例，导入时自动跳过，可以保留或删除。")
	add("")
	styled = append(styled, len(rows)+1)
	add("列名", "是否必填", "填写要求")
	for _, key := range importColumns {
		h := columnHelp[key]
		add(key, h[0], h[1])
	}
	add("")
	styled = append(styled, len(rows)+1)
	add("活动类型", "「"+colLead+"」列含义", "该列是否必填", "登记参加人员", "须写议题", "须写宣讲对象")
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	for _, t := range ledger.Types {
		add(t.Label, t.LeadLabel, yes(t.LeadRequired), yes(t.Attendance), yes(t.Agenda), yes(t.Code == ledger.Preach))
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			return fmt.Errorf("help row %d: %w", i+1, err)
		}
	}
	for _, r := range styled {
		n := strconv.Itoa(r)
		if err := f.SetCellStyle(sh, "A"+n, "F"+n, st.header); err != nil {
			return fmt.Errorf("help style: %w", err)
		}
	}
	if err := f.SetCellStyle(sh, "A1", "A1", st.title); err != nil {
		return fmt.Errorf("help title: %w", err)
	}
	for col, w := range map[string]float64{"A": 30, "B": 20, "C": 90, "D": 14, "E": 12, "F": 14} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return fmt.Errorf("help width: %w", err)
		}
	}
	return nil
}

// writeStaff lists the people whose names Parse accepts, with the form to
// write for names shared by several people.
func writeStaff(f *excelize.File, st exportStyles, staff []org.User) error {
	sh := staffSheet
	count := map[string]int{}
	for _, u := range staff {
		count[strings.TrimSpace(u.Name)]++
	}
	header := []any{"部门", "姓名", "职务", "导入时写作"}
	if err := f.SetSheetRow(sh, "A1", &header); err != nil {
		return fmt.Errorf("staff header: %w", err)
	}
	if err := f.SetCellStyle(sh, "A1", "D1", st.header); err != nil {
		return fmt.Errorf("staff header style: %w", err)
	}
	for i, u := range staff {
		name := strings.TrimSpace(u.Name)
		write := name
		if count[name] > 1 {
			write = u.OrgName + "/" + name
		}
		row := []any{clean(u.OrgName), clean(name), clean(u.Title), clean(write)}
		if err := f.SetSheetRow(sh, "A"+strconv.Itoa(i+2), &row); err != nil {
			return fmt.Errorf("staff row %d: %w", i+1, err)
		}
	}
	for col, w := range map[string]float64{"A": 20, "B": 12, "C": 16, "D": 24} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return fmt.Errorf("staff width: %w", err)
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("staff freeze: %w", err)
	}
	return nil
}

func colName(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
