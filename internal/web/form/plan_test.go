package form

import (
	"net/url"
	"reflect"
	"testing"

	"zhendi/internal/ledger"
)

func TestPlanItem(t *testing.T) {
	v := url.Values{"year": {"２０２３"}, "month": {"7"}, "topic": {"学习《条例》"}, "topics": {"tiaoli"}, "form": {ledger.CentralGroup},
		"speaker_id": {"4"}, "speaker_name": {"张专干"}, "note": {"结合实际"}, "unit": {"2"}}
	want := ledger.PlanItem{Year: 2023, Month: 7, Topic: "学习《条例》", RequiredTopics: []string{"tiaoli"}, Form: ledger.CentralGroup,
		SpeakerID: 4, SpeakerName: "张专干", Note: "结合实际"}
	if got := PlanItem(v); !reflect.DeepEqual(got, want) {
		t.Fatalf("PlanItem =\n%+v\nwant\n%+v", got, want)
	}
	if PlanUnit(v) != 2 || PlanUnit(url.Values{"unit": {"x"}}) != 0 {
		t.Error("PlanUnit")
	}
}
