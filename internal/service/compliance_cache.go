package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"zhendi/internal/access"
	"zhendi/internal/supervise"
)

// complianceCacheSize bounds the judgements kept: a district's matrix, its
// supervisors' home pages and each unit's dashboard for the current and last
// year fit many times over (a 100-unit district's year is about 1 MB).
const complianceCacheSize = 64

// complianceCache keeps Compliance's judgements until anything they could
// depend on changes. The key holds the store's change version (every change
// appends to the audit log in its own transaction, so the version moves with
// every committed change of any record, rule, person or organisation), the
// day, the year, the units and the reader's scope. The version is read
// before the judgement, so a change committed meanwhile makes the next
// request judge again: a figure is never older than the page, on one node or
// several. Cached values are shared: callers read them and never change
// them.
type complianceCache struct {
	mu      sync.Mutex
	entries map[string]map[int64]*supervise.UnitCompliance
	order   []string // insertion order, oldest first, for eviction
}

func (c *complianceCache) get(key string) (map[int64]*supervise.UnitCompliance, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	return v, ok
}

func (c *complianceCache) put(key string, v map[int64]*supervise.UnitCompliance) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]map[int64]*supervise.UnitCompliance{}
	}
	if _, ok := c.entries[key]; ok {
		return
	}
	if len(c.order) >= complianceCacheSize {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	c.entries[key] = v
	c.order = append(c.order, key)
}

// complianceKey names one judgement: version, day, year, units (sorted) and
// the parts of the scope the tallies filter by.
func complianceKey(version int64, today string, year int, sc access.Scope, unitIDs []int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%s|%d|", version, today, year)
	ids := func(xs []int64) {
		xs = slices.Clone(xs)
		slices.Sort(xs)
		for _, x := range xs {
			b.WriteString(strconv.FormatInt(x, 10))
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	ids(unitIDs)
	ids(sc.ReadUnits)
	ids(sc.ReadOrgs)
	fmt.Fprintf(&b, "%t|%d|%d", sc.OwnRecords, sc.UserID, sc.HomeUnit)
	return b.String()
}

// cachedCompliance is Compliance through the cache.
func (s *Service) cachedCompliance(ctx context.Context, sc access.Scope, unitIDs []int64, year int, today string) (map[int64]*supervise.UnitCompliance, error) {
	version, err := s.st.ChangeVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("compliance version: %w", err)
	}
	key := complianceKey(version, today, year, sc, unitIDs)
	if v, ok := s.compliance.get(key); ok {
		return v, nil
	}
	byYear, err := s.complianceYears(ctx, sc, unitIDs, []int{year}, today)
	if err != nil {
		return nil, err
	}
	s.compliance.put(key, byYear[year])
	return byYear[year], nil
}
