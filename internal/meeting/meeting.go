// Package meeting is recording at the source (issue 22): a meeting of any
// ledger type announced before it happens (会议通知), attendees signing in
// at the meeting with a rotating code shown on the organiser's screen,
// photos stamped with the time the server received them, and minutes
// confirmed by those present. The meeting then becomes the ledger entry,
// keeping its notice time as its recording time.
//
// Nothing here is daily or ranked: a meeting that happens anyway is
// announced once, people sign in once, and confirming the minutes is
// optional (国办《政务移动互联网应用程序规范化管理办法》 and the campaigns
// against 指尖上的形式主义 bar forced check-ins and rankings by them).
//
// The package is pure: no SQL, no network. Times are server times.
package meeting

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
)

// Meeting is one announced meeting.
type Meeting struct {
	ID             int64
	UnitID         int64
	OrgID          int64 // organising node: the unit, a department or a branch
	Type           string
	Title          string
	Place          string
	Agenda         string
	RequiredTopics []string
	PlanItemID     int64
	Start, End     time.Time
	NoticeAt       time.Time // when the notice went out (the record's recording time)
	CreatedBy      int64
	ActivityID     int64 // the ledger entry, once recorded
	Minutes        string
	MinutesAt      time.Time // zero until minutes are posted
	CancelledAt    time.Time
	Attendees      []Attendee
}

// Attendee is one invited person and how they were present.
type Attendee struct {
	UserID      int64
	Name        string
	OrgName     string
	SignedAt    time.Time // zero: not signed in
	Manual      bool      // marked present by the organiser
	Reason      string    // why marked by hand
	MarkedBy    int64
	ConfirmedAt time.Time // minutes confirmed
	Comment     string    // comment on the minutes
}

// Present reports whether the attendee was marked present.
func (a Attendee) Present() bool { return !a.SignedAt.IsZero() }

// Limits, in characters and people.
const (
	MaxTitle     = 200
	MaxAttendees = 500
	MaxDuration  = 12 * time.Hour
	MaxMinutes   = 50000
)

