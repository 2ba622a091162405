package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/notify"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/web"
)

// node is one zhendi process: its own store (connection pool), service,
// router and HTTP server, on the shared database.
type node struct {
	st  *store.Store
	svc *service.Service
	srv *httptest.Server
}

// countingSender counts the reminders handed to the WeCom robot, across
// nodes.
type countingSender struct{ wecom atomic.Int32 }

func (c *countingSender) SendMail(context.Context, notify.Settings, []string, notify.Message) error {
	return nil
}
func (c *countingSender) SendWeCom(context.Context, string, notify.Message) error {
	c.wecom.Add(1)
	return nil
}
func (c *countingSender) SendDingTalk(context.Context, string, string, notify.Message) error {
	return nil
}

// startNode opens a store on dsn with the shared audit key and its own
// checkpoint file, and serves the real router.
func startNode(t *testing.T, dsn, keyPath string, now func() time.Time, snd service.Sender) *node {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	af := store.DefaultAuditFiles(t.TempDir())
	af.KeyPath = keyPath
	if err := st.OpenAudit(ctx, af); err != nil {
		t.Fatal(err)
	}
	st.Now = now
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, service.Config{BaseURL: "http://zhendi.local"}, log)
	svc.SetSender(snd)
	svc.SetLeaseTTL(2 * time.Second)
	srv, err := web.New(web.Config{}, svc, log)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetClock(now)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &node{st: st, svc: svc, srv: hs}
}

// skipCounter counts the ticks a node left to another (service.Recorder).
type skipCounter struct{ n atomic.Int32 }

func (*skipCounter) JobRound(string, time.Time, time.Duration, error) {}
func (c *skipCounter) JobSkipped(string)                              { c.n.Add(1) }
func (*skipCounter) Delivered(string, error)                          {}
func (*skipCounter) Imported(string, int)                             {}

var loginCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser is one user's browser; its cookie jar ignores ports, so the
// session cookie set by one node is sent to every node, as behind a
// reverse proxy.
type browser struct {
	t  *testing.T
	hc *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(n *node, path string) (int, string) {
	b.t.Helper()
	resp, err := b.hc.Get(n.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) login(n *node, username, password string) (int, string) {
	b.t.Helper()
	_, page := b.get(n, "/login")
	m := loginCSRF.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("login page has no csrf token: %.200s", page)
	}
	form := url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}, "next": {"/"}}
	req, _ := http.NewRequest("POST", n.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", n.srv.URL)
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestNodesOnOnePostgres runs three nodes on one PostgreSQL schema (issue
// 20 part 5): they migrate together (once), a login on one node is valid on
// the others, failed logins on different nodes add up to one lockout, a
// reminder round run on every node at once sends each reminder once and
// runs on one node at a time, a node killed while it holds a job's lease
// is taken over by another once the lease expires, and the audit chain
// written by all of them verifies.
func TestNodesOnOnePostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	if dsn == "" {
		t.Skip("ZHENDI_TEST_PG not set")
	}
	ctx := context.Background()
	now := time.Date(2023, 12, 24, 9, 0, 0, 0, cntime.Zone)
	var clockMu sync.Mutex
	clock := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
	keyPath := filepath.Join(t.TempDir(), "audit.key")
	snd := &countingSender{}

	// Node A reaches the database through a proxy, so the test can cut it
	// off as if the machine died.
	u, _ := url.Parse(dsn)
	proxy := storetest.NewProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = proxy.Addr()
	var nodes [3]*node
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			d := dsn
			if i == 0 {
				d = viaProxy.String()
			}
			nodes[i] = startNode(t, d, keyPath, clock, snd)
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	a, b, c := nodes[0], nodes[1], nodes[2]

	// A unit with its clerk and a WeCom robot, made on node A.
	unit := org.Node{Kind: org.Unit, Name: "甲局"}
	if err := a.svc.CreateNode(ctx, store.System, &unit); err != nil {
		t.Fatal(err)
	}
	clerk := org.User{OrgID: unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
	if err := a.svc.CreateUser(ctx, store.System, &clerk, "Kx7m-Lp2q9"); err != nil {
		t.Fatal(err)
	}
	sc := access.Scope{UserID: clerk.ID, HomeUnit: unit.ID, ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
	ch := service.Channels{Settings: notify.Settings{UnitID: unit.ID, WeComURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}}
	if _, err := b.svc.SaveChannels(ctx, store.System, sc, ch); err != nil {
		t.Fatal(err)
	}

	// A session started on A is valid on B and C.
	br := newBrowser(t)
	if code, body := br.login(a, "clerk", "Kx7m-Lp2q9"); code != http.StatusSeeOther {
		t.Fatalf("login on A: %d %.300s", code, body)
	}
	for _, n := range []*node{b, c} {
		if code, body := br.get(n, "/"); code != http.StatusOK || !strings.Contains(body, "李专干") {
			t.Fatalf("home on another node with A's session: %d", code)
		}
	}

	// Five wrong passwords spread over the nodes lock the account, on
	// every node. (Each node counting alone would have seen two at most.)
	att := newBrowser(t)
	for i := range 5 {
		code, body := att.login(nodes[i%3], "clerk", "wrong-password1")
		if i < 4 && code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %.200s", i+1, code, body)
		}
	}
	for _, n := range nodes {
		if code, body := att.login(n, "clerk", "Kx7m-Lp2q9"); code != http.StatusForbidden || !strings.Contains(body, "锁定") {
			t.Fatalf("locked account on %s: %d %.200s", n.srv.URL, code, body)
		}
	}
	// The address's refused attempts are counted in the database too: the
	// five failures and three locked attempts of all nodes.
	if n, err := c.st.LoginIPFailures(ctx, "127.0.0.1", clock().Unix(), 5*time.Minute); err != nil || n != 8 {
		t.Fatalf("refused logins of the address seen by C: %d (%v), want 8", n, err)
	}

	// One reminder round started on every node at once: each reminder is
	// sent once (3 due on 31 December), and the rounds never overlap.
	var running, overlaps, rounds, finished atomic.Int32
	round := func(n *node) func(context.Context) error {
		return func(ctx context.Context) error {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer running.Add(-1)
			rounds.Add(1)
			defer finished.Add(1)
			return n.svc.RemindRound(ctx)
		}
	}
	jctx, stopJobs := context.WithCancel(ctx)
	for _, n := range nodes {
		wg.Go(func() { n.svc.RunEvery(jctx, "supervision reminders", time.Hour, round(n)) })
	}
	deadline := time.Now().Add(20 * time.Second)
	for finished.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // the other nodes' first ticks have been refused by now
	stopJobs()
	wg.Wait()
	if rounds.Load() != 1 || overlaps.Load() != 0 {
		t.Fatalf("reminder rounds on three nodes: %d (overlapping %d), want 1 within the hour", rounds.Load(), overlaps.Load())
	}
	if got := snd.wecom.Load(); got != 3 {
		t.Fatalf("reminders sent: %d, want 3", got)
	}
	// Run directly on every node at once (as `zhendi remind` beside the
	// servers would): the deliveries are claimed under keys, nothing twice.
	for _, n := range nodes {
		wg.Go(func() {
			if err := n.svc.RemindRound(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := snd.wecom.Load(); got != 3 {
		t.Fatalf("reminders sent after rounds on every node: %d, want 3", got)
	}

	// Kill A in the middle of a round: it holds the lease, its database
	// link is cut and its context ends, so it can neither finish nor
	// release. B's ticks are refused until the lease expires, then B takes
	// the job over and completes it.
	const job = "channel checks"
	started := make(chan struct{})
	actx, killA := context.WithCancel(ctx)
	aDone := make(chan struct{})
	go func() {
		defer close(aDone)
		a.svc.RunEvery(actx, job, time.Hour, func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
	}()
	<-started
	l, err := b.st.LeaseOf(ctx, job)
	if err != nil || l.Holder != a.svc.NodeID() {
		t.Fatalf("lease while A runs: %+v %v", l, err)
	}
	proxy.Cut()
	killA()
	<-aDone
	var bRan, bFinished atomic.Bool
	skips := &skipCounter{}
	b.svc.SetRecorder(skips)
	bctx, stopB := context.WithCancel(ctx)
	bDone := make(chan struct{})
	killedAt := time.Now()
	var tookOverAfter time.Duration
	go func() {
		defer close(bDone)
		b.svc.RunEvery(bctx, job, 50*time.Millisecond, func(ctx context.Context) error {
			if !bRan.Swap(true) {
				tookOverAfter = time.Since(killedAt)
			}
			err := b.svc.CheckChannels(ctx)
			bFinished.Store(err == nil)
			return err
		})
	}()
	for !bFinished.Load() && time.Since(killedAt) < 20*time.Second {
		time.Sleep(20 * time.Millisecond)
	}
	stopB()
	<-bDone
	if !bFinished.Load() {
		t.Fatalf("B never completed the job of the killed node (started: %v)", bRan.Load())
	}
	if skips.n.Load() == 0 || tookOverAfter < 200*time.Millisecond {
		t.Errorf("B ran %v after A was killed with %d ticks refused: A's two-second lease did not hold it off", tookOverAfter, skips.n.Load())
	}
	l, err = c.st.LeaseOf(ctx, job)
	if err != nil || l.Holder != b.svc.NodeID() || l.DoneAt == 0 {
		t.Fatalf("lease after takeover: %+v %v, want B's finished round", l, err)
	}

	// The audit chain written by the three nodes verifies, and has the
	// entries of each: A's session, B's channel settings, C's refusals.
	r, err := c.st.VerifyAuditReport(ctx)
	if err != nil {
		t.Fatalf("audit chain after three nodes: %v", err)
	}
	if r.Entries < 10 {
		t.Errorf("audit has %d entries, want the logins, refusals and settings of all nodes", r.Entries)
	}
}
