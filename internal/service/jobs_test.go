package service_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// syncBuffer is a log sink safe for the job's goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunEvery: a job runs once at start and then on every tick, never two
// rounds at a time; a failing or panicking round is logged and the job goes
// on; it returns when its context ends.
func TestRunEvery(t *testing.T) {
	var logs syncBuffer
	svc := service.New(storetest.SQLite(t), service.Config{}, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	var rounds, running, overlaps atomic.Int32
	done := make(chan struct{})
	go func() {
		svc.RunEvery(ctx, "test job", time.Millisecond, func(context.Context) error {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer running.Add(-1)
			n := rounds.Add(1)
			time.Sleep(3 * time.Millisecond) // longer than the interval
			switch n {
			case 2:
				return errors.New("database away")
			case 3:
				panic("bad row")
			}
			return nil
		})
		close(done)
	}()
	for rounds.Load() < 6 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunEvery did not return after its context ended")
	}
	if overlaps.Load() != 0 {
		t.Errorf("%d rounds overlapped", overlaps.Load())
	}
	out := logs.String()
	if !strings.Contains(out, "database away") || !strings.Contains(out, "bad row") || !strings.Contains(out, `job="test job"`) {
		t.Errorf("failed rounds not logged: %s", out)
	}
}

// TestRunEveryStartsAtOnce: the first round does not wait for the interval.
func TestRunEveryStartsAtOnce(t *testing.T) {
	svc := service.New(storetest.SQLite(t), service.Config{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan struct{}, 1)
	go svc.RunEvery(ctx, "hourly", time.Hour, func(context.Context) error {
		ran <- struct{}{}
		return nil
	})
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("first round waited for the interval")
	}
}

// TestMaintainPurgesIdleSessions: the housekeeping round deletes a session
// idle past the timeout that nobody came back to, and keeps a fresh one.
func TestMaintainPurgesIdleSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service.New(st, service.Config{}, nil)
		now := time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone)
		svc.SetClock(func() time.Time { return now })
		unit := org.Node{Kind: org.Unit, Name: "甲局"}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			t.Fatal(err)
		}
		u := org.User{OrgID: unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
		if err := svc.CreateUser(ctx, store.System, &u, "Kx7m-Lp2q9"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Login(ctx, "clerk", "Kx7m-Lp2q9", "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Hour) // past the 30-minute default timeout
		fresh, err := svc.Login(ctx, "clerk", "Kx7m-Lp2q9", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Maintain(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := st.DB().QueryRow("SELECT count(*) FROM sessions").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d sessions after maintenance, want only the fresh one", n)
		}
		if _, err := svc.Authenticate(ctx, fresh, "127.0.0.1"); err != nil {
			t.Errorf("the fresh session was purged: %v", err)
		}
	})
}
