package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"zhendi/internal/access"
)

// OpinionEvent is an event with its aggregates.
type OpinionEvent struct {
	ID         int64
	UnitID     int64
	SchemeID   int64
	SchemeName string
	Title      string
	RepItemID  int64
	FirstAt    int64
	LastAt     int64
	Items      int
	Sources    int
	Negativity float64
	Heat       float64
	WeightSum  float64
	MergedInto int64 // set when merged into another event by hand
	CreatedAt  int64
	UpdatedAt  int64
}

const eventCols = `e.id, e.unit_id, e.scheme_id, COALESCE(c.name, ''), e.title, e.rep_item_id, e.first_at, e.last_at, e.items, e.sources,
	e.negativity, e.heat, e.weight_sum, e.merged_into, e.created_at, e.updated_at`
const eventFrom = " FROM opinion_events e LEFT JOIN opinion_schemes c ON c.id = e.scheme_id"

func scanEvent(r interface{ Scan(...any) error }) (OpinionEvent, error) {
	var e OpinionEvent
	err := r.Scan(&e.ID, &e.UnitID, &e.SchemeID, &e.SchemeName, &e.Title, &e.RepItemID, &e.FirstAt, &e.LastAt, &e.Items, &e.Sources,
		&e.Negativity, &e.Heat, &e.WeightSum, &e.MergedInto, &e.CreatedAt, &e.UpdatedAt)
	return e, err
}

// EventFilter selects a unit's events.
type EventFilter struct {
	UnitID   int64
	SchemeID int64
	From, To int64 // last_at range, To exclusive; 0: open
	// Sort: "heat" (default), "last" (most recent) or "negativity".
	Sort          string
	Limit, Offset int
	// WithMerged includes events merged into others.
	WithMerged bool
}

