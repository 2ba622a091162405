package supervise

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zhendi/internal/docx"
	"zhendi/internal/ledger"
)

// Circular is the 通报 built from judged obligations. It aggregates: one
// sentence per party naming each obligation it is behind on with the year's
// required and actual counts ("机关第一党支部全年应开党小组会12次，实开7次"),
// and an annex table with the periods not done. Who is reported to whom
// follows the level: a unit's circular speaks of its departments and
// branches (the unit itself and its leaders are reported upward, in the
// district's circular); the district's circular speaks of each unit's own
// obligations and its leaders', not of a bureau's internal quotas. The page
// and the Word document show the same values.
type Circular struct {
	Title string
	Date  string // the day it speaks of, "2023年7月5日"
	Noun  string // what a party is: 单位 or 科室（支部）
	Intro string
	// Overview is the paragraph of 一、总体情况.
	Overview string
	Units    int // parties judged
	Behind   []CircularParty
	Good     []string // parties with nothing behind
	// Header and Table sum up the parties behind; a column that would be
	// zero for every row is left out.
	Header  []string
	Table   [][]string
	Closing string
	// AnnexHeader and Annex list every obligation behind with the periods
	// not done (附件).
	AnnexHeader []string
	Annex       [][]string
}

// CircularParty is a party behind, with one sentence saying on what and by
// how much.
type CircularParty struct {
	Num  string // （一）
	Name string
	Text string
	Gaps []Gap
}

// CircularGroup is one party named in a circular with its results.
type CircularGroup struct {
	Name    string
	Results []Result
}

// Gap is one obligation of one subject summed over the periods of a year
// whose deadline has come by the judging day: Required and Count are summed
// (Count capped at Required in each period, so an extra meeting in March
// does not make up for none in April), Short lists the periods not done.
type Gap struct {
	Subject         Subject
	Rule            *Rule
	Required, Count int
	Periods         int
	Short           []ledger.Period
	Overdue, AtRisk int // periods still in grace / close to their deadline
}

// Missing is how many entries the subject is short over the year so far.
func (g Gap) Missing() int { return g.Required - g.Count }

// Gaps sums results per subject and rule over the periods whose deadline is
// on or before day ("2006-01-02") or that are already behind (in grace or at
// risk), and returns those with a shortfall, in the order of results.
func Gaps(results []Result, day string) []Gap {
	type key struct {
		kind    string
		id      int64
		ruleKey string
	}
	var order []key
	byKey := map[key]*Gap{}
	for _, r := range results {
		if r.Status == Upcoming {
			continue
		}
		due := r.Deadline <= day
		if !due && r.Status != Overdue && r.Status != AtRisk {
			continue
		}
		k := key{r.Subject.Kind, r.Subject.ID, r.Rule.Key}
		g, ok := byKey[k]
		if !ok {
			g = &Gap{Subject: r.Subject, Rule: r.Rule}
			byKey[k] = g
			order = append(order, k)
		}
		g.Periods++
		g.Required += r.Required
		g.Count += min(r.Count, r.Required)
		if r.Count < r.Required {
			g.Short = append(g.Short, r.Period)
			switch r.Status {
			case Overdue:
				g.Overdue++
			case AtRisk:
				g.AtRisk++
			}
		}
	}
	var out []Gap
	for _, k := range order {
		if g := byKey[k]; len(g.Short) > 0 {
			out = append(out, *g)
		}
	}
	return out
}

// verb is how the circular says an obligation is carried out: meetings
// are 开, lectures 讲, information 报送, the rest 开展.
func verb(r *Rule) string {
	switch r.Type {
	case ledger.TopicStudy, ledger.LeadingGroup, ledger.BranchCongress, ledger.BranchCommittee, ledger.PartyGroup, ledger.PartyGovMeeting:
		return "开"
	case ledger.PartyLecture:
		return "讲"
	case InfoType:
		return "报送"
	case ledger.Debrief:
		return "作"
	}
	return "开展"
}

