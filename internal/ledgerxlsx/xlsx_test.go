package ledgerxlsx

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

const unitID = 1

var (
	today = time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	nodes = []org.Node{
		{ID: 1, Kind: org.Unit, Name: "示范局"},
		{ID: 2, ParentID: 1, UnitID: 1, Kind: org.Department, Name: "办公室"},
		{ID: 3, ParentID: 1, UnitID: 1, Kind: org.Department, Name: "宣传科"},
		{ID: 4, ParentID: 1, UnitID: 1, Kind: org.Branch, Name: "机关第一支部"},
	}
	staff = []org.User{
		{ID: 11, UnitID: 1, OrgID: 2, OrgName: "办公室", Name: "张书记"},
		{ID: 12, UnitID: 1, OrgID: 2, OrgName: "办公室", Name: "李明"},
		{ID: 13, UnitID: 1, OrgID: 3, OrgName: "宣传科", Name: "王芳"},
		{ID: 14, UnitID: 1, OrgID: 3, OrgName: "宣传科", Name: "赵强"},
		{ID: 15, UnitID: 1, OrgID: 2, OrgName: "办公室", Name: "张伟"},
		{ID: 16, UnitID: 1, OrgID: 3, OrgName: "宣传科", Name: "张伟"},
		{ID: 17, UnitID: 1, OrgID: 4, OrgName: "机关第一支部", Name: "刘洋"},
	}
)

