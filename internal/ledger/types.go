// Package ledger holds the 台账 domain: the activity types of PRODUCT.md
// module 1 with the fields each needs, validation, the annual study plan's
// required topics (必修课) and the figures derived from the ledger (the
// seed report's counts, the "five leads").
package ledger

import "strings"

// Type describes one kind of activity and which fields it uses.
type Type struct {
	Code  string
	Label string
	Short string // for narrow table columns; Label when empty
	Group string // grouping on the "new record" page
	// LeadLabel names the person field (主讲人, 授课人, 作者 ...); "" hides it.
	LeadLabel string
	// LeadRequired makes the person field mandatory.
	LeadRequired bool
	Attendance   bool // attendee list with absentees
	Speakers     bool // attendees can be marked as 中心发言
	Audience     bool // audience type and head count (宣讲)
	Agenda       bool // agenda item (专题研究)
	Report       bool // a report document (分析研判)
	Unit         string
	// ContentLabel names the long text field.
	ContentLabel string
}

// Activity type codes. They are stored in the database; never rename one.
const (
	CentralGroup    = "central_group"
	PartyGovMeeting = "party_gov_meeting"
	PartyLecture    = "party_lecture"
	Preach          = "preach"
	TopicStudy      = "topic_study"
	LeadingGroup    = "leading_group"
	AnalysisReport  = "analysis_report"
	BranchCongress  = "branch_congress"
	BranchCommittee = "branch_committee"
	PartyGroup      = "party_group"
	BusinessLecture = "business_lecture"
	ThemeDay        = "theme_day"
	Reflection      = "reflection"
	Research        = "research"
	SelfStudy       = "self_study"
	Debrief         = "debrief"
)

// Types lists every activity type in display order.
var Types = []Type{
	{Code: CentralGroup, Label: "党组（理论学习中心组）集中学习", Short: "中心组学习", Group: "理论学习", LeadLabel: "主讲/领学人", Attendance: true, Speakers: true, Unit: "次", ContentLabel: "学习内容及纪要"},
	{Code: PartyGovMeeting, Label: "党政工作会", Group: "会议", LeadLabel: "主持人", Attendance: true, Unit: "次", ContentLabel: "会议纪要"},
	{Code: TopicStudy, Label: "专题研究意识形态工作", Short: "专题研究", Group: "会议", LeadLabel: "主持人", Attendance: true, Agenda: true, Unit: "次", ContentLabel: "会议纪要"},
	{Code: LeadingGroup, Label: "意识形态工作领导小组会议", Short: "领导小组会议", Group: "会议", LeadLabel: "主持人", Attendance: true, Agenda: true, Unit: "次", ContentLabel: "会议纪要"},
	{Code: PartyLecture, Label: "党课", Group: "理论学习", LeadLabel: "授课人", LeadRequired: true, Attendance: true, Audience: true, Unit: "次", ContentLabel: "授课内容"},
	{Code: Preach, Label: "宣讲", Group: "宣传宣讲", LeadLabel: "宣讲人", LeadRequired: true, Attendance: false, Audience: true, Unit: "次", ContentLabel: "宣讲内容"},
	{Code: AnalysisReport, Label: "意识形态分析研判报告", Short: "研判报告", Group: "分析研判", LeadLabel: "撰写人", LeadRequired: true, Report: true, Unit: "篇", ContentLabel: "报告摘要"},
	{Code: BranchCongress, Label: "支部党员大会", Group: "三会一课", LeadLabel: "主持人", Attendance: true, Unit: "次", ContentLabel: "会议纪要"},
	{Code: BranchCommittee, Label: "支委会", Group: "三会一课", LeadLabel: "主持人", Attendance: true, Unit: "次", ContentLabel: "会议纪要"},
	{Code: PartyGroup, Label: "党小组会", Group: "三会一课", LeadLabel: "主持人", Attendance: true, Unit: "次", ContentLabel: "会议纪要"},
	{Code: BusinessLecture, Label: "业务大讲堂", Group: "理论学习", LeadLabel: "主讲人", LeadRequired: true, Attendance: true, Unit: "次", ContentLabel: "讲授内容"},
	{Code: ThemeDay, Label: "主题党日", Group: "三会一课", LeadLabel: "主持人", Attendance: true, Unit: "次", ContentLabel: "活动内容"},
	{Code: Reflection, Label: "心得体会", Group: "个人学习", LeadLabel: "作者", LeadRequired: true, Unit: "篇", ContentLabel: "心得正文"},
	{Code: Research, Label: "调查研究", Group: "调查研究", LeadLabel: "牵头领导", LeadRequired: true, Attendance: true, Unit: "次", ContentLabel: "调研情况"},
	{Code: SelfStudy, Label: "个人自学", Group: "个人学习", LeadLabel: "学习人", LeadRequired: true, Unit: "次", ContentLabel: "学习内容"},
	// 述职: a leader reports on ideology work in their field in the yearly
	// 述职报告 (the seed: 落实意识形态工作述职报告制度).
	{Code: Debrief, Label: "意识形态工作述职", Short: "述职", Group: "考核述职", LeadLabel: "述职人", LeadRequired: true, Unit: "次", ContentLabel: "述职内容（意识形态工作部分）"},
}

