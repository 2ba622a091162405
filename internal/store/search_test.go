package store_test

import (
	"context"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		actor := store.Actor{UserID: f.clerkA.ID}
		mk := func(title, content string) ledger.Activity {
			a := ledger.Activity{OrgID: f.unitA.ID, Type: ledger.CentralGroup, Title: title, Date: "2023-05-01", Content: content}
			if err := s.CreateActivity(ctx, actor, &a, nil, resolve(f.scA)); err != nil {
				t.Fatal(err)
			}
			return a
		}
		a := mk("深入学习贯彻党的二十大精神", "会议传达了《中国共产党宣传工作条例》。")
		mk("安全生产专题学习", "部署汛期安全生产工作，ABC-2023 检查。")
		cases := []struct {
			q    string
			want int
		}{
			{"学习", 2}, {"二十大", 1}, {"二十", 1}, {"党的二十大精神", 1}, {"宣传工作", 1},
			{"中国共产党宣传工作条例", 1}, {"学习 安全", 1}, {"深入，学习", 1},
			{"深学", 0}, {"学习二十大", 0}, {"安全生产二十大", 0}, {"abc", 1}, {"ABC", 1}, {"2023", 1},
			{"汛", 1}, {"条", 1}, {"不存在的词", 0},
		}
		// One unit's search scans its text; a district-wide search uses the
		// bigram index (SQLite). Both must give the same answers.
		wide := access.Scope{ReadUnits: []int64{f.unitA.ID, f.unitB.ID}}
		for _, c := range cases {
			for name, sc := range map[string]access.Scope{"unit": f.scA, "district": wide} {
				n, err := s.CountActivities(ctx, sc, ledger.Filter{Q: c.q})
				if err != nil || n != c.want {
					t.Errorf("%s search %q: got %d (%v), want %d", name, c.q, n, err, c.want)
				}
			}
		}
		// Editing the entry re-indexes it.
		a.Title = "学习乡村振兴战略"
		a.Content = ""
		if err := s.UpdateActivity(ctx, actor, f.scA, &a, resolveUpdate(f.scA)); err != nil {
			t.Fatal(err)
		}
		for _, sc := range []access.Scope{f.scA, wide} {
			if n, _ := s.CountActivities(ctx, sc, ledger.Filter{Q: "二十大"}); n != 0 {
				t.Errorf("old text still found after edit: %d", n)
			}
			if n, _ := s.CountActivities(ctx, sc, ledger.Filter{Q: "乡村振兴"}); n != 1 {
				t.Errorf("new text not found after edit: %d", n)
			}
		}
		// A database from before the index (or with older rules) is rebuilt on migrate.
		if s.Dialect() == store.SQLite {
			if _, err := s.DB().Exec("DELETE FROM activity_search; UPDATE settings SET value = '0' WHERE key = 'search.version'"); err != nil {
				t.Fatal(err)
			}
			if n, _ := s.CountActivities(ctx, wide, ledger.Filter{Q: "乡村振兴"}); n != 0 {
				t.Fatalf("index not cleared: %d", n)
			}
			if err := s.Migrate(ctx, nil); err != nil {
				t.Fatal(err)
			}
			if n, _ := s.CountActivities(ctx, wide, ledger.Filter{Q: "乡村振兴"}); n != 1 {
				t.Errorf("index not rebuilt: %d", n)
			}
		}
	})
}

// TestSearchCountCapped: a list page's search total stops counting past
// SearchCountCap; the exact count is still available.
func TestSearchCountCapped(t *testing.T) {
	s := storetest.SQLite(t)
	ctx := context.Background()
	f := setup(t, s)
	acts := make([]ledger.Activity, store.SearchCountCap+2)
	for i := range acts {
		acts[i] = ledger.Activity{UnitID: f.unitA.ID, OrgID: f.unitA.ID, Type: ledger.SelfStudy, Title: "个人自学", Date: "2023-05-01", LeadName: "张专干"}
	}
	if err := s.SeedActivities(ctx, store.Actor{UserID: f.clerkA.ID}, f.unitA.ID, acts); err != nil {
		t.Fatal(err)
	}
	list, total, err := s.ListActivities(ctx, f.scA, ledger.Filter{Q: "自学", PerPage: 50, Page: 1})
	if err != nil || total != store.SearchCountCap+1 || len(list) != 50 {
		t.Fatalf("capped list: %d rows, total %d, %v", len(list), total, err)
	}
	if n, _ := s.CountActivities(ctx, f.scA, ledger.Filter{Q: "自学"}); n != store.SearchCountCap+2 {
		t.Fatalf("exact count %d", n)
	}
	if _, total, _ := s.ListActivities(ctx, f.scA, ledger.Filter{Q: "不存在", PerPage: 50, Page: 1}); total != 0 {
		t.Fatalf("no match total %d", total)
	}
}