func TestExportParseRoundTrip(t *testing.T) {
	acts := []ledger.Activity{
		{
			Type: ledger.CentralGroup, Date: "2023-06-30", Title: "学习党的二十大精神", OrgID: 2, OrgName: "办公室",
			LeadID: 11, LeadName: "张书记", Place: "三楼会议室", DurationMin: 120,
			RequiredTopics: []string{"ershida", "tiaoli"}, Tags: []string{"理论学习", "二十大"},
			Content: "学习二十大报告第八部分。",
			Attendance: []ledger.Attendance{
				{UserID: 11, Name: "张书记", OrgName: "办公室", Status: "present", Speaker: true},
				{UserID: 12, Name: "李明", OrgName: "办公室", Status: "present"},
				{UserID: 13, Name: "王芳", OrgName: "宣传科", Status: "absent", Reason: "出差，在外地"},
			},
			CreatedAt: time.Date(2023, 6, 30, 7, 4, 0, 0, time.UTC).Unix(), CreatedByName: "李明",
		},
		{
			// Both people named 张伟 attend: the export must tell them apart.
			Type: ledger.TopicStudy, Date: "2023-03-02", Title: "专题研究意识形态工作", OrgID: 1, OrgName: "示范局",
			LeadID: 11, LeadName: "张书记", Agenda: "研究上半年意识形态工作",
			Attendance: []ledger.Attendance{
				{UserID: 15, Name: "张伟", OrgName: "办公室", Status: "present"},
				{UserID: 16, Name: "张伟", OrgName: "宣传科", Status: "absent", Reason: "病假"},
				{UserID: 17, Name: "刘洋", OrgName: "机关第一支部", Status: "present"},
			},
		},
		{
			// An outside speaker, not on the staff list.
			Type: ledger.Preach, Date: "2023-05-04", Title: "青年理论宣讲", OrgID: 3, OrgName: "宣传科",
			LeadName: "市委党校王教授", AudienceType: "基层", AudienceCount: 120, Tags: []string{"宣讲"},
		},
	}
	var buf bytes.Buffer
	if err := Export(&buf, "示范局 2023年上半年台账", acts); err != nil {
		t.Fatalf("Export: %v", err)
	}

	// What a user sees: the title row, the header and a readable date.
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("open export: %v", err)
	}
	if v, _ := f.GetCellValue(ExportSheet, "A1"); v != "示范局 2023年上半年台账" {
		t.Errorf("title cell = %q", v)
	}
	if v, _ := f.GetCellValue(ExportSheet, "B3"); v != "2023年6月30日" {
		t.Errorf("date cell shows %q, want 2023年6月30日", v)
	}
	row3, _ := f.GetRows(ExportSheet)
	wantCells := map[string]string{
		"类型": "党组（理论学习中心组）集中学习", "参加人员": "张书记（发言）、李明", "缺席人员及原因": "王芳（出差，在外地）",
		"必修专题": "党的二十大精神、《中国共产党宣传工作条例》", "出席/应到": "2/3", "登记时间": "2023年6月30日 15:04", "登记人": "李明",
	}
	for i, h := range row3[1] {
		if want, ok := wantCells[h]; ok && row3[2][i] != want {
			t.Errorf("export column %s = %q, want %q", h, row3[2][i], want)
		}
	}
	if got := row3[3][indexOf(row3[1], "参加人员")]; got != "办公室/张伟、刘洋" {
		t.Errorf("same-name attendees exported as %q, want 办公室/张伟、刘洋", got)
	}
	f.Close()

	got, rowErrs, err := Parse(bytes.NewReader(buf.Bytes()), unitID, nodes, staff, today)
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("Parse: err=%v rowErrs=%v", err, rowErrs)
	}
	if len(got) != len(acts) {
		t.Fatalf("Parse returned %d activities, want %d", len(got), len(acts))
	}
	for i, want := range acts {
		g := got[i]
		if g.UnitID != unitID || g.ImportKey == "" {
			t.Errorf("act %d: UnitID=%d ImportKey=%q", i, g.UnitID, g.ImportKey)
		}
		check := func(field string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("act %d %s = %#v, want %#v", i, field, got, want)
			}
		}
		check("Type", g.Type, want.Type)
		check("Date", g.Date, want.Date)
		check("Title", g.Title, want.Title)
		check("OrgID", g.OrgID, want.OrgID)
		check("LeadID", g.LeadID, want.LeadID)
		check("LeadName", g.LeadName, want.LeadName)
		check("Place", g.Place, want.Place)
		check("DurationMin", g.DurationMin, want.DurationMin)
		check("AudienceType", g.AudienceType, want.AudienceType)
		check("AudienceCount", g.AudienceCount, want.AudienceCount)
		check("Agenda", g.Agenda, want.Agenda)
		check("RequiredTopics", g.RequiredTopics, want.RequiredTopics)
		check("Tags", g.Tags, want.Tags)
		check("Content", g.Content, want.Content)
		// The export lists present people before absent ones; order is not data.
		byUser := func(l []ledger.Attendance) []ledger.Attendance {
			out := slices.Clone(l)
			slices.SortFunc(out, func(a, b ledger.Attendance) int { return cmp.Compare(a.UserID, b.UserID) })
			return out
		}
		check("Attendance", byUser(g.Attendance), byUser(want.Attendance))
	}
}

// fillRow describes data row i of the 200-row file, varying types, date
// forms and name forms the way real files do.
func fillRow(i int) []any {
	date := any(fmt.Sprintf("2023-%02d-%02d", i%12+1, i%28+1))
	switch i % 4 {
	case 1:
		date = fmt.Sprintf("2023/%d/%d", i%12+1, i%28+1)
	case 2:
		date = fmt.Sprintf("2023年%d月%d日", i%12+1, i%28+1)
	case 3:
		date = time.Date(2023, time.Month(i%12+1), i%28+1, 0, 0, 0, 0, time.UTC) // a real date cell
	}
	title := fmt.Sprintf("第%d次学习", i+1)
	switch i % 5 {
	case 0:
		return []any{date, "党组（理论学习中心组）集中学习", title, "办公室", "张书记", "会议室", "９０", "", "", "",
			"二十大精神、安全生产", "理论学习，二十大", "张书记（发言）、李明、宣传科/张伟", "王芳（病假）", "学习内容"}
	case 1:
		return []any{date, "宣讲", title, "宣传科", "王芳", "社区", "1.5小时", "服务对象", "８０人", "", "", "", "", "", ""}
	case 2:
		return []any{date, "专题研究", title, "", "张书记", "", 60, "", "", "研究意识形态工作", "", "", "李明 赵强，刘洋", "", ""}
	case 3:
		return []any{date, "党课", title, "机关第一支部", "市委党校王教授", "", "", "干部职工", 30, "", "党风廉政建设", "", "刘洋、办公室/张伟", "", ""}
	}
	return []any{date, "心得体会", title, "", "赵强", "", "", "", "", "", "", "", "", "", "心得正文"}
}

