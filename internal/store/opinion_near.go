package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"zhendi/internal/opinion"
)

// Near-duplicate lookup. The truth is in SQL: every item's fingerprint and
// its four 16-bit bands are columns with an index each (unit_id, bN), and
// NearCandidates answers one lookup from them with the 68 band probes of
// opinion.Probes. Intake, which looks up every item of a batch, reads the
// same rows into an in-memory opinion.NearIndex per unit and keeps it
// current: inside the intake transaction, after the unit's lock, it reads
// the items stored since its last look (ids only grow within a unit, since
// ids are drawn under that lock), so items another node stored are seen
// before the batch is judged. A rolled-back batch or a purge drops the
// index; the next intake reads it again.

type nearCaches struct {
	mu sync.Mutex
	m  map[int64]*nearCache
}

type nearCache struct {
	mu     sync.Mutex // held for a whole intake batch of the unit
	loaded bool
	maxID  int64
	idx    *opinion.NearIndex
	group  map[int64]int64 // item id -> group id
}

func (s *Store) nearCache(unitID int64) *nearCache {
	s.near.mu.Lock()
	defer s.near.mu.Unlock()
	if s.near.m == nil {
		s.near.m = map[int64]*nearCache{}
	}
	c := s.near.m[unitID]
	if c == nil {
		c = &nearCache{}
		s.near.m[unitID] = c
	}
	return c
}

// dropNearCaches forgets every unit's index (after a purge).
func (s *Store) dropNearCaches() {
	s.near.mu.Lock()
	caches := s.near.m
	s.near.m = nil
	s.near.mu.Unlock()
	for _, c := range caches {
		c.mu.Lock()
		c.reset()
		c.mu.Unlock()
	}
}

func (c *nearCache) reset() {
	c.loaded, c.maxID, c.idx, c.group = false, 0, nil, nil
}

func (c *nearCache) add(id, group int64, h uint64) {
	c.idx.Add(id, h)
	c.group[id] = group
	c.maxID = max(c.maxID, id)
}

// refresh reads the unit's items stored since the last look.
func (c *nearCache) refresh(ctx context.Context, tx *sql.Tx, unitID int64) error {
	if !c.loaded {
		c.idx, c.group, c.maxID, c.loaded = &opinion.NearIndex{}, map[int64]int64{}, 0, true
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, group_id, simhash FROM opinion_items WHERE unit_id = $1 AND id > $2 ORDER BY id", unitID, c.maxID)
	if err != nil {
		c.reset()
		return fmt.Errorf("read fingerprints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, g, h int64
		if err := rows.Scan(&id, &g, &h); err != nil {
			c.reset()
			return err
		}
		c.add(id, g, uint64(h))
	}
	if err := rows.Err(); err != nil {
		c.reset()
		return err
	}
	return nil
}

// NearCandidates returns the unit's stored items whose fingerprint is
// within opinion.NearDistance of h, read through the band indexes: the
// single-item lookup (an item page's "相似信息", the benchmark at a million
// items). ids and dists are in id order.
func (s *Store) NearCandidates(ctx context.Context, unitID int64, h uint64) (ids []int64, dists []int, err error) {
	probes := opinion.Probes(h)
	var a args
	a.add(unitID)
	q := "SELECT id, simhash FROM opinion_items WHERE unit_id = $1 AND ("
	for band := range 4 {
		if band > 0 {
			q += " OR "
		}
		q += fmt.Sprintf("b%d IN (", band)
		for i, v := range probes[band] {
			if i > 0 {
				q += ","
			}
			q += a.add(int64(v))
		}
		q += ")"
	}
	q += ") ORDER BY id"
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, nil, fmt.Errorf("near candidates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, x int64
		if err := rows.Scan(&id, &x); err != nil {
			return nil, nil, err
		}
		if d := opinion.Hamming(uint64(x), h); d <= opinion.NearDistance {
			ids = append(ids, id)
			dists = append(dists, d)
		}
	}
	return ids, dists, rows.Err()
}
