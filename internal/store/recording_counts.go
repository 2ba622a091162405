package store

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// RecordingCounts counts a unit's live entries dated in [from, to] by how
// they were recorded (ledger.Activity.Recording, in SQL: the same order
// of tests), with lateDays the 补记 window. Entries of a report type
// without their document (缺报告文档) count as the figures do not: left out.
func (s *Store) RecordingCounts(ctx context.Context, sc access.Scope, unitID int64, from, to string, lateDays int) (map[ledger.Recording]int, error) {
	var a args
	where := s.filterWhere(sc, ledger.Filter{UnitID: unitID, From: from, To: to}, &a)
	gap := "(a.created_at - " + s.dateEpoch("a.date") + ")"
	lim := a.add(int64(lateDays) * 86400)
	atSource := `EXISTS (SELECT 1 FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
		WHERE m.activity_id = a.id AND ma.signed_at IS NOT NULL AND ma.manual = 0)`
	q := `SELECT CASE
		WHEN a.history = 1 THEN 'history'
		WHEN ` + atSource + ` THEN 'source'
		WHEN ` + gap + ` >= ` + lim + ` THEN 'late'
		WHEN a.import_batch_id IS NOT NULL THEN 'imported'
		WHEN ` + gap + ` < 86400 THEN 'sameday'
		ELSE 'intime' END AS k, COUNT(*)
		FROM activities a WHERE ` + where + ` AND NOT ` + missingReport + ` GROUP BY 1`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count entries by recording: %w", err)
	}
	defer rows.Close()
	names := map[string]ledger.Recording{"history": ledger.RecordedImported, "source": ledger.RecordedAtSource, "late": ledger.RecordedLate,
		"imported": ledger.RecordedImportedLate, "sameday": ledger.RecordedSameDay, "intime": ledger.RecordedInTime}
	out := map[ledger.Recording]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("read recording count: %w", err)
		}
		out[names[k]] = n
	}
	return out, rows.Err()
}
