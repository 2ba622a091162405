package opinion

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// Level is the level of an incident (舆情处置), which sets its due times.
type Level int

const (
	// LevelGeneral: other 政务舆情 (一般).
	LevelGeneral Level = iota + 1
	// LevelMajor: 政务舆情 about a major (重大) emergency.
	LevelMajor
	// LevelEspeciallyMajor: about an especially major (特别重大) emergency.
	LevelEspeciallyMajor
)

// Levels lists the levels from the most to the least severe, for forms.
var Levels = []Level{LevelEspeciallyMajor, LevelMajor, LevelGeneral}

// String returns the level's Chinese name.
func (l Level) String() string {
	switch l {
	case LevelEspeciallyMajor:
		return "特别重大"
	case LevelMajor:
		return "重大"
	case LevelGeneral:
		return "一般"
	}
	return "未知"
}

// ParseLevel reads a level from its Chinese name or its number.
func ParseLevel(s string) (Level, error) {
	s = strings.TrimSpace(s)
	for _, l := range Levels {
		if s == l.String() || s == fmt.Sprint(int(l)) {
			return l, nil
		}
	}
	return 0, apperr.Field("级别", "应为特别重大、重大或一般")
}

// Step is a step of the response mechanism 收集 → 会商 → 研判 → 回应 → 评估
// (the 2016 政务公开 implementation rules: “建立健全政务舆情收集、会商、研判、
// 回应、评估机制”).
type Step int

const (
	StepCollect  Step = iota + 1 // 收集
	StepConsult                  // 会商
	StepAnalyse                  // 研判
	StepRespond                  // 回应
	StepEvaluate                 // 评估
)

// Steps lists the steps in order.
var Steps = []Step{StepCollect, StepConsult, StepAnalyse, StepRespond, StepEvaluate}

// String returns the step's Chinese name.
func (s Step) String() string {
	switch s {
	case StepCollect:
		return "收集"
	case StepConsult:
		return "会商"
	case StepAnalyse:
		return "研判"
	case StepRespond:
		return "回应"
	case StepEvaluate:
		return "评估"
	}
	return "未知"
}

// Valid reports whether s is one of the five steps.
func (s Step) Valid() bool { return s >= StepCollect && s <= StepEvaluate }

// Next returns the step after s, and false after 评估 (the last).
func (s Step) Next() (Step, bool) {
	if !s.Valid() || s == StepEvaluate {
		return 0, false
	}
	return s + 1, true
}

// CanAdvance reports whether an incident at step from may be moved to
// step to, and why not: steps are taken in order, one at a time (a
// response without 研判 is what the mechanism exists to prevent), and an
// incident may go back exactly one step to redo it (研判 finds the facts
// unclear → 会商 again). 评估 ends the incident.
func CanAdvance(from, to Step) error {
	switch {
	case !from.Valid() || !to.Valid():
		return apperr.Field("步骤", "应为收集、会商、研判、回应或评估")
	case from == StepEvaluate:
		return apperr.Rule("评估已完成，处置已结束")
	case to == from:
		return apperr.Rule(fmt.Sprintf("已处于“%s”步骤", from))
	case to == from+1:
		return nil
	case to == from-1:
		return nil
	case to > from:
		return apperr.Rule(fmt.Sprintf("请先完成“%s”，不能跳到“%s”", from+1, to))
	}
	return apperr.Rule(fmt.Sprintf("只能退回上一步“%s”", from-1))
}

// StepRecord is one step as done: who is responsible (a staff member's
// name as the unit records it), what was done and when.
type StepRecord struct {
	Step        Step
	Responsible string
	Note        string
	At          time.Time
}

// Validate checks a step record as entered.
func (r StepRecord) Validate() error {
	var errs apperr.Errors
	if !r.Step.Valid() {
		errs = append(errs, apperr.Field("步骤", "应为收集、会商、研判、回应或评估"))
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(r.Responsible)); {
	case n == 0:
		errs = append(errs, apperr.Field("责任人", "不能为空"))
	case n > 50:
		errs = append(errs, apperr.Field("责任人", "不能超过 50 个字"))
	}
	if utf8.RuneCountInString(r.Note) > 10000 {
		errs = append(errs, apperr.Field("处置情况", "不能超过 10000 个字"))
	}
	if r.At.IsZero() {
		errs = append(errs, apperr.Field("时间", "不能为空"))
	}
	return errs.OrNil()
}

// Due is one time limit of an incident: what must be done by when, and
// the rule that says so (shown on the page).
type Due struct {
	What  string
	At    time.Time
	Basis string
}

// The rules the due times come from.
const (
	// BasisNotice2016 is the State Council General Office notice of
	// 2016-07-30 (published 2016-08-12): 特别重大、重大突发事件的政务舆情
	// “最迟应在24小时内举行新闻发布会”，其他政务舆情“应在48小时内予以回应”.
	BasisNotice2016 = "《国务院办公厅关于在政务公开工作中进一步做好政务舆情回应的通知》（国办发〔2016〕61号）"
	// BasisRules2016 is the implementation rules of November 2016:
	// 特别重大、重大突发事件的政务舆情“最迟要在5小时内发布权威信息，在24小时内举行新闻发布会”.
	BasisRules2016 = "《〈关于全面推进政务公开工作的意见〉实施细则》（国办发〔2016〕80号）"
)

// DueTimes returns the time limits of an incident of level l that began
// at start (when the 舆情 was found), earliest first:
//
//   - 特别重大 and 重大: authoritative information within 5 hours
//     (BasisRules2016) and a press conference within 24 hours
//     (BasisNotice2016 and BasisRules2016), both "at the latest";
//   - 一般: a response within 48 hours (BasisNotice2016).
//
// A limit is met by anything done at or before Due.At (see Overdue).
func DueTimes(l Level, start time.Time) []Due {
	switch l {
	case LevelEspeciallyMajor, LevelMajor:
		return []Due{
			{What: "发布权威信息", At: start.Add(5 * time.Hour), Basis: BasisRules2016},
			{What: "举行新闻发布会", At: start.Add(24 * time.Hour), Basis: BasisNotice2016 + "、" + BasisRules2016},
		}
	case LevelGeneral:
		return []Due{{What: "予以回应", At: start.Add(48 * time.Hour), Basis: BasisNotice2016}}
	}
	return nil
}

// Overdue reports whether d is overdue at now when it has not been done
// (done zero), or was done late: the limit itself is still on time.
func (d Due) Overdue(now, done time.Time) bool {
	if !done.IsZero() {
		return done.After(d.At)
	}
	return now.After(d.At)
}

// RemindAt returns when to remind the responsible person of d: a fifth of
// the limit before it (1 hour before a 5-hour limit, 4.8 hours before 24,
// 9.6 hours before 48), so there is time left to act.
func (d Due) RemindAt(start time.Time) time.Time {
	return d.At.Add(-d.At.Sub(start) / 5)
}
