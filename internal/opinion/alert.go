package opinion

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// AlertKind is what an alert rule watches.
type AlertKind int

const (
	// AlertNewEvent fires for a new event of the scheme once it holds at
	// least Threshold items (at least 1).
	AlertNewEvent AlertKind = iota + 1
	// AlertHeat fires when the event's Heat reaches Threshold (0–100).
	AlertHeat
	// AlertNegative fires when the share of negative items reaches
	// Threshold (0–1; the page shows it as a percentage).
	AlertNegative
	// AlertGrowth fires when the event's Growth reaches Threshold
	// (1 means the last three hours doubled the three before).
	AlertGrowth
)

// AlertKinds lists the kinds for forms.
var AlertKinds = []AlertKind{AlertNewEvent, AlertHeat, AlertNegative, AlertGrowth}

// String returns the kind's Chinese name.
func (k AlertKind) String() string {
	switch k {
	case AlertNewEvent:
		return "新事件"
	case AlertHeat:
		return "热度超过"
	case AlertNegative:
		return "负面超过"
	case AlertGrowth:
		return "快速增长"
	}
	return "未知"
}

// Clock is a time of day in China time, in minutes after midnight (0–1439).
type Clock int

// ParseClock reads "22:00" or "7:30".
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		h, m, ok = strings.Cut(strings.TrimSpace(s), "：")
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return 0, apperr.Field("时间", "应为“时：分”的形式，如 22:00")
	}
	return Clock(hh*60 + mm), nil
}

// String returns "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// AlertRule says when an event of a scheme is worth an alert, and the
// quiet hours in which alerts wait. QuietFrom == QuietTo means no quiet
// hours; QuietFrom > QuietTo spans midnight (22:00–07:00).
type AlertRule struct {
	ID        int64
	SchemeID  int64
	Kind      AlertKind
	Threshold float64
	QuietFrom Clock
	QuietTo   Clock
}

// Validate checks a rule as entered.
func (r AlertRule) Validate() error {
	var errs apperr.Errors
	switch r.Kind {
	case AlertNewEvent:
		if r.Threshold < 0 || r.Threshold > 100000 {
			errs = append(errs, apperr.Field("阈值", "新事件的阈值是条数，应在 0 到 100000 之间"))
		}
	case AlertHeat:
		if !(r.Threshold > 0 && r.Threshold <= 100) {
			errs = append(errs, apperr.Field("阈值", "热度阈值应在 0 到 100 之间（不含 0）"))
		}
	case AlertNegative:
		if !(r.Threshold > 0 && r.Threshold <= 1) {
			errs = append(errs, apperr.Field("阈值", "负面占比阈值应在 0 到 1 之间（不含 0）"))
		}
	case AlertGrowth:
		if !(r.Threshold > 0 && r.Threshold <= 4) {
			errs = append(errs, apperr.Field("阈值", "增长率阈值应在 0 到 4 之间（不含 0）"))
		}
	default:
		errs = append(errs, apperr.Field("类型", "应为新事件、热度超过、负面超过或快速增长"))
	}
	if r.QuietFrom < 0 || r.QuietFrom >= 24*60 {
		errs = append(errs, apperr.Field("免打扰开始", "应为 00:00 到 23:59"))
	}
	if r.QuietTo < 0 || r.QuietTo >= 24*60 {
		errs = append(errs, apperr.Field("免打扰结束", "应为 00:00 到 23:59"))
	}
	return errs.OrNil()
}

// EventSnapshot is an event's figures at one moment, as alert rules see them.
type EventSnapshot struct {
	EventID       int64
	SchemeID      int64
	Count         int     // items in the event
	Heat          float64 // Heat, 0–100
	NegativeShare float64 // negative items ÷ items, 0–1
	Growth        float64 // Growth
}

// Fires reports whether the rule's condition holds for the event now. It
// is a level, not an edge: the sender claims AlertKey(event, rule) before
// sending, so an alert goes out once per event and rule however often
// Fires is asked, across restarts and nodes, and an alert whose sending
// was interrupted is not lost because the moment of crossing has passed.
func (r AlertRule) Fires(cur EventSnapshot) bool {
	if cur.SchemeID != r.SchemeID || cur.Count <= 0 {
		return false
	}
	switch r.Kind {
	case AlertNewEvent:
		return float64(cur.Count) >= max(1, r.Threshold)
	case AlertHeat:
		return cur.Heat >= r.Threshold
	case AlertNegative:
		return cur.NegativeShare >= r.Threshold
	case AlertGrowth:
		return cur.Growth >= r.Threshold
	}
	return false
}

// InQuietHours reports whether t (any zone) falls in the rule's quiet
// hours, read in China time: [QuietFrom, QuietTo), across midnight when
// QuietFrom > QuietTo.
func (r AlertRule) InQuietHours(t time.Time) bool {
	if r.QuietFrom == r.QuietTo {
		return false
	}
	lt := t.In(cntime.Zone)
	m := Clock(lt.Hour()*60 + lt.Minute())
	if r.QuietFrom < r.QuietTo {
		return m >= r.QuietFrom && m < r.QuietTo
	}
	return m >= r.QuietFrom || m < r.QuietTo
}

// SendAt returns when an alert due at t goes out: t itself, or the end of
// the quiet hours t falls in.
func (r AlertRule) SendAt(t time.Time) time.Time {
	if !r.InQuietHours(t) {
		return t
	}
	lt := t.In(cntime.Zone)
	end := time.Date(lt.Year(), lt.Month(), lt.Day(), int(r.QuietTo)/60, int(r.QuietTo)%60, 0, 0, cntime.Zone)
	if !end.After(lt) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

// AlertKey is the key under which the sender claims the alert of rule
// ruleID for event eventID, making it once per event and rule.
func AlertKey(eventID, ruleID int64) string {
	return fmt.Sprintf("opinion-alert:%d:%d", eventID, ruleID)
}
