package assess

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
)

// Tree is a year's 考核细则: the indicators a district (its 上级督查)
// publishes for its units. Units are scored only against a published tree;
// a draft can still be edited.
type Tree struct {
	ID     int64
	OrgID  int64 // the district node that publishes it
	Year   int
	Name   string
	Status string // TreeDraft or TreePublished
	// Weight is the share (percent) of the ideology assessment in the
	// unit's overall 目标绩效 score: a setting of the tree.
	Weight float64
	// BonusCap caps the sum of the bonus items (加分项).
	BonusCap    float64
	PublishedAt int64
	Indicators  []Indicator
}

// Tree states.
const (
	TreeDraft     = "draft"
	TreePublished = "published"
)

// Methods of scoring an indicator.
const (
	Manual = "manual" // self-assessed with evidence, reviewed by the district
	Auto   = "auto"   // measured from the records by a scorer
)

// Rules turning a measurement into points.
const (
	// RuleRatio: Points × min(Count, Required) / Required. With nothing
	// required, full points only when there is a record; an item that
	// genuinely does not apply says so (Measure.NA) instead.
	RuleRatio = "ratio"
	// RulePer: Count × Per, capped at Cap (Points when Cap is 0).
	RulePer = "per"
	// RuleDeduct: Points − Failures × Per, the deduction capped at Cap
	// (Points when 0), never below zero; zero when nothing was judged
	// (Required and Failures both 0: nobody registered to hold the duty).
	RuleDeduct = "deduct"
	// RulePenalty: a 扣分项 with no points of its own, taking Failures × Per
	// off the total, at most Cap (unlimited when 0).
	RulePenalty = "penalty"
)

// RuleLabel describes a rule.
func RuleLabel(r string) string {
	switch r {
	case RuleRatio:
		return "按完成比例计分"
	case RulePer:
		return "按项计分"
	case RuleDeduct:
		return "按项扣分"
	case RulePenalty:
		return "从总分中扣分"
	}
	return r
}

// Indicator is one item of the tree (二级指标 under a 一级指标 Category).
type Indicator struct {
	ID       int64
	TreeID   int64
	Sort     int
	Category string
	Name     string
	Points   float64 // 分值 (0 for a penalty item)
	Method   string
	Scorer   string // registry key when Method is Auto
	Param    string // scorer parameter (a ledger type, a rule key list…)
	Rule     string
	Required int     // RuleRatio: the number required (0: the scorer's)
	Per      float64 // RulePer: points per count; RuleDeduct/Penalty: per failure
	Cap      float64
	Veto     bool // 一票否决: a failure sets the whole assessment to zero
	Bonus    bool // 加分项: added on top, capped by Tree.BonusCap
	Evidence string
	Source   string
}

// Describe is the scoring rule in Chinese for the pages and the 通报.
func (i Indicator) Describe() string {
	var s string
	switch i.Rule {
	case RuleRatio:
		if i.Required > 0 {
			s = fmt.Sprintf("应完成%d项，按完成比例计分", i.Required)
		} else {
			s = "按完成比例计分"
		}
	case RulePer:
		s = fmt.Sprintf("每项%s分，最高%s分", num(i.Per), num(i.capOr(i.Points)))
	case RuleDeduct:
		s = fmt.Sprintf("每缺一项扣%s分，最多扣%s分", num(i.Per), num(i.capOr(i.Points)))
	case RulePenalty:
		if i.Cap > 0 {
			s = fmt.Sprintf("每项从总分中扣%s分，最多扣%s分", num(i.Per), num(i.Cap))
		} else {
			s = fmt.Sprintf("每项从总分中扣%s分", num(i.Per))
		}
	}
	if i.Veto {
		s += "；一票否决"
	}
	if i.Bonus {
		s += "；加分项"
	}
	return strings.TrimPrefix(s, "；")
}

func (i Indicator) capOr(v float64) float64 {
	if i.Cap > 0 {
		return i.Cap
	}
	return v
}

// num writes a score without trailing zeros ("2.5", "10").
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// Num is num for templates and documents.
func Num(v float64) string { return num(v) }

