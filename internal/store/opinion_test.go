package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// firstOpen is the simplest clusterer: every hit of a scheme joins the
// scheme's first open event.
func firstOpen(_ int64, open []*store.EventState, it store.StoredItem) *store.EventState {
	if len(open) > 0 {
		return open[0]
	}
	return &store.EventState{Title: it.Title}
}

func item(src int64, ext, text string, h uint64, at int64, hits ...int64) store.IntakeItem {
	it := store.IntakeItem{SourceID: src, ExtKey: ext, Title: text, Body: text, Norm: text, PublishedAt: at, FetchedAt: at,
		TextKey: "t-" + text, SimHash: h, Negativity: 0.5}
	for _, id := range hits {
		it.Hits = append(it.Hits, store.IntakeHit{SchemeID: id, Spans: [][3]int{{0, 0, 2}}})
	}
	return it
}

func TestOpinionIntake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		src := &store.OpinionSource{UnitID: f.unitA.ID, Kind: store.SourceFeed, Name: "区新闻网", URL: "http://x/rss", IntervalSec: 600, Weight: 2, Enabled: true}
		if err := s.SaveOpinionSource(ctx, store.System, f.scA, src, ""); err != nil {
			t.Fatal(err)
		}
		sch := &store.OpinionScheme{UnitID: f.unitA.ID, Name: "化工", Rule: "化工", Scope: "all", Enabled: true}
		if err := s.SaveOpinionScheme(ctx, store.System, f.scA, sch, func([]int64) error { return nil }); err != nil {
			t.Fatal(err)
		}
		opts := store.IntakeOptions{EventWindow: 86400, Assign: firstOpen,
			Heat: func(ev *store.EventState, sources int, hours map[int64]int, now int64) float64 {
				return float64(ev.Items) * ev.Weight / float64(ev.Items)
			},
			SourceWeight: func(int64) float64 { return 2 }}
		t0 := fixedNow().Unix()
		batch := []store.IntakeItem{
			item(src.ID, "a", "化工园区起火", 0xF0F0_0000_0000_0001, t0, sch.ID),
			item(src.ID, "b", "化工园区起火", 0x1234, t0+10, sch.ID),                  // exact copy of a (text key)
			item(src.ID, "c", "化工园区发生起火", 0xF0F0_0000_0000_0007, t0+20, sch.ID), // near a (2 bits)
			item(src.ID, "d", "今日天气晴", 0x0F0F_FFFF_FFFF_FFF0, t0+30),
			item(src.ID, "a", "化工园区起火", 0xF0F0_0000_0000_0001, t0, sch.ID), // repeat within the batch
		}
		res, err := s.IntakeBatch(ctx, store.System, f.unitA.ID, batch, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 3 || res.Exact != 1 || res.Near != 1 || res.Seen != 1 || res.Hits != 2 || res.NewEvents != 1 || res.EventItems != 2 {
			t.Fatalf("first batch: %+v", res)
		}
		// Redelivery of the whole batch stores nothing.
		again, err := s.IntakeBatch(ctx, store.System, f.unitA.ID, batch, opts)
		if err != nil || again.Stored != 0 || again.Seen != 5 || again.Hits != 0 {
			t.Fatalf("redelivery: %+v %v", again, err)
		}
		// A later batch: near-duplicate of a stored item, and an exact URL copy.
		b2 := []store.IntakeItem{item(src.ID, "e", "化工园区起火了", 0xF0F0_0000_0000_0003, t0+3600, sch.ID)}
		res2, err := s.IntakeBatch(ctx, store.System, f.unitA.ID, b2, opts)
		if err != nil || res2.Near != 1 || res2.NewEvents != 0 || res2.EventItems != 1 {
			t.Fatalf("second batch: %+v %v", res2, err)
		}
		items, total, err := s.OpinionItems(ctx, f.scA, store.ItemFilter{UnitID: f.unitA.ID, Grouped: true})
		if err != nil || total != 2 {
			t.Fatalf("grouped list: %d %v", total, err)
		}
		var rep store.OpinionItem
		for _, it := range items {
			if it.Title == "化工园区起火" {
				rep = it
			}
		}
		if !rep.IsRep || rep.Copies != 1 || rep.GroupCopies != 3 || rep.GroupSize != 3 {
			t.Errorf("representative: %+v (want 1 exact copy, group of 3 stored, 3 folded)", rep)
		}
		grp, err := s.GroupItems(ctx, f.scA, rep.GroupID)
		if err != nil || len(grp) != 3 {
			t.Errorf("group items: %d %v", len(grp), err)
		}
		// Search (index on SQLite, scan on PostgreSQL) and filters.
		for q, want := range map[string]int{"园区起火": 2, "起火": 3, "天气": 1, "不存在的词": 0, "起": 3} {
			_, n, err := s.OpinionItems(ctx, f.scA, store.ItemFilter{UnitID: f.unitA.ID, Query: q})
			if err != nil || n != want {
				t.Errorf("search %q: %d, want %d (%v)", q, n, want, err)
			}
		}
		if _, n, _ := s.OpinionItems(ctx, f.scA, store.ItemFilter{UnitID: f.unitA.ID, SchemeID: sch.ID}); n != 3 {
			t.Errorf("scheme filter: %d", n)
		}
		hits, err := s.ItemHits(ctx, f.scA, rep.ID)
		if err != nil || len(hits) != 1 || hits[0].SchemeName != "化工" || hits[0].Spans[0] != [3]int{0, 0, 2} {
			t.Errorf("hits: %+v %v", hits, err)
		}
		evs, n, err := s.OpinionEvents(ctx, f.scA, store.EventFilter{UnitID: f.unitA.ID})
		if err != nil || n != 1 || evs[0].Items != 3 || evs[0].Sources != 1 || evs[0].Heat != 6 || evs[0].WeightSum != 6 || evs[0].Negativity != 0.5 {
			t.Fatalf("events: %+v %v", evs, err)
		}
		hours, err := s.EventHours(ctx, f.scA, evs[0].ID)
		if err != nil || len(hours) != 2 || hours[0].N != 2 || hours[1].N != 1 {
			t.Errorf("hours: %+v %v", hours, err)
		}
		src2, _ := s.OpinionSource(ctx, f.scA, src.ID)
		if src2.ItemsTotal != 4 {
			t.Errorf("source total %d, want 4", src2.ItemsTotal)
		}

		// Split the last item off, then merge it back.
		newID, err := s.SplitEvent(ctx, store.System, f.scA, evs[0].ID, []int64{res2.ItemIDs[0]}, "拆出的事件", nil)
		if err != nil || newID == 0 {
			t.Fatalf("split: %d %v", newID, err)
		}
		a, _ := s.OpinionEvent(ctx, f.scA, evs[0].ID)
		b, _ := s.OpinionEvent(ctx, f.scA, newID)
		if a.Items != 2 || b.Items != 1 || b.Title != "拆出的事件" || b.RepItemID != res2.ItemIDs[0] {
			t.Errorf("after split: %+v / %+v", a, b)
		}
		if err := s.MergeEvents(ctx, store.System, f.scA, evs[0].ID, newID, nil); err != nil {
			t.Fatal(err)
		}
		a, _ = s.OpinionEvent(ctx, f.scA, evs[0].ID)
		b, _ = s.OpinionEvent(ctx, f.scA, newID)
		if a.Items != 3 || b.MergedInto != a.ID {
			t.Errorf("after merge: %+v / %+v", a, b)
		}
		if _, n, _ := s.OpinionEvents(ctx, f.scA, store.EventFilter{UnitID: f.unitA.ID}); n != 1 {
			t.Errorf("merged event still listed: %d", n)
		}

		// The SQL band lookup finds the same near-duplicates as intake.
		ids, dists, err := s.NearCandidates(ctx, f.unitA.ID, 0xF0F0_0000_0000_0001)
		if err != nil || len(ids) != 3 || dists[0] != 0 || dists[1] != 2 || dists[2] != 1 {
			t.Errorf("near candidates: %v %v %v", ids, dists, err)
		}
		if ids, _, _ := s.NearCandidates(ctx, f.unitB.ID, 0xF0F0_0000_0000_0001); len(ids) != 0 {
			t.Errorf("unit B near candidates: %v", ids)
		}

		// Another unit sees none of it.
		for name, err := range map[string]error{
			"source": errOf(s.OpinionSource(ctx, f.scB, src.ID)),
			"item":   errOf(s.OpinionItem(ctx, f.scB, rep.ID)),
			"event":  errOf(s.OpinionEvent(ctx, f.scB, a.ID)),
			"scheme": errOf(s.OpinionScheme(ctx, f.scB, sch.ID)),
			"group":  errOf(s.GroupItems(ctx, f.scB, rep.GroupID)),
			"list":   errOf(s.OpinionSources(ctx, f.scB, f.unitA.ID)),
			"merge":  s.MergeEvents(ctx, store.System, f.scB, a.ID, b.ID, nil),
			"delete": s.DeleteOpinionSource(ctx, store.System, f.scB, src.ID),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unit B %s: %v, want ErrNotFound", name, err)
			}
		}

		// Purge everything fetched before the last batch.
		n, err = s.PurgeOpinionItems(ctx, t0+3600, 100)
		if err == nil && n == 3 {
			var left int
			s.DB().QueryRow("SELECT COUNT(*) FROM opinion_hits").Scan(&left)
			if left != 1 {
				t.Errorf("%d hits left after purge, want 1", left)
			}
		}
		if err != nil || n != 3 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if _, total, _ := s.OpinionItems(ctx, f.scA, store.ItemFilter{UnitID: f.unitA.ID, Query: "园区起火"}); total != 1 {
			t.Errorf("after purge search finds %d, want 1", total)
		}
	})
}

