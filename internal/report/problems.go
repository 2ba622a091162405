package report

import (
	"fmt"
	"strings"

	"zhendi/internal/ledger"
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

// problems drafts 存在问题 from the data: annual obligations missed or
// behind, late records, one dominant study form, required topics not
// covered. Each problem is one paragraph with its figures as tokens.
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
		case b.yearEnded() && f.Value < rule.Count:
			items = append(items, fmt.Sprintf("年度工作要求落实不到位，全年%s%s%s，未达到不少于%d%s的要求", rule.Label, tok, t.Unit, rule.Count, t.Unit))
		case !b.yearEnded() && f.Value == 0:
			items = append(items, fmt.Sprintf("年度工作要求推进偏慢，截至%s%s%s%s，全年不少于%d%s的要求尚未启动", ledger.FormatDate(b.req.Period.To), rule.Label, tok, t.Unit, rule.Count, t.Unit))
		case !b.yearEnded() && f.Value*2 < rule.Count:
			items = append(items, fmt.Sprintf("年度工作要求推进偏慢，截至%s%s仅%s%s，距全年不少于%d%s的要求尚差%d%s", ledger.FormatDate(b.req.Period.To), rule.Label, tok, t.Unit, rule.Count, t.Unit, rule.Count-f.Value, t.Unit))
		}
	}
	if late := b.r.Figure("late_share"); late != nil && late.Value >= b.tpl.LateThreshold && b.r.Figure("late").Value > 0 {
		if b.r.Figure("imported").Value > 0 {
			// Imported history is stated apart, not counted as 补记.
			items = append(items, fmt.Sprintf("在制定和完善制度上重视多，在日常监督和管理上重视不够，%s的{total}条台账记录中，系统启用前导入{imported}条（不计入补记），其余记录中有{late}条在活动结束%d天后才补记，占{late_share}，存在事后集中补记的倾向",
				b.req.Period.Label, b.req.LateDays))
		} else {
			items = append(items, fmt.Sprintf("在制定和完善制度上重视多，在日常监督和管理上重视不够，%s登记的{total}条台账记录中有{late}条在活动结束%d天后才补记，占{late_share}，存在事后集中补记的倾向",
				b.req.Period.Label, b.req.LateDays))
		}
	}
	if top := b.r.Figure("study_top_share"); top != nil && top.Value >= b.tpl.FormThreshold && b.r.Figure("study_total").Value >= 5 {
		items = append(items, fmt.Sprintf("政治理论学习形式较为单一，%s{study_total}次理论学习活动中“%s”{study_top}次、占{study_top_share}，专题辅导、调查研究、交流研讨等形式运用不够",
			b.req.Period.Label, strings.TrimPrefix(strings.SplitN(top.Def, "”", 2)[0], "“")))
	}
	var missing []string
	for _, t := range ledger.RequiredTopics {
		if f := b.r.Figure("topic_" + t.Code); f != nil && f.Value == 0 {
			missing = append(missing, "“"+strings.Trim(t.Label, "《》")+"”")
		}
	}
	if len(missing) > 0 {
		items = append(items, fmt.Sprintf("学习计划执行不够全面，{topics_total}项必修课中已学习{topics_covered}项，%s尚未安排学习", strings.Join(missing, "、")))
	}
	if len(items) == 0 {
		return []Block{{Key: "auto.problems.none", Style: "p", Text: "对照年度工作要求和工作台账，" + b.req.Period.Label +
			"各项工作要求进度正常，台账登记及时，但运用理论指导实践、以学促干方面仍需下功夫。"}}
	}
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.problems.%d", i+1), Style: "p", Text: ordinal(i) + "是" + it + "。"})
	}
	return out
}

// plan drafts the remaining obligations with their dates.
func (b *builder) plan() ([]Block, error) {
	var items []string
	year := b.req.Period.Key[:4]
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
		case f.Value < rule.Count:
			items = append(items, fmt.Sprintf("全年%s不少于%d%s，截至%s已开展%s%s，须于%s前至少再开展%d%s", rule.Label, rule.Count, t.Unit,
				ledger.FormatDate(b.req.Period.To), tok, t.Unit, ledger.FormatDate(b.yearEnd()), rule.Count-f.Value, t.Unit))
		default:
			items = append(items, fmt.Sprintf("全年%s不少于%d%s的要求已完成（已有%s%s），%s继续按需开展", rule.Label, rule.Count, t.Unit, tok, t.Unit, b.vars()["{下期}"]))
		}
	}
	if !b.yearEnded() {
		planned, err := b.plannedMonths()
		if err != nil {
			return nil, err
		}
		for _, t := range ledger.RequiredTopics {
			f := b.r.Figure("topic_" + t.Code)
			if f == nil || f.Value > 0 {
				continue
			}
			label := "“" + strings.Trim(t.Label, "《》") + "”"
			if m, ok := planned[t.Code]; ok {
				items = append(items, fmt.Sprintf("按年度学习计划，于%s年%d月组织学习必修课%s", year, m, label))
			} else {
				items = append(items, fmt.Sprintf("将必修课%s纳入中心组学习安排，于%s前完成学习", label, ledger.FormatDate(b.yearEnd())))
			}
		}
	}
	if late := b.r.Figure("late_share"); late != nil && late.Value >= b.tpl.LateThreshold && b.r.Figure("late").Value > 0 {
		items = append(items, fmt.Sprintf("落实台账当日登记制度，活动结束后%d天内完成登记，每月核对一次台账", b.req.LateDays))
	}
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.plan.%d", i+1), Style: "p", Text: fmt.Sprintf("%d.%s。", i+1, it)})
	}
	return out, nil
}

// plannedMonths maps each required topic to the first month after the
// period in which the annual study plan schedules it.
func (b *builder) plannedMonths() (map[string]int, error) {
	out := map[string]int{}
	year := 0
	fmt.Sscanf(b.req.Period.Key[:4], "%d", &year)
	items, err := b.src.PlanItems(b.ctx, b.req.UnitID, year)
	if err != nil {
		return nil, fmt.Errorf("study plan: %w", err)
	}
	endMonth := 0
	fmt.Sscanf(b.req.Period.To[5:7], "%d", &endMonth)
	for _, it := range items {
		if it.Month <= endMonth {
			continue
		}
		for _, c := range it.RequiredTopics {
			if m, ok := out[c]; !ok || it.Month < m {
				out[c] = it.Month
			}
		}
	}
	return out, nil
}
