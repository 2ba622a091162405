package store

import (
	"context"
	"database/sql"
	"fmt"

	"zhendi/internal/ledger"
)

// LoadAttendance fills the attendance of the given activities (export, print).
func (s *Store) LoadAttendance(ctx context.Context, acts []ledger.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]int64, len(acts))
	for i, a := range acts {
		idx[a.ID] = i
		ids[i] = a.ID
	}
	// Chunk to stay under parameter limits on large exports.
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var a args
		rows, err := s.db.QueryContext(ctx, `SELECT t.activity_id, t.user_id, u.name, o.name, t.status, t.reason, t.speaker
			FROM attendance t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id
			WHERE t.activity_id IN (`+a.in(chunk)+`) ORDER BY t.activity_id, o.sort, o.id, u.sort, u.id`, a...)
		if err != nil {
			return fmt.Errorf("load attendance: %w", err)
		}
		for rows.Next() {
			var aid int64
			var at ledger.Attendance
			var spk int
			if err := rows.Scan(&aid, &at.UserID, &at.Name, &at.OrgName, &at.Status, &at.Reason, &spk); err != nil {
				rows.Close()
				return err
			}
			at.Speaker = spk == 1
			acts[idx[aid]].Attendance = append(acts[idx[aid]].Attendance, at)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// readAttendance reads one entry's attendance inside tx, by user id.
func readAttendance(ctx context.Context, tx *sql.Tx, activityID int64) ([]ledger.Attendance, error) {
	rows, err := tx.QueryContext(ctx, "SELECT user_id, status, reason, speaker FROM attendance WHERE activity_id = $1 ORDER BY user_id", activityID)
	if err != nil {
		return nil, fmt.Errorf("read attendance: %w", err)
	}
	defer rows.Close()
	var out []ledger.Attendance
	for rows.Next() {
		var at ledger.Attendance
		var spk int
		if err := rows.Scan(&at.UserID, &at.Status, &at.Reason, &spk); err != nil {
			return nil, err
		}
		at.Speaker = spk == 1
		out = append(out, at)
	}
	return out, rows.Err()
}

func insertAttendance(ctx context.Context, tx *sql.Tx, a *ledger.Activity) error {
	for _, at := range a.Attendance {
		_, err := tx.ExecContext(ctx, `INSERT INTO attendance (activity_id, user_id, status, reason, speaker) VALUES ($1,$2,$3,$4,$5)`,
			a.ID, at.UserID, at.Status, at.Reason, b2i(at.Speaker))
		if err != nil {
			return fmt.Errorf("insert attendance: %w", err)
		}
	}
	return nil
}
