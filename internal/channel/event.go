package channel

import (
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// EventKind is a recorded change in a channel's life. Opening, renaming and
// closing must be 报备 (registered with the supervising office); the 检查指标
// counts an account opened, renamed or closed without it as a finding.
type EventKind string

// Event kinds.
const (
	EvOpen   EventKind = "open"   // 开设
	EvRename EventKind = "rename" // 更名
	EvClose  EventKind = "close"  // 关停
	EvPause  EventKind = "pause"  // 暂停
	EvResume EventKind = "resume" // 恢复运行
)

// Label is the event's Chinese name.
func (k EventKind) Label() string {
	switch k {
	case EvOpen:
		return "开设"
	case EvRename:
		return "更名"
	case EvClose:
		return "关停"
	case EvPause:
		return "暂停"
	case EvResume:
		return "恢复运行"
	}
	return string(k)
}

// NeedsFiling reports whether the change must be 报备.
func (k EventKind) NeedsFiling() bool { return k == EvOpen || k == EvRename || k == EvClose }

// Event is one entry of a channel's history.
type Event struct {
	ID         int64
	ChannelID  int64
	UnitID     int64
	Kind       EventKind
	Day        string // when it happened, YYYY-MM-DD
	FromName   string
	ToName     string
	FromStatus Status
	ToStatus   Status
	FilingNo   string
	FilingDate string
	Note       string
	ByName     string
	CreatedAt  int64
	// ChannelKind and ChannelName are the channel's (lists of a unit's events).
	ChannelKind Kind
	ChannelName string
}

// FilingRequired reports whether opening, renaming and closing a channel of
// this type must be 报备: sites and 政务新媒体 accounts are registered with
// the supervising office; columns, groups and boards are not.
func (k Kind) FilingRequired() bool { return k == Portal || k.NewMedia() }

// Unfiled reports whether the event needed 报备 and has no record of it.
func (e Event) Unfiled() bool {
	return e.Kind.NeedsFiling() && (e.ChannelKind == "" || e.ChannelKind.FilingRequired()) && (strings.TrimSpace(e.FilingNo) == "" || e.FilingDate == "")
}

// Filing is the 报备 record given with a change (may be empty: the change is
// then recorded and flagged).
type Filing struct {
	Day  string // when the change happened ("" = today)
	No   string
	Date string
	Note string
}

// Validate checks the filing's dates.
func (f Filing) Validate() error {
	var errs apperr.Errors
	for _, d := range []struct{ name, v string }{{"变更日期", f.Day}, {"报备日期", f.Date}} {
		if d.v == "" {
			continue
		}
		if _, err := cntime.ParseDate(d.v); err != nil {
			errs = append(errs, apperr.Field(d.name, "日期格式应为 2024-01-31"))
		}
	}
	return errs.OrNil()
}

// OpenEvent is the event recorded when a channel is registered: its opening,
// with the channel's own 报备 number and date.
func OpenEvent(c Channel, day string) Event {
	return Event{Kind: EvOpen, Day: day, ToName: c.Name, ToStatus: c.Status, FilingNo: c.FilingNo, FilingDate: c.FilingDate}
}

// Changes lists the events an edit from before to after makes: a rename
// when the name changed, and a status change (关停, 暂停, 恢复). Each carries
// the filing given with the edit.
func Changes(before, after Channel, f Filing, today string) []Event {
	day := f.Day
	if day == "" {
		day = today
	}
	base := Event{ChannelID: before.ID, UnitID: before.UnitID, Day: day, FilingNo: strings.TrimSpace(f.No), FilingDate: f.Date, Note: strings.TrimSpace(f.Note),
		FromName: before.Name, ToName: after.Name, FromStatus: before.Status, ToStatus: after.Status}
	var out []Event
	if before.Name != after.Name {
		e := base
		e.Kind = EvRename
		out = append(out, e)
	}
	if before.Status != after.Status {
		e := base
		switch after.Status {
		case Closed:
			e.Kind = EvClose
		case Paused:
			e.Kind = EvPause
		default:
			e.Kind = EvResume
		}
		out = append(out, e)
	}
	return out
}

// UnfiledEvents returns the events that needed 报备 and lack it.
func UnfiledEvents(evs []Event) []Event {
	var out []Event
	for _, e := range evs {
		if e.Unfiled() {
			out = append(out, e)
		}
	}
	return out
}
