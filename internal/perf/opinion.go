package perf

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Opinion data for tests and for the dashboard benchmark. OpinionSample
// stores a few items through the real intake transaction (dedup, hits,
// events); OpinionBulk writes a million-item history straight into the
// tables, as the ledger generator does, since the dashboard measurement is
// about reading them.

// OpinionFixture is what OpinionSample created.
type OpinionFixture struct {
	SourceIDs []int64
	SchemeID  int64
	EventID   int64
	ItemIDs   []int64
}

// OpinionSample stores in unitID two sources, a scheme "化工园区 & (起火 |
// 泄漏)" and texts about a fire in a chemical park spread over the six
// hours before at, plus two unrelated items; the scheme's hits form one
// event. Negativity is scored by the opinion domain's seed lexicon.
func OpinionSample(ctx context.Context, st *store.Store, unitID int64, at time.Time) (OpinionFixture, error) {
	var f OpinionFixture
	sc := access.Scope{ReadUnits: []int64{unitID}, WriteUnits: []int64{unitID}}
	for i, name := range []string{"区融媒体中心", "市新闻网"} {
		src := store.OpinionSource{UnitID: unitID, Kind: store.SourceFeed, Name: name, URL: fmt.Sprintf("https://example.gov.cn/feed%d.xml", i), IntervalSec: 900,
			Weight: 1 + float64(i)/2, Enabled: true}
		if err := st.SaveOpinionSource(ctx, store.System, sc, &src, ""); err != nil {
			return f, err
		}
		f.SourceIDs = append(f.SourceIDs, src.ID)
	}
	scheme := store.OpinionScheme{UnitID: unitID, Name: "化工园区安全", Rule: "化工园区 & (起火 | 泄漏)", Scope: "all", Enabled: true}
	if err := st.SaveOpinionScheme(ctx, store.System, sc, &scheme, func([]int64) error { return nil }); err != nil {
		return f, err
	}
	f.SchemeID = scheme.ID
	set, err := opinion.CompileSchemes([]opinion.Scheme{{ID: scheme.ID, Name: scheme.Name, Rule: scheme.Rule}})
	if err != nil {
		return f, err
	}
	lex := opinion.DefaultLexicon()
	texts := []struct{ title, body string }{
		{"化工园区起火 浓烟滚滚", "今天上午城东化工园区一厂房起火，现场浓烟滚滚，附近居民十分担心，希望有关部门尽快公布情况。"},
		{"化工园区起火后居民担忧空气质量", "化工园区起火后，不少居民担忧空气质量，投诉电话一直打不通，大家很不满意。"},
		{"应急管理局回应化工园区起火", "应急管理局通报：化工园区起火已被扑灭，无人员伤亡，环境监测数据正常，感谢消防救援人员。"},
		{"化工园区泄漏传闻不实", "网传化工园区发生泄漏，经核实，该说法不实，园区生产秩序正常。"},
		{"区图书馆开展读书月活动", "区图书馆本月开展全民阅读活动，市民踊跃参加，好评如潮。"},
		{"农贸市场改造完成", "城南农贸市场改造完成，环境整洁，群众满意。"},
	}
	var items []store.IntakeItem
	for i, t := range texts {
		it := opinion.Item{Title: t.title, Text: t.body}
		norm := opinion.Normalize(t.title + "\n" + t.body)
		var hits []store.IntakeHit
		for _, h := range set.Eval(it) {
			hits = append(hits, store.IntakeHit{SchemeID: h.SchemeID})
		}
		when := at.Add(-time.Duration(6-i) * time.Hour).Unix()
		items = append(items, store.IntakeItem{SourceID: f.SourceIDs[i%2], ExtKey: fmt.Sprintf("sample-%d", i), Title: t.title, Body: t.body,
			URL: fmt.Sprintf("https://example.gov.cn/news/%d.html", i+1), Norm: norm, PublishedAt: when, FetchedAt: when + 60,
			TextKey: opinion.ExactKey(t.title, t.body), SimHash: opinion.SimHash(norm), Negativity: -lex.Score(t.title + t.body).Score, Hits: hits})
	}
	res, err := st.IntakeBatch(ctx, store.System, unitID, items, store.IntakeOptions{
		EventWindow: 48 * 3600,
		Assign: func(_ int64, open []*store.EventState, it store.StoredItem) *store.EventState {
			for _, ev := range open {
				return ev
			}
			return &store.EventState{Title: it.Title, RepItemID: it.ID}
		},
		Heat: func(ev *store.EventState, sources int, hours map[int64]int, nowHour int64) float64 {
			hourly := make([]int, 24)
			for h, n := range hours {
				if i := 23 - int(nowHour-h); i >= 0 && i < 24 {
					hourly[i] += n
				}
			}
			return opinion.Heat(hourly, ev.Weight/float64(max(ev.Items, 1)))
		},
		Now: at.Unix(),
	})
	if err != nil {
		return f, err
	}
	f.ItemIDs = res.ItemIDs
	err = st.DB().QueryRowContext(ctx, "SELECT id FROM opinion_events WHERE scheme_id = $1 ORDER BY id LIMIT 1", scheme.ID).Scan(&f.EventID)
	if err != nil {
		return f, fmt.Errorf("sample event: %w", err)
	}
	return f, nil
}

