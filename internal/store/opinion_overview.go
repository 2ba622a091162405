package store

import (
	"context"
	"fmt"
	"slices"

	"zhendi/internal/access"
)

// Aggregates of a unit's opinion items for the 舆情 dashboard, the
// district view and the reports: volume per day, per source and per
// scheme, and the split by negativity. Aggregates only — nothing here is
// per author (no author is stored at all).

// DayCount is one China-time day's items: all, negative (negativity > 0)
// and positive (< 0).
type DayCount struct {
	Day      int64 // days since 1970-01-01 in China time
	N        int
	Negative int
	Positive int
}

// NamedCount is a count for a named thing (a source, a scheme).
type NamedCount struct {
	ID   int64
	Name string
	N    int
}

// OpinionOverview is a unit's opinion figures over a period.
type OpinionOverview struct {
	Items    int
	Negative int
	Positive int
	Days     []DayCount
	Sources  []NamedCount
	Schemes  []NamedCount
	// Copies is how many copies were folded into the period's items
	// (转载), counted once per stored item.
	Copies int
}

// Neutral is the items scored neither negative nor positive.
func (o OpinionOverview) Neutral() int { return o.Items - o.Negative - o.Positive }

// OpinionOverview counts a unit's items and scheme hits published on the
// China-time days from from to to (unix seconds, to exclusive), from the
// day counts that intake and purge keep (opinion_days.go): at most a row
// per day and source and per day and scheme. ErrNotFound when the scope
// does not read the unit.
func (s *Store) OpinionOverview(ctx context.Context, sc access.Scope, unitID, from, to int64) (OpinionOverview, error) {
	var o OpinionOverview
	if !sc.CanRead(unitID, unitID) {
		return o, ErrNotFound
	}
	// Whole days from the rollup; a period starting or ending inside a day
	// (the dashboard's "last 7 days" ends now) counts those days whole.
	dayFrom, dayTo := (from+8*3600)/86400, (to-1+8*3600)/86400
	rows, err := s.db.QueryContext(ctx, `SELECT d.day, d.source_id, COALESCE(src.name, ''), d.n, d.negative, d.positive, d.copies
		FROM opinion_day_counts d LEFT JOIN opinion_sources src ON src.id = d.source_id
		WHERE d.unit_id = $1 AND d.day >= $2 AND d.day <= $3 ORDER BY d.day, d.source_id`, unitID, dayFrom, dayTo)
	if err != nil {
		return o, fmt.Errorf("read day counts: %w", err)
	}
	bySource := map[int64]*NamedCount{}
	for rows.Next() {
		var day, src int64
		var name string
		var n, neg, pos, copies int
		if err := rows.Scan(&day, &src, &name, &n, &neg, &pos, &copies); err != nil {
			rows.Close()
			return o, err
		}
		if len(o.Days) == 0 || o.Days[len(o.Days)-1].Day != day {
			o.Days = append(o.Days, DayCount{Day: day})
		}
		dc := &o.Days[len(o.Days)-1]
		dc.N, dc.Negative, dc.Positive = dc.N+n, dc.Negative+neg, dc.Positive+pos
		o.Items, o.Negative, o.Positive, o.Copies = o.Items+n, o.Negative+neg, o.Positive+pos, o.Copies+copies
		if bySource[src] == nil {
			bySource[src] = &NamedCount{ID: src, Name: name}
		}
		bySource[src].N += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return o, err
	}
	for _, c := range bySource {
		o.Sources = append(o.Sources, *c)
	}
	slices.SortFunc(o.Sources, func(a, b NamedCount) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return int(a.ID - b.ID)
	})
	if o.Schemes, err = s.namedCounts(ctx, `SELECT c.id, c.name, COALESCE((SELECT SUM(d.n) FROM opinion_scheme_days d
			WHERE d.scheme_id = c.id AND d.day >= $2 AND d.day <= $3), 0)
		FROM opinion_schemes c WHERE c.unit_id = $1 AND c.deleted_at IS NULL ORDER BY 3 DESC, c.id`, unitID, dayFrom, dayTo); err != nil {
		return o, fmt.Errorf("count hits per scheme: %w", err)
	}
	return o, nil
}

