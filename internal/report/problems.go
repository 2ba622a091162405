package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/supervise"
)

var ordinals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func ordinal(i int) string {
	if i < len(ordinals) {
		return ordinals[i]
	}
	return fmt.Sprint(i + 1)
}

// yearEnded reports whether the period reaches 31 December.
func (b *builder) yearEnded() bool { return b.req.Period.To == b.yearEnd() }

// cn puts the full-width brackets of Chinese text into a rule name that
// was typed with half-width ones.
func cn(s string) string { return strings.NewReplacer("(", "（", ")", "）").Replace(s) }

// gaps are the year's obligations behind as judged at the end of the
// period, over the periods whose deadline has come (supervise.Gaps); the
// annual obligations the template states itself (tpl.Rules) are left to
// the template's own sentences.
func (b *builder) gaps() []supervise.Gap {
	var due []supervise.Result
	for _, r := range b.results {
		if r.Deadline > b.req.Period.To {
			continue
		}
		if r.Rule.Type == ledger.Debrief {
			continue // the 述职 follows the year's summary
		}
		if r.Subject.Kind == supervise.SubjectUnit && slices.ContainsFunc(b.tpl.Rules, func(tr Rule) bool { return tr.Type == r.Rule.Type }) {
			continue
		}
		due = append(due, r)
	}
	return supervise.Gaps(due, b.req.Period.To)
}

// gapProblems words the gaps the way the 通报 counts them: the unit's own
// obligations, the leaders', the branches' 三会一课 and the departments'
// information quotas, each with the required and actual counts.
func (b *builder) gapProblems() []string {
	var items []string
	var leaders, branches []string
	deptShort, deptMissing := map[int64]bool{}, 0
	branchGaps := map[string][]string{}
	var branchOrder []string
	for _, g := range b.gaps() {
		switch g.Subject.Kind {
		case supervise.SubjectUnit:
			items = append(items, fmt.Sprintf("%s未按要求落实，%s%s%s", cn(g.Rule.Name), b.sofar(), cn(g.Phrase()), g.ShortNote("未开展")))
		case supervise.SubjectLeader:
			leaders = append(leaders, g.Subject.Name+cn(g.Phrase()))
		case supervise.SubjectBranch:
			if _, ok := branchGaps[g.Subject.Name]; !ok {
				branchOrder = append(branchOrder, g.Subject.Name)
			}
			branchGaps[g.Subject.Name] = append(branchGaps[g.Subject.Name], cn(g.Phrase()))
		case supervise.SubjectDepartment:
			deptShort[g.Subject.ID] = true
			deptMissing += g.Missing()
		}
	}
	if len(leaders) > 0 {
		items = append(items, "班子成员履行“一岗双责”还有差距，"+b.sofar()+strings.Join(leaders, "；"))
	}
	for _, name := range branchOrder {
		branches = append(branches, name+strings.Join(branchGaps[name], "，"))
	}
	if len(branches) > 0 {
		items = append(items, "“三会一课”制度落实不够规范，"+b.sofar()+strings.Join(branches, "；"))
	}
	if len(deptShort) > 0 {
		items = append(items, fmt.Sprintf("信息报送任务完成不够均衡，%s有%d个科室未完成月度信息报送任务，共少报送%d条", b.sofar(), len(deptShort), deptMissing))
	}
	return items
}

// sofar opens a sentence on the year so far: "全年" or "截至2023年6月30日，".
func (b *builder) sofar() string {
	if b.yearEnded() {
		return "全年"
	}
	return "截至" + ledger.FormatDate(b.req.Period.To) + "，"
}

