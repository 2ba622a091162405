package store_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestJobLease: one holder at a time; the holder renews; another takes
// over only once the lease has expired; a finished round holds the job
// off for the gap on every holder, a failed one does not.
func TestJobLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const job = "supervision reminders"
		got := func(holder string, ttl, gap time.Duration) bool {
			t.Helper()
			ok, err := st.AcquireLease(ctx, job, holder, ttl, gap)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !got("a", 300*time.Millisecond, time.Hour) {
			t.Fatal("first holder refused")
		}
		if got("b", time.Minute, 0) {
			t.Fatal("second holder got a live lease")
		}
		if err := st.RenewLease(ctx, job, "a", 300*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		time.Sleep(400 * time.Millisecond) // a stops renewing: it died
		if !got("b", time.Minute, 0) {
			t.Fatal("b could not take over an expired lease")
		}
		if err := st.RenewLease(ctx, job, "a", time.Minute); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("a renewing after takeover: %v, want ErrLeaseLost", err)
		}
		if err := st.ReleaseLease(ctx, job, "b", true); err != nil {
			t.Fatal(err)
		}
		if got("a", time.Minute, time.Hour) || got("b", time.Minute, time.Hour) {
			t.Fatal("job ran again within the gap after a finished round")
		}
		if !got("a", time.Minute, 0) {
			t.Fatal("released lease refused with no gap")
		}
		if err := st.ReleaseLease(ctx, job, "a", false); err != nil {
			t.Fatal(err)
		}
		if got("b", time.Minute, time.Hour) {
			t.Fatal("a failed round moved the last finished round: the gap counts from b's round")
		}
		// A job whose only round failed is retried at once by any node.
		if ok, err := st.AcquireLease(ctx, "other", "a", time.Minute, time.Hour); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if err := st.ReleaseLease(ctx, "other", "a", false); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.AcquireLease(ctx, "other", "b", time.Minute, time.Hour); err != nil || !ok {
			t.Fatalf("a failed round held the job off: %v %v", ok, err)
		}
		// Many at once: exactly one wins.
		if err := st.ReleaseLease(ctx, job, "b", false); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				ok, err := st.AcquireLease(ctx, job, string(rune('p'+i)), time.Minute, 0)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d holders at once, want 1", wins.Load())
		}
	})
}

// TestLoginIPFailures: refused logins per address are counted per minute
// and summed over the window.
func TestLoginIPFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 7, 5, 9, 0, 30, 0, time.UTC).Unix()
		for i := range 4 {
			if err := st.AddLoginIPFailure(ctx, "10.0.0.7", now-int64(i)*90); err != nil {
				t.Fatal(err)
			}
		}
		st.AddLoginIPFailure(ctx, "10.0.0.8", now)
		n, err := st.LoginIPFailures(ctx, "10.0.0.7", now, 5*time.Minute)
		if err != nil || n != 4 {
			t.Fatalf("within five minutes: %d %v, want 4", n, err)
		}
		// At 09:04:30 the window reaches back to 08:59:30: of the minutes
		// 09:00, 08:59, 08:57 and 08:56 only 09:00 is inside.
		if n, _ := st.LoginIPFailures(ctx, "10.0.0.7", now+4*60, 5*time.Minute); n != 1 {
			t.Fatalf("four minutes later: %d, want 1", n)
		}
		if err := st.PurgeLoginIPFailures(ctx, now+10*60); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.LoginIPFailures(ctx, "10.0.0.8", now, 5*time.Minute); n != 0 {
			t.Fatalf("after purge: %d", n)
		}
	})
}

// TestMigrateConcurrently: three nodes starting together on a fresh
// PostgreSQL schema all migrate successfully, and each migration is
// applied once (the session lock makes the others wait, then find nothing
// pending).
func TestMigrateConcurrently(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	if dsn == "" {
		t.Skip("ZHENDI_TEST_PG not set")
	}
	ctx := context.Background()
	var logs [3]strings.Builder
	var wg sync.WaitGroup
	var stores [3]*store.Store
	for i := range 3 {
		wg.Go(func() {
			st, err := store.Open(ctx, dsn, "")
			if err != nil {
				t.Error(err)
				return
			}
			stores[i] = st
			if err := st.Migrate(ctx, slog.New(slog.NewTextHandler(&logs[i], nil))); err != nil {
				t.Errorf("node %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	for _, st := range stores {
		if st != nil {
			defer st.Close()
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	status, err := stores[0].MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	applied, migrators := 0, 0
	for _, l := range logs {
		n := strings.Count(l.String(), "migration applied")
		applied += n
		if n > 0 {
			migrators++
		}
	}
	if applied != len(status) || migrators != 1 {
		t.Fatalf("%d migrations applied by %d nodes, want %d by one", applied, migrators, len(status))
	}
	var rows, distinct int
	if err := stores[1].DB().QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != len(status) || distinct != rows {
		t.Fatalf("version table: %d rows, %d distinct, want %d", rows, distinct, len(status))
	}
	for _, m := range status {
		if !m.Applied {
			t.Errorf("migration %d pending after three starts", m.Version)
		}
	}
}
