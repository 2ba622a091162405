// Package store holds every SQL statement of zhendi. It speaks to SQLite
// (modernc.org/sqlite, the default, embedded) and PostgreSQL (pgx) with the
// same SQL text wherever possible; the few dialect differences live here and
// nowhere else. Every change that touches several rows runs in one
// transaction together with its audit log entry.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

//go:embed migrations
var migrations embed.FS

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is the database plus the folder of uploaded files.
type Store struct {
	db      *sql.DB
	dialect string
	blobDir string
	dsn     string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// aud is the audit key and checkpoint state (audit_chain.go).
	aud auditState
	// near holds each unit's near-duplicate index (opinion_near.go).
	near nearCaches
}

// Open connects to dsn: a postgres:// or postgresql:// URL, or a SQLite file
// path. blobDir is where attachments are kept (created if missing).
func Open(ctx context.Context, dsn, blobDir string) (*Store, error) {
	s := &Store{dsn: dsn, blobDir: blobDir, Now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.dialect = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.db.SetMaxOpenConns(16)
		s.db.SetMaxIdleConns(8)
	} else {
		s.dialect = SQLite
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		// WAL lets readers run beside the single writer; immediate
		// transactions take the write lock up front so two writers queue on
		// busy_timeout instead of failing half-way with SQLITE_BUSY.
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "busy_timeout(15000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_txlock", "immediate")
		s.db, err = sql.Open("sqlite", "file:"+dsn+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		s.db.SetMaxOpenConns(8)
		s.db.SetMaxIdleConns(8)
		s.db.SetConnMaxIdleTime(0)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if blobDir != "" {
		if err := os.MkdirAll(blobDir, 0o750); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("create attachment folder: %w", err)
		}
	}
	return s, nil
}

// Close runs SQLite's recommended closing optimize and closes the database.
func (s *Store) Close() error {
	if s.dialect == SQLite {
		s.db.Exec("PRAGMA optimize")
	}
	return s.db.Close()
}

// Dialect is SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// DB exposes the handle for tests and benchmarks that need raw SQL.
func (s *Store) DB() *sql.DB { return s.db }

// Migrate brings the schema up to date. Migrations only ever add: zhendi
// never runs a down migration, so user data is never dropped.
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) error {
	p, err := s.provider(ctx)
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range res {
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
		}
	}
	if err := s.ensureSearchIndex(ctx); err != nil {
		return err
	}
	return s.Optimize(ctx)
}

// Optimize refreshes SQLite's planner statistics where they are missing or
// stale, reading at most a few hundred rows per index (0.13 s on a
// district's ten years), then raises every table size it recorded below
// statFloor to statFloor and makes every connection reload the statistics.
// PostgreSQL's autovacuum does all this itself.
//
// Why the floor: statistics taken of a small table stay in force while the
// table grows, until the next Optimize. A table recorded with two rows is
// read by a full scan even when an index or rowid range would find the rows
// at once — the full-text index's own "DELETE FROM activity_search_data
// WHERE id >= ? AND id <= ?" became a scan of a growing table after the
// first start on an empty database, and a district's ledger slowed down
// with every unit (issue 21). With the floor, the planner never assumes a
// table is small enough to scan; for a table that really is small every
// plan is fast anyway. Run it at start and periodically (Service.Maintain),
// as SQLite advises for long-lived connections.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	// One connection for all statements: the analysis limit is a
	// per-connection setting.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA analysis_limit=400; PRAGMA optimize=0x10002"); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	if err := floorStats(ctx, conn); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}

// statFloor is the smallest row count the planner is told a table has
// (see Optimize). At ten thousand rows every lookup through an index or a
// rowid range is cheaper than a scan in SQLite's cost model.
const statFloor = 10000

// floorStats rewrites sqlite_stat1 rows whose row count is below statFloor
// (each row is "rows [rows-per-key …] [options]"; only the first number
// changes) and runs ANALYZE sqlite_schema, which makes this and every other
// open connection load the statistics again.
func floorStats(ctx context.Context, conn *sql.Conn) error {
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").Scan(&n); err != nil || n == 0 {
		return err
	}
	type stat struct{ tbl, idx, stat string }
	var low []stat
	rows, err := conn.QueryContext(ctx, "SELECT tbl, COALESCE(idx, ''), stat FROM sqlite_stat1")
	if err != nil {
		return fmt.Errorf("read statistics: %w", err)
	}
	for rows.Next() {
		var st stat
		if err := rows.Scan(&st.tbl, &st.idx, &st.stat); err != nil {
			rows.Close()
			return fmt.Errorf("read statistics: %w", err)
		}
		fields := strings.Fields(st.stat)
		if len(fields) == 0 {
			continue
		}
		if rowCount, err := strconv.ParseInt(fields[0], 10, 64); err == nil && rowCount < statFloor {
			fields[0] = strconv.Itoa(statFloor)
			st.stat = strings.Join(fields, " ")
			low = append(low, st)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read statistics: %w", err)
	}
	if len(low) == 0 {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for _, st := range low {
		if _, err := tx.ExecContext(ctx, "UPDATE sqlite_stat1 SET stat = $1 WHERE tbl = $2 AND COALESCE(idx, '') = $3", st.stat, st.tbl, st.idx); err != nil {
			return fmt.Errorf("raise statistics of %s: %w", st.tbl, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit statistics: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "ANALYZE sqlite_schema"); err != nil {
		return fmt.Errorf("reload statistics: %w", err)
	}
	return nil
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// args builds a positional argument list; each call returns the next "$n".
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// in returns "$i,$j,..." for a non-empty list.
func (a *args) in(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = a.add(id)
	}
	return strings.Join(parts, ",")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// likeEscape quotes LIKE wildcards; queries use ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// BlobDir is the attachment folder.
func (s *Store) BlobDir() string { return s.blobDir }

// queryIDs runs a query returning one id column.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// queryCounts runs a query returning (key, count) rows as a map.
func queryCounts[K comparable](ctx context.Context, q queryer, query string, args ...any) (map[K]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[K]int{}
	for rows.Next() {
		var k K
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}
