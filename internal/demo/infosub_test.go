package demo_test

import (
	"context"
	"slices"
	"testing"

	"zhendi/internal/demo"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestDemoInfo: the demo's 2023H1 information figures fill the seed's
// "撰写整理各类信息*余条" and "在各类媒体发表*条" with plausible numbers, the
// March bulletin names the 零报送 department, and loading twice adds nothing.
func TestDemoInfo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		_, sc := scopeOf(t, s, "zhuangan")
		f, err := s.InfoFigures(ctx, sc, info.UnitID, demo.H1From, demo.H1To)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("2023H1: written %d, published %d, adopted %d", f.Written, f.Published, f.Adopted)
		if f.Written < 100 || f.Written > 150 || f.Published < 30 || f.Published > 60 || f.Adopted == 0 {
			t.Errorf("demo figures %d/%d/%d out of the intended range", f.Written, f.Published, f.Adopted)
		}
		b, err := s.InfoBulletin(ctx, sc, info.UnitID, "2023-03")
		if err != nil {
			t.Fatal(err)
		}
		if z := b.ZeroNames(); !slices.Contains(z, "计划财务科") || len(b.Rows) != 7 {
			t.Errorf("March bulletin: rows %d, 零报送 %v", len(b.Rows), z)
		}
		// Some drafts wait for review, one is returned, two are unsent.
		_, clerk := scopeOf(t, s, "zhuangan")
		u, _ := s.UserByUsername(ctx, "zhuangan")
		q, err := s.ReviewQueue(ctx, clerk, u.ID, u.Grants)
		if err != nil || len(q) == 0 {
			t.Errorf("clerk's queue: %d, %v", len(q), err)
		}
		for _, st := range []infosub.Status{infosub.StatusReturned, infosub.StatusDraft, infosub.StatusWithdrawn} {
			if _, n, _ := s.ListDrafts(ctx, sc, store.DraftFilter{UnitID: info.UnitID, Status: string(st)}); n == 0 {
				t.Errorf("no %s drafts in the demo", st.Label())
			}
		}
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		again, _ := s.InfoFigures(ctx, sc, info.UnitID, demo.H1From, demo.H1To)
		if again.Written != f.Written || again.Published != f.Published {
			t.Errorf("second load changed figures: %+v", again)
		}
	})
}