// Validate checks an indicator's fields; scorers names the scorer keys the
// registry knows (the service passes them).
func (i *Indicator) Validate(scorers []string) error {
	i.Name = strings.TrimSpace(i.Name)
	i.Category = strings.TrimSpace(i.Category)
	var es apperr.Errors
	if i.Name == "" {
		es = append(es, apperr.Field("指标名称", "不能为空"))
	} else if utf8.RuneCountInString(i.Name) > 80 {
		es = append(es, apperr.Field("指标名称", "不能超过 80 个字"))
	}
	if i.Category == "" {
		es = append(es, apperr.Field("一级指标", "不能为空"))
	}
	if i.Points < 0 || i.Points > 100 {
		es = append(es, apperr.Field("分值", "须在 0 到 100 之间"))
	}
	if i.Per < 0 || i.Cap < 0 {
		es = append(es, apperr.Field("计分规则", "每项分值和上限不能为负数"))
	}
	switch i.Rule {
	case RuleRatio:
		if i.Required < 0 {
			es = append(es, apperr.Field("应完成数", "不能为负数"))
		}
	case RulePer, RuleDeduct, RulePenalty:
		if i.Per <= 0 {
			es = append(es, apperr.Field("每项分值", "须大于 0"))
		}
	default:
		es = append(es, apperr.Field("计分规则", "无效"))
	}
	if i.Rule == RulePenalty && (i.Points != 0 || i.Bonus) {
		es = append(es, apperr.Field("分值", "扣分项没有自己的分值，也不能是加分项"))
	}
	if i.Rule != RulePenalty && i.Points == 0 && !i.Veto {
		es = append(es, apperr.Field("分值", "须大于 0"))
	}
	switch i.Method {
	case Manual:
		i.Scorer, i.Param = "", ""
		if strings.TrimSpace(i.Evidence) == "" {
			es = append(es, apperr.Field("佐证要求", "人工评分的指标须写明需要的佐证"))
		}
	case Auto:
		if !slices.Contains(scorers, i.Scorer) {
			es = append(es, apperr.Field("数据来源", "请从列表中选择"))
		}
	default:
		es = append(es, apperr.Field("评分方式", "无效"))
	}
	return es.OrNil()
}

// Validate checks the tree's own fields.
func (t *Tree) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	var es apperr.Errors
	if t.Name == "" {
		es = append(es, apperr.Field("名称", "不能为空"))
	}
	if !yearOK(t.Year) {
		es = append(es, apperr.Field("年度", "无效"))
	}
	if t.Weight < 0 || t.Weight > 100 {
		es = append(es, apperr.Field("权重", "须在 0 到 100 之间"))
	}
	if t.BonusCap < 0 || t.BonusCap > 50 {
		es = append(es, apperr.Field("加分上限", "须在 0 到 50 之间"))
	}
	return es.OrNil()
}

// FullMarks is the sum of the points of the items that are neither bonus
// nor penalty: the 满分.
func (t Tree) FullMarks() float64 {
	var s float64
	for _, i := range t.Indicators {
		if !i.Bonus && i.Rule != RulePenalty {
			s += i.Points
		}
	}
	return s
}

// CanPublish says whether the tree may be published: it has items and its
// full marks are 100.
func (t Tree) CanPublish() error {
	if len(t.Indicators) == 0 {
		return apperr.Field("指标", "没有指标，不能发布")
	}
	if fm := t.FullMarks(); fm < 99.995 || fm > 100.005 {
		return apperr.Field("分值", fmt.Sprintf("各项分值合计须为100分（现为%s分）", num(fm)))
	}
	return nil
}

// Scorer keys the default tree uses; the service's registry implements
// them (internal/service/assess_scorers.go) and may hold more.
const (
	ScoreLedgerCount   = "ledger_count"     // Param: ledger type; Count: entries in the year
	ScoreLedgerPeriods = "ledger_periods"   // Param: "type:quarter|half|month"; Count: periods with an entry
	ScoreCompliance    = "compliance"       // Param: rule keys "a,b"; Failures: missed or overdue periods
	ScoreInfoPoints    = "info_points"      // Count: information points of the year
	ScoreRectTimely    = "rect_timely"      // Count: items due in the year closed on time; Required: items due
	ScoreInclusions    = "inclusions"       // Count: 五个纳入 confirmed; Required: 5
	ScoreDebriefs      = "debriefs"         // Count: leaders with a 述职 record; Required: leaders
	ScoreCases         = "cases"            // Failures: cases decided in the year that count in the assessment
	ScoreChannels      = "channel_failures" // Failures: single-veto findings and unresolved inspection findings; Required: channels
	ScoreOpinion       = "opinion_ontime"   // Count: incidents handled within their time limits; Required: incidents settled
)

