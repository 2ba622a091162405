package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// IntakeItem is one item ready to store: normalised, keyed, fingerprinted,
// scored and matched by the service (the opinion domain package) before
// the transaction, since none of that depends on stored data.
type IntakeItem struct {
	SourceID    int64
	ExtKey      string // the source's id for the item: the idempotency key
	Title       string
	Body        string
	URL         string
	Norm        string // normalised title and text
	PublishedAt int64
	FetchedAt   int64
	URLKey      string // exact key of the normalised URL ("" when none)
	TextKey     string // exact key of the normalised text
	SimHash     uint64
	Negativity  float64
	Hits        []IntakeHit
}

// IntakeHit is a scheme's match on an item.
type IntakeHit struct {
	SchemeID int64
	Spans    [][3]int // field (1 title, 2 text: opinion.Field), start, end: byte offsets
}

// EventState is an event as clustering sees it. State is the opinion
// domain's own cluster state, kept opaque here; the clusterer may change
// Title, RepItemID and State, and the store keeps the counts.
type EventState struct {
	ID        int64 // 0: new in this batch
	SchemeID  int64
	Title     string
	RepItemID int64
	FirstAt   int64
	LastAt    int64
	Items     int
	State     string
	// Weight is the sum of the source weights of the event's items.
	Weight float64
	// NegSum is the sum of the items' negativity.
	NegSum  float64
	touched bool
}

// StoredItem is an item as the clusterer sees it: stored, with its id.
type StoredItem struct {
	ID       int64
	SourceID int64
	*IntakeItem
}

// IntakeOptions are the domain rules the intake transaction applies.
type IntakeOptions struct {
	// EventWindow: open events of a scheme are those whose last item is at
	// most this many seconds before the batch's earliest item.
	EventWindow int64
	// Assign places a hit item into one of the scheme's open events, or
	// returns a new EventState (ID 0) which the store then adds to open.
	// Nil: no clustering.
	Assign func(schemeID int64, open []*EventState, it StoredItem) *EventState
	// Heat scores an event after the batch, from its counts and its
	// hourly volume (hour -> items); nil leaves heat unchanged.
	Heat func(ev *EventState, sources int, hours map[int64]int, nowHour int64) float64
	// SourceWeight gives an item's source weight for heat (nil: 1).
	SourceWeight func(sourceID int64) float64
	// Now is the time of the batch (Unix seconds).
	Now int64
	// ImportBatch, when set, is the previewed opinion import (an
	// import_batches row of the unit, kind 'opinion') this batch stores:
	// it must still be "preview", and it is marked done, with its counts
	// and an audit entry, in the same transaction — so a file imported
	// from the web page is stored whole or not at all, and only once.
	ImportBatch int64
}

// IntakeResult counts what one batch did.
type IntakeResult struct {
	Read       int // items given
	Seen       int // already delivered before (same source and id): skipped
	Stored     int // new stored items
	Exact      int // exact copies folded into a stored item (not stored)
	Near       int // near-duplicates stored into an existing group
	Hits       int // scheme hits stored
	NewEvents  int
	EventItems int // items added to events
	ItemIDs    []int64
}

// Folded is every duplicate folded into another item.
func (r IntakeResult) Folded() int { return r.Exact + r.Near }

// Add sums two results (ItemIDs are appended).
func (r *IntakeResult) Add(o IntakeResult) {
	r.Read += o.Read
	r.Seen += o.Seen
	r.Stored += o.Stored
	r.Exact += o.Exact
	r.Near += o.Near
	r.Hits += o.Hits
	r.NewEvents += o.NewEvents
	r.EventItems += o.EventItems
	r.ItemIDs = append(r.ItemIDs, o.ItemIDs...)
}

// bands splits a fingerprint into its four 16-bit bands.
func bands(h uint64) [4]int64 {
	return [4]int64{int64(h & 0xffff), int64(h >> 16 & 0xffff), int64(h >> 32 & 0xffff), int64(h >> 48 & 0xffff)}
}

type candidate struct {
	id, group int64
	// The item's published time and source: a copy folded into it counts
	// on that day and source (opinion_day_counts.copies).
	at, source int64
}

