package web

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/meeting"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// Recording at the source (issue 22): the organiser's pages (/meetings…)
// on the desktop and the attendees' pages (/m…) on the phone.

// meetingTypes are the ledger types a meeting can be announced for: those
// with attendees.
func meetingTypes() []ledger.Type {
	var out []ledger.Type
	for _, t := range ledger.Types {
		if t.Attendance {
			out = append(out, t)
		}
	}
	return out
}

// meetingsPage lists the unit's meetings of the last 90 days and those
// ahead.
func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	now := s.now()
	list, err := s.st.Meetings(r.Context(), c.scope, unitID, now.AddDate(0, 0, -90), now.AddDate(1, 0, 0), 200)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(r.Context(), c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	win, err := s.st.MeetingWindow(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	states := make(map[int64]meeting.State, len(list))
	for _, m := range list {
		states[m.ID] = m.StateAt(now, win)
	}
	s.render(w, r, c, "meeting_list", map[string]any{"Title": "会议签到", "Nav": "ledger", "Meetings": list, "States": states,
		"UnitID": unitID, "Units": units, "CanWrite": slices.Contains(c.scope.WriteUnits, unitID) || len(c.scope.WriteOrgs) > 0,
		"Window": win, "CanSet": c.scope.CanAdmin(unitID)})
}

func (s *Server) meetingForm(w http.ResponseWriter, r *http.Request, c *reqCtx, m meeting.Meeting, date, start, end string, status int, errMsg string) {
	nodes, staff, err := s.unitPeople(r.Context(), m.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	chosen := map[int64]bool{}
	for _, a := range m.Attendees {
		chosen[a.UserID] = true
	}
	s.renderStatus(w, r, c, status, "meeting_form", map[string]any{"Title": "发布会议通知", "Nav": "ledger", "M": m,
		"Date": date, "Start": start, "End": end, "Types": meetingTypes(), "Topics": ledger.RequiredTopics,
		"Nodes": nodes, "Staff": staff, "Chosen": chosen, "Error": errMsg})
}

func (s *Server) meetingNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	if !slices.Contains(c.scope.WriteUnits, unitID) && len(c.scope.WriteOrgs) == 0 {
		s.forbidden(w, r, c)
		return
	}
	day := s.now().In(cntime.Zone).AddDate(0, 0, 1).Format(cntime.DateLayout)
	s.meetingForm(w, r, c, meeting.Meeting{UnitID: unitID, OrgID: unitID, Type: ledger.CentralGroup}, day, "09:00", "11:00", http.StatusOK, "")
}

func (s *Server) meetingCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	m, err := form.Meeting(r.PostForm, cntime.Zone)
	m.UnitID = formID(r.PostFormValue("unit"))
	if err == nil {
		err = s.svc.AnnounceMeeting(r.Context(), c.actor(), c.scope, &m)
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.meetingForm(w, r, c, m, r.PostFormValue("date"), r.PostFormValue("start"), r.PostFormValue("end"), http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/meetings/%d?ok=meeting_announced", m.ID))
}

// meetingShow is the organiser's page: who has signed in, marking by hand,
// photos, minutes and their confirmations, and turning the meeting into
// its ledger entry.
func (s *Server) meetingShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderMeeting(w, r, c, formID(r.PathValue("id")), "")
}

func (s *Server) renderMeeting(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, errMsg string) {
	m, err := s.st.Meeting(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	photos, err := s.st.MeetingPhotos(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusUnprocessableEntity
	}
	now := s.now()
	win, err := s.st.MeetingWindow(r.Context(), m.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "meeting_show", map[string]any{"Title": m.Title, "Nav": "ledger", "M": m, "Counts": m.Count(),
		"State": m.StateAt(now, win), "Photos": photos, "Window": win,
		"CanWrite": c.scope.CanWrite(m.UnitID, m.OrgID), "Error": errMsg, "CST": cntime.Zone})
}

// meetingScreen is the full-screen page shown on the room's screen: the
// rotating sign-in code as a QR code, refreshed by the page's script.
func (s *Server) meetingScreen(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	m, code, err := s.signinCode(r, c, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// The QR code is our own PNG as a data: URL, which html/template would
	// otherwise refuse in src.
	s.render(w, r, c, "meeting_screen", map[string]any{"Title": "签到：" + m.Title, "Nav": "ledger", "Mobile": true, "M": m,
		"Counts": m.Count(), "Code": code, "QR": template.URL(code.QR)})
}

// signinView is what the screen shows for one code.
type signinView struct {
	URL     string `json:"url"`
	QR      string `json:"qr"` // data: URL of the PNG
	Expires string `json:"expires"`
	Signed  int    `json:"signed"` // signed in so far, by code or by hand
}

// signinCode is the meeting (for the organiser only) and the code its
// screen shows now.
func (s *Server) signinCode(r *http.Request, c *reqCtx, id int64) (meeting.Meeting, signinView, error) {
	m, code, exp, err := s.svc.SigninCode(r.Context(), c.scope, id)
	if err != nil {
		return m, signinView{}, err
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	u := scheme + "://" + r.Host + "/m/signin?c=" + url.QueryEscape(code)
	png, err := qrcode.Encode(u, qrcode.Medium, 360)
	if err != nil {
		return m, signinView{}, fmt.Errorf("draw sign-in code: %w", err)
	}
	return m, signinView{URL: u, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		Expires: exp.In(cntime.Zone).Format("15:04:05"), Signed: m.Count().Present()}, nil
}

// meetingCode answers the screen's script with the current code.
func (s *Server) meetingCode(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	_, v, err := s.signinCode(r, c, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// meetingAction runs one organiser action and shows the meeting again,
// with a user error beside the forms.
func (s *Server) meetingAction(w http.ResponseWriter, r *http.Request, c *reqCtx, ok string, act func(id int64) error) {
	id := formID(r.PathValue("id"))
	if !s.readForm(w, r, c) {
		return
	}
	if err := act(id); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderMeeting(w, r, c, id, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/meetings/%d?ok=%s", id, ok))
}

func (s *Server) meetingMark(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.meetingAction(w, r, c, "saved", func(id int64) error {
		return s.svc.MarkPresent(r.Context(), c.actor(), c.scope, id, formID(r.PostFormValue("user")), strings.TrimSpace(r.PostFormValue("reason")))
	})
}

func (s *Server) meetingMinutes(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.meetingAction(w, r, c, "saved", func(id int64) error {
		return s.svc.PostMinutes(r.Context(), c.actor(), c.scope, id, r.PostFormValue("minutes"))
	})
}

func (s *Server) meetingCancel(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.meetingAction(w, r, c, "saved", func(id int64) error {
		return s.svc.CancelMeeting(r.Context(), c.actor(), c.scope, id)
	})
}

func (s *Server) meetingRecord(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if !s.readForm(w, r, c) {
		return
	}
	aid, err := s.svc.RecordMeeting(r.Context(), c.actor(), c.scope, id)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderMeeting(w, r, c, id, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/ledger/%d?ok=created", aid))
}

// meetingPhotoUpload takes a photo from the organiser's page or the phone;
// back says where to return ("m" for the phone page).
func (s *Server) meetingPhotoUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if !s.readForm(w, r, c) {
		return
	}
	mobile := r.PostFormValue("back") == "m"
	files, err := s.readUploads(r, "photo")
	switch {
	case err != nil:
	case len(files) == 0:
		err = apperr.Field("照片", "请选择或拍摄一张照片")
	case !strings.HasPrefix(files[0].att.Mime, "image/"):
		err = apperr.Field("照片", "只接受 PNG、JPEG 或 GIF 图片")
	}
	if err == nil {
		_, err = s.svc.AddMeetingPhoto(r.Context(), c.actor(), c.scope, id, serviceUploads(files[:1])[0])
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		if mobile {
			s.renderMobileMeeting(w, r, c, id, msg)
		} else {
			s.renderMeeting(w, r, c, id, msg)
		}
		return
	}
	if mobile {
		redirect(w, r, fmt.Sprintf("/m/meetings/%d?ok=photo", id))
		return
	}
	redirect(w, r, fmt.Sprintf("/meetings/%d?ok=photo", id))
}

func (s *Server) meetingPhoto(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	p, f, err := s.st.OpenMeetingPhoto(r.Context(), c.scope, id, formID(r.PathValue("pid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer f.Close()
	if !s.recordDownload(w, r, c, 0, "meeting.photo_download", "meeting", id, map[string]any{"photo": p.ID, "name": p.Name}) {
		return
	}
	w.Header().Set("Content-Type", p.Mime)
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(p.Name))
	w.Header().Set("Content-Security-Policy", "sandbox")
	http.ServeContent(w, r, "", p.ReceivedAt, f)
}

// mobileHome is the phone's first page: meetings to sign in to today and
// ahead, and minutes waiting for the user's confirmation. Nothing daily,
// no counts of anyone.
func (s *Server) mobileHome(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	now := s.now()
	list, err := s.st.MyMeetings(r.Context(), c.user.ID, now.Add(-meeting.ConfirmWindow))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	type line struct {
		M       meeting.Meeting
		State   meeting.State
		Me      meeting.Attendee
		Confirm bool // minutes wait for this user's confirmation
	}
	var today, later, confirm []line
	y, mo, d := now.In(cntime.Zone).Date()
	wins := map[int64]meeting.Window{}
	for _, m := range list {
		win, ok := wins[m.UnitID]
		if !ok {
			if win, err = s.st.MeetingWindow(r.Context(), m.UnitID); err != nil {
				s.httpError(w, r, c, err)
				return
			}
			wins[m.UnitID] = win
		}
		var me meeting.Attendee
		for _, a := range m.Attendees {
			if a.UserID == c.user.ID {
				me = a
			}
		}
		l := line{M: m, State: m.StateAt(now, win), Me: me}
		l.Confirm = m.CanConfirm(c.user.ID, now, meeting.ConfirmWindow) == nil && me.ConfirmedAt.IsZero()
		sy, smo, sd := m.Start.In(cntime.Zone).Date()
		switch {
		case l.Confirm:
			confirm = append(confirm, l)
		case sy == y && smo == mo && sd == d:
			today = append(today, l)
		case m.Start.After(now):
			later = append(later, l)
		}
	}
	s.render(w, r, c, "m_home", map[string]any{"Title": "我的会议", "Mobile": true, "Today": today, "Later": later, "Confirm": confirm, "CST": cntime.Zone})
}

// mobileSigninPage is where a scanned code lands: the page posts the code
// at once (its script submits the form; without script, one tap), so the
// sign-in itself is a POST with the CSRF token like every change.
func (s *Server) mobileSigninPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.render(w, r, c, "m_signin", map[string]any{"Title": "签到", "Mobile": true, "Code": r.URL.Query().Get("c")})
}

func (s *Server) mobileSignin(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	code := r.PostFormValue("c")
	m, first, err := s.svc.SignInWithCode(r.Context(), c.actor(), c.scope, code)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "m_signin", map[string]any{"Title": "签到", "Mobile": true, "Error": msg})
		return
	}
	ok := "signed_in"
	if !first {
		ok = "signed_in_before"
	}
	redirect(w, r, fmt.Sprintf("/m/meetings/%d?ok=%s", m.ID, ok))
}

func (s *Server) mobileMeeting(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderMobileMeeting(w, r, c, formID(r.PathValue("id")), "")
}

func (s *Server) renderMobileMeeting(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, errMsg string) {
	m, err := s.st.Meeting(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var me *meeting.Attendee
	for i := range m.Attendees {
		if m.Attendees[i].UserID == c.user.ID {
			me = &m.Attendees[i]
		}
	}
	now := s.now()
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusUnprocessableEntity
	}
	win, err := s.st.MeetingWindow(r.Context(), m.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "m_meeting", map[string]any{"Title": m.Title, "Mobile": true, "M": m, "Me": me,
		"State": m.StateAt(now, win), "Window": win, "CanConfirm": m.CanConfirm(c.user.ID, now, meeting.ConfirmWindow) == nil,
		"ConfirmBy": m.MinutesAt.Add(meeting.ConfirmWindow), "Error": errMsg, "CST": cntime.Zone})
}

func (s *Server) mobileConfirm(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if !s.readForm(w, r, c) {
		return
	}
	if err := s.svc.ConfirmMinutes(r.Context(), c.actor(), c.scope, id, strings.TrimSpace(r.PostFormValue("comment"))); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderMobileMeeting(w, r, c, id, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/m/meetings/%d?ok=confirmed", id))
}

// inZone formats a time for the pages ("12月8日 09:00").
func inZone(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cntime.Zone).Format("1月2日 15:04")
}

// meetingSettingsPage shows a unit's sign-in window with its bounds; the
// unit's 系统管理员 changes it (meetingSettingsSave).
func (s *Server) meetingSettingsPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderMeetingSettings(w, r, c, unitChoice(c, r), nil, http.StatusOK, "")
}

func (s *Server) renderMeetingSettings(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, win *meeting.Window, status int, errMsg string) {
	if !c.scope.CanAdmin(unitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	cur, err := s.st.MeetingWindow(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if win == nil {
		win = &cur
	}
	units, err := s.unitNodes(r.Context(), c.scope.AdminUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "meeting_settings", map[string]any{"Title": "会议签到设置", "Nav": "ledger", "UnitID": unitID, "Units": units,
		"W": win, "Current": cur, "MinBefore": int(meeting.MinBefore.Minutes()), "MaxBefore": int(meeting.MaxBefore.Minutes()),
		"MaxAfter": int(meeting.MaxAfter.Minutes()), "Error": errMsg})
}

func (s *Server) meetingSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := formID(r.PostFormValue("unit"))
	var errs apperr.Errors
	minutes := func(field, label string) time.Duration {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(field)))
		if err != nil {
			errs = append(errs, apperr.Field(label, "应为整数分钟"))
		}
		return time.Duration(n) * time.Minute
	}
	win := meeting.Window{Before: minutes("before", "开始前可签到"), After: minutes("after", "结束后可签到")}
	err := errs.OrNil()
	if err == nil {
		err = s.svc.SaveMeetingWindow(r.Context(), c.actor(), c.scope, unitID, win)
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderMeetingSettings(w, r, c, unitID, &win, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/meetings/settings?unit=%d&ok=saved", unitID))
}

// mobileNotices lists the caller's own notices on the phone (meeting
// notices, minutes to confirm, reminders), newest first; reading them
// marks nothing until the caller says so.
func (s *Server) mobileNotices(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	notes, unread, err := s.st.Notifications(r.Context(), c.user.ID, 50)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "m_notices", map[string]any{"Title": "我的通知", "Mobile": true, "Notes": notes, "UnreadNotes": unread})
}

// mobileNoticesRead marks the caller's notices read.
func (s *Server) mobileNoticesRead(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	if err := s.svc.MarkNotificationsRead(r.Context(), c.user.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/m/notices")
}
