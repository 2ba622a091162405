package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
)

// The automatic checks' side of the 阵地 module: claims on due channels,
// availability probes, publication days, findings and their rectification
// items with the re-check after closing.

// ClaimDueChannels claims up to limit running, automatically checked
// channels whose next check is due at now (all of unitID's when unitID is
// not 0, due or not), moving their next check to next. A claim is a
// compare-and-set on next_check_at, so a second node or a restarted round
// does not check the same channel twice in one interval.
func (s *Store) ClaimDueChannels(ctx context.Context, unitID, now, next int64, limit int) ([]channel.Channel, error) {
	var a args
	w := []string{"c.status = " + a.add(string(channel.Running)), "c.method IN ('feed','sitemap','listing')"}
	if unitID != 0 {
		w = append(w, "c.unit_id = "+a.add(unitID))
	} else {
		w = append(w, "c.next_check_at <= "+a.add(now))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+chCols+", c.next_check_at"+chFrom+" WHERE "+joinAnd(w)+" ORDER BY c.next_check_at, c.id LIMIT "+strconv.Itoa(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("list due channels: %w", err)
	}
	type due struct {
		c    channel.Channel
		prev int64
	}
	var list []due
	for rows.Next() {
		var d due
		var ok int
		c := &d.c
		if err := rows.Scan(&c.ID, &c.UnitID, &c.OrgID, &c.OrgName, &c.ParentID, &c.Kind, &c.Class, &c.Name, &c.URL, &c.Account, &c.Location,
			&c.ResponsibleID, &c.ResponsibleName, &c.ReviewerID, &c.ReviewerName, &c.Purpose, &c.FilingDate, &c.FilingNo, &c.Status, &c.Method, &c.FeedURL,
			&c.DateRule, &c.MessageRule, &c.LastUpdate, &c.Items, &c.LastCheckAt, &ok, &c.CheckedBy, &c.UnansweredSince, &c.CreatedAt, &c.UpdatedAt, &d.prev); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read due channel: %w", err)
		}
		c.LastCheckOK = ok != 0
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list due channels: %w", err)
	}
	var out []channel.Channel
	for _, d := range list {
		res, err := s.db.ExecContext(ctx, "UPDATE channels SET next_check_at = $1 WHERE id = $2 AND next_check_at = $3", next, d.c.ID, d.prev)
		if err != nil {
			return nil, fmt.Errorf("claim channel %d: %w", d.c.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, d.c)
		}
	}
	return out, nil
}

