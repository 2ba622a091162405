package channel

import (
	"fmt"
	"math"
	"time"

	"zhendi/internal/cntime"
)

// Light is a channel's state on the dashboard.
type Light string

// Lights.
const (
	Green Light = "green" // within its limit
	Amber Light = "amber" // close to its limit (WarnDays), or its last check failed
	Red   Light = "red"   // past its limit, never updated, or failing a single veto
	Grey  Light = "grey"  // not judged: no rule, paused or closed
)

// Label is the light in Chinese.
func (l Light) Label() string {
	switch l {
	case Green:
		return "正常"
	case Amber:
		return "临期"
	case Red:
		return "超期"
	}
	return "不考核"
}

// WarnDays is how many days before its deadline a channel turns amber and
// its responsible person is reminded.
const WarnDays = 3

// Fresh is how a channel stands against its update rule on a day.
type Fresh struct {
	Rule  Rule
	Light Light
	// Days since the last update (-1: no dated update known).
	Days int
	// Deadline is the last day the last update still counts ("" without one).
	Deadline string
	// Left is the days until Deadline (negative: past it).
	Left int
	// Stale: past the limit or with no dated update.
	Stale bool
}

// DaysText is "距上次更新 N 天" or "无更新记录".
func (f Fresh) DaysText() string {
	if f.Days < 0 {
		return "无更新记录"
	}
	return fmt.Sprintf("距上次更新 %d 天", f.Days)
}

// dayOf parses a date, reporting whether it was one.
func dayOf(s string) (time.Time, bool) {
	t, err := cntime.ParseDate(s)
	return t, err == nil
}

// daysBetween counts calendar days from a to b (dates at midnight, China).
func daysBetween(a, b time.Time) int {
	// Round rather than truncate: a day across a DST change in another zone
	// would be 23 or 25 hours (China has none, but the arithmetic need not
	// rely on it).
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// Judge says how channel c stands on day today under the rules of its unit
// (the one in force today, see RuleAt). A channel that is paused or closed,
// or whose type has no limit, is not judged. "未注明信息发布时间的视为不更新":
// a channel with no dated update is stale.
func Judge(c Channel, unitRules []Rule, today string) Fresh {
	r := RuleAt(unitRules, c.Kind, c.Class, today)
	f := Fresh{Rule: r, Light: Grey, Days: -1}
	now, ok := dayOf(today)
	if !ok {
		return f
	}
	if last, ok := dayOf(c.LastUpdate); ok {
		// An update dated after today (a clock set wrong somewhere) counts
		// as today's.
		if last.After(now) {
			last = now
		}
		f.Days = daysBetween(last, now)
		if !r.None() {
			dl := r.Deadline(last)
			f.Deadline = cntime.Date(dl)
			f.Left = daysBetween(now, dl)
		}
	}
	if c.Status != Running || r.None() {
		return f
	}
	switch {
	case f.Days < 0 || f.Left < 0:
		f.Stale, f.Light = true, Red
	case f.Left <= WarnDays:
		f.Light = Amber
	default:
		f.Light = Green
	}
	if f.Light == Green && c.Method.Automatic() && c.LastCheckAt != 0 && !c.LastCheckOK {
		f.Light = Amber
	}
	return f
}