func errOf[T any](_ T, err error) error { return err }

// TestOpinionPushToken: the token is found by its hash only.
func TestOpinionPushToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		src := &store.OpinionSource{UnitID: f.unitA.ID, Kind: store.SourcePush, Name: "合作系统", Weight: 1, Enabled: true}
		if err := s.SaveOpinionSource(ctx, store.System, f.scA, src, "tok-123456"); err != nil {
			t.Fatal(err)
		}
		got, err := s.SourceByToken(ctx, "tok-123456")
		if err != nil || got.ID != src.ID || !got.HasToken {
			t.Fatalf("by token: %+v %v", got, err)
		}
		var n int
		s.DB().QueryRow("SELECT COUNT(*) FROM opinion_sources WHERE token_hash = 'tok-123456'").Scan(&n)
		if n != 0 {
			t.Error("token stored in clear")
		}
		for _, tok := range []string{"", "tok-12345", "TOK-123456"} {
			if _, err := s.SourceByToken(ctx, tok); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("token %q: %v", tok, err)
			}
		}
		src.Enabled = false
		if err := s.SaveOpinionSource(ctx, store.System, f.scA, src, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SourceByToken(ctx, "tok-123456"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("disabled source still accepts: %v", err)
		}
	})
}

// TestClaimDueFeeds: a due feed is claimed by one round only and released
// with its next due time.
func TestClaimDueFeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		for i := range 3 {
			src := &store.OpinionSource{UnitID: f.unitA.ID, Kind: store.SourceFeed, Name: fmt.Sprint("源", i), URL: fmt.Sprint("http://x/", i), IntervalSec: 600, Weight: 1, Enabled: true}
			if err := s.SaveOpinionSource(ctx, store.System, f.scA, src, ""); err != nil {
				t.Fatal(err)
			}
		}
		now := fixedNow().Unix()
		a, err := s.ClaimDueFeeds(ctx, 0, now, 120, 10, false)
		if err != nil || len(a) != 3 {
			t.Fatalf("first claim: %d %v", len(a), err)
		}
		b, err := s.ClaimDueFeeds(ctx, 0, now, 120, 10, false)
		if err != nil || len(b) != 0 {
			t.Fatalf("second round claimed %d", len(b))
		}
		if err := s.FeedFetched(ctx, a[0].ID, now, `"e1"`, "", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.FeedFetched(ctx, a[1].ID, now, "", "", "XML 格式错误"); err != nil {
			t.Fatal(err)
		}
		// Within the lease and the interval: nothing; the unreleased
		// third feed comes back when its lease ends (a crashed round).
		if c, _ := s.ClaimDueFeeds(ctx, 0, now+119, 120, 10, false); len(c) != 0 {
			t.Errorf("claimed %d within the lease", len(c))
		}
		if c, _ := s.ClaimDueFeeds(ctx, 0, now+120, 120, 10, false); len(c) != 1 || c[0].ID != a[2].ID {
			t.Errorf("lease end: %+v", c)
		}
		c, _ := s.ClaimDueFeeds(ctx, 0, now+600, 120, 10, false)
		if len(c) != 3 || c[0].ETag == "" && c[1].ETag == "" && c[2].ETag == "" {
			t.Errorf("after interval and lease: %+v", c)
		}
		got, _ := s.OpinionSource(ctx, f.scA, a[1].ID)
		if got.LastError != "XML 格式错误" || got.LastErrorAt != now {
			t.Errorf("health: %+v", got)
		}
	})
}

