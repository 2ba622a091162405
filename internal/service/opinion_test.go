package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/feed"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

type opFixture struct {
	st   *store.Store
	svc  *service.Service
	unit int64
	sc   access.Scope
}

func newOpFixture(t testing.TB, st *store.Store) opFixture {
	ctx := context.Background()
	unit := org.Node{Kind: org.Unit, Name: "测试局"}
	if err := st.CreateNode(ctx, store.System, &unit); err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Config{}, nil)
	return opFixture{st: st, svc: svc, unit: unit.ID, sc: access.Scope{ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}}
}

func rss(items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>源</title>`)
	for i, it := range items {
		fmt.Fprintf(&b, `<item><guid>%d</guid><title>%s</title><description>%s的详细报道。</description><pubDate>Mon, 03 Jul 2023 0%d:00:00 +0800</pubDate></item>`, i, it, it, i%10)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// TestFetchRound: every kind of feed in one round; a broken, slow or
// oversized feed is recorded on its own source and stalls nobody.
func TestFetchRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newOpFixture(t, st)
		var rssGets, notModified atomic.Int32
		gbk, _ := simplifiedchinese.GBK.NewEncoder().String(`<?xml version="1.0" encoding="GBK"?><rss version="2.0"><channel><title>县新闻</title><item><guid>g1</guid><title>暴雨预警发布</title><description>县气象台发布暴雨预警。</description></item></channel></rss>`)
		release := make(chan struct{})
		mux := http.NewServeMux()
		mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
			rssGets.Add(1)
			if r.Header.Get("If-None-Match") == `"v1"` {
				notModified.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Write([]byte(rss("化工园区起火", "化工园区起火", "春耕培训开始")))
		})
		mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>门户</title><entry><id>e1</id><title>停水通知</title><updated>2023-07-04T08:00:00Z</updated><summary>周三停水。</summary></entry></feed>`))
		})
		mux.HandleFunc("/gbk", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(gbk)) })
		mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`<rss><channel><item><title>断`)) })
		mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(bytes.Repeat([]byte("x"), 300<<10)) })
		srv := httptest.NewServer(mux)
		defer srv.Close()
		defer close(release)
		f.svc.SetFeedFetcher(&feed.Fetcher{Limits: feed.Limits{Timeout: 1500 * time.Millisecond, MaxBytes: 200 << 10}})
		ids := map[string]int64{}
		for _, p := range []string{"rss", "atom", "gbk", "broken", "slow", "big"} {
			o := &store.OpinionSource{UnitID: f.unit, Kind: store.SourceFeed, Name: p, URL: srv.URL + "/" + p, IntervalSec: 600, Weight: 1, Enabled: true}
			if _, err := f.svc.SaveOpinionSource(ctx, store.System, f.sc, o, false); err != nil {
				t.Fatal(err)
			}
			ids[p] = o.ID
		}
		start := time.Now()
		rep, err := f.svc.FetchUnit(ctx, f.sc, f.unit)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("round took %v", d)
		}
		if rep.Feeds != 6 || rep.Failed != 3 || rep.Stored != 4 || rep.Exact != 1 {
			t.Errorf("round: %+v (want 6 feeds, 3 failed, 4 stored, 1 exact copy folded)", rep)
		}
		health := map[string]store.OpinionSource{}
		srcs, _ := f.st.OpinionSources(ctx, f.sc, f.unit)
		for _, s := range srcs {
			health[s.Name] = s
		}
		for _, p := range []string{"rss", "atom", "gbk"} {
			if h := health[p]; h.LastSuccessAt == 0 || h.LastError != "" {
				t.Errorf("%s health: %+v", p, h)
			}
		}
		for p, want := range map[string]string{"broken": "XML 格式错误", "slow": "超时", "big": "超过大小上限"} {
			if h := health[p]; !strings.Contains(h.LastError, want) || h.LastSuccessAt != 0 {
				t.Errorf("%s health: last error %q, want %q", p, h.LastError, want)
			}
		}
		items, _, _ := f.st.OpinionItems(ctx, f.sc, store.ItemFilter{UnitID: f.unit, Query: "暴雨预警"})
		if len(items) != 1 || items[0].Title != "暴雨预警发布" {
			t.Errorf("GBK feed item: %+v", items)
		}
		// The next round: 304 for the RSS feed, nothing stored twice.
		rep, err = f.svc.FetchUnit(ctx, f.sc, f.unit)
		if err != nil {
			t.Fatal(err)
		}
		if notModified.Load() != 1 || rep.Stored != 0 {
			t.Errorf("second round: %+v, 304s %d", rep, notModified.Load())
		}
		// The background round: nothing is due within the interval.
		if err := f.svc.FetchRound(ctx); err != nil {
			t.Fatal(err)
		}
		if rssGets.Load() != 2 {
			t.Errorf("feed fetched %d times, want 2 (not due)", rssGets.Load())
		}
	})
}

// TestImportOpinion: row errors fail the whole file; a good file is
// stored once however often it is imported; another unit cannot import.
func TestImportOpinion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newOpFixture(t, st)
		bad := `{"id":"1","title":"好的","text":"正文"}
{"id":"2","title":"","text":""}
{"id":"3","text":"正文","published":"不是日期"}
`
		_, err := f.svc.ImportOpinion(ctx, store.System, f.sc, f.unit, "bad.jsonl", strings.NewReader(bad))
		var errs apperr.Errors
		if !errors.As(err, &errs) || len(errs) != 2 || !strings.Contains(apperr.Message(err), "第 2 行") || !strings.Contains(apperr.Message(err), "第 3 行") {
			t.Fatalf("row errors: %v", err)
		}
		if _, err := f.svc.ImportOpinion(ctx, store.System, f.sc, f.unit, "x.xlsx", strings.NewReader("")); !apperr.IsUser(err) {
			t.Errorf("xlsx: %v", err)
		}
		csv := "编号,标题,正文,发布时间\n1,化工园区起火,化工园区今晨起火,2023-07-01 08:00\n2,化工园区起火,化工园区今晨起火！,2023-07-01 09:00\n3,春耕,春耕培训,2023-07-02\n"
		res, err := f.svc.ImportOpinion(ctx, store.System, f.sc, f.unit, "a.csv", strings.NewReader(csv))
		if err != nil || res.Read != 3 || res.Stored != 2 || res.Exact != 1 {
			t.Fatalf("csv import: %+v %v", res, err)
		}
		res, err = f.svc.ImportOpinion(ctx, store.System, f.sc, f.unit, "a.csv", strings.NewReader(csv))
		if err != nil || res.Stored != 0 || res.Seen != 3 {
			t.Errorf("second import: %+v %v", res, err)
		}
		other := access.Scope{ReadUnits: []int64{f.unit}}
		if _, err := f.svc.ImportOpinion(ctx, store.System, other, f.unit, "a.csv", strings.NewReader(csv)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("read-only scope: %v", err)
		}
	})
}
