package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// The dashboard's counts per China-time day, kept in the transaction
// that changes the items (migration 00022): intake adds the stored items
// per day and source (all, negative, positive), the copies folded into
// them, and the scheme hits per day and scheme; the retention purge
// subtracts what it deletes. The dashboard then reads at most one row per
// day and source and one per day and scheme, whatever the item count.
// RecountOpinionDays rebuilds both from the items: the migration's
// recount, the test's referee, and the bulk generator's last step.

// chinaDay is the day number (days since 1970-01-01 in China time) of a
// Unix time, computed as the SQL does: (t + 28800) / 86400.
func chinaDay(t int64) int64 { return (t + 8*3600) / 86400 }

// dayKey is a row of opinion_day_counts.
type dayKey struct{ unit, day, source int64 }

// dayDelta is what a change adds to a day count (negative: removes).
type dayDelta struct{ n, negative, positive, copies int64 }

// schemeDay is a row of opinion_scheme_days.
type schemeDay struct{ unit, scheme, day int64 }

// dayCounts collects a transaction's changes to both tables.
type dayCounts struct {
	days    map[dayKey]*dayDelta
	schemes map[schemeDay]int64
}

func newDayCounts() *dayCounts {
	return &dayCounts{days: map[dayKey]*dayDelta{}, schemes: map[schemeDay]int64{}}
}

func (c *dayCounts) at(k dayKey) *dayDelta {
	d := c.days[k]
	if d == nil {
		d = &dayDelta{}
		c.days[k] = d
	}
	return d
}

// item counts a stored item.
func (c *dayCounts) item(unit, source, publishedAt int64, negativity float64) {
	d := c.at(dayKey{unit, chinaDay(publishedAt), source})
	d.n++
	if negativity > 0 {
		d.negative++
	} else if negativity < 0 {
		d.positive++
	}
}

// save writes the collected changes: upserts that add, then drops the
// rows a purge emptied. Keys are written in order, so that two
// transactions touching the same rows take their locks in the same order
// (PostgreSQL).
func (s *Store) saveDayCounts(ctx context.Context, tx *sql.Tx, c *dayCounts) error {
	keys := make([]dayKey, 0, len(c.days))
	for k := range c.days {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.unit != b.unit {
			return a.unit < b.unit
		}
		if a.day != b.day {
			return a.day < b.day
		}
		return a.source < b.source
	})
	var rows [][]any
	shrunk := false
	for _, k := range keys {
		d := c.days[k]
		if *d == (dayDelta{}) {
			continue
		}
		shrunk = shrunk || d.n < 0
		rows = append(rows, []any{k.unit, k.day, k.source, d.n, d.negative, d.positive, d.copies})
	}
	if err := s.insertRows(ctx, tx, "opinion_day_counts", "unit_id, day, source_id, n, negative, positive, copies",
		`ON CONFLICT (unit_id, day, source_id) DO UPDATE SET n = opinion_day_counts.n + excluded.n,
			negative = opinion_day_counts.negative + excluded.negative, positive = opinion_day_counts.positive + excluded.positive,
			copies = opinion_day_counts.copies + excluded.copies`, rows); err != nil {
		return fmt.Errorf("count items per day: %w", err)
	}
	skeys := make([]schemeDay, 0, len(c.schemes))
	for k := range c.schemes {
		skeys = append(skeys, k)
	}
	sort.Slice(skeys, func(i, j int) bool {
		a, b := skeys[i], skeys[j]
		if a.scheme != b.scheme {
			return a.scheme < b.scheme
		}
		return a.day < b.day
	})
	rows = rows[:0]
	for _, k := range skeys {
		if n := c.schemes[k]; n != 0 {
			shrunk = shrunk || n < 0
			rows = append(rows, []any{k.unit, k.scheme, k.day, n})
		}
	}
	if err := s.insertRows(ctx, tx, "opinion_scheme_days", "unit_id, scheme_id, day, n",
		"ON CONFLICT (scheme_id, day) DO UPDATE SET n = opinion_scheme_days.n + excluded.n", rows); err != nil {
		return fmt.Errorf("count hits per day: %w", err)
	}
	if !shrunk {
		return nil
	}
	// A purge emptied some days: their rows go (only the touched keys are
	// looked at, by primary key).
	for _, k := range keys {
		if c.days[k].n < 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM opinion_day_counts WHERE unit_id = $1 AND day = $2 AND source_id = $3 AND n <= 0",
				k.unit, k.day, k.source); err != nil {
				return fmt.Errorf("drop emptied day: %w", err)
			}
		}
	}
	for _, k := range skeys {
		if c.schemes[k] < 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM opinion_scheme_days WHERE scheme_id = $1 AND day = $2 AND n <= 0", k.scheme, k.day); err != nil {
				return fmt.Errorf("drop emptied scheme day: %w", err)
			}
		}
	}
	return nil
}

