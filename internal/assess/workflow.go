package assess

import (
	"errors"
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// Assessment states: the unit assesses itself, submits, the district
// reviews each item and finishes the review, publishes the ranking, and
// freezes the numbers.
const (
	StateSelf      = "self"      // 自评中
	StateSubmitted = "submitted" // 已提交，待区级审核
	StateReviewed  = "reviewed"  // 区级审核完成
	StatePublished = "published" // 已发布
	StateFrozen    = "frozen"    // 已冻结：数字不再随台账变化
)

// StateLabel is the Chinese name of a state.
func StateLabel(s string) string {
	switch s {
	case StateSelf, "":
		return "自评中"
	case StateSubmitted:
		return "已提交待审核"
	case StateReviewed:
		return "已审核"
	case StatePublished:
		return "已发布"
	case StateFrozen:
		return "已冻结"
	}
	return s
}

// Assessment is one unit's assessment against one tree.
type Assessment struct {
	ID       int64
	TreeID   int64
	UnitID   int64
	UnitName string
	Year     int
	State    string
	// Frozen numbers (State frozen): the total and the lines as they were
	// when frozen, kept as written (see the store's frozen columns).
	FrozenAt    int64
	FrozenTotal float64
	SubmittedAt int64
	SubmittedBy int64
	ReviewedBy  int64
	ReturnNote  string
}

// Live reports whether automatic scores are still recomputed from the
// records: until the assessment is frozen.
func (a Assessment) Live() bool { return a.State != StateFrozen }

// Actions on an assessment.
const (
	ActSelf    = "self"    // save a self-assessment item
	ActSubmit  = "submit"  // unit submits
	ActReturn  = "return"  // district sends back to the unit
	ActReview  = "review"  // district scores an item
	ActFinish  = "finish"  // district finishes the review
	ActPublish = "publish" // district publishes
	ActFreeze  = "freeze"  // district freezes the numbers
)

// ActionLabel names an action.
func ActionLabel(act string) string {
	switch act {
	case ActSelf:
		return "自评"
	case ActSubmit:
		return "提交审核"
	case ActReturn:
		return "退回自评"
	case ActReview:
		return "审核评分"
	case ActFinish:
		return "完成审核"
	case ActPublish:
		return "发布"
	case ActFreeze:
		return "冻结"
	}
	return act
}

// ErrOwnUnit refuses a review of one's own unit.
var ErrOwnUnit = apperr.Field("审核", "不能审核本单位的考核")

// errState is the refusal of an action in the wrong state.
func errState(act, state string) error {
	return apperr.Field("状态", "考核“"+StateLabel(state)+"”时不能"+ActionLabel(act))
}

// Check says whether a may take act on the assessment: the unit's
// 第一责任人, 直接责任人 or 专干 self-assess and submit while it is 自评中;
// the district (never the unit itself) reviews, returns and finishes a
// submitted one, publishes a reviewed one and freezes a published one.
// A caller with no right at all gets apperr.ErrNotFound.
func Check(a Actor, as Assessment, act string) error {
	unit := as.UnitID
	switch act {
	case ActSelf, ActSubmit:
		if !CanSelfAssess(a, unit) {
			if a.District(unit) {
				return apperr.Field("自评", "自评由本单位填写")
			}
			return apperr.ErrNotFound
		}
		if as.State != StateSelf && as.State != "" {
			return errState(act, as.State)
		}
		return nil
	}
	if !a.District(unit) {
		if CanRead(a, unit) {
			return ErrOwnUnit
		}
		return apperr.ErrNotFound
	}
	want := map[string]string{ActReturn: StateSubmitted, ActReview: StateSubmitted, ActFinish: StateSubmitted, ActPublish: StateReviewed, ActFreeze: StatePublished}
	w, ok := want[act]
	if !ok {
		return errors.New("assess: unknown action " + act)
	}
	if as.State != w {
		return errState(act, as.State)
	}
	return nil
}

// Next is the state after act.
func Next(act, state string) string {
	switch act {
	case ActSubmit:
		return StateSubmitted
	case ActReturn:
		return StateSelf
	case ActFinish:
		return StateReviewed
	case ActPublish:
		return StatePublished
	case ActFreeze:
		return StateFrozen
	}
	return state
}

// CheckSubmit requires every manual item to be self-scored, with evidence
// where the item asks for it.
func CheckSubmit(t Tree, items map[int64]Item) error {
	var es apperr.Errors
	for _, ind := range t.Indicators {
		if ind.Method != Manual {
			continue
		}
		it := items[ind.ID]
		if it.Self == nil {
			es = append(es, apperr.Field(ind.Name, "尚未自评"))
		} else if strings.TrimSpace(it.Evidence) == "" {
			es = append(es, apperr.Field(ind.Name, "须填写佐证："+ind.Evidence))
		}
	}
	return es.OrNil()
}

// ValidateSelf checks a self-assessment of an item.
func ValidateSelf(ind Indicator, score float64, evidence string) error {
	if ind.Method != Manual {
		return apperr.Field("得分", "自动计分的指标由系统根据台账计算，不能自评")
	}
	if err := scoreInRange(ind, score); err != nil {
		return err
	}
	if utf8.RuneCountInString(evidence) > 500 {
		return apperr.Field("佐证", "不能超过 500 个字")
	}
	return nil
}

// ValidateReview checks a district's score of an item: in range, and a
// reason whenever it differs from the score before review.
func ValidateReview(ind Indicator, before, score float64, reason string) error {
	if err := scoreInRange(ind, score); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if round2(before) != round2(score) && reason == "" {
		return apperr.Field("调整理由", "调整得分须写明理由")
	}
	if utf8.RuneCountInString(reason) > 300 {
		return apperr.Field("调整理由", "不能超过 300 个字")
	}
	return nil
}

func scoreInRange(ind Indicator, v float64) error {
	if ind.Rule == RulePenalty {
		if v > 0 || (ind.Cap > 0 && v < -ind.Cap) {
			return apperr.Field("得分", "扣分项的得分须在 -"+num(ind.capOr(100))+" 到 0 之间")
		}
		return nil
	}
	if v < 0 || v > ind.Points {
		return apperr.Field("得分", "须在 0 到 "+num(ind.Points)+" 之间")
	}
	return nil
}
