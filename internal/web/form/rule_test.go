package form

import (
	"net/url"
	"testing"

	"zhendi/internal/supervise"
)

func TestRule(t *testing.T) {
	v := url.Values{"unit": {"7"}, "key": {" topic_study "}, "name": {"专题研究"}, "subject": {"unit"}, "type": {"topic_study"},
		"count": {"３"}, "period": {"year"}, "per_plan": {"1"}, "due_month": {"11"}, "grace_days": {"15"}, "remind_days": {"x"},
		"resp": {"12"}, "note": {" 本单位要求 "}}
	r := Rule(v)
	want := supervise.Rule{UnitID: 7, Key: "topic_study", Name: "专题研究", Subject: "unit", Type: "topic_study", Count: 3, Period: "year",
		PerPlan: true, DueMonth: 11, GraceDays: 15, RemindDays: 0, RespUserID: 12, Note: "本单位要求"}
	if r != want {
		t.Errorf("Rule = %+v\nwant %+v", r, want)
	}
	if Rule(url.Values{"per_plan": {"on"}}).PerPlan {
		t.Error("per_plan other than 1 read as checked")
	}
	if unit, key := RuleRetire(url.Values{"unit": {"7"}, "key": {"custom-1"}}); unit != 7 || key != "custom-1" {
		t.Errorf("RuleRetire = %d %q", unit, key)
	}
}