// OpinionEvents lists a unit's events and the total matching.
func (s *Store) OpinionEvents(ctx context.Context, sc access.Scope, f EventFilter) ([]OpinionEvent, int, error) {
	if !sc.CanRead(f.UnitID, f.UnitID) {
		return nil, 0, ErrNotFound
	}
	var a args
	w := []string{"e.unit_id = " + a.add(f.UnitID)}
	if !f.WithMerged {
		w = append(w, "e.merged_into = 0")
	}
	if f.SchemeID != 0 {
		w = append(w, "e.scheme_id = "+a.add(f.SchemeID))
	}
	if f.From != 0 {
		w = append(w, "e.last_at >= "+a.add(f.From))
	}
	if f.To != 0 {
		w = append(w, "e.first_at < "+a.add(f.To))
	}
	where := strings.Join(w, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*)"+eventFrom+" WHERE "+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count events: %w", err)
	}
	order := "e.heat DESC, e.id DESC"
	switch f.Sort {
	case "last":
		order = "e.last_at DESC, e.id DESC"
	case "negativity":
		order = "e.negativity DESC, e.id DESC"
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+eventCols+eventFrom+" WHERE "+where+" ORDER BY "+order+" LIMIT "+a.add(f.Limit)+" OFFSET "+a.add(f.Offset), a...)
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []OpinionEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// OpinionEvent returns one event the scope may read.
func (s *Store) OpinionEvent(ctx context.Context, sc access.Scope, id int64) (OpinionEvent, error) {
	e, err := scanEvent(s.db.QueryRowContext(ctx, "SELECT "+eventCols+eventFrom+" WHERE e.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanRead(e.UnitID, e.UnitID)) {
		return OpinionEvent{}, ErrNotFound
	} else if err != nil {
		return e, fmt.Errorf("read event %d: %w", id, err)
	}
	return e, nil
}

// HourCount is an event's volume in one hour (Unix seconds / 3600).
type HourCount struct {
	Hour int64
	N    int
}

// EventHours is an event's volume per hour, in order.
func (s *Store) EventHours(ctx context.Context, sc access.Scope, id int64) ([]HourCount, error) {
	if _, err := s.OpinionEvent(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT hour, n FROM opinion_event_hours WHERE event_id = $1 ORDER BY hour", id)
	if err != nil {
		return nil, fmt.Errorf("read event hours: %w", err)
	}
	defer rows.Close()
	var out []HourCount
	for rows.Next() {
		var h HourCount
		if err := rows.Scan(&h.Hour, &h.N); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// EventSourceCount is an event's items from one source.
type EventSourceCount struct {
	SourceID int64
	Name     string
	N        int
}

// EventSources counts an event's items per source, most first.
func (s *Store) EventSources(ctx context.Context, sc access.Scope, id int64) ([]EventSourceCount, error) {
	if _, err := s.OpinionEvent(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT i.source_id, COALESCE(s.name, ''), COUNT(*) FROM opinion_event_items ei
		JOIN opinion_items i ON i.id = ei.item_id LEFT JOIN opinion_sources s ON s.id = i.source_id
		WHERE ei.event_id = $1 GROUP BY i.source_id, s.name ORDER BY COUNT(*) DESC, i.source_id`, id)
	if err != nil {
		return nil, fmt.Errorf("count event sources: %w", err)
	}
	defer rows.Close()
	var out []EventSourceCount
	for rows.Next() {
		var c EventSourceCount
		if err := rows.Scan(&c.SourceID, &c.Name, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// lockEvent reads a live (not merged) event of the scope's writable units
// inside tx.
func (s *Store) lockEvent(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (OpinionEvent, error) {
	q := "SELECT " + eventCols + eventFrom + " WHERE e.id = $1 AND e.merged_into = 0"
	if s.dialect == Postgres {
		q += " FOR UPDATE OF e"
	}
	e, err := scanEvent(tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanWrite(e.UnitID, e.UnitID)) {
		return OpinionEvent{}, ErrNotFound
	} else if err != nil {
		return e, fmt.Errorf("read event %d: %w", id, err)
	}
	return e, nil
}

// HeatFunc scores an event from its state, distinct sources and hourly
// volume (see IntakeOptions.Heat).
type HeatFunc func(ev *EventState, sources int, hours map[int64]int, nowHour int64) float64

// recountEvent rebuilds an event's counts and hourly volume from its items.
func (s *Store) recountEvent(ctx context.Context, tx *sql.Tx, id int64, heat HeatFunc) error {
	ev, err := scanEventState(tx.QueryRowContext(ctx, "SELECT "+eventStateCols+" FROM opinion_events WHERE id = $1", id))
	if err != nil {
		return fmt.Errorf("read event %d: %w", id, err)
	}
	var first, last sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(ei.at), MAX(ei.at), COALESCE(SUM(i.negativity), 0), COALESCE(SUM(s.weight), 0)
		FROM opinion_event_items ei JOIN opinion_items i ON i.id = ei.item_id LEFT JOIN opinion_sources s ON s.id = i.source_id
		WHERE ei.event_id = $1`, id).Scan(&ev.Items, &first, &last, &ev.NegSum, &ev.Weight)
	if err != nil {
		return fmt.Errorf("recount event %d: %w", id, err)
	}
	ev.FirstAt, ev.LastAt = first.Int64, last.Int64
	if _, err := tx.ExecContext(ctx, "DELETE FROM opinion_event_hours WHERE event_id = $1", id); err != nil {
		return fmt.Errorf("clear event hours: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_event_hours (event_id, hour, n)
		SELECT $1, at / 3600, COUNT(*) FROM opinion_event_items WHERE event_id = $1 GROUP BY at / 3600`, id); err != nil {
		return fmt.Errorf("rebuild event hours: %w", err)
	}
	if ev.RepItemID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM opinion_event_items WHERE event_id = $1 AND item_id = $2", id, ev.RepItemID).Scan(&n); err != nil {
			return fmt.Errorf("check representative: %w", err)
		}
		if n == 0 {
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MIN(item_id), 0) FROM opinion_event_items WHERE event_id = $1", id).Scan(&ev.RepItemID); err != nil {
				return fmt.Errorf("pick representative: %w", err)
			}
		}
	}
	return s.rescoreEvent(ctx, tx, ev, IntakeOptions{Heat: heat, Now: s.Now().Unix()})
}

// MergeEvents moves every item of event from into event into (both of one
// unit the scope may write, neither already merged), marks from as merged
// into into and recounts into.
func (s *Store) MergeEvents(ctx context.Context, actor Actor, sc access.Scope, into, from int64, heat HeatFunc) error {
	if into == from {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		a, err := s.lockEvent(ctx, tx, sc, into)
		if err != nil {
			return err
		}
		b, err := s.lockEvent(ctx, tx, sc, from)
		if err != nil {
			return err
		}
		if a.UnitID != b.UnitID {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_event_items (event_id, item_id, at)
			SELECT $1, item_id, at FROM opinion_event_items WHERE event_id = $2 ON CONFLICT DO NOTHING`, into, from); err != nil {
			return fmt.Errorf("move event items: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE opinion_events SET merged_into = $1, updated_at = $2 WHERE id = $3", into, s.Now().Unix(), from); err != nil {
			return fmt.Errorf("mark merged event: %w", err)
		}
		if err := s.recountEvent(ctx, tx, into, heat); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, a.UnitID, "opinion.event.merge", "opinion_event", into, b, map[string]int64{"into": into, "from": from})
	})
}

// SplitEvent moves the given items of an event into a new event of the
// same scheme, titled title, and recounts both; it returns the new
// event's id. Items not in the event are ignored; moving none, or all, is
// ErrNotFound-free but a no-op error for the caller to word: it returns 0.
func (s *Store) SplitEvent(ctx context.Context, actor Actor, sc access.Scope, id int64, itemIDs []int64, title string, heat HeatFunc) (int64, error) {
	var newID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		e, err := s.lockEvent(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if len(itemIDs) == 0 {
			return nil
		}
		var a args
		in := a.in(itemIDs)
		moving, err := queryIDs(ctx, tx, "SELECT item_id FROM opinion_event_items WHERE event_id = "+a.add(id)+" AND item_id IN ("+in+") ORDER BY item_id", a...)
		if err != nil {
			return fmt.Errorf("read items to split: %w", err)
		}
		if len(moving) == 0 || len(moving) == e.Items {
			return nil
		}
		now := s.Now().Unix()
		if err := tx.QueryRowContext(ctx, `INSERT INTO opinion_events (unit_id, scheme_id, title, rep_item_id, first_at, last_at, created_at, updated_at)
			VALUES ($1,$2,$3,$4,0,0,$5,$5) RETURNING id`, e.UnitID, e.SchemeID, title, moving[0], now).Scan(&newID); err != nil {
			return fmt.Errorf("insert split event: %w", err)
		}
		var b args
		in = b.in(moving)
		if _, err := tx.ExecContext(ctx, "UPDATE opinion_event_items SET event_id = "+b.add(newID)+" WHERE event_id = "+b.add(id)+" AND item_id IN ("+in+")", b...); err != nil {
			return fmt.Errorf("move split items: %w", err)
		}
		for _, ev := range []int64{id, newID} {
			if err := s.recountEvent(ctx, tx, ev, heat); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, e.UnitID, "opinion.event.split", "opinion_event", id, nil, map[string]any{"new_event": newID, "items": moving})
	})
	return newID, err
}