// cn puts full-width brackets into a name typed with half-width ones
// (党组(理论学习中心组)集中学习 → 党组（理论学习中心组）集中学习).
func cn(s string) string { return strings.NewReplacer("(", "（", ")", "）").Replace(s) }

// Phrase says the gap as a circular does: "应开党小组会12次，实开7次", or
// "应讲党课1次，实际未讲" when nothing was done.
func (g Gap) Phrase() string {
	v, u := verb(g.Rule), TypeUnit(g.Rule.Type)
	name := cn(strings.TrimPrefix(g.Rule.Name, "班子成员"))
	switch g.Rule.Type {
	case ledger.PartyLecture:
		name = "党课"
	case InfoType:
		name = "信息"
	}
	if g.Count == 0 {
		return fmt.Sprintf("应%s%s%d%s，实际未%s", v, name, g.Required, u, v)
	}
	return fmt.Sprintf("应%s%s%d%s，实%s%d%s", v, name, g.Required, u, v, g.Count, u)
}

// ShortLabel names the periods not done compactly: "1、3、5月和7至12月",
// "第三、四季度", or the period labels without the year.
func (g Gap) ShortLabel() string {
	var months []int
	for _, p := range g.Short {
		if len(p.Key) == 7 && p.Key[4] == '-' {
			m, _ := strconv.Atoi(p.Key[5:])
			months = append(months, m)
		}
	}
	if len(months) == len(g.Short) && len(months) > 0 {
		return monthRanges(months)
	}
	var labels []string
	for _, p := range g.Short {
		l := p.Label
		if len(p.Key) >= 4 {
			l = strings.TrimPrefix(l, p.Key[:4]+"年")
		}
		if l == "" {
			l = "全年"
		}
		labels = append(labels, l)
	}
	return strings.Join(labels, "、")
}

// ShortNote is "（7至12月未完成）" for an obligation of several periods,
// "" for a yearly one (the counts say it all).
func (g Gap) ShortNote(word string) string {
	if g.Periods <= 1 {
		return ""
	}
	return "（" + g.ShortLabel() + word + "）"
}

// monthRanges writes sorted months as "1、3、5月和7至12月".
func monthRanges(ms []int) string {
	slices.Sort(ms)
	var singles []string
	var parts []string
	flush := func() {
		if len(singles) > 0 {
			parts = append(parts, strings.Join(singles, "、")+"月")
			singles = nil
		}
	}
	for i := 0; i < len(ms); {
		j := i
		for j+1 < len(ms) && ms[j+1] == ms[j]+1 {
			j++
		}
		if j-i >= 2 {
			flush()
			parts = append(parts, fmt.Sprintf("%d至%d月", ms[i], ms[j]))
		} else {
			for k := i; k <= j; k++ {
				singles = append(singles, strconv.Itoa(ms[k]))
			}
		}
		i = j + 1
	}
	flush()
	return strings.Join(parts, "和")
}

