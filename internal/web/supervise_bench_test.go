package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/perf"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

// benchStore opens the benchmark district: ZHENDI_SUP_BENCH_DB names a copy
// of a database made by `zhendi bench` (100 units × 10 years); without it a
// small district is generated in a temporary folder so the benchmark runs
// anywhere. The copy is migrated (supervision tables) and written to.
func benchStore(b *testing.B) (*store.Store, perf.Dataset) {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("ZHENDI_SUP_BENCH_DB")
	dir := b.TempDir()
	if path == "" {
		path = filepath.Join(dir, "bench.db")
	}
	st, err := store.Open(ctx, path, filepath.Join(dir, "files"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	ds, err := perf.Find(ctx, st)
	if err != nil {
		if ds, err = perf.Generate(ctx, st, perf.Options{Units: 10, Years: 2, Staff: 30}, nil); err != nil {
			b.Fatal(err)
		}
		if err := perf.Analyze(ctx, st); err != nil {
			b.Fatal(err)
		}
	}
	return st, ds
}

// benchLogin signs in through the form and returns the session cookies.
func benchLogin(b *testing.B, srv *httptest.Server, username, password string) *http.Client {
	b.Helper()
	e := &env{srv: srv}
	c := e.client()
	_, page := c.getB(b, "/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		b.Fatal("no csrf on login page")
	}
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}, "next": {"/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err := c.hc.Do(req)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login %s: %v %v", username, err, resp)
	}
	resp.Body.Close()
	return c.hc
}

func (c *client) getB(b *testing.B, path string) (int, string) {
	resp, err := c.hc.Get(c.e.srv.URL + path)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func fetch(b *testing.B, hc *http.Client, u, want string) time.Duration {
	start := time.Now()
	resp, err := hc.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		b.Fatalf("GET %s: %d %.300s", u, resp.StatusCode, body)
	}
	return d
}

func reportP95(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	p95 := ds[(len(ds)*95+99)/100-1]
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkSuperviseRollup: the district supervisor's roll-up (every unit ×
// every obligation for the last generated year) through the real handler.
func BenchmarkSuperviseRollup(b *testing.B) {
	st, ds := benchStore(b)
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hc := benchLogin(b, ts, ds.Supervisor, ds.Password)
	u := fmt.Sprintf("%s/supervise/district?year=%d", ts.URL, ds.EndYear)
	fetch(b, hc, u, "各单位落实情况")
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		times = append(times, fetch(b, hc, u, "各单位落实情况"))
	}
	b.StopTimer()
	b.ReportMetric(float64(len(ds.UnitIDs)), "units")
	reportP95(b, times)
}

// BenchmarkSuperviseAfterChange: record one ledger entry, then open the
// unit's dashboard, which must show it (no cache to invalidate: the figures
// are computed from the ledger on every request). The time is the
// dashboard request after the change.
func BenchmarkSuperviseAfterChange(b *testing.B) {
	st, ds := benchStore(b)
	ctx := context.Background()
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hc := benchLogin(b, ts, ds.Clerk, ds.Password)
	clerk, err := st.UserByUsername(ctx, ds.Clerk)
	if err != nil {
		b.Fatal(err)
	}
	sc := access.Build(clerk.ID, clerk.UnitID, clerk.Grants, func(int64) []int64 { return nil })
	actor := store.Actor{UserID: clerk.ID, Name: clerk.Name}
	now := time.Now()
	u := fmt.Sprintf("%s/supervise?unit=%d&year=%d", ts.URL, clerk.UnitID, now.Year())
	fetch(b, hc, u, "意识形态工作责任制落实情况")
	// Earlier runs on the same copy may have left entries this year.
	n, err := st.CountActivities(ctx, sc, ledger.Filter{UnitID: clerk.UnitID, Types: []string{ledger.TopicStudy},
		From: now.Format("2006") + "-01-01", To: now.Format("2006") + "-12-31"})
	if err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		n++
		a := ledger.Activity{UnitID: clerk.UnitID, OrgID: clerk.UnitID, Type: ledger.TopicStudy, Title: fmt.Sprintf("基准测试专题研究 %d", n),
			Date: now.Format(cntime.DateLayout), Agenda: "研究意识形态工作", LeadName: clerk.Name}
		if err := svcOf(st).CreateActivity(ctx, actor, sc, &a, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		times = append(times, fetch(b, hc, u, fmt.Sprintf(`查看%d条记录`, n)))
	}
	b.StopTimer()
	reportP95(b, times)
}
