package service

import (
	"context"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/meeting"
	"zhendi/internal/notify"
	"zhendi/internal/store"
)

// Recording at the source (issue 22): the use cases of a meeting from its
// notice to its ledger entry. Times are the service clock's.

// AnnounceMeeting stores a new meeting and sends its notice to every
// attendee, in one transaction. The meeting must start in the future, its
// node be one the scope writes and its attendees the unit's people.
func (s *Service) AnnounceMeeting(ctx context.Context, actor store.Actor, sc access.Scope, m *meeting.Meeting) error {
	if err := m.Validate(s.now()); err != nil {
		return fmt.Errorf("announce meeting: %w", err)
	}
	err := s.st.CreateMeeting(ctx, actor, sc, m, func(names map[int64]string) error {
		for _, a := range m.Attendees {
			if _, ok := names[a.UserID]; !ok {
				return apperr.Field("参会人员", "包含不属于本单位或已停用的人员")
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("announce meeting: %w", err)
	}
	return nil
}

// SigninCode is the code the organiser's screen shows now for meeting id,
// when it stops being accepted, and the meeting as read (for its counts);
// only those who may write the meeting's node get it.
func (s *Service) SigninCode(ctx context.Context, sc access.Scope, id int64) (meeting.Meeting, string, time.Time, error) {
	m, err := s.st.Meeting(ctx, sc, id)
	if err != nil {
		return m, "", time.Time{}, err
	}
	if !sc.CanWrite(m.UnitID, m.OrgID) {
		return meeting.Meeting{}, "", time.Time{}, apperr.ErrNotFound
	}
	key, err := s.st.SigninKey(ctx)
	if err != nil {
		return m, "", time.Time{}, fmt.Errorf("sign-in code: %w", err)
	}
	now := s.now()
	return m, meeting.Code(key, id, now), meeting.CodeExpires(now), nil
}

// SignInWithCode signs the caller in to the meeting the scanned code names.
// It returns the meeting (as after the sign-in) and whether this was the
// caller's first sign-in. An expired, forged or foreign code is refused
// with a user error; a meeting the caller may not see is not found.
func (s *Service) SignInWithCode(ctx context.Context, actor store.Actor, sc access.Scope, code string) (meeting.Meeting, bool, error) {
	key, err := s.st.SigninKey(ctx)
	if err != nil {
		return meeting.Meeting{}, false, fmt.Errorf("sign in: %w", err)
	}
	now := s.now()
	id, err := meeting.CheckCode(key, code, now)
	if err != nil {
		return meeting.Meeting{}, false, err
	}
	first, err := s.st.SignIn(ctx, actor, sc, id, func(m *meeting.Meeting) error {
		w, err := s.st.MeetingWindow(ctx, m.UnitID)
		if err != nil {
			return err
		}
		return m.CanSignIn(sc.UserID, now, w)
	})
	if err != nil {
		return meeting.Meeting{}, false, fmt.Errorf("sign in to meeting %d: %w", id, err)
	}
	m, err := s.st.Meeting(ctx, sc, id)
	return m, first, err
}

// MarkPresent marks an attendee present by hand, with the reason the
// organiser gives; it shows as manual everywhere.
func (s *Service) MarkPresent(ctx context.Context, actor store.Actor, sc access.Scope, id, userID int64, reason string) error {
	now := s.now()
	err := s.st.MarkPresent(ctx, actor, sc, id, userID, reason, func(m *meeting.Meeting) error {
		w, err := s.st.MeetingWindow(ctx, m.UnitID)
		if err != nil {
			return err
		}
		return m.CanMark(userID, reason, now, w)
	})
	if err != nil {
		return fmt.Errorf("mark present at meeting %d: %w", id, err)
	}
	return nil
}

// PostMinutes saves the minutes and asks those present to confirm them.
func (s *Service) PostMinutes(ctx context.Context, actor store.Actor, sc access.Scope, id int64, text string) error {
	now := s.now()
	err := s.st.PostMinutes(ctx, actor, sc, id, text, func(m *meeting.Meeting) error {
		if m.ActivityID != 0 {
			return apperr.Field("纪要", "会议已登记台账，请在台账中修改")
		}
		return m.CanPostMinutes(text, now)
	})
	if err != nil {
		return fmt.Errorf("post minutes of meeting %d: %w", id, err)
	}
	return nil
}

// ConfirmMinutes records the caller's confirmation of the minutes, with an
// optional comment, within the confirmation window.
func (s *Service) ConfirmMinutes(ctx context.Context, actor store.Actor, sc access.Scope, id int64, comment string) error {
	now := s.now()
	if len([]rune(comment)) > ledger.MaxShort*5 {
		return apperr.Field("意见", fmt.Sprintf("不能超过%d个字", ledger.MaxShort*5))
	}
	err := s.st.ConfirmMinutes(ctx, actor, sc, id, comment, func(m *meeting.Meeting) error {
		return m.CanConfirm(sc.UserID, now, meeting.ConfirmWindow)
	})
	if err != nil {
		return fmt.Errorf("confirm minutes of meeting %d: %w", id, err)
	}
	return nil
}

// AddMeetingPhoto stores a photo (an image, checked by the handler) and
// links it to the meeting, stamped with the time the server received it.
// Attendees and the organisers may add photos until the meeting is
// recorded; a photo far from the meeting time is kept and marked.
func (s *Service) AddMeetingPhoto(ctx context.Context, actor store.Actor, sc access.Scope, id int64, f Upload) (store.MeetingPhoto, error) {
	sum, err := s.st.PutBlob(f.Data)
	if err != nil {
		return store.MeetingPhoto{}, fmt.Errorf("store photo: %w", err)
	}
	p := store.MeetingPhoto{Name: f.Name, Mime: f.Mime, Size: int64(len(f.Data)), SHA256: sum}
	err = s.st.AddMeetingPhoto(ctx, actor, sc, id, &p, func(m *meeting.Meeting, received time.Time) (bool, error) {
		if !m.CancelledAt.IsZero() {
			return false, apperr.Field("照片", "会议已取消")
		}
		if !m.Invited(sc.UserID) && !sc.CanWrite(m.UnitID, m.OrgID) {
			return false, apperr.Field("照片", "只有参会人员和会议组织人可以上传照片")
		}
		return m.PhotoFar(received), nil
	})
	if err != nil {
		return p, fmt.Errorf("add photo to meeting %d: %w", id, err)
	}
	return p, nil
}

// RecordMeeting turns a meeting that has taken place into its ledger
// entry, keeping the notice time as the recording time; the entry is
// validated as any entry is. It returns the entry's id.
func (s *Service) RecordMeeting(ctx context.Context, actor store.Actor, sc access.Scope, id int64) (int64, error) {
	now := s.now()
	aid, err := s.st.RecordMeeting(ctx, actor, sc, id, func(m *meeting.Meeting) (ledger.Activity, error) {
		if err := m.CanRecord(now); err != nil {
			return ledger.Activity{}, err
		}
		a := m.Activity(cntime.Zone)
		if err := a.Validate(now); err != nil {
			return a, err
		}
		return a, nil
	}, func(a *ledger.Activity, r ledger.Refs) error { return a.Resolve(sc, r) })
	if err != nil {
		return 0, fmt.Errorf("record meeting %d: %w", id, err)
	}
	return aid, nil
}

// CancelMeeting cancels a meeting not yet recorded and tells its attendees.
func (s *Service) CancelMeeting(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	err := s.st.CancelMeeting(ctx, actor, sc, id, func(m *meeting.Meeting) error {
		switch {
		case m.ActivityID != 0:
			return apperr.Field("会议", "已登记台账，不能取消")
		case !m.CancelledAt.IsZero():
			return apperr.Field("会议", "已取消")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cancel meeting %d: %w", id, err)
	}
	return nil
}

// SaveMeetingWindow sets the sign-in window of a unit the scope
// administers, within meeting's bounds; audited with the window before.
func (s *Service) SaveMeetingWindow(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, w meeting.Window) error {
	if !sc.CanAdmin(unitID) {
		return apperr.ErrNotFound
	}
	if err := w.Validate(); err != nil {
		return err
	}
	if err := s.st.SaveMeetingWindow(ctx, actor, unitID, w); err != nil {
		return fmt.Errorf("save sign-in window: %w", err)
	}
	return nil
}

// meetingReminders are the personal reminders of meetings due at now
// (remind.go): the notice to every attendee once announced, the opening
// of sign-in to those not yet signed in, and the minutes to confirm to
// those present who have not confirmed. Each goes out once under its key
// ("meeting:<id>:notice", ":open", ":minutes:<posted>": the in-app
// notices' keys, so none is shown twice), on the
// channels addressed to people: in-app, e-mail and the platforms' personal
// messages, never a group robot.
func (s *Service) meetingReminders(ctx context.Context, now time.Time) ([]reminder, error) {
	list, err := s.st.MeetingsToRemind(ctx, now, meeting.MaxBefore, meeting.ConfirmWindow)
	if err != nil {
		return nil, err
	}
	windows := map[int64]meeting.Window{}
	var out []reminder
	for _, m := range list {
		w, ok := windows[m.UnitID]
		if !ok {
			if w, err = s.st.MeetingWindow(ctx, m.UnitID); err != nil {
				return nil, err
			}
			windows[m.UnitID] = w
		}
		link := fmt.Sprintf("%s/m/meetings/%d", s.cfg.BaseURL, m.ID)
		when := m.Start.In(cntime.Zone).Format("1月2日15:04")
		var all, unsigned, toConfirm []int64
		for _, a := range m.Attendees {
			all = append(all, a.UserID)
			if !a.Present() {
				unsigned = append(unsigned, a.UserID)
			} else if a.ConfirmedAt.IsZero() {
				toConfirm = append(toConfirm, a.UserID)
			}
		}
		if m.Start.After(now) && !m.NoticeAt.Before(now.Add(-48*time.Hour)) {
			body := when + "，" + m.Place
			if m.Place == "" {
				body = when
			}
			out = append(out, reminder{key: fmt.Sprintf("meeting:%d:notice", m.ID), unitID: m.UnitID, users: all, personal: true,
				msg: notify.Message{Title: "会议通知：" + m.Title, Body: body, Link: link}})
		}
		if m.StateAt(now, w) == meeting.Open && len(unsigned) > 0 {
			out = append(out, reminder{key: fmt.Sprintf("meeting:%d:open", m.ID), unitID: m.UnitID, users: unsigned, personal: true,
				msg: notify.Message{Title: "会议签到已开始：" + m.Title, Body: "到会后请扫描会场大屏上的二维码签到（" + w.Label() + "）。", Link: link}})
		}
		if !m.MinutesAt.IsZero() && now.Before(m.MinutesAt.Add(meeting.ConfirmWindow)) && len(toConfirm) > 0 {
			out = append(out, reminder{key: fmt.Sprintf("meeting:%d:minutes:%d", m.ID, m.MinutesAt.Unix()), unitID: m.UnitID, users: toConfirm, personal: true,
				msg: notify.Message{Title: "请确认会议纪要：" + m.Title, Body: "会议纪要已发布，可在手机上查看并确认或提出意见。", Link: link}})
		}
	}
	return out, nil
}
