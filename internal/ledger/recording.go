package ledger

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Recording is how an entry came into the ledger (issue 22, part 5): the
// provenance the ledger list, the entry, 补记情况, supervision and the
// reports show beside it.
type Recording string

// The ways an entry is recorded, from the strongest evidence of
// punctuality to the weakest.
const (
	// RecordedAtSource: announced in zhendi before the meeting, attendees
	// signed in on the spot with the rotating code.
	RecordedAtSource Recording = "会前通知并现场签到"
	// RecordedSameDay: entered on the day of the activity.
	RecordedSameDay Recording = "当日登记"
	// RecordedInTime: entered after the day but inside the unit's window.
	RecordedInTime Recording = "按期登记"
	// RecordedLate: 补记, entered at or after the unit's window.
	RecordedLate Recording = "补记"
	// RecordedImported: imported history from before the system was used.
	RecordedImported Recording = "导入历史"
	// RecordedImportedLate: imported after the system was in use; its
	// recording time is the import, so punctuality is judged as 补记 is.
	RecordedImportedLate Recording = "导入"
)

// SourceInfo is what a meeting recorded at the source adds to its entry:
// the notice time and the sign-in and confirmation counts. Zero for an
// entry not recorded through a meeting.
type SourceInfo struct {
	MeetingID int64
	NoticeAt  int64 // unix seconds
	Invited   int
	Signed    int // by the rotating code
	Manual    int // marked by the organiser, with a reason
	Confirmed int // confirmed the minutes
}

// Note is the entry's recording line, "会前通知、现场签到18/20、纪要确认17/18",
// "" when the entry did not come from a meeting.
func (s SourceInfo) Note() string {
	if s.MeetingID == 0 {
		return ""
	}
	out := fmt.Sprintf("会前通知、现场签到%d/%d", s.Signed, s.Invited)
	if s.Manual > 0 {
		out += fmt.Sprintf("（另手工标记%d人）", s.Manual)
	}
	if present := s.Signed + s.Manual; present > 0 {
		out += fmt.Sprintf("、纪要确认%d/%d", s.Confirmed, present)
	}
	return out
}

// Recording says how the entry was recorded, with lateDays the unit's 补记
// window (an entry recorded that many days or more after the activity is
// 补记).
func (a *Activity) Recording(loc *time.Location, lateDays int) Recording {
	switch {
	case a.Import.History:
		return RecordedImported
	case a.Source.MeetingID != 0 && a.Source.Signed > 0:
		return RecordedAtSource
	}
	late := a.LateDays(loc)
	switch {
	case lateDays > 0 && late >= lateDays:
		return RecordedLate
	case a.Import.BatchID != 0:
		return RecordedImportedLate
	case late == 0:
		return RecordedSameDay
	}
	return RecordedInTime
}

// CheckLateReason requires a reason for an entry recorded at now that is
// 补记: lateDays days or more after its date (imported history is never
// 补记). The reason is trimmed, at most MaxShort characters, and dropped
// from an entry that is not 补记 (it would read as one).
func (a *Activity) CheckLateReason(now time.Time, loc *time.Location, lateDays int) error {
	a.LateReason = strings.TrimSpace(a.LateReason)
	if utf8.RuneCountInString(a.LateReason) > MaxShort {
		return apperr.Field("补记原因", fmt.Sprintf("不能超过%d个字", MaxShort))
	}
	d, err := time.ParseInLocation(cntime.DateLayout, a.Date, loc)
	if err != nil {
		return nil // the date's own error is Validate's
	}
	days := int(now.In(loc).Sub(d).Hours() / 24)
	if a.Import.History || lateDays <= 0 || days < lateDays {
		a.LateReason = ""
		return nil
	}
	if a.LateReason == "" {
		return apperr.Field("补记原因", fmt.Sprintf("活动日期已过%d天（活动后%d天及以上登记的记为补记），须写明补记原因", days, lateDays))
	}
	return nil
}
