package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"zhendi/internal/store"
)

// Several nodes on one database (issue 20 part 5). Every background job
// started with RunEvery runs on one node at a time under a lease in the
// database (store.AcquireLease): the node that gets it runs the round and
// renews the lease while the round runs; the others skip their tick. A node
// that dies stops renewing, and once the lease has expired the next node to
// tick takes the job over. The interval holds across nodes: a round is
// started only when the last finished round (on any node) started at least
// nine tenths of the interval ago.

// Recorder receives what the metrics count: background rounds, reminder
// deliveries and imports. It must not keep personal data: its labels are
// job names, channels, outcomes and import kinds. The zero Service records
// nothing (nopRecorder).
type Recorder interface {
	// JobRound is one round of job that this node ran, started at start;
	// err is nil on success.
	JobRound(job string, start time.Time, took time.Duration, err error)
	// JobSkipped is a tick of job left to another node (it held the lease,
	// or ran the job less than an interval ago).
	JobSkipped(job string)
	// Delivered is one reminder delivery attempt on channel, sent or not.
	Delivered(channel string, err error)
	// Imported is one finished import of kind ("ledger", "opinion",
	// "channels") with its number of rows written.
	Imported(kind string, rows int)
}

type nopRecorder struct{}

func (nopRecorder) JobRound(string, time.Time, time.Duration, error) {}
func (nopRecorder) JobSkipped(string)                                {}
func (nopRecorder) Delivered(string, error)                          {}
func (nopRecorder) Imported(string, int)                             {}

// SetRecorder makes the service report to r (the server's metrics).
func (s *Service) SetRecorder(r Recorder) {
	if r == nil {
		r = nopRecorder{}
	}
	s.rec = r
}

// defaultLeaseTTL is how long a job's lease lasts without renewal: the
// time another node waits before taking over the job of a node that died.
const defaultLeaseTTL = 30 * time.Second

// SetLeaseTTL changes the lease length (tests take over within a second).
func (s *Service) SetLeaseTTL(ttl time.Duration) { s.leaseTTL = ttl }

// NodeID names this node in the job leases: host name, process id and a
// random part (two processes on one host, or a restarted process with a
// recycled pid, are different holders).
func (s *Service) NodeID() string { return s.node }

func newNodeID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// leasedRound runs one round of job if this node gets its lease, renewing
// the lease every third of its length while the round runs. When the lease
// is lost (the node was paused or cut off for longer than the lease and
// another node took over) the round's context is cancelled, so two nodes do
// not go on with the same round. ran is false when the tick was left to
// another node.
func (s *Service) leasedRound(ctx context.Context, job string, every time.Duration, round func(context.Context) error) (ran bool, err error) {
	ttl := s.leaseTTL
	got, err := s.st.AcquireLease(ctx, job, s.node, ttl, every-every/10)
	if err != nil || !got {
		return false, err
	}
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
			if err := s.st.RenewLease(rctx, job, s.node, ttl); errors.Is(err, store.ErrLeaseLost) {
				cancel(err)
				return
			} else if err != nil && rctx.Err() == nil {
				// The database is away: the round is probably failing
				// too; the lease may still be renewed in time.
				s.log.Warn("renew job lease", "job", job, "err", err)
			}
		}
	}()
	err = s.runRound(rctx, round)
	if cause := context.Cause(rctx); errors.Is(cause, store.ErrLeaseLost) && ctx.Err() == nil {
		err = errors.Join(err, cause)
	}
	cancel(nil)
	<-renewed
	// Release even when the node is stopping (ctx ended): the next node
	// then takes the job at its next tick instead of after the lease
	// expires. A round cut off is not marked done, so it runs again at once.
	rel, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer stop()
	if rerr := s.st.ReleaseLease(rel, job, s.node, err == nil); rerr != nil {
		s.log.Warn("release job lease", "job", job, "err", rerr)
	}
	return true, err
}
