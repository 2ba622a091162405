package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/perf"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

// BenchmarkOpinionPages1M measures the 舆情 dashboard (30 days and a whole
// year) and an event page of a unit holding a million items over the last
// year (ZHENDI_OP_BENCH_ITEMS changes the number; ZHENDI_OP_BENCH_DB keeps
// the generated SQLite database for the next run), through the real router
// logged in as the unit's 意识形态专干, and reports p50 and p95 in ms.
func BenchmarkOpinionPages1M(b *testing.B) {
	ctx := context.Background()
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ZHENDI_OP_BENCH_ITEMS")); err == nil && v > 0 {
		n = v
	}
	path := os.Getenv("ZHENDI_OP_BENCH_DB")
	dir := b.TempDir()
	if path == "" {
		path = filepath.Join(dir, "op.db")
	}
	st, err := store.Open(ctx, path, filepath.Join(dir, "files"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	var unitID, eventID int64
	if err := st.DB().QueryRow("SELECT id FROM orgs WHERE name = '舆情基准局'").Scan(&unitID); err != nil {
		unit := org.Node{Kind: org.Unit, Name: "舆情基准局"}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			b.Fatal(err)
		}
		unitID = unit.ID
		clerk := org.User{OrgID: unit.ID, Username: "opbench", Name: "专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
		if err := service.New(st, service.Config{}, nil).CreateUser(ctx, store.System, &clerk, pw); err != nil {
			b.Fatal(err)
		}
		fx, err := perf.OpinionSample(ctx, st, unit.ID, now)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		events, err := perf.OpinionBulk(ctx, st, fx, unit.ID, n, 365, now)
		if err != nil {
			b.Fatal(err)
		}
		if err := perf.Analyze(ctx, st); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d items and %d events in %s", n, events, time.Since(start).Round(time.Second))
	}
	if err := st.DB().QueryRow("SELECT MAX(id) FROM opinion_events WHERE unit_id = $1", unitID).Scan(&eventID); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, log), log)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hc := benchLogin(b, ts, "opbench", pw)
	// The first dashboard look builds the unit's day counts (once per
	// installation, then only new items): timed apart.
	b.Logf("first dashboard look (builds the day counts): %s", fetch(b, hc, ts.URL+fmt.Sprintf("/opinion?unit=%d&days=7", unitID), "舆情概况").Round(time.Millisecond))
	for _, page := range []struct{ name, path, want string }{
		{"dashboard-30d", fmt.Sprintf("/opinion?unit=%d&days=30", unitID), "舆情概况"},
		{"dashboard-365d", fmt.Sprintf("/opinion?unit=%d&days=365", unitID), "舆情概况"},
		{"event", fmt.Sprintf("/opinion/events/%d", eventID), "事件走势"},
		{"events-list", fmt.Sprintf("/opinion/events?unit=%d&days=30", unitID), "舆情事件"},
	} {
		b.Run(page.name, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				ds = append(ds, fetch(b, hc, ts.URL+page.path, page.want))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[len(ds)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
