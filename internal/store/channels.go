package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
)

// The 阵地 registry (issue 18): channels, their 报备 history and the unit's
// update-rule versions. Who may change what is checked by the caller
// (channel rules and access); the store filters every read by scope and
// writes each change with its audit entry.

const chCols = `c.id, c.unit_id, COALESCE(c.org_id,0), COALESCE(o.name,''), COALESCE(c.parent_id,0), c.kind, c.class, c.name, c.url, c.account, c.location,
	c.responsible_id, ru.name, COALESCE(c.reviewer_id,0), COALESCE(vu.name,''), c.purpose, c.filing_date, c.filing_no, c.status, c.method, c.feed_url,
	c.date_rule, c.message_rule, c.last_update, c.items, c.last_check_at, c.last_check_ok, c.checked_by, c.unanswered_since, c.created_at, c.updated_at`

const chFrom = ` FROM channels c JOIN users ru ON ru.id = c.responsible_id LEFT JOIN users vu ON vu.id = c.reviewer_id LEFT JOIN orgs o ON o.id = c.org_id`

func scanChannel(row interface{ Scan(...any) error }) (channel.Channel, error) {
	var c channel.Channel
	var ok int
	err := row.Scan(&c.ID, &c.UnitID, &c.OrgID, &c.OrgName, &c.ParentID, &c.Kind, &c.Class, &c.Name, &c.URL, &c.Account, &c.Location,
		&c.ResponsibleID, &c.ResponsibleName, &c.ReviewerID, &c.ReviewerName, &c.Purpose, &c.FilingDate, &c.FilingNo, &c.Status, &c.Method, &c.FeedURL,
		&c.DateRule, &c.MessageRule, &c.LastUpdate, &c.Items, &c.LastCheckAt, &ok, &c.CheckedBy, &c.UnansweredSince, &c.CreatedAt, &c.UpdatedAt)
	c.LastCheckOK = ok != 0
	return c, err
}