// TypeGroup is one category of activity types (理论学习, 会议, 三会一课 …)
// with its types' codes in display order.
type TypeGroup struct {
	Name  string
	Types []string
}

// Groups lists the categories of Types in order of first appearance. The
// monthly activity charts of the home page and of the Word reports stack
// by category: sixteen types are too many series to tell apart, in print
// above all.
func Groups() []TypeGroup {
	var out []TypeGroup
	at := map[string]int{}
	for _, t := range Types {
		i, ok := at[t.Group]
		if !ok {
			i = len(out)
			at[t.Group] = i
			out = append(out, TypeGroup{Name: t.Group})
		}
		out[i].Types = append(out[i].Types, t.Code)
	}
	return out
}

// ShortLabel is the label for narrow columns.
func (t Type) ShortLabel() string {
	if t.Short != "" {
		return t.Short
	}
	return t.Label
}

// TypeByCode returns the type with the given code.
func TypeByCode(code string) (Type, bool) {
	for _, t := range Types {
		if t.Code == code {
			return t, true
		}
	}
	return Type{}, false
}

// TypeByLabel finds a type by its Chinese label (Excel import); it also
// accepts a few common short forms.
func TypeByLabel(label string) (Type, bool) {
	aliases := map[string]string{
		"中心组学习": CentralGroup, "党组集中学习": CentralGroup, "理论学习中心组学习": CentralGroup, "党组中心组学习": CentralGroup,
		"专题研究": TopicStudy, "领导小组会议": LeadingGroup, "分析研判": AnalysisReport, "研判报告": AnalysisReport,
		"分析研判报告": AnalysisReport, "党员大会": BranchCongress, "述职": Debrief, "述职报告": Debrief, "心得": Reflection, "自学": SelfStudy, "调研": Research,
	}
	if code, ok := aliases[label]; ok {
		return TypeByCode(code)
	}
	// Labels are written with full-width parentheses; spreadsheets typed
	// or exported before the punctuation sweep have half-width ones.
	folded := foldParens(label)
	for _, t := range Types {
		if t.Label == label || t.Code == label || foldParens(t.Label) == folded {
			return t, true
		}
	}
	return Type{}, false
}

func foldParens(s string) string { return strings.NewReplacer("（", "(", "）", ")").Replace(s) }

// Personal reports whether records of this type belong to one person (any
// party member may record their own).
func (t Type) Personal() bool { return t.Code == Reflection || t.Code == SelfStudy }

// Audience types for 宣讲 and 党课.
var AudienceTypes = []string{"服务对象", "干部职工", "基层"}

// Topic is a required study topic (必修课).
type Topic struct {
	Code  string
	Label string
}

// RequiredTopics are the 必修课 of PRODUCT.md module 1.
var RequiredTopics = []Topic{
	{"ershida", "党的二十大精神"},
	{"xiangcun", "乡村振兴"},
	{"anquan", "安全生产"},
	{"fengxian", "防范化解重大风险"},
	{"lianzheng", "党风廉政建设"},
	{"tiaoli", "《中国共产党宣传工作条例》"},
	{"zhishi", "习近平总书记重要指示批示精神"},
	{"buzhang", "宣传部长会议精神"},
}

// TopicLabel returns the label of a required topic code.
func TopicLabel(code string) string {
	for _, t := range RequiredTopics {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

// TopicByLabel finds a required topic by label or code, accepting the label
// without book-title marks or the 党的/习近平 prefixes people often drop.
func TopicByLabel(s string) (Topic, bool) {
	for _, t := range RequiredTopics {
		if s == t.Code || s == t.Label || s == trimMarks(t.Label) {
			return t, true
		}
	}
	short := map[string]string{"二十大精神": "ershida", "总书记重要指示批示精神": "zhishi", "宣传工作条例": "tiaoli", "重要指示批示精神": "zhishi"}
	if code, ok := short[s]; ok {
		for _, t := range RequiredTopics {
			if t.Code == code {
				return t, true
			}
		}
	}
	return Topic{}, false
}

func trimMarks(s string) string {
	out := []rune{}
	for _, r := range s {
		if r != '《' && r != '》' {
			out = append(out, r)
		}
	}
	return string(out)
}

// ReportTypes are the codes of the types that need a report document
// (Type.Report): an entry of one counts only once the document is attached.
func ReportTypes() []string {
	var out []string
	for _, t := range Types {
		if t.Report {
			out = append(out, t.Code)
		}
	}
	return out
}
