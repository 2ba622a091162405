package ledgerxlsx

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Sheets as bureaus keep them (issue 13 A): saved by WPS with a title
// merged across the top, a line naming the unit and period, a header over
// two rows with merged cells, and notes rows under the data. The fixtures
// are built with excelize the way WPS lays them out.

// wpsStaff is the unit's staff with 职务, including 李四 the 副局长.
var wpsStaff = append(slices.Clone(staff),
	org.User{ID: 21, UnitID: 1, OrgID: 2, OrgName: "办公室", Name: "李四", Title: "副局长"},
	org.User{ID: 22, UnitID: 1, OrgID: 3, OrgName: "宣传科", Name: "陈静", Title: "科长"},
)

// wpsSheet describes a sheet: title lines, header rows (each a row of
// cells), merged ranges ("A3:A4"), data rows and notes below.
type wpsSheet struct {
	titles  []string
	headers [][]any
	merges  [][2]string
	rows    [][]any
	notes   []string
}

// build writes the sheet as a workbook named 工作表1 (WPS's default name),
// title lines merged across the header's width, notes merged likewise.
func (w wpsSheet) build(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "工作表1"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	width := 0
	for _, h := range w.headers {
		width = max(width, len(h))
	}
	last, _ := excelize.ColumnNumberToName(width)
	row := 1
	put := func(cells []any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(sh, cell, &cells); err != nil {
			t.Fatal(err)
		}
		row++
	}
	for _, title := range w.titles {
		put([]any{title})
		if err := f.MergeCell(sh, "A"+itoa(row-1), last+itoa(row-1)); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range w.headers {
		put(h)
	}
	for _, m := range w.merges {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range w.rows {
		put(r)
	}
	for _, n := range w.notes {
		put([]any{n})
		if err := f.MergeCell(sh, "A"+itoa(row-1), last+itoa(row-1)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func itoa(n int) string { return joinInts([]int{n}) }

func readWith(t *testing.T, data []byte, people []org.User) *Result {
	t.Helper()
	res, err := Read(bytes.NewReader(data), Input{UnitID: unitID, Nodes: nodes, Staff: people, Today: today})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return res
}

// bureauSheet is a 2023 ledger kept in WPS: title and unit lines, a
// two-row header whose 参会情况 group is merged over 参加人员 and
// 缺席人员及原因, the columns 主讲/主持 and 对象 under their own names, an
// 原登记日期 column, and two notes rows.
func bureauSheet() wpsSheet {
	return wpsSheet{
		titles: []string{"示范局2023年意识形态工作台账", "填报单位：示范局办公室　　　　填报时间：2023年12月"},
		headers: [][]any{
			{"序号", "日期", "活动类型", "主题", "主讲/主持", "对象", "参会情况", "", "议题", "原登记日期"},
			{"", "", "", "", "", "", "参加人员", "缺席人员及原因", "", ""},
		},
		merges: [][2]string{{"A3", "A4"}, {"B3", "B4"}, {"C3", "C4"}, {"D3", "D4"}, {"E3", "E4"}, {"F3", "F4"}, {"G3", "H3"}, {"I3", "I4"}, {"J3", "J4"}},
		rows: [][]any{
			{1, "2023年3月2日", "中心组学习", "学习二十大精神", "李四(副局长)", "", "张书记、李明(发言)", "王芳(出差)", "", "2023年3月2日"},
			{2, "2023.4.6", "宣讲", "乡村振兴宣讲进村", "副局长 李四", "服务对象", "", "", "", "2023-04-10"},
			{3, "2023-05-08", "党课", "七一党课", "李四（副局长）", "干部职工", "李明、赵强", "", "", ""},
			{4, "2023-06-01", "领导小组会议", "研究上半年意识形态工作", "张书记", "", "李明、陈静", "", "研究舆情应对", ""},
			{5, "2023-06-20", "宣讲", "政策宣讲", "市委党校王教授", "基层", "", "", "", ""},
		},
		notes: []string{"注：本表由办公室每月汇总，缺席人员须注明原因。", "填表人：李明　　审核人：张书记"},
	}
}

// TestReadBureauSheet: the whole sheet imports as the user meant it.
func TestReadBureauSheet(t *testing.T) {
	res := readWith(t, bureauSheet().build(t), wpsStaff)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if res.Sheet != "工作表1" || res.HeaderRows != [2]int{3, 4} || res.Rows != 5 || len(res.Acts) != 5 {
		t.Fatalf("sheet %q header %v rows %d acts %d", res.Sheet, res.HeaderRows, res.Rows, len(res.Acts))
	}
	if !slices.Equal(res.NoteRows, []int{10, 11}) {
		t.Errorf("note rows = %v, want [10 11]", res.NoteRows)
	}
	a := res.Acts[0]
	// Example A4: the merged 参会情况 header keeps the attendance.
	if len(a.Attendance) != 3 || a.Attendance[0].UserID != 11 || !a.Attendance[1].Speaker || a.Attendance[2].Status != "absent" || a.Attendance[2].Reason != "出差" {
		t.Errorf("attendance = %+v", a.Attendance)
	}
	// Example A1: the old sheet's recording date is kept as its claim.
	if a.Import.Row != 5 || a.Import.Claimed != "2023-03-02" || res.Acts[1].Import.Claimed != "2023-04-10" || res.Acts[2].Import.Claimed != "" {
		t.Errorf("provenance = %+v / %+v / %+v", a.Import, res.Acts[1].Import, res.Acts[2].Import)
	}
	// Example A2: 李四 written with his title is 李四, three ways.
	for i := range 3 {
		if res.Acts[i].LeadID != 21 || res.Acts[i].LeadName != "李四" {
			t.Errorf("row %d lead = %d %q, want 李四 (21)", i+5, res.Acts[i].LeadID, res.Acts[i].LeadName)
		}
	}
	var matched []string
	for _, m := range res.Matched {
		matched = append(matched, m.Written+"→"+m.Person+itoa(m.Rows[0]))
	}
	want := []string{"李四(副局长)→李四（办公室）5", "副局长 李四→李四（办公室）6", "李四（副局长）→李四（办公室）7"}
	if !slices.Equal(matched, want) {
		t.Errorf("matched = %v, want %v", matched, want)
	}
	// Example A3: 对象 is the audience, 主讲/主持 the speaker.
	if res.Acts[1].AudienceType != "服务对象" || res.Acts[1].Type != ledger.Preach {
		t.Errorf("宣讲 row = %+v", res.Acts[1])
	}
	// An outside speaker is accepted as 外请 only with a warning naming them.
	if len(res.Guests) != 1 || res.Guests[0].Written != "市委党校王教授" || res.Acts[4].LeadID != 0 {
		t.Errorf("guests = %+v", res.Guests)
	}
	if !containsLine(res.Warnings, "以下姓名不在本单位人员名单中，将作为外请人员登记") || !containsLine(res.Warnings, "市委党校王教授（第 9 行）") {
		t.Errorf("warnings = %v", res.Warnings)
	}
	if !containsLine(res.Warnings, "「序号」列不导入") || !containsLine(res.Warnings, "第 10、11 行是说明或合计文字，已跳过") {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

func containsLine(list []string, s string) bool {
	for _, l := range list {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestTitledNames: example A2 with each writing, and names that only look
// like a titled staff member.
func TestTitledNames(t *testing.T) {
	p := newRowParser(unitID, nodes, wpsStaff, today)
	for _, tc := range []struct {
		written string
		id      int64
	}{
		{"李四(副局长)", 21}, {"李四（副局长）", 21}, {"副局长 李四", 21}, {"副局长李四", 21}, {"李四副局长", 21},
		{"李四 副局长", 21}, {"李四同志", 21}, {"李四（党组成员、副局长）", 21}, {"办公室主任李明", 12}, {"宣传科/陈静(科长)", 22},
		{"陈静科长", 22}, {"李四光", 0}, {"李四(市委党校)", 0}, {"王教授", 0}, {"副局长", 0}, {"某大学/李教授", 0},
	} {
		u, found, msg := p.person(tc.written)
		if msg != "" || found != (tc.id != 0) || u.ID != tc.id {
			t.Errorf("person(%q) = %d %v %q, want %d", tc.written, u.ID, found, msg, tc.id)
		}
	}
	// Two people named 张伟: the title does not tell them apart here, so
	// the message asks for 部门/姓名 rather than guessing.
	if _, found, msg := p.person("张伟(科员)"); found || !strings.Contains(msg, "2 人同名") {
		t.Errorf("张伟(科员): %v %q", found, msg)
	}
}

// TestUnknownHeaders: example A3. Aliases are accepted; a header that is
// not recognised is named with the accepted names, refused when its
// column holds anything, and no error calls a filled cell empty.
func TestUnknownHeaders(t *testing.T) {
	s := wpsSheet{headers: [][]any{{"日期", "类型", "主题", "主讲/主持", "对象", "参会人员"}},
		rows: [][]any{{"2023-04-06", "宣讲", "乡村振兴宣讲", "王芳", "服务对象", ""}}}
	res := readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) > 0 || res.Acts[0].LeadID != 13 || res.Acts[0].AudienceType != "服务对象" {
		t.Fatalf("aliases: %v %+v", res.Errors, res.Acts)
	}

	s = wpsSheet{headers: [][]any{{"日期", "类型", "主题", "讲话人", "宣讲对象", "签到情况"}},
		rows: [][]any{{"2023-04-06", "宣讲", "乡村振兴宣讲", "王芳", "服务对象", ""}}}
	res = readWith(t, s.build(t), wpsStaff)
	if res.Acts != nil || len(res.Errors) != 2 {
		t.Fatalf("errors = %v", res.Errors)
	}
	e := res.Errors[0]
	if e.Row != 1 || e.Column != "讲话人" || !strings.Contains(e.Msg, "D 列的列名无法识别，该列有 1 个单元格有内容") ||
		!strings.Contains(e.Msg, "「主讲人/授课人/作者」（或主讲人、主持人、主讲/主持") {
		t.Errorf("column error = %v", e)
	}
	if m := res.Errors[1].Msg; !strings.Contains(m, "宣讲人不能为空（本行「讲话人」列有内容，但该列名无法识别，请先改正列名）") {
		t.Errorf("row error = %q", m)
	}
	if !containsLine(res.Warnings, "F 列「签到情况」的列名无法识别，该列没有内容，已忽略") {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

// TestTwoRowHeaders: example A4, and a two-row header with a column that
// cannot be placed, which stops the import naming it.
func TestTwoRowHeaders(t *testing.T) {
	// The group header is merged; the single-row fields are not merged
	// down (WPS leaves the lower cell empty): both read as one header.
	s := wpsSheet{headers: [][]any{
		{"日期", "类型", "主题", "参会情况", ""},
		{"", "", "", "参加人员", "缺席人员及原因"},
	}, merges: [][2]string{{"D1", "E1"}},
		rows: [][]any{{"2023-03-02", "支部党员大会", "学习党章", "李明、刘洋", "王芳(病假)"}}}
	res := readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) > 0 || len(res.Acts) != 1 || len(res.Acts[0].Attendance) != 3 || res.HeaderRows != [2]int{1, 2} {
		t.Fatalf("errors %v acts %+v header %v", res.Errors, res.Acts, res.HeaderRows)
	}

	s.headers[1][4] = "签到"
	res = readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) == 0 || res.Errors[0].Column != "参会情况／签到" || !strings.Contains(res.Errors[0].Msg, "E 列的列名无法识别") {
		t.Errorf("errors = %v", res.Errors)
	}
}

// TestMessageNamesRowType: example A5.
func TestMessageNamesRowType(t *testing.T) {
	s := wpsSheet{headers: [][]any{{"日期", "类型", "主题", "议题"}},
		rows: [][]any{{"2023-06-01", "意识形态工作领导小组会议", "领导小组会议", ""}, {"2023-06-02", "专题研究", "专题研究会", ""}}}
	res := readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) != 2 ||
		res.Errors[0].Msg != "意识形态工作领导小组会议须写明意识形态工作议题" ||
		res.Errors[1].Msg != "专题研究意识形态工作须写明意识形态工作议题" {
		t.Errorf("errors = %v", res.Errors)
	}
}

// TestReportWithoutDocument: example A6, the file side: the rows import
// and the preview says they will show 缺报告文档 and not count.
func TestReportWithoutDocument(t *testing.T) {
	s := wpsSheet{headers: [][]any{{"日期", "类型", "主题", "撰写人"}},
		rows: [][]any{{"2023-06-01", "分析研判", "上半年意识形态形势分析研判", "张书记"}}}
	res := readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) > 0 || res.MissingReport != 1 ||
		!containsLine(res.Warnings, "1 条意识形态分析研判报告没有报告文档（导入不带文件）：导入后显示“缺报告文档”，在记录页面上传报告文档之前不计入“上报分析研判报告”") {
		t.Errorf("errors %v missing %d warnings %v", res.Errors, res.MissingReport, res.Warnings)
	}
}

// TestClaimedDate: 原登记日期 before the activity, or a non-date, is a row
// error naming the column as written.
func TestClaimedDate(t *testing.T) {
	s := wpsSheet{headers: [][]any{{"日期", "类型", "主题", "作者", "登记日期"}},
		rows: [][]any{{"2023-06-01", "心得", "心得一", "李明", "2023-05-30"}, {"2023-06-01", "心得", "心得二", "李明", "上周"}}}
	res := readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) != 2 || res.Errors[0].Column != "登记日期" || res.Errors[0].Msg != "原表登记日期2023年5月30日早于活动日期2023年6月1日，请检查" ||
		!strings.Contains(res.Errors[1].Msg, "「上周」不是有效日期") {
		t.Errorf("errors = %v", res.Errors)
	}
}

// TestMergedDataRowIsNotANote: a data row whose content is merged across
// columns is an activity, not a note, because its date is a date.
func TestMergedDataRowIsNotANote(t *testing.T) {
	s := wpsSheet{headers: [][]any{{"日期", "类型", "主题", "作者", "内容摘要", "", ""}},
		merges: [][2]string{{"E1", "G1"}, {"E2", "G2"}, {"A3", "G3"}},
		rows:   [][]any{{"2023-06-01", "心得", "学习心得", "李明", "心得正文"}, {"填表说明：内容摘要可合并单元格"}}}
	res := readWith(t, s.build(t), wpsStaff)
	if len(res.Errors) > 0 || len(res.Acts) != 1 || res.Acts[0].Content != "心得正文" || !slices.Equal(res.NoteRows, []int{3}) {
		t.Errorf("errors %v acts %d notes %v", res.Errors, len(res.Acts), res.NoteRows)
	}
}

// TestExportSource: the export says which entries were imported (with the
// old sheet's claim) and which lack their report document, so an import's
// recording time is not read as a lag.
func TestExportSource(t *testing.T) {
	acts := []ledger.Activity{
		{Type: ledger.CentralGroup, Date: "2022-07-01", Title: "学习", OrgName: "示范局",
			Import: ledger.ImportInfo{BatchID: 3, Row: 5, FileName: "2022台账.xlsx", Claimed: "2022-07-03", History: true}},
		{Type: ledger.AnalysisReport, Date: "2023-06-26", Title: "研判", OrgName: "示范局", MissingReport: true},
		{Type: ledger.Reflection, Date: "2023-06-26", Title: "心得", OrgName: "示范局"},
	}
	var buf bytes.Buffer
	if err := Export(&buf, "台账", acts); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(ExportSheet)
	col := slices.Index(rows[1], "来源")
	if col < 0 {
		t.Fatalf("no 来源 column in %v", rows[1])
	}
	cell := func(r int) string {
		if col < len(rows[r]) {
			return rows[r][col]
		}
		return ""
	}
	if cell(2) != "系统启用前导入（2022台账.xlsx第5行），原表登记于2022年7月3日" || cell(3) != "缺报告文档" || cell(4) != "" {
		t.Errorf("来源 = %q / %q / %q", cell(2), cell(3), cell(4))
	}
}
