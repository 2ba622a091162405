package store

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// CountByMonthType counts entries matching f per month of their activity
// date and type: counts["2023-06"]["central_group"]. It feeds the home
// page's charts with one query instead of one per month; the same filter
// with From/To narrowed to a month gives the list behind each bar.
func (s *Store) CountByMonthType(ctx context.Context, sc access.Scope, f ledger.Filter) (map[string]map[string]int, error) {
	var a args
	q := "SELECT substr(a.date, 1, 7), a.type, COUNT(*) FROM activities a WHERE " + s.filterWhere(sc, f, &a) + " GROUP BY substr(a.date, 1, 7), a.type"
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count by month and type: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var month, typ string
		var n int
		if err := rows.Scan(&month, &typ, &n); err != nil {
			return nil, fmt.Errorf("count by month and type: %w", err)
		}
		if out[month] == nil {
			out[month] = map[string]int{}
		}
		out[month][typ] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count by month and type: %w", err)
	}
	return out, nil
}