// uncountItems subtracts the items about to be deleted (ids, in args a
// as "in") and their hits from the day counts.
func (s *Store) uncountItems(ctx context.Context, tx *sql.Tx, in string, a args) error {
	c := newDayCounts()
	rows, err := tx.QueryContext(ctx, `SELECT unit_id, (published_at + 28800) / 86400, source_id, COUNT(*), SUM(CASE WHEN negativity > 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN negativity < 0 THEN 1 ELSE 0 END), SUM(copies) FROM opinion_items WHERE id IN (`+in+`)
		GROUP BY unit_id, (published_at + 28800) / 86400, source_id`, a...)
	if err != nil {
		return fmt.Errorf("count purged items: %w", err)
	}
	for rows.Next() {
		var k dayKey
		var d dayDelta
		if err := rows.Scan(&k.unit, &k.day, &k.source, &d.n, &d.negative, &d.positive, &d.copies); err != nil {
			rows.Close()
			return err
		}
		c.days[k] = &dayDelta{-d.n, -d.negative, -d.positive, -d.copies}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT MIN(unit_id), scheme_id, (at + 28800) / 86400, COUNT(*) FROM opinion_hits WHERE item_id IN (`+in+`)
		GROUP BY scheme_id, (at + 28800) / 86400`, a...)
	if err != nil {
		return fmt.Errorf("count purged hits: %w", err)
	}
	for rows.Next() {
		var k schemeDay
		var n int64
		if err := rows.Scan(&k.unit, &k.scheme, &k.day, &n); err != nil {
			rows.Close()
			return err
		}
		c.schemes[k] = -n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.saveDayCounts(ctx, tx, c)
}

// RecountOpinionDays rebuilds a unit's day counts and scheme day counts
// from its items and hits, in one transaction. Intake and purge keep them
// without it; it is for data written past the store (the bulk generator)
// and as the reference the counts are tested against.
func (s *Store) RecountOpinionDays(ctx context.Context, unitID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			"DELETE FROM opinion_day_counts WHERE unit_id = $1",
			"DELETE FROM opinion_scheme_days WHERE unit_id = $1",
			`INSERT INTO opinion_day_counts (unit_id, day, source_id, n, negative, positive, copies)
				SELECT unit_id, (published_at + 28800) / 86400, source_id, COUNT(*), SUM(CASE WHEN negativity > 0 THEN 1 ELSE 0 END),
					SUM(CASE WHEN negativity < 0 THEN 1 ELSE 0 END), SUM(copies)
				FROM opinion_items WHERE unit_id = $1 GROUP BY unit_id, (published_at + 28800) / 86400, source_id`,
			`INSERT INTO opinion_scheme_days (unit_id, scheme_id, day, n)
				SELECT unit_id, scheme_id, (at + 28800) / 86400, COUNT(*) FROM opinion_hits WHERE unit_id = $1
				GROUP BY unit_id, scheme_id, (at + 28800) / 86400`,
		} {
			if _, err := tx.ExecContext(ctx, q, unitID); err != nil {
				return fmt.Errorf("recount opinion days: %w", err)
			}
		}
		return nil
	})
}