// templateWithRows fills the template's import sheet below the example
// row; mutate may change a row before it is written.
func templateWithRows(t *testing.T, n int, mutate func(excelRow int, row []any)) []byte {
	t.Helper()
	var tpl bytes.Buffer
	if err := Template(&tpl, nodes, staff); err != nil {
		t.Fatalf("Template: %v", err)
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		t.Fatalf("open template: %v", err)
	}
	defer f.Close()
	for i := 0; i < n; i++ {
		excelRow := i + 3 // row 1 header, row 2 example
		row := fillRow(i)
		if mutate != nil {
			mutate(excelRow, row)
		}
		if err := f.SetSheetRow(TemplateSheet, fmt.Sprintf("A%d", excelRow), &row); err != nil {
			t.Fatalf("fill row %d: %v", excelRow, err)
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatalf("write filled template: %v", err)
	}
	return out.Bytes()
}

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf, nodes, staff); err != nil {
		t.Fatalf("Template: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open template: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{TemplateSheet, helpSheet, staffSheet, listSheet}) {
		t.Errorf("sheets = %v", got)
	}
	header, _ := f.GetRows(TemplateSheet)
	if !reflect.DeepEqual(header[0], importColumns) {
		t.Errorf("header = %v, want %v", header[0], importColumns)
	}
	dvs, _ := f.GetDataValidations(TemplateSheet)
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref] = dv.Formula1
	}
	for sqref, src := range map[string]string{"B2:B5001": "LedgerTypes", "H2:H5001": "LedgerAudiences", "D2:D5001": "LedgerOrgs"} {
		if !strings.Contains(lists[sqref], src) {
			t.Errorf("drop-down on %s = %q, want source %s (all: %v)", sqref, lists[sqref], src, lists)
		}
	}
	if visible, _ := f.GetSheetVisible(listSheet); visible {
		t.Error("list sheet should be hidden")
	}
	types, _ := f.GetCellValue(listSheet, "A2")
	if types != ledger.Types[0].Label {
		t.Errorf("first type in list = %q", types)
	}
	staffRows, _ := f.GetRows(staffSheet)
	if len(staffRows) != len(staff)+1 || staffRows[5][3] != "办公室/张伟" {
		t.Errorf("staff sheet rows = %v", staffRows)
	}
	help, _ := f.GetRows(helpSheet)
	text := fmt.Sprint(help)
	for _, want := range []string{"2023/6/30", "姓名（原因）", "部门/姓名", "不会产生重复", "专题研究意识形态工作", "宣讲必填"} {
		if !strings.Contains(text, want) {
			t.Errorf("填写说明 does not mention %q", want)
		}
	}
}

