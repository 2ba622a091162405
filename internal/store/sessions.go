package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/auth"
)

// Session is a logged-in browser.
type Session struct {
	UserID    int64
	CSRF      string
	CreatedAt int64
	LastSeen  int64
}

// CreateSession starts a session after a successful login, clears the
// failure counter and logs the login. It returns the cookie token.
func (s *Store) CreateSession(ctx context.Context, actor Actor, unitID int64, ip, userAgent string) (token string, sess Session, err error) {
	token = auth.NewToken()
	now := s.Now().Unix()
	sess = Session{UserID: actor.UserID, CSRF: auth.NewToken(), CreatedAt: now, LastSeen: now}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, ip, user_agent) VALUES ($1,$2,$3,$4,$4,$5,$6)`,
			auth.TokenHash(token), actor.UserID, sess.CSRF, now, ip, truncate(userAgent, 300))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins=0, locked_until=0 WHERE id=$1", actor.UserID); err != nil {
			return fmt.Errorf("reset failures: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "auth.login", "user", actor.UserID, nil, nil)
	})
	return token, sess, err
}

// SessionByToken looks a session up; ErrNotFound when unknown.
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	var sess Session
	err := s.db.QueryRowContext(ctx, `SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.disabled = 0`, auth.TokenHash(token)).
		Scan(&sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.LastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, ErrNotFound
	}
	return sess, err
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2", s.Now().Unix(), auth.TokenHash(token))
	return err
}

// DeleteSession ends a session (logout or idle timeout).
func (s *Store) DeleteSession(ctx context.Context, actor Actor, unitID int64, token string, action string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", auth.TokenHash(token)); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, action, "user", actor.UserID, nil, nil)
	})
}

// PurgeSessions removes sessions idle longer than idleSecs.
func (s *Store) PurgeSessions(ctx context.Context, idleSecs int64) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE last_seen < $1", s.Now().Unix()-idleSecs)
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
