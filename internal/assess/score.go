package assess

import (
	"cmp"
	"math"
	"slices"
)

// Ref is one record behind an automatic score (provenance): what it is and
// where it opens.
type Ref struct {
	Kind  string // "activity", "rect", "info", "rule", "case", "debrief", "inclusion"
	ID    int64
	Label string
	Link  string
	// Miss marks a record that counts against the unit (a missed period,
	// a late rectification).
	Miss bool
}

// Measure is what a scorer found for one unit: counts and the records.
type Measure struct {
	Count    int
	Required int
	Failures int
	Refs     []Ref
	Note     string // how it was counted ("按季度：4/4")
	// NA, when set, says why the item genuinely does not apply to the unit
	// this year (no rectification item fell due, no opinion incident
	// occurred). Only a scorer that can tell "nothing happened that the
	// item judges" from "nothing was recorded" sets it; a missing record
	// of a due obligation is a failure, never NA (see ScoringRule).
	NA string
}

// ScoringRule is the rule for units without records, shown on the
// assessment page and in the 通报 so every unit knows it before it scores.
const ScoringRule = "应当履行的义务没有记录的，按未完成计分（不是“无从评价”）：没有登记班子成员、党支部或阵地的，相应指标计0分。" +
	"只有本年度确实不涉及的指标（如全年没有到期的整改事项、没有发生舆情事件）标为“不适用”并注明原因，不计分；" +
	"基本分按适用指标的得分率折算：基本分 = 适用指标得分 ÷ 适用指标分值 × 满分。" +
	"因此没有任何记录的单位，得分不会高于记录不全的单位。确属不适用而系统未能识别的，由区级审核改分并写明理由。"

// Item is one indicator's inputs for one unit: the measurement (automatic),
// the self-assessment and the district's review.
type Item struct {
	Measure    *Measure
	Self       *float64
	SelfVeto   bool
	SelfNote   string
	Evidence   string
	Review     *float64
	ReviewVeto *bool
	Reason     string
	ReviewerID int64
}

// Line is one indicator scored.
type Line struct {
	Indicator Indicator
	Item      Item
	Auto      float64 // the computed score of an automatic item
	Score     float64 // the score that counts
	Vetoed    bool
	// By says where Score comes from: "auto", "self", "review" or "" (not yet scored).
	By string
	// NA is why the item does not apply (from its measure, when the
	// district has not scored it by review); the item then counts neither
	// in the score nor in the full marks the base is scaled from.
	NA string
}

// Result is a unit scored against a tree.
type Result struct {
	Lines []Line
	Base  float64 // the ordinary items, scaled to FullMarks when some do not apply
	// Raw is the sum of the ordinary items that apply, and NAPoints the
	// points of those that do not: Base = Raw × FullMarks / (FullMarks − NAPoints).
	Raw       float64
	NAPoints  float64
	Bonus     float64 // bonus items, after BonusCap
	Penalty   float64 // ≤ 0: penalty items
	Total     float64
	FullMarks float64
	Vetoed    bool
	VetoBy    []string
	// Weighted is Total × Tree.Weight / 100: the points it brings to the
	// unit's overall 目标绩效 score.
	Weighted float64
}

// round2 rounds to hundredths, half away from zero, so 0.1+0.2 sums show as 0.3.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Points turns a measurement into the item's score by its rule. Nothing
// to judge is not full marks: a ratio with nothing required scores only
// when there is a record, and a deduction with nothing judged (no leader,
// branch or channel registered to hold the obligation) scores zero. An
// item that does not apply (m.NA) scores zero here and is taken out of the
// full marks by Score.
func Points(ind Indicator, m Measure) float64 {
	if m.NA != "" {
		return 0
	}
	var v float64
	switch ind.Rule {
	case RuleRatio:
		req := ind.Required
		if req == 0 {
			req = m.Required
		}
		switch {
		case req > 0:
			v = ind.Points * float64(min(max(m.Count, 0), req)) / float64(req)
		case m.Count > 0:
			v = ind.Points
		}
	case RulePer:
		v = min(float64(max(m.Count, 0))*ind.Per, ind.capOr(ind.Points))
	case RuleDeduct:
		if m.Required <= 0 && m.Failures <= 0 {
			break
		}
		v = max(ind.Points-min(float64(max(m.Failures, 0))*ind.Per, ind.capOr(ind.Points)), 0)
	case RulePenalty:
		d := float64(max(m.Failures, 0)) * ind.Per
		if ind.Cap > 0 {
			d = min(d, ind.Cap)
		}
		v = -d
	}
	return round2(v)
}

