package store

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// What the assessment scorers measure (internal/service/assess_scorers.go):
// each reads many units of one year in one grouped query, with the record
// ids so that every automatic score shows the records behind it.

// ActRef is a ledger entry an automatic score counts.
type ActRef struct {
	ID    int64
	Type  string
	Date  string
	Title string
}

// AssessActivities lists the counted ledger entries of the given types (all
// types when none are given) for the units in a year, by unit, in date order. "Counted" as everywhere: an
// 分析研判 without its report document does not count.
func (s *Store) AssessActivities(ctx context.Context, sc access.Scope, unitIDs []int64, year int, types []string) (map[int64][]ActRef, error) {
	out := map[int64][]ActRef{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	where := s.filterWhere(sc, ledger.Filter{From: fmt.Sprintf("%d-01-01", year), To: fmt.Sprintf("%d-12-31", year), Types: types, Counted: true}, &a) +
		" AND a.unit_id IN (" + a.in(unitIDs) + ")"
	rows, err := s.db.QueryContext(ctx, "SELECT a.unit_id, a.id, a.type, a.date, a.title FROM activities a WHERE "+where+" ORDER BY a.unit_id, a.date, a.id", a...)
	if err != nil {
		return nil, fmt.Errorf("assessment ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		var r ActRef
		if err := rows.Scan(&u, &r.ID, &r.Type, &r.Date, &r.Title); err != nil {
			return nil, err
		}
		out[u] = append(out[u], r)
	}
	return out, rows.Err()
}

// InfoPoint is one draft's publication points in the year.
type InfoPoint struct {
	DraftID int64
	Title   string
	Points  int
}

// AssessInfoPoints sums the publication and adoption points of each unit's
// drafts published in the year, by draft (the 信息报送 score's records).
func (s *Store) AssessInfoPoints(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64][]InfoPoint, error) {
	out := map[int64][]InfoPoint{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	q := `SELECT p.unit_id, d.id, d.title, COALESCE(SUM(p.points),0) FROM info_publications p JOIN info_drafts d ON d.id = p.draft_id
		WHERE p.unit_id IN (` + a.in(unitIDs) + `) AND p.deleted_at IS NULL AND d.deleted_at IS NULL
		AND p.date >= ` + a.add(fmt.Sprintf("%d-01-01", year)) + ` AND p.date <= ` + a.add(fmt.Sprintf("%d-12-31", year)) + ` AND ` + infoReadScope(sc, &a) + `
		GROUP BY p.unit_id, d.id, d.title ORDER BY p.unit_id, d.id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("assessment info points: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		var p InfoPoint
		if err := rows.Scan(&u, &p.DraftID, &p.Title, &p.Points); err != nil {
			return nil, err
		}
		out[u] = append(out[u], p)
	}
	return out, rows.Err()
}

// RectDue is a rectification item due in the year: its deadline and when
// (if ever) it was verified closed.
type RectDue struct {
	ID       int64
	Title    string
	Deadline string
	Status   string
	ClosedOn string // YYYY-MM-DD in China time, "" while open
}

// AssessRects lists the rectification items of the units whose deadline
// falls in the year.
func (s *Store) AssessRects(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64][]RectDue, error) {
	out := map[int64][]RectDue{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	q := "SELECT r.unit_id, r.id, r.title, r.deadline, r.status, COALESCE(r.verified_at,0) FROM rectifications r WHERE r.unit_id IN (" + a.in(unitIDs) + ") AND r.deadline >= " +
		a.add(fmt.Sprintf("%d-01-01", year)) + " AND r.deadline <= " + a.add(fmt.Sprintf("%d-12-31", year)) + " AND " + rectScope(sc, &a) + " ORDER BY r.unit_id, r.deadline, r.id"
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("assessment rectifications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, at int64
		var r RectDue
		if err := rows.Scan(&u, &r.ID, &r.Title, &r.Deadline, &r.Status, &at); err != nil {
			return nil, err
		}
		if r.Status == "closed" && at > 0 {
			r.ClosedOn = approvedDate(at)
		}
		out[u] = append(out[u], r)
	}
	return out, rows.Err()
}

// AssessLeaders lists each unit's leaders (第一责任人, 直接责任人, 班子成员
// held at the unit) who are enabled: who owes a 述职.
func (s *Store) AssessLeaders(ctx context.Context, unitIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT u.unit_id, u.id FROM user_roles r JOIN users u ON u.id = r.user_id JOIN orgs o ON o.id = r.org_id
		WHERE u.unit_id IN (`+a.in(unitIDs)+`) AND u.disabled = 0 AND o.kind = 'unit' AND r.role IN ('first_resp','direct_resp','leader') ORDER BY u.unit_id, u.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("assessment leaders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, id int64
		if err := rows.Scan(&u, &id); err != nil {
			return nil, err
		}
		out[u] = append(out[u], id)
	}
	return out, rows.Err()
}
