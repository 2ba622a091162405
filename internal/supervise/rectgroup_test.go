package supervise

import "testing"

func TestGroupOpenRects(t *testing.T) {
	rects := []Rect{
		{ID: 1, Source: "compliance", Deadline: "2027-01-06", Status: RectOpen},
		{ID: 2, Source: "compliance", Deadline: "2027-01-06", Status: RectOpen},
		{ID: 3, Source: "inspection", Deadline: "2026-12-01", Status: RectDoing}, // past due
		{ID: 4, Source: "compliance", Deadline: "2026-11-20", Status: RectClosed},
		{ID: 5, Source: "supervision", Deadline: "2026-12-20", Status: RectReview},
		{ID: 6, Source: "compliance", Deadline: "2027-01-02", Status: RectOpen},
	}
	gs := GroupOpenRects(rects, "2026-12-07")
	if len(gs) != 3 {
		t.Fatalf("%d groups: %+v", len(gs), gs)
	}
	if gs[0].Source != "inspection" || gs[0].Overdue != 1 {
		t.Errorf("first group %+v, want the past-due inspection item", gs[0])
	}
	if gs[2].Label() != "督导自动发现 · 2027年1月截止" || len(gs[2].Items) != 3 || gs[2].Items[0].ID != 6 {
		t.Errorf("last group %s %+v", gs[2].Label(), gs[2].Items)
	}
}
