package service_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/meeting"
	"zhendi/internal/notify"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/sso"
	"zhendi/internal/sso/ssotest"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestMeetingMessagesThroughPlatforms (issue 22 parts 1, 2 and 7): a
// DingTalk account whose verified mobile is one active user's of the
// platform's unit binds on first sign-on (audited) and its userid is
// looked up from the unionId; an ambiguous mobile binds nothing. With the
// unit's personal-message channels on, the meeting notice, the opening of
// sign-in and the minutes to confirm reach the bound attendees through
// 企业微信 application messages and 钉钉 work notices, once each whatever
// the number of rounds, logged under the reminder keys, and never through
// the group robots. The sign-in window is the unit's setting.
func TestMeetingMessagesThroughPlatforms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 7, 3, 9, 0, 0, 0, cntime.Zone)
		clock := func() time.Time { return now }
		st.Now = clock
		unit, clerk, sc := clerkUnit(t, st)
		svc := service.New(st, service.Config{BaseURL: "http://zhendi.local"}, nil)
		svc.SetClock(clock)
		admin := sc
		admin.AdminUnits = []int64{unit.ID}
		people := map[string]*org.User{}
		for _, u := range []org.User{
			{OrgID: unit.ID, Username: "zhang", Name: "张委员", Mobile: "13800000001"},
			{OrgID: unit.ID, Username: "wang", Name: "王委员", Mobile: "138 0000 0002"},
			{OrgID: unit.ID, Username: "twin1", Name: "赵一", Mobile: "13800000009"},
			{OrgID: unit.ID, Username: "twin2", Name: "赵二", Mobile: "13800000009"},
		} {
			if err := svc.CreateUser(ctx, store.System, &u, "Kx7m-Lp2q9"); err != nil {
				t.Fatal(err)
			}
			people[u.Username] = &u
		}
		if people["wang"].Mobile != "13800000002" {
			t.Errorf("mobile stored as %q", people["wang"].Mobile)
		}
		bad := org.User{OrgID: unit.ID, Username: "bad", Name: "错号", Mobile: "1380000"}
		if err := svc.CreateUser(ctx, store.System, &bad, "Kx7m-Lp2q9"); err == nil || !strings.Contains(err.Error(), "手机号：应为11位手机号码") {
			t.Errorf("a short mobile: %v", err)
		}

		fake := ssotest.New("app-1", "app-secret")
		defer fake.Close()
		wecom := sso.Provider{Kind: sso.WeCom, ClientID: "app-1", AgentID: "1000002", Secret: "app-secret", AuthBase: fake.URL + "/wecom", APIBase: fake.URL + "/wecom", Enabled: true}
		ding := sso.Provider{Kind: sso.DingTalk, ClientID: "app-1", AgentID: "3001", Secret: "app-secret", AuthBase: fake.URL + "/ding", APIBase: fake.URL + "/ding",
			MsgBase: fake.URL + "/ding", Enabled: true, BindUnitID: unit.ID}
		for _, p := range []*sso.Provider{&wecom, &ding} {
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			if err := st.SaveSSOProvider(ctx, store.System, p); err != nil {
				t.Fatal(err)
			}
		}
		// 张 is bound to WeCom by an administrator (the WeCom userid is the address).
		if err := svc.BindSSO(ctx, store.System, admin, people["zhang"].ID, wecom.ID, "zhangwy"); err != nil {
			t.Fatal(err)
		}
		// 王 signs on with DingTalk for the first time: bound by mobile.
		fake.Issue("c-wang", ssotest.Person{Subject: "union-wang", Mobile: "13800000002", Name: "王委员", UserID: "ding-0002"}, "")
		if _, err := svc.SSOLogin(ctx, ding.ID, "http://zhendi.local/sso/cb", "c-wang", "", "10.0.0.1", "DingTalk"); err != nil {
			t.Fatalf("first sign-on by mobile: %v", err)
		}
		if uid, err := st.SSOUser(ctx, ding.ID, "union-wang"); err != nil || uid != people["wang"].ID {
			t.Fatalf("bound to %d (%v), want 王", uid, err)
		}
		if ids, _ := st.SSOMessageIDs(ctx, ding.ID, []int64{people["wang"].ID}); ids[people["wang"].ID] != "ding-0002" {
			t.Errorf("dingtalk userid %v", ids)
		}
		entries, err := st.ListAudit(ctx, store.AuditFilter{OrgIDs: []int64{unit.ID}, Action: "sso.bind_mobile"})
		if err != nil || len(entries) != 1 || entries[0].ObjectID != people["wang"].ID || strings.Contains(entries[0].After, "13800000002") {
			t.Errorf("audit of the binding: %+v %v (one entry, the number masked)", entries, err)
		}
		// The same mobile on two users binds neither: the administrator binds.
		fake.Issue("c-twin", ssotest.Person{Subject: "union-twin", Mobile: "13800000009", UserID: "ding-0009"}, "")
		_, err = svc.SSOLogin(ctx, ding.ID, "http://zhendi.local/sso/cb", "c-twin", "", "10.0.0.1", "DingTalk")
		var ue *apperr.Error
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "尚未绑定本系统账号") {
			t.Errorf("ambiguous mobile: %v", err)
		}
		// A mobile of no active user of the unit binds nothing either.
		fake.Issue("c-none", ssotest.Person{Subject: "union-none", Mobile: "13900000000", UserID: "ding-x"}, "")
		if _, err := svc.SSOLogin(ctx, ding.ID, "http://zhendi.local/sso/cb", "c-none", "", "10.0.0.1", "DingTalk"); err == nil {
			t.Error("a stranger's mobile signed on")
		}

		// The unit turns on both personal channels (and a group robot,
		// which meeting notices must not use).
		var rb robot
		rsrv := rb.server(t)
		if err := st.SaveChannels(ctx, store.System, sc, notify.Settings{UnitID: unit.ID, InApp: true, WeComURL: rsrv.URL + "/cgi-bin/webhook/send?key=k",
			WeComApp: true, DingTalkApp: true}, nil); err != nil {
			t.Fatal(err)
		}
		// The unit's sign-in window: 10 minutes before the start, 15 after the end.
		if err := svc.SaveMeetingWindow(ctx, store.System, admin, unit.ID, meeting.Window{Before: 3 * time.Hour}); err == nil ||
			!strings.Contains(err.Error(), "开始前可签到：应在5到120分钟之间") {
			t.Errorf("window out of bounds: %v", err)
		}
		if err := svc.SaveMeetingWindow(ctx, store.System, sc, unit.ID, meeting.Window{Before: 10 * time.Minute, After: 15 * time.Minute}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a clerk set the window: %v", err)
		}
		if err := svc.SaveMeetingWindow(ctx, store.System, admin, unit.ID, meeting.Window{Before: 10 * time.Minute, After: 15 * time.Minute}); err != nil {
			t.Fatal(err)
		}

		m := meeting.Meeting{UnitID: unit.ID, OrgID: unit.ID, Type: ledger.CentralGroup, Title: "学习贯彻全会精神", Place: "三楼会议室",
			Start: time.Date(2023, 7, 6, 9, 0, 0, 0, cntime.Zone), End: time.Date(2023, 7, 6, 11, 0, 0, 0, cntime.Zone),
			Attendees: []meeting.Attendee{{UserID: clerk.ID}, {UserID: people["zhang"].ID}, {UserID: people["wang"].ID}}}
		if err := svc.AnnounceMeeting(ctx, store.System, sc, &m); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ { // a second round sends nothing again
			if _, err := svc.Remind(ctx); err != nil {
				t.Fatal(err)
			}
		}
		sent := fake.Sent()
		want := []string{"wecom zhangwy 会议通知：学习贯彻全会精神\n7月6日09:00，三楼会议室\nhttp://zhendi.local/m/meetings/" + strconv.FormatInt(m.ID, 10),
			"dingtalk ding-0002 会议通知：学习贯彻全会精神\n7月6日09:00，三楼会议室\nhttp://zhendi.local/m/meetings/" + strconv.FormatInt(m.ID, 10)}
		if got := sentLines(sent); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("notices sent:\n%q\nwant\n%q", got, want)
		}
		for _, r := range rb.messages {
			if strings.Contains(r, "会议") {
				t.Errorf("a meeting notice went to the group robot: %q", r)
			}
		}
		if n := countRows(t, st, "SELECT COUNT(*) FROM reminder_log WHERE idem_key = 'meeting:"+strconv.FormatInt(m.ID, 10)+":notice' AND channel IN ('wecom-app:"+
			strconv.FormatInt(wecom.ID, 10)+"','dingtalk-app:"+strconv.FormatInt(ding.ID, 10)+"') AND status = 'sent'"); n != 2 {
			t.Errorf("logged personal deliveries: %d, want 2", n)
		}

		// 8:45: outside the unit's window (opens 8:50): nothing about sign-in.
		now = time.Date(2023, 7, 6, 8, 45, 0, 0, cntime.Zone)
		if _, err := svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if len(fake.Sent()) != 2 {
			t.Errorf("sign-in reminder before the unit's window: %q", sentLines(fake.Sent()))
		}
		key, err := st.SigninKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		zsc, _ := svc.ScopeOf(ctx, *people["zhang"])
		if _, _, err := svc.SignInWithCode(ctx, store.Actor{UserID: people["zhang"].ID}, zsc, meeting.Code(key, m.ID, now)); err == nil ||
			!strings.Contains(err.Error(), "尚未开始，7月6日08:50起可签到") {
			t.Errorf("sign-in at 8:45 with a 10-minute window: %v", err)
		}
		// 8:52: open; 张 signs in; the reminder goes to 王 only.
		now = time.Date(2023, 7, 6, 8, 52, 0, 0, cntime.Zone)
		if _, _, err := svc.SignInWithCode(ctx, store.Actor{UserID: people["zhang"].ID}, zsc, meeting.Code(key, m.ID, now)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		got := sentLines(fake.Sent())
		if len(got) != 3 || !strings.HasPrefix(got[2], "dingtalk ding-0002 会议签到已开始：学习贯彻全会精神\n到会后请扫描会场大屏上的二维码签到（会议开始前10分钟至结束后15分钟）。") {
			t.Fatalf("sign-in opening: %q", got)
		}
		// Minutes posted: 张, present, is asked to confirm; 王, absent, is not.
		now = time.Date(2023, 7, 6, 14, 0, 0, 0, cntime.Zone)
		if err := svc.PostMinutes(ctx, store.Actor{UserID: clerk.ID}, sc, m.ID, "会议学习了全会精神。"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		got = sentLines(fake.Sent())
		if len(got) != 4 || !strings.HasPrefix(got[3], "wecom zhangwy 请确认会议纪要：学习贯彻全会精神") {
			t.Fatalf("minutes to confirm: %q", got)
		}
		notes, _, _ := st.Notifications(ctx, people["zhang"].ID, 20)
		if len(notes) != 2 { // the notice and the minutes, each once in-app
			t.Errorf("in-app notices of 张: %d, want 2", len(notes))
		}
	})
}

func sentLines(sent []ssotest.Sent) []string {
	var out []string
	for _, s := range sent {
		out = append(out, s.Platform+" "+strings.Join(s.To, ",")+" "+s.Content)
	}
	return out
}

func countRows(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
