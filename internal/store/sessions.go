package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Session is a logged-in browser.
type Session struct {
	UserID    int64
	CSRF      string
	CreatedAt int64
	LastSeen  int64
}

// Sessions are stored under the hash of their cookie token (made by the
// service), so a leaked database hands out no live session.

// CreateSession stores a session after a successful login, clears the
// account's failure counter and logs the login.
func (s *Store) CreateSession(ctx context.Context, actor Actor, unitID int64, tokenHash, csrf, ip, userAgent string) (Session, error) {
	now := s.Now().Unix()
	sess := Session{UserID: actor.UserID, CSRF: csrf, CreatedAt: now, LastSeen: now}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, ip, user_agent) VALUES ($1,$2,$3,$4,$4,$5,$6)`,
			tokenHash, actor.UserID, csrf, now, ip, truncate(userAgent, 300))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins=0, locked_until=0 WHERE id=$1", actor.UserID); err != nil {
			return fmt.Errorf("reset failures: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "auth.login", "user", actor.UserID, nil, nil)
	})
	return sess, err
}

// SessionByTokenHash looks a session of an enabled user up; ErrNotFound
// when there is none.
func (s *Store) SessionByTokenHash(ctx context.Context, tokenHash string) (Session, error) {
	var sess Session
	err := s.db.QueryRowContext(ctx, `SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.disabled = 0`, tokenHash).
		Scan(&sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.LastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, ErrNotFound
	} else if err != nil {
		return sess, fmt.Errorf("read session: %w", err)
	}
	return sess, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2", s.Now().Unix(), tokenHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session (logout or idle timeout) and logs it as action.
func (s *Store) DeleteSession(ctx context.Context, actor Actor, unitID int64, tokenHash string, action string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, action, "user", actor.UserID, nil, nil)
	})
}

// PurgeSessions removes sessions idle longer than idleSecs or older than
// lifeSecs (the absolute session lifetime).
func (s *Store) PurgeSessions(ctx context.Context, idleSecs, lifeSecs int64) error {
	now := s.Now().Unix()
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE last_seen < $1 OR created_at <= $2", now-idleSecs, now-lifeSecs); err != nil {
		return fmt.Errorf("purge sessions: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
