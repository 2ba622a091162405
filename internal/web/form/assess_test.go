package form

import (
	"net/url"
	"strings"
	"testing"
)

func TestAssessForms(t *testing.T) {
	i, err := Indicator(url.Values{"name": {" 信息报送 "}, "category": {"三、研判宣传"}, "points": {"１０"}, "per": {"0.25"}, "cap": {""}, "method": {"auto"},
		"scorer": {"info_points"}, "rule": {"per"}, "veto": {"1"}})
	if err != nil || i.Name != "信息报送" || i.Points != 10 || i.Per != 0.25 || i.Cap != 0 || !i.Veto || i.Bonus {
		t.Fatalf("Indicator = %+v %v", i, err)
	}
	if _, err := Indicator(url.Values{"points": {"十分"}}); err == nil || !strings.Contains(err.Error(), "分值：须为数字") {
		t.Errorf("bad points: %v", err)
	}
	if _, err := AssessItemForm(url.Values{"indicator": {"3"}}); err == nil || !strings.Contains(err.Error(), "得分：不能为空") {
		t.Errorf("empty score: %v", err)
	}
	it, err := AssessItemForm(url.Values{"indicator": {"3"}, "score": {"4.5"}, "reason": {" 晚报 "}})
	if err != nil || it.Score != 4.5 || it.Reason != "晚报" || it.IndicatorID != 3 {
		t.Errorf("item = %+v %v", it, err)
	}
	c := Case(url.Values{"person_id": {"5", "x", "7"}, "person_resp": {"直接责任", "主要领导责任", "重要领导责任"}, "decided": {" 2023-08-20 "}, "in_assessment": {"1"}})
	if len(c.Persons) != 2 || c.Persons[1].UserID != 7 || c.Persons[1].Resp != "重要领导责任" || c.Dates[4] != "2023-08-20" || !c.InAssessment {
		t.Errorf("Case = %+v", c)
	}
	d := Debrief(url.Values{"person": {"9"}, "year": {"2023"}, "good": {"30"}, "poor": {"-1"}})
	if d.UserID != 9 || d.Good != 30 || d.Poor != -1 {
		t.Errorf("Debrief = %+v", d)
	}
}
