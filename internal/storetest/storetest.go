// Package storetest opens real databases for tests: a fresh SQLite file per
// test, and, when ZHENDI_TEST_PG holds a PostgreSQL URL, a fresh schema in
// that database. There are no database mocks in zhendi.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"zhendi/internal/store"
)

// SQLite returns a migrated store on a new SQLite file, its audit key and
// checkpoint in the same temporary folder (store.DefaultAuditFiles).
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	s := sqlite(t, t.TempDir())
	if err := s.OpenAudit(context.Background(), store.DefaultAuditFiles(filepath.Dir(s.Path()))); err != nil {
		t.Fatal(err)
	}
	return s
}

func sqlite(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// Postgres returns a migrated store on a new schema, or nil when
// ZHENDI_TEST_PG is not set.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	st, _ := PostgresVia(t, nil)
	return st
}

// EachUnkeyed runs fn on migrated stores whose audit files are not opened
// yet (store.OpenAudit not called), to test what happens before and at
// the first start: old unkeyed entries, a missing or wrong key. dir is a
// temporary folder for the audit files.
func EachUnkeyed(t *testing.T, fn func(t *testing.T, s *store.Store, dir string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqlite(t, t.TempDir()), t.TempDir()) })
	t.Run("postgres", func(t *testing.T) {
		s, _ := postgres(t, nil)
		if s == nil {
			t.Skip("ZHENDI_TEST_PG not set")
		}
		fn(t, s, t.TempDir())
	})
}

// PostgresVia is Postgres with its connections running through a Proxy
// (when via is non-nil, it is given the server's address and returns the
// address to dial instead). It also returns the URL of the test's schema for
// a direct connection, e.g. to look at the rows after the proxy was cut.
func PostgresVia(t testing.TB, via func(server string) string) (*store.Store, string) {
	t.Helper()
	s, direct := postgres(t, via)
	if s == nil {
		return nil, ""
	}
	if err := s.OpenAudit(context.Background(), store.DefaultAuditFiles(t.TempDir())); err != nil {
		t.Fatal(err)
	}
	return s, direct
}

func postgres(t testing.TB, via func(server string) string) (*store.Store, string) {
	t.Helper()
	direct := PostgresSchema(t)
	if direct == "" {
		return nil, ""
	}
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	if via != nil {
		u.Host = via(u.Host)
	}
	s, err := store.Open(context.Background(), u.String(), filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return s, direct
}

// Each runs fn on SQLite and, when configured, on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		s := Postgres(t)
		if s == nil {
			t.Skip("ZHENDI_TEST_PG not set")
		}
		fn(t, s)
	})
}

// PostgresSchema creates an empty schema (no migrations) and returns the
// URL of a connection to it, or "" when ZHENDI_TEST_PG is not set. Tests
// of several nodes open their stores on it themselves.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("ZHENDI_TEST_PG")
	if base == "" {
		return ""
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