func TestParseFilledTemplate(t *testing.T) {
	data := templateWithRows(t, 200, nil)
	acts, rowErrs, err := Parse(bytes.NewReader(data), unitID, nodes, staff, today)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(rowErrs) > 0 {
		t.Fatalf("unexpected row errors (%d), first: %v", len(rowErrs), rowErrs[0])
	}
	// The example row is skipped: exactly the 200 filled rows.
	if len(acts) != 200 {
		t.Fatalf("got %d activities, want 200", len(acts))
	}
	keys := map[string]bool{}
	for _, a := range acts {
		keys[a.ImportKey] = true
	}
	if len(keys) != 200 {
		t.Errorf("%d distinct import keys, want 200", len(keys))
	}
	// Spot checks of the lenient forms.
	a0 := acts[0]
	if a0.Type != ledger.CentralGroup || a0.Date != "2023-01-01" || a0.OrgID != 2 || a0.LeadID != 11 || a0.DurationMin != 90 {
		t.Errorf("row 3 parsed as %+v", a0)
	}
	if want := []string{"ershida", "anquan"}; !reflect.DeepEqual(a0.RequiredTopics, want) {
		t.Errorf("row 3 topics = %v, want %v", a0.RequiredTopics, want)
	}
	if want := []string{"理论学习", "二十大"}; !reflect.DeepEqual(a0.Tags, want) {
		t.Errorf("row 3 tags = %v, want %v", a0.Tags, want)
	}
	wantAtt := []ledger.Attendance{
		{UserID: 11, Name: "张书记", OrgName: "办公室", Status: "present", Speaker: true},
		{UserID: 12, Name: "李明", OrgName: "办公室", Status: "present"},
		{UserID: 16, Name: "张伟", OrgName: "宣传科", Status: "present"},
		{UserID: 13, Name: "王芳", OrgName: "宣传科", Status: "absent", Reason: "病假"},
	}
	if !reflect.DeepEqual(a0.Attendance, wantAtt) {
		t.Errorf("row 3 attendance = %+v", a0.Attendance)
	}
	a1 := acts[1]
	if a1.Type != ledger.Preach || a1.Date != "2023-02-02" || a1.DurationMin != 90 || a1.AudienceCount != 80 || a1.AudienceType != "服务对象" || a1.LeadID != 13 {
		t.Errorf("row 4 parsed as %+v", a1)
	}
	if a := acts[2]; a.Type != ledger.TopicStudy || a.Date != "2023-03-03" || a.OrgID != 1 || len(a.Attendance) != 3 {
		t.Errorf("row 5 parsed as %+v", a)
	}
	if a := acts[3]; a.Date != "2023-04-04" || a.LeadID != 0 || a.LeadName != "市委党校王教授" || a.OrgID != 4 {
		t.Errorf("row 6 (real date cell, outside speaker) parsed as %+v", a)
	}
}