// OpinionBulk writes n items of unitID published evenly over the days
// before until, from the fixture's sources, a third of them hits of its
// scheme gathered into events of about 200 items each. It returns the
// number of events written.
func OpinionBulk(ctx context.Context, st *store.Store, f OpinionFixture, unitID int64, n, days int, until time.Time) (int, error) {
	db := st.DB()
	var next int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM opinion_items").Scan(&next); err != nil {
		return 0, err
	}
	var nextEvent int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM opinion_events").Scan(&nextEvent); err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(uint64(unitID), 17))
	span := int64(days) * 86400
	start := until.Unix() - span
	const batch = 20000
	events := 0
	for done := 0; done < n; done += batch {
		m := min(batch, n-done)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return events, err
		}
		item, err := tx.PrepareContext(ctx, `INSERT INTO opinion_items (id, unit_id, source_id, group_id, title, body, url, norm, published_at, fetched_at, text_key, simhash, negativity, copies)
			VALUES ($1,$2,$3,0,$4,'','',$4,$5,$5,$6,$7,$8,$9)`)
		if err != nil {
			tx.Rollback()
			return events, err
		}
		hit, _ := tx.PrepareContext(ctx, "INSERT INTO opinion_hits (scheme_id, item_id, unit_id, at) VALUES ($1,$2,$3,$4)")
		evItem, _ := tx.PrepareContext(ctx, "INSERT INTO opinion_event_items (event_id, item_id, at) VALUES ($1,$2,$3)")
		var curEvent int64
		var evFirst, evLast int64
		var evN int
		var evNeg float64
		flush := func() error {
			if curEvent == 0 {
				return nil
			}
			_, err := tx.ExecContext(ctx, `UPDATE opinion_events SET first_at = $1, last_at = $2, items = $3, neg_sum = $4, weight_sum = $3, negativity = $5,
				heat = $6, updated_at = $2 WHERE id = $7`, evFirst, evLast, evN, evNeg, evNeg/float64(evN), float64(rng.IntN(1000))/10, curEvent)
			if err == nil {
				_, err = tx.ExecContext(ctx, `INSERT INTO opinion_event_hours (event_id, hour, n) SELECT $1, at / 3600, COUNT(*) FROM opinion_event_items WHERE event_id = $1 GROUP BY at / 3600`, curEvent)
			}
			curEvent, evN, evNeg = 0, 0, 0
			events++
			return err
		}
		for i := 0; i < m; i++ {
			k := done + i
			next++
			at := start + int64(k)*span/int64(n)
			neg := rng.Float64()*2 - 1
			if _, err := item.ExecContext(ctx, next, unitID, f.SourceIDs[k%len(f.SourceIDs)], fmt.Sprintf("生成信息 %d 化工园区", k), at,
				fmt.Sprintf("bulk-%d", next), int64(rng.Uint64()>>1), neg, k%3); err != nil {
				tx.Rollback()
				return events, fmt.Errorf("insert item: %w", err)
			}
			if k%3 != 0 {
				continue
			}
			if _, err := hit.ExecContext(ctx, f.SchemeID, next, unitID, at); err != nil {
				tx.Rollback()
				return events, err
			}
			if curEvent == 0 {
				nextEvent++
				curEvent, evFirst = nextEvent, at
				if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_events (id, unit_id, scheme_id, title, rep_item_id, first_at, last_at, items, sources, created_at, updated_at)
					VALUES ($1,$2,$3,$4,$5,$6,$6,0,2,$6,$6)`, curEvent, unitID, f.SchemeID, fmt.Sprintf("化工园区事件 %d", curEvent), next, at); err != nil {
					tx.Rollback()
					return events, fmt.Errorf("insert event: %w", err)
				}
			}
			evLast = at
			evN++
			evNeg += neg
			if _, err := evItem.ExecContext(ctx, curEvent, next, at); err != nil {
				tx.Rollback()
				return events, err
			}
			if evN == 200 {
				if err := flush(); err != nil {
					tx.Rollback()
					return events, err
				}
			}
		}
		if err := flush(); err != nil {
			tx.Rollback()
			return events, err
		}
		if err := tx.Commit(); err != nil {
			return events, err
		}
	}
	if err := fixSequences(ctx, st); err != nil {
		return events, err
	}
	// Written past the intake transaction: the day counts are rebuilt.
	return events, st.RecountOpinionDays(ctx, unitID)
}

// fixSequences moves PostgreSQL's identity sequences past the ids written
// by hand.
func fixSequences(ctx context.Context, st *store.Store) error {
	if st.Dialect() != store.Postgres {
		return nil
	}
	for _, t := range []string{"opinion_items", "opinion_events"} {
		var q sql.NullInt64
		if err := st.DB().QueryRowContext(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), (SELECT MAX(id) FROM "+t+"))").Scan(&q); err != nil {
			return fmt.Errorf("sequence of %s: %w", t, err)
		}
	}
	return nil
}