// IntakeBatch stores a batch of one unit's items in one transaction with
// one audit entry: it skips items their source delivered before
// (opinion_seen), folds exact copies (same URL key or text key as a stored
// item) into that item, stores near-duplicates into the group of the item
// they are near, starts a group for every other item, stores scheme hits,
// clusters the hits into events and updates the events' counts, hourly
// volume and heat. Intake of a unit is serialised (PostgreSQL: an advisory
// lock; SQLite: the write lock), so several workers or nodes may call it at
// once and a redelivered batch stores nothing twice.
func (s *Store) IntakeBatch(ctx context.Context, actor Actor, unitID int64, items []IntakeItem, o IntakeOptions) (IntakeResult, error) {
	res := IntakeResult{Read: len(items)}
	if len(items) == 0 {
		return res, nil
	}
	if o.Now == 0 {
		o.Now = s.Now().Unix()
	}
	nc := s.nearCache(unitID)
	nc.mu.Lock()
	defer nc.mu.Unlock()
	committed := false
	defer func() {
		if !committed {
			// The index may hold items of a rolled-back batch.
			nc.reset()
		}
	}()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res = IntakeResult{Read: len(items)}
		if s.dialect == Postgres {
			// The key names the schema too: advisory locks are per database,
			// and schemas side by side (tests) have units of the same id.
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/opinion-intake/' || $1, 0))", fmt.Sprint(unitID)); err != nil {
				return fmt.Errorf("lock unit intake: %w", err)
			}
		} else {
			// Intake touches pages all over nine indexes; SQLite's default
			// 2 MB page cache spilled and re-read them at every batch (a
			// third of an import's time in system calls). 64 MB on the
			// connection that writes.
			if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
				return fmt.Errorf("set cache size: %w", err)
			}
		}
		if o.ImportBatch != 0 {
			var status string
			err := tx.QueryRowContext(ctx, "SELECT status FROM import_batches WHERE id = $1 AND unit_id = $2 AND kind = 'opinion'", o.ImportBatch, unitID).Scan(&status)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("read import batch %d: %w", o.ImportBatch, err)
			}
			if status != "preview" {
				return ErrBatchDone
			}
		}
		fresh, err := s.unseen(ctx, tx, items)
		if err != nil {
			return err
		}
		res.Seen = len(items) - len(fresh)
		if len(fresh) == 0 {
			return s.closeOpinionImport(ctx, tx, actor, unitID, o, res)
		}
		if err := nc.refresh(ctx, tx, unitID); err != nil {
			return err
		}
		exact, err := s.exactCandidates(ctx, tx, unitID, fresh)
		if err != nil {
			return err
		}
		ids, err := s.reserveIDs(ctx, tx, "opinion_items", len(fresh))
		if err != nil {
			return err
		}
		// Decide each item in order; items earlier in the batch count as stored.
		type decided struct {
			it     *IntakeItem
			id     int64 // stored item id, or the item an exact copy folds into
			group  int64 // 0: new group (assigned below)
			stored bool
		}
		dec := make([]decided, len(fresh))
		days := newDayCounts()
		foldItem := map[int64]int{}        // item id -> exact copies folded in
		groupAdd := map[int64]*groupBump{} // existing group id -> what the batch adds
		bump := func(g int64, stored bool, at int64) {
			b := groupAdd[g]
			if b == nil {
				b = &groupBump{}
				groupAdd[g] = b
			}
			b.copies++
			if stored {
				b.size++
			}
			b.last = max(b.last, at)
		}
		next := 0
		newGroups := 0
		// Copies folded into groups started in this batch (placeholder ids).
		exactNew, nearNew := map[int64]int{}, map[int64]int{}
		for i, it := range fresh {
			var c candidate
			if id, ok := exact[it.URLKey]; ok && it.URLKey != "" {
				dec[i], c = decided{it: it, id: id.id, group: id.group}, id
			} else if id, ok := exact["t:"+it.TextKey]; ok {
				dec[i], c = decided{it: it, id: id.id, group: id.group}, id
			}
			if dec[i].it != nil {
				res.Exact++
				foldItem[dec[i].id]++
				days.at(dayKey{unitID, chinaDay(c.at), c.source}).copies++
				if dec[i].group > 0 {
					bump(dec[i].group, false, it.PublishedAt)
				} else {
					exactNew[dec[i].group]++
				}
				continue
			}
			id := ids[next]
			next++
			d := decided{it: it, id: id, stored: true}
			// Fingerprint 0 is a text that normalises to nothing (only
			// emoji or links): such items are not copies of each other.
			if it.SimHash != 0 {
				if near, _, ok := nc.idx.Nearest(it.SimHash); ok {
					d.group = nc.group[near]
				}
			}
			if d.group != 0 {
				res.Near++
				if d.group > 0 {
					bump(d.group, true, it.PublishedAt)
				} else {
					nearNew[d.group]++
				}
			} else {
				newGroups++
				d.group = -int64(newGroups) // placeholder until ids are reserved
			}
			dec[i] = d
			c = candidate{id: id, group: d.group, at: it.PublishedAt, source: it.SourceID}
			if it.URLKey != "" {
				exact[it.URLKey] = c
			}
			exact["t:"+it.TextKey] = c
			if it.SimHash != 0 {
				nc.add(id, d.group, it.SimHash)
			}
		}
		gids, err := s.reserveIDs(ctx, tx, "opinion_groups", newGroups)
		if err != nil {
			return err
		}
		realGroup := func(g int64) int64 {
			if g < 0 {
				return gids[-g-1]
			}
			return g
		}
		for _, d := range dec {
			if d.stored && d.group < 0 {
				nc.group[d.id] = realGroup(d.group)
			}
		}
		// New groups, stored items, search index, seen keys.
		var groupRows, itemRows, seenRows [][]any
		var docs []searchDoc
		perSource := map[int64]int{}
		inGroup := map[int64]bool{}
		for _, d := range dec {
			it := d.it
			g := realGroup(d.group)
			seenRows = append(seenRows, []any{it.SourceID, it.ExtKey, d.id, o.Now})
			if !d.stored {
				continue
			}
			if d.group < 0 && !inGroup[d.group] {
				inGroup[d.group] = true
				groupRows = append(groupRows, []any{g, unitID, d.id, 1 + nearNew[d.group], exactNew[d.group] + nearNew[d.group], it.PublishedAt, it.PublishedAt})
			}
			bs := bands(it.SimHash)
			itemRows = append(itemRows, []any{d.id, unitID, it.SourceID, g, it.Title, it.Body, it.URL, it.Norm, it.PublishedAt, it.FetchedAt,
				it.URLKey, it.TextKey, int64(it.SimHash), bs[0], bs[1], bs[2], bs[3], it.Negativity})
			docs = append(docs, searchDoc{id: d.id, text: it.Norm})
			perSource[it.SourceID]++
			days.item(unitID, it.SourceID, it.PublishedAt, it.Negativity)
			res.Stored++
			res.ItemIDs = append(res.ItemIDs, d.id)
		}
		if err := s.insertRows(ctx, tx, "opinion_groups", "id, unit_id, rep_item_id, size, copies, first_at, last_at", "", groupRows); err != nil {
			return err
		}
		if err := s.insertRows(ctx, tx, "opinion_items", `id, unit_id, source_id, group_id, title, body, url, norm, published_at, fetched_at,
			url_key, text_key, simhash, b0, b1, b2, b3, negativity`, "", itemRows); err != nil {
			return err
		}
		if err := s.insertRows(ctx, tx, "opinion_seen", "source_id, ext_key, item_id, at", "ON CONFLICT DO NOTHING", seenRows); err != nil {
			return err
		}
		if err := s.bumpCounts(ctx, tx, foldItem, groupAdd, perSource); err != nil {
			return err
		}
		if err := s.indexOpinionItems(ctx, tx, docs); err != nil {
			return err
		}
		// Hits and events.
		var stored []StoredItem
		for _, d := range dec {
			if d.stored && len(d.it.Hits) > 0 {
				stored = append(stored, StoredItem{ID: d.id, SourceID: d.it.SourceID, IntakeItem: d.it})
			}
		}
		if err := s.storeHitsAndEvents(ctx, tx, unitID, stored, o, &res, days); err != nil {
			return err
		}
		if err := s.saveDayCounts(ctx, tx, days); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, actor, unitID, "opinion.intake", "opinion_source", fresh[0].SourceID, nil, map[string]int{
			"read": res.Read, "seen": res.Seen, "stored": res.Stored, "exact": res.Exact, "near": res.Near, "hits": res.Hits, "new_events": res.NewEvents}); err != nil {
			return err
		}
		return s.closeOpinionImport(ctx, tx, actor, unitID, o, res)
	})
	if err != nil {
		return IntakeResult{Read: len(items)}, err
	}
	committed = true
	return res, nil
}