func TestParseReportsTheBadRow(t *testing.T) {
	tests := []struct {
		name   string
		col    int // index in importColumns
		value  any
		column string
		msg    string
		// attendance makes row 57 (a 心得体会 in fillRow) a type with attendance.
		attendance bool
	}{
		{"impossible date", 0, "2023-13-45", "日期", "2023-13-45", false},
		{"unknown person", 12, "张书记、查无此人", "参加人员", "查无此人", true},
		{"ambiguous name", 12, "张伟", "参加人员", "部门/姓名", true},
		{"absent without reason", 13, "王芳", "缺席人员及原因", "原因", true},
		{"attendance for a type without it", 12, "张书记", "参加人员", "不登记参加人员", false},
		{"unknown type", 1, "茶话会", "类型", "茶话会", false},
		{"future date", 0, "2024-02-01", "日期", "不能晚于今天", false},
		{"unknown topic", 10, "二十大精神、养生保健", "必修专题", "养生保健", false},
		{"unknown org", 3, "后勤处", "组织部门", "后勤处", false},
		{"bad duration", 6, "一个半小时", "时长（分钟）", "一个半小时", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := templateWithRows(t, 200, func(excelRow int, row []any) {
				if excelRow == 57 {
					if tt.attendance {
						row[1] = "党组（理论学习中心组）集中学习"
					}
					row[tt.col] = tt.value
				}
			})
			acts, rowErrs, err := Parse(bytes.NewReader(data), unitID, nodes, staff, today)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if acts != nil {
				t.Errorf("activities returned despite errors: %d", len(acts))
			}
			if len(rowErrs) != 1 {
				t.Fatalf("got %d row errors, want 1: %v", len(rowErrs), rowErrs)
			}
			e := rowErrs[0]
			if e.Row != 57 || e.Column != tt.column || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("error = %+v, want row 57 column %s containing %q", e, tt.column, tt.msg)
			}
			if !strings.HasPrefix(e.Error(), "第 57 行「"+tt.column+"」：") {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
}

// buildSheet writes rows (the first being the header, at headerRow) into
// a fresh workbook.
func buildSheet(t *testing.T, headerRow int, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	if headerRow > 1 {
		if err := f.SetCellStr(sh, "A1", "2023年台账（自制表）"); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", headerRow+i), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseTolerantLayout(t *testing.T) {
	// Header in row 3 under a title, columns reordered and renamed, an
	// unknown 序号 column, an empty row in the middle and rows with only a
	// 序号 at the end.
	rows := [][]any{
		{"序号", "活动主题", "活动类型", "日期 ", "主讲人", "备注", "参会人员"},
		{1, "学习一", "中心组学习", "2023.5.6", "张书记", "无", "李明"},
		{},
		{3, "调研二", "调研", "20230607", "李明", "", ""},
		{4},
		{5},
	}
	data := buildSheet(t, 3, rows)
	acts, rowErrs, err := Parse(bytes.NewReader(data), unitID, nodes, staff, today)
	if err != nil || rowErrs != nil {
		t.Fatalf("Parse: err=%v rowErrs=%v", err, rowErrs)
	}
	if len(acts) != 2 {
		t.Fatalf("got %d activities, want 2", len(acts))
	}
	if acts[0].Date != "2023-05-06" || acts[0].Type != ledger.CentralGroup || acts[0].OrgID != 1 || len(acts[0].Attendance) != 1 {
		t.Errorf("first = %+v", acts[0])
	}
	if acts[1].Date != "2023-06-07" || acts[1].Type != ledger.Research || acts[1].LeadID != 12 {
		t.Errorf("second = %+v", acts[1])
	}

	// Errors point at the row numbers the user sees (row 6 after the gap)
	// and use the file's own header text.
	rows[3][3] = "下周"
	_, rowErrs, _ = Parse(bytes.NewReader(buildSheet(t, 3, rows)), unitID, nodes, staff, today)
	if len(rowErrs) != 1 || rowErrs[0].Row != 6 || rowErrs[0].Column != "日期" {
		t.Errorf("row errors = %v, want one at row 6 「日期」", rowErrs)
	}
}

func TestParseDuplicateRowsAndStableKeys(t *testing.T) {
	header := []any{"日期", "类型", "主题", "组织部门", "主讲人/授课人/作者", "议题"}
	x := []any{"2023-06-30", "专题研究", "研究意识形态工作", "", "张书记", "上半年形势"}
	y := []any{"2023-07-01", "党课", "七一党课", "机关第一支部", "刘洋", ""}
	// The same activity written with the unit's name instead of blank.
	xAgain := []any{"2023/6/30", "专题研究意识形态工作", " 研究意识形态工作 ", "示范局", "李明", "别的议题"}

	_, rowErrs, err := Parse(bytes.NewReader(buildSheet(t, 1, [][]any{header, x, y, xAgain})), unitID, nodes, staff, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(rowErrs) != 1 || rowErrs[0].Row != 4 || !strings.Contains(rowErrs[0].Msg, "与第 2 行重复") {
		t.Fatalf("row errors = %v, want row 4 duplicating row 2", rowErrs)
	}

	// Moving rows must not change their keys: a re-sorted file dedupes.
	a1, _, _ := Parse(bytes.NewReader(buildSheet(t, 1, [][]any{header, x, y})), unitID, nodes, staff, today)
	a2, _, _ := Parse(bytes.NewReader(buildSheet(t, 1, [][]any{header, y, {}, x})), unitID, nodes, staff, today)
	if len(a1) != 2 || len(a2) != 2 {
		t.Fatalf("parsed %d and %d activities", len(a1), len(a2))
	}
	if a1[0].ImportKey != a2[1].ImportKey || a1[1].ImportKey != a2[0].ImportKey || a1[0].ImportKey == a1[1].ImportKey {
		t.Errorf("keys not stable under reordering: %s %s / %s %s", a1[0].ImportKey, a1[1].ImportKey, a2[0].ImportKey, a2[1].ImportKey)
	}
	// Another unit importing the same rows gets other keys.
	a3, _, _ := Parse(bytes.NewReader(buildSheet(t, 1, [][]any{header, x})), 99, nil, nil, today)
	if len(a3) != 1 || a3[0].ImportKey == a1[0].ImportKey {
		t.Errorf("key does not depend on the unit")
	}
}

func TestParseReportsAllErrors(t *testing.T) {
	rows := [][]any{{"日期", "类型", "主题", "主讲人/授课人/作者", "宣讲对象", "议题", "缺席人员及原因"}}
	for i := 0; i < 250; i++ {
		rows = append(rows, []any{"2023-06-30", "党课", fmt.Sprintf("党课%d", i)}) // 授课人 missing
	}
	rows = append(rows, []any{"2023-06-30", "宣讲", "宣讲无对象", "王芳"})
	_, rowErrs, err := Parse(bytes.NewReader(buildSheet(t, 1, rows)), unitID, nodes, staff, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(rowErrs) != MaxRowErrors+1 {
		t.Fatalf("got %d errors, want %d and a summary", len(rowErrs), MaxRowErrors+1)
	}
	if e := rowErrs[0]; e.Row != 2 || e.Column != "主讲人/授课人/作者" || e.Msg != "授课人不能为空" {
		t.Errorf("first error = %+v", e)
	}
	if e := rowErrs[MaxRowErrors]; e.Row != 0 || !strings.Contains(e.Msg, "另有 51 处错误") {
		t.Errorf("summary = %+v", e)
	}

	// Per-type requirements land in their columns.
	cases := []struct {
		row    []any
		column string
		msg    string
	}{
		{[]any{"2023-06-30", "宣讲", "宣讲", "王芳"}, "宣讲对象", "不能为空"},
		{[]any{"2023-06-30", "领导小组会议", "会议", "张书记"}, "议题", "议题"},
		{[]any{"2023-06-30", "心得体会", "心得"}, "主讲人/授课人/作者", "作者不能为空"},
		{[]any{"2023-06-30", "党课", "", "刘洋"}, "主题", "不能为空"},
		{[]any{"2023-06-30", "党组（理论学习中心组）集中学习", "学习", "", "", "", "王芳（）"}, "缺席人员及原因", "原因"},
	}
	for _, c := range cases {
		_, rowErrs, _ := Parse(bytes.NewReader(buildSheet(t, 1, [][]any{rows[0], c.row})), unitID, nodes, staff, today)
		if len(rowErrs) != 1 || rowErrs[0].Column != c.column || !strings.Contains(rowErrs[0].Msg, c.msg) {
			t.Errorf("row %v: errors %v, want one in %s containing %q", c.row, rowErrs, c.column, c.msg)
		}
	}
}

func TestParseRejectsBadFiles(t *testing.T) {
	var notWorkbook bytes.Buffer
	zw := zip.NewWriter(&notWorkbook)
	w, _ := zw.Create("hello.txt")
	w.Write([]byte("hi"))
	zw.Close()

	tests := []struct {
		name  string
		data  []byte
		msg   string
		isNot bool
	}{
		{"csv", []byte("日期，类型，主题\n2023-06-30，党课，七一党课\n"), "不是有效的 Excel（.xlsx）文件", true},
		{"old xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "另存为 .xlsx", true},
		{"zip but not a workbook", notWorkbook.Bytes(), "不是有效的 Excel（.xlsx）文件", true},
		{"empty", nil, "不是有效的 Excel（.xlsx）文件", true},
		{"no header", buildSheet(t, 1, [][]any{{"姓名", "年龄"}, {"张三", 30}}), "未找到表头", false},
		{"header only", buildSheet(t, 1, [][]any{{"日期", "类型", "主题"}}), "没有可导入", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acts, rowErrs, err := Parse(bytes.NewReader(tt.data), unitID, nodes, staff, today)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T), want *FileError", err, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.msg)
			}
			if errors.Is(err, ErrNotXLSX) != tt.isNot {
				t.Errorf("errors.Is(err, ErrNotXLSX) = %v", !tt.isNot)
			}
			if acts != nil || rowErrs != nil {
				t.Errorf("got activities or row errors with a file error")
			}
		})
	}
}

func TestParseTooManyRows(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"日期", "类型", "主题"})
	for i := 0; i <= MaxRows; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{"2023-06-30", "心得", fmt.Sprintf("心得%d", i)})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, err = Parse(&buf, unitID, nodes, staff, today)
	if err == nil || !strings.Contains(err.Error(), "超过 5000 行") {
		t.Errorf("err = %v, want 超过 5000 行", err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2023-06-30", "2023-06-30", true},
		{"2023/6/3", "2023-06-03", true},
		{"2023年6月30日", "2023-06-30", true},
		{"２０２３年６月３０日", "2023-06-30", true},
		{"2023.6.30", "2023-06-30", true},
		{"20230630", "2023-06-30", true},
		{"2023-06-30T00:00:00Z", "2023-06-30", true},
		{"2023-06-30 09:30", "2023-06-30", true},
		{"45107", "2023-06-30", true}, // Excel serial
		{"2023-13-45", "", false},
		{"2023-02-29", "", false},
		{"2023.06", "", false},
		{"六月三十日", "", false},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, false)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in       string
		duration bool
		want     int
		ok       bool
	}{
		{"90", true, 90, true},
		{"９０分钟", true, 90, true},
		{"1.5小时", true, 90, true},
		{"2h", true, 120, true},
		{"1,200人", false, 1200, true},
		{"30.0", false, 30, true},
		{"12.5", false, 0, false},
		{"-3", false, 0, false},
		{"许多", false, 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in, tt.duration)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestExportEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(&buf, "空台账", nil); err != nil {
		t.Fatalf("Export: %v", err)
	}
	// An export with no rows is still a readable file with the header.
	_, _, err := Parse(&buf, unitID, nodes, staff, today)
	if err == nil || !strings.Contains(err.Error(), "没有可导入") {
		t.Errorf("err = %v, want 没有可导入", err)
	}
}

// FuzzCells feeds arbitrary cell text to the lenient cell parsers: they
// must not panic, and what they accept must be well formed.
func FuzzCells(f *testing.F) {
	for _, s := range []string{"2023-06-30", "2023年6月30日", "45107", "９０分钟", "1.5小时",
		"张三（出差，外地）、李四（病假）", "办公室/张伟", "((", "）张三（", "20231345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseDate(s, false); ok {
			if _, err := time.Parse(cntime.DateLayout, d); err != nil {
				t.Errorf("parseDate(%q) accepted %q", s, d)
			}
		}
		if n, ok := parseNumber(s, true); ok && n < 0 {
			t.Errorf("parseNumber(%q) = %d", s, n)
		}
		for _, item := range splitItems(s) {
			if item == "" {
				t.Errorf("splitItems(%q) gave an empty item", s)
			}
			splitNote(item)
		}
	})
}

