package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/perf"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestOpinionDayCounts: the dashboard's day counts follow the items in
// the intake and purge transactions — items fetched later for an earlier
// day count at once, a copy folded into an old item counts on that item's
// day, and days whose items were purged drop out.
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
		o := week()
		if o.Items != 6 || len(o.Days) != 1 || len(o.Sources) != 2 || len(o.Schemes) != 1 || o.Schemes[0].N != 4 {
			t.Fatalf("first look: %+v", o)
		}
		// Three items published on 2 July, fetched now; one hits the scheme.
		// And an exact copy of the first sample item (5 July), fetched now.
		late := time.Date(2023, 7, 2, 9, 0, 0, 0, cntime.Zone).Unix()
		var batch []store.IntakeItem
		for i := range 3 {
			it := item(fx.SourceIDs[0], fmt.Sprint("late-", i), fmt.Sprint("补采信息", i), uint64(0x1111_0000_0000_0000)<<i, late)
			it.FetchedAt = now.Unix()
			if i == 0 {
				it.Hits = []store.IntakeHit{{SchemeID: fx.SchemeID}, {SchemeID: fx.SchemeID}} // a repeat counts once
			}
			batch = append(batch, it)
		}
		var title, body, key string
		if err := st.DB().QueryRow("SELECT title, body, text_key FROM opinion_items WHERE id = $1", fx.ItemIDs[0]).Scan(&title, &body, &key); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, store.IntakeItem{SourceID: fx.SourceIDs[1], ExtKey: "copy", Title: title, Body: body, Norm: title, PublishedAt: now.Unix(),
			FetchedAt: now.Unix(), TextKey: key, SimHash: 1})
		res, err := st.IntakeBatch(ctx, store.System, unit.ID, batch, store.IntakeOptions{Now: now.Unix()})
		if err != nil || res.Stored != 3 || res.Exact != 1 || res.Hits != 1 {
			t.Fatalf("late batch: %+v %v", res, err)
		}
		o = week()
		if o.Items != 9 || o.Negative != len(negativeOf(t, st, unit.ID)) || len(o.Days) != 2 || o.Days[0].N != 3 || o.Copies != 1 || o.Schemes[0].N != 5 {
			t.Fatalf("after late items: %+v", o)
		}
		var copiesDay int64
		st.DB().QueryRow("SELECT day FROM opinion_day_counts WHERE copies > 0").Scan(&copiesDay)
		var pub int64
		st.DB().QueryRow("SELECT published_at FROM opinion_items WHERE id = $1", fx.ItemIDs[0]).Scan(&pub)
		if copiesDay != (pub+8*3600)/86400 {
			t.Fatalf("the copy counts on day %d, the item's day is %d", copiesDay, (pub+8*3600)/86400)
		}
		sameAsRecount(t, st, unit.ID)
		// The retention job purges everything fetched before now+1.
		if _, err := st.PurgeOpinionItems(ctx, now.Unix()+1, 100); err != nil {
			t.Fatal(err)
		}
		if o := week(); o.Items != 0 || len(o.Days) != 0 || o.Schemes[0].N != 0 {
			t.Fatalf("after the purge: %+v", o)
		}
		var rows int
		st.DB().QueryRow("SELECT (SELECT COUNT(*) FROM opinion_day_counts) + (SELECT COUNT(*) FROM opinion_scheme_days)").Scan(&rows)
		if rows != 0 {
			t.Fatalf("%d count rows left after the purge", rows)
		}
	})
}

func negativeOf(t *testing.T, st *store.Store, unitID int64) []int64 {
	t.Helper()
	rows, err := st.DB().Query("SELECT id FROM opinion_items WHERE unit_id = $1 AND negativity > 0", unitID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

// dayRows reads both count tables of a unit as text lines, in order.
func dayRows(t *testing.T, st *store.Store, unitID int64) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		"SELECT 'd', day, source_id, n, negative, positive, copies FROM opinion_day_counts WHERE unit_id = $1 ORDER BY day, source_id",
		"SELECT 's', day, scheme_id, n, 0, 0, 0 FROM opinion_scheme_days WHERE unit_id = $1 ORDER BY day, scheme_id",
	} {
		rows, err := st.DB().Query(q, unitID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var v [6]int64
			if err := rows.Scan(&k, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(k, v))
		}
		rows.Close()
	}
	return out
}

