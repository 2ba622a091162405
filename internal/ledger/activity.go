package ledger

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Activity is one ledger entry.
type Activity struct {
	ID             int64
	UnitID         int64
	OrgID          int64 // organising node: the unit, a department or a branch
	OrgName        string
	Type           string
	Title          string
	Date           string // YYYY-MM-DD, the day it happened
	StartTime      string // HH:MM, optional
	DurationMin    int
	Place          string
	LeadID         int64  // the person of Type.LeadLabel, when on the staff list
	LeadName       string // their name, or an outside speaker's
	HostID         int64
	AudienceType   string
	AudienceCount  int
	Agenda         string
	Content        string
	Tags           []string
	RequiredTopics []string // codes of RequiredTopics
	PlanItemID     int64
	ImportKey      string
	Import         ImportInfo // provenance of an imported entry; zero for entries recorded in the system
	Source         SourceInfo // the meeting it was recorded from at the source; zero otherwise
	// LateReason is why the entry was recorded past the 补记 window
	// (required then: CheckLateReason).
	LateReason string
	// MissingReport is set by the store for an entry of a report type
	// (分析研判) that has no live attachment: shown 缺报告文档, not counted.
	MissingReport bool
	CreatedAt     int64 // unix seconds: when it was recorded
	CreatedBy     int64
	CreatedByName string
	UpdatedAt     int64
	UpdatedBy     int64
	DeletedAt     int64
	Attendance    []Attendance
	Attachments   []Attachment
}

// Attendance is one staff member's presence at an activity.
type Attendance struct {
	UserID  int64
	Name    string
	OrgName string
	Status  string // "present" or "absent"
	Reason  string // why absent
	Speaker bool   // gave a 中心发言
}

// Attachment is a stored file belonging to an activity.
type Attachment struct {
	ID         int64
	ActivityID int64
	Name       string
	Mime       string
	Size       int64
	SHA256     string
	Kind       string
	CreatedAt  int64
}

// FieldError names the field (in Chinese) that is wrong and why; it is the
// shared user error, so handlers recognise it however it was wrapped.
type FieldError = apperr.Error

// Errors is a list of field errors from one validation.
type Errors = apperr.Errors

// Limits on text lengths, in characters.
const (
	MaxTitle   = 200
	MaxShort   = 200
	MaxContent = 50000
)

// Validate checks an activity against its type; today bounds the date
// (activities are recorded after they happen, not planned here).
func (a *Activity) Validate(today time.Time) error {
	var errs Errors
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	a.Title = strings.TrimSpace(a.Title)
	a.Place = strings.TrimSpace(a.Place)
	a.LeadName = strings.TrimSpace(a.LeadName)
	t, ok := TypeByCode(a.Type)
	if !ok {
		add("类型", "不是已知的活动类型")
		return errs
	}
	if a.Title == "" {
		add("主题", "不能为空")
	} else if utf8.RuneCountInString(a.Title) > MaxTitle {
		add("主题", "不能超过 %d 个字", MaxTitle)
	}
	d, err := time.Parse(cntime.DateLayout, a.Date)
	switch {
	case a.Date == "":
		add("日期", "不能为空")
	case err != nil:
		add("日期", "格式应为 2023-06-30")
	case d.After(today):
		add("日期", "不能晚于今天（%s）", today.Format("2006年1月2日"))
	case d.Year() < 2000:
		add("日期", "早于 2000 年，请检查")
	}
	if a.StartTime != "" {
		if _, err := time.Parse("15:04", a.StartTime); err != nil {
			add("开始时间", "格式应为 09:30")
		}
	}
	if a.DurationMin < 0 || a.DurationMin > 24*60 {
		add("时长", "应在 0 到 1440 分钟之间")
	}
	for name, v := range map[string]string{"地点": a.Place, t.LeadLabel + "姓名": a.LeadName, "议题": a.Agenda} {
		if utf8.RuneCountInString(v) > MaxShort {
			add(name, "不能超过 %d 个字", MaxShort)
		}
	}
	if utf8.RuneCountInString(a.Content) > MaxContent {
		add(t.ContentLabel, "不能超过 %d 个字", MaxContent)
	}
	if t.LeadRequired && a.LeadID == 0 && a.LeadName == "" {
		add(t.LeadLabel, "不能为空")
	}
	if t.Audience {
		if a.AudienceType != "" && !slices.Contains(AudienceTypes, a.AudienceType) {
			add("宣讲对象", "应为 %s 之一", strings.Join(AudienceTypes, "、"))
		}
		if a.AudienceCount < 0 || a.AudienceCount > 1000000 {
			add("受众人数", "不是合理的人数")
		}
		if t.Code == Preach && a.AudienceType == "" {
			add("宣讲对象", "不能为空")
		}
	} else {
		a.AudienceType, a.AudienceCount = "", 0
	}
	if t.Agenda {
		if strings.TrimSpace(a.Agenda) == "" {
			// Named after the row's own type: 领导小组会议 is not 专题研究.
			add("议题", "%s须写明意识形态工作议题", t.Label)
		}
	} else {
		a.Agenda = ""
	}
	for _, code := range a.RequiredTopics {
		if TopicLabel(code) == code {
			add("必修专题", "未知的专题“%s”", code)
		}
	}
	seen := map[int64]bool{}
	for _, at := range a.Attendance {
		if seen[at.UserID] {
			add("参加人员", "%s 重复出现", at.Name)
		}
		seen[at.UserID] = true
		if at.Status != "present" && at.Status != "absent" {
			add("参加人员", "%s 的出勤状态无效", at.Name)
		}
		if at.Status == "absent" && strings.TrimSpace(at.Reason) == "" {
			add("缺席原因", "%s 缺席，须填写原因", at.Name)
		}
	}
	if !t.Attendance && len(a.Attendance) > 0 {
		a.Attendance = nil
	}
	a.Tags = cleanList(a.Tags)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// cleanList trims, drops empties and duplicates, keeping order.
func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// SplitList splits a user-typed list on Chinese and Latin separators.
func SplitList(s string) []string {
	f := func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\t' || r == '\u3000'
	}
	return cleanList(strings.FieldsFunc(s, f))
}