func upsertPubDay(ctx context.Context, tx *sql.Tx, chID, unitID int64, day string, n int) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO channel_pub_days (channel_id, unit_id, day, items) VALUES ($1,$2,$3,$4)
		ON CONFLICT (channel_id, day) DO UPDATE SET items = CASE WHEN excluded.items > channel_pub_days.items THEN excluded.items ELSE channel_pub_days.items END`,
		chID, unitID, day, n)
	if err != nil {
		return fmt.Errorf("record publication day: %w", err)
	}
	return nil
}

// FindingRectDays is how long a finding's rectification item gets.
const FindingRectDays = 7

// SaveCheck records one automatic check in one transaction: the channel's
// last update and check, the probe, the publication days, and the findings —
// new ones opened, open ones without a rectification item that the check no
// longer sees closed, and those a check confirms made rectification items
// (owned by the channel's responsible person; transient kinds only when
// seen again ConfirmAfter after the first sighting). It returns the
// findings opened.
func (s *Store) SaveCheck(ctx context.Context, c channel.Channel, r channel.Result, fresh channel.Fresh) ([]channel.Finding, error) {
	var opened []channel.Finding
	err := s.tx(ctx, func(tx *sql.Tx) error {
		last := c.LastUpdate
		items := c.Items
		if r.OK {
			if n := r.Newest(); n != "" && n > last {
				last = n
			}
			items = len(r.Dates)
		}
		unanswered := c.UnansweredSince
		if r.MessagesRead {
			unanswered = r.Unanswered
		}
		_, err := tx.ExecContext(ctx, "UPDATE channels SET last_update=$1, items=$2, last_check_at=$3, last_check_ok=$4, unanswered_since=$5 WHERE id=$6",
			last, items, r.At, b2i(r.OK), unanswered, c.ID)
		if err != nil {
			return fmt.Errorf("record check: %w", err)
		}
		// The check's fetch of the page is a visit like the prober's.
		if !r.NotVisited {
			if err := addSample(ctx, tx, c.ID, c.UnitID, channel.Sample{At: r.At, Millis: r.Millis, Status: r.StatusCode, OK: r.OK || r.StatusCode > 0 && r.StatusCode < 400}); err != nil {
				return err
			}
		}
		for day, n := range r.PerDay() {
			if err := upsertPubDay(ctx, tx, c.ID, c.UnitID, day, n); err != nil {
				return err
			}
		}
		open, err := openFindings(ctx, tx, "f.channel_id = $1", c.ID)
		if err != nil {
			return err
		}
		byKey := map[string]channel.Finding{}
		for _, f := range open {
			byKey[f.Key] = f
		}
		seen := map[string]bool{}
		closed := 0
		for _, f := range r.Findings {
			if seen[f.Key] {
				continue
			}
			seen[f.Key] = true
			f.ChannelName = c.Name
			if old, ok := byKey[f.Key]; ok {
				if old.RectID == 0 && r.At-old.FoundAt >= channel.ConfirmAfter {
					if err := s.findingRect(ctx, tx, c, &old, r.At); err != nil {
						return err
					}
				}
				continue
			}
			f.FoundAt, f.Status = r.At, "open"
			err := tx.QueryRowContext(ctx, `INSERT INTO channel_findings (channel_id, unit_id, kind, fkey, page_url, sentence, detail, serious, status, found_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'open',$9) RETURNING id`, c.ID, c.UnitID, string(f.Kind), f.Key, f.PageURL, f.Sentence, f.Detail, b2i(f.Serious), r.At).Scan(&f.ID)
			if err != nil {
				return fmt.Errorf("insert finding: %w", err)
			}
			if !f.Kind.Transient() {
				if err := s.findingRect(ctx, tx, c, &f, r.At); err != nil {
					return err
				}
			}
			opened = append(opened, f)
		}
		for _, f := range open {
			if seen[f.Key] || f.RectID != 0 || !f.Kind.Automatic() {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE channel_findings SET status='closed', closed_at=$1, recheck='检查时已不存在' WHERE id=$2", r.At, f.ID); err != nil {
				return fmt.Errorf("close finding: %w", err)
			}
			closed++
		}
		if len(opened) == 0 && closed == 0 {
			return nil
		}
		return s.appendAudit(ctx, tx, System, c.UnitID, "channel.check", "channel", c.ID, nil,
			map[string]any{"opened": len(opened), "closed": closed, "last_update": last, "ok": r.OK})
	})
	return opened, err
}

// findingRect opens the rectification item for a finding, owned by the
// channel's responsible person, and links it.
func (s *Store) findingRect(ctx context.Context, tx *sql.Tx, c channel.Channel, f *channel.Finding, at int64) error {
	f.ChannelName = c.Name
	title := strings.TrimRight(f.RectTitle(), "。") + "。" + f.Detail
	if f.PageURL != "" {
		title += "（页面：" + f.PageURL + "）"
	}
	if r := []rune(title); len(r) > 500 {
		title = string(r[:500])
	}
	rect := supervise.Rect{UnitID: c.UnitID, OrgID: c.OrgID, Title: title, Source: "inspection", SourceRef: "channel-finding:" + strconv.FormatInt(f.ID, 10) + ":" + strconv.FormatInt(at, 10),
		OwnerID: c.ResponsibleID, Deadline: cntime.AddDays(cntime.Date(s.Now()), FindingRectDays), Status: supervise.RectOpen}
	if c.OrgID != 0 {
		if in, err := orgInUnit(ctx, tx, c.OrgID, c.UnitID); err != nil || !in {
			rect.OrgID = 0
		}
	}
	if err := s.insertRect(ctx, tx, System, &rect); err != nil {
		return err
	}
	f.RectID = rect.ID
	if _, err := tx.ExecContext(ctx, "UPDATE channel_findings SET rect_id=$1 WHERE id=$2", rect.ID, f.ID); err != nil {
		return fmt.Errorf("link finding to rectification: %w", err)
	}
	return nil
}

const findingCols = `f.id, f.channel_id, f.unit_id, f.kind, f.fkey, f.page_url, f.sentence, f.detail, f.serious, f.status, COALESCE(f.rect_id,0), f.found_at,
	f.closed_at, f.recheck, f.recheck_at, c.name`

func scanFindings(rows *sql.Rows) ([]channel.Finding, error) {
	defer rows.Close()
	var out []channel.Finding
	for rows.Next() {
		var f channel.Finding
		var serious int
		if err := rows.Scan(&f.ID, &f.ChannelID, &f.UnitID, &f.Kind, &f.Key, &f.PageURL, &f.Sentence, &f.Detail, &serious, &f.Status, &f.RectID, &f.FoundAt,
			&f.ClosedAt, &f.Recheck, &f.RecheckAt, &f.ChannelName); err != nil {
			return nil, fmt.Errorf("read finding: %w", err)
		}
		f.Serious = serious != 0
		out = append(out, f)
	}
	return out, rows.Err()
}

func openFindings(ctx context.Context, q queryer, where string, args ...any) ([]channel.Finding, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+findingCols+" FROM channel_findings f JOIN channels c ON c.id = f.channel_id WHERE f.status = 'open' AND "+where+" ORDER BY f.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list open findings: %w", err)
	}
	return scanFindings(rows)
}

// FindingFilter selects findings.
type FindingFilter struct {
	UnitIDs   []int64
	ChannelID int64
	OpenOnly  bool
	Limit     int
	// From and To bound when they were found (Unix; 0 = open).
	From, To int64
}

// Findings lists findings of channels in scope, open ones first, newest
// first.
func (s *Store) Findings(ctx context.Context, sc access.Scope, f FindingFilter) ([]channel.Finding, error) {
	var a args
	w := []string{chScope(sc, &a)}
	if len(f.UnitIDs) > 0 {
		w = append(w, "f.unit_id IN ("+a.in(f.UnitIDs)+")")
	}
	if f.ChannelID != 0 {
		w = append(w, "f.channel_id = "+a.add(f.ChannelID))
	}
	if f.OpenOnly {
		w = append(w, "f.status = 'open'")
	}
	if f.From != 0 {
		w = append(w, "f.found_at >= "+a.add(f.From))
	}
	if f.To != 0 {
		w = append(w, "f.found_at < "+a.add(f.To))
	}
	q := "SELECT " + findingCols + " FROM channel_findings f JOIN channels c ON c.id = f.channel_id WHERE " + joinAnd(w) +
		" ORDER BY CASE f.status WHEN 'open' THEN 0 ELSE 1 END, f.found_at DESC, f.id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	return scanFindings(rows)
}

// PubMonths counts the items published per month (YYYY-MM) on the channels
// of units from a day on, per channel type group.
func (s *Store) PubMonths(ctx context.Context, unitIDs []int64, from string) (map[string]map[channel.Kind]int, error) {
	out := map[string]map[channel.Kind]int{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT SUBSTR(d.day, 1, 7), c.kind, SUM(d.items) FROM channel_pub_days d JOIN channels c ON c.id = d.channel_id
		WHERE d.unit_id IN (`+a.in(unitIDs)+") AND d.day >= "+a.add(from)+" GROUP BY SUBSTR(d.day, 1, 7), c.kind", a...)
	if err != nil {
		return nil, fmt.Errorf("count publications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m string
		var k channel.Kind
		var n int
		if err := rows.Scan(&m, &k, &n); err != nil {
			return nil, fmt.Errorf("read publication counts: %w", err)
		}
		if out[m] == nil {
			out[m] = map[channel.Kind]int{}
		}
		out[m][k] += n
	}
	return out, rows.Err()
}

