package store_test

import (
	"context"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/perf"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestOpinionDayCounts: the dashboard's day counts follow the items —
// items fetched later for an earlier day are counted at the next look,
// and days whose items were purged drop out.
func TestOpinionDayCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 7, 5, 10, 0, 0, 0, cntime.Zone)
		st.Now = func() time.Time { return now }
		unit := org.Node{Kind: org.Unit, Name: "甲局"}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			t.Fatal(err)
		}
		fx, err := perf.OpinionSample(ctx, st, unit.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		sc := access.Scope{ReadUnits: []int64{unit.ID}}
		week := func() store.OpinionOverview {
			t.Helper()
			o, err := st.OpinionOverview(ctx, sc, unit.ID, now.AddDate(0, 0, -7).Unix(), now.Unix()+1)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		if o := week(); o.Items != 6 || len(o.Days) != 1 || len(o.Sources) != 2 {
			t.Fatalf("first look: %+v", o)
		}
		// Three items published on 2 July, fetched now (after the first look).
		for i := 0; i < 3; i++ {
			_, err := st.DB().Exec(`INSERT INTO opinion_items (unit_id, source_id, title, published_at, fetched_at, negativity) VALUES ($1,$2,$3,$4,$5,$6)`,
				unit.ID, fx.SourceIDs[0], "补采", time.Date(2023, 7, 2, 9, 0, 0, 0, cntime.Zone).Unix(), now.Unix(), 0.5)
			if err != nil {
				t.Fatal(err)
			}
		}
		o := week()
		if o.Items != 9 || o.Negative != 7 || len(o.Days) != 2 || o.Days[0].N != 3 {
			t.Fatalf("after late items: %+v", o)
		}
		// The retention job purges everything fetched before now+1.
		if _, err := st.PurgeOpinionItems(ctx, now.Unix()+1, 100); err != nil {
			t.Fatal(err)
		}
		if o := week(); o.Items != 0 || len(o.Days) != 0 {
			t.Fatalf("after the purge: %+v", o)
		}
	})
}
