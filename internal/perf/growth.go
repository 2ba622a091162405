package perf

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"zhendi/internal/auth"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
)

// GrowthSample is what Grow measured when the district had Units units.
type GrowthSample struct {
	Units      int
	Activities int64         // ledger entries in the database after this unit
	Unit       time.Duration // adding the unit: nodes, staff and its years of ledger
	// CreateP50 and CreateP95 are the latencies of single entries with 20
	// attendees stored one transaction each (store.CreateActivity), and
	// Import the time of one 2,000-row import (store.ImportActivities); zero
	// when this sample was not a probe.
	CreateP50, CreateP95 time.Duration
	Import               time.Duration
}

// growthCreates is how many single entries a probe times.
const growthCreates = 40

// Grow builds a district inside one open store, one unit at a time as a
// running server sees a district's data arrive, and measures after the first
// unit, every probeEvery units and after the last: the time the unit took,
// a single entry's latency and a 2,000-row import. A store whose planner
// statistics or full-text index degrade as the tables grow shows it as
// rising figures; a healthy one stays flat. The database must not hold a
// generated district already.
func Grow(ctx context.Context, st *store.Store, opt Options, probeEvery int, progress func(GrowthSample)) ([]GrowthSample, error) {
	opt = opt.withDefaults()
	district := org.Node{Kind: org.District, Name: "示范区", Code: districtCode}
	if err := st.CreateNode(ctx, store.System, &district); err != nil {
		return nil, fmt.Errorf("create district: %w", err)
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	var out []GrowthSample
	for i := 0; i < opt.Units; i++ {
		start := time.Now()
		u, err := addUnit(ctx, st, district.ID, i, opt, hash)
		if err != nil {
			return out, err
		}
		s := GrowthSample{Units: i + 1, Unit: time.Since(start)}
		if i == 0 || (probeEvery > 0 && (i+1)%probeEvery == 0) || i+1 == opt.Units {
			if err := probe(ctx, st, &u, &s); err != nil {
				return out, fmt.Errorf("probe after unit %d: %w", i+1, err)
			}
		}
		if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM activities").Scan(&s.Activities); err != nil {
			return out, fmt.Errorf("count activities: %w", err)
		}
		out = append(out, s)
		if progress != nil {
			progress(s)
		}
	}
	return out, nil
}

// probe times growthCreates single entries and one 2,000-row import into
// unit u, as its clerk.
func probe(ctx context.Context, st *store.Store, u *unitRefs, s *GrowthSample) error {
	clerk := store.Actor{UserID: u.staff[clerkIndex], Name: u.names[clerkIndex]}
	rng := rand.New(rand.NewPCG(uint64(u.index+1), 99))
	pass := func(*ledger.Activity, ledger.Refs) error { return nil }
	lat := make([]time.Duration, 0, growthCreates)
	for n := 0; n < growthCreates; n++ {
		a := probeEntry(rng, u, n)
		start := time.Now()
		if err := st.CreateActivity(ctx, clerk, &a, nil, pass); err != nil {
			return fmt.Errorf("create: %w", err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	s.CreateP50, s.CreateP95 = percentile(lat, 50), percentile(lat, 95)

	rows := make([]ledger.Activity, 2000)
	for n := range rows {
		rows[n] = probeEntry(rng, u, n)
		rows[n].ImportKey = fmt.Sprintf("growth-%d-%d", u.index, n)
	}
	batch := store.ImportBatch{UnitID: u.unitID, FileName: "growth.xlsx", SHA256: "growth", Size: 1, Rows: len(rows)}
	if err := st.CreateImportBatch(ctx, clerk, &batch); err != nil {
		return fmt.Errorf("import batch: %w", err)
	}
	start := time.Now()
	res, err := st.ImportActivities(ctx, clerk, u.unitID, batch.ID, rows, func(int, *ledger.Activity, ledger.Refs) error { return nil }, true)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if res.Created != len(rows) {
		return fmt.Errorf("import created %d of %d rows", res.Created, len(rows))
	}
	s.Import = time.Since(start)
	return nil
}

// probeEntry is a 党组 study session of unit u with 20 attendees.
func probeEntry(rng *rand.Rand, u *unitRefs, n int) ledger.Activity {
	day := time.Date(2025, time.Month(1+n%12), 1+n%28, 0, 0, 0, 0, time.UTC)
	a := u.act(ledger.CentralGroup, day, u.unitID, firstResp)
	a.Title = fmt.Sprintf("增长测试第%d次集中学习", n+1)
	a.Content = content(rng, a.LeadName, 3)
	u.attend(rng, &a, span(0, 20), 3)
	return a
}

// GrowthTable writes samples as a Markdown table: one row per probe.
func GrowthTable(w io.Writer, samples []GrowthSample) {
	fmt.Fprintln(w, "| units | entries | add one unit | single entry p50 / p95 | 2,000-row import |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|")
	for _, s := range samples {
		if s.Import == 0 {
			continue
		}
		fmt.Fprintf(w, "| %d | %d | %.2f s | %.1f / %.1f ms | %.2f s |\n", s.Units, s.Activities, s.Unit.Seconds(),
			ms(s.CreateP50), ms(s.CreateP95), s.Import.Seconds())
	}
}
