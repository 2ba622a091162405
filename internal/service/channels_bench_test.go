package service_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// benchHost is a local site that counts its requests in flight, to show
// the per-host bound holds.
type benchHost struct {
	*httptest.Server
	inFlight, maxInFlight atomic.Int64
	hang                  bool
}

func newBenchHost(tb testing.TB, today string, hang bool) *benchHost {
	h := &benchHost{hang: hang}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := h.inFlight.Add(1)
		defer h.inFlight.Add(-1)
		for {
			m := h.maxInFlight.Load()
			if n <= m || h.maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		if h.hang {
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
			return
		}
		time.Sleep(5 * time.Millisecond) // a server that takes a moment
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
			return
		}
		fmt.Fprintf(w, `<ul><li><a href="a1.html">一</a> %s</li><li><a href="a2.html">二</a> %s</li><li><a href="a3.html">三</a> %s</li></ul>`, today, today, today)
	}))
	tb.Cleanup(h.Close)
	return h
}

// checkFixture is one unit with perHost channels on each of hosts local
// sites.
func checkFixture(tb testing.TB, s *store.Store, hosts []*benchHost, perHost int) (*service.Service, int64) {
	ctx := context.Background()
	unit := org.Node{Kind: org.Unit, Name: "测试局"}
	if err := s.CreateNode(ctx, store.System, &unit); err != nil {
		tb.Fatal(err)
	}
	hash, _ := auth.HashPassword("Kx7m-Lp2q9")
	u := org.User{OrgID: unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
	if err := s.CreateUserWithHash(ctx, store.System, &u, hash); err != nil {
		tb.Fatal(err)
	}
	sc := access.Scope{UserID: u.ID, ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
	var cs []channel.Channel
	for hi, h := range hosts {
		for i := 0; i < perHost; i++ {
			cs = append(cs, channel.Channel{Name: fmt.Sprintf("栏目%d-%d", hi, i), Kind: channel.Column, Class: channel.ClassNews, URL: fmt.Sprintf("%s/c%d/", h.URL, i),
				ResponsibleID: u.ID, Status: channel.Running, Method: channel.MethodListing})
		}
	}
	if err := s.ImportChannels(ctx, store.System, sc, unit.ID, cs, func(i int) int { return i + 3 }); err != nil {
		tb.Fatal(err)
	}
	return service.New(s, service.Config{}, nil), unit.ID
}

// TestChecksBoundedPerHost: 5 hosts × 8 channels, one host hanging until
// the timeout. Every channel is checked, the hanging host's as
// unreachable and the others' as fresh, and no host ever had more than
// PerHost requests open.
func TestChecksBoundedPerHost(t *testing.T) {
	st := storetest.SQLite(t)
	today := cntime.Date(time.Now())
	var hosts []*benchHost
	for i := 0; i < 5; i++ {
		hosts = append(hosts, newBenchHost(t, today, i == 0))
	}
	svc, unit := checkFixture(t, st, hosts, 8)
	f := service.NewFetcher()
	f.Timeout, f.Gap = 300*time.Millisecond, 10*time.Millisecond
	svc.SetFetcher(f)
	res, err := svc.RunChannelChecks(context.Background(), unit, service.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	down, fresh := 0, 0
	for _, r := range res {
		if !r.Result.OK {
			down++
		} else if r.Fresh.Light == channel.Green {
			fresh++
		}
	}
	if len(res) != 40 || down != 8 || fresh != 32 {
		t.Fatalf("%d checked, %d unreachable, %d fresh; want 40, 8, 32", len(res), down, fresh)
	}
	for i, h := range hosts {
		if m := h.maxInFlight.Load(); m > int64(f.PerHost) {
			t.Errorf("host %d had %d requests open at once (limit %d)", i, m, f.PerHost)
		}
	}
}

// BenchmarkCheck500On50Hosts checks 500 channels on 50 local hosts with
// the default politeness (2 requests per host, 200 ms apart, 3 articles
// read per listing). Goal: under 60 s.
func BenchmarkCheck500On50Hosts(b *testing.B) {
	st := storetest.SQLite(b)
	today := cntime.Date(time.Now())
	var hosts []*benchHost
	for i := 0; i < 50; i++ {
		hosts = append(hosts, newBenchHost(b, today, false))
	}
	svc, unit := checkFixture(b, st, hosts, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := svc.RunChannelChecks(context.Background(), unit, service.CheckOptions{})
		if err != nil || len(res) != 500 {
			b.Fatalf("%d checked: %v", len(res), err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/round")
	}
	var worst int64
	for _, h := range hosts {
		worst = max(worst, h.maxInFlight.Load())
	}
	b.ReportMetric(float64(worst), "max-open-per-host")
}

// BenchmarkChannelBoardsDistrict builds the district supervisor's boards:
// 100 units × 20 channels, each checked once (probes, publication days,
// stale findings). Goal: p95 under 100 ms.
func BenchmarkChannelBoardsDistrict(b *testing.B) {
	st := storetest.SQLite(b)
	ctx := context.Background()
	hash, _ := auth.HashPassword("Kx7m-Lp2q9")
	district := org.Node{Kind: org.District, Name: "示范区"}
	if err := st.CreateNode(ctx, store.System, &district); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	var units []int64
	kinds := []channel.Kind{channel.Portal, channel.Column, channel.Column, channel.Column, channel.Column, channel.Column, channel.Column, channel.Column,
		channel.Column, channel.Column, channel.Column, channel.Column, channel.WechatMP, channel.WechatVideo, channel.Weibo, channel.WechatGroup,
		channel.QQGroup, channel.Board, channel.Panel, channel.Room}
	for ui := 0; ui < 100; ui++ {
		unit := org.Node{Kind: org.Unit, Name: fmt.Sprintf("单位%03d", ui), ParentID: district.ID}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			b.Fatal(err)
		}
		units = append(units, unit.ID)
		u := org.User{OrgID: unit.ID, Username: fmt.Sprintf("u%03d", ui), Name: "专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
		if err := st.CreateUserWithHash(ctx, store.System, &u, hash); err != nil {
			b.Fatal(err)
		}
		sc := access.Scope{UserID: u.ID, ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
		var cs []channel.Channel
		for i, k := range kinds {
			c := channel.Channel{Name: fmt.Sprintf("阵地%d", i), Kind: k, ResponsibleID: u.ID, Status: channel.Running, Method: channel.MethodManual}
			if k == channel.Column {
				c.Class = channel.Classes[i%len(channel.Classes)]
			}
			if k.Web() {
				c.URL = "http://example.invalid/"
			}
			cs = append(cs, c)
		}
		if err := st.ImportChannels(ctx, store.System, sc, unit.ID, cs, func(i int) int { return i + 3 }); err != nil {
			b.Fatal(err)
		}
		for i, c := range cs {
			ago := (ui*7 + i*3) % 40
			res := channel.Result{ChannelID: c.ID, UnitID: unit.ID, At: now.Add(-time.Hour).Unix(), OK: i%9 != 0, Millis: 200 + i*10,
				Dates: []string{cntime.Date(now.AddDate(0, 0, -ago)), cntime.Date(now.AddDate(0, 0, -ago-20))}}
			c.UnitID = unit.ID
			fr := channel.Judge(c, nil, cntime.Date(now))
			if sf := channel.StaleFinding(c, fr); sf != nil {
				res.Findings = append(res.Findings, *sf)
			}
			if _, err := st.SaveCheck(ctx, c, res, fr); err != nil {
				b.Fatal(err)
			}
		}
	}
	svc := service.New(st, service.Config{}, nil)
	sc := access.Scope{ReadUnits: units}
	var times []time.Duration
	var mu sync.Mutex
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		boards, err := svc.ChannelBoards(ctx, sc, units)
		if err != nil || len(boards) != 100 || len(boards[units[0]].Rows) != 20 {
			b.Fatalf("boards: %v", err)
		}
		mu.Lock()
		times = append(times, time.Since(start))
		mu.Unlock()
	}
	b.StopTimer()
	slices.Sort(times)
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}
