package supervise

import (
	"fmt"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// Reminder kinds of a result (see ReminderKind).
const (
	RemindDue     = "due"
	RemindOverdue = "overdue"
)

// ReminderKind says whether a result calls for a reminder: RemindDue within
// the rule's reminder window before the deadline while the obligation is
// at risk, RemindOverdue once it is overdue (still within its grace days),
// "" otherwise. Reminders are keyed by IdemKey and the kind, so each goes
// out once.
func (r Result) ReminderKind() string {
	switch {
	case r.Status == AtRisk && r.DaysLeft >= 0 && r.DaysLeft <= r.Rule.RemindDays:
		return RemindDue
	case r.Status == Overdue:
		return RemindOverdue
	}
	return ""
}

// Responsible are the people who answer for a result: the person a unit-wide
// rule names, else the subject's responsible people (department and branch
// heads, the leader, the unit's 意识形态专干). It may be empty for a
// department without a head.
func (r Result) Responsible() []int64 {
	if r.Subject.Kind == SubjectUnit && r.Rule.RespUserID != 0 {
		return []int64{r.Rule.RespUserID}
	}
	return r.Subject.Resp
}

// AutoRectWindow is how many days after an obligation turns missed the
// reminder round still opens a rectification item for it. Older misses stay
// visible on the dashboard but are not turned into items, so a new unit (or
// a new installation with years of ledger) is not flooded with problems from
// before it used the system.
const AutoRectWindow = 30

// AutoRect is the rectification item to open for a result judged on today
// ("2006-01-02"): a missed obligation whose grace period ended at most
// AutoRectWindow days ago. Its owner is the subject's first responsible
// person, else the person the rule names, else the unit's first 意识形态专干;
// its deadline is 30 days from today and SourceRef the result's IdemKey, so
// it is opened once. It reports false when no item is due or nobody could
// own it.
func AutoRect(u Unit, res Result, today string) (Rect, bool) {
	if res.Status != Missed || cntime.AddDays(res.Deadline, res.Rule.GraceDays+AutoRectWindow) < today {
		return Rect{}, false
	}
	owner := int64(0)
	switch {
	case len(res.Subject.Resp) > 0:
		owner = res.Subject.Resp[0]
	case res.Rule.RespUserID != 0:
		owner = res.Rule.RespUserID
	case len(u.Resp) > 0:
		owner = u.Resp[0]
	}
	if owner == 0 {
		return Rect{}, false
	}
	unit := res.Unit()
	r := Rect{UnitID: u.ID, Source: "compliance", SourceRef: res.IdemKey(), OwnerID: owner,
		Title: fmt.Sprintf("%s %s未完成“%s”：应%d%s，实际%d%s（截止%s）", res.Subject.Name, res.Period.Label, res.Rule.Name,
			res.Required, unit, res.Count, unit, ledger.FormatDate(res.Deadline)),
		Deadline: cntime.AddDays(today, 30)}
	if res.Subject.Kind == SubjectDepartment || res.Subject.Kind == SubjectBranch {
		r.OrgID = res.Subject.ID
	}
	return r, true
}

// RemindYears are the years whose obligations a reminder round judges at
// now (China time): the current one and, until the end of March, the last
// one too, whose grace periods reach into the new year.
func RemindYears(now time.Time) []int {
	now = now.In(cntime.Zone)
	if now.Month() <= time.March {
		return []int{now.Year(), now.Year() - 1}
	}
	return []int{now.Year()}
}
