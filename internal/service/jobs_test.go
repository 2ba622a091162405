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

	"zhendi/internal/service"
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
