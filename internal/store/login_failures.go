package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Failed logins for names that have no account (login_failures). They are
// counted and locked exactly like a real account's, so that "账户已锁定"
// after too many failures does not tell an attacker which names exist. The
// name is kept only as a hash of its lower-cased form.

func nameKey(username string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(username))))
	return hex.EncodeToString(sum[:])
}

// NameFailures returns the failure count and lock time (unix seconds) of a
// name that has no account; zeros when none is recorded.
func (s *Store) NameFailures(ctx context.Context, username string) (failed int, lockedUntil int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT failed, locked_until FROM login_failures WHERE name_key = $1`, nameKey(username)).Scan(&failed, &lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	} else if err != nil {
		return 0, 0, fmt.Errorf("read login failures: %w", err)
	}
	return failed, lockedUntil, nil
}

// PurgeNameFailures forgets failures of unknown names last seen before
// before (unix seconds) and no longer locked, so names sprayed at the login
// form do not pile up.
func (s *Store) PurgeNameFailures(ctx context.Context, before int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE last_at < $1 AND locked_until < $1`, before); err != nil {
		return fmt.Errorf("purge login failures: %w", err)
	}
	return nil
}
