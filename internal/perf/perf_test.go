package perf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestGenerateAndRun runs the benchmark path at a tiny size on SQLite and,
// with ZHENDI_TEST_PG, PostgreSQL: generation, login through the form, every
// measured page, and the figures they show against counts taken straight
// from the store.
func TestGenerateAndRun(t *testing.T) {
	storetest.Each(t, testGenerateAndRun)
}

func testGenerateAndRun(t *testing.T, st *store.Store) {
	ctx := context.Background()
	opt := Options{Units: 2, Years: 1, Staff: minStaff}
	ds, err := Generate(ctx, st, opt, func(s string) { t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.UnitIDs) != 2 || ds.Activities < 500 || ds.Attendance < 10*ds.Activities/2 {
		t.Fatalf("dataset too small: %+v", ds)
	}
	again, err := Find(ctx, st)
	if err != nil || again.Activities != ds.Activities || again.PersonID != ds.PersonID {
		t.Fatalf("Find = %+v, %v; want the generated %+v", again, err, ds)
	}
	if _, err := Generate(ctx, st, opt, nil); err == nil {
		t.Fatal("second Generate on the same database succeeded")
	}
	if err := Analyze(ctx, st); err != nil {
		t.Fatal(err)
	}
	results, err := Run(ctx, st, ds, RunOptions{Requests: 2, Warmup: 1}, func(s string) { t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(Pages(ds)) {
		t.Fatalf("%d results for %d pages", len(results), len(Pages(ds)))
	}

	clerk, err := st.UserByUsername(ctx, ds.Clerk)
	if err != nil {
		t.Fatal(err)
	}
	sc := access.Build(clerk.ID, clerk.UnitID, clerk.Grants, func(int64) []int64 { return nil })
	period, _ := ledger.ParsePeriod("2025H1")
	count := func(f ledger.Filter) int {
		t.Helper()
		f.UnitID, f.From, f.To = clerk.UnitID, period.From, period.To
		n, err := st.CountActivities(ctx, sc, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	byName := map[string]Result{}
	for _, r := range results {
		byName[r.Name] = r
	}
	home := byName["clerk home 2025H1"].Body
	central := count(ledger.Filter{Types: []string{ledger.CentralGroup}})
	if central != 12 {
		t.Errorf("central group study in 2025H1 = %d, want twice a month", central)
	}
	for label, n := range map[string]int{
		"党组集中学习":  central,
		"召开党政工作会": count(ledger.Filter{Types: []string{ledger.PartyGovMeeting}}),
		"宣讲":      count(ledger.Filter{Types: []string{ledger.Preach}}),
		"为服务对象宣讲": count(ledger.Filter{Types: []string{ledger.Preach}, AudienceType: "服务对象"}),
	} {
		// The figure's number is the first <span class="n"> after its label.
		re := regexp.MustCompile(`data-figure="` + label + `">.*?<span class="n">(\d+)</span>`)
		if m := re.FindStringSubmatch(home); m == nil || m[1] != strconv.Itoa(n) {
			t.Errorf("clerk home shows %s = %v, want %d", label, m, n)
		}
	}
	list := byName["clerk ledger type+period"].Body
	if want := fmt.Sprintf("共 %d 条", central); !strings.Contains(list, want) {
		t.Errorf("filtered ledger list lacks %q", want)
	}
	sup := byName["supervisor home 2025H1"].Body
	for _, name := range []string{"示范区农业农村局", "示范区教育局"} {
		if !strings.Contains(sup, name) {
			t.Errorf("supervisor comparison lacks %s", name)
		}
	}
	all := byName["supervisor ledger all units"].Body
	if want := fmt.Sprintf("共 %d 条", ds.Activities); !strings.Contains(all, want) {
		t.Errorf("all-units ledger lacks %q", want)
	}
	var deleted int
	if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM activities WHERE deleted_at IS NOT NULL").Scan(&deleted); err != nil || deleted != 0 {
		t.Errorf("generated %d deleted entries (%v)", deleted, err)
	}
}

// BenchmarkGrowth grows one SQLite database inside one store from empty to
// ZHENDI_GROWTH_UNITS units (default 30) of ten years each and prints the
// time per unit, a single entry's latency and a 2,000-row import's time at
// the start, every ten units and at the end. A healthy store stays flat:
//
//	go test -run xxx -bench Growth -benchtime 1x ./internal/perf
//
// ZHENDI_GROWTH_DB=postgres://... runs it on PostgreSQL instead (an empty schema).
func BenchmarkGrowth(b *testing.B) {
	units := 30
	if v := os.Getenv("ZHENDI_GROWTH_UNITS"); v != "" {
		units, _ = strconv.Atoi(v)
	}
	ctx := context.Background()
	for range b.N {
		dsn := os.Getenv("ZHENDI_GROWTH_DB")
		if dsn == "" {
			dsn = filepath.Join(b.TempDir(), "growth.db")
		}
		st, err := store.Open(ctx, dsn, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Migrate(ctx, nil); err != nil {
			b.Fatal(err)
		}
		// Printed as it goes (b.Log keeps only ten lines of a benchmark).
		samples, err := Grow(ctx, st, Options{Units: units}, 10, func(s GrowthSample) {
			fmt.Printf("unit %d: %.2f s, %d entries\n", s.Units, s.Unit.Seconds(), s.Activities)
		})
		st.Close()
		if err != nil {
			b.Fatal(err)
		}
		GrowthTable(os.Stdout, samples)
		first, last := samples[0], samples[len(samples)-1]
		b.ReportMetric(last.Unit.Seconds()/first.Unit.Seconds(), "unit-last/first")
		b.ReportMetric(float64(last.CreateP95)/float64(first.CreateP95), "create-p95-last/first")
		b.ReportMetric(last.Import.Seconds()/first.Import.Seconds(), "import-last/first")
	}
}
