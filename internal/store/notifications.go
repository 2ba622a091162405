package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// In-app notifications: the messages under 我的任务 and the unread badge of
// the top bar.

// Notification is one in-app message.
type Notification struct {
	ID        int64
	Title     string
	Body      string
	Link      string
	CreatedAt int64
	ReadAt    int64
}

// Notify adds in-app notifications (once per user and key).
func (s *Store) Notify(ctx context.Context, unitID int64, userIDs []int64, key, title, body, link string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return notifyTx(ctx, tx, s.Now(), unitID, userIDs, key, title, body, link)
	})
}

// notifyTx adds in-app notifications inside tx, so a change and the notices
// it sends are stored together (once per user and key).
func notifyTx(ctx context.Context, tx *sql.Tx, now time.Time, unitID int64, userIDs []int64, key, title, body, link string) error {
	for _, u := range userIDs {
		_, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, unit_id, title, body, link, idem_key, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT (user_id, idem_key) DO NOTHING`, u, unitID, title, body, link, key, now.Unix())
		if err != nil {
			return fmt.Errorf("add notification: %w", err)
		}
	}
	return nil
}

// UnreadNotifications counts a user's unread notifications (the badge in
// the top bar on every page).
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var unread int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL", userID).Scan(&unread); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return unread, nil
}

// Notifications lists a user's own notifications, newest first, and the unread count.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, int, error) {
	unread, err := s.UnreadNotifications(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, title, body, link, created_at, COALESCE(read_at,0) FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2", userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &n.ReadAt); err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// MarkNotificationsRead marks all of a user's notifications read.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL", s.Now().Unix(), userID)
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}