// buildCircular aggregates each group's gaps as judged on date
// ("2006-01-02"); noun is what a group is, judge the sentence naming who
// judged (领导小组办公室 or 区委宣传部).
func buildCircular(title, noun, judge string, year int, date string, groups []CircularGroup, closing string) Circular {
	// A past year is spoken of as at its end.
	if end := fmt.Sprintf("%d-12-31", year); date > end {
		date = end
	}
	ci := Circular{Title: title, Date: ledger.FormatDate(date), Noun: noun, Units: len(groups), Closing: closing}
	var overdue, risk bool
	for _, g := range groups {
		gaps := Gaps(g.Results, date)
		if len(gaps) == 0 {
			ci.Good = append(ci.Good, g.Name)
			continue
		}
		p := CircularParty{Name: g.Name, Gaps: gaps}
		// Leaders behind on the same obligation by the same counts are
		// named together: "王建国、刘志强应作意识形态工作述职1次，实际未作".
		type entry struct {
			names  []string
			phrase string
		}
		var entries []entry
		leaderAt := map[string]int{}
		for _, gp := range gaps {
			overdue = overdue || gp.Overdue > 0
			risk = risk || gp.AtRisk > 0
			if gp.Subject.Kind != SubjectLeader {
				entries = append(entries, entry{phrase: gp.Phrase()})
				continue
			}
			if i, ok := leaderAt[gp.Phrase()]; ok {
				entries[i].names = append(entries[i].names, gp.Subject.Name)
				continue
			}
			leaderAt[gp.Phrase()] = len(entries)
			entries = append(entries, entry{names: []string{gp.Subject.Name}, phrase: gp.Phrase()})
		}
		var phrases []string
		for _, e := range entries {
			phrases = append(phrases, strings.Join(e.names, "、")+e.phrase)
		}
		p.Text = fmt.Sprintf("%s%d年%s。", g.Name, year, strings.Join(phrases, "；"))
		p.Num = "（" + chineseNum(len(ci.Behind)+1) + "）"
		ci.Behind = append(ci.Behind, p)
	}
	asOf := "截至" + ci.Date
	ci.Intro = fmt.Sprintf("根据意识形态工作责任制有关规定，%s对照年度工作要求和工作台账，对%d个%s%d年度意识形态工作责任制落实情况进行了检查。现将%s的有关情况通报如下。",
		judge, len(groups), noun, year, asOf)
	switch {
	case len(groups) == 1 && len(ci.Behind) == 1:
		ci.Overview = fmt.Sprintf("%s，%s有未按要求完成的任务，具体见下表。", asOf, groups[0].Name)
	case len(ci.Behind) == 0:
		ci.Overview = fmt.Sprintf("%s，%d个%s各项任务均已按要求完成。", asOf, len(groups), noun)
	case len(ci.Good) == 0:
		ci.Overview = fmt.Sprintf("%s，%d个%s均有未按要求完成的任务，具体见下表。", asOf, len(groups), noun)
	default:
		ci.Overview = fmt.Sprintf("%s，%s%d个%s各项任务均已按要求完成；其余%d个%s有未按要求完成的任务，具体见下表。",
			asOf, strings.Join(ci.Good, "、"), len(ci.Good), noun, len(ci.Behind), noun)
	}
	ci.Header = []string{"序号", noun, "未完成任务（项）", "欠缺（次、条）"}
	if overdue {
		ci.Header = append(ci.Header, "其中逾期待补（期）")
	}
	if risk {
		ci.Header = append(ci.Header, "其中临近时限（期）")
	}
	ci.AnnexHeader = []string{"序号", noun, "任务", "应完成", "实完成", "未完成的期间"}
	for i, p := range ci.Behind {
		var missing, od, ar int
		for _, gp := range p.Gaps {
			missing += gp.Missing()
			od += gp.Overdue
			ar += gp.AtRisk
			name := cn(gp.Rule.Name)
			if gp.Subject.Kind == SubjectLeader {
				name = gp.Subject.Name + "：" + strings.TrimPrefix(name, "班子成员")
			}
			u := TypeUnit(gp.Rule.Type)
			ci.Annex = append(ci.Annex, []string{strconv.Itoa(len(ci.Annex) + 1), p.Name, name,
				strconv.Itoa(gp.Required) + u, strconv.Itoa(gp.Count) + u, gp.ShortLabel()})
		}
		row := []string{strconv.Itoa(i + 1), p.Name, strconv.Itoa(len(p.Gaps)), strconv.Itoa(missing)}
		if overdue {
			row = append(row, strconv.Itoa(od))
		}
		if risk {
			row = append(row, strconv.Itoa(ar))
		}
		ci.Table = append(ci.Table, row)
	}
	return ci
}

