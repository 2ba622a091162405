package opinion

import (
	"math"
	"testing"
	"time"
)

// TestAssignScriptedStream feeds a scripted stream of scheme hits through
// Assign and checks the events that come out.
func TestAssignScriptedStream(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	explosion := "化工园区东区仓库发生爆炸，现场浓烟滚滚，消防正在扑救，暂无人员伤亡报告。"
	leak := "化工园区西区一家企业储罐泄漏，周边居民闻到刺鼻气味，环保部门已到场监测。"
	type step struct {
		hours  float64
		text   string
		scheme int64
		want   string // event label the item must land in
	}
	stream := []step{
		{0, explosion, 1, "A"},
		{0.5, "转发：" + explosion, 1, "A"},          // a repost
		{1, "化工园区爆炸现场视频，浓烟很大", 1, "A"},            // same scheme, within the window, textually far: joins the latest
		{2, leak, 1, "A"},                         // still the scheme's only open event
		{3, explosion, 2, "B"},                    // another scheme: its own event
		{80, "化工园区又发生爆炸", 1, "C"},                 // 77 h after the last item of A: the window has closed
		{81, explosion + "（更新：已确认无人员伤亡）", 1, "C"}, // the open event of the scheme is now C
		{200, "某化工园区完成应急演练", 2, "D"},              // B closed long ago
		{-1, explosion + " 补充", 1, "A"},           // a late item published an hour before A began
		{78, explosion + "（三日后回顾）", 1, "C"},       // A's last item (hour 2) is 76 h back: only C is open
	}
	cfg := DefaultClusterConfig()
	var open []EventState
	var labels []string
	for i, s := range stream {
		it := Item{Published: t0.Add(time.Duration(s.hours * float64(time.Hour))), Text: s.text}
		h := SimHash(it.Text)
		idx, ok := Assign(open, it, h, s.scheme, cfg)
		if !ok {
			open = append(open, EventState{ID: int64(len(open) + 1), SchemeID: s.scheme, SimHash: h})
			labels = append(labels, s.want)
			idx = len(open) - 1
		}
		open[idx] = open[idx].Update(it)
		if got := labels[idx]; got != s.want {
			t.Errorf("item %d (%q) went to event %s, want %s", i, s.text, got, s.want)
		}
	}
	if len(open) != 4 {
		t.Fatalf("%d events, want 4: %+v", len(open), open)
	}
	a := open[0]
	if a.Count != 5 || !a.First.Equal(t0.Add(-time.Hour)) || !a.Last.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("event A: %+v", a)
	}
	if c := open[2]; c.Count != 3 || !c.First.Equal(t0.Add(78*time.Hour)) {
		t.Errorf("event C: %+v", c)
	}
}

func TestAssignPrefersTheCloserText(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	a := "城东化工厂储罐爆炸起火，浓烟滚滚，附近居民紧急疏散，消防车已赶到现场。"
	b := "城西化工园区发生氯气泄漏，多名工人出现中毒症状，已送医院抢救治疗。"
	open := []EventState{
		{ID: 1, SchemeID: 1, First: t0, Last: t0.Add(2 * time.Hour), SimHash: SimHash(a), Count: 3},
		{ID: 2, SchemeID: 1, First: t0, Last: t0.Add(time.Hour), SimHash: SimHash(b), Count: 2},
	}
	cfg := DefaultClusterConfig()
	it := Item{Published: t0.Add(3 * time.Hour), Text: "城西化工园区发生氯气泄漏，多名工人出现中毒症状，已送医院"}
	if idx, ok := Assign(open, it, SimHash(it.Text), 1, cfg); !ok || idx != 1 {
		t.Errorf("Assign = %d, %v; want the leak event (1) although the explosion event is more recent", idx, ok)
	}
	// With SameSchemeJoins off, a far text starts an event of its own.
	cfg.SameSchemeJoins = false
	far := Item{Published: t0.Add(3 * time.Hour), Text: "市民反映公交站台广告牌松动，存在安全隐患，希望尽快处理。"}
	if _, ok := Assign(open, far, SimHash(far.Text), 1, cfg); ok {
		t.Error("a far text joined an event although SameSchemeJoins is off")
	}
	// A hit without a fingerprint (too short) has no text evidence: with
	// SameSchemeJoins it goes to the most recent open event.
	cfg.SameSchemeJoins = true
	short := Item{Published: t0.Add(3 * time.Hour), Text: "又炸了"}
	if idx, ok := Assign(open, short, SimHash(short.Text), 1, cfg); !ok || idx != 0 {
		t.Errorf("short hit went to %d, %v", idx, ok)
	}
	if _, ok := Assign(open, it, SimHash(it.Text), 2, cfg); ok {
		t.Error("an item joined an event of another scheme")
	}
}

func TestHeat(t *testing.T) {
	flat := make([]int, 24)
	for i := range flat {
		flat[i] = 1
	}
	// 24 items, no growth: 15·ln(25) = 48.28
	if h := Heat(flat, 1); math.Abs(h-15*math.Log(25)) > 1e-9 {
		t.Errorf("Heat(flat) = %v", h)
	}
	// Doubling weight doubles heat (under the cap).
	if h := Heat(flat, 1.5); math.Abs(h-1.5*15*math.Log(25)) > 1e-9 {
		t.Errorf("Heat(flat, 1.5) = %v", h)
	}
	// Growth: last 3 hours 12, the 3 before 3 → (12−3)/(3+1) = 2.25.
	grow := []int{0, 0, 0, 1, 1, 1, 4, 4, 4}
	if g := Growth(grow); math.Abs(g-2.25) > 1e-9 {
		t.Errorf("Growth = %v", g)
	}
	if h := Heat(grow, 1); math.Abs(h-15*math.Log(16)*(1+2.25/2)) > 1e-9 {
		t.Errorf("Heat(grow) = %v", h)
	}
	// Clamps and edges.
	if g := Growth([]int{0, 0, 0, 0, 0, 100}); g != 4 {
		t.Errorf("Growth is not capped at 4: %v", g)
	}
	if g := Growth([]int{9, 9, 9, 0, 0, 0}); g != 0 {
		t.Errorf("falling volume has growth %v", g)
	}
	if Heat(nil, 1) != 0 || Heat([]int{0, 0}, 1) != 0 || Heat([]int{5}, 0) != 0 {
		t.Error("no volume or no weight must be heat 0")
	}
	big := []int{10000}
	if Heat(big, 2) != 100 {
		t.Errorf("heat not capped at 100: %v", Heat(big, 2))
	}
	// Items older than 24 hours do not count.
	old := append([]int{500}, make([]int, 24)...)
	if Heat(old, 1) != 0 {
		t.Errorf("items older than 24 hours count: %v", Heat(old, 1))
	}
	if HeatFormula == "" {
		t.Error("no formula to show")
	}
}