// problems drafts 存在问题 from the data: annual obligations missed or
// behind, the obligations the 督导 judges behind, late records, one
// dominant study form, the study plan not carried out on time. Each
// problem is one paragraph with its figures as tokens.
func (b *builder) problems() []Block {
	var items []string
	for _, rule := range b.tpl.Rules {
		f := b.r.Figure("ytd_" + rule.Type)
		if f == nil {
			continue
		}
		t, _ := ledger.TypeByCode(rule.Type)
		tok := "{" + f.Key + "}"
		switch {
		case b.yearEnded() && f.Value < rule.Count && f.Value > 0:
			items = append(items, fmt.Sprintf("年度工作要求落实不到位，全年%s%s%s，未达到不少于%d%s的要求", rule.Label, tok, t.Unit, rule.Count, t.Unit))
		case b.yearEnded() && f.Value == 0:
			items = append(items, fmt.Sprintf("年度工作要求落实不到位，全年未开展%s，未达到不少于%d%s的要求", rule.Label, rule.Count, t.Unit))
		case !b.yearEnded() && f.Value == 0:
			items = append(items, fmt.Sprintf("年度工作要求推进偏慢，截至%s尚未开展%s，全年不少于%d%s的要求尚未启动", ledger.FormatDate(b.req.Period.To), rule.Label, rule.Count, t.Unit))
		case !b.yearEnded() && f.Value*2 < rule.Count:
			items = append(items, fmt.Sprintf("年度工作要求推进偏慢，截至%s%s仅%s%s，距全年不少于%d%s的要求尚差%d%s", ledger.FormatDate(b.req.Period.To), rule.Label, tok, t.Unit, rule.Count, t.Unit, rule.Count-f.Value, t.Unit))
		}
	}
	items = append(items, b.gapProblems()...)
	lateRaised := false
	if late := b.r.Figure("late_share"); late != nil && late.Value >= b.tpl.LateThreshold && b.r.Figure("late").Value > 0 {
		lateRaised = true
		if b.r.Figure("imported").Value > 0 {
			// Imported history is stated apart, not counted as 补记.
			items = append(items, fmt.Sprintf("在制定和完善制度上重视多，在日常监督和管理上重视不够，%s开展的活动登记台账{total}条，其中系统启用前导入{imported}条（不计入补记），其余记录中有{late}条的登记日期比活动日期晚%d天及以上，占{late_share}{?after_end:，{after_end}条是%s以后才登记的}，存在事后集中补记的倾向",
				b.req.Period.Label, b.req.LateDays, ledger.FormatDate(b.req.Period.To)))
		} else {
			items = append(items, fmt.Sprintf("在制定和完善制度上重视多，在日常监督和管理上重视不够，%s开展的活动登记台账{total}条，其中{late}条的登记日期比活动日期晚%d天及以上，占{late_share}{?after_end:，{after_end}条是%s以后才登记的}，存在事后集中补记的倾向",
				b.req.Period.Label, b.req.LateDays, ledger.FormatDate(b.req.Period.To)))
		}
	}
	if top := b.r.Figure("study_top_share"); top != nil && top.Value >= b.tpl.FormThreshold && b.r.Figure("study_total").Value >= 5 {
		items = append(items, fmt.Sprintf("政治理论学习形式较为单一，%s{study_total}次理论学习活动中“%s”{study_top}次、占{study_top_share}，专题辅导、调查研究、交流研讨等形式运用不够",
			b.req.Period.Label, strings.TrimPrefix(strings.SplitN(top.Def, "”", 2)[0], "“")))
	}
	items = append(items, b.planProblems()...)
	// Imported history is said as what it is whenever the period holds
	// some and the 补记 sentence above did not already say it: the old
	// sheet's records are neither this period's registrations nor 补记.
	var history []Block
	if h := b.r.Figure("imported"); h != nil && h.Value > 0 && !lateRaised {
		text := fmt.Sprintf("%s开展的活动登记台账{total}条，其中{imported}条是系统启用前从原有台账导入的历史记录，不计入补记。", b.req.Period.Label)
		if h.Value == b.r.Figure("total").Value {
			text = fmt.Sprintf("%s开展的活动登记台账{total}条，均是系统启用前从原有台账导入的历史记录，不计入补记。", b.req.Period.Label)
		}
		history = []Block{{Key: "auto.problems.imported", Style: "p", Text: text}}
	}
	if len(items) == 0 {
		done := "各项工作要求均已按进度落实，台账登记及时。"
		if len(history) > 0 {
			done = "各项工作要求均已按进度落实。"
		}
		return append([]Block{{Key: "auto.problems.none", Style: "p", Text: "对照年度工作要求和工作台账，" + b.req.Period.Label + done}}, history...)
	}
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.problems.%d", i+1), Style: "p", Text: ordinal(i) + "是" + it + "。"})
	}
	return append(out, history...)
}

// planProblems: without a plan, says so; with one, the required topics
// whose plan item has passed without study (已安排未按期开展) and those the
// plan leaves out (未安排).
func (b *builder) planProblems() []string {
	if len(b.studyPlan) == 0 {
		return []string{fmt.Sprintf("学习计划管理不够规范，%s年度学习计划未录入系统，学习进度无法对照计划检查", b.req.Period.Key[:4])}
	}
	var overdue, unplanned []string
	for _, st := range b.topicStates() {
		switch {
		case st.Studied:
		case len(st.Overdue) > 0:
			overdue = append(overdue, st.label()+"（计划"+monthsText(st.Overdue)+"学习）")
		case !st.Planned:
			unplanned = append(unplanned, st.label())
		}
	}
	var items []string
	if len(overdue) > 0 {
		items = append(items, "学习计划执行不够到位，必修课"+strings.Join(overdue, "、")+"未按计划开展学习")
	}
	if len(unplanned) > 0 {
		items = append(items, "学习计划安排不够全面，必修课"+strings.Join(unplanned, "、")+"未列入年度学习计划")
	}
	return items
}

