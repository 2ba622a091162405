package report

import (
	"fmt"
	"strings"

	"zhendi/internal/ledger"
	"zhendi/internal/supervise"
)

// The 述职 is the leader's own account, in the first person, of what his
// records show he did: the 党课 he gave with title and date, the 调研 he
// led, the meetings on ideology he chaired, the 研判 reports he wrote or,
// as 第一责任人, the unit's 研判 he organised. An item he has no record of
// is left out, never written as a zero; his 不足 and 打算 are his own
// (his obligations behind, the unit's as 第一责任人).

// selfFigures are the 述职 subject's own counts beyond the five leads.
func (b *builder) selfFigures() error {
	who := b.who
	p := b.req.Period
	f := b.period(ledger.CentralGroup)
	f.PersonID = who.ID
	if _, err := b.ledgerFig("self_central", who.Name+"参加中心组集中学习", "次", typeDef(p, ledger.CentralGroup)+"中本人出席的", f); err != nil {
		return err
	}
	f = b.period(ledger.AnalysisReport)
	f.LeadID = who.ID
	if _, err := b.ledgerFig("self_analysis", who.Name+"撰写分析研判报告", "篇", typeDef(p, ledger.AnalysisReport)+"中撰写人为本人的", f); err != nil {
		return err
	}
	f = b.period(ledger.TopicStudy, ledger.LeadingGroup)
	f.LeadID = who.ID
	if _, err := b.ledgerFig("self_chaired", who.Name+"主持专题研究和领导小组会议", "次", typeDef(p, ledger.TopicStudy, ledger.LeadingGroup)+"中主持人为本人的", f); err != nil {
		return err
	}
	f = b.period(ledger.TopicStudy, ledger.LeadingGroup)
	f.PersonID = who.ID
	if _, err := b.ledgerFig("self_meetings", who.Name+"参加专题研究和领导小组会议", "次", typeDef(p, ledger.TopicStudy, ledger.LeadingGroup)+"中本人主持或出席的", f); err != nil {
		return err
	}
	return b.loadFields()
}

// own lists the subject's records of some types in the period, oldest
// first.
func (b *builder) own(types ...string) ([]ledger.Activity, error) {
	f := b.period(types...)
	f.LeadID = b.who.ID
	acts, err := b.src.Activities(b.ctx, f)
	if err != nil {
		return nil, fmt.Errorf("述职 records: %w", err)
	}
	for i, j := 0, len(acts)-1; i < j; i, j = i+1, j-1 {
		acts[i], acts[j] = acts[j], acts[i]
	}
	return acts, nil
}

// everyLabel is how often a rule repeats, for a sentence: 每月, 每季度,
// 每半年 or 全年.
func everyLabel(period string) string {
	switch period {
	case supervise.Monthly:
		return "每月"
	case supervise.Quarterly:
		return "每季度"
	case supervise.HalfYear:
		return "每半年"
	}
	return "全年"
}

// listActs names records as "2023年6月28日为机关第一党支部讲“…”".
func (b *builder) listActs(acts []ledger.Activity, verb string) string {
	var s []string
	for _, a := range acts {
		where := ""
		if a.OrgName != "" && a.OrgName != b.unit.Name && verb != "" {
			where = "为" + a.OrgName
		}
		title := strings.NewReplacer("“", "‘", "”", "’").Replace(a.Title) // quotes inside quotes
		s = append(s, ledger.FormatDate(a.Date)+where+verb+"“"+title+"”")
	}
	return strings.Join(s, "；")
}

