package assess

import (
	"slices"
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// Situation is one 问责情形: the grounds on which a case is opened.
type Situation struct {
	Code, Label string
}

// Situations are the default 问责情形. The 2015 实施办法 is not published in
// full; the wording follows a published 问责办法 based on it (SourceCaseList,
// 第四条) and PRODUCT.md's summary, with 其他 for what a unit's own 办法
// adds (the case's facts then say which).
var Situations = []Situation{
	{"task", "对上级安排部署的重大宣传教育任务、重大思想舆论斗争组织开展不力"},
	{"stand", "在处置意识形态领域重大问题上没有站在第一线、没有带头与错误观点和错误倾向作斗争"},
	{"mass", "职责范围内发生因意识形态领域问题引发的群体性事件"},
	{"speech", "公开发表违背党章、党的决定决议和政策的言论，或对所管理的党员干部发表此类言论放任不管、处置不力"},
	{"position", "所管理的宣传思想阵地、网站和新媒体出现严重错误导向或管理失控"},
	{"opinion", "对重大舆情处置不力，造成严重不良影响"},
	{"duty", "不履行或不正确履行意识形态工作责任制规定的职责（学习、研判、报告、述职等）"},
	{"other", "其他应当问责的情形"},
}

// SituationLabel names a situation code.
func SituationLabel(code string) string {
	for _, s := range Situations {
		if s.Code == code {
			return s.Label
		}
	}
	return code
}

// Responsibility types of a person in a case.
var RespTypes = []string{"主要领导责任", "重要领导责任", "直接责任"}

// Methods (方式) of accountability.
var CaseMethods = []string{"批评教育", "责令书面检查", "诫勉谈话", "通报批评", "组织调整或组织处理", "移送纪检监察机关给予纪律处分"}

// Steps of the procedure, in order.
var CaseSteps = []string{"调查", "认定", "告知", "申辩", "决定"}

// CasePerson is a person held responsible.
type CasePerson struct {
	UserID int64
	Name   string
	Resp   string
}

// Case is an accountability case (问责).
type Case struct {
	ID        int64
	UnitID    int64
	Year      int
	Title     string
	Situation string
	Facts     string
	Evidence  string // 佐证: documents, ledger ids, inspection findings
	Persons   []CasePerson
	// Dates of the steps, "" until taken: Dates[i] is CaseSteps[i].
	Dates     [5]string
	Method    string
	Body      string // 决定机关
	ResultUse string // 结果运用 (干部考察、评先评优…)
	// InAssessment: the decision counts in the unit's assessment of Year
	// (the "cases" scorer takes it as a failure).
	InAssessment bool
	CreatedAt    int64
	UpdatedAt    int64
	// Files are the evidence files (Evidence describes them in words).
	Files []CaseFile
}

// Decided reports whether the decision step is dated.
func (c Case) Decided() bool { return c.Dates[4] != "" }

// StepLabel is where the case stands.
func (c Case) StepLabel() string {
	for i := len(c.Dates) - 1; i >= 0; i-- {
		if c.Dates[i] != "" {
			return "已" + CaseSteps[i]
		}
	}
	return "立案"
}

// Validate checks a case: the fields, dates in order and only after the
// earlier steps (申辩 may be waived: 决定 needs 告知, not 申辩), and the
// 方式, deciding body and persons when it is decided.
func (c *Case) Validate() error {
	c.Title = strings.TrimSpace(c.Title)
	c.Facts = strings.TrimSpace(c.Facts)
	c.Body = strings.TrimSpace(c.Body)
	var es apperr.Errors
	if c.Title == "" || utf8.RuneCountInString(c.Title) > 80 {
		es = append(es, apperr.Field("案由", "不能为空且不超过 80 个字"))
	}
	if !yearOK(c.Year) {
		es = append(es, apperr.Field("年度", "无效"))
	}
	if !slices.ContainsFunc(Situations, func(s Situation) bool { return s.Code == c.Situation }) {
		es = append(es, apperr.Field("问责情形", "请从列表中选择"))
	}
	if c.Facts == "" {
		es = append(es, apperr.Field("事实", "不能为空"))
	} else if utf8.RuneCountInString(c.Facts) > 2000 {
		es = append(es, apperr.Field("事实", "不能超过 2000 个字"))
	}
	if utf8.RuneCountInString(c.Evidence) > 1000 || utf8.RuneCountInString(c.ResultUse) > 500 || utf8.RuneCountInString(c.Body) > 60 {
		es = append(es, apperr.Field("佐证", "佐证不超过 1000 字、结果运用不超过 500 字、决定机关不超过 60 字"))
	}
	for _, p := range c.Persons {
		if !slices.Contains(RespTypes, p.Resp) {
			es = append(es, apperr.Field("责任类型", "请为每位责任人选择责任类型"))
			break
		}
	}
	prev := ""
	for i, d := range c.Dates {
		if d == "" {
			continue
		}
		if len(d) != 10 || d[4] != '-' || d[7] != '-' {
			es = append(es, apperr.Field(CaseSteps[i]+"日期", "格式应为 2023-06-30"))
			continue
		}
		need := i - 1
		if i == 4 {
			need = 2 // 决定 follows 告知; 申辩 may be waived
		}
		if need >= 0 && c.Dates[need] == "" {
			es = append(es, apperr.Field(CaseSteps[i]+"日期", "须先完成“"+CaseSteps[need]+"”"))
		}
		if prev != "" && d < prev {
			es = append(es, apperr.Field(CaseSteps[i]+"日期", "不能早于前一步骤"))
		}
		prev = d
	}
	if c.Decided() {
		if !slices.Contains(CaseMethods, c.Method) {
			es = append(es, apperr.Field("问责方式", "作出决定须选择问责方式"))
		}
		if c.Body == "" {
			es = append(es, apperr.Field("决定机关", "作出决定须写明决定机关"))
		}
		if len(c.Persons) == 0 {
			es = append(es, apperr.Field("责任人", "作出决定须列出责任人"))
		}
	} else if c.Method != "" && !slices.Contains(CaseMethods, c.Method) {
		es = append(es, apperr.Field("问责方式", "无效"))
	}
	return es.OrNil()
}

// Counts reports whether the case counts against the unit's assessment of
// year: decided, in that year, and marked for the assessment.
func (c Case) Counts(year int) bool {
	return c.InAssessment && c.Decided() && c.Year == year
}

// UnitSituation is how a unit adopts one situation of the district's list:
// whether it applies in the unit and the unit's own detail (what it means
// there: "公众号连续两周未更新且未报备"). A unit cannot add grounds the
// list does not have — 其他 with the detail is the way to name one.
type UnitSituation struct {
	Situation
	Enabled bool
	Detail  string
}

// UnitSituations merges the unit's choices (by code) into the list: a code
// without a choice is adopted as written.
func UnitSituations(choices map[string]UnitSituation) []UnitSituation {
	out := make([]UnitSituation, len(Situations))
	for i, s := range Situations {
		out[i] = UnitSituation{Situation: s, Enabled: true}
		if c, ok := choices[s.Code]; ok {
			out[i].Enabled, out[i].Detail = c.Enabled, c.Detail
		}
	}
	return out
}

// Validate checks a unit's choice for one situation.
func (u *UnitSituation) Validate() error {
	u.Detail = strings.TrimSpace(u.Detail)
	if !slices.ContainsFunc(Situations, func(s Situation) bool { return s.Code == u.Code }) {
		return apperr.Field("问责情形", "不在上级规定的问责情形之内")
	}
	if utf8.RuneCountInString(u.Detail) > 300 {
		return apperr.Field("本单位细化", "不能超过 300 个字")
	}
	return nil
}

// ErrSituationOff: a case on grounds the unit does not adopt.
var ErrSituationOff = apperr.Field("问责情形", "本单位未采用此问责情形，请在“问责情形”页启用或另选")