// plan drafts the remaining obligations with their dates, one rule per
// item.
func (b *builder) plan() ([]Block, error) {
	var items []string
	for _, rule := range b.tpl.Rules {
		f := b.r.Figure("ytd_" + rule.Type)
		if f == nil {
			continue
		}
		t, _ := ledger.TypeByCode(rule.Type)
		tok := "{" + f.Key + "}"
		switch {
		case b.yearEnded():
			items = append(items, fmt.Sprintf("%s年%s不少于%d%s，年内均衡安排，确保按期完成", b.vars()["{次年}"], rule.Label, rule.Count, t.Unit))
		case f.Value == 0:
			items = append(items, fmt.Sprintf("全年%s不少于%d%s，截至%s尚未开展，须于%s前开展%d%s", rule.Label, rule.Count, t.Unit,
				ledger.FormatDate(b.req.Period.To), ledger.FormatDate(b.yearEnd()), rule.Count, t.Unit))
		case f.Value < rule.Count:
			items = append(items, fmt.Sprintf("全年%s不少于%d%s，截至%s已开展%s%s，须于%s前至少再开展%d%s", rule.Label, rule.Count, t.Unit,
				ledger.FormatDate(b.req.Period.To), tok, t.Unit, ledger.FormatDate(b.yearEnd()), rule.Count-f.Value, t.Unit))
		default:
			items = append(items, fmt.Sprintf("全年%s不少于%d%s的要求已完成（已有%s%s），%s继续按需开展", rule.Label, rule.Count, t.Unit, tok, t.Unit, b.vars()["{下期}"]))
		}
	}
	if !b.yearEnded() {
		for _, st := range b.topicStates() {
			switch {
			case st.Studied:
			case len(st.Overdue) > 0:
				items = append(items, fmt.Sprintf("补上年度学习计划中未按期开展的%s，于%s前组织学习必修课%s", b.planItemsIn(st.Topic.Code, st.Overdue),
					ledger.FormatDate(b.nextMonthEnd()), st.label()))
			case len(st.Later) > 0:
				items = append(items, fmt.Sprintf("按年度学习计划，于%s年%s组织学习必修课%s", b.req.Period.Key[:4], monthsText(st.Later[:1]), st.label()))
			default:
				items = append(items, fmt.Sprintf("将必修课%s纳入中心组学习安排，于%s前完成学习", st.label(), ledger.FormatDate(b.yearEnd())))
			}
		}
		for _, r := range b.results {
			if r.Subject.Kind == supervise.SubjectLeader && r.Rule.Type == ledger.PartyLecture && r.Deadline > b.req.Period.To && r.Count < r.Required {
				items = append(items, fmt.Sprintf("班子成员%s于%s前讲党课%d次", r.Subject.Name, ledger.FormatDate(r.Deadline), r.Required-r.Count))
			}
		}
	}
	if len(b.studyPlan) == 0 {
		items = append(items, fmt.Sprintf("制定%s年度学习计划并录入系统", b.planYear()))
	}
	if late := b.r.Figure("late_share"); late != nil && late.Value >= b.tpl.LateThreshold && b.r.Figure("late").Value > 0 {
		items = append(items, "坚持活动当日登记台账")
	}
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.plan.%d", i+1), Style: "p", Text: fmt.Sprintf("%d.%s。", i+1, it)})
	}
	return out, nil
}

// planYear is the year whose plan the next step concerns: this year within
// it, the next after a year's end.
func (b *builder) planYear() string {
	if b.yearEnded() {
		return b.vars()["{次年}"]
	}
	return b.req.Period.Key[:4]
}

// nextMonthEnd is the last day of the month after the period: the date by
// which an overdue plan item is made up.
func (b *builder) nextMonthEnd() string {
	end, err := time.ParseInLocation(cntime.DateLayout, b.req.Period.To, cntime.Zone)
	if err != nil {
		return b.yearEnd()
	}
	first := time.Date(end.Year(), end.Month()+1, 1, 0, 0, 0, 0, cntime.Zone)
	return first.AddDate(0, 1, -1).Format(cntime.DateLayout)
}
