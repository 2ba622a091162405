package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"zhendi/internal/access"
)

// OpinionItem is a stored item. No author is kept.
type OpinionItem struct {
	ID          int64
	UnitID      int64
	SourceID    int64
	SourceName  string
	GroupID     int64
	Title       string
	Body        string
	URL         string
	Norm        string
	PublishedAt int64
	FetchedAt   int64
	SimHash     uint64
	Negativity  float64
	Copies      int // exact copies folded into this item
	// GroupCopies is the group's folded items ("转载 N 次"), GroupSize its
	// stored items; filled by lists.
	GroupCopies int
	GroupSize   int
	IsRep       bool
}

const itemCols = `i.id, i.unit_id, i.source_id, COALESCE(s.name, ''), i.group_id, i.title, i.body, i.url, i.norm, i.published_at, i.fetched_at,
	i.simhash, i.negativity, i.copies, COALESCE(g.copies, 0), COALESCE(g.size, 1), COALESCE(g.rep_item_id, i.id) = i.id`
const itemFrom = ` FROM opinion_items i LEFT JOIN opinion_sources s ON s.id = i.source_id LEFT JOIN opinion_groups g ON g.id = i.group_id`

func scanItem(r interface{ Scan(...any) error }) (OpinionItem, error) {
	var it OpinionItem
	var h int64
	err := r.Scan(&it.ID, &it.UnitID, &it.SourceID, &it.SourceName, &it.GroupID, &it.Title, &it.Body, &it.URL, &it.Norm, &it.PublishedAt, &it.FetchedAt,
		&h, &it.Negativity, &it.Copies, &it.GroupCopies, &it.GroupSize, &it.IsRep)
	it.SimHash = uint64(h)
	return it, err
}

// ItemFilter selects a unit's items.
type ItemFilter struct {
	UnitID   int64
	Query    string // full-text: every run of letters or digits must occur
	SourceID int64
	SchemeID int64
	EventID  int64
	From, To int64 // published time, To exclusive; 0: open
	// Grouped lists one row per near-duplicate group (its representative).
	Grouped bool
	// MinNegativity keeps items scored at least this negative (0: all).
	MinNegativity float64
	Limit, Offset int
}

func (s *Store) itemWhere(f ItemFilter, a *args) string {
	w := []string{"i.unit_id = " + a.add(f.UnitID)}
	if f.SourceID != 0 {
		w = append(w, "i.source_id = "+a.add(f.SourceID))
	}
	if f.SchemeID != 0 {
		w = append(w, "i.id IN (SELECT item_id FROM opinion_hits WHERE scheme_id = "+a.add(f.SchemeID)+")")
	}
	if f.EventID != 0 {
		w = append(w, "i.id IN (SELECT item_id FROM opinion_event_items WHERE event_id = "+a.add(f.EventID)+")")
	}
	if f.From != 0 {
		w = append(w, "i.published_at >= "+a.add(f.From))
	}
	if f.To != 0 {
		w = append(w, "i.published_at < "+a.add(f.To))
	}
	if f.MinNegativity != 0 {
		w = append(w, "i.negativity >= "+a.add(f.MinNegativity))
	}
	if f.Grouped {
		w = append(w, "(g.rep_item_id = i.id OR g.id IS NULL)")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w = append(w, s.itemSearchCond(q, a))
	}
	return strings.Join(w, " AND ")
}

// itemSearchCond: SQLite answers from the bigram index when it can, as
// the ledger search does (search.go); otherwise norm is scanned.
func (s *Store) itemSearchCond(q string, a *args) string {
	if s.dialect == SQLite {
		if m, ok := ftsQuery(q); ok {
			return "i.id IN (SELECT rowid FROM opinion_item_search WHERE opinion_item_search MATCH " + a.add(m) + ")"
		}
	}
	like := "LIKE"
	if s.dialect == Postgres {
		like = "ILIKE"
	}
	var conds []string
	for _, run := range runs(q) {
		conds = append(conds, "i.norm "+like+" "+a.add("%"+likeEscape(string(run))+"%")+` ESCAPE '\'`)
	}
	if len(conds) == 0 {
		return "1=1"
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}

// OpinionItems lists a unit's items, newest first, and the total matching.
func (s *Store) OpinionItems(ctx context.Context, sc access.Scope, f ItemFilter) ([]OpinionItem, int, error) {
	if !sc.CanRead(f.UnitID, f.UnitID) {
		return nil, 0, ErrNotFound
	}
	var a args
	where := s.itemWhere(f, &a)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*)"+itemFrom+" WHERE "+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count items: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	q := "SELECT " + itemCols + itemFrom + " WHERE " + where + " ORDER BY i.published_at DESC, i.id DESC LIMIT " + a.add(f.Limit) + " OFFSET " + a.add(f.Offset)
	items, err := s.queryItems(ctx, q, a...)
	return items, total, err
}

