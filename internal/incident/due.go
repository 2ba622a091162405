package incident

import (
	"fmt"
	"time"
)

// Basis is the citation the incident pages show beside the time limits.
const Basis = "依据：《国务院办公厅关于在政务公开工作中进一步做好政务舆情回应的通知》（国办发〔2016〕61号）" +
	"及《〈关于全面推进政务公开工作的意见〉实施细则》（国办发〔2016〕80号）：对涉及特别重大、重大突发事件的政务舆情，" +
	"要快速反应，最迟要在5小时内发布权威信息，在24小时内举行新闻发布会；对其他政务舆情应在48小时内予以回应。"

// Deadline is one national time limit of an incident: what must happen
// (Label), by when (Due, unix seconds), when it did (Done, 0 not yet) and
// how long before Due the responsible people are reminded (Lead).
type Deadline struct {
	Key   string
	Label string
	Due   int64
	Done  int64
	Lead  time.Duration
}

// Limits of the national rules, from the discovery time.
const (
	AuthorityWithin = 5 * time.Hour
	PresserWithin   = 24 * time.Hour
	ResponseWithin  = 48 * time.Hour
)

// Deadlines are the incident's time limits by its level: 特别重大/重大
// authoritative information (5 h) and a press conference (24 h); 一般 a
// response (48 h), met when the 回应 step is done.
func (in Incident) Deadlines() []Deadline {
	found := time.Unix(in.FoundAt, 0)
	if in.Level == LevelMajor {
		return []Deadline{
			{Key: "authority", Label: "发布权威信息", Due: found.Add(AuthorityWithin).Unix(), Done: in.AuthorityAt, Lead: time.Hour},
			{Key: "presser", Label: "举行新闻发布会", Due: found.Add(PresserWithin).Unix(), Done: in.PresserAt, Lead: 4 * time.Hour},
		}
	}
	return []Deadline{{Key: "response", Label: "回应", Due: found.Add(ResponseWithin).Unix(), Done: in.Step(StepRespond).DoneAt, Lead: 8 * time.Hour}}
}

// Met reports whether the limit was met in time.
func (d Deadline) Met() bool { return d.Done != 0 && d.Done <= d.Due }

// Overdue reports whether the limit has passed at now with nothing done.
func (d Deadline) Overdue(now int64) bool { return d.Done == 0 && now > d.Due }

// Late reports whether it was done, but after the limit.
func (d Deadline) Late() bool { return d.Done != 0 && d.Done > d.Due }

// Remind reports whether the responsible people should be reminded at now:
// within Lead before the limit and nothing done yet.
func (d Deadline) Remind(now int64) bool {
	return d.Done == 0 && now <= d.Due && now >= d.Due-int64(d.Lead/time.Second)
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