// chScope: the unit's readers see all its channels, a department's readers
// the department's, and everyone the channels they are responsible for or
// review.
func chScope(sc access.Scope, a *args) string {
	var or []string
	if len(sc.ReadUnits) > 0 {
		or = append(or, "c.unit_id IN ("+a.in(sc.ReadUnits)+")")
	}
	if len(sc.ReadOrgs) > 0 {
		or = append(or, "c.org_id IN ("+a.in(sc.ReadOrgs)+")")
	}
	if sc.UserID != 0 {
		u := a.add(sc.UserID)
		or = append(or, "c.responsible_id = "+u, "c.reviewer_id = "+u)
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// ChannelFilter selects channels.
type ChannelFilter struct {
	UnitID  int64
	UnitIDs []int64
	Kind    channel.Kind
	Status  channel.Status
}

// Channels lists the channels in scope, by unit, type and id.
func (s *Store) Channels(ctx context.Context, sc access.Scope, f ChannelFilter) ([]channel.Channel, error) {
	var a args
	w := []string{chScope(sc, &a)}
	if f.UnitID != 0 {
		w = append(w, "c.unit_id = "+a.add(f.UnitID))
	}
	if len(f.UnitIDs) > 0 {
		w = append(w, "c.unit_id IN ("+a.in(f.UnitIDs)+")")
	}
	if f.Kind != "" {
		w = append(w, "c.kind = "+a.add(string(f.Kind)))
	}
	if f.Status != "" {
		w = append(w, "c.status = "+a.add(string(f.Status)))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+chCols+chFrom+" WHERE "+joinAnd(w)+" ORDER BY c.unit_id, COALESCE(c.parent_id, c.id), c.parent_id IS NOT NULL, c.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	defer rows.Close()
	var out []channel.Channel
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, fmt.Errorf("read channel: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Channel returns one channel in scope.
func (s *Store) Channel(ctx context.Context, sc access.Scope, id int64) (channel.Channel, error) {
	var a args
	c, err := scanChannel(s.db.QueryRowContext(ctx, "SELECT "+chCols+chFrom+" WHERE c.id = "+a.add(id)+" AND "+chScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	} else if err != nil {
		return c, fmt.Errorf("read channel %d: %w", id, err)
	}
	return c, nil
}

// checkChannelRefs makes sure the people, department and parent site of a
// channel belong to its unit.
func checkChannelRefs(ctx context.Context, tx *sql.Tx, c channel.Channel) error {
	in, err := userInUnit(ctx, tx, c.ResponsibleID, c.UnitID, true)
	if err != nil {
		return err
	}
	if !in {
		return channel.ErrPersonNotInUnit
	}
	if c.ReviewerID != 0 {
		if in, err = userInUnit(ctx, tx, c.ReviewerID, c.UnitID, true); err != nil {
			return err
		} else if !in {
			return channel.ErrReviewerNotUnit
		}
	}
	if c.OrgID != 0 {
		if in, err = orgInUnit(ctx, tx, c.OrgID, c.UnitID); err != nil {
			return err
		} else if !in {
			return channel.ErrOrgNotInUnit
		}
	}
	if c.ParentID != 0 {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM channels WHERE id = $1 AND unit_id = $2 AND kind = $3 AND id <> $4",
			c.ParentID, c.UnitID, string(channel.Portal), c.ID).Scan(&n)
		if err != nil {
			return fmt.Errorf("check parent site: %w", err)
		}
		if n == 0 {
			return channel.ErrParentNotSite
		}
	}
	return nil
}

func chSnap(c channel.Channel) map[string]any {
	return map[string]any{"kind": c.Kind, "class": c.Class, "name": c.Name, "url": c.URL, "account": c.Account, "location": c.Location,
		"org": c.OrgID, "parent": c.ParentID, "responsible": c.ResponsibleID, "reviewer": c.ReviewerID, "purpose": c.Purpose,
		"filing_date": c.FilingDate, "filing_no": c.FilingNo, "status": c.Status, "method": c.Method, "feed": c.FeedURL, "rule": c.DateRule,
		"message_rule": c.MessageRule, "unanswered_since": c.UnansweredSince}
}

// CreateChannel registers a channel in a unit the scope writes (else
// ErrNotFound), with its opening event, and sets c.ID.
func (s *Store) CreateChannel(ctx context.Context, actor Actor, sc access.Scope, c *channel.Channel) error {
	if !slices.Contains(sc.WriteUnits, c.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.insertChannel(ctx, tx, actor, c) })
}

func (s *Store) insertChannel(ctx context.Context, tx *sql.Tx, actor Actor, c *channel.Channel) error {
	if err := checkChannelRefs(ctx, tx, *c); err != nil {
		return err
	}
	now := s.Now().Unix()
	err := tx.QueryRowContext(ctx, `INSERT INTO channels (unit_id, org_id, parent_id, kind, class, name, url, account, location, responsible_id, reviewer_id,
		purpose, filing_date, filing_no, status, method, feed_url, date_rule, last_update, unanswered_since, created_at, created_by, updated_at, message_rule)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24) RETURNING id`,
		c.UnitID, nullID(c.OrgID), nullID(c.ParentID), string(c.Kind), string(c.Class), c.Name, c.URL, c.Account, c.Location, c.ResponsibleID, nullID(c.ReviewerID),
		c.Purpose, c.FilingDate, c.FilingNo, string(c.Status), string(c.Method), c.FeedURL, c.DateRule, c.LastUpdate, c.UnansweredSince, now, nullID(actor.UserID), now, c.MessageRule).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert channel: %w", err)
	}
	c.CreatedAt, c.UpdatedAt = now, now
	day := c.FilingDate
	if day == "" {
		day = cntime.Date(s.Now())
	}
	ev := channel.OpenEvent(*c, day)
	ev.ChannelID, ev.UnitID = c.ID, c.UnitID
	if err := s.insertChannelEvent(ctx, tx, actor, &ev); err != nil {
		return err
	}
	return s.appendAudit(ctx, tx, actor, c.UnitID, "channel.create", "channel", c.ID, nil, chSnap(*c))
}

func (s *Store) insertChannelEvent(ctx context.Context, tx *sql.Tx, actor Actor, e *channel.Event) error {
	e.CreatedAt = s.Now().Unix()
	err := tx.QueryRowContext(ctx, `INSERT INTO channel_events (channel_id, unit_id, kind, day, from_name, to_name, from_status, to_status, filing_no, filing_date, note, created_at, created_by)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
		e.ChannelID, e.UnitID, string(e.Kind), e.Day, e.FromName, e.ToName, string(e.FromStatus), string(e.ToStatus), e.FilingNo, e.FilingDate, e.Note,
		e.CreatedAt, nullID(actor.UserID)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("insert channel event: %w", err)
	}
	return nil
}

// UpdateChannel changes a channel the scope writes. change turns the locked
// channel into the new one and returns the events the change makes
// (channel.Changes: rename, close…), which are recorded with it.
func (s *Store) UpdateChannel(ctx context.Context, actor Actor, sc access.Scope, id int64, change func(*channel.Channel) ([]channel.Event, error)) (channel.Channel, error) {
	var c channel.Channel
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		before, err := scanChannel(tx.QueryRowContext(ctx, "SELECT "+chCols+chFrom+" WHERE c.id = "+a.add(id)+" AND "+chScope(sc, &a), a...))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read channel %d: %w", id, err)
		}
		if !slices.Contains(sc.WriteUnits, before.UnitID) {
			return ErrNotFound
		}
		c = before
		evs, err := change(&c)
		if err != nil {
			return err
		}
		c.ID, c.UnitID = before.ID, before.UnitID
		if err := checkChannelRefs(ctx, tx, c); err != nil {
			return err
		}
		c.UpdatedAt = s.Now().Unix()
		_, err = tx.ExecContext(ctx, `UPDATE channels SET org_id=$1, parent_id=$2, kind=$3, class=$4, name=$5, url=$6, account=$7, location=$8, responsible_id=$9,
			reviewer_id=$10, purpose=$11, filing_date=$12, filing_no=$13, status=$14, method=$15, feed_url=$16, date_rule=$17, unanswered_since=$18, updated_at=$19,
			next_check_at = 0 WHERE id=$20`,
			nullID(c.OrgID), nullID(c.ParentID), string(c.Kind), string(c.Class), c.Name, c.URL, c.Account, c.Location, c.ResponsibleID, nullID(c.ReviewerID),
			c.Purpose, c.FilingDate, c.FilingNo, string(c.Status), string(c.Method), c.FeedURL, c.DateRule, c.UnansweredSince, c.UpdatedAt, c.ID)
		if err != nil {
			return fmt.Errorf("update channel: %w", err)
		}
		for i := range evs {
			evs[i].ChannelID, evs[i].UnitID = c.ID, c.UnitID
			if err := s.insertChannelEvent(ctx, tx, actor, &evs[i]); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, c.UnitID, "channel.update", "channel", c.ID, chSnap(before), chSnap(c))
	})
	return c, err
}

// RecordManualCheck stores what a person found checking a channel by hand
// (a platform account zhendi does not fetch): the last update they saw and,
// for an interaction column, the oldest unanswered message. The record
// names who checked and when.
func (s *Store) RecordManualCheck(ctx context.Context, actor Actor, sc access.Scope, id int64, lastUpdate, unanswered string) (channel.Channel, error) {
	return s.UpdateChannelCheck(ctx, actor, sc, id, func(c *channel.Channel) error {
		c.LastUpdate, c.UnansweredSince, c.CheckedBy = lastUpdate, unanswered, actor.Name
		return nil
	})
}

// UpdateChannelCheck changes a channel's manual-check fields (last update,
// unanswered since, checked by) under the write scope, audited as
// channel.manual_check.
func (s *Store) UpdateChannelCheck(ctx context.Context, actor Actor, sc access.Scope, id int64, change func(*channel.Channel) error) (channel.Channel, error) {
	var c channel.Channel
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		before, err := scanChannel(tx.QueryRowContext(ctx, "SELECT "+chCols+chFrom+" WHERE c.id = "+a.add(id)+" AND "+chScope(sc, &a), a...))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read channel %d: %w", id, err)
		}
		if !slices.Contains(sc.WriteUnits, before.UnitID) && before.ResponsibleID != sc.UserID {
			return ErrNotFound
		}
		c = before
		if err := change(&c); err != nil {
			return err
		}
		now := s.Now().Unix()
		c.LastCheckAt, c.LastCheckOK = now, true
		_, err = tx.ExecContext(ctx, "UPDATE channels SET last_update=$1, unanswered_since=$2, checked_by=$3, last_check_at=$4, last_check_ok=1, updated_at=$4 WHERE id=$5",
			c.LastUpdate, c.UnansweredSince, c.CheckedBy, now, c.ID)
		if err != nil {
			return fmt.Errorf("record manual check: %w", err)
		}
		if c.LastUpdate != "" {
			if err := upsertPubDay(ctx, tx, c.ID, c.UnitID, c.LastUpdate, 1); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, c.UnitID, "channel.manual_check", "channel", c.ID,
			map[string]any{"last_update": before.LastUpdate, "unanswered_since": before.UnansweredSince},
			map[string]any{"last_update": c.LastUpdate, "unanswered_since": c.UnansweredSince, "checked_by": c.CheckedBy})
	})
	return c, err
}

// ChannelEvents lists the history of channels in scope: one channel's
// (channelID != 0) or a unit's, newest first.
func (s *Store) ChannelEvents(ctx context.Context, sc access.Scope, unitID, channelID int64) ([]channel.Event, error) {
	var a args
	w := []string{chScope(sc, &a)}
	if unitID != 0 {
		w = append(w, "e.unit_id = "+a.add(unitID))
	}
	if channelID != 0 {
		w = append(w, "e.channel_id = "+a.add(channelID))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.channel_id, e.unit_id, e.kind, e.day, e.from_name, e.to_name, e.from_status, e.to_status, e.filing_no,
		e.filing_date, e.note, COALESCE(u.name,''), e.created_at, c.kind, c.name FROM channel_events e JOIN channels c ON c.id = e.channel_id LEFT JOIN users u ON u.id = e.created_by
		WHERE `+joinAnd(w)+" ORDER BY e.day DESC, e.id DESC", a...)
	if err != nil {
		return nil, fmt.Errorf("list channel events: %w", err)
	}
	defer rows.Close()
	var out []channel.Event
	for rows.Next() {
		var e channel.Event
		if err := rows.Scan(&e.ID, &e.ChannelID, &e.UnitID, &e.Kind, &e.Day, &e.FromName, &e.ToName, &e.FromStatus, &e.ToStatus, &e.FilingNo,
			&e.FilingDate, &e.Note, &e.ByName, &e.CreatedAt, &e.ChannelKind, &e.ChannelName); err != nil {
			return nil, fmt.Errorf("read channel event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// FileChannelEvent adds the 报备 number and date to an event recorded
// without them (the filing came later), audited.
func (s *Store) FileChannelEvent(ctx context.Context, actor Actor, sc access.Scope, eventID int64, no, date string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		var unitID, chID int64
		var oldNo, oldDate string
		err := tx.QueryRowContext(ctx, "SELECT e.unit_id, e.channel_id, e.filing_no, e.filing_date FROM channel_events e JOIN channels c ON c.id = e.channel_id WHERE e.id = "+
			a.add(eventID)+" AND "+chScope(sc, &a), a...).Scan(&unitID, &chID, &oldNo, &oldDate)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read channel event: %w", err)
		}
		if !slices.Contains(sc.WriteUnits, unitID) {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, "UPDATE channel_events SET filing_no=$1, filing_date=$2 WHERE id=$3", no, date, eventID); err != nil {
			return fmt.Errorf("file channel event: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "channel.file", "channel", chID,
			map[string]any{"event": eventID, "filing_no": oldNo, "filing_date": oldDate}, map[string]any{"event": eventID, "filing_no": no, "filing_date": date})
	})
}

// ChannelRules lists a unit's rule versions, by type and start.
func (s *Store) ChannelRules(ctx context.Context, unitID int64) ([]channel.Rule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, unit_id, kind, class, days, months, valid_from, valid_to FROM channel_rules WHERE unit_id = $1
		ORDER BY kind, class, valid_from, id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("list channel rules: %w", err)
	}
	defer rows.Close()
	var out []channel.Rule
	for rows.Next() {
		var r channel.Rule
		if err := rows.Scan(&r.ID, &r.UnitID, &r.Kind, &r.Class, &r.Days, &r.Months, &r.ValidFrom, &r.ValidTo); err != nil {
			return nil, fmt.Errorf("read channel rule: %w", err)
		}
		r.Source = "本单位设定"
		out = append(out, r)
	}
	return out, rows.Err()
}

// UnitsChannelRules lists the rule versions of several units, by unit.
func (s *Store) UnitsChannelRules(ctx context.Context, unitIDs []int64) (map[int64][]channel.Rule, error) {
	out := map[int64][]channel.Rule{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT id, unit_id, kind, class, days, months, valid_from, valid_to FROM channel_rules WHERE unit_id IN ("+a.in(unitIDs)+")", a...)
	if err != nil {
		return nil, fmt.Errorf("list channel rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r channel.Rule
		if err := rows.Scan(&r.ID, &r.UnitID, &r.Kind, &r.Class, &r.Days, &r.Months, &r.ValidFrom, &r.ValidTo); err != nil {
			return nil, fmt.Errorf("read channel rule: %w", err)
		}
		r.Source = "本单位设定"
		out[r.UnitID] = append(out[r.UnitID], r)
	}
	return out, rows.Err()
}

// AddChannelRule starts a new version of a unit's rule for a type (and
// column class) from r.ValidFrom: the version in force then ends the day
// before, later ones are cut off, so days before keep being judged by the
// rule that was in force. ErrNotFound unless the scope writes the unit.
func (s *Store) AddChannelRule(ctx context.Context, actor Actor, sc access.Scope, r *channel.Rule) error {
	if !slices.Contains(sc.WriteUnits, r.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		prev := cntime.AddDays(r.ValidFrom, -1)
		// Versions starting on or after the new one are replaced by it.
		if _, err := tx.ExecContext(ctx, "UPDATE channel_rules SET valid_to = $1 WHERE unit_id = $2 AND kind = $3 AND class = $4 AND valid_from >= $5",
			prev, r.UnitID, string(r.Kind), string(r.Class), r.ValidFrom); err != nil {
			return fmt.Errorf("retire channel rules: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE channel_rules SET valid_to = $1 WHERE unit_id = $2 AND kind = $3 AND class = $4 AND valid_from < $5 AND (valid_to = '' OR valid_to >= $5)",
			prev, r.UnitID, string(r.Kind), string(r.Class), r.ValidFrom); err != nil {
			return fmt.Errorf("end channel rule: %w", err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO channel_rules (unit_id, kind, class, days, months, valid_from, valid_to, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,'',$7,$8) RETURNING id`, r.UnitID, string(r.Kind), string(r.Class), r.Days, r.Months, r.ValidFrom, s.Now().Unix(), nullID(actor.UserID)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert channel rule: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, r.UnitID, "channel.rule", "unit", r.UnitID, nil,
			map[string]any{"kind": r.Kind, "class": r.Class, "days": r.Days, "months": r.Months, "from": r.ValidFrom})
	})
}

// ImportChannels registers channels in one transaction: all of them or,
// when any fails, none. A failing row's error says which row (rowOf maps
// the slice index to the sheet row).
func (s *Store) ImportChannels(ctx context.Context, actor Actor, sc access.Scope, unitID int64, cs []channel.Channel, rowOf func(int) int) error {
	if !slices.Contains(sc.WriteUnits, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for i := range cs {
			cs[i].UnitID = unitID
			if err := s.insertChannel(ctx, tx, actor, &cs[i]); err != nil {
				return apperr.Within(fmt.Sprintf("第 %d 行", rowOf(i)), err)
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "channel.import", "unit", unitID, nil, map[string]any{"rows": len(cs)})
	})
}

// SetMessageRule sets an interaction column's message rule under the
// write scope (else ErrNotFound), audited as channel.message_rule; the
// column's next check is due at once so the rule takes effect.
func (s *Store) SetMessageRule(ctx context.Context, actor Actor, sc access.Scope, id int64, rule string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		before, err := scanChannel(tx.QueryRowContext(ctx, "SELECT "+chCols+chFrom+" WHERE c.id = "+a.add(id)+" AND "+chScope(sc, &a), a...))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read channel %d: %w", id, err)
		}
		if !slices.Contains(sc.WriteUnits, before.UnitID) {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, "UPDATE channels SET message_rule = $1, next_check_at = 0, updated_at = $2 WHERE id = $3", rule, s.Now().Unix(), id); err != nil {
			return fmt.Errorf("set message rule: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, before.UnitID, "channel.message_rule", "channel", id,
			map[string]any{"message_rule": before.MessageRule}, map[string]any{"message_rule": rule})
	})
}

// BoardChannels lists the channels in scope of units with only what the
// dashboard, the indicators and the reminders read (identity, type,
// responsible person, status, method, last update and check, unanswered
// since), in Channels' order: the district board reads 2,000 of them per
// build, and half the columns and two joins fewer halves the reading.
func (s *Store) BoardChannels(ctx context.Context, sc access.Scope, unitIDs []int64) ([]channel.Channel, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	w := []string{"c.unit_id IN (" + a.in(unitIDs) + ")"}
	if !readsWhole(sc, unitIDs) {
		w = append(w, chScope(sc, &a))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.unit_id, COALESCE(c.parent_id,0), c.kind, c.class, c.name, c.responsible_id, ru.name, c.status, c.method,
		c.last_update, c.items, c.last_check_at, c.last_check_ok, c.checked_by, c.unanswered_since
		FROM channels c JOIN users ru ON ru.id = c.responsible_id WHERE `+joinAnd(w)+" ORDER BY c.unit_id, COALESCE(c.parent_id, c.id), c.parent_id IS NOT NULL, c.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list channels for the board: %w", err)
	}
	defer rows.Close()
	var out []channel.Channel
	for rows.Next() {
		var c channel.Channel
		var ok int
		if err := rows.Scan(&c.ID, &c.UnitID, &c.ParentID, &c.Kind, &c.Class, &c.Name, &c.ResponsibleID, &c.ResponsibleName, &c.Status, &c.Method,
			&c.LastUpdate, &c.Items, &c.LastCheckAt, &ok, &c.CheckedBy, &c.UnansweredSince); err != nil {
			return nil, fmt.Errorf("read channel for the board: %w", err)
		}
		c.LastCheckOK = ok != 0
		out = append(out, c)
	}
	return out, rows.Err()
}

// readsWhole reports whether the scope reads every channel of each of
// units (their readers and the supervisors above them do), so a query
// limited to the units needs no per-row scope test.
func readsWhole(sc access.Scope, units []int64) bool {
	for _, u := range units {
		if !slices.Contains(sc.ReadUnits, u) {
			return false
		}
	}
	return true
}
