package report_test

import (
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/perf"
	"zhendi/internal/report"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// BenchmarkHalfYearDocx generates the demo bureau's 2023H1 report from the
// ledger and writes its DOCX: the target is under 300 ms.
func BenchmarkHalfYearDocx(b *testing.B) {
	st := storetest.SQLite(b)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	sc := access.Scope{ReadUnits: []int64{info.UnitID}}
	p, _ := ledger.ParsePeriod("2023H1")
	for b.Loop() {
		r, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.WriteDocx(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDistrict opens the 100-unit, 10-year benchmark district (internal/perf)
// at $ZHENDI_REPORT_BENCH_DB (SQLite path or postgres:// URL), generating it
// on first use; generation takes minutes, so the benchmark is skipped
// without the variable. `zhendi bench --generate-only --db FILE` makes one.
func benchDistrict(b *testing.B) (*store.Store, perf.Dataset) {
	dsn := os.Getenv("ZHENDI_REPORT_BENCH_DB")
	if dsn == "" {
		b.Skip("set ZHENDI_REPORT_BENCH_DB to a database for the 100-unit district")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	ds, err := perf.Find(ctx, st)
	if errors.Is(err, perf.ErrNoData) {
		ds, err = perf.Generate(ctx, st, perf.Options{Units: 100, Years: 10}, nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	return st, ds
}

// BenchmarkHalfYearDocxDistrictUnit is one unit of the district data set
// (ten years of ledger in the database): under 300 ms.
func BenchmarkHalfYearDocxDistrictUnit(b *testing.B) {
	st, ds := benchDistrict(b)
	ctx := context.Background()
	unit := ds.UnitIDs[len(ds.UnitIDs)/2]
	p, _ := ledger.ParsePeriod(strconv.Itoa(ds.EndYear) + "H1")
	for b.Loop() {
		r, err := report.Build(ctx, source(st, access.Scope{ReadUnits: []int64{unit}}), report.Request{Kind: report.HalfYear, UnitID: unit, Period: p})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.WriteDocx(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHalfYearDistrict builds and writes the half-year DOCX of every
// unit of the 100-unit district, as `zhendi report --district` does: the
// target is under 30 s.
func BenchmarkHalfYearDistrict(b *testing.B) {
	st, ds := benchDistrict(b)
	ctx := context.Background()
	p, _ := ledger.ParsePeriod(strconv.Itoa(ds.EndYear) + "H1")
	sc := access.Scope{ReadUnits: ds.UnitIDs}
	for b.Loop() {
		_, err := report.Batch(ctx, source(st, sc), report.Request{Kind: report.HalfYear, Period: p}, ds.UnitIDs, 2, func(i int, r *report.Report) error {
			return r.WriteDocx(io.Discard)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ds.UnitIDs)), "units")
}
