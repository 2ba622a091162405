package channel

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"

	"zhendi/internal/cntime"
)

// Availability as the national indicator measures it (站点无法访问, 国办秘函
// 〔2019〕19号 and the 全国政府网站普查评分表 before it): “监测1周，每天间隔性访问
// 20次以上，超过（含）15秒网站仍打不开的次数比例累计超过（含）5%，即单项否决。”
//
// zhendi visits each running site's homepage ProbesPerDay times a day, once
// in each of the day's equal slots at a place in the slot fixed per site
// and shifted by a little jitter (NextProbe), so the visits are spread over
// the day, no two sites of a district hit their hosts at the same minute,
// and a site is never visited twice within a few minutes by the prober.
// Each visit is kept as 6 bytes in its day's row (EncodeSample), with the
// day's total and failed counts beside it so the board reads counts only.

// Indicator figures.
const (
	// AvailWindowDays is the indicator's 监测1周: the 7 whole days before
	// the day of judgement.
	AvailWindowDays = 7
	// MinProbesPerDay is 每天间隔性访问20次以上.
	MinProbesPerDay = 20
	// ProbesPerDay is how often zhendi visits: one per hour leaves room for
	// a slot missed by a restart without falling below 20.
	ProbesPerDay = 24
	// ProbeRetentionDays bounds the stored visits: the window, the chart's
	// four weeks and a margin.
	ProbeRetentionDays = 35
	// ProbeCountDays bounds the days' counts, kept for the quarterly
	// reports of the past year after the visits themselves are dropped.
	ProbeCountDays = 400
)

// ProbeSlot is the length of one visiting slot (1 h).
const ProbeSlot = 24 * time.Hour / ProbesPerDay

// probeMargin keeps each visit this far from its slot's edges, so two
// visits of one site are always at least 2×probeMargin apart.
const probeMargin = 5 * time.Minute

// NextProbe is when to visit a site next after the visit at (or claim of)
// after: in the next slot, at the site's own place in it (from its id)
// shifted by jitter (the caller draws it, within ±probeMargin), never
// within probeMargin of the slot's edges.
func NextProbe(channelID int64, after time.Time, jitter time.Duration) time.Time {
	slot := int64(ProbeSlot / time.Second)
	margin := int64(probeMargin / time.Second)
	span := slot - 2*margin
	// A multiplicative hash spreads consecutive ids over the slot.
	phase := int64(uint64(channelID)*2654435761%uint64(span)) + margin
	phase += int64(jitter / time.Second)
	phase = min(max(phase, margin), slot-margin)
	start := (after.Unix()/slot + 1) * slot
	return time.Unix(start+phase, 0)
}

// Sample is one visit of a site.
type Sample struct {
	At     int64 // Unix, to 2 s
	Millis int   // until the page was read (capped at 65535)
	Status int   // HTTP status; 0 when no response came
	OK     bool  // the page was fetched with a status below 400
}

// Failed reports whether the visit counts as 打不开: no page, an error
// status, or 15 s and more.
func (s Sample) Failed() bool { return !s.OK || s.Millis >= SlowMillis }

// sampleLen is a sample's size encoded: 6 bytes, 8 base64 characters
// (no padding, so a day's samples are the concatenation of its visits).
const sampleLen = 8

// EncodeSample packs a sample of the day starting at dayStart: seconds
// into the day ÷ 2, milliseconds, and the status with the OK bit.
func EncodeSample(s Sample, dayStart int64) string {
	var b [6]byte
	sec := min(max(s.At-dayStart, 0), 86399)
	binary.BigEndian.PutUint16(b[0:], uint16(sec/2))
	binary.BigEndian.PutUint16(b[2:], uint16(min(max(s.Millis, 0), 65535)))
	st := uint16(min(max(s.Status, 0), 0x7fff))
	if s.OK {
		st |= 0x8000
	}
	binary.BigEndian.PutUint16(b[4:], st)
	return base64.StdEncoding.EncodeToString(b[:])
}

