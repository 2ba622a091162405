package remind_test

import (
	"context"
	"encoding/json"
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
	"zhendi/internal/supervise/remind"
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

// TestRemindersOnceAcrossRestart runs two scheduler instances over the same
// database with an injected clock: the reminders a week before the deadline
// go out once on every channel, overdue ones follow after the deadline, and
// a failed webhook is retried after its back-off.
func TestRemindersOnceAcrossRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 12, 24, 9, 0, 0, 0, cntime.Zone)
		st.Now = func() time.Time { return now }
		unit := org.Node{Kind: org.Unit, Name: "甲局"}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			t.Fatal(err)
		}
		clerk := org.User{OrgID: unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
		if err := service.New(st, service.Config{}, nil).CreateUser(ctx, store.System, &clerk, "password123"); err != nil {
			t.Fatal(err)
		}
		sc := access.Scope{UserID: clerk.ID, HomeUnit: unit.ID, ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
		var wecom, ding robot
		wsrv, dsrv := wecom.server(t), ding.server(t)
		mb := startMailbox(t)
		host, port, _ := net.SplitHostPort(mb.ln.Addr().String())
		p, _ := strconv.Atoi(port)
		err := st.SaveNotifySettings(ctx, store.System, sc, notify.Settings{UnitID: unit.ID, InApp: true, Email: true, SMTPHost: host, SMTPPort: p,
			SMTPFrom: "zhendi@example.gov.cn", WeComURL: wsrv.URL + "/cgi-bin/webhook/send?key=k", DingTalkURL: dsrv.URL + "/robot/send?access_token=t", DingTalkSecret: "SECx"})
		if err != nil {
			t.Fatal(err)
		}
		// The local receivers' host must be allowed, as a 安全保密管理员 would.
		sec := access.DefaultSecurity
		sec.NotifyHosts = "127.0.0.1"
		if err := st.SetSecuritySettings(ctx, store.System, sec); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveContactEmails(ctx, store.System, sc, unit.ID, map[int64]string{clerk.ID: "clerk@example.gov.cn"}); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		clock := func() time.Time { return now }
		first := &remind.Scheduler{St: st, Now: clock, Log: log, BaseURL: "http://zhendi.local"}
		rep, err := first.Tick(ctx)
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
		second := &remind.Scheduler{St: st, Now: clock, Log: log}
		if _, err := second.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := first.Tick(ctx); err != nil {
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
		if _, err := second.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		overdue := ding.count() - 3
		if overdue != 3 { // 专题研究, 研判报告, December 中心组学习
			t.Fatalf("overdue reminders on dingtalk: %d, want 3", overdue)
		}
		if wecom.count() != 3 {
			t.Fatalf("failed wecom deliveries counted as sent: %d", wecom.count())
		}
		if _, err := second.Tick(ctx); err != nil { // same minute: back-off not over
			t.Fatal(err)
		}
		if wecom.count() != 3 {
			t.Fatalf("retried before back-off: %d", wecom.count())
		}
		now = now.Add(2 * time.Minute)
		if _, err := first.Tick(ctx); err != nil {
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
