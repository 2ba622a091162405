package opinion

import (
	"math"
	"time"
)

// EventState is what clustering needs to know of an open event: its
// scheme, when it was first and last seen, the fingerprint of its
// representative item and how many items it holds.
type EventState struct {
	ID       int64
	SchemeID int64
	First    time.Time
	Last     time.Time
	SimHash  uint64 // fingerprint of the representative item (the first with one, unless merged by hand); 0: none yet
	Count    int
}

// ClusterConfig tunes Assign.
type ClusterConfig struct {
	// Window: an item joins an event only if it is at most Window after
	// the event's last item (or before its first). 72 hours by default:
	// public attention to a local incident rarely pauses longer.
	Window time.Duration
	// MaxDistance: the largest Hamming distance between the item's
	// fingerprint and the event's for the item to join on text alone.
	// Unrelated texts are about 32 bits apart; versions of one report are
	// closer. 0 means DefaultMaxDistance.
	MaxDistance int
	// SameSchemeJoins: when true (the default config), an item that no
	// event is textually close to still joins the most recent open event
	// of its scheme within the window. A scheme is usually narrow enough
	// (化工厂 & 爆炸 in one district) that its hits within three days are
	// one event; fingerprints of short posts about the same incident can
	// be far apart. Set it false for broad schemes.
	SameSchemeJoins bool
}

// DefaultMaxDistance is ClusterConfig.MaxDistance when left 0. On the
// Weibo corpus (event_measure_test.go), of 20,000 random pairs of posts
// from different threads none were within 15 bits and 12 within 18; of
// pairs from one thread 0.5 % were within 15: the fingerprint is a sure
// but rare sign of one event (comments on an event rarely repeat its
// words), which is why SameSchemeJoins exists.
const DefaultMaxDistance = 15

// DefaultClusterConfig returns the configuration zhendi uses.
func DefaultClusterConfig() ClusterConfig {
	return ClusterConfig{Window: 72 * time.Hour, MaxDistance: DefaultMaxDistance, SameSchemeJoins: true}
}

// Assign picks the open event a scheme hit belongs to: among events of
// the same scheme whose time span, widened by Window, contains it.When(),
// the one with the closest fingerprint if that is within MaxDistance;
// otherwise, with SameSchemeJoins, the one seen most recently. It returns
// the index into open, or ok = false when the item starts a new event.
// Ties go to the lower index, so the result does not depend on map order
// in the caller.
func Assign(open []EventState, it Item, hash uint64, schemeID int64, cfg ClusterConfig) (index int, ok bool) {
	if cfg.Window <= 0 {
		cfg.Window = 72 * time.Hour
	}
	if cfg.MaxDistance <= 0 {
		cfg.MaxDistance = DefaultMaxDistance
	}
	t := it.When()
	bestText, bestDist := -1, cfg.MaxDistance+1
	recent := -1
	for i, e := range open {
		if e.SchemeID != schemeID {
			continue
		}
		if t.After(e.Last.Add(cfg.Window)) || t.Before(e.First.Add(-cfg.Window)) {
			continue
		}
		if e.SimHash == 0 || hash == 0 {
			// No fingerprint on one side (a text under MinNearRunes): no
			// text evidence either way.
		} else if d := Hamming(e.SimHash, hash); d < bestDist {
			bestText, bestDist = i, d
		}
		if recent < 0 || e.Last.After(open[recent].Last) {
			recent = i
		}
	}
	switch {
	case bestText >= 0:
		return bestText, true
	case cfg.SameSchemeJoins && recent >= 0:
		return recent, true
	}
	return 0, false
}

// Update returns the event with it added.
func (e EventState) Update(it Item) EventState {
	t := it.When()
	if e.Count == 0 || t.Before(e.First) {
		e.First = t
	}
	if e.Count == 0 || t.After(e.Last) {
		e.Last = t
	}
	e.Count++
	return e
}

// HeatFormula explains Heat on the event page.
const HeatFormula = "热度 = 来源权重 × 15 × ln（1 + 近24小时条数）×（1 + 增长率 ÷ 2），最高 100；" +
	"增长率 =（近3小时条数 − 前3小时条数）÷（前3小时条数 + 1），取 0 到 4 之间；" +
	"来源权重为各条目来源权重的平均值（默认 1，权威媒体可设为 1.5）。"

// Heat scores an event from 0 to 100 as HeatFormula says. hourly holds
// the event's item counts per hour, oldest first, the last entry being
// the current hour; sourceWeight is the mean weight of the items'
// sources (1 when all are ordinary).
func Heat(hourly []int, sourceWeight float64) float64 {
	sum := func(from, to int) float64 { // hours [from, to) counted back from now
		s := 0
		for h := from; h < to && h < len(hourly); h++ {
			s += hourly[len(hourly)-1-h]
		}
		return float64(s)
	}
	v := sum(0, 24)
	if v == 0 || sourceWeight <= 0 {
		return 0
	}
	heat := sourceWeight * 15 * math.Log1p(v) * (1 + Growth(hourly)/2)
	return math.Min(100, heat)
}

// Growth is the growth rate Heat uses: (last 3 hours − the 3 before) ÷
// (the 3 before + 1), clamped to [0, 4].
func Growth(hourly []int) float64 {
	var recent, before int
	for h := 0; h < 6 && h < len(hourly); h++ {
		if h < 3 {
			recent += hourly[len(hourly)-1-h]
		} else {
			before += hourly[len(hourly)-1-h]
		}
	}
	g := float64(recent-before) / float64(before+1)
	return math.Max(0, math.Min(4, g))
}