// TestIntakeTwoNodes: two stores on one database (two nodes) take turns;
// each sees the near-duplicates the other stored since its last batch.
func TestIntakeTwoNodes(t *testing.T) {
	run := func(t *testing.T, s1, s2 *store.Store) {
		ctx := context.Background()
		f := setup(t, s1)
		s2.Now = s1.Now
		src := &store.OpinionSource{UnitID: f.unitA.ID, Kind: store.SourcePush, Name: "推送", Weight: 1, Enabled: true}
		if err := s1.SaveOpinionSource(ctx, store.System, f.scA, src, "tok-two-nodes"); err != nil {
			t.Fatal(err)
		}
		t0 := fixedNow().Unix()
		const h = 0x0123_4567_89AB_CDEF
		steps := []struct {
			s    *store.Store
			it   store.IntakeItem
			near int
		}{
			{s1, item(src.ID, "1", "原文", h, t0), 0},
			{s2, item(src.ID, "2", "转载一", h^0b11, t0+1), 1},    // node 2 loads and finds node 1's item
			{s1, item(src.ID, "3", "转载二", h^0b1100, t0+2), 1},  // node 1 refreshes
			{s2, item(src.ID, "4", "无关", ^uint64(h), t0+3), 0}, // far: a new group
			{s1, item(src.ID, "5", "无关转载", ^uint64(h)^1, t0+4), 1},
		}
		for i, st := range steps {
			res, err := st.s.IntakeBatch(ctx, store.System, f.unitA.ID, []store.IntakeItem{st.it}, store.IntakeOptions{})
			if err != nil || res.Stored != 1 || res.Near != st.near {
				t.Fatalf("step %d: %+v %v", i+1, res, err)
			}
		}
		var groups int
		s1.DB().QueryRow("SELECT COUNT(DISTINCT group_id) FROM opinion_items").Scan(&groups)
		if groups != 2 {
			t.Errorf("%d groups, want 2", groups)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		s1 := storetest.SQLite(t)
		s2, err := store.Open(context.Background(), s1.Path(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		run(t, s1, s2)
	})
	t.Run("postgres", func(t *testing.T) {
		s1, direct := storetest.PostgresVia(t, nil)
		if s1 == nil {
			t.Skip("ZHENDI_TEST_PG not set")
		}
		s2, err := store.Open(context.Background(), direct, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		run(t, s1, s2)
	})
}