// clampManual keeps a hand-given score within what the item allows.
func clampManual(ind Indicator, v float64) float64 {
	if ind.Rule == RulePenalty {
		lo := -math.MaxFloat64
		if ind.Cap > 0 {
			lo = -ind.Cap
		}
		return round2(min(max(v, lo), 0))
	}
	return round2(min(max(v, 0), ind.Points))
}

// Score computes a unit's result: each item's score (the district's review
// when given, else the automatic measure, else the self-assessment), the
// ordinary items scaled to the full marks when some do not apply
// (ScoringRule), the bonus within its cap, the penalties, and a single
// veto, which sets the total to zero whatever the rest.
func Score(t Tree, items map[int64]Item) Result {
	r := Result{FullMarks: t.FullMarks()}
	var bonus float64
	for _, ind := range t.Indicators {
		it := items[ind.ID]
		l := Line{Indicator: ind, Item: it}
		if ind.Method == Auto && it.Measure != nil {
			l.Auto = Points(ind, *it.Measure)
			l.Score, l.By, l.NA = l.Auto, "auto", it.Measure.NA
			l.Vetoed = ind.Veto && it.Measure.Failures > 0 && l.NA == ""
		} else if it.Self != nil {
			l.Score, l.By = clampManual(ind, *it.Self), "self"
			l.Vetoed = ind.Veto && it.SelfVeto
		}
		if it.Review != nil {
			l.Score, l.By, l.NA = clampManual(ind, *it.Review), "review", ""
		}
		if it.ReviewVeto != nil {
			l.Vetoed = ind.Veto && *it.ReviewVeto
		}
		switch {
		case ind.Rule == RulePenalty:
			r.Penalty += l.Score
		case ind.Bonus:
			bonus += l.Score
		case l.NA != "":
			r.NAPoints += ind.Points
		default:
			r.Raw += l.Score
		}
		if l.Vetoed {
			r.Vetoed = true
			r.VetoBy = append(r.VetoBy, ind.Name)
		}
		r.Lines = append(r.Lines, l)
	}
	r.Raw, r.NAPoints = round2(r.Raw), round2(r.NAPoints)
	r.Base = r.Raw
	if r.NAPoints > 0 {
		if applicable := r.FullMarks - r.NAPoints; applicable > 0 {
			r.Base = round2(r.Raw * r.FullMarks / applicable)
		}
	}
	r.Bonus = round2(min(bonus, t.BonusCap))
	r.Penalty = round2(r.Penalty)
	r.Total = round2(max(r.Base+r.Bonus+r.Penalty, 0))
	if r.Vetoed {
		r.Total = 0
	}
	r.Weighted = round2(r.Total * t.Weight / 100)
	return r
}

// Ranked is one unit in the ranking.
type Ranked struct {
	UnitID int64
	Name   string
	Result Result
	State  string
	Rank   int
}

// Rank orders units by total, highest first; equal totals share a rank
// (1, 1, 3) and are listed by name. A vetoed unit sits at zero with the rest.
func Rank(units []Ranked) []Ranked {
	out := slices.Clone(units)
	slices.SortStableFunc(out, func(a, b Ranked) int {
		if c := cmp.Compare(b.Result.Total, a.Result.Total); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.UnitID, b.UnitID)
	})
	for i := range out {
		if i > 0 && out[i].Result.Total == out[i-1].Result.Total {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}

// Applicable is the full marks of the ordinary items that apply: what Raw
// is out of.
func (r Result) Applicable() float64 { return round2(r.FullMarks - r.NAPoints) }