func BenchmarkParse5000(b *testing.B) {
	rows := make([]ledger.Activity, MaxRows)
	for i := range rows {
		rows[i] = ledger.Activity{Type: ledger.CentralGroup, Date: "2023-06-30", Title: fmt.Sprintf("学习%d", i),
			OrgName: "办公室", LeadName: "张书记", Attendance: []ledger.Attendance{
				{UserID: 11, Name: "张书记", Status: "present", Speaker: true},
				{UserID: 13, Name: "王芳", Status: "absent", Reason: "出差"}}}
	}
	var buf bytes.Buffer
	if err := Export(&buf, "bench", rows); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		acts, errs, err := Parse(bytes.NewReader(buf.Bytes()), unitID, nodes, staff, today)
		if err != nil || len(errs) > 0 || len(acts) != MaxRows {
			b.Fatalf("parse: %v %v %d", err, errs, len(acts))
		}
	}
}

func BenchmarkExport5000(b *testing.B) {
	rows := make([]ledger.Activity, MaxRows)
	for i := range rows {
		rows[i] = ledger.Activity{Type: ledger.CentralGroup, Date: "2023-06-30", Title: fmt.Sprintf("学习%d", i),
			Content: strings.Repeat("内容", 400)}
	}
	for b.Loop() {
		if err := Export(io.Discard, "bench", rows); err != nil {
			b.Fatal(err)
		}
	}
}
