package store_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// BenchmarkNearLookup measures the SQL near-duplicate lookup (the band
// indexes with opinion.Probes) in a unit holding ZHENDI_BENCH_NEAR items
// (1,000,000 by default) with random fingerprints; half the lookups are
// one to six bits from a stored fingerprint. It reports p50 and p95.
// ZHENDI_BENCH_PG=1 runs it on PostgreSQL.
func BenchmarkNearLookup(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ZHENDI_BENCH_NEAR")); err == nil && v > 0 {
		n = v
	}
	var st *store.Store
	if os.Getenv("ZHENDI_BENCH_PG") != "" {
		st = storetest.Postgres(b)
	} else {
		st = storetest.SQLite(b)
	}
	ctx := context.Background()
	unit := org.Node{Kind: org.Unit, Name: "测试局"}
	if err := st.CreateNode(ctx, store.System, &unit); err != nil {
		b.Fatal(err)
	}
	other := org.Node{Kind: org.Unit, Name: "另一局"}
	if err := st.CreateNode(ctx, store.System, &other); err != nil {
		b.Fatal(err)
	}
	var src int64
	if err := st.DB().QueryRow(`INSERT INTO opinion_sources (unit_id, kind, name, created_at, updated_at) VALUES ($1, 'import', 'x', 0, 0) RETURNING id`, unit.ID).Scan(&src); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	// Fingerprints generated in SQL; the second unit holds a tenth as many
	// so the unit filter is exercised.
	fill := `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $1),
		h(i, v) AS MATERIALIZED (SELECT i, random() FROM s)
		INSERT INTO opinion_items (unit_id, source_id, published_at, fetched_at, text_key, simhash, b0, b1, b2, b3)
		SELECT $2, $3, 0, 0, '', v, v & 65535, (v >> 16) & 65535, (v >> 32) & 65535, (v >> 48) & 65535 FROM h`
	if st.Dialect() == store.Postgres {
		fill = `WITH h AS (SELECT i, (floor(random() * 18446744073709551616) - 9223372036854775808)::numeric::bigint AS v FROM generate_series(1, $1) i)
		INSERT INTO opinion_items (unit_id, source_id, published_at, fetched_at, text_key, simhash, b0, b1, b2, b3)
		SELECT $2, $3, 0, 0, '', v, v & 65535, (v >> 16) & 65535, (v >> 32) & 65535, (v >> 48) & 65535 FROM h`
	}
	if _, err := st.DB().ExecContext(ctx, fill, n, unit.ID, src); err != nil {
		b.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, fill, n/10, other.ID, src); err != nil {
		b.Fatal(err)
	}
	if st.Dialect() == store.Postgres {
		st.DB().ExecContext(ctx, "ANALYZE opinion_items")
	} else if err := st.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d items stored in %v", st.Dialect(), n, time.Since(start).Round(time.Millisecond))
	var stored []uint64
	rows, err := st.DB().QueryContext(ctx, "SELECT simhash FROM opinion_items WHERE unit_id = $1 LIMIT 1000", unit.ID)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var h int64
		rows.Scan(&h)
		stored = append(stored, uint64(h))
	}
	rows.Close()
	r := rand.New(rand.NewPCG(1, 2))
	var lat, base []time.Duration
	found := 0
	b.ResetTimer()
	for i := 0; i < max(b.N, 2000); i++ {
		h := r.Uint64()
		if i%2 == 0 {
			h = stored[i%len(stored)]
			for range 1 + r.IntN(6) {
				h ^= 1 << r.IntN(64)
			}
		}
		t0 := time.Now()
		ids, _, err := st.NearCandidates(ctx, unit.ID, h)
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if len(ids) > 0 {
			found++
		}
		// Baseline at the same moment: one primary-key lookup, so the
		// numbers of a loaded machine can be read as a ratio.
		var x int64
		t0 = time.Now()
		st.DB().QueryRowContext(ctx, "SELECT simhash FROM opinion_items WHERE id = $1", 1+r.IntN(n)).Scan(&x)
		base = append(base, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(base)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	bp := func(q float64) time.Duration { return base[int(q*float64(len(base)-1))] }
	b.Logf("baseline primary-key lookup at the same moment: p50 %v, p95 %v (near lookup p50 %.1f×, p95 %.1f× of it)",
		bp(0.5), bp(0.95), float64(p(0.5))/float64(bp(0.5)), float64(p(0.95))/float64(bp(0.95)))
	b.ReportMetric(float64(p(0.5).Microseconds()), "p50-µs")
	b.ReportMetric(float64(p(0.95).Microseconds()), "p95-µs")
	b.Logf("%s, %d items: %d lookups, p50 %v, p95 %v, max %v; %d found a near-duplicate (half were made near one)",
		st.Dialect(), n, len(lat), p(0.5), p(0.95), lat[len(lat)-1], found)
}