// DefaultTree is the tree a district starts from: the duties of the 2015
// 实施办法 and the seed's obligations, 100 points, each item citing its
// source. Items the records cannot measure (上报半年总结, 重大问题) are
// manual with the evidence required.
func DefaultTree(orgID int64, year int) Tree {
	t := Tree{OrgID: orgID, Year: year, Name: fmt.Sprintf("%d年度意识形态工作责任制考核细则", year), Status: TreeDraft, Weight: 10, BonusCap: 5}
	a := func(cat, name string, pts float64, scorer, param, rule string, req int, per, cp float64, src string) {
		t.Indicators = append(t.Indicators, Indicator{Category: cat, Name: name, Points: pts, Method: Auto, Scorer: scorer, Param: param,
			Rule: rule, Required: req, Per: per, Cap: cp, Source: src})
	}
	m := func(cat, name string, pts float64, rule string, veto, bonus bool, evidence, src string) {
		t.Indicators = append(t.Indicators, Indicator{Category: cat, Name: name, Points: pts, Method: Manual, Rule: rule,
			Veto: veto, Bonus: bonus, Evidence: evidence, Source: src})
	}
	const org, study, judge, base, extra = "一、组织领导", "二、理论学习", "三、研判宣传", "四、阵地与整改", "五、加分与扣分"
	a(org, "每半年至少专题研究一次意识形态工作", 10, ScoreLedgerPeriods, ledger.TopicStudy+":half", RuleRatio, 0, 0, 0, SourceMeasures+"：每半年至少专题研究一次")
	a(org, "“五个纳入”落实", 5, ScoreInclusions, "", RuleRatio, 5, 0, 0, SourceSeed+"：重要议事、党的建设、目标绩效、纪律监督、文明创建“五个纳入”")
	a(org, "班子成员意识形态工作述职", 5, ScoreDebriefs, "", RuleRatio, 0, 0, 0, SourceSeed+"：落实意识形态工作述职报告制度")
	m(org, "每半年向上级党委报告意识形态工作", 5, RuleRatio, false, false, "报送上级的半年工作总结（文号和报送日期）", SourceMeasures+"：每半年向上级党委报告")
	a(study, "中心组每季度至少学习一次", 10, ScoreLedgerPeriods, ledger.CentralGroup+":quarter", RuleRatio, 0, 0, 0, SourceMeasures+"：理论学习中心组每季度至少一次")
	a(study, "按年度学习计划开展集中学习", 10, ScoreCompliance, "central_group", RuleDeduct, 0, 1, 0, SourceSeed+"：党组集中学习；督导规则“党组（理论学习中心组）集中学习”")
	a(study, "班子成员讲党课", 5, ScoreCompliance, "leader_lecture", RuleDeduct, 0, 2, 0, SourceSeed+"：党组成员上党课")
	a(judge, "意识形态分析研判报告", 8, ScoreLedgerCount, ledger.AnalysisReport, RuleRatio, 1, 0, 0, SourceMeasures+"：定期分析研判意识形态领域情况")
	a(judge, "信息报送得分", 10, ScoreInfoPoints, "", RulePer, 0, 0.25, 0, SourceSeed+"：撰写整理各类信息，在各类媒体发表")
	a(judge, "宣讲", 4, ScoreLedgerCount, ledger.Preach, RulePer, 0, 1, 0, SourceSeed+"：开展宣讲")
	a(judge, "涉及本单位的舆情按时回应处置", 3, ScoreOpinion, "", RuleRatio, 0, 0, 0, SourceOpinion+"：重大舆情5小时内发布权威信息、24小时内举行新闻发布会，其他舆情48小时内回应")
	a(base, "三会一课按期开展", 10, ScoreCompliance, "branch_congress,branch_committee,party_group,branch_lecture", RuleDeduct, 0, 0.5, 0, SourceBranch+"：三会一课")
	a(base, "问题整改按期销号", 10, ScoreRectTimely, "", RuleRatio, 0, 0, 0, SourceSeed+"：问题清单与整改台账")
	a(base, "宣传思想阵地管理", 5, ScoreChannels, "", RuleDeduct, 0, 1, 0, SourceSites+"单项否决指标；"+SourceNet+"：管好用好网络阵地")
	m(base, "意识形态领域发生重大问题造成严重影响", 0, RuleRatio, true, false, "上级认定的文件；未发生的填0分并注明", SourceMeasures+"：问责情形")
	a(extra, "被追究意识形态工作责任", 0, ScoreCases, "", RulePenalty, 0, 5, 10, SourceMeasures+"：问责结果运用于考核")
	m(extra, "经验做法被上级推广或信息被市级以上采用", 3, RuleRatio, false, true, "上级推广文件或采用证明", SourceSeed+"：加大意识形态考核的分值权重")
	for n := range t.Indicators {
		t.Indicators[n].Sort = n + 1
	}
	return t
}
