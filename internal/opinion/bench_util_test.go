package opinion

import (
	"slices"
	"time"
)

// p95 times fn on every query and returns the 95th percentile in
// nanoseconds.
func p95(fn func(uint64), queries []uint64) float64 {
	ds := make([]time.Duration, len(queries))
	for i, q := range queries {
		start := time.Now()
		fn(q)
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return float64(ds[len(ds)*95/100])
}
