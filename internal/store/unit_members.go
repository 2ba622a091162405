package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Membership checks run inside the transaction that names the person or
// department, so the answer holds when the row is written. They report
// false only when the row really is not there; any other failure (a dropped
// connection) is returned as an error, never as "不是本单位人员".

// userInUnit reports whether a user belongs to a unit (and, with active,
// is not disabled).
func userInUnit(ctx context.Context, tx *sql.Tx, userID, unitID int64, active bool) (bool, error) {
	q := "SELECT COUNT(*) FROM users WHERE id = $1 AND unit_id = $2"
	if active {
		q += " AND disabled = 0"
	}
	var n int
	if err := tx.QueryRowContext(ctx, q, userID, unitID).Scan(&n); err != nil {
		return false, fmt.Errorf("check user %d of unit %d: %w", userID, unitID, err)
	}
	return n > 0, nil
}

// orgInUnit reports whether a live department or branch belongs to a unit.
func orgInUnit(ctx context.Context, tx *sql.Tx, orgID, unitID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", orgID, unitID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check department %d of unit %d: %w", orgID, unitID, err)
	}
	return n > 0, nil
}
