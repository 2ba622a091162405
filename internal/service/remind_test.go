package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/notify"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// robot is a local group-robot receiver counting messages; it can be told
// to fail the next n requests.
type robot struct {
	mu       sync.Mutex
	messages []string
	failNext int
}

func (rb *robot) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rb.mu.Lock()
		defer rb.mu.Unlock()
		if rb.failNext > 0 {
			rb.failNext--
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		var body struct {
			MsgType string `json:"msgtype"`
			Text    struct {
				Content string `json:"content"`
			} `json:"text"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		rb.messages = append(rb.messages, body.Text.Content)
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (rb *robot) count() int {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return len(rb.messages)
}

// mailbox is a minimal SMTP receiver counting mails.
type mailbox struct {
	mu    sync.Mutex
	mails int
	ln    net.Listener
}

func startMailbox(t *testing.T) *mailbox {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb := &mailbox{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tp := textproto.NewConn(c)
				tp.PrintfLine("220 ok")
				for {
					line, err := tp.ReadLine()
					if err != nil {
						return
					}
					switch strings.ToUpper(line) {
					case "DATA":
						tp.PrintfLine("354 go")
						io.ReadAll(tp.DotReader())
						mb.mu.Lock()
						mb.mails++
						mb.mu.Unlock()
						tp.PrintfLine("250 ok")
					case "QUIT":
						tp.PrintfLine("221 bye")
						return
					default:
						tp.PrintfLine("250 ok")
					}
				}
			}()
		}
	}()
	return mb
}

func (mb *mailbox) count() int {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return mb.mails
}

// clerkUnit is a fresh unit whose only person is its 意识形态专干, with the
// clerk's scope.
func clerkUnit(t *testing.T, st *store.Store) (org.Node, org.User, access.Scope) {
	t.Helper()
	ctx := context.Background()
	unit := org.Node{Kind: org.Unit, Name: "甲局"}
	if err := st.CreateNode(ctx, store.System, &unit); err != nil {
		t.Fatal(err)
	}
	clerk := org.User{OrgID: unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
	if err := service.New(st, service.Config{}, nil).CreateUser(ctx, store.System, &clerk, "Kx7m-Lp2q9"); err != nil {
		t.Fatal(err)
	}
	return unit, clerk, access.Scope{UserID: clerk.ID, HomeUnit: unit.ID, ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
}

// TestRemindersOnceAcrossRestart runs two service instances over the same
// database with an injected clock: the reminders a week before the deadline
// go out once on every channel, overdue ones follow after the deadline, and
// a failed webhook is retried after its back-off.
func TestRemindersOnceAcrossRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 12, 24, 9, 0, 0, 0, cntime.Zone)
		st.Now = func() time.Time { return now }
		unit, clerk, sc := clerkUnit(t, st)
		var wecom, ding robot
		wsrv, dsrv := wecom.server(t), ding.server(t)
		mb := startMailbox(t)
		host, port, _ := net.SplitHostPort(mb.ln.Addr().String())
		p, _ := strconv.Atoi(port)
		err := st.SaveChannels(ctx, store.System, sc, notify.Settings{UnitID: unit.ID, InApp: true, Email: true, SMTPHost: host, SMTPPort: p,
			SMTPFrom: "zhendi@example.gov.cn", WeComURL: wsrv.URL + "/cgi-bin/webhook/send?key=k", DingTalkURL: dsrv.URL + "/robot/send?access_token=t", DingTalkSecret: "SECx"},
			map[int64]string{clerk.ID: "clerk@example.gov.cn"})
		if err != nil {
			t.Fatal(err)
		}
		// The local receivers' host must be named an internal relay, as a
		// 安全保密管理员 would; on the allow-list alone it is refused at send
		// time (notify.Guard).
		sec := access.DefaultSecurity
		sec.NotifyHosts, sec.InternalRelays = "", "127.0.0.1"
		if err := st.SetSecuritySettings(ctx, store.System, sec); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		clock := func() time.Time { return now }
		first := service.New(st, service.Config{BaseURL: "http://zhendi.local"}, log)
		first.SetClock(clock)
		rep, err := first.Remind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// 专题研究 (0 of 2), 研判报告 (0 of 1) and December's 中心组学习 are
		// due on 31 December, a week away: one message each per channel.
		if wecom.count() != 3 || ding.count() != 3 || mb.count() != 3 {
			t.Fatalf("first tick: wecom %d, dingtalk %d, mail %d; want 3 each (report %+v)", wecom.count(), ding.count(), mb.count(), rep)
		}
		if !strings.Contains(wecom.messages[0]+wecom.messages[1], "专题研究意识形态工作") || !strings.Contains(wecom.messages[0]+wecom.messages[1], "2023年12月31日") {
			t.Errorf("wecom text: %q", wecom.messages)
		}
		notes, unread, err := st.Notifications(ctx, clerk.ID, 50)
		if err != nil || unread != 3 || len(notes) != 3 {
			t.Fatalf("in-app: %d unread of %d (%v)", unread, len(notes), err)
		}
		// November's missed 中心组学习 (grace ended 5 December) became a
		// rectification item; misses older than the window did not.
		rects, _ := st.Rects(ctx, sc, store.RectFilter{UnitID: unit.ID})
		if len(rects) != 1 || rects[0].OwnerID != clerk.ID || !strings.Contains(rects[0].Title, "2023年11月") {
			t.Fatalf("auto rectification items: %+v, want November's 中心组学习 owned by the clerk", rects)
		}

		// "Restart": a second instance over the same database, an hour later.
		now = now.Add(time.Hour)
		second := service.New(st, service.Config{}, log)
		second.SetClock(clock)
		if _, err := second.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := first.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if wecom.count() != 3 || ding.count() != 3 || mb.count() != 3 {
			t.Fatalf("after restart: wecom %d, dingtalk %d, mail %d; reminders sent twice", wecom.count(), ding.count(), mb.count())
		}
		if rects, _ := st.Rects(ctx, sc, store.RectFilter{UnitID: unit.ID}); len(rects) != 1 {
			t.Fatalf("rectification items duplicated: %d", len(rects))
		}

		// After the deadline: overdue reminders; WeCom fails once and is
		// retried after the back-off, not before.
		now = time.Date(2024, 1, 2, 9, 0, 0, 0, cntime.Zone)
		wecom.failNext = 3
		if _, err := second.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		overdue := ding.count() - 3
		if overdue != 3 { // 专题研究, 研判报告, December 中心组学习
			t.Fatalf("overdue reminders on dingtalk: %d, want 3", overdue)
		}
		if wecom.count() != 3 {
			t.Fatalf("failed wecom deliveries counted as sent: %d", wecom.count())
		}
		if _, err := second.Remind(ctx); err != nil { // same minute: back-off not over
			t.Fatal(err)
		}
		if wecom.count() != 3 {
			t.Fatalf("retried before back-off: %d", wecom.count())
		}
		now = now.Add(2 * time.Minute)
		if _, err := first.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if wecom.count() != 6 || ding.count() != 6 {
			t.Fatalf("after back-off: wecom %d, dingtalk %d; want 6 each", wecom.count(), ding.count())
		}
		log2, err := st.Deliveries(ctx, []int64{unit.ID}, 100)
		if err != nil {
			t.Fatal(err)
		}
		failedThenSent := 0
		for _, d := range log2 {
			if d.Channel == notify.WeCom && d.Status == "sent" && d.Attempts == 2 {
				failedThenSent++
			}
		}
		if failedThenSent != 3 {
			t.Errorf("delivery log: %d WeCom deliveries sent on the second attempt, want 3", failedThenSent)
		}
	})
}

// fakeSender records what a round hands to the robots and fails WeCom
// deliveries while fail is set.
type fakeSender struct {
	mu       sync.Mutex
	wecom    []notify.Message
	dingtalk []notify.Message
	fail     bool
}

func (f *fakeSender) SendMail(context.Context, notify.Settings, []string, notify.Message) error {
	return nil
}

func (f *fakeSender) SendWeCom(_ context.Context, _ string, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("robot unavailable")
	}
	f.wecom = append(f.wecom, m)
	return nil
}

func (f *fakeSender) SendDingTalk(_ context.Context, _, _ string, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dingtalk = append(f.dingtalk, m)
	return nil
}

// TestRemindFakeSender: the round hands its messages to the injected
// sender, judged on the service clock; a delivery the sender refuses is
// logged as failed and sent by a later round once its back-off has passed.
func TestRemindFakeSender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 12, 24, 9, 0, 0, 0, cntime.Zone)
		svc := service.New(st, service.Config{BaseURL: "http://zhendi.local"}, nil)
		svc.SetClock(func() time.Time { return now })
		fake := &fakeSender{fail: true}
		svc.SetSender(fake)
		unit, _, sc := clerkUnit(t, st)
		ch := service.Channels{Settings: notify.Settings{UnitID: unit.ID, WeComURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}}
		if _, err := svc.SaveChannels(ctx, store.System, sc, ch); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Remind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Reminders != 3 || rep.Failed != 3 || len(fake.wecom) != 0 {
			t.Fatalf("first round: %+v, %d sent", rep, len(fake.wecom))
		}
		fake.fail = false
		now = now.Add(2 * time.Minute)
		if rep, err = svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if rep.Sent != 3 || len(fake.wecom) != 3 || len(fake.dingtalk) != 0 {
			t.Fatalf("retry round: %+v, %d sent", rep, len(fake.wecom))
		}
		if m := fake.wecom[0]; !strings.HasPrefix(m.Title, "【督导提醒】") || !strings.Contains(m.Body, "2023年12月31日") ||
			!strings.HasPrefix(m.Link, "http://zhendi.local/supervise?unit=") {
			t.Errorf("message: %+v", m)
		}
	})
}

// TestReminderWording: on the deadline day a reminder says 今日截止 (not
// "还有0天"), and an obligation of the unit itself names the unit once.
func TestReminderWording(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 12, 31, 9, 0, 0, 0, cntime.Zone)
		st.Now = func() time.Time { return now }
		unit, clerk, sc := clerkUnit(t, st)
		if err := st.SaveChannels(ctx, store.System, sc, notify.Settings{UnitID: unit.ID, InApp: true}, nil); err != nil {
			t.Fatal(err)
		}
		svc := service.New(st, service.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		svc.SetClock(func() time.Time { return now })
		if _, err := svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		notes, _, err := st.Notifications(ctx, clerk.ID, 50)
		if err != nil || len(notes) == 0 {
			t.Fatalf("no reminders on the deadline day: %v", err)
		}
		for _, n := range notes {
			if strings.Contains(n.Body, "还有0天") || !strings.Contains(n.Body, "今日截止") {
				t.Errorf("deadline-day reminder: %q", n.Body)
			}
			if strings.Count(n.Body, unit.Name) != 1 {
				t.Errorf("unit named %d times: %q", strings.Count(n.Body, unit.Name), n.Body)
			}
		}
	})
}
