package form

import (
	"net/url"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/assess"
)

// Float reads a decimal field (full-width digits accepted); field is its
// Chinese name for the error. Empty is 0.
func Float(v url.Values, key, field string) (float64, error) {
	s := HalfWidthDigits(Text(v, key))
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return 0, apperr.Field(field, "须为数字")
	}
	return f, nil
}

// Indicator reads the indicator editor's form.
func Indicator(v url.Values) (assess.Indicator, error) {
	i := assess.Indicator{ID: ID(v, "iid"), Category: Text(v, "category"), Name: Text(v, "name"), Method: v.Get("method"), Scorer: v.Get("scorer"),
		Param: Text(v, "param"), Rule: v.Get("rule"), Required: Int(v, "required"), Veto: v.Get("veto") == "1", Bonus: v.Get("bonus") == "1",
		Evidence: Text(v, "evidence"), Source: Text(v, "source"), Sort: Int(v, "sort")}
	var es apperr.Errors
	var err error
	if i.Points, err = Float(v, "points", "分值"); err != nil {
		es = append(es, err.(*apperr.Error))
	}
	if i.Per, err = Float(v, "per", "每项分值"); err != nil {
		es = append(es, err.(*apperr.Error))
	}
	if i.Cap, err = Float(v, "cap", "上限"); err != nil {
		es = append(es, err.(*apperr.Error))
	}
	return i, es.OrNil()
}

// TreeSettings reads a tree's name, weight and bonus cap.
func TreeSettings(v url.Values) (name string, weight, bonusCap float64, err error) {
	name = Text(v, "name")
	if weight, err = Float(v, "weight", "权重"); err != nil {
		return
	}
	bonusCap, err = Float(v, "bonus_cap", "加分上限")
	return
}

// AssessItem is a posted score of one item: a self-assessment (note and
// evidence) or a review (reason).
type AssessItem struct {
	IndicatorID int64
	Score       float64
	Veto        bool
	Note        string
	Evidence    string
	Reason      string
}

// AssessItemForm reads it.
func AssessItemForm(v url.Values) (AssessItem, error) {
	it := AssessItem{IndicatorID: ID(v, "indicator"), Veto: v.Get("veto") == "1", Note: Text(v, "note"), Evidence: Text(v, "evidence"), Reason: Text(v, "reason")}
	if Text(v, "score") == "" {
		return it, apperr.Field("得分", "不能为空")
	}
	var err error
	it.Score, err = Float(v, "score", "得分")
	return it, err
}

// Duty reads a responsibility-list item.
func Duty(v url.Values) assess.Duty {
	return assess.Duty{ID: ID(v, "id"), UnitID: ID(v, "unit"), UserID: ID(v, "person"), Role: v.Get("role"), OrgID: ID(v, "org"),
		What: Text(v, "what"), Freq: v.Get("freq"), Due: Text(v, "due"), Evidence: v.Get("evidence")}
}

// Inclusion reads a 五个纳入 confirmation.
func Inclusion(v url.Values) assess.Inclusion {
	return assess.Inclusion{UnitID: ID(v, "unit"), Year: Int(v, "year"), Key: v.Get("item"), Done: v.Get("done") == "1",
		Evidence: Text(v, "evidence"), ActivityID: ID(v, "activity")}
}

// Debrief reads a 述职 record.
func Debrief(v url.Values) assess.Debrief {
	return assess.Debrief{ID: ID(v, "id"), UnitID: ID(v, "unit"), UserID: ID(v, "person"), Year: Int(v, "year"), Date: Text(v, "date"),
		Meeting: Text(v, "meeting"), Text: Text(v, "text"), Good: Int(v, "good"), Fair: Int(v, "fair"), Average: Int(v, "average"),
		Poor: Int(v, "poor"), FollowUps: Text(v, "follow_ups")}
}

// Case reads an accountability case: persons as parallel lists
// person_id / person_resp.
func Case(v url.Values) assess.Case {
	c := assess.Case{ID: ID(v, "id"), UnitID: ID(v, "unit"), Year: Int(v, "year"), Title: Text(v, "title"), Situation: v.Get("situation"),
		Facts: Text(v, "facts"), Evidence: Text(v, "evidence"), Method: v.Get("method"), Body: Text(v, "body"), ResultUse: Text(v, "result_use"),
		InAssessment: v.Get("in_assessment") == "1"}
	for i, k := range []string{"investigated", "determined", "notified", "defended", "decided"} {
		c.Dates[i] = Text(v, k)
	}
	ids, resps := v["person_id"], v["person_resp"]
	for i, s := range ids {
		id := ParseID(s)
		if id == 0 || i >= len(resps) {
			continue
		}
		c.Persons = append(c.Persons, assess.CasePerson{UserID: id, Resp: resps[i]})
	}
	return c
}
