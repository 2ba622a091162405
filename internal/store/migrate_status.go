package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// provider is the goose migration provider of the store's dialect. On
// PostgreSQL it takes a session advisory lock around the migrations, so
// that several nodes started together apply each migration once: the
// first takes the lock and migrates, the others wait for it and then find
// nothing pending. The lock's id is derived from the schema, so two
// installations in different schemas of one database do not wait on each
// other. SQLite needs no lock: its writers queue on the database file, and
// serve holds the data directory's lock file.
func (s *Store) provider(ctx context.Context) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", s.dialect, err)
	}
	d := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		d = goose.DialectPostgres
		var schema string
		if err := s.db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("read schema: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("zhendi-migrations/" + schema))
		// Poll the lock every second for up to ten minutes: a node that
		// waits longer than that is better off failing and being
		// restarted by systemd than hanging.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 600))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d, s.db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("prepare migrations: %w", err)
	}
	return p, nil
}

// MigrationState is one migration as `zhendi migrate --status` lists it.
type MigrationState struct {
	Version   int64
	File      string
	Applied   bool
	AppliedAt time.Time // zero when pending
}

// MigrationStatus lists every migration the program carries, applied or
// pending, oldest first. It changes nothing.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := s.provider(ctx)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, m := range st {
		out = append(out, MigrationState{Version: m.Source.Version, File: m.Source.Path,
			Applied: m.State == goose.StateApplied, AppliedAt: m.AppliedAt})
	}
	return out, nil
}

// SchemaVersions returns the newest migration applied to the database and
// the newest the program carries; a node is ready only when they are
// equal. It reads the version table without taking the migration lock, so
// a readiness probe does not wait behind a node that is migrating.
func (s *Store) SchemaVersions(ctx context.Context) (current, newest int64, err error) {
	p, err := s.provider(ctx)
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		newest = srcs[len(srcs)-1].Version
	}
	err = s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version").Scan(&current)
	if err != nil {
		return 0, newest, fmt.Errorf("read schema version: %w", err)
	}
	return current, newest, nil
}
