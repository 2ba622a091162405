package meeting

import (
	"strings"
	"testing"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
)

var zone = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, zone)
	if err != nil {
		panic(err)
	}
	return t
}

func sample() Meeting {
	return Meeting{ID: 7, UnitID: 1, OrgID: 1, Type: ledger.CentralGroup, Title: "学习贯彻全会精神",
		Start: at("2026-12-08 09:00:00"), End: at("2026-12-08 11:00:00"), NoticeAt: at("2026-12-01 10:00:00"),
		Attendees: []Attendee{{UserID: 11, Name: "王建国"}, {UserID: 12, Name: "李娜"}, {UserID: 13, Name: "张伟"}}}
}

func msg(err error) string {
	if err == nil {
		return ""
	}
	return apperr.Message(err)
}

func TestValidate(t *testing.T) {
	now := at("2026-12-07 10:00:00")
	cases := []struct {
		name string
		edit func(*Meeting)
		want string
	}{
		{"ok", func(*Meeting) {}, ""},
		{"past start", func(m *Meeting) { m.Start = now; m.End = now.Add(time.Hour) }, "开始时间：已过"},
		{"end before start", func(m *Meeting) { m.End = m.Start }, "结束时间：应晚于开始时间"},
		{"too long", func(m *Meeting) { m.End = m.Start.Add(13 * time.Hour) }, "结束时间：会议不能超过12小时"},
		{"no attendees", func(m *Meeting) { m.Attendees = nil }, "参会人员：至少选择一人"},
		{"no title", func(m *Meeting) { m.Title = "  " }, "主题：不能为空"},
		{"type without attendance", func(m *Meeting) { m.Type = ledger.Preach }, "无需会议通知"},
		{"unknown topic", func(m *Meeting) { m.RequiredTopics = []string{"zz"} }, "必修专题"},
	}
	for _, c := range cases {
		m := sample()
		c.edit(&m)
		got := msg(m.Validate(now))
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSignInWindowEdges(t *testing.T) {
	m := sample()
	w := DefaultWindow
	cases := []struct {
		now  string
		user int64
		want string
	}{
		{"2026-12-08 08:29:59", 11, "尚未开始，12月8日08:30起可签到"},
		{"2026-12-08 08:30:00", 11, ""},
		{"2026-12-08 11:30:00", 11, ""},
		{"2026-12-08 11:30:01", 11, "已于12月8日11:30结束"},
		{"2026-12-08 09:10:00", 99, "不在本次会议的参会人员名单中"},
	}
	for _, c := range cases {
		got := msg(m.CanSignIn(c.user, at(c.now), w))
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s user %d: got %q, want %q", c.now, c.user, got, c.want)
		}
	}
	m.ActivityID = 5
	if got := msg(m.CanSignIn(11, at("2026-12-08 09:10:00"), w)); !strings.Contains(got, "已登记台账") {
		t.Errorf("recorded meeting: %q", got)
	}
}

func TestManualMarkNeedsReason(t *testing.T) {
	m := sample()
	now := at("2026-12-08 09:10:00")
	if got := msg(m.CanMark(12, " ", now, DefaultWindow)); !strings.HasPrefix(got, "原因：") {
		t.Errorf("no reason: %q", got)
	}
	if err := m.CanMark(12, "未带手机", now, DefaultWindow); err != nil {
		t.Errorf("with reason: %v", err)
	}
	if got := msg(m.CanMark(99, "未带手机", now, DefaultWindow)); !strings.Contains(got, "不在参会人员名单") {
		t.Errorf("stranger: %q", got)
	}
}

func TestCodeRotation(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	shown := at("2026-12-08 09:00:10")
	code := Code(key, 7, shown)
	for _, c := range []struct {
		now  string
		want string
	}{
		{"2026-12-08 09:00:10", ""},
		{"2026-12-08 09:00:59", ""},    // the next step: still accepted
		{"2026-12-08 09:01:00", "已过期"}, // two steps on: a copied or old code
		{"2026-12-08 08:59:59", "无效"},  // from the future
	} {
		id, err := CheckCode(key, code, at(c.now))
		got := msg(err)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.now, got, c.want)
		}
		if err == nil && id != 7 {
			t.Errorf("%s: meeting %d, want 7", c.now, id)
		}
	}
	if !CodeExpires(shown).Equal(at("2026-12-08 09:01:00")) {
		t.Errorf("expires %v", CodeExpires(shown))
	}
	// Another meeting's code cannot be turned into this one's.
	other := Code(key, 8, shown)
	forged := "7" + other[1:]
	if _, err := CheckCode(key, forged, shown); err == nil {
		t.Error("a code re-labelled for another meeting was accepted")
	}
	if _, err := CheckCode([]byte("another key of the same length!!"), code, shown); err == nil {
		t.Error("a code signed with another key was accepted")
	}
	for _, bad := range []string{"", "7", "7-x-ABC", "-1-2-3", "7-1-"} {
		if _, err := CheckCode(key, bad, shown); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestConfirmWindow(t *testing.T) {
	m := sample()
	m.Attendees[0].SignedAt = at("2026-12-08 08:55:00")
	if got := msg(m.CanConfirm(11, at("2026-12-08 12:00:00"), ConfirmWindow)); !strings.Contains(got, "尚未发布") {
		t.Errorf("before minutes: %q", got)
	}
	m.MinutesAt = at("2026-12-08 15:00:00")
	if err := m.CanConfirm(11, at("2026-12-15 15:00:00"), ConfirmWindow); err != nil {
		t.Errorf("at the edge: %v", err)
	}
	if got := msg(m.CanConfirm(11, at("2026-12-15 15:00:01"), ConfirmWindow)); !strings.Contains(got, "确认期限已于12月15日15:00结束") {
		t.Errorf("after the window: %q", got)
	}
	if got := msg(m.CanConfirm(12, at("2026-12-09 09:00:00"), ConfirmWindow)); !strings.Contains(got, "只有到会人员") {
		t.Errorf("absent person: %q", got)
	}
}

func TestPhotoFarAndActivity(t *testing.T) {
	m := sample()
	for s, want := range map[string]bool{
		"2026-12-08 07:59:59": true, "2026-12-08 08:00:00": false, "2026-12-09 11:00:00": false, "2026-12-09 11:00:01": true,
	} {
		if got := m.PhotoFar(at(s)); got != want {
			t.Errorf("photo at %s: far %v, want %v", s, got, want)
		}
	}
	if err := m.CanRecord(at("2026-12-08 12:00:00")); err == nil || !strings.Contains(msg(err), "还没有人到会") {
		t.Errorf("record with nobody present: %v", err)
	}
	m.Attendees[0].SignedAt = at("2026-12-08 08:55:00")
	m.Attendees[1].SignedAt, m.Attendees[1].Manual, m.Attendees[1].Reason = at("2026-12-08 09:05:00"), true, "未带手机"
	if err := m.CanRecord(at("2026-12-08 12:00:00")); err != nil {
		t.Fatal(err)
	}
	// Read back from the database the times are UTC; the entry is dated
	// in the ledger's zone.
	m.Start, m.End = m.Start.UTC(), m.End.UTC()
	a := m.Activity(zone)
	if a.Date != "2026-12-08" || a.StartTime != "09:00" || a.DurationMin != 120 {
		t.Errorf("activity date/time: %+v", a)
	}
	p, ab := a.Present()
	if p != 2 || ab != 1 || a.Attendance[2].Reason != "未签到" {
		t.Errorf("attendance: %+v", a.Attendance)
	}
	c := m.Count()
	if c.Signed != 1 || c.Manual != 1 || c.Invited != 3 {
		t.Errorf("counts %+v", c)
	}
}

func TestRecordingProvenance(t *testing.T) {
	date := "2026-12-08"
	rec := func(s string) int64 { return at(s).Unix() }
	cases := []struct {
		a    ledger.Activity
		want ledger.Recording
	}{
		{ledger.Activity{Date: date, CreatedAt: rec("2026-12-01 10:00:00"), Source: ledger.SourceInfo{MeetingID: 1, Signed: 18, Invited: 20}}, ledger.RecordedAtSource},
		{ledger.Activity{Date: date, CreatedAt: rec("2026-12-08 18:00:00")}, ledger.RecordedSameDay},
		{ledger.Activity{Date: date, CreatedAt: rec("2026-12-14 18:00:00")}, ledger.RecordedInTime},
		{ledger.Activity{Date: date, CreatedAt: rec("2026-12-15 00:00:00")}, ledger.RecordedLate},
		{ledger.Activity{Date: date, CreatedAt: rec("2027-03-01 00:00:00"), Import: ledger.ImportInfo{BatchID: 1, History: true}}, ledger.RecordedImported},
		// a meeting nobody signed in to proves nothing about punctuality
		{ledger.Activity{Date: date, CreatedAt: rec("2026-12-20 00:00:00"), Source: ledger.SourceInfo{MeetingID: 1, Manual: 3, Invited: 3}}, ledger.RecordedLate},
	}
	for i, c := range cases {
		if got := c.a.Recording(zone, 7); got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
	n := ledger.SourceInfo{MeetingID: 1, Invited: 20, Signed: 17, Manual: 1, Confirmed: 17}.Note()
	if n != "会前通知、现场签到17/20（另手工标记1人）、纪要确认17/18" {
		t.Errorf("note %q", n)
	}
}
