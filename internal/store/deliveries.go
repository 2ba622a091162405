package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The reminder log: every delivery of a reminder on a channel, claimed
// under its idempotency key before it is sent, so a reminder goes out once
// per channel whoever runs the round, and retried with back-off when it
// fails.

// Delivery is one row of the reminder log.
type Delivery struct {
	ID         int64
	IdemKey    string
	Channel    string
	UnitID     int64
	Title      string
	Body       string
	Link       string
	Recipients string
	Status     string
	Attempts   int
	NextAt     int64
	LastError  string
	CreatedAt  int64
	SentAt     int64
}

// ClaimDelivery inserts a pending delivery unless one with the same key and
// channel exists; it reports whether this caller owns it now. The unique key
// is what makes a reminder go out once, whoever runs the scheduler.
func (s *Store) ClaimDelivery(ctx context.Context, d *Delivery) (bool, error) {
	now := s.Now().Unix()
	err := s.db.QueryRowContext(ctx, `INSERT INTO reminder_log (idem_key, channel, unit_id, title, body, link, recipients, status, attempts, next_at, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,'pending',0,$8,$9) ON CONFLICT (idem_key, channel) DO NOTHING RETURNING id`,
		d.IdemKey, d.Channel, d.UnitID, d.Title, d.Body, d.Link, d.Recipients, now+300, now).Scan(&d.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("claim delivery: %w", err)
	}
	d.Status, d.CreatedAt, d.NextAt = "pending", now, now+300
	return true, nil
}

// RetryableDeliveries are failed (or abandoned pending) deliveries due for
// another attempt; taking one pushes its next attempt out (a lease), so two
// schedulers do not retry it at once.
func (s *Store) RetryableDeliveries(ctx context.Context, maxAttempts int, lease int64) ([]Delivery, error) {
	now := s.Now().Unix()
	rows, err := s.db.QueryContext(ctx, `SELECT id, idem_key, channel, unit_id, title, body, link, recipients, status, attempts, next_at, last_error, created_at
		FROM reminder_log WHERE status IN ('pending','failed') AND attempts < $1 AND next_at <= $2 ORDER BY id LIMIT 200`, maxAttempts, now)
	if err != nil {
		return nil, fmt.Errorf("read retries: %w", err)
	}
	var cand []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.IdemKey, &d.Channel, &d.UnitID, &d.Title, &d.Body, &d.Link, &d.Recipients, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		cand = append(cand, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read retries: %w", err)
	}
	var out []Delivery
	for _, d := range cand {
		res, err := s.db.ExecContext(ctx, "UPDATE reminder_log SET next_at = $1 WHERE id = $2 AND next_at = $3 AND status IN ('pending','failed')", now+lease, d.ID, d.NextAt)
		if err != nil {
			return nil, fmt.Errorf("lease delivery: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("lease delivery: %w", err)
		}
		if n == 1 {
			out = append(out, d)
		}
	}
	return out, nil
}

// FinishDelivery records an attempt: sent, or failed with the next attempt time.
func (s *Store) FinishDelivery(ctx context.Context, id int64, sendErr error, nextAt int64) error {
	now := s.Now().Unix()
	var err error
	if sendErr == nil {
		_, err = s.db.ExecContext(ctx, "UPDATE reminder_log SET status = 'sent', attempts = attempts + 1, sent_at = $1, last_error = '' WHERE id = $2", now, id)
	} else {
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		_, err = s.db.ExecContext(ctx, "UPDATE reminder_log SET status = 'failed', attempts = attempts + 1, next_at = $1, last_error = $2 WHERE id = $3", nextAt, msg, id)
	}
	if err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}

// Deliveries lists the reminder log of units, newest first.
func (s *Store) Deliveries(ctx context.Context, unitIDs []int64, limit int) ([]Delivery, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT id, idem_key, channel, unit_id, title, body, link, recipients, status, attempts, next_at, last_error, created_at, COALESCE(sent_at,0)
		FROM reminder_log WHERE unit_id IN (`+a.in(unitIDs)+`) ORDER BY id DESC LIMIT `+a.add(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("read reminder log: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.IdemKey, &d.Channel, &d.UnitID, &d.Title, &d.Body, &d.Link, &d.Recipients, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &d.SentAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
