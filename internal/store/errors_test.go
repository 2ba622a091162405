package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"zhendi/internal/apperr"
	"zhendi/internal/store"
)

// TestClassifyDatabaseErrors: the driver errors that mean the database is
// gone or full are marked so; a constraint violation, a missing row or a
// user error is left alone.
func TestClassifyDatabaseErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want error // nil: neither unavailable nor full
	}{
		{"terminated by administrator", &pgconn.PgError{Code: "57P01"}, apperr.ErrUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, apperr.ErrUnavailable},
		{"disk full", &pgconn.PgError{Code: "53100"}, apperr.ErrStorageFull},
		{"unique violation", &pgconn.PgError{Code: "23505"}, nil},
		{"closed pool", sql.ErrConnDone, apperr.ErrUnavailable},
		{"closed handle", errors.New("sql: database is closed"), apperr.ErrUnavailable},
		{"no rows", sql.ErrNoRows, nil},
		{"user error", apperr.Field("标题", "不能为空"), nil},
	} {
		got := store.Classify(fmt.Errorf("save: %w", c.err))
		for _, kind := range []error{apperr.ErrUnavailable, apperr.ErrStorageFull} {
			if errors.Is(got, kind) != (kind == c.want) {
				t.Errorf("%s: Classify = %v, want kind %v", c.name, got, c.want)
			}
		}
		if !errors.Is(got, c.err) {
			t.Errorf("%s: the original error left the chain", c.name)
		}
	}
}
