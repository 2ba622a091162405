package channel

import "zhendi/internal/cntime"

// Update frequency as the indicator judges it: not items per month but
// whether each channel was updated within its limit (动态要闻 2 weeks,
// 通知公告 6 months, 新媒体 2 weeks) — so the charts show, per 2-week
// period, how many items a channel published and how many days had passed
// since its last update at the period's end, against its limit.

// FreqPeriod is one 2-week period of a channel.
type FreqPeriod struct {
	From, To string // first and last day
	Items    int    // items published in the period
	// DaysSince is the days from the last update on or before To to To
	// (-1: none known).
	DaysSince int
}

// PeriodDays is the indicator's 2 weeks.
const PeriodDays = 14

// UpdateFreq splits the n 2-week periods ending on end (oldest first) and
// counts a channel's publication days (day → items) in each.
func UpdateFreq(pub map[string]int, end string, n int) []FreqPeriod {
	t, ok := dayOf(end)
	if !ok || n <= 0 {
		return nil
	}
	out := make([]FreqPeriod, n)
	for i := range out {
		to := t.AddDate(0, 0, -PeriodDays*(n-1-i))
		out[i] = FreqPeriod{From: cntime.Date(to.AddDate(0, 0, 1-PeriodDays)), To: cntime.Date(to), DaysSince: -1}
	}
	for day, items := range pub {
		for i := range out {
			p := &out[i]
			if day >= p.From && day <= p.To {
				p.Items += items
			}
			if day <= p.To {
				d, _ := dayOf(day)
				to, _ := dayOf(p.To)
				if since := daysBetween(d, to); p.DaysSince < 0 || since < p.DaysSince {
					p.DaysSince = since
				}
			}
		}
	}
	return out
}

// LimitDays is the rule's limit in days as it applies to the channel on
// today (a limit in months is as long as those months are; 0: no limit).
func (f Fresh) LimitDays(today string) int {
	if f.Deadline != "" && f.Days >= 0 {
		return f.Days + f.Left
	}
	t, ok := dayOf(today)
	if !ok {
		return 0
	}
	switch {
	case f.Rule.Days > 0:
		return f.Rule.Days
	case f.Rule.Months > 0:
		return daysBetween(t.AddDate(0, -f.Rule.Months, 0), t)
	}
	return 0
}
