package ledger

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// PlanItem is one line of a unit's annual study plan (年度学习计划).
type PlanItem struct {
	ID             int64
	UnitID         int64
	Year           int
	Month          int
	Topic          string
	RequiredTopics []string
	Form           string // activity type code expected to carry it out
	SpeakerID      int64
	SpeakerName    string
	Note           string
	// Filled by plan-vs-actual.
	Done []Activity
}

// Validate checks a plan item.
func (p *PlanItem) Validate() error {
	var errs Errors
	p.Topic = strings.TrimSpace(p.Topic)
	if p.Topic == "" {
		errs = append(errs, &FieldError{Field: "学习主题", Msg: "不能为空"})
	} else if utf8.RuneCountInString(p.Topic) > MaxTitle {
		errs = append(errs, &FieldError{Field: "学习主题", Msg: fmt.Sprintf("不能超过 %d 个字", MaxTitle)})
	}
	if p.Year < 2000 || p.Year > 2100 {
		errs = append(errs, &FieldError{Field: "年度", Msg: "无效"})
	}
	if p.Month < 1 || p.Month > 12 {
		errs = append(errs, &FieldError{Field: "月份", Msg: "应为 1 到 12"})
	}
	if p.Form != "" {
		if _, ok := TypeByCode(p.Form); !ok {
			errs = append(errs, &FieldError{Field: "学习形式", Msg: "不是已知的活动类型"})
		}
	}
	for _, c := range p.RequiredTopics {
		if TopicLabel(c) == c {
			errs = append(errs, &FieldError{Field: "必修专题", Msg: "未知的专题 " + c})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// PlanStatus of a plan item relative to today.
func (p *PlanItem) Status(today string) string {
	if len(p.Done) > 0 {
		return "已完成"
	}
	end := fmt.Sprintf("%04d-%02d-31", p.Year, p.Month)
	if today > end {
		return "未完成"
	}
	return "未开展"
}

// Coverage is how often one required topic was studied in a year.
type Coverage struct {
	Topic   Topic
	Planned int
	Count   int
	Link    string
}

// Missing reports whether the topic has no activity yet.
func (c Coverage) Missing() bool { return c.Count == 0 }

// FiveLeads are the principal leader's "five leads" (五个带头) for one person.
type FiveLeads struct {
	UserID int64
	Name   string
	Title  string
	Counts [5]int
	Links  [5]string
}

// FiveLeadLabels name the five leads in order.
var FiveLeadLabels = [5]string{"带头自学", "带头中心发言", "带头辅导讲课", "带头调查研究", "带头撰写心得"}

// FiveLeadFilters returns, for a leader and a period, the ledger filter
// behind each of the five counts, so each count links to its records:
// 自学 = 个人自学 records; 中心发言 = 中心组学习 where they were marked as
// speaker or led; 辅导讲课 = 党课, 宣讲, 业务大讲堂 they gave; 调查研究 they
// led; 心得 = 心得体会 they wrote.
func FiveLeadFilters(unitID, userID int64, p Period) [5]Filter {
	base := Filter{UnitID: unitID, From: p.From, To: p.To, LeadID: userID}
	mk := func(types ...string) Filter {
		f := base
		f.Types = types
		return f
	}
	speech := Filter{UnitID: unitID, From: p.From, To: p.To, SpeakerID: userID, Types: []string{CentralGroup}}
	return [5]Filter{
		mk(SelfStudy),
		speech,
		mk(PartyLecture, Preach, BusinessLecture),
		mk(Research),
		mk(Reflection),
	}
}