// FindingsToRecheck lists open findings whose rectification item has been
// closed (已销号) since their last re-check, for the re-check round. (A
// failed re-check links a new item, which is re-checked when it closes.)
func (s *Store) FindingsToRecheck(ctx context.Context, limit int) ([]channel.Finding, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+findingCols+` FROM channel_findings f JOIN channels c ON c.id = f.channel_id WHERE f.status = 'open'
		AND f.rect_id IS NOT NULL AND EXISTS (SELECT 1 FROM rectifications r WHERE r.id = f.rect_id AND r.status = $1 AND r.updated_at > f.recheck_at) ORDER BY f.id LIMIT `+strconv.Itoa(limit), supervise.RectClosed)
	if err != nil {
		return nil, fmt.Errorf("list findings to re-check: %w", err)
	}
	return scanFindings(rows)
}

// ChannelByID reads a channel without a scope, for the background jobs.
func (s *Store) ChannelByID(ctx context.Context, id int64) (channel.Channel, error) {
	c, err := scanChannel(s.db.QueryRowContext(ctx, "SELECT "+chCols+chFrom+" WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	} else if err != nil {
		return c, fmt.Errorf("read channel %d: %w", id, err)
	}
	return c, nil
}

// RecordRecheck stores the result of the automatic re-check of a finding
// whose rectification item was closed: passed closes the finding; failed
// opens a new rectification item for it (the loop goes on). Either way the
// result is written on the finding and appended to the closed item's
// progress, so the item shows what the re-check found.
func (s *Store) RecordRecheck(ctx context.Context, c channel.Channel, f channel.Finding, passed bool, note string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res := "复查通过"
		if !passed {
			res = "复查未通过"
		}
		text := fmt.Sprintf("%s（%s 自动复查）：%s", res, cntime.LongMinute(now), note)
		if _, err := tx.ExecContext(ctx, "UPDATE rectifications SET progress = CASE WHEN progress = '' THEN $1 ELSE progress || $2 END, updated_at = $3 WHERE id = $4",
			text, "\n"+text, now.Unix(), f.RectID); err != nil {
			return fmt.Errorf("note re-check on rectification: %w", err)
		}
		if passed {
			if _, err := tx.ExecContext(ctx, "UPDATE channel_findings SET status='closed', closed_at=$1, recheck=$2, recheck_at=$1 WHERE id=$3", now.Unix(), text, f.ID); err != nil {
				return fmt.Errorf("close finding: %w", err)
			}
		} else {
			if _, err := tx.ExecContext(ctx, "UPDATE channel_findings SET recheck=$1, recheck_at=$2 WHERE id=$3", text, now.Unix(), f.ID); err != nil {
				return fmt.Errorf("record re-check: %w", err)
			}
			if err := s.findingRect(ctx, tx, c, &f, now.Unix()); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, System, c.UnitID, "channel.recheck", "rect", f.RectID, nil, map[string]any{"finding": f.ID, "passed": passed, "note": note})
	})
}