func (s *Store) namedCounts(ctx context.Context, q string, args ...any) ([]NamedCount, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NamedCount
	for rows.Next() {
		var c NamedCount
		if err := rows.Scan(&c.ID, &c.Name, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EventNegativeItems counts an event's items scored negative.
func (s *Store) EventNegativeItems(ctx context.Context, sc access.Scope, id int64) (int, error) {
	if _, err := s.OpinionEvent(ctx, sc, id); err != nil {
		return 0, err
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM opinion_event_items ei JOIN opinion_items i ON i.id = ei.item_id
		WHERE ei.event_id = $1 AND i.negativity > 0`, id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count negative event items: %w", err)
	}
	return n, nil
}

// UnitOpinionFigures is one unit's aggregates for the district view.
type UnitOpinionFigures struct {
	UnitID    int64
	Items     int
	Negative  int
	Events    int
	Incidents int
	// Settled: incidents whose time limits are all decided (met, late or
	// passed); OnTime: of those, the ones whose limits were all met. The
	// service fills both from the incidents' deadlines.
	Settled int
	OnTime  int
}

// UnitOpinionCounts counts items, negative items and events per unit in
// [from, to) for units the scope reads (others are left out).
func (s *Store) UnitOpinionCounts(ctx context.Context, sc access.Scope, units []int64, from, to int64) (map[int64]*UnitOpinionFigures, error) {
	out := map[int64]*UnitOpinionFigures{}
	var readable []int64
	for _, u := range units {
		if sc.CanRead(u, u) {
			readable = append(readable, u)
			out[u] = &UnitOpinionFigures{UnitID: u}
		}
	}
	if len(readable) == 0 {
		return out, nil
	}
	var a args
	in := a.in(readable)
	f, t := a.add(from), a.add(to)
	rows, err := s.db.QueryContext(ctx, `SELECT unit_id, COUNT(*), SUM(CASE WHEN negativity > 0 THEN 1 ELSE 0 END) FROM opinion_items
		WHERE unit_id IN (`+in+`) AND published_at >= `+f+` AND published_at < `+t+` GROUP BY unit_id`, a...)
	if err != nil {
		return nil, fmt.Errorf("count unit items: %w", err)
	}
	for rows.Next() {
		var u int64
		var n, neg int
		if err := rows.Scan(&u, &n, &neg); err != nil {
			rows.Close()
			return nil, err
		}
		out[u].Items, out[u].Negative = n, neg
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var b args
	in = b.in(readable)
	f, t = b.add(from), b.add(to)
	counts, err := queryCounts[int64](ctx, s.db, `SELECT unit_id, COUNT(*) FROM opinion_events WHERE unit_id IN (`+in+`) AND merged_into = 0
		AND first_at >= `+f+` AND first_at < `+t+` GROUP BY unit_id`, b...)
	if err != nil {
		return nil, fmt.Errorf("count unit events: %w", err)
	}
	for u, n := range counts {
		out[u].Events = n
	}
	return out, nil
}

// OpinionCopies sums the copies folded into a unit's items published in
// [from, to), read from the items themselves (a copy folded into an old
// item later changes no day count's watermark): for reports, which cite it.
func (s *Store) OpinionCopies(ctx context.Context, sc access.Scope, unitID, from, to int64) (int, error) {
	if !sc.CanRead(unitID, unitID) {
		return 0, ErrNotFound
	}
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(SUM(copies), 0) FROM opinion_items WHERE unit_id = $1 AND published_at >= $2 AND published_at < $3",
		unitID, from, to).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sum copies: %w", err)
	}
	return n, nil
}
