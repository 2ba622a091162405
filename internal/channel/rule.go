package channel

import (
	"fmt"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Sources of the defaults, shown beside each rule.
const (
	// SrcIndicators is the national inspection indicators.
	SrcIndicators = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
	// SrcGuide is the 2017 site development guide.
	SrcGuide = "《政府网站发展指引》（国办发〔2017〕47号）"
	// SrcLocal marks a default zhendi sets where the indicators fix no period.
	SrcLocal = "本系统默认（国家指标未规定期限，单位可调整）"
)

// Rule is how often a kind of channel must be updated, from a date on. A
// unit's own versions replace the default from their ValidFrom; the one in
// force on a day judges that day (like the supervision rules).
type Rule struct {
	ID     int64
	UnitID int64 // 0 = national default
	Kind   Kind
	Class  Class
	// Days or Months: the longest allowed gap since the last update (one of
	// them; both 0 = no update rule).
	Days   int
	Months int
	// ValidFrom and ValidTo bound the version (YYYY-MM-DD, ValidTo "" = open).
	ValidFrom string
	ValidTo   string
	// Source is where the limit comes from; Basis quotes the indicator.
	Source string
	Basis  string
}

// None reports whether the rule sets no limit.
func (r Rule) None() bool { return r.Days <= 0 && r.Months <= 0 }

// LimitText is the limit in Chinese ("14天", "6个月", "不要求").
func (r Rule) LimitText() string {
	switch {
	case r.Days > 0:
		return fmt.Sprintf("%d天", r.Days)
	case r.Months > 0:
		return fmt.Sprintf("%d个月", r.Months)
	}
	return "不要求"
}

// Deadline is the last day an update on day last still satisfies the rule:
// "监测时间点前2周内" includes the 14th day, so 14 days after an update it is
// still fresh, on the 15th stale.
func (r Rule) Deadline(last time.Time) time.Time {
	if r.Days > 0 {
		return last.AddDate(0, 0, r.Days)
	}
	return last.AddDate(0, r.Months, 0)
}

// InForce reports whether the version applies on day.
func (r Rule) InForce(day string) bool {
	return r.ValidFrom <= day && (r.ValidTo == "" || day <= r.ValidTo)
}

// Label names what the rule is for ("网站栏目 · 动态要闻").
func (r Rule) Label() string {
	if r.Class != ClassNone {
		return r.Kind.Label() + " · " + r.Class.Label()
	}
	return r.Kind.Label()
}

// Validate checks a unit's rule version.
func (r *Rule) Validate() error {
	var errs apperr.Errors
	if !r.Kind.Valid() {
		errs = append(errs, apperr.Field("阵地类型", "无效"))
	}
	if r.Kind != Column {
		r.Class = ClassNone
	}
	if r.Days < 0 || r.Months < 0 || (r.Days > 0 && r.Months > 0) {
		errs = append(errs, apperr.Field("更新期限", "天数和月数只填一项，且不能为负"))
	}
	if r.Days > 3660 || r.Months > 120 {
		errs = append(errs, apperr.Field("更新期限", "过长"))
	}
	if _, err := cntime.ParseDate(r.ValidFrom); err != nil {
		errs = append(errs, apperr.Field("生效日期", "日期格式应为 2024-01-31"))
	}
	return errs.OrNil()
}

// Defaults are the national rules (and zhendi's own where the indicators
// fix no period), in force from the indicators' issue in 2019.
var Defaults = []Rule{
	{Kind: Portal, Days: 14, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "单项否决“首页不更新”：监测2周，首页无信息更新的，即单项否决；未注明信息发布时间的视为不更新。"},
	{Kind: Column, Class: ClassNews, Days: 14, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "单项否决“栏目不更新”：监测时间点前2周内的动态、要闻类栏目，以及前6个月内的通知公告、政策文件类栏目，累计超过（含）5个未更新。"},
	{Kind: Column, Class: ClassNotice, Months: 6, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "单项否决“栏目不更新”：监测时间点前6个月内的通知公告、政策文件类栏目未更新的，计入未更新栏目。"},
	{Kind: Column, Class: ClassPolicy, Months: 6, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "单项否决“栏目不更新”：监测时间点前6个月内的通知公告、政策文件类栏目未更新的，计入未更新栏目。"},
	{Kind: Column, Class: ClassInteract, Months: 6, ValidFrom: "2019-01-01", Source: SrcLocal,
		Basis: "互动交流栏目另按“互动回应差”判断：监测时间点前1年内存在超过3个月未回应的有效留言，即单项否决（国办秘函〔2019〕19号）。"},
	{Kind: Column, Class: ClassOther, Months: 12, ValidFrom: "2019-01-01", Source: SrcLocal,
		Basis: "“应更新但长期未更新的栏目数量超过（含）10个”即单项否决；“长期”由单位确定，默认12个月。栏目设置见" + SrcGuide + "。"},
	{Kind: WechatMP, Days: 14, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "政务新媒体单项否决：监测时间点前2周内无更新（僵尸号）。"},
	{Kind: WechatVideo, Days: 14, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "政务新媒体单项否决：监测时间点前2周内无更新（僵尸号）。"},
	{Kind: Weibo, Days: 14, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "政务新媒体单项否决：监测时间点前2周内无更新（僵尸号）。"},
	{Kind: ShortVideo, Days: 14, ValidFrom: "2019-01-01", Source: SrcIndicators,
		Basis: "政务新媒体单项否决：监测时间点前2周内无更新（僵尸号）。"},
	{Kind: Board, Months: 3, ValidFrom: "2019-01-01", Source: SrcLocal, Basis: "宣传栏内容按季度更换。"},
	{Kind: Panel, Months: 3, ValidFrom: "2019-01-01", Source: SrcLocal, Basis: "展板内容按季度更换。"},
}

// DefaultFor is the default rule for a kind and class (a rule with no limit
// when there is none).
func DefaultFor(k Kind, c Class) Rule {
	for _, r := range Defaults {
		if r.Kind == k && r.Class == c {
			return r
		}
	}
	return Rule{Kind: k, Class: c, ValidFrom: "2019-01-01", Source: SrcLocal, Basis: "不设更新期限，由检查排查管理。"}
}

// RuleAt is the rule that judges a channel of kind k and class c on day:
// the unit's version in force that day, else the default.
func RuleAt(unit []Rule, k Kind, c Class, day string) Rule {
	var best Rule
	found := false
	for _, r := range unit {
		if r.Kind == k && r.Class == c && r.InForce(day) && (!found || r.ValidFrom > best.ValidFrom) {
			best, found = r, true
		}
	}
	if found {
		return best
	}
	return DefaultFor(k, c)
}

// RuleKeys lists every kind and class a rule can be set for, in page order.
func RuleKeys() []Rule {
	var out []Rule
	for _, k := range Kinds {
		if k == Column {
			for _, c := range Classes {
				out = append(out, DefaultFor(k, c))
			}
			continue
		}
		out = append(out, DefaultFor(k, ClassNone))
	}
	return out
}
