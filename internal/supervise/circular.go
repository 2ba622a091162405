package supervise

import (
	"fmt"
	"strconv"
	"strings"

	"zhendi/internal/docx"
	"zhendi/internal/ledger"
)

// Circular is the 通报 built from judged obligations: who is behind on what,
// for the units of a district or for a unit's departments, branches and
// leaders. The page and the Word document show the same value.
type Circular struct {
	Title   string
	Date    string // the day it speaks of, "2023年7月5日"
	Intro   string
	Units   int // parties judged
	Behind  []CircularParty
	Good    []string // parties with nothing behind
	Table   [][]string
	Header  []string
	Closing string
}

// CircularParty is a party with the obligations it is behind on.
type CircularParty struct {
	Name  string
	Items []string
}

// CircularGroup is one party named in a circular with its results.
type CircularGroup struct {
	Name    string
	Results []Result
}

// BuildCircular lists, per group, the shortfalls with counts by status;
// noun is what a group is (单位, 科室(支部)), date the day it speaks of
// ("2006-01-02").
func BuildCircular(title, noun string, year int, date string, groups []CircularGroup, closing string) Circular {
	ci := Circular{Title: title, Date: ledger.FormatDate(date), Units: len(groups),
		Header: []string{"序号", noun, "未完成", "已逾期", "有风险"}, Closing: closing}
	for _, g := range groups {
		var items []string
		var missed, overdue, risk int
		for _, res := range Shortfalls(g.Results) {
			items = append(items, fmt.Sprintf("%s%s%s：应%d%s，实际%d%s（截止%s，%s）", res.Subject.Name, res.Period.Label, res.Rule.Name,
				res.Required, res.Unit(), res.Count, res.Unit(), ledger.FormatDate(res.Deadline), res.Status.Label()))
			switch res.Status {
			case Missed:
				missed++
			case Overdue:
				overdue++
			case AtRisk:
				risk++
			}
		}
		if len(items) == 0 {
			ci.Good = append(ci.Good, g.Name)
			continue
		}
		ci.Behind = append(ci.Behind, CircularParty{Name: g.Name, Items: items})
		ci.Table = append(ci.Table, []string{strconv.Itoa(len(ci.Table) + 1), g.Name, strconv.Itoa(missed), strconv.Itoa(overdue), strconv.Itoa(risk)})
	}
	ci.Intro = fmt.Sprintf("根据意识形态工作责任制有关规定，依据“阵地”系统中登记的工作台账，对%d个%s%d年度意识形态工作责任制落实情况进行了督导。截至%s，%d个%s各项任务按进度落实，%d个%s存在未完成、已逾期或有风险的事项。现将有关情况通报如下。",
		len(groups), noun, year, ci.Date, len(ci.Good), noun, len(ci.Behind), noun)
	return ci
}

// UnitCircular is a unit's circular on its departments, branches and
// leaders (the unit's own obligations under 局机关(本单位)) as judged on
// date ("2006-01-02"); obligations not yet begun are left out.
func UnitCircular(uc *UnitCompliance, year int, date string) Circular {
	var groups []CircularGroup
	idx := map[string]int{}
	for _, res := range uc.Results {
		if res.Status == Upcoming {
			continue
		}
		name := res.Subject.Name
		if res.Subject.Kind == SubjectUnit {
			name = "局机关（本单位）"
		}
		i, ok := idx[name]
		if !ok {
			i = len(groups)
			idx[name] = i
			groups = append(groups, CircularGroup{Name: name})
		}
		groups[i].Results = append(groups[i].Results, res)
	}
	return BuildCircular(fmt.Sprintf("关于%s%d年度意识形态工作责任制落实情况的通报", uc.Unit.Name, year), "科室（支部）", year, date, groups,
		"请上述科室（支部）和责任人对照问题清单抓紧整改，按时补齐任务，整改情况报局意识形态工作领导小组办公室。")
}

// DistrictCircular is the circular on units, in the order given (the
// district matrix's order), as judged on date ("2006-01-02").
func DistrictCircular(units []*UnitCompliance, year int, date string) Circular {
	groups := make([]CircularGroup, len(units))
	for i, uc := range units {
		groups[i] = CircularGroup{Name: uc.Unit.Name, Results: uc.Results}
	}
	return BuildCircular(fmt.Sprintf("关于%d年度意识形态工作责任制落实情况的通报", year), "单位", year, date, groups,
		"请上述单位对照问题清单认真整改，明确责任人和整改时限，于通报印发之日起30日内将整改情况报区委宣传部。各单位要举一反三，把意识形态工作责任制落实到日常工作中，确保各项任务按时保质完成。")
}

// Doc is the circular as a GB/T 9704 Word document.
func (ci Circular) Doc() docx.Doc {
	d := docx.Doc{Title: ci.Title, Blocks: []docx.Block{docx.Para{Text: ci.Intro}}}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "一、总体情况"})
	if len(ci.Good) > 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "各项任务按进度落实的：" + strings.Join(ci.Good, "、") + "。"})
	}
	if len(ci.Table) > 0 {
		d.Blocks = append(d.Blocks, docx.Table{Header: ci.Header, Rows: ci.Table, Widths: []int{3, 14, 4, 4, 4}})
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "二、存在的问题"})
	if len(ci.Behind) == 0 {
		d.Blocks = append(d.Blocks, docx.Para{Text: "各项意识形态工作责任制任务均已按进度完成。"})
	}
	for i, u := range ci.Behind {
		d.Blocks = append(d.Blocks, docx.Heading{Level: 2, Text: fmt.Sprintf("（%s）%s", chineseNum(i+1), u.Name)})
		for j, it := range u.Items {
			d.Blocks = append(d.Blocks, docx.Para{Text: fmt.Sprintf("%d. %s。", j+1, it)})
		}
	}
	d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: "三、有关要求"}, docx.Para{Text: ci.Closing})
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
