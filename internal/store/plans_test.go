package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestPlansStayIndexedAsTablesGrow is issue 21's guard: a long-lived SQLite
// store that took its planner statistics while the tables were small (at
// the first start on an empty database, and at a housekeeping round soon
// after) must not plan full scans once the ledger has grown — neither the
// full-text index's own maintenance statements nor a lookup through any
// index of any table. Connections opened before the statistics changed are
// checked as well as new ones: a running server keeps its pool.
func TestPlansStayIndexedAsTablesGrow(t *testing.T) {
	s := storetest.SQLite(t)
	ctx := context.Background()
	f := setup(t, s)
	var old []*sql.Conn
	for range 3 {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		old = append(old, c)
	}
	// A few entries, then the housekeeping round records tiny tables.
	grow(t, s, f, 20)
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	// The district's data arrives; no restart, no housekeeping round yet.
	grow(t, s, f, 3000)

	fresh, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	stmts := ftsMaintenance()
	stmts = append(stmts, indexLookups(t, s)...)
	for i, c := range append(old, fresh) {
		for _, q := range stmts {
			if plan := explain(t, c, q); fullScan(plan) {
				t.Errorf("connection %d plans a full scan for %s:\n%s", i, q, plan)
			}
		}
	}
}

// grow adds n entries of unit A with ten attendees each, in one batch.
func grow(t *testing.T, s *store.Store, f fixture, n int) {
	t.Helper()
	acts := make([]ledger.Activity, n)
	for i := range acts {
		acts[i] = ledger.Activity{UnitID: f.unitA.ID, OrgID: f.unitA.ID, Type: ledger.CentralGroup,
			Title: fmt.Sprintf("第%d次集中学习", i+1), Date: "2023-05-01", Content: "传达学习上级会议精神，研究贯彻落实措施。",
			Attendance: []ledger.Attendance{{UserID: f.clerkA.ID, Status: "present"}}}
	}
	if err := s.SeedActivities(context.Background(), store.Actor{UserID: f.clerkA.ID}, f.unitA.ID, acts); err != nil {
		t.Fatal(err)
	}
}

// ftsMaintenance are the statements FTS5 runs on its shadow tables when it
// writes and merges segments (sqlite/ext/fts5/fts5_index.c).
func ftsMaintenance() []string {
	return []string{
		"DELETE FROM activity_search_data WHERE id >= 5 AND id <= 10",
		"SELECT block FROM activity_search_data WHERE id = 5",
		"DELETE FROM activity_search_idx WHERE segid = 5",
		"SELECT pgno FROM activity_search_idx WHERE segid = 5 AND term <= 'ab' ORDER BY term DESC LIMIT 1",
	}
}

// indexLookups is, for every ordinary index of the schema, an equality
// lookup on its first column: the statement shape the store's scoped
// queries and joins are made of. Partial and expression indexes are left
// out (a plain lookup cannot use them).
func indexLookups(t *testing.T, s *store.Store) []string {
	t.Helper()
	rows, err := s.DB().Query(`SELECT i.name, i.tbl_name FROM sqlite_schema i
		WHERE i.type = 'index' AND i.tbl_name NOT LIKE 'sqlite_%' AND i.tbl_name NOT LIKE 'goose_%'
		AND (i.sql IS NULL OR i.sql NOT LIKE '% WHERE %')`)
	if err != nil {
		t.Fatal(err)
	}
	type idx struct{ name, tbl string }
	var all []idx
	for rows.Next() {
		var x idx
		if err := rows.Scan(&x.name, &x.tbl); err != nil {
			t.Fatal(err)
		}
		all = append(all, x)
	}
	rows.Close()
	var out []string
	for _, x := range all {
		var col sql.NullString
		err := s.DB().QueryRow("SELECT name FROM pragma_index_info($1) WHERE seqno = 0", x.name).Scan(&col)
		if err != nil || !col.Valid {
			continue // expression index
		}
		out = append(out, fmt.Sprintf("SELECT * FROM %s WHERE %s = 5", x.tbl, col.String))
	}
	if len(out) < 10 {
		t.Fatalf("only %d index lookups found; the schema query is wrong", len(out))
	}
	return out
}

func explain(t *testing.T, c *sql.Conn, q string) string {
	t.Helper()
	rows, err := c.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// fullScan is true when a plan reads a whole table rather than seeking
// through an index or the rowid.
func fullScan(plan string) bool {
	for _, line := range strings.Split(plan, "\n") {
		if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, " USING ") {
			return true
		}
	}
	return false
}
