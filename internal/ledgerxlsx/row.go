package ledgerxlsx

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Turning one data row into an activity: each cell to its field, names to
// the unit's people and nodes, and validation errors to the column they
// belong to.

// rowParser turns one row's cells into an activity.
type rowParser struct {
	unitID     int64
	today      time.Time
	date1904   bool
	unit       org.Node
	orgs       map[string][]org.Node
	staff      map[string][]org.User
	headerText map[string]string
	// matched records names written with a title and the person each was
	// matched to; guests the names on nobody's staff list, accepted as
	// outside guests (外请); both with their rows, for the import result.
	matched map[string]*NameNote
	guests  map[string]*NameNote
	row     int // the row being parsed
}

// NameNote is a name as written in the file, the rows it appears in and,
// when matched, the staff member it was matched to ("李四（办公室）").
type NameNote struct {
	Written string
	Person  string
	Rows    []int
}

func (p *rowParser) note(m map[string]*NameNote, written, person string, row int) {
	n := m[written]
	if n == nil {
		n = &NameNote{Written: written, Person: person}
		m[written] = n
	}
	if len(n.Rows) == 0 || n.Rows[len(n.Rows)-1] != row {
		n.Rows = append(n.Rows, row)
	}
}

func newRowParser(unitID int64, nodes []org.Node, staff []org.User, today time.Time) *rowParser {
	p := &rowParser{unitID: unitID, today: today, unit: org.Node{ID: unitID},
		orgs: map[string][]org.Node{}, staff: map[string][]org.User{}, matched: map[string]*NameNote{}, guests: map[string]*NameNote{}}
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
	p.row = rowNum
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
		Content:      withNote(cells[colContent], cells[colNote]),
		Tags:         ledger.SplitList(cells[colTags]),
	}

	t, typeOK := p.parseType(cells[colType])
	switch {
	case cells[colType] == "":
		fail(colType, "不能为空，请从下拉列表中选择")
	case !typeOK:
		fail(colType, "「%s」不是已知的活动类型，请从下拉列表中选择", cells[colType])
	default:
		a.Type = t.Code
	}

	if v := cells[colDate]; v != "" {
		if d, ok := parseDate(v, p.date1904); ok {
			a.Date = d
		} else {
			fail(colDate, "「%s」不是有效日期，格式应为 2023-06-30、2023/6/30 或 2023年6月30日", v)
		}
	}

	a.Import.Row = rowNum
	if v := cells[colClaimed]; v != "" {
		d, ok := parseDate(v, p.date1904)
		switch {
		case !ok:
			fail(colClaimed, "「%s」不是有效日期，格式应为 2023-06-30、2023/6/30 或 2023年6月30日", v)
		case a.Date != "" && d < a.Date:
			fail(colClaimed, "原表登记日期%s早于活动日期%s，请检查", ledger.FormatDate(d), ledger.FormatDate(a.Date))
		case d > p.today.Format(cntime.DateLayout):
			fail(colClaimed, "原表登记日期%s晚于今天，请检查", ledger.FormatDate(d))
		default:
			a.Import.Claimed = d
		}
	}

	orgOK := true
	if v := cells[colOrg]; v == "" {
		a.OrgID, a.OrgName = p.unit.ID, p.unit.Name
	} else if list := p.orgs[v]; len(list) == 1 {
		a.OrgID, a.OrgName = list[0].ID, list[0].Name
	} else if len(list) > 1 {
		orgOK = false
		fail(colOrg, "「%s」有 %d 个同名部门，请在系统中改名后再导入", v, len(list))
	} else {
		orgOK = false
		fail(colOrg, "「%s」不是本单位的部门或支部，请从下拉列表中选择（留空表示本单位）", v)
	}

	if v := cells[colLead]; v != "" {
		u, found, msg := p.person(v)
		switch {
		case msg != "":
			fail(colLead, "%s", msg)
		case found:
			a.LeadID, a.LeadName = u.ID, u.Name
			if v != u.Name {
				p.note(p.matched, v, personLabel(u), rowNum)
			}
		default:
			a.LeadName = v // an outside speaker, not on the staff list
			p.note(p.guests, v, "", rowNum)
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
				fail(f.key, "「%s」不是有效的%s，应填整数，如 90", v, f.unit)
				continue
			}
			*f.dst = n
		}
	}

	for _, s := range splitItems(cells[colTopics]) {
		topic, ok := ledger.TopicByLabel(strings.NewReplacer("<", "《", ">", "》").Replace(s))
		if !ok {
			fail(colTopics, "「%s」不是必修专题，应为 %s 之一", s, topicLabels())
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
		fail(key, "「%s」不登记参加人员，请清空此列", t.Label)
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
	items := splitItems(present)
	for i, item := range items {
		if i+1 < len(items) && p.isTitle(item, "") && len(p.staff[item]) == 0 {
			continue // "副局长 李四": the title before the name
		}
		name, note := splitNote(item)
		speaker := false
		switch {
		case note == "":
		case note == "发言" || note == "中心发言":
			speaker = true
		case p.isTitleFor(name, note):
		default:
			fail(colPresent, "「%s」：括号中只能写「发言」；缺席人员请填在「%s」列", item, p.column(colAbsent))
			continue
		}
		if note != "" && !speaker {
			name = item // matched with its title below
		}
		if u, ok := p.attendee(colPresent, name, fail); ok {
			a.Attendance = append(a.Attendance, ledger.Attendance{UserID: u.ID, Name: u.Name, OrgName: u.OrgName, Status: "present", Speaker: speaker})
		}
	}
	for _, item := range splitItems(absent) {
		name, reason := splitNote(item)
		if reason == "" {
			fail(colAbsent, "「%s」须写明缺席原因，格式：姓名（原因），如 张三（出差）", item)
			continue
		}
		if u, ok := p.attendee(colAbsent, name, fail); ok {
			a.Attendance = append(a.Attendance, ledger.Attendance{UserID: u.ID, Name: u.Name, OrgName: u.OrgName, Status: "absent", Reason: reason})
		}
	}
}

// attendee finds a person named in the attendance column key; unlike a
// lead, an attendee must be on the staff list, and a name that is not is
// reported against that column.
func (p *rowParser) attendee(key, name string, fail func(key, format string, args ...any)) (org.User, bool) {
	u, found, msg := p.person(name)
	if msg == "" && !found {
		msg = fmt.Sprintf("「%s」不在本单位人员名单中", name)
	}
	if msg != "" {
		fail(key, "%s", msg)
		return u, false
	}
	if name != u.Name {
		p.note(p.matched, name, personLabel(u), p.row)
	}
	return u, true
}

// person finds a staff member by 姓名, 部门/姓名, or a name written with a
// title ("李四(副局长)", "副局长 李四"; see matchTitled). found is false with
// an empty msg when nobody has that name; msg explains a name that is
// ambiguous or a 部门/姓名 that matches nobody.
func (p *rowParser) person(s string) (u org.User, found bool, msg string) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "／", "/"))
	if dept, name, ok := strings.Cut(s, "/"); ok {
		dept, name = strings.TrimSpace(dept), strings.TrimSpace(name)
		if bare, ok := p.matchTitled(name); ok {
			name = bare
		}
		for _, c := range p.staff[name] {
			if strings.TrimSpace(c.OrgName) == dept {
				return c, true, ""
			}
		}
		if len(p.orgs[dept]) == 0 {
			return org.User{}, false, "" // not 部门/姓名: perhaps 某大学/李教授, an outside speaker
		}
		return org.User{}, false, fmt.Sprintf("「%s」：%s没有名叫%s的人员", s, dept, name)
	}
	list := p.staff[s]
	if len(list) == 0 {
		bare, ok := p.matchTitled(s)
		if !ok {
			return org.User{}, false, ""
		}
		list = p.staff[bare]
		// The title may tell two people of one name apart.
		if len(list) > 1 {
			var same []org.User
			for _, c := range list {
				if t := strings.TrimSpace(c.Title); t != "" && strings.Contains(s, t) {
					same = append(same, c)
				}
			}
			if len(same) == 1 {
				list = same
			}
		}
	}
	switch len(list) {
	case 1:
		return list[0], true, ""
	default:
		depts := make([]string, len(list))
		for i, c := range list {
			depts[i] = c.OrgName
		}
		return org.User{}, false, fmt.Sprintf("「%s」有 %d 人同名（%s），请写成 部门/姓名，如 %s/%s",
			s, len(list), strings.Join(depts, "、"), list[0].OrgName, list[0].Name)
	}
}

// personLabel names a staff member with their department: 李四（办公室）.
func personLabel(u org.User) string {
	if u.OrgName == "" {
		return u.Name
	}
	return u.Name + "（" + u.OrgName + "）"
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

// withNote keeps a 备注 cell with the content, unless it says nothing.
func withNote(content, note string) string {
	switch note {
	case "", "无", "/", "-", "—", "／":
		return content
	}
	if content == "" {
		return "备注：" + note
	}
	return content + "\n备注：" + note
}
