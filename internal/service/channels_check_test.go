package service_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhendi/internal/channel"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// site is a local unit website: listings fresh and stale, a feed, a
// sitemap, a redirect, a robots.txt that keeps zhendi out of /secret/, a
// huge page, a slow page, dead links and an article with a wording error.
type site struct {
	*httptest.Server
	mu        sync.Mutex
	staleDate string
	slow      atomic.Bool
	hits      atomic.Int64
	agents    sync.Map
}

func newSite(t *testing.T) *site {
	s := &site{staleDate: "2023-06-05"}
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /secret/\n")
	})
	mux.HandleFunc("/fresh/", page(`<html><body><ul class="list">
<li><a href="/fresh/a.html">推进重点工作</a><span>2023-07-03</span></li>
<li><a href="/missing.html">旧通知</a><span>2023-06-20</span></li>
<li><a href="http://127.0.0.1:1/gone">外部链接</a></li>
</ul></body></html>`))
	mux.HandleFunc("/fresh/a.html", page(`<html><body><p>本局召开会议。会议要求深入推进一带一路战略的落实工作。其他内容正常。</p></body></html>`))
	mux.HandleFunc("/stale/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		d := s.staleDate
		s.mu.Unlock()
		fmt.Fprintf(w, `<ul><li>工作动态 %s</li></ul>`, d)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss><channel><item><pubDate>Mon, 03 Jul 2023 10:00:00 +0800</pubDate></item><item><pubDate>Thu, 29 Jun 2023 10:00:00 +0800</pubDate></item></channel></rss>`)
	})
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<urlset><url><loc>/a</loc><lastmod>2023-06-30</lastmod></url></urlset>`)
	})
	mux.HandleFunc("/home/", page(`<p>首页</p>`))
	mux.HandleFunc("/old-path/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/fresh/", http.StatusFound) })
	mux.HandleFunc("/secret/", page(`<p>2023-07-04</p>`))
	mux.HandleFunc("/huge/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<p>2023-07-01</p>")
		w.Write([]byte(strings.Repeat("<p>填充内容</p>", 5<<20/20)))
	})
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		s.slow.Store(true)
		fmt.Fprint(w, "<p>2023-07-04</p>")
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.agents.Store(r.UserAgent(), true)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// slowClock is the fetcher's clock: it jumps 16 s across a request the
// slow page served, so "took 15 s or more" is tested without waiting.
func (s *site) slowClock() func() time.Time {
	var mu sync.Mutex
	var offset time.Duration
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		if s.slow.Swap(false) {
			offset += 16 * time.Second
		}
		return time.Now().Add(offset)
	}
}

func TestChannelChecksAgainstLocalSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		web := newSite(t)
		fe := service.NewFetcher()
		fe.Gap, fe.PerHost, fe.Now = 0, 1, web.slowClock()
		f.svc.SetFetcher(fe)
		add := func(name string, kind channel.Kind, class channel.Class, path string, m channel.Method, feed string) channel.Channel {
			t.Helper()
			c := channel.Channel{UnitID: f.unitA.ID, Name: name, Kind: kind, Class: class, URL: web.URL + path, Method: m, ResponsibleID: f.clerkA.ID,
				FilingNo: "备2023-1", FilingDate: "2023-01-01"}
			if feed != "" {
				c.FeedURL = web.URL + feed
			}
			if path == "" {
				c.URL = "http://127.0.0.1:1/"
			}
			if err := f.svc.CreateChannel(ctx, f.actor(f.clerkA), f.scA, &c); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return c
		}
		fresh := add("工作动态", channel.Column, channel.ClassNews, "/fresh/", channel.MethodListing, "")
		stale := add("部门动态", channel.Column, channel.ClassNews, "/stale/", channel.MethodListing, "")
		feed := add("门户首页", channel.Portal, "", "/home/", channel.MethodFeed, "/feed.xml")
		smap := add("通知公告", channel.Column, channel.ClassNotice, "/home/", channel.MethodSitemap, "/sitemap.xml")
		moved := add("旧地址栏目", channel.Column, channel.ClassNews, "/old-path/", channel.MethodListing, "")
		secret := add("内部栏目", channel.Column, channel.ClassNews, "/secret/", channel.MethodListing, "")
		huge := add("大页面", channel.Column, channel.ClassNews, "/huge/", channel.MethodListing, "")
		slow := add("慢栏目", channel.Column, channel.ClassNews, "/slow/", channel.MethodListing, "")
		down := add("已停服网站", channel.Portal, "", "", channel.MethodListing, "")
		manual := channel.Channel{UnitID: f.unitA.ID, Name: "某局发布", Kind: channel.WechatMP, ResponsibleID: f.clerkA.ID, FilingNo: "备1", FilingDate: "2023-01-01"}
		if err := f.svc.CreateChannel(ctx, f.actor(f.clerkA), f.scA, &manual); err != nil {
			t.Fatal(err)
		}

		res, err := f.svc.RunChannelChecks(ctx, 0, service.CheckOptions{Hosts: 1})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]service.Checked{}
		for _, r := range res {
			got[r.Channel.ID] = r
		}
		if len(got) != 9 {
			t.Fatalf("checked %d channels, want the 9 automatic ones (not the 公众号)", len(got))
		}
		kinds := func(c channel.Channel) string {
			var ks []string
			for _, x := range got[c.ID].Result.Findings {
				ks = append(ks, string(x.Kind))
			}
			return strings.Join(ks, ",")
		}
		if r := got[fresh.ID]; !r.Result.OK || r.Channel.LastUpdate != "2023-07-03" || r.Fresh.Light != channel.Green || r.Fresh.Days != 2 {
			t.Errorf("fresh listing: %+v %+v", r.Result, r.Fresh)
		}
		var wording, dead []channel.Finding
		for _, x := range got[fresh.ID].Result.Findings {
			switch x.Kind {
			case channel.FWording:
				wording = append(wording, x)
			case channel.FDeadLink:
				dead = append(dead, x)
			}
		}
		if len(wording) != 1 || !wording[0].Serious || !strings.HasSuffix(wording[0].PageURL, "/fresh/a.html") || wording[0].Sentence != "会议要求深入推进一带一路战略的落实工作。" ||
			!strings.Contains(wording[0].Detail, "一带一路”倡议") {
			t.Errorf("wording finding must point at the article and quote its sentence: %+v", wording)
		}
		if len(dead) != 2 || !strings.Contains(dead[0].Detail+dead[1].Detail, "HTTP 404") || !strings.Contains(dead[0].Detail+dead[1].Detail, "外部链接无法打开") {
			t.Errorf("dead links (same host 404 and outbound refused): %+v", dead)
		}
		if r := got[stale.ID]; r.Fresh.Light != channel.Red || r.Fresh.Days != 30 || kinds(stale) != "stale" {
			t.Errorf("stale listing: %+v findings %s", r.Fresh, kinds(stale))
		}
		if r := got[feed.ID]; r.Channel.LastUpdate != "2023-07-03" || r.Result.Newest() != "2023-07-03" {
			t.Errorf("feed: %+v", r.Result)
		}
		if r := got[smap.ID]; r.Channel.LastUpdate != "2023-06-30" || r.Fresh.Stale {
			t.Errorf("sitemap: %+v %+v", r.Result, r.Fresh)
		}
		if r := got[moved.ID]; !r.Result.OK || r.Channel.LastUpdate != "2023-07-03" {
			t.Errorf("redirected listing: %+v", r.Result)
		}
		if r := got[secret.ID]; r.Result.OK || !strings.Contains(r.Result.Error, "robots.txt") {
			t.Errorf("robots.txt disallow must be obeyed: %+v", r.Result)
		}
		if r := got[huge.ID]; !r.Result.OK || r.Channel.LastUpdate != "2023-07-01" || !strings.Contains(r.Result.Error, "只读取了前面部分") {
			t.Errorf("huge page: %+v", r.Result)
		}
		if r := got[slow.ID]; r.Result.Millis < channel.SlowMillis || kinds(slow) != "slow" {
			t.Errorf("slow page: %d ms, findings %s", r.Result.Millis, kinds(slow))
		}
		if r := got[down.ID]; r.Result.OK || kinds(down) != "unreachable" {
			t.Errorf("unreachable host: %+v", r.Result)
		}
		if _, ok := web.agents.Load(service.UserAgent); !ok {
			t.Error("requests must name zhendi in the User-Agent")
		}
		// Rectification items: the stale column and the wording error at
		// once; transient kinds (slow, unreachable, dead links) only when a
		// later check confirms them.
		if n := f.count(t, "SELECT COUNT(*) FROM rectifications WHERE unit_id = $1 AND source_ref LIKE 'channel-finding:%'", f.unitA.ID); n != 3 {
			t.Errorf("%d rectification items, want 3 (stale column, the wording error reached from two columns)", n)
		}

		// The round is idempotent: the same time claims nothing again.
		hits := web.hits.Load()
		again, err := f.svc.RunChannelChecks(ctx, 0, service.CheckOptions{})
		if err != nil || len(again) != 0 || web.hits.Load() != hits {
			t.Fatalf("second round at the same time checked %d channels (%v)", len(again), err)
		}
		// Two hours later the transient findings are confirmed.
		later := fixedNow().Add(2 * time.Hour)
		f.svc.SetClock(func() time.Time { return later })
		if _, err := f.svc.RunChannelChecks(ctx, 0, service.CheckOptions{}); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM rectifications WHERE unit_id = $1 AND source_ref LIKE 'channel-finding:%'", f.unitA.ID); n != 9 {
			t.Errorf("%d rectification items after the confirming round, want 9 (+ unreachable, slow, 2 dead links on each of two columns)", n)
		}

		// Closing the stale column's item triggers a re-check: still stale
		// opens a new item, fixed closes the finding; both are written on
		// the item.
		staleFinding := func() channel.Finding {
			fs, err := s.Findings(ctx, f.scA, store.FindingFilter{ChannelID: stale.ID})
			if err != nil || len(fs) == 0 {
				t.Fatalf("findings: %v", err)
			}
			return fs[0]
		}
		sf := staleFinding()
		closeRect := func(id int64) {
			if _, err := s.DB().Exec("UPDATE rectifications SET status = 'closed', updated_at = updated_at + 60 WHERE id = $1", id); err != nil {
				t.Fatal(err)
			}
		}
		closeRect(sf.RectID)
		if err := f.svc.RecheckClosed(ctx, 10); err != nil {
			t.Fatal(err)
		}
		sf2 := staleFinding()
		if sf2.Status != "open" || sf2.RectID == sf.RectID || !strings.Contains(sf2.Recheck, "复查未通过") {
			t.Fatalf("failed re-check: %+v", sf2)
		}
		var progress string
		s.DB().QueryRow("SELECT progress FROM rectifications WHERE id = $1", sf.RectID).Scan(&progress)
		if !strings.Contains(progress, "复查未通过") {
			t.Fatalf("re-check result not on the item: %q", progress)
		}
		web.mu.Lock()
		web.staleDate = "2023-07-05"
		web.mu.Unlock()
		closeRect(sf2.RectID)
		if err := f.svc.RecheckClosed(ctx, 10); err != nil {
			t.Fatal(err)
		}
		s.DB().QueryRow("SELECT progress FROM rectifications WHERE id = $1", sf2.RectID).Scan(&progress)
		if sf3 := staleFinding(); !strings.Contains(progress, "复查通过") {
			t.Fatalf("passed re-check: %+v, item progress %q", sf3, progress)
		}
		open, _ := s.Findings(ctx, f.scA, store.FindingFilter{ChannelID: stale.ID, OpenOnly: true})
		if len(open) != 0 {
			t.Fatalf("fixed finding still open: %+v", open)
		}
		// Another unit sees none of it.
		if fs, _ := s.Findings(ctx, f.scB, store.FindingFilter{}); len(fs) != 0 {
			t.Fatalf("unit B sees %d findings of unit A", len(fs))
		}
		if _, err := s.Channel(ctx, f.scB, fresh.ID); err != store.ErrNotFound {
			t.Fatalf("unit B reads unit A's channel: %v", err)
		}
	})
}
