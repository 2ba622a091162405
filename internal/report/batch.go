package report

import (
	"context"
	"fmt"
	"sync"
)

// Batch builds the report of req for each unit (req.UnitID is ignored)
// with a few workers and calls each (serialised, in completion order) with
// the unit's index and report; the reports come back in the order of
// units, each in its unit's own wording. The first error stops the batch
// and is returned naming the unit.
func Batch(ctx context.Context, src Source, req Request, units []int64, workers int,
	each func(i int, r *Report) error) ([]*Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers = max(1, min(workers, len(units)))
	out := make([]*Report, len(units))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel()
		}
		mu.Unlock()
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				q := req
				q.UnitID = units[i]
				r, err := Build(ctx, src, q)
				if err != nil {
					fail(fmt.Errorf("单位 %d：%w", q.UnitID, err))
					continue
				}
				out[i] = r
				if each != nil {
					mu.Lock()
					err = each(i, r)
					mu.Unlock()
					if err != nil {
						fail(fmt.Errorf("单位 %d：%w", q.UnitID, err))
					}
				}
			}
		}()
	}
feed:
	for i := range units {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