func (s *Store) queryItems(ctx context.Context, q string, a ...any) ([]OpinionItem, error) {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	var out []OpinionItem
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// OpinionItem returns one item the scope may read.
func (s *Store) OpinionItem(ctx context.Context, sc access.Scope, id int64) (OpinionItem, error) {
	it, err := scanItem(s.db.QueryRowContext(ctx, "SELECT "+itemCols+itemFrom+" WHERE i.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanRead(it.UnitID, it.UnitID)) {
		return OpinionItem{}, ErrNotFound
	} else if err != nil {
		return it, fmt.Errorf("read item %d: %w", id, err)
	}
	return it, nil
}

// OpinionItemsByID returns the scope's items among ids, in no set order
// (reports cite items by id).
func (s *Store) OpinionItemsByID(ctx context.Context, sc access.Scope, ids []int64) ([]OpinionItem, error) {
	if len(ids) == 0 || len(sc.ReadUnits) == 0 {
		return nil, nil
	}
	var a args
	q := "SELECT " + itemCols + itemFrom + " WHERE i.id IN (" + a.in(ids) + ") AND i.unit_id IN (" + a.in(sc.ReadUnits) + ")"
	return s.queryItems(ctx, q, a...)
}

// GroupItems lists the stored items of an item's near-duplicate group.
func (s *Store) GroupItems(ctx context.Context, sc access.Scope, groupID int64) ([]OpinionItem, error) {
	var unit int64
	err := s.db.QueryRowContext(ctx, "SELECT unit_id FROM opinion_groups WHERE id = $1", groupID).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanRead(unit, unit)) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("read group %d: %w", groupID, err)
	}
	return s.queryItems(ctx, "SELECT "+itemCols+itemFrom+" WHERE i.group_id = $1 ORDER BY i.published_at, i.id LIMIT 500", groupID)
}

// ItemHit is a scheme's hit on an item with its spans.
type ItemHit struct {
	SchemeID   int64
	SchemeName string
	Spans      [][3]int
}

// ItemHits lists the hits on an item the scope may read.
func (s *Store) ItemHits(ctx context.Context, sc access.Scope, itemID int64) ([]ItemHit, error) {
	if _, err := s.OpinionItem(ctx, sc, itemID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT h.scheme_id, COALESCE(c.name, ''), h.spans FROM opinion_hits h
		LEFT JOIN opinion_schemes c ON c.id = h.scheme_id WHERE h.item_id = $1 ORDER BY h.scheme_id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("list hits: %w", err)
	}
	defer rows.Close()
	var out []ItemHit
	for rows.Next() {
		var h ItemHit
		var spans string
		if err := rows.Scan(&h.SchemeID, &h.SchemeName, &spans); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(spans), &h.Spans); err != nil {
			return nil, fmt.Errorf("decode spans of hit %d/%d: %w", h.SchemeID, itemID, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// RecentItems streams a unit's items published at or after since, oldest
// first, to fn (the 试运行 of a scheme over stored items); fn returning
// false stops. At most limit items are read.
func (s *Store) RecentItems(ctx context.Context, sc access.Scope, unitID, since int64, limit int, fn func(OpinionItem) bool) error {
	if !sc.CanRead(unitID, unitID) {
		return ErrNotFound
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+itemCols+itemFrom+" WHERE i.unit_id = $1 AND i.published_at >= $2 ORDER BY i.published_at, i.id LIMIT $3",
		unitID, since, limit)
	if err != nil {
		return fmt.Errorf("read recent items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return err
		}
		if !fn(it) {
			return nil
		}
	}
	return rows.Err()
}

// Opinion retention: items older than this many days are purged.
const (
	RetentionKey         = "opinion.retention_days"
	DefaultRetentionDays = 365
)

// OpinionRetentionDays is the installation's retention setting.
func (s *Store) OpinionRetentionDays(ctx context.Context) (int, error) {
	v, ok, err := s.setting(ctx, RetentionKey)
	if err != nil || !ok {
		return DefaultRetentionDays, err
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n <= 0 {
		return DefaultRetentionDays, nil
	}
	return n, nil
}

// SetOpinionRetentionDays changes the retention, with its audit entry.
func (s *Store) SetOpinionRetentionDays(ctx context.Context, actor Actor, days int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			RetentionKey, fmt.Sprint(days)); err != nil {
			return fmt.Errorf("save retention: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, 0, "opinion.retention", "setting", 0, nil, map[string]int{"days": days})
	})
}

// PurgeOpinionItems deletes up to limit items fetched before cutoff, with
// their hits, event links, delivery keys and search entries, and returns
// how many it deleted. Events and groups keep their counts: they are the
// aggregates the reports cite. The caller repeats until 0.
func (s *Store) PurgeOpinionItems(ctx context.Context, cutoff int64, limit int) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ids, err := queryIDs(ctx, tx, "SELECT id FROM opinion_items WHERE fetched_at < $1 ORDER BY id LIMIT $2", cutoff, limit)
		if err != nil {
			return fmt.Errorf("list items to purge: %w", err)
		}
		n = len(ids)
		if n == 0 {
			return nil
		}
		var a args
		in := a.in(ids)
		if err := s.uncountItems(ctx, tx, in, a); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM opinion_hits WHERE item_id IN (" + in + ")",
			"DELETE FROM opinion_event_items WHERE item_id IN (" + in + ")",
			"DELETE FROM opinion_seen WHERE item_id IN (" + in + ")",
			"DELETE FROM opinion_items WHERE id IN (" + in + ")",
		} {
			if _, err := tx.ExecContext(ctx, q, a...); err != nil {
				return fmt.Errorf("purge items: %w", err)
			}
		}
		if s.dialect == SQLite {
			if _, err := tx.ExecContext(ctx, "DELETE FROM opinion_item_search WHERE rowid IN ("+in+")", a...); err != nil {
				return fmt.Errorf("unindex purged items: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, System, 0, "opinion.purge", "opinion_item", 0, nil, map[string]int64{"items": int64(n), "before": cutoff})
	})
	if n > 0 {
		s.dropNearCaches()
	}
	return n, err
}