// RecordFinding opens a finding a person or a non-check rule made (an
// unfiled change), with its rectification item, unless the same one is
// open; it reports whether it opened one.
func (s *Store) RecordFinding(ctx context.Context, c channel.Channel, f channel.Finding) (bool, error) {
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM channel_findings WHERE channel_id = $1 AND fkey = $2 AND status = 'open'", c.ID, f.Key).Scan(&n); err != nil {
			return fmt.Errorf("check finding: %w", err)
		}
		if n > 0 {
			return nil
		}
		at := s.Now().Unix()
		err := tx.QueryRowContext(ctx, `INSERT INTO channel_findings (channel_id, unit_id, kind, fkey, page_url, sentence, detail, serious, status, found_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'open',$9) RETURNING id`, c.ID, c.UnitID, string(f.Kind), f.Key, f.PageURL, f.Sentence, f.Detail, b2i(f.Serious), at).Scan(&f.ID)
		if err != nil {
			return fmt.Errorf("insert finding: %w", err)
		}
		if err := s.findingRect(ctx, tx, c, &f, at); err != nil {
			return err
		}
		created = true
		return s.appendAudit(ctx, tx, System, c.UnitID, "channel.finding", "channel", c.ID, nil, map[string]any{"kind": f.Kind, "detail": f.Detail})
	})
	return created, err
}

