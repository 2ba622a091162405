// Package supervise turns the obligations of the 意识形态工作责任制 into data
// (rules), judges them against the ledger (compliance) and describes the
// rectification workflow. Everything here is a pure function over rules,
// monthly counts and dates: the clock is a parameter, so period edges, leap
// years and rule changes in the middle of a year are table-testable. The
// store reads the counts; the service's reminder round (service.Remind)
// decides with Result.ReminderKind and AutoRect what to send and open.
package supervise

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// Subject kinds: who an obligation binds.
const (
	SubjectUnit       = "unit"       // the unit as a whole
	SubjectDepartment = "department" // each department (科室)
	SubjectBranch     = "branch"     // each party branch (支部)
	SubjectLeader     = "leader"     // each member of the leadership (班子成员)
)

// SubjectLabel names a subject kind in Chinese.
func SubjectLabel(k string) string {
	switch k {
	case SubjectUnit:
		return "本单位"
	case SubjectDepartment:
		return "各科室"
	case SubjectBranch:
		return "各党支部"
	case SubjectLeader:
		return "班子成员（每人）"
	}
	return k
}

// Period kinds of a rule.
const (
	Monthly   = "month"
	Quarterly = "quarter"
	HalfYear  = "half"
	Yearly    = "year"
)

// PeriodLabel names a period kind in Chinese.
func PeriodLabel(k string) string {
	switch k {
	case Monthly:
		return "每月"
	case Quarterly:
		return "每季度"
	case HalfYear:
		return "每半年"
	case Yearly:
		return "每年"
	}
	return k
}

func periodMonths(k string) int {
	switch k {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case HalfYear:
		return 6
	case Yearly:
		return 12
	}
	return 0
}

// InfoType is the pseudo activity type of 信息报送 rules: drafts submitted
// by each department per month (issue 7's information module), against the
// department's monthly quota (or the unit default, or Count when no quota
// is configured).
const InfoType = "info"

// TypeLabel and TypeUnit name what a rule counts.
func TypeLabel(code string) string {
	if code == InfoType {
		return "信息报送"
	}
	t, _ := ledger.TypeByCode(code)
	return t.Label
}

// TypeUnit is the counting word of a rule's type (次, 篇, 条).
func TypeUnit(code string) string {
	if code == InfoType {
		return "条"
	}
	t, _ := ledger.TypeByCode(code)
	return t.Unit
}

// Rule is one version of an obligation. Versions of the same obligation
// share Key and have non-overlapping validity [ValidFrom, ValidTo]; a period
// is judged by the version in force on its judging day (see Evaluate), so a
// change in July leaves the first half-year judged by the old rule.
type Rule struct {
	ID     int64 // version row
	Key    string
	UnitID int64
	Name   string
	// Subject is one of the Subject* kinds.
	Subject string
	// Type is the activity type counted; Topic optionally restricts it to
	// entries carrying that required topic (必修课).
	Type  string
	Topic string
	// Count is the number required per period.
	Count  int
	Period string
	// PerPlan takes the monthly requirement from the annual study plan: the
	// number of plan items of this type in the month when the unit has a
	// plan for the year, otherwise Count.
	PerPlan bool
	// DueMonth is the month of the period (1-based) whose last day is the
	// deadline; 0 means the period's last day.
	DueMonth int
	// GraceDays after the deadline during which records can still be entered
	// (逾期待补); after that the period counts as missed.
	GraceDays int
	// RemindDays: reminders go out this many days before the deadline, and
	// the obligation shows as at risk from then on.
	RemindDays int
	// RespUserID is the person reminded for unit-wide obligations (usually
	// the 意识形态专干); departments and branches remind their heads, leader
	// rules the leader.
	RespUserID int64
	ValidFrom  string // YYYY-MM-DD
	ValidTo    string // YYYY-MM-DD or "" while in force
	Note       string
}

// Describe is a one-line Chinese statement of the rule.
func (r Rule) Describe() string {
	what, unit := TypeLabel(r.Type), TypeUnit(r.Type)
	if r.Topic != "" {
		what += "（" + ledger.TopicLabel(r.Topic) + "）"
	}
	if r.Type == InfoType {
		return fmt.Sprintf("各科室每月信息报送：按信息报送设置的月度任务数（未设置的每月不少于%d%s）", r.Count, unit)
	}
	if r.PerPlan {
		return fmt.Sprintf("%s%s：按年度学习计划逐月落实（未制定计划的月份每月不少于%d%s）", SubjectLabel(r.Subject), what, r.Count, unit)
	}
	s := fmt.Sprintf("%s%s%s不少于%d%s", SubjectLabel(r.Subject), PeriodLabel(r.Period), what, r.Count, unit)
	if r.DueMonth > 0 && r.DueMonth < periodMonths(r.Period) {
		s += fmt.Sprintf("，于期内第%d个月底前完成", r.DueMonth)
	}
	return s
}

// CanManage reports whether the scope may change a unit's supervision
// settings — its rules and reminder channels: the unit's writers.
func CanManage(sc access.Scope, unitID int64) bool {
	return slices.Contains(sc.WriteUnits, unitID)
}

// ErrRespNotInUnit is the store's answer when the person a rule reminds is
// not a member of the rule's unit.
var ErrRespNotInUnit = apperr.Field("提醒对象", "不是本单位人员")

// InForce reports whether the version applies on a day.
func (r Rule) InForce(day string) bool {
	return r.ValidFrom <= day && (r.ValidTo == "" || day <= r.ValidTo)
}

