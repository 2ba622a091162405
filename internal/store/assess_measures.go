package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/incident"
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

// ChannelMeasure is what the 阵地 scorer reads about one unit's year: how
// many channels it has registered (whenever entered: a registry typed in
// the January after still shows the channels the year had), the findings of the
// year that fall under a single-veto indicator, and the failed inspection
// items of the year's inspections that are not yet put right.
type ChannelMeasure struct {
	Channels    int
	Inspections []ChannelInspRef
	Findings    []ChannelFindingRef
	Unresolved  []ChannelItemRef
}

// ChannelInspRef is an inspection of the year.
type ChannelInspRef struct {
	ID     int64
	Kind   string
	Period string
}

// ChannelFindingRef is a single-veto finding.
type ChannelFindingRef struct {
	ID          int64
	Kind        string
	ChannelName string
	FoundOn     string // YYYY-MM-DD, China time
	Open        bool
}

// ChannelItemRef is a failed inspection item not put right.
type ChannelItemRef struct {
	InspectionID int64
	Period       string
	ChannelName  string
	Text         string
	RectID       int64
}

// AssessChannels reads the 阵地 measure of the units for a year, in scope.
// Single-veto findings are those the national indicators veto on: a site
// unreachable or too slow, a homepage or a new-media account not updated,
// and a serious wording error (a stale column vetoes only five at a time,
// which the board judges, so a single one is not counted here).
func (s *Store) AssessChannels(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64]*ChannelMeasure, error) {
	out := map[int64]*ChannelMeasure{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	for _, u := range unitIDs {
		out[u] = &ChannelMeasure{}
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, cntime.Zone).Unix()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, cntime.Zone).Unix()

	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT c.unit_id, COUNT(*) FROM channels c WHERE c.unit_id IN ("+a.in(unitIDs)+") AND "+chScope(sc, &a)+" GROUP BY c.unit_id", a...)
	if err != nil {
		return nil, fmt.Errorf("assessment channels: %w", err)
	}
	for rows.Next() {
		var u int64
		var n int
		if err := rows.Scan(&u, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[u].Channels = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	a = nil
	rows, err = s.db.QueryContext(ctx, `SELECT f.unit_id, f.id, f.kind, c.name, f.found_at, f.status FROM channel_findings f JOIN channels c ON c.id = f.channel_id
		WHERE f.unit_id IN (`+a.in(unitIDs)+`) AND f.found_at >= `+a.add(from)+` AND f.found_at < `+a.add(to)+`
		AND (f.kind IN ('unreachable','slow') OR (f.kind = 'stale' AND c.kind IN ('portal','wechat_mp','wechat_video','weibo','short_video'))
		     OR (f.kind = 'wording' AND f.serious <> 0))
		AND `+chScope(sc, &a)+` ORDER BY f.unit_id, f.found_at, f.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("assessment channel findings: %w", err)
	}
	for rows.Next() {
		var u, at int64
		var f ChannelFindingRef
		var status string
		if err := rows.Scan(&u, &f.ID, &f.Kind, &f.ChannelName, &at, &status); err != nil {
			rows.Close()
			return nil, err
		}
		f.FoundOn, f.Open = approvedDate(at), status == "open"
		out[u].Findings = append(out[u].Findings, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Inspections are the unit's (read by the unit's readers only, as
	// Inspections is).
	var units []int64
	for _, u := range unitIDs {
		if slices.Contains(sc.ReadUnits, u) {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return out, nil
	}
	a = nil
	year4 := a.add(fmt.Sprintf("%d%%", year))
	rows, err = s.db.QueryContext(ctx, "SELECT i.unit_id, i.id, i.kind, i.period FROM channel_inspections i WHERE i.unit_id IN ("+a.in(units)+") AND i.period LIKE "+year4+
		" ORDER BY i.unit_id, i.period, i.id", a...)
	if err != nil {
		return nil, fmt.Errorf("assessment inspections: %w", err)
	}
	for rows.Next() {
		var u int64
		var r ChannelInspRef
		if err := rows.Scan(&u, &r.ID, &r.Kind, &r.Period); err != nil {
			rows.Close()
			return nil, err
		}
		out[u].Inspections = append(out[u].Inspections, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	a = nil
	rows, err = s.db.QueryContext(ctx, `SELECT i.unit_id, i.id, i.period, COALESCE(c.name,''), it.text, COALESCE(it.rect_id,0)
		FROM channel_inspection_items it JOIN channel_inspections i ON i.id = it.inspection_id
		LEFT JOIN channels c ON c.id = it.channel_id LEFT JOIN rectifications r ON r.id = it.rect_id
		WHERE i.unit_id IN (`+a.in(units)+`) AND i.period LIKE `+a.add(fmt.Sprintf("%d%%", year))+` AND it.result = 'fail'
		AND (r.id IS NULL OR r.status <> 'closed') ORDER BY i.unit_id, i.period, it.sort, it.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("assessment inspection findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		var r ChannelItemRef
		if err := rows.Scan(&u, &r.InspectionID, &r.Period, &r.ChannelName, &r.Text, &r.RectID); err != nil {
			return nil, err
		}
		out[u].Unresolved = append(out[u].Unresolved, r)
	}
	return out, rows.Err()
}

// AssessIncidents lists the units' 舆情处置 incidents found in the year, in
// scope, with their steps (for the time limits), oldest first.
func (s *Store) AssessIncidents(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64][]incident.Incident, error) {
	out := map[int64][]incident.Incident{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, cntime.Zone).Unix()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, cntime.Zone).Unix()
	list, err := s.Incidents(ctx, sc, IncidentFilter{From: from, To: to})
	if err != nil {
		return nil, fmt.Errorf("assessment incidents: %w", err)
	}
	for i := len(list) - 1; i >= 0; i-- {
		in := list[i]
		if slices.Contains(unitIDs, in.UnitID) {
			out[in.UnitID] = append(out[in.UnitID], in)
		}
	}
	return out, nil
}
