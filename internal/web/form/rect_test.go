package form

import (
	"net/url"
	"testing"

	"zhendi/internal/supervise"
)

func TestRect(t *testing.T) {
	v := url.Values{"title": {"栏目未更新"}, "source": {"inspection"}, "org": {"5"}, "owner": {"bad"}, "measures": {"每周更新"},
		"deadline": {"2023-07-31"}, "progress": {"  已更新  "}}
	r := Rect(v)
	if r.Title != "栏目未更新" || r.Source != "inspection" || r.OrgID != 5 || r.OwnerID != 0 || r.Measures != "每周更新" ||
		r.Deadline != "2023-07-31" || r.Progress != "已更新" {
		t.Errorf("Rect = %+v", r)
	}
	if step, note := RectStep(url.Values{"step": {"reject"}, "note": {"佐证不足"}}); step != supervise.StepReject || note != "佐证不足" {
		t.Errorf("RectStep = %q %q", step, note)
	}
}