// Validate checks a new meeting at the time it is announced: a known type
// that has attendees, a title, a start still in the future (a meeting that
// has already happened is entered in the ledger, as 补记 if late), an end
// after the start and at most 12 hours later, and at least one attendee.
func (m *Meeting) Validate(now time.Time) error {
	var errs apperr.Errors
	add := func(field, format string, args ...any) {
		errs = append(errs, apperr.Field(field, fmt.Sprintf(format, args...)))
	}
	m.Title = strings.TrimSpace(m.Title)
	m.Place = strings.TrimSpace(m.Place)
	t, ok := ledger.TypeByCode(m.Type)
	switch {
	case !ok:
		add("类型", "不是已知的活动类型")
	case !t.Attendance:
		add("类型", "“%s”没有参会人员，无需会议通知和签到", t.Label)
	}
	if m.Title == "" {
		add("主题", "不能为空")
	} else if utf8.RuneCountInString(m.Title) > MaxTitle {
		add("主题", "不能超过%d个字", MaxTitle)
	}
	switch {
	case m.Start.IsZero():
		add("开始时间", "不能为空")
	case !m.Start.After(now):
		add("开始时间", "已过：会议通知须在会议开始前发出，已开过的会议请在台账中登记")
	}
	switch {
	case m.End.IsZero():
		add("结束时间", "不能为空")
	case !m.Start.IsZero() && !m.End.After(m.Start):
		add("结束时间", "应晚于开始时间")
	case !m.Start.IsZero() && m.End.Sub(m.Start) > MaxDuration:
		add("结束时间", "会议不能超过12小时")
	}
	if utf8.RuneCountInString(m.Agenda) > ledger.MaxShort*10 {
		add("议程", "不能超过%d个字", ledger.MaxShort*10)
	}
	switch n := len(m.Attendees); {
	case n == 0:
		add("参会人员", "至少选择一人")
	case n > MaxAttendees:
		add("参会人员", "不能超过%d人", MaxAttendees)
	}
	for _, c := range m.RequiredTopics {
		if ledger.TopicLabel(c) == c {
			add("必修专题", "“%s”不是已知的必修专题", c)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Invited reports whether the user is on the meeting's attendee list.
func (m *Meeting) Invited(userID int64) bool {
	return m.attendee(userID) != nil
}

func (m *Meeting) attendee(userID int64) *Attendee {
	for i := range m.Attendees {
		if m.Attendees[i].UserID == userID {
			return &m.Attendees[i]
		}
	}
	return nil
}

// Counts are the figures of "现场签到 18/20、纪要确认 17/18".
type Counts struct {
	Invited   int
	Signed    int // signed in with the code
	Manual    int // marked by the organiser
	Confirmed int // confirmed the minutes (of those present)
}

// Present is everyone marked present, by code or by hand.
func (c Counts) Present() int { return c.Signed + c.Manual }

// Count tallies the attendee list.
func (m *Meeting) Count() Counts {
	c := Counts{Invited: len(m.Attendees)}
	for _, a := range m.Attendees {
		if !a.Present() {
			continue
		}
		if a.Manual {
			c.Manual++
		} else {
			c.Signed++
		}
		if !a.ConfirmedAt.IsZero() {
			c.Confirmed++
		}
	}
	return c
}

// State is where a meeting stands, for lists and buttons.
type State string

// Meeting states.
const (
	Upcoming  State = "未开始"
	Open      State = "签到中"
	Closed    State = "已结束"
	Recorded  State = "已登记台账"
	Cancelled State = "已取消"
)

// StateAt is the meeting's state at now under the window w.
func (m *Meeting) StateAt(now time.Time, w Window) State {
	switch {
	case !m.CancelledAt.IsZero():
		return Cancelled
	case m.ActivityID != 0:
		return Recorded
	case now.Before(m.Start.Add(-w.Before)):
		return Upcoming
	case now.After(m.End.Add(w.After)):
		return Closed
	}
	return Open
}

// Window is when signing in is open: from Before the start to After the
// end. A unit setting; DefaultWindow is used without one.
type Window struct {
	Before, After time.Duration
}

// DefaultWindow opens sign-in 30 minutes before the start and closes it 30
// minutes after the end.
var DefaultWindow = Window{Before: 30 * time.Minute, After: 30 * time.Minute}

// Bounds of a unit's window: sign-in opens at most 2 hours before the
// start (earlier, a code could be used by someone who never came) and at
// least 5 minutes before it (people arrive early); it closes between the
// end and 2 hours after it.
const (
	MinBefore = 5 * time.Minute
	MaxBefore = 2 * time.Hour
	MaxAfter  = 2 * time.Hour
)

// Validate checks a unit's window against the bounds; the fields are
// named as on the settings page.
func (w Window) Validate() error {
	var errs apperr.Errors
	if w.Before < MinBefore || w.Before > MaxBefore {
		errs = append(errs, apperr.Field("开始前可签到", fmt.Sprintf("应在%d到%d分钟之间", int(MinBefore.Minutes()), int(MaxBefore.Minutes()))))
	}
	if w.After < 0 || w.After > MaxAfter {
		errs = append(errs, apperr.Field("结束后可签到", fmt.Sprintf("应在0到%d分钟之间", int(MaxAfter.Minutes()))))
	}
	return errs.OrNil()
}

// Label is the window in words: "会议开始前30分钟至结束后30分钟".
func (w Window) Label() string {
	return fmt.Sprintf("会议开始前%d分钟至结束后%d分钟", int(w.Before.Minutes()), int(w.After.Minutes()))
}

// CanSignIn says whether userID may sign in to m at now: the meeting is
// announced and not cancelled or recorded, now is inside the window, and
// the user is an attendee. Signing in twice is not an error (the first time
// is kept).
func (m *Meeting) CanSignIn(userID int64, now time.Time, w Window) error {
	switch m.StateAt(now, w) {
	case Cancelled:
		return apperr.Field("签到", "会议已取消")
	case Recorded:
		return apperr.Field("签到", "会议已登记台账，签到已结束")
	case Upcoming:
		return apperr.Field("签到", fmt.Sprintf("尚未开始，%s起可签到", m.Start.Add(-w.Before).Format("1月2日15:04")))
	case Closed:
		return apperr.Field("签到", fmt.Sprintf("已于%s结束", m.End.Add(w.After).Format("1月2日15:04")))
	}
	if !m.Invited(userID) {
		return apperr.Field("签到", "您不在本次会议的参会人员名单中，请联系会议组织人")
	}
	return nil
}

// CanMark checks a manual marking by the organiser: a reason is required
// and the person must be on the list; marking is allowed from the window's
// opening until the meeting is recorded in the ledger.
func (m *Meeting) CanMark(userID int64, reason string, now time.Time, w Window) error {
	if strings.TrimSpace(reason) == "" {
		return apperr.Field("原因", "手工标记到会须写明原因（如：未带手机、线上参会）")
	}
	if utf8.RuneCountInString(reason) > ledger.MaxShort {
		return apperr.Field("原因", fmt.Sprintf("不能超过%d个字", ledger.MaxShort))
	}
	switch m.StateAt(now, w) {
	case Cancelled:
		return apperr.Field("签到", "会议已取消")
	case Recorded:
		return apperr.Field("签到", "会议已登记台账，不能再标记")
	case Upcoming:
		return apperr.Field("签到", "会议尚未开始签到")
	}
	if !m.Invited(userID) {
		return apperr.Field("参会人员", "此人不在参会人员名单中")
	}
	return nil
}

// ConfirmWindow is how long after the minutes are posted attendees may
// confirm or comment; a unit setting, 7 days by default.
const ConfirmWindow = 7 * 24 * time.Hour

// CanConfirm says whether userID may confirm or comment on the minutes at
// now: minutes are posted, the user was present, and the window (after
// posting) has not passed.
func (m *Meeting) CanConfirm(userID int64, now time.Time, window time.Duration) error {
	if m.MinutesAt.IsZero() {
		return apperr.Field("纪要", "会议纪要尚未发布")
	}
	a := m.attendee(userID)
	if a == nil || !a.Present() {
		return apperr.Field("纪要", "只有到会人员可以确认纪要")
	}
	if now.After(m.MinutesAt.Add(window)) {
		return apperr.Field("纪要", fmt.Sprintf("确认期限已于%s结束", m.MinutesAt.Add(window).Format("1月2日15:04")))
	}
	return nil
}

// CanPostMinutes checks the minutes text: after the start, not empty, and
// within the length limit.
func (m *Meeting) CanPostMinutes(text string, now time.Time) error {
	if now.Before(m.Start) {
		return apperr.Field("纪要", "会议开始后才能发布纪要")
	}
	if !m.CancelledAt.IsZero() {
		return apperr.Field("纪要", "会议已取消")
	}
	if strings.TrimSpace(text) == "" {
		return apperr.Field("纪要", "不能为空")
	}
	if utf8.RuneCountInString(text) > MaxMinutes {
		return apperr.Field("纪要", fmt.Sprintf("不能超过%d个字", MaxMinutes))
	}
	return nil
}

// PhotoFar reports whether a photo received at t is far from the meeting
// time: more than an hour before the start or more than a day after the
// end. The receive time is the server's; EXIF is never trusted, because
// chat apps strip or rewrite it.
func (m *Meeting) PhotoFar(received time.Time) bool {
	return received.Before(m.Start.Add(-time.Hour)) || received.After(m.End.Add(24*time.Hour))
}

// CanRecord checks that the meeting may become its ledger entry: after it
// ended, not cancelled, not yet recorded, and someone was present.
func (m *Meeting) CanRecord(now time.Time) error {
	switch {
	case !m.CancelledAt.IsZero():
		return apperr.Field("会议", "已取消，不能登记台账")
	case m.ActivityID != 0:
		return apperr.Field("会议", "已登记台账")
	case now.Before(m.Start):
		return apperr.Field("会议", "尚未开始，不能登记台账")
	case m.Count().Present() == 0:
		return apperr.Field("参会人员", "还没有人到会：请先签到或手工标记到会")
	}
	return nil
}

// Activity is the ledger entry the meeting becomes: its type, node, title,
// place, agenda, topics and plan item; the date and start time of the
// meeting in loc (the ledger's zone: times read from the database are
// UTC); its duration; the minutes as content; everyone invited with
// present or absent. Absent attendees carry the reason "未签到".
func (m *Meeting) Activity(loc *time.Location) ledger.Activity {
	start := m.Start.In(loc)
	a := ledger.Activity{
		UnitID: m.UnitID, OrgID: m.OrgID, Type: m.Type, Title: m.Title, Place: m.Place, Agenda: m.Agenda,
		RequiredTopics: m.RequiredTopics, PlanItemID: m.PlanItemID,
		Date: start.Format("2006-01-02"), StartTime: start.Format("15:04"),
		DurationMin: int(m.End.Sub(m.Start).Minutes()), Content: m.Minutes,
	}
	for _, at := range m.Attendees {
		st := ledger.Attendance{UserID: at.UserID, Name: at.Name, Status: "present"}
		if !at.Present() {
			st.Status, st.Reason = "absent", "未签到"
		}
		a.Attendance = append(a.Attendance, st)
	}
	return a
}
