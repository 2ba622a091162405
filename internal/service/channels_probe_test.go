package service_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// failingSite serves two homepages that fail on a schedule of the fake
// clock: /a/ 8 times in the week judged (8 of 168 visits, 4.8%: passes)
// and /b/ 9 times (5.4%: single veto). One of /a/'s slow answers takes
// 14.999 s (not 打不开); /b/'s takes exactly 15 s (打不开).
type failingSite struct {
	*httptest.Server
	mu     sync.Mutex
	now    time.Time
	extra  time.Duration // the fetcher's clock runs this far ahead (slow answers)
	visits map[string]int
}

func (f *failingSite) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *failingSite) fetcherClock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now.Add(f.extra)
}

func (f *failingSite) set(t time.Time) {
	f.mu.Lock()
	f.now, f.extra = t, 0
	f.mu.Unlock()
}

func newFailingSite(t *testing.T) *failingSite {
	f := &failingSite{visits: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		f.mu.Lock()
		now := f.now.In(cntime.Zone)
		f.visits[r.URL.Path+" "+cntime.Date(now)]++
		day, hour := now.Day(), now.Hour()
		var slow time.Duration
		fail := false
		if day >= 21 && day <= 27 && hour == 3 { // one failure a day in the week judged
			fail = true
		}
		if day == 22 && hour == 4 { // a slow answer
			slow = 15 * time.Second
			if r.URL.Path == "/a/" {
				slow -= time.Millisecond
			}
		}
		if r.URL.Path == "/a/" && day == 23 && hour == 5 { // /a/'s 8th
			fail = true
		}
		if r.URL.Path == "/b/" && day == 24 && hour == 6 { // /b/'s 9th (its 8th is the 15 s answer)
			fail = true
		}
		if day == 20 || day == 28 { // outside the week judged on the 28th
			fail = true
		}
		f.extra += slow
		f.mu.Unlock()
		if fail {
			http.Error(w, "维护中", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "<p>首页 2024-03-20</p>")
	}))
	t.Cleanup(f.Close)
	return f
}

func TestSiteVisitsJudgedAsTheIndicator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		site := newFailingSite(t)
		start := time.Date(2024, 3, 20, 0, 0, 0, 0, cntime.Zone)
		site.set(start)
		f.svc.SetClock(site.clock)
		fe := service.NewFetcher()
		fe.Gap, fe.PerHost, fe.Now = 0, 1, site.fetcherClock
		f.svc.SetFetcher(fe)
		add := func(name, path string) channel.Channel {
			c := channel.Channel{UnitID: f.unitA.ID, Name: name, Kind: channel.Portal, URL: site.URL + path, Method: channel.MethodListing,
				ResponsibleID: f.clerkA.ID, FilingNo: "备2024-1", FilingDate: "2024-01-01"}
			if err := f.svc.CreateChannel(ctx, f.actor(f.clerkA), f.scA, &c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		a, b := add("甲局门户", "/a/"), add("乙局门户", "/b/")
		zero := func() time.Duration { return 0 }
		// The job runs every 10 minutes of the fake clock for 8 days.
		for now := start; now.Before(start.AddDate(0, 0, 8).Add(12 * time.Hour)); now = now.Add(10 * time.Minute) {
			site.set(now)
			if _, err := f.svc.ProbeSites(ctx, service.ProbeOptions{Jitter: zero}); err != nil {
				t.Fatalf("%v: %v", now, err)
			}
		}
		for _, p := range []string{"/a/", "/b/"} {
			for d := 21; d <= 27; d++ {
				if n := site.visits[fmt.Sprintf("%s 2024-03-%02d", p, d)]; n != channel.ProbesPerDay {
					t.Errorf("%s visited %d times on the %dth, want %d", p, n, d, channel.ProbesPerDay)
				}
			}
		}
		site.set(time.Date(2024, 3, 28, 12, 0, 0, 0, cntime.Zone))
		boards, err := f.svc.ChannelBoards(ctx, f.scA, []int64{f.unitA.ID})
		if err != nil {
			t.Fatal(err)
		}
		bd := boards[f.unitA.ID]
		if av := bd.Avail[a.ID]; !av.Complete || av.Total != 168 || av.Failed != 8 || av.Vetoed {
			t.Errorf("site a: %+v (%s)", av, av.Text())
		}
		if av := bd.Avail[b.ID]; !av.Complete || av.Total != 168 || av.Failed != 9 || !av.Vetoed {
			t.Errorf("site b: %+v (%s)", av, av.Text())
		}
		for _, v := range bd.Vetoes {
			if v.Code == "unreachable" && (!v.Failed || fmt.Sprint(v.Channels) != fmt.Sprint([]int64{b.ID})) {
				t.Errorf("veto: %+v", v)
			}
		}
		// The visits are kept 6 bytes each; after the retention the
		// visits go and the day's counts stay.
		ss, err := s.Samples(ctx, b.ID, "2024-03-24", 100)
		if err != nil || len(ss) == 0 || !ss[len(ss)-1].Failed() && ss[len(ss)-1].At < time.Date(2024, 3, 24, 0, 0, 0, 0, cntime.Zone).Unix() {
			t.Fatalf("samples %v %v", len(ss), err)
		}
		later := time.Date(2024, 3, 29, 0, 0, 0, 0, cntime.Zone).AddDate(0, 0, channel.ProbeRetentionDays+1)
		site.set(later)
		if _, err := f.svc.ProbeSites(ctx, service.ProbeOptions{Jitter: zero}); err != nil {
			t.Fatal(err)
		}
		if ss, _ := s.Samples(ctx, b.ID, "2024-03-20", 1000); len(ss) != 1 {
			t.Errorf("after %d days only the new visit is kept, got %d", channel.ProbeRetentionDays, len(ss))
		}
		days, err := s.ProbeDays(ctx, []int64{f.unitA.ID}, "2024-03-21", "2024-03-27")
		if err != nil || len(days[b.ID]) != 7 {
			t.Errorf("day counts must stay for the reports: %v %v", days[b.ID], err)
		}
	})
}
