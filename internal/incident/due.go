package incident

import (
	"fmt"
	"time"

	"zhendi/internal/opinion"
)

// Basis is the citation the incident pages show beside the time limits.
const Basis = "依据：" + opinion.BasisNotice2016 + "及" + opinion.BasisRules2016 + "：对涉及特别重大、重大突发事件的政务舆情，" +
	"要快速反应，最迟要在5小时内发布权威信息，在24小时内举行新闻发布会；对其他政务舆情应在48小时内予以回应。"

// Deadline is one national time limit of an incident: what must happen
// (Label), by when (Due, unix seconds), when it did (Done, 0 not yet),
// when the responsible people are reminded (RemindAt) and the rule (Basis).
type Deadline struct {
	Key      string
	Label    string
	Due      int64
	Done     int64
	RemindAt int64
	Basis    string
}

// Deadlines are the incident's time limits by its level (opinion.DueTimes):
// 特别重大/重大 authoritative information (5 h), met by AuthorityAt, and a
// press conference (24 h), met by PresserAt; 一般 a response (48 h), met
// when the 回应 step is done.
func (in Incident) Deadlines() []Deadline {
	start := time.Unix(in.FoundAt, 0)
	dues := opinion.DueTimes(in.OpinionLevel(), start)
	out := make([]Deadline, len(dues))
	for i, d := range dues {
		out[i] = Deadline{Label: d.What, Due: d.At.Unix(), RemindAt: d.RemindAt(start).Unix(), Basis: d.Basis}
		switch {
		case in.Major() && i == 0:
			out[i].Key, out[i].Done = "authority", in.AuthorityAt
		case in.Major():
			out[i].Key, out[i].Done = "presser", in.PresserAt
		default:
			out[i].Key, out[i].Done = "response", in.Step(StepRespond).DoneAt
		}
	}
	return out
}

// OpinionLevel is the incident's level as the opinion domain knows it.
func (in Incident) OpinionLevel() opinion.Level {
	switch in.Level {
	case LevelEspecially:
		return opinion.LevelEspeciallyMajor
	case LevelMajor:
		return opinion.LevelMajor
	}
	return opinion.LevelGeneral
}

// Major reports whether the incident is 特别重大 or 重大, whose limits are
// authoritative information and a press conference.
func (in Incident) Major() bool { return in.Level == LevelEspecially || in.Level == LevelMajor }

// Met reports whether the limit was met in time.
func (d Deadline) Met() bool { return d.Done != 0 && d.Done <= d.Due }

// Overdue reports whether the limit has passed at now with nothing done.
func (d Deadline) Overdue(now int64) bool { return d.Done == 0 && now > d.Due }

// Late reports whether it was done, but after the limit.
func (d Deadline) Late() bool { return d.Done != 0 && d.Done > d.Due }

// Remind reports whether the responsible people should be reminded at now:
// from RemindAt until the limit and nothing done yet.
func (d Deadline) Remind(now int64) bool {
	return d.Done == 0 && now <= d.Due && now >= d.RemindAt
}

// State is the limit's state at now, in Chinese.
func (d Deadline) State(now int64) string {
	switch {
	case d.Met():
		return "按时完成"
	case d.Late():
		return "超时完成"
	case d.Overdue(now):
		return "已逾期 " + hours(now-d.Due)
	}
	return "剩余 " + hours(d.Due-now)
}

// hours writes a span of seconds as hours and minutes.
func hours(sec int64) string {
	m := sec / 60
	if m < 60 {
		return fmt.Sprintf("%d分钟", m)
	}
	if m%60 == 0 {
		return fmt.Sprintf("%d小时", m/60)
	}
	return fmt.Sprintf("%d小时%d分钟", m/60, m%60)
}

// Overdue reports whether any limit of an open incident has passed at now
// with nothing done.
func (in Incident) Overdue(now int64) bool {
	if in.Status == StatusClosed {
		return false
	}
	for _, d := range in.Deadlines() {
		if d.Overdue(now) {
			return true
		}
	}
	return false
}

// OnTime reports whether every limit was met in time (for the district's
// "handled on time" figure, counted over incidents whose limits are all
// settled: met, late, or passed).
func (in Incident) OnTime() bool {
	for _, d := range in.Deadlines() {
		if !d.Met() {
			return false
		}
	}
	return true
}