// FindingForRect returns the finding linked to a rectification item, if
// any (the item's page links the channel).
func (s *Store) FindingForRect(ctx context.Context, sc access.Scope, rectID int64) (channel.Finding, bool, error) {
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT "+findingCols+" FROM channel_findings f JOIN channels c ON c.id = f.channel_id WHERE f.rect_id = "+a.add(rectID)+
		" AND "+chScope(sc, &a)+" ORDER BY f.id LIMIT 1", a...)
	if err != nil {
		return channel.Finding{}, false, fmt.Errorf("read finding of rectification: %w", err)
	}
	fs, err := scanFindings(rows)
	if err != nil || len(fs) == 0 {
		return channel.Finding{}, false, err
	}
	return fs[0], true, nil
}

// LastPubOnOrBefore returns each channel's latest publication day a check
// saw on or before day, for a unit (the state of a past quarter).
func (s *Store) LastPubOnOrBefore(ctx context.Context, unitID int64, day string) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT channel_id, MAX(day) FROM channel_pub_days WHERE unit_id = $1 AND day <= $2 GROUP BY channel_id", unitID, day)
	if err != nil {
		return nil, fmt.Errorf("read publication days: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return nil, fmt.Errorf("read publication day: %w", err)
		}
		out[id] = d
	}
	return out, rows.Err()
}

// ChannelFigures are a unit's 阵地 figures of a period for the half-year
// report: channels registered by to and not closed, findings found from
// from to to (and those closed since), inspections whose quarter ends in
// the period. Dates are "2006-01-02", inclusive.
func (s *Store) ChannelFigures(ctx context.Context, sc access.Scope, unitID int64, from, to string) (channelIDs, findingIDs, fixedIDs, inspectionIDs []int64, err error) {
	if !slices.Contains(sc.ReadUnits, unitID) {
		return nil, nil, nil, nil, ErrNotFound
	}
	f, err := cntime.ParseDate(from)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("period start %q: %w", from, err)
	}
	t, err := cntime.ParseDate(to)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("period end %q: %w", to, err)
	}
	end := t.AddDate(0, 0, 1).Unix()
	ids := func(q string, args ...any) ([]int64, error) {
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("count channel figures: %w", err)
		}
		defer rows.Close()
		out := []int64{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	if channelIDs, err = ids("SELECT id FROM channels WHERE unit_id = $1 AND created_at < $2 AND status <> 'closed' ORDER BY id", unitID, end); err != nil {
		return
	}
	if findingIDs, err = ids("SELECT id FROM channel_findings WHERE unit_id = $1 AND found_at >= $2 AND found_at < $3 ORDER BY id", unitID, f.Unix(), end); err != nil {
		return
	}
	if fixedIDs, err = ids("SELECT id FROM channel_findings WHERE unit_id = $1 AND found_at >= $2 AND found_at < $3 AND status = 'closed' ORDER BY id", unitID, f.Unix(), end); err != nil {
		return
	}
	inspectionIDs, err = ids("SELECT id FROM channel_inspections WHERE unit_id = $1 AND due >= $2 AND due <= $3 ORDER BY id", unitID, from, to)
	return
}

// FindingChannel returns the channel of a finding in scope (a finding's
// link opens its channel's page).
func (s *Store) FindingChannel(ctx context.Context, sc access.Scope, findingID int64) (int64, error) {
	var a args
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT c.id FROM channel_findings f JOIN channels c ON c.id = f.channel_id WHERE f.id = "+a.add(findingID)+" AND "+chScope(sc, &a), a...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	} else if err != nil {
		return 0, fmt.Errorf("read finding %d: %w", findingID, err)
	}
	return id, nil
}