// closeOpinionImport marks the batch's import done (o.ImportBatch, when
// set) with what it stored, audited.
func (s *Store) closeOpinionImport(ctx context.Context, tx *sql.Tx, actor Actor, unitID int64, o IntakeOptions, res IntakeResult) error {
	if o.ImportBatch == 0 {
		return nil
	}
	skipped := res.Seen + res.Exact
	if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET status = 'done', created = $1, skipped = $2, done_at = $3 WHERE id = $4`,
		res.Stored, skipped, s.Now().Unix(), o.ImportBatch); err != nil {
		return fmt.Errorf("close import batch %d: %w", o.ImportBatch, err)
	}
	return s.appendAudit(ctx, tx, actor, unitID, "opinion.import", "import_batch", o.ImportBatch, nil, map[string]int{
		"read": res.Read, "stored": res.Stored, "seen": res.Seen, "exact": res.Exact, "near": res.Near, "hits": res.Hits})
}

// unseen drops items whose (source, key) was delivered before, and repeats
// within the batch.
func (s *Store) unseen(ctx context.Context, tx *sql.Tx, items []IntakeItem) ([]*IntakeItem, error) {
	bySource := map[int64][]string{}
	dup := map[[2]string]bool{}
	var uniq []*IntakeItem
	for i := range items {
		it := &items[i]
		k := [2]string{fmt.Sprint(it.SourceID), it.ExtKey}
		if dup[k] {
			continue
		}
		dup[k] = true
		uniq = append(uniq, it)
		bySource[it.SourceID] = append(bySource[it.SourceID], it.ExtKey)
	}
	seen := map[[2]string]bool{}
	for src, keys := range bySource {
		for start := 0; start < len(keys); start += 500 {
			chunk := keys[start:min(len(keys), start+500)]
			a := args{src}
			rows, err := tx.QueryContext(ctx, "SELECT ext_key FROM opinion_seen WHERE source_id = $1 AND ext_key "+s.textIn(&a, chunk), a...)
			if err != nil {
				return nil, fmt.Errorf("look up delivered items: %w", err)
			}
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return nil, err
				}
				seen[[2]string{fmt.Sprint(src), k}] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	out := uniq[:0]
	for _, it := range uniq {
		if !seen[[2]string{fmt.Sprint(it.SourceID), it.ExtKey}] {
			out = append(out, it)
		}
	}
	return out, nil
}

// exactCandidates reads the stored items that share an exact key with the
// batch, keyed by URL key or "t:"+text key.
func (s *Store) exactCandidates(ctx context.Context, tx *sql.Tx, unitID int64, items []*IntakeItem) (map[string]candidate, error) {
	exact := map[string]candidate{}
	const chunk = 500
	for start := 0; start < len(items); start += chunk {
		part := items[start:min(len(items), start+chunk)]
		a := args{unitID}
		var urls, texts []string
		for _, it := range part {
			if it.URLKey != "" {
				urls = append(urls, it.URLKey)
			}
			texts = append(texts, it.TextKey)
		}
		q := "SELECT id, group_id, published_at, source_id, url_key, text_key FROM opinion_items WHERE unit_id = $1 AND (text_key " + s.textIn(&a, texts)
		if len(urls) > 0 {
			q += " OR (url_key <> '' AND url_key " + s.textIn(&a, urls) + ")"
		}
		q += ")"
		rows, err := tx.QueryContext(ctx, q, a...)
		if err != nil {
			return nil, fmt.Errorf("look up exact duplicates: %w", err)
		}
		for rows.Next() {
			var c candidate
			var uk, tk string
			if err := rows.Scan(&c.id, &c.group, &c.at, &c.source, &uk, &tk); err != nil {
				rows.Close()
				return nil, err
			}
			if uk != "" {
				if _, ok := exact[uk]; !ok {
					exact[uk] = c
				}
			}
			if _, ok := exact["t:"+tk]; !ok {
				exact["t:"+tk] = c
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return exact, nil
}

// groupBump is what a batch adds to an existing group.
type groupBump struct {
	size, copies int
	last         int64
}

// reserveIDs takes n ids for table. PostgreSQL draws them from the
// table's sequence; SQLite, inside its single write transaction, continues
// from the largest id.
func (s *Store) reserveIDs(ctx context.Context, tx *sql.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if s.dialect == Postgres {
		got, err := queryIDs(ctx, tx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
		if err != nil {
			return nil, fmt.Errorf("reserve %s ids: %w", table, err)
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		return got, nil
	}
	var last int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&last); err != nil {
		return nil, fmt.Errorf("reserve %s ids: %w", table, err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// insertRows inserts rows (all of len(cols)). SQLite gets them as one
// JSON parameter read with json_each: its parser looks parameter names up
// in a list, so a statement with thousands of "$n" takes time quadratic in
// their number (it was 90% of an import's time). PostgreSQL takes
// multi-row VALUES, in chunks under its parameter limit.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table, cols, suffix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	if s.dialect == SQLite {
		// Anonymous "?" parameters: the driver looks each parameter's name
		// up in a list, which is free when there are no names.
		per := max(1, 20000/width)
		row := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
		for start := 0; start < len(rows); start += per {
			part := rows[start:min(len(rows), start+per)]
			vals := make([]any, 0, len(part)*width)
			for _, r := range part {
				vals = append(vals, r...)
			}
			q := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", len(part)), ",") + " " + suffix
			if _, err := tx.ExecContext(ctx, q, vals...); err != nil {
				return fmt.Errorf("insert %d rows into %s: %w", len(part), table, err)
			}
		}
		return nil
	}
	per := max(1, 30000/width)
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(len(rows), start+per)]
		var a args
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		for i, r := range part {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(a.add(v))
			}
			b.WriteByte(')')
		}
		b.WriteString(" " + suffix)
		if _, err := tx.ExecContext(ctx, b.String(), a...); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", len(part), table, err)
		}
	}
	return nil
}

// jsonColumns is "json_extract(value, '$[0]') AS column1, …" for n
// columns of a json_each row (aliases when alias is "as").
func jsonColumns(n int, alias string) string {
	parts := make([]string, n)
	for i := range n {
		parts[i] = fmt.Sprintf("json_extract(value, '$[%d]')", i)
		if alias != "" {
			parts[i] += fmt.Sprintf(" AS column%d", i+1)
		}
	}
	return strings.Join(parts, ", ")
}

// valuesTable is a table of integer rows for an UPDATE … FROM, whose
// columns are v.column1, v.column2, … in both databases: multi-row VALUES
// on PostgreSQL, one JSON parameter on SQLite (see insertRows).
func (s *Store) valuesTable(a *args, rows [][]int64) string {
	if s.dialect == SQLite {
		payload, _ := json.Marshal(rows) // integers always encode
		return "(SELECT " + jsonColumns(len(rows[0]), "as") + " FROM json_each(" + a.add(string(payload)) + ")) AS v"
	}
	var b strings.Builder
	b.WriteString("(VALUES ")
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString("CAST(" + a.add(v) + " AS BIGINT)")
		}
		b.WriteByte(')')
	}
	b.WriteString(") AS v")
	return b.String()
}

// textIn is "IN (…)" over a list of strings as one parameter.
func (s *Store) textIn(a *args, vals []string) string {
	payload, _ := json.Marshal(vals)
	if s.dialect == SQLite {
		return "IN (SELECT value FROM json_each(" + a.add(string(payload)) + "))"
	}
	return "IN (SELECT json_array_elements_text(" + a.add(string(payload)) + "::json))"
}

// greatest is the two-argument maximum in the store's dialect.
func (s *Store) greatest(x, y string) string {
	if s.dialect == Postgres {
		return "GREATEST(" + x + ", " + y + ")"
	}
	return "MAX(" + x + ", " + y + ")"
}

// bumpCounts adds the batch's folded copies to items and groups and its
// stored items to the sources' totals, one statement per table.
func (s *Store) bumpCounts(ctx context.Context, tx *sql.Tx, foldItem map[int64]int, groupAdd map[int64]*groupBump, perSource map[int64]int) error {
	const chunk = 2000
	var rows [][]int64
	for id, n := range foldItem {
		rows = append(rows, []int64{id, int64(n)})
	}
	for start := 0; start < len(rows); start += chunk {
		var a args
		q := "UPDATE opinion_items SET copies = copies + v.column2 FROM " + s.valuesTable(&a, rows[start:min(len(rows), start+chunk)]) + " WHERE opinion_items.id = v.column1"
		if _, err := tx.ExecContext(ctx, q, a...); err != nil {
			return fmt.Errorf("count exact copies: %w", err)
		}
	}
	rows = rows[:0]
	for id, g := range groupAdd {
		rows = append(rows, []int64{id, int64(g.size), int64(g.copies), g.last})
	}
	for start := 0; start < len(rows); start += chunk {
		var a args
		q := "UPDATE opinion_groups SET size = size + v.column2, copies = copies + v.column3, last_at = " + s.greatest("last_at", "v.column4") +
			" FROM " + s.valuesTable(&a, rows[start:min(len(rows), start+chunk)]) + " WHERE opinion_groups.id = v.column1"
		if _, err := tx.ExecContext(ctx, q, a...); err != nil {
			return fmt.Errorf("count group copies: %w", err)
		}
	}
	for src, n := range perSource {
		if _, err := tx.ExecContext(ctx, "UPDATE opinion_sources SET items_total = items_total + $1 WHERE id = $2", n, src); err != nil {
			return fmt.Errorf("count source items: %w", err)
		}
	}
	return nil
}

// indexOpinionItems adds items' normalised text to SQLite's bigram index
// in one statement (see indexActivities for why once per transaction).
func (s *Store) indexOpinionItems(ctx context.Context, ex execer, docs []searchDoc) error {
	if s.dialect != SQLite || len(docs) == 0 {
		return nil
	}
	pairs := make([][2]any, len(docs))
	for i, d := range docs {
		pairs[i] = [2]any{d.id, bigrams(d.text)}
	}
	batch, err := json.Marshal(pairs)
	if err != nil {
		return fmt.Errorf("encode item search text: %w", err)
	}
	if _, err := ex.ExecContext(ctx, `INSERT INTO opinion_item_search (rowid, bi)
		SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1)`, string(batch)); err != nil {
		return fmt.Errorf("index %d items: %w", len(docs), err)
	}
	return nil
}

const eventStateCols = "id, scheme_id, title, rep_item_id, first_at, last_at, items, state, weight_sum, neg_sum"

func scanEventState(r interface{ Scan(...any) error }) (*EventState, error) {
	e := &EventState{}
	err := r.Scan(&e.ID, &e.SchemeID, &e.Title, &e.RepItemID, &e.FirstAt, &e.LastAt, &e.Items, &e.State, &e.Weight, &e.NegSum)
	return e, err
}

// storeHitsAndEvents stores the hits of the batch's stored items and
// clusters them into events.
func (s *Store) storeHitsAndEvents(ctx context.Context, tx *sql.Tx, unitID int64, items []StoredItem, o IntakeOptions, res *IntakeResult, days *dayCounts) error {
	if len(items) == 0 {
		return nil
	}
	var hitRows [][]any
	schemes := map[int64]bool{}
	minAt := items[0].PublishedAt
	for _, it := range items {
		minAt = min(minAt, it.PublishedAt)
		for i, h := range it.Hits {
			// A scheme hits an item once (the table's key): a repeat in
			// the list would be dropped by the insert but counted below.
			if slices.ContainsFunc(it.Hits[:i], func(o IntakeHit) bool { return o.SchemeID == h.SchemeID }) {
				continue
			}
			days.schemes[schemeDay{unitID, h.SchemeID, chinaDay(it.PublishedAt)}]++
			spans, err := json.Marshal(h.Spans)
			if err != nil {
				return fmt.Errorf("encode hit spans: %w", err)
			}
			if h.Spans == nil {
				spans = []byte("[]")
			}
			hitRows = append(hitRows, []any{h.SchemeID, it.ID, unitID, it.PublishedAt, string(spans)})
			schemes[h.SchemeID] = true
		}
	}
	if err := s.insertRows(ctx, tx, "opinion_hits", "scheme_id, item_id, unit_id, at, spans", "ON CONFLICT DO NOTHING", hitRows); err != nil {
		return err
	}
	res.Hits += len(hitRows)
	if o.Assign == nil {
		return nil
	}
	// Open events of the schemes hit.
	var a args
	ids := make([]int64, 0, len(schemes))
	for id := range schemes {
		ids = append(ids, id)
	}
	q := "SELECT " + eventStateCols + " FROM opinion_events WHERE unit_id = " + a.add(unitID) + " AND merged_into = 0 AND scheme_id IN (" + a.in(ids) +
		") AND last_at >= " + a.add(minAt-o.EventWindow) + " ORDER BY id"
	rows, err := tx.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("read open events: %w", err)
	}
	open := map[int64][]*EventState{}
	for rows.Next() {
		e, err := scanEventState(rows)
		if err != nil {
			rows.Close()
			return err
		}
		open[e.SchemeID] = append(open[e.SchemeID], e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].PublishedAt < items[j].PublishedAt })
	var touched []*EventState
	var eventItems [][]any
	hours := map[*EventState]map[int64]int{}
	for _, it := range items {
		w := 1.0
		if o.SourceWeight != nil {
			w = o.SourceWeight(it.SourceID)
		}
		for _, h := range it.Hits {
			list := open[h.SchemeID]
			ev := o.Assign(h.SchemeID, list, it)
			if ev == nil {
				continue
			}
			if ev.ID == 0 {
				ev.SchemeID = h.SchemeID
				if ev.Title == "" {
					ev.Title = it.Title
				}
				if ev.RepItemID == 0 {
					ev.RepItemID = it.ID
				}
				ev.FirstAt, ev.LastAt = it.PublishedAt, it.PublishedAt
				err := tx.QueryRowContext(ctx, `INSERT INTO opinion_events (unit_id, scheme_id, title, rep_item_id, first_at, last_at, state, created_at, updated_at)
					VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id`, unitID, h.SchemeID, ev.Title, ev.RepItemID, ev.FirstAt, ev.LastAt, ev.State, o.Now).Scan(&ev.ID)
				if err != nil {
					return fmt.Errorf("insert event: %w", err)
				}
				open[h.SchemeID] = append(open[h.SchemeID], ev)
				res.NewEvents++
			}
			if !ev.touched {
				ev.touched = true
				touched = append(touched, ev)
				hours[ev] = map[int64]int{}
			}
			ev.Items++
			ev.FirstAt = min(ev.FirstAt, it.PublishedAt)
			ev.LastAt = max(ev.LastAt, it.PublishedAt)
			ev.Weight += w
			ev.NegSum += it.Negativity
			hours[ev][it.PublishedAt/3600]++
			eventItems = append(eventItems, []any{ev.ID, it.ID, it.PublishedAt})
			res.EventItems++
		}
	}
	if err := s.insertRows(ctx, tx, "opinion_event_items", "event_id, item_id, at", "ON CONFLICT DO NOTHING", eventItems); err != nil {
		return err
	}
	var hourRows [][]any
	for _, ev := range touched {
		for h, n := range hours[ev] {
			hourRows = append(hourRows, []any{ev.ID, h, n})
		}
	}
	if err := s.insertRows(ctx, tx, "opinion_event_hours", "event_id, hour, n",
		"ON CONFLICT (event_id, hour) DO UPDATE SET n = opinion_event_hours.n + excluded.n", hourRows); err != nil {
		return err
	}
	for _, ev := range touched {
		if err := s.rescoreEvent(ctx, tx, ev, o); err != nil {
			return err
		}
	}
	return nil
}

// rescoreEvent writes an event's counts, distinct sources and heat.
func (s *Store) rescoreEvent(ctx context.Context, tx *sql.Tx, ev *EventState, o IntakeOptions) error {
	var sources int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT i.source_id) FROM opinion_event_items ei JOIN opinion_items i ON i.id = ei.item_id
		WHERE ei.event_id = $1`, ev.ID).Scan(&sources); err != nil {
		return fmt.Errorf("count event sources: %w", err)
	}
	nowHour := o.Now / 3600
	heat := 0.0
	if o.Heat != nil {
		hours, err := queryCounts[int64](ctx, tx, "SELECT hour, n FROM opinion_event_hours WHERE event_id = $1 AND hour >= $2", ev.ID, nowHour-72)
		if err != nil {
			return fmt.Errorf("read event hours: %w", err)
		}
		heat = o.Heat(ev, sources, hours, nowHour)
	}
	neg := 0.0
	if ev.Items > 0 {
		neg = ev.NegSum / float64(ev.Items)
	}
	_, err := tx.ExecContext(ctx, `UPDATE opinion_events SET title = $1, rep_item_id = $2, first_at = $3, last_at = $4, items = $5, sources = $6,
		neg_sum = $7, negativity = $8, weight_sum = $9, heat = $10, state = $11, updated_at = $12 WHERE id = $13`,
		ev.Title, ev.RepItemID, ev.FirstAt, ev.LastAt, ev.Items, sources, ev.NegSum, neg, ev.Weight, heat, ev.State, o.Now, ev.ID)
	if err != nil {
		return fmt.Errorf("update event %d: %w", ev.ID, err)
	}
	return nil
}
