package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Job leases (job_leases, migration 00019): on several nodes sharing one
// database a background job runs on one node at a time. The times are the
// database's clock, not the nodes': nodes whose clocks drift apart still
// agree on who holds a lease and when it ends.

// dbNowMS is the database's clock in milliseconds, as SQL.
func (s *Store) dbNowMS() string {
	if s.dialect == Postgres {
		return "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
	}
	return "CAST(unixepoch('subsec') * 1000 AS INTEGER)"
}

// AcquireLease takes the lease of job for holder for ttl, when nobody else
// holds it (no lease, an expired one, or holder's own) and the job's last
// finished round started at least gap ago. It reports whether holder now
// holds it. One statement, so two nodes asking at once cannot both get it: the
// loser's conditional update finds the winner's row and changes nothing.
func (s *Store) AcquireLease(ctx context.Context, job, holder string, ttl, gap time.Duration) (bool, error) {
	now := s.dbNowMS()
	res, err := s.db.ExecContext(ctx, `INSERT INTO job_leases (name, holder, expires_at, started_at, done_at) VALUES ($1, $2, `+now+` + $3, `+now+`, 0)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, started_at = excluded.started_at
		WHERE (job_leases.expires_at < `+now+` OR job_leases.holder = excluded.holder)
		  AND job_leases.done_at <= `+now+` - $4`,
		job, holder, ttl.Milliseconds(), gap.Milliseconds())
	if err != nil {
		return false, fmt.Errorf("acquire lease of %s: %w", job, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("acquire lease of %s: %w", job, err)
	}
	return n == 1, nil
}

// ErrLeaseLost: the lease expired and another node took it over (this node
// was paused or cut off from the database for longer than the lease).
var ErrLeaseLost = errors.New("lease lost")

// RenewLease extends holder's lease of job by ttl from now; ErrLeaseLost
// when holder no longer holds it.
func (s *Store) RenewLease(ctx context.Context, job, holder string, ttl time.Duration) error {
	res, err := s.db.ExecContext(ctx, `UPDATE job_leases SET expires_at = `+s.dbNowMS()+` + $3 WHERE name = $1 AND holder = $2`,
		job, holder, ttl.Milliseconds())
	if err != nil {
		return fmt.Errorf("renew lease of %s: %w", job, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("renew lease of %s: %w", job, err)
	} else if n == 0 {
		return fmt.Errorf("%s: %w", job, ErrLeaseLost)
	}
	return nil
}

// ReleaseLease ends holder's lease of job. done records that the round
// finished (the job's interval then runs from the round's start on every
// node); a round that failed releases without it, so the next node may
// retry at once.
func (s *Store) ReleaseLease(ctx context.Context, job, holder string, done bool) error {
	q := `UPDATE job_leases SET expires_at = 0 WHERE name = $1 AND holder = $2`
	if done {
		q = `UPDATE job_leases SET expires_at = 0, done_at = started_at WHERE name = $1 AND holder = $2`
	}
	if _, err := s.db.ExecContext(ctx, q, job, holder); err != nil {
		return fmt.Errorf("release lease of %s: %w", job, err)
	}
	return nil
}

// Lease is a job's lease row, for tests and the operators' view.
type Lease struct {
	Job       string
	Holder    string
	ExpiresAt int64 // database clock, milliseconds; 0 when released
	StartedAt int64 // the holder's round
	DoneAt    int64 // start of the last round that finished
}

// LeaseOf reads job's lease; ErrNotFound when the job never ran.
func (s *Store) LeaseOf(ctx context.Context, job string) (Lease, error) {
	l := Lease{Job: job}
	err := s.db.QueryRowContext(ctx, `SELECT holder, expires_at, started_at, done_at FROM job_leases WHERE name = $1`, job).Scan(&l.Holder, &l.ExpiresAt, &l.StartedAt, &l.DoneAt)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	} else if err != nil {
		return l, fmt.Errorf("read lease of %s: %w", job, err)
	}
	return l, nil
}

// Refused logins per client address (login_ip_hits), counted in minutes so
// that a sliding window of several minutes is a sum of a few rows, shared
// by every node.

func ipKey(ip string) string {
	sum := sha256.Sum256([]byte("zhendi-login-ip/" + ip))
	return hex.EncodeToString(sum[:16])
}

// LoginIPFailures is the number of refused logins from ip in the window
// ending at now (unix seconds).
func (s *Store) LoginIPFailures(ctx context.Context, ip string, now int64, window time.Duration) (int, error) {
	from := (now - int64(window/time.Second)) / 60
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM login_ip_hits WHERE ip_key = $1 AND minute > $2`, ipKey(ip), from).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count refused logins of the address: %w", err)
	}
	return n, nil
}

// AddLoginIPFailure counts one refused login from ip at now (unix seconds).
func (s *Store) AddLoginIPFailure(ctx context.Context, ip string, now int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO login_ip_hits (ip_key, minute, n) VALUES ($1, $2, 1)
		ON CONFLICT (ip_key, minute) DO UPDATE SET n = login_ip_hits.n + 1`, ipKey(ip), now/60)
	if err != nil {
		return fmt.Errorf("count refused login of the address: %w", err)
	}
	return nil
}

// PurgeLoginIPFailures forgets the minutes before before (unix seconds).
func (s *Store) PurgeLoginIPFailures(ctx context.Context, before int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_ip_hits WHERE minute < $1`, before/60); err != nil {
		return fmt.Errorf("purge refused logins of addresses: %w", err)
	}
	return nil
}