// UnitCircular is a unit's circular on its departments and branches as
// judged on date ("2006-01-02"): the obligations of the unit itself and of
// its leaders are not the subject of a circular the unit issues (they go
// upward, in the district's circular).
func UnitCircular(uc *UnitCompliance, year int, date string) Circular {
	var groups []CircularGroup
	idx := map[int64]int{}
	add := func(s Subject) {
		if _, ok := idx[s.ID]; !ok {
			idx[s.ID] = len(groups)
			groups = append(groups, CircularGroup{Name: s.Name})
		}
	}
	// Every department and branch is judged, also one with no result yet.
	for _, s := range uc.Unit.Departments {
		add(s)
	}
	for _, s := range uc.Unit.Branches {
		add(s)
	}
	for _, res := range uc.Results {
		if res.Subject.Kind != SubjectDepartment && res.Subject.Kind != SubjectBranch {
			continue
		}
		add(res.Subject)
		i := idx[res.Subject.ID]
		groups[i].Results = append(groups[i].Results, res)
	}
	return buildCircular(fmt.Sprintf("关于%s%d年度意识形态工作责任制落实情况的通报", uc.Unit.Name, year), "科室（支部）",
		"局意识形态工作领导小组办公室", year, date, groups,
		"请上述科室（支部）对照通报的问题查找原因，明确整改措施和完成时限，于通报印发之日起15日内将整改情况报局意识形态工作领导小组办公室。各项活动应在开展当日登记台账，如实反映工作情况。")
}

// DistrictCircular is the circular on units, in the order given (the
// district matrix's order), as judged on date ("2006-01-02"): each unit's
// own obligations and its leaders'; the departments' and branches' quotas
// are each unit's own business and its own circular's.
func DistrictCircular(units []*UnitCompliance, year int, date string) Circular {
	groups := make([]CircularGroup, len(units))
	for i, uc := range units {
		groups[i] = CircularGroup{Name: uc.Unit.Name}
		for _, res := range uc.Results {
			if res.Subject.Kind == SubjectUnit || res.Subject.Kind == SubjectLeader {
				groups[i].Results = append(groups[i].Results, res)
			}
		}
	}
	return buildCircular(fmt.Sprintf("关于%d年度意识形态工作责任制落实情况的通报", year), "单位", "区委宣传部", year, date, groups,
		"请上述单位党委（党组）对照通报的问题认真整改，明确责任人和整改时限，于通报印发之日起30日内将整改情况报区委宣传部。各单位要举一反三，把意识形态工作责任制落实到日常工作中。")
}

// Doc is the circular as a GB/T 9704 Word document: the 附件说明 ends
// the body and the table of what was not done follows the 落款 as its
// annex.
func (ci Circular) Doc() docx.Doc {
	d := docx.Doc{Title: ci.Title, Blocks: []docx.Block{docx.Para{Text: ci.Intro}}}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "一、总体情况"}, docx.Para{Text: ci.Overview})
	if len(ci.Table) > 0 {
		widths := []int{3, 12, 6, 6, 6, 6}[:len(ci.Header)]
		d.Blocks = append(d.Blocks, docx.Table{Header: ci.Header, Rows: ci.Table, Widths: widths})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "二、存在的问题"})
	if len(ci.Behind) == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "各项意识形态工作责任制任务均已按要求完成。"})
	}
	for _, p := range ci.Behind {
		d.Blocks = append(d.Blocks, docx.Para{Text: p.Num + p.Text})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "三、有关要求"}, docx.Para{Text: ci.Closing})
	if len(ci.Annex) > 0 {
		d.Annexes = []docx.Annex{{Title: "未完成任务明细表",
			Blocks: []docx.Block{docx.Table{Header: ci.AnnexHeader, Rows: ci.Annex, Widths: []int{3, 8, 8, 4, 4, 9}}}}}
	}
	return d
}

// chineseNum writes 1 to 99 in Chinese numerals (一, 十二, 三十五) for the
// section numbers of a document; larger numbers stay in digits.
func chineseNum(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 10:
		return d[n]
	case n < 20:
		return "十" + d[n-10]
	case n < 100:
		return d[n/10] + "十" + d[n%10]
	}
	return strconv.Itoa(n)
}