// Present counts attendees present.
func (a *Activity) Present() (present, absent int) {
	for _, at := range a.Attendance {
		if at.Status == "present" {
			present++
		} else {
			absent++
		}
	}
	return
}

// LateDays is how many whole days after the activity it was recorded; 0
// for imported history, whose import time says nothing about punctuality.
func (a *Activity) LateDays(loc *time.Location) int {
	if a.Import.History {
		return 0
	}
	d, err := time.ParseInLocation(cntime.DateLayout, a.Date, loc)
	if err != nil || a.CreatedAt == 0 {
		return 0
	}
	rec := time.Unix(a.CreatedAt, 0).In(loc)
	days := int(rec.Sub(d).Hours() / 24)
	if days < 0 {
		return 0
	}
	return days
}

// SearchText is what the ledger's full-text search looks in.
func (a *Activity) SearchText() string {
	parts := []string{a.Title, a.Agenda, a.Place, a.LeadName, strings.Join(a.Tags, " ")}
	for _, c := range a.RequiredTopics {
		parts = append(parts, TopicLabel(c))
	}
	content := a.Content
	if utf8.RuneCountInString(content) > 2000 {
		content = string([]rune(content)[:2000])
	}
	parts = append(parts, content)
	return strings.Join(parts, "\n")
}

// ImportInfo is where an imported entry came from (issue 13 A1): the import
// batch (who imported which file, when), the row in that file and the
// recording date the old sheet claimed. Claimed is shown as the sheet's
// claim ("导入，原表登记于2023年3月2日") and never used as the recording time.
type ImportInfo struct {
	BatchID  int64
	Row      int    // Excel row number in the imported file
	FileName string // the imported file's name
	Claimed  string // 原登记日期, YYYY-MM-DD, "" when the sheet had none
	// History marks an entry dated before its unit first recorded an entry
	// in the system: imported history, kept apart from 补记.
	History bool
}

// Note is the provenance line shown with an imported entry, "" for an
// entry recorded in the system.
func (i ImportInfo) Note() string {
	if i.BatchID == 0 {
		return ""
	}
	s := "导入"
	if i.History {
		s = "系统启用前导入"
	}
	if i.FileName != "" {
		s += "（" + i.FileName
		if i.Row > 0 {
			s += fmt.Sprintf("第%d行", i.Row)
		}
		s += "）"
	}
	if i.Claimed != "" {
		s += "，原表登记于" + FormatDate(i.Claimed)
	}
	return s
}