// Validate checks a rule's fields, with Chinese messages naming the field.
func (r *Rule) Validate() error {
	var errs ledger.Errors
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		errs = append(errs, &ledger.FieldError{Field: "名称", Msg: "不能为空"})
	} else if utf8.RuneCountInString(r.Name) > 40 {
		errs = append(errs, &ledger.FieldError{Field: "名称", Msg: "不能超过 40 个字"})
	}
	switch r.Subject {
	case SubjectUnit, SubjectDepartment, SubjectBranch, SubjectLeader:
	default:
		errs = append(errs, &ledger.FieldError{Field: "责任对象", Msg: "无效"})
	}
	if _, ok := ledger.TypeByCode(r.Type); !ok && r.Type != InfoType {
		errs = append(errs, &ledger.FieldError{Field: "活动类型", Msg: "不是已知的活动类型"})
	}
	if r.Type == InfoType {
		// Quotas are monthly per department.
		r.Subject, r.Period, r.PerPlan, r.Topic = SubjectDepartment, Monthly, false, ""
	}
	if r.Topic != "" && ledger.TopicLabel(r.Topic) == r.Topic {
		errs = append(errs, &ledger.FieldError{Field: "必修专题", Msg: "未知的专题"})
	}
	if r.PerPlan {
		r.Period = Monthly
	}
	if periodMonths(r.Period) == 0 {
		errs = append(errs, &ledger.FieldError{Field: "周期", Msg: "应为每月、每季度、每半年或每年"})
	}
	if r.Count < 1 || r.Count > 366 {
		errs = append(errs, &ledger.FieldError{Field: "次数", Msg: "应为 1 到 366"})
	}
	if r.DueMonth < 0 || r.DueMonth > periodMonths(r.Period) {
		errs = append(errs, &ledger.FieldError{Field: "完成时限", Msg: fmt.Sprintf("应为 0 到 %d（期内第几个月底）", periodMonths(r.Period))})
	}
	if r.GraceDays < 0 || r.GraceDays > 90 {
		errs = append(errs, &ledger.FieldError{Field: "补录宽限", Msg: "应为 0 到 90 天"})
	}
	if r.RemindDays < 0 || r.RemindDays > 90 {
		errs = append(errs, &ledger.FieldError{Field: "提前提醒", Msg: "应为 0 到 90 天"})
	}
	if _, err := time.Parse(cntime.DateLayout, r.ValidFrom); err != nil {
		errs = append(errs, &ledger.FieldError{Field: "生效日期", Msg: "日期无效"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Presets are the rules of the seed report and the party regulations
// (《中国共产党支部工作条例(试行)》 for 三会一课) every unit starts from. A
// unit that has stored no rules of its own is judged by these.
func Presets(unitID int64, validFrom string) []Rule {
	p := []Rule{
		{Key: "topic_study", Name: "专题研究意识形态工作", Subject: SubjectUnit, Type: ledger.TopicStudy, Count: 2, Period: Yearly, GraceDays: 15, RemindDays: 30,
			Note: "全年专题研究意识形态工作不少于2次"},
		{Key: "analysis_report", Name: "意识形态分析研判报告", Subject: SubjectUnit, Type: ledger.AnalysisReport, Count: 1, Period: Yearly, GraceDays: 15, RemindDays: 30,
			Note: "每年形成1份意识形态分析研判报告"},
		{Key: "central_group", Name: "党组（理论学习中心组）集中学习", Subject: SubjectUnit, Type: ledger.CentralGroup, Count: 1, Period: Monthly, PerPlan: true, GraceDays: 5, RemindDays: 7,
			Note: "按年度学习计划开展集中学习"},
		{Key: "leader_lecture", Name: "班子成员讲党课", Subject: SubjectLeader, Type: ledger.PartyLecture, Count: 1, Period: Yearly, GraceDays: 15, RemindDays: 30,
			Note: "班子成员每年至少讲1次党课"},
		{Key: "debrief", Name: "班子成员意识形态工作述职", Subject: SubjectLeader, Type: ledger.Debrief, Count: 1, Period: Yearly, GraceDays: 31, RemindDays: 30,
			Note: "班子成员在年度述职中对分管领域意识形态工作落实情况如实报告"},
		{Key: "branch_congress", Name: "支部党员大会", Subject: SubjectBranch, Type: ledger.BranchCongress, Count: 1, Period: Quarterly, GraceDays: 10, RemindDays: 15,
			Note: "三会一课：支部党员大会每季度1次"},
		{Key: "branch_committee", Name: "支委会", Subject: SubjectBranch, Type: ledger.BranchCommittee, Count: 1, Period: Monthly, GraceDays: 5, RemindDays: 7,
			Note: "三会一课：支委会每月1次"},
		{Key: "party_group", Name: "党小组会", Subject: SubjectBranch, Type: ledger.PartyGroup, Count: 1, Period: Monthly, GraceDays: 5, RemindDays: 7,
			Note: "三会一课：党小组会每月1次"},
		{Key: "info_quota", Name: "信息报送", Subject: SubjectDepartment, Type: InfoType, Count: 1, Period: Monthly, GraceDays: 5, RemindDays: 7,
			Note: "明确各科室信息报送任务，实行信息编发月通报制度"},
		{Key: "branch_lecture", Name: "支部党课", Subject: SubjectBranch, Type: ledger.PartyLecture, Count: 1, Period: Quarterly, GraceDays: 10, RemindDays: 15,
			Note: "三会一课：党课每季度1次"},
	}
	for i := range p {
		p[i].UnitID, p[i].ValidFrom = unitID, validFrom
	}
	return p
}

// PresetValidFrom is the validity start of presets used without being stored.
const PresetValidFrom = "2000-01-01"
