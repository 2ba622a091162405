package report

import (
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
