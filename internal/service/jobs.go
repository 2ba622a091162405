package service

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// RunEvery runs a background job: one round at once, then one every
// interval until ctx ends, when it returns. Rounds never overlap — the next
// starts only after the last has returned, and ticks that fall while a
// round runs are dropped rather than queued. A round's error, or a panic,
// is logged under name and the job goes on with the next round, so one bad
// round (a database briefly away, a bad row) does not stop the server's
// jobs. The round takes its time from the service clock and must be
// idempotent: the server may stop it at any point and run it again after a
// restart, and a second node may run it too.
func (s *Service) RunEvery(ctx context.Context, name string, every time.Duration, round func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.runRound(ctx, round); err != nil && ctx.Err() == nil {
			s.log.Error("background job", "job", name, "err", err)
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
// index as the ledger grows, and deletes sessions idle past the security setting's
// timeout. Both steps run even when the other fails; the errors are joined.
func (s *Service) Maintain(ctx context.Context) error {
	var errs []error
	if err := s.st.Optimize(ctx); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err == nil {
		err = s.st.PurgeSessions(ctx, int64(sec.IdleMinutes)*60)
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("purge sessions: %w", err))
	}
	return errors.Join(errs...)
}
