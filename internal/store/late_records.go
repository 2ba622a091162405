package store

import (
	"context"
	"fmt"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// Late records (补记): ledger entries recorded long after the day they
// happened, the punctuality figure of the supervision pages.

// LateRow is one person's (or the unit's) recording punctuality.
type LateRow struct {
	UserID int64
	Name   string
	Total  int
	Late   int // recorded LateDays or more after the activity
	Rushed int // late entries recorded in the week before a report deadline
	Edited int // changed LateDays or more after the activity (and after the day of recording)
	// History counts imported history (entries dated before the unit first
	// recorded in the system): included in Total, never in Late or Rushed.
	History int
}

// LateStats counts, per recording person, the unit's live entries dated in
// [from, to]: all, those recorded lateDays or more after the day, those late
// ones recorded in the 7 days up to a report deadline (deadlines are
// YYYY-MM-DD days, end of day China time), those edited long after, and
// the imported history (never late: see ImportActivities).
// The unit total is the last row, with UserID 0 and no name; entries with
// nobody recorded as their author (imports, seed data) come as a row with
// UserID 0 and no name too.
func (s *Store) LateStats(ctx context.Context, sc access.Scope, unitID int64, from, to string, lateDays int, deadlines []string) ([]LateRow, error) {
	var a args
	where := s.filterWhere(sc, ledger.Filter{UnitID: unitID, From: from, To: to}, &a)
	// Imported history is stated apart, never judged by its import time.
	gap := "(CASE WHEN a.history = 1 THEN -1 ELSE a.created_at - " + s.dateEpoch("a.date") + " END)"
	lim := a.add(int64(lateDays) * 86400)
	rush := "1=0"
	var parts []string
	for _, d := range deadlines {
		end := a.add(dateEpochGo(d) + 86400)
		parts = append(parts, "(a.created_at >= "+end+" - 604800 AND a.created_at < "+end+")")
	}
	if len(parts) > 0 {
		rush = "(" + strings.Join(parts, " OR ") + ")"
	}
	edited := "(a.updated_at - " + s.dateEpoch("a.date") + " >= " + lim + " AND a.updated_at - a.created_at >= 86400)"
	q := `SELECT COALESCE(a.created_by,0), COALESCE(MAX(u.name),''), COUNT(*),
		SUM(CASE WHEN ` + gap + ` >= ` + lim + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + gap + ` >= ` + lim + ` AND ` + rush + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + edited + ` THEN 1 ELSE 0 END), SUM(a.history)
		FROM activities a LEFT JOIN users u ON u.id = a.created_by WHERE ` + where + ` GROUP BY COALESCE(a.created_by,0) ORDER BY 4 DESC, 3 DESC`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("late stats: %w", err)
	}
	defer rows.Close()
	var out []LateRow
	var total LateRow
	for rows.Next() {
		var r LateRow
		if err := rows.Scan(&r.UserID, &r.Name, &r.Total, &r.Late, &r.Rushed, &r.Edited, &r.History); err != nil {
			return nil, err
		}
		total.Total += r.Total
		total.Late += r.Late
		total.Rushed += r.Rushed
		total.Edited += r.Edited
		total.History += r.History
		out = append(out, r)
	}
	return append(out, total), rows.Err()
}

// dateEpochGo is dateEpoch for a Go value: 00:00 China time of a day (0
// for a malformed day).
func dateEpochGo(d string) int64 {
	t, err := cntime.ParseDate(d)
	if err != nil {
		return 0
	}
	return t.Unix()
}

// LateEntries lists the late entries of a unit dated in [from, to] (the list
// behind the figure), newest recording first, at most limit.
func (s *Store) LateEntries(ctx context.Context, sc access.Scope, unitID int64, from, to string, lateDays, limit int) ([]ledger.Activity, error) {
	var a args
	where := s.filterWhere(sc, ledger.Filter{UnitID: unitID, From: from, To: to, Late: lateDays}, &a)
	rows, err := s.db.QueryContext(ctx, "SELECT "+activityCols+activityFrom+" WHERE "+where+" ORDER BY a.created_at DESC, a.id DESC LIMIT "+a.add(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("late entries: %w", err)
	}
	defer rows.Close()
	var out []ledger.Activity
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, act)
	}
	return out, rows.Err()
}

// Entered is how many of the row's entries were recorded in the system
// (Total without imported history): the base of the late-record rate.
func (r LateRow) Entered() int { return r.Total - r.History }
