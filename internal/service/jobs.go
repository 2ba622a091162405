package service

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// RunEvery runs a background job: one round at once, then one every
// interval until ctx ends, when it returns. On several nodes sharing the
// database, each round runs on one node only, under the job's lease
// (nodes.go). Rounds never overlap — the next starts only after the last
// has returned, and ticks that fall while a round runs are dropped rather
// than queued. A round's error, or a panic, is logged under name and the
// job goes on with the next round, so one bad round (a database briefly
// away, a bad row) does not stop the server's jobs. The round takes its
// time from the service clock and must be idempotent: the server may stop
// it at any point, and another node then runs it again.
func (s *Service) RunEvery(ctx context.Context, name string, every time.Duration, round func(context.Context) error) {
	s.runEvery(ctx, name, every, func(ctx context.Context) (bool, error) {
		return s.leasedRound(ctx, name, every, round)
	})
}

// RunEveryHere is RunEvery for work that belongs to this node and runs on
// every node (its own audit checkpoint file): no lease.
func (s *Service) RunEveryHere(ctx context.Context, name string, every time.Duration, round func(context.Context) error) {
	s.runEvery(ctx, name, every, func(ctx context.Context) (bool, error) {
		return true, s.runRound(ctx, round)
	})
}

func (s *Service) runEvery(ctx context.Context, name string, every time.Duration, round func(context.Context) (bool, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start := time.Now()
		ran, err := round(ctx)
		if ctx.Err() == nil {
			if err != nil {
				s.log.Error("background job", "job", name, "err", err)
			}
			if ran || err != nil {
				s.rec.JobRound(name, start, time.Since(start), err)
			} else {
				s.rec.JobSkipped(name)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runRound runs one round, turning a panic into an error.
func (s *Service) runRound(ctx context.Context, round func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return round(ctx)
}

// Maintain is the housekeeping round (hourly): it refreshes the SQLite
// planner statistics (store.Optimize), so queries keep choosing the right
// index as the ledger grows, deletes sessions idle past the security
// setting's timeout or past their absolute lifetime, and forgets failed
// logins of unknown names once their lock window has passed, and the
// refused logins per address older than their window. Every step
// runs even when another fails (the purges need the settings); the errors
// are joined.
func (s *Service) Maintain(ctx context.Context) error {
	var errs []error
	if err := s.st.Optimize(ctx); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("purge: %w", err))...)
	}
	if err := s.st.PurgeSessions(ctx, int64(sec.IdleMinutes)*60, int64(sec.SessionHours)*3600); err != nil {
		errs = append(errs, fmt.Errorf("purge sessions: %w", err))
	}
	if err := s.st.PurgeNameFailures(ctx, s.now().Unix()-int64(sec.LockMinutes)*60); err != nil {
		errs = append(errs, fmt.Errorf("purge login failures: %w", err))
	}
	if err := s.st.PurgeLoginIPFailures(ctx, s.now().Add(-loginAddrWindow).Unix()); err != nil {
		errs = append(errs, fmt.Errorf("purge login failures: %w", err))
	}
	return errors.Join(errs...)
}
