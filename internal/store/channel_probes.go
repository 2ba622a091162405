package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/channel"
)

// Availability visits (站点无法访问): one row per site and China day with the
// day's counts and its visits packed (channel.EncodeSample), so a week of
// a site is 7 short rows and the board reads counts without decoding.

// addSample appends one visit to its day's row.
func addSample(ctx context.Context, q execer, chID, unitID int64, sm channel.Sample) error {
	start, day := channel.DayStart(time.Unix(sm.At, 0))
	_, err := q.ExecContext(ctx, `INSERT INTO channel_probe_days (channel_id, unit_id, day, total, failed, samples) VALUES ($1,$2,$3,1,$4,$5)
		ON CONFLICT (channel_id, day) DO UPDATE SET total = channel_probe_days.total + 1, failed = channel_probe_days.failed + excluded.failed,
		samples = channel_probe_days.samples || excluded.samples`,
		chID, unitID, day, b2i(sm.Failed()), channel.EncodeSample(sm, start))
	if err != nil {
		return fmt.Errorf("record visit of channel %d: %w", chID, err)
	}
	return nil
}

// RecordSample stores one availability visit of a channel.
func (s *Store) RecordSample(ctx context.Context, chID, unitID int64, sm channel.Sample) error {
	return addSample(ctx, s.db, chID, unitID, sm)
}

// ProbeDays returns the visits per day of the channels of units in
// [from, to] (YYYY-MM-DD), per channel.
func (s *Store) ProbeDays(ctx context.Context, unitIDs []int64, from, to string) (map[int64][]channel.DayAvail, error) {
	out := map[int64][]channel.DayAvail{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT channel_id, day, total, failed FROM channel_probe_days WHERE unit_id IN ("+a.in(unitIDs)+") AND day >= "+a.add(from)+" AND day <= "+a.add(to), a...)
	if err != nil {
		return nil, fmt.Errorf("count visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d channel.DayAvail
		if err := rows.Scan(&id, &d.Day, &d.Total, &d.Failed); err != nil {
			return nil, fmt.Errorf("read visit counts: %w", err)
		}
		out[id] = append(out[id], d)
	}
	return out, rows.Err()
}

// Samples lists a channel's visits from a day on, newest first.
func (s *Store) Samples(ctx context.Context, chID int64, from string, limit int) ([]channel.Sample, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT day, samples FROM channel_probe_days WHERE channel_id = $1 AND day >= $2 ORDER BY day DESC", chID, from)
	if err != nil {
		return nil, fmt.Errorf("list visits: %w", err)
	}
	defer rows.Close()
	var out []channel.Sample
	for rows.Next() {
		var day, enc string
		if err := rows.Scan(&day, &enc); err != nil {
			return nil, fmt.Errorf("read visits: %w", err)
		}
		ss, err := channel.DecodeSamples(day, enc)
		if err != nil {
			return nil, err
		}
		slices.Reverse(ss)
		out = append(out, ss...)
		if len(out) >= limit {
			return out[:limit], rows.Err()
		}
	}
	return out, rows.Err()
}

// PurgeProbes keeps the record bounded: it empties the visits of days
// before samplesBefore (their counts stay, for past quarters' reports),
// drops whole days before countsBefore, and drops the single-probe rows of
// the first version of the checks (channel_probes) before probesBefore.
func (s *Store) PurgeProbes(ctx context.Context, samplesBefore, countsBefore string, probesBefore int64) (int64, error) {
	var n int64
	for _, q := range []struct {
		sql string
		arg any
	}{
		{"UPDATE channel_probe_days SET samples = '' WHERE day < $1 AND samples <> ''", samplesBefore},
		{"DELETE FROM channel_probe_days WHERE day < $1", countsBefore},
		{"DELETE FROM channel_probes WHERE at < $1", probesBefore},
	} {
		r, err := s.db.ExecContext(ctx, q.sql, q.arg)
		if err != nil {
			return n, fmt.Errorf("purge visits: %w", err)
		}
		k, _ := r.RowsAffected()
		n += k
	}
	return n, nil
}

// ClaimDueProbes claims up to limit running sites (homepages) whose next
// visit is due at now, moving each one's next visit to next(id, due). Like
// ClaimDueChannels the claim is a compare-and-set, so two nodes never
// visit a site twice for one slot.
func (s *Store) ClaimDueProbes(ctx context.Context, now int64, next func(id, due int64) int64, limit int) ([]channel.Channel, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, unit_id, url, next_probe_at FROM channels
		WHERE kind = $1 AND status = $2 AND url <> '' AND next_probe_at <= $3 ORDER BY next_probe_at, id LIMIT `+strconv.Itoa(limit),
		string(channel.Portal), string(channel.Running), now)
	if err != nil {
		return nil, fmt.Errorf("list sites due a visit: %w", err)
	}
	type due struct {
		c    channel.Channel
		prev int64
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.c.ID, &d.c.UnitID, &d.c.URL, &d.prev); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read site due a visit: %w", err)
		}
		d.c.Kind, d.c.Status = channel.Portal, channel.Running
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sites due a visit: %w", err)
	}
	var out []channel.Channel
	for _, d := range list {
		res, err := s.db.ExecContext(ctx, "UPDATE channels SET next_probe_at = $1 WHERE id = $2 AND next_probe_at = $3", next(d.c.ID, d.prev), d.c.ID, d.prev)
		if err != nil {
			return nil, fmt.Errorf("claim site %d: %w", d.c.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, d.c)
		}
	}
	return out, nil
}

// FindingCounts is a channel's open findings counted.
type FindingCounts struct {
	Open, Serious int
	// SeriousWording counts open serious wording findings (the 严重表述错误
	// veto).
	SeriousWording int
}

// OpenFindingCounts counts the open findings of the channels in scope of
// units, per channel: the board needs counts, not the findings.
func (s *Store) OpenFindingCounts(ctx context.Context, sc access.Scope, unitIDs []int64) (map[int64]FindingCounts, error) {
	out := map[int64]FindingCounts{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	w := []string{"f.unit_id IN (" + a.in(unitIDs) + ")", "f.status = 'open'"}
	from := "channel_findings f"
	if !readsWhole(sc, unitIDs) {
		w = append(w, chScope(sc, &a))
		from += " JOIN channels c ON c.id = f.channel_id"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT f.channel_id, COUNT(*), CAST(SUM(f.serious) AS BIGINT), CAST(SUM(CASE WHEN f.kind = `+a.add(string(channel.FWording))+` THEN f.serious ELSE 0 END) AS BIGINT)
		FROM `+from+" WHERE "+joinAnd(w)+" GROUP BY f.channel_id", a...)
	if err != nil {
		return nil, fmt.Errorf("count findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n FindingCounts
		if err := rows.Scan(&id, &n.Open, &n.Serious, &n.SeriousWording); err != nil {
			return nil, fmt.Errorf("read finding counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// PubDays returns the publication days (day → items) the checks recorded
// on the channels of units from a day on, per channel.
func (s *Store) PubDays(ctx context.Context, unitIDs []int64, from string) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT channel_id, day, items FROM channel_pub_days WHERE unit_id IN ("+a.in(unitIDs)+") AND day >= "+a.add(from), a...)
	if err != nil {
		return nil, fmt.Errorf("list publication days: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var day string
		var n int
		if err := rows.Scan(&id, &day, &n); err != nil {
			return nil, fmt.Errorf("read publication day: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][day] += n
	}
	return out, rows.Err()
}
