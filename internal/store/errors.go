package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"zhendi/internal/apperr"
)

// ErrNotFound is returned when a record does not exist or is outside the
// caller's scope: the two are deliberately indistinguishable. It is the
// shared apperr.ErrNotFound, so handlers map it to 404 without importing
// the store.
var ErrNotFound = apperr.ErrNotFound

// SQLite result codes (https://sqlite.org/rescode.html) that mean the
// database, not the request, is at fault.
const (
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// Classify marks a database or file failure the user can do nothing about:
// it returns err wrapped with apperr.ErrUnavailable when the database cannot
// be reached (connection refused, reset or terminated, the handle closed)
// and with apperr.ErrStorageFull when the disk or database is full; any
// other error is returned unchanged. The original error stays in the chain
// for the log.
func Classify(err error) error {
	switch {
	case err == nil, errors.Is(err, apperr.ErrUnavailable), errors.Is(err, apperr.ErrStorageFull):
		return err
	case isStorageFull(err):
		return fmt.Errorf("%w: %w", apperr.ErrStorageFull, err)
	case isUnavailable(err):
		return fmt.Errorf("%w: %w", apperr.ErrUnavailable, err)
	}
	return err
}

func isStorageFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqliteFull {
		return true
	}
	var pe *pgconn.PgError
	// 53100 disk_full, 53200 out_of_memory, 53300 too_many_connections are
	// "insufficient resources"; only the first is a full disk.
	return errors.As(err, &pe) && pe.Code == "53100"
}

func isUnavailable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// A bare syscall.Errno satisfies net.Error too; from a file operation
	// (a folder that is not writable) it says nothing about the database.
	var ne net.Error
	if errors.As(err, &ne) {
		if _, isErrno := ne.(syscall.Errno); !isErrno {
			return true
		}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08 connection exception; 57P01–57P03 the server is shutting
		// down, was told to terminate this backend, or cannot accept yet.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqliteIOErr || code == sqliteCantOpen
	}
	// database/sql reports a closed *sql.DB with an unexported error, and
	// pgx a connection it already gave up on with "conn closed".
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "closed network connection")
}
