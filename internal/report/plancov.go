package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zhendi/internal/ledger"
)

// Plan-vs-actual of the required topics (必修课). Each topic is in one of
// four states at the end of the period:
//
//   - 已学习: the ledger has a record carrying the topic since 1 January;
//   - 已安排未按期开展: not studied, and the plan scheduled it in a month
//     that has ended (the overdue plan item);
//   - 已安排: not studied, scheduled in a later month (not a shortfall);
//   - 未安排: not studied and not in the plan (only when there is a plan:
//     without one nothing can be said about what was arranged).

// topicState is one required topic against the plan.
type topicState struct {
	Topic   ledger.Topic
	Studied bool
	Overdue []int // months of plan items that have ended without the topic studied
	Later   []int // months still to come
	Planned bool
}

// label is the topic in quotes without book-title marks: “宣传部长会议精神”.
func (t topicState) label() string { return "“" + strings.Trim(t.Topic.Label, "《》") + "”" }

// planTopics are the required topics the year's plan lists, in the
// built-in order.
func (b *builder) planTopics() []string {
	var out []string
	for _, t := range ledger.RequiredTopics {
		for _, it := range b.studyPlan {
			if slices.Contains(it.RequiredTopics, t.Code) {
				out = append(out, t.Code)
				break
			}
		}
	}
	return out
}

// planTopicList names the plan's required topics: "党的二十大精神、乡村振兴…".
func (b *builder) planTopicList() string {
	var names []string
	for _, c := range b.planTopics() {
		names = append(names, ledger.TopicLabel(c))
	}
	return strings.Join(names, "、")
}

// topicStates judges every required topic against the plan and the
// ledger at the end of the period.
func (b *builder) topicStates() []topicState {
	endMonth, _ := strconv.Atoi(b.req.Period.To[5:7])
	var out []topicState
	for _, t := range ledger.RequiredTopics {
		st := topicState{Topic: t}
		if f := b.r.Figure("topic_" + t.Code); f != nil && f.Value > 0 {
			st.Studied = true
		}
		for _, it := range b.studyPlan {
			if !slices.Contains(it.RequiredTopics, t.Code) {
				continue
			}
			st.Planned = true
			if st.Studied {
				continue
			}
			if it.Month <= endMonth {
				st.Overdue = append(st.Overdue, it.Month)
			} else {
				st.Later = append(st.Later, it.Month)
			}
		}
		out = append(out, st)
	}
	return out
}

// monthsText writes months as "6月" or "6月、12月".
func monthsText(ms []int) string {
	var s []string
	for _, m := range ms {
		s = append(s, strconv.Itoa(m)+"月")
	}
	return strings.Join(s, "、")
}

// planItemsIn names the plan items of a topic in the given months:
// "6月“学习全省宣传部长会议精神”".
func (b *builder) planItemsIn(code string, months []int) string {
	var s []string
	for _, it := range b.studyPlan {
		if slices.Contains(it.RequiredTopics, code) && slices.Contains(months, it.Month) {
			s = append(s, strconv.Itoa(it.Month)+"月“"+it.Topic+"”")
		}
	}
	return strings.Join(s, "、")
}

// planItemFigures measure the year's plan item by item against the ledger
// (the activities recorded as carrying out each item, PlanItem.Done): the
// items due by the end of the period (their month has begun), those
// carried out by then, those carried out only after their month, and the
// ones not carried out, named in planMissed.
func (b *builder) planItemFigures() {
	p := b.req.Period
	endMonth, _ := strconv.Atoi(p.To[5:7])
	var due, late int
	done := []int64{}
	b.planMissed = nil
	for _, it := range b.studyPlan {
		if it.Month > endMonth {
			continue
		}
		due++
		monthEnd := fmt.Sprintf("%04d-%02d-31", it.Year, it.Month)
		first := ""
		for _, a := range it.Done {
			if a.Date <= p.To && (first == "" || a.Date < first) {
				first = a.Date
			}
		}
		switch {
		case first == "":
			// Quotation marks inside the quoted title become single ones.
			topic := strings.NewReplacer("“", "‘", "”", "’").Replace(it.Topic)
			b.planMissed = append(b.planMissed, strconv.Itoa(it.Month)+"月“"+topic+"”")
			continue
		case first > monthEnd:
			late++
		}
		for _, a := range it.Done {
			if a.Date <= p.To {
				done = append(done, a.ID)
			}
		}
	}
	slices.Sort(done)
	carried := due - len(b.planMissed)
	year := p.Key[:4]
	b.add(&Figure{Key: "plan_due", Label: "计划应开展的学习", Unit: "项", Value: due, Display: strconv.Itoa(due), Source: "derived",
		Def: fmt.Sprintf("%s年度学习计划中计划月份在%s以前（含当月）的计划项", year, ledger.FormatDate(p.To)), IDs: []int64{}})
	b.add(&Figure{Key: "plan_done", Label: "已按计划开展的学习", Unit: "项", Value: carried, Display: strconv.Itoa(carried), Source: "ledger",
		Def: fmt.Sprintf("计划应开展的学习中，台账有%s以前登记为落实该计划项的活动的项数", ledger.FormatDate(p.To)), IDs: done})
	b.add(&Figure{Key: "plan_late", Label: "晚于计划月份开展的学习", Unit: "项", Value: late, Display: strconv.Itoa(late), Source: "derived",
		Def: "已开展的计划项中，最早的落实活动晚于计划月份的项数", IDs: []int64{}})
	b.add(&Figure{Key: "plan_missed", Label: "未按计划开展的学习", Unit: "项", Value: len(b.planMissed), Display: strconv.Itoa(len(b.planMissed)), Source: "derived",
		Def: "计划应开展的学习中，台账没有落实该计划项的活动的项数", IDs: []int64{}})
}