// DecodeSamples unpacks a day's samples (day is YYYY-MM-DD, China time).
func DecodeSamples(day, enc string) ([]Sample, error) {
	t, ok := dayOf(day)
	if !ok {
		return nil, fmt.Errorf("probe day %q", day)
	}
	if len(enc)%sampleLen != 0 {
		return nil, fmt.Errorf("probe samples of %s: length %d", day, len(enc))
	}
	out := make([]Sample, 0, len(enc)/sampleLen)
	for i := 0; i < len(enc); i += sampleLen {
		b, err := base64.StdEncoding.DecodeString(enc[i : i+sampleLen])
		if err != nil {
			return nil, fmt.Errorf("probe samples of %s: %w", day, err)
		}
		st := binary.BigEndian.Uint16(b[4:])
		out = append(out, Sample{
			At:     t.Unix() + 2*int64(binary.BigEndian.Uint16(b[0:])),
			Millis: int(binary.BigEndian.Uint16(b[2:])),
			Status: int(st & 0x7fff),
			OK:     st&0x8000 != 0,
		})
	}
	return out, nil
}

// DayStart is the Unix time of the China-time midnight beginning t's day,
// and that day.
func DayStart(t time.Time) (int64, string) {
	y, m, d := t.In(cntime.Zone).Date()
	s := time.Date(y, m, d, 0, 0, 0, 0, cntime.Zone)
	return s.Unix(), cntime.Date(s)
}

// DayAvail is one site's visits on one day.
type DayAvail struct {
	Day           string
	Total, Failed int
}

// Availability is a site judged by the indicator on a day.
type Availability struct {
	From, To string     // the window's first and last day
	Days     []DayAvail // AvailWindowDays, oldest first, days without visits included
	Total    int
	Failed   int
	// Short is how many visits the window lacks to reach 20 on every day.
	Short int
	// Complete: every day of the window had 20 visits or more, so the
	// ratio is the indicator's.
	Complete bool
	// Vetoed: failed visits reach 5% of the visits — of the visits made
	// plus the missing ones counted as successes when the window is not
	// complete, so a veto shown early is certain.
	Vetoed bool
}

// Percent is the share of failed visits.
func (a Availability) Percent() float64 {
	if a.Total == 0 {
		return 0
	}
	return 100 * float64(a.Failed) / float64(a.Total)
}

// Judged reports whether the site can be judged: a complete window, or
// a veto certain already.
func (a Availability) Judged() bool { return a.Complete || a.Vetoed }

// Text says in Chinese how the site stands.
func (a Availability) Text() string {
	switch {
	case a.Total == 0:
		return "近7天无访问监测记录"
	case a.Complete:
		return fmt.Sprintf("%s至%s访问 %d 次，打不开 %d 次（%.1f%%）", a.From, a.To, a.Total, a.Failed, a.Percent())
	default:
		return fmt.Sprintf("%s至%s访问 %d 次，打不开 %d 次（%.1f%%）；尚有 %d 次未达每天20次的监测要求", a.From, a.To, a.Total, a.Failed, a.Percent(), a.Short)
	}
}

// JudgeAvailability judges one site's visits (per day, any order, days
// outside the window ignored) as an inspection on today would: the 7 whole
// days before today.
func JudgeAvailability(days []DayAvail, today string) Availability {
	t, ok := dayOf(today)
	if !ok {
		return Availability{}
	}
	a := Availability{Days: make([]DayAvail, AvailWindowDays)}
	for i := range a.Days {
		a.Days[i].Day = cntime.Date(t.AddDate(0, 0, i-AvailWindowDays))
	}
	a.From, a.To = a.Days[0].Day, a.Days[AvailWindowDays-1].Day
	for _, d := range days {
		if d.Day < a.From || d.Day > a.To {
			continue
		}
		for i := range a.Days {
			if a.Days[i].Day == d.Day {
				a.Days[i].Total += d.Total
				a.Days[i].Failed += d.Failed
			}
		}
	}
	for _, d := range a.Days {
		a.Total += d.Total
		a.Failed += d.Failed
		a.Short += max(0, MinProbesPerDay-d.Total)
	}
	a.Complete = a.Short == 0
	a.Vetoed = a.Failed > 0 && a.Failed*100 >= ProbeFailPercent*(a.Total+a.Short)
	return a
}