// sameAsRecount fails when the counts kept by intake and purge differ from
// a recount of the items.
func sameAsRecount(t *testing.T, st *store.Store, unitID int64) {
	t.Helper()
	kept := dayRows(t, st, unitID)
	if err := st.RecountOpinionDays(context.Background(), unitID); err != nil {
		t.Fatal(err)
	}
	if recount := dayRows(t, st, unitID); !slices.Equal(kept, recount) {
		t.Fatalf("kept counts differ from a recount:\nkept    %v\nrecount %v", kept, recount)
	}
}

// TestOpinionDayCountsRecount: random batches over two units — new items,
// exact copies of stored and of same-batch items, near-duplicates, scheme
// hits, redeliveries — and partial purges between them; after each step
// the counts kept in the transactions equal a recount of the items.
func TestOpinionDayCountsRecount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := setup(t, st)
		var srcs, schemes []int64
		for i, name := range []string{"甲源", "乙源", "丙源"} {
			src := &store.OpinionSource{UnitID: f.unitA.ID, Kind: store.SourceFeed, Name: name, URL: fmt.Sprintf("http://x/%d", i), IntervalSec: 600, Weight: 1, Enabled: true}
			if err := st.SaveOpinionSource(ctx, store.System, f.scA, src, ""); err != nil {
				t.Fatal(err)
			}
			srcs = append(srcs, src.ID)
			sch := &store.OpinionScheme{UnitID: f.unitA.ID, Name: name, Rule: "化工", Scope: "all", Enabled: true}
			if err := st.SaveOpinionScheme(ctx, store.System, f.scA, sch, func([]int64) error { return nil }); err != nil {
				t.Fatal(err)
			}
			schemes = append(schemes, sch.ID)
		}
		r := rand.New(rand.NewPCG(7, 11))
		t0 := time.Date(2023, 3, 1, 0, 0, 0, 0, cntime.Zone).Unix()
		ext := 0
		for step := range 12 {
			var batch []store.IntakeItem
			for range 20 + r.IntN(60) {
				ext++
				k := r.IntN(40) // a small text space: many exact copies
				if r.IntN(10) == 0 {
					ext -= r.IntN(min(ext, 30)) // a redelivered key
				}
				it := item(srcs[r.IntN(3)], fmt.Sprint("k", ext), fmt.Sprint("化工园区信息", k), r.Uint64(), t0+int64(r.IntN(20*86400)))
				it.FetchedAt = t0 + int64(step)*86400
				it.Negativity = float64(r.IntN(3) - 1)
				for _, sch := range schemes {
					if r.IntN(3) == 0 {
						it.Hits = append(it.Hits, store.IntakeHit{SchemeID: sch})
					}
				}
				batch = append(batch, it)
			}
			if _, err := st.IntakeBatch(ctx, store.System, f.unitA.ID, batch, store.IntakeOptions{EventWindow: 86400, Assign: firstOpen}); err != nil {
				t.Fatal(err)
			}
			sameAsRecount(t, st, f.unitA.ID)
			if step%4 == 3 {
				if _, err := st.PurgeOpinionItems(ctx, t0+int64(step-1)*86400, 10+r.IntN(50)); err != nil {
					t.Fatal(err)
				}
				sameAsRecount(t, st, f.unitA.ID)
			}
		}
		var n int
		st.DB().QueryRow("SELECT COUNT(*) FROM opinion_day_counts WHERE unit_id = $1 AND copies > 0", f.unitA.ID).Scan(&n)
		if n == 0 {
			t.Fatal("the random batches folded no copies: the test checks less than it says")
		}
	})
}