// selfBlocks are the 履职情况 sections, numbered as they come: study,
// lectures, research, leading the work. A section without records is left
// out.
func (b *builder) selfBlocks() ([]Block, error) {
	var out []Block
	n := 0
	section := func(heading, text string) {
		out = append(out, Block{Key: fmt.Sprintf("auto.self.h%d", n+1), Style: "h2", Text: "（" + ordinal(n) + "）" + heading},
			Block{Key: fmt.Sprintf("auto.self.p%d", n+1), Style: "p", Text: text})
		n++
	}
	if b.holds("self_central") || b.holds("self_selfstudy") || b.holds("self_reflection") {
		section("带头学习，筑牢思想根基", "我坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务。{?self_central:全年参加党组理论学习中心组集中学习{self_central}次{?self_speech:，作中心发言{self_speech}次}。}"+
			"{?self_selfstudy:个人自学{self_selfstudy}次。}{?self_reflection:撰写学习心得体会{self_reflection}篇。}")
	}
	lectures, err := b.own(ledger.PartyLecture, ledger.Preach, ledger.BusinessLecture)
	if err != nil {
		return nil, err
	}
	if len(lectures) > 0 {
		section("带头讲党课，推动理论入脑入心", "我全年辅导讲课（讲党课、作宣讲、业务大讲堂授课）{self_lecture}次："+b.listActs(lectures, "讲")+"。")
	}
	research, err := b.own(ledger.Research)
	if err != nil {
		return nil, err
	}
	if len(research) > 0 {
		section("带头调查研究，掌握基层思想动态", "我全年牵头开展调查研究{self_research}次："+b.listActs(research, "")+"。")
	}
	chaired, err := b.own(ledger.TopicStudy, ledger.LeadingGroup)
	if err != nil {
		return nil, err
	}
	analysis, err := b.own(ledger.AnalysisReport)
	if err != nil {
		return nil, err
	}
	var lead []string
	if len(chaired) > 0 {
		lead = append(lead, "主持召开专题研究意识形态工作会议和意识形态工作领导小组会议{self_chaired}次（"+b.listActs(chaired, "")+"）")
	} else if b.holds("self_meetings") {
		lead = append(lead, "参加专题研究意识形态工作会议和意识形态工作领导小组会议{self_meetings}次")
	}
	if len(analysis) > 0 {
		lead = append(lead, "撰写意识形态分析研判报告{self_analysis}篇（"+b.listActs(analysis, "")+"）")
	} else if b.conds["role_first"] && b.holds("analysis_report") {
		lead = append(lead, "组织班子成员对意识形态领域情况进行分析研判，形成分析研判报告{analysis_report}篇")
	}
	if len(lead) > 0 {
		heading := "履行分管领域意识形态工作责任"
		switch {
		case b.conds["role_first"]:
			heading = "履行第一责任人职责，研究部署意识形态工作"
		case b.conds["role_direct"]:
			heading = "履行直接责任人职责，抓好组织实施"
		}
		section(heading, "我"+strings.Join(lead, "；")+"。")
	}
	out = append(out, b.fieldBlock(n)...)
	return out, nil
}

// ownGaps are the subject's own obligations behind at the end of the
// year, and as 第一责任人 the unit's.
func (b *builder) ownGaps() []supervise.Gap {
	var mine []supervise.Result
	for _, r := range b.results {
		if r.Deadline > b.req.Period.To {
			continue
		}
		if r.Rule.Type == ledger.Debrief {
			continue // this very report is his 述职
		}
		if (r.Subject.Kind == supervise.SubjectLeader && r.Subject.ID == b.who.ID) || (b.conds["role_first"] && r.Subject.Kind == supervise.SubjectUnit) {
			mine = append(mine, r)
		}
	}
	return supervise.Gaps(mine, b.req.Period.To)
}

// selfWeak is the leader's own 不足.
func (b *builder) selfWeak() []Block {
	var items []string
	for _, g := range b.ownGaps() {
		if g.Subject.Kind == supervise.SubjectLeader {
			items = append(items, fmt.Sprintf("%s落实不够，全年%s", cn(strings.TrimPrefix(g.Rule.Name, "班子成员")), cn(g.Phrase())))
		} else {
			items = append(items, fmt.Sprintf("作为第一责任人，%s抓得不够紧，全年%s%s", cn(g.Rule.Name), cn(g.Phrase()), g.ShortNote("未开展")))
		}
	}
	items = append(items, b.fieldWeak()...)
	if !b.holds("self_research") {
		items = append(items, "深入基层调查研究不够，全年没有牵头开展意识形态领域调查研究")
	}
	if !b.holds("self_reflection") {
		items = append(items, "学思践悟不够深入，全年没有撰写学习心得体会")
	}
	if len(items) == 0 {
		return []Block{{Key: "auto.selfweak.none", Style: "p", Text: "对照意识形态工作责任制要求，本人年度各项任务均已完成，但运用党的创新理论指导分管领域工作还有差距。"}}
	}
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.selfweak.%d", i+1), Style: "p", Text: ordinal(i) + "是" + it + "。"})
	}
	return out
}

// selfPlan is the leader's own 打算: each 不足 turned into next year's
// commitment.
func (b *builder) selfPlan() []Block {
	next := b.vars()["{次年}"]
	var items []string
	for _, g := range b.ownGaps() {
		name := cn(strings.TrimPrefix(g.Rule.Name, "班子成员"))
		switch {
		case g.Rule.PerPlan:
			items = append(items, fmt.Sprintf("%s年按年度学习计划逐月组织%s", next, name))
		default:
			items = append(items, fmt.Sprintf("%s年%s%s不少于%d%s", next, everyLabel(g.Rule.Period), name, g.Rule.Count, supervise.TypeUnit(g.Rule.Type)))
		}
	}
	items = append(items, b.fieldPlan(next)...)
	if !b.holds("self_research") {
		items = append(items, next+"年至少牵头开展1次意识形态领域调查研究")
	}
	if !b.holds("self_reflection") {
		items = append(items, next+"年结合集中学习撰写学习心得体会")
	}
	items = append(items, "继续落实意识形态工作责任制，在年度述职中如实报告意识形态工作落实情况")
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.selfplan.%d", i+1), Style: "p", Text: fmt.Sprintf("%d.%s。", i+1, it)})
	}
	return out
}
