package service

import (
	"context"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/org"
	"zhendi/internal/store"
)

// Logins and sessions. A session is a random token in the browser's cookie
// and its hash in the database (auth.TokenHash), with a CSRF token of its
// own; it ends at logout, after the idle timeout of the security settings,
// at its absolute lifetime (SessionHours after the login), or when the
// password changes.

// ErrNoSession: the cookie names no live session (unknown, ended, or timed
// out just now). The caller sends the browser to the login page.
var ErrNoSession = errors.New("no session")

// Session is an authenticated request's caller.
type Session struct {
	User     org.User
	CSRF     string
	Security access.Security // the settings in force, read once per request
}

// Authenticate finds the live session of a cookie token. A session idle for
// longer than the timeout is ended (and logged) and reported as
// ErrNoSession; otherwise its last activity is recorded, at most once a
// minute.
func (s *Service) Authenticate(ctx context.Context, token, ip string) (Session, error) {
	hash := auth.TokenHash(token)
	sess, err := s.st.SessionByTokenHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrNoSession
	} else if err != nil {
		return Session{}, err
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return Session{}, err
	}
	user, err := s.st.User(ctx, sess.UserID)
	if err != nil {
		return Session{}, err
	}
	now := s.now().Unix()
	ended := ""
	switch {
	case sec.IdleExpired(sess.LastSeen, now):
		ended = "auth.timeout"
	case sec.SessionExpired(sess.CreatedAt, now):
		ended = "auth.session_expired"
	}
	if ended != "" {
		actor := store.Actor{UserID: user.ID, Name: user.Name, IP: ip}
		if err := s.st.DeleteSession(ctx, actor, user.UnitID, hash, ended); err != nil {
			s.log.Warn("end expired session", "user", user.ID, "action", ended, "err", err)
		}
		return Session{}, ErrNoSession
	}
	if !user.MustChange && sec.PasswordExpired(user.PasswordChangedAt, now) {
		// The periodic change is due: the web layer sends the user to the
		// password page until it is done, as after a reset.
		user.MustChange, user.MustChangeWhy = true, org.MustExpired
	}
	if now-sess.LastSeen >= 60 { // one write a minute at most
		if err := s.st.TouchSession(ctx, hash); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	return Session{User: user, CSRF: sess.CSRF, Security: sec}, nil
}

// startSession makes a session for a user who proved who they are and
// returns its cookie token.
func (s *Service) startSession(ctx context.Context, actor store.Actor, unitID int64, ip, userAgent string) (string, error) {
	token := auth.NewToken()
	if _, err := s.st.CreateSession(ctx, actor, unitID, auth.TokenHash(token), auth.NewToken(), ip, userAgent); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return token, nil
}

// Login checks a login name and password and starts a session, returning
// its cookie token. A refusal is an *access.LoginError: wrong name or
// password (the same answer for both, in the same time), an account locked
// after too many failures, or the failure that locks it
// (access.Security.AfterFailure) — for a name without an account exactly
// as for an account. Every attempt is logged.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (string, error) {
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return "", err
	}
	ls, err := s.st.LoginStateOf(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	// A name without an account is counted and locked like an account
	// (store.NameFailures), so the lockout message does not tell which
	// names exist. Both kinds read it, so both take the same queries.
	nameFailed, nameLocked, err := s.st.NameFailures(ctx, username)
	if err != nil {
		return "", err
	}
	known := ls.UserID != 0
	if !known {
		ls.Failed, ls.LockedUntil = nameFailed, nameLocked
	}
	someone := store.Actor{IP: ip, Name: username}
	now := s.now().Unix()
	if ls.LockedUntil > now {
		if err := s.st.Audit(ctx, someone, ls.UnitID, "auth.login_locked", "user", ls.UserID, nil); err != nil {
			s.log.Warn("log locked login", "err", err)
		}
		return "", access.LockedOut(ls.LockedUntil, now)
	}
	ok := false
	if ls.UserID != 0 && !ls.Disabled {
		ok, err = auth.CheckPassword(ls.Hash, password)
		if err != nil {
			s.log.Error("check password", "user", ls.UserID, "err", err)
		}
	} else {
		ok = auth.CheckAbsent(password)
	}
	if !ok {
		lockedUntil, err := s.st.RecordLoginFailure(ctx, someone, ls, username, func(failed int) (int, int64) {
			return sec.AfterFailure(failed, now)
		})
		if err != nil {
			return "", err
		}
		if lockedUntil != 0 {
			return "", sec.LockedNow()
		}
		return "", access.ErrBadLogin
	}
	return s.startSession(ctx, store.Actor{UserID: ls.UserID, Name: ls.Name, IP: ip}, ls.UnitID, ip, userAgent)
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, actor store.Actor, unitID int64, token string) error {
	if err := s.st.DeleteSession(ctx, actor, unitID, auth.TokenHash(token), "auth.logout"); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// ChangePassword changes a user's own password (org.CheckPasswordChange):
// every session of the user ends, and a new one starts for the browser
// that made the change; its cookie token is returned.
func (s *Service) ChangePassword(ctx context.Context, actor store.Actor, u org.User, old, next, confirm, ip, userAgent string) (string, error) {
	ls, err := s.st.LoginStateOf(ctx, u.Username)
	if err != nil {
		return "", fmt.Errorf("change password: %w", err)
	}
	ok, _ := auth.CheckPassword(ls.Hash, old)
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return "", err
	}
	if err := org.CheckPasswordChange(ok, old, next, confirm, u.Username, sec.MinPasswordLen); err != nil {
		return "", err
	}
	if err := s.SetPassword(ctx, actor, u.ID, next, false); err != nil {
		return "", err
	}
	return s.startSession(ctx, actor, u.UnitID, ip, userAgent)
}
