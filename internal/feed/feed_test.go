package feed

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var cst = time.FixedZone("CST", 8*3600)

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		file  string
		title string
		items []Item
	}{
		{"rss2.xml", "示范区融媒体中心", []Item{
			{ID: "news-1", Title: "化工园区开展安全生产检查", Text: "本周，区应急管理局对\n化工园区\n开展检查。", URL: "http://example.cn/a/1.html",
				Published: time.Date(2023, 12, 5, 9, 30, 0, 0, cst)},
			{ID: "http://example.cn/a/2.html", Title: "第二条 & 说明", Text: "全文内容", URL: "http://example.cn/a/2.html",
				Published: time.Date(2023, 12, 6, 10, 0, 0, 0, cst)},
		}},
		{"atom.xml", "区政府门户", []Item{
			{ID: "tag:example.cn,2023:1", Title: "关于供水调整的通知", Text: "停水时间为周三上午。", URL: "http://example.cn/n/1",
				Published: time.Date(2023, 12, 5, 7, 0, 0, 0, cst)},
			{ID: "http://example.cn/n/2", Title: "只有链接", Text: "A & B", URL: "http://example.cn/n/2",
				Published: time.Date(2023, 12, 6, 8, 0, 0, 0, time.UTC)},
		}},
		{"rss1.xml", "RDF 源", []Item{
			{ID: "http://example.cn/r/1", Title: "RDF 条目", Text: "内容", URL: "http://example.cn/r/1", Published: time.Date(2023, 12, 1, 10, 0, 0, 0, cst)},
		}},
		{"rss091.xml", "Old", []Item{
			{ID: "http://example.com/1", Title: "Café news", Text: "déjà", URL: "http://example.com/1"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := Parse(bytes.NewReader(mustRead(t, tc.file)), "", cst)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tc.title {
				t.Errorf("title %q, want %q", f.Title, tc.title)
			}
			if len(f.Items) != len(tc.items) {
				t.Fatalf("%d items, want %d: %+v", len(f.Items), len(tc.items), f.Items)
			}
			for i, want := range tc.items {
				got := f.Items[i]
				if !got.Published.Equal(want.Published) {
					t.Errorf("item %d published %v, want %v", i, got.Published, want.Published)
				}
				got.Published, want.Published = time.Time{}, time.Time{}
				// HTML block elements become line breaks; compare the words.
				got.Text = strings.ReplaceAll(got.Text, "\n", "")
				want.Text = strings.ReplaceAll(want.Text, "\n", "")
				if got != want {
					t.Errorf("item %d\n got %+v\nwant %+v", i, got, want)
				}
			}
			for _, it := range f.Items {
				if strings.Contains(it.Text, "alert") || strings.Contains(it.Text, "记者") || strings.Contains(it.Text, "不保存") {
					t.Errorf("script text or author kept: %q", it.Text)
				}
			}
		})
	}
}

func gbk(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseGBK(t *testing.T) {
	declared := gbk(t, `<?xml version="1.0" encoding="GBK"?><rss version="2.0"><channel><title>区新闻网</title><item><title>暴雨预警</title><link>http://x/1</link></item></channel></rss>`)
	f, err := Parse(bytes.NewReader(declared), "", nil)
	if err != nil || f.Items[0].Title != "暴雨预警" || f.Title != "区新闻网" {
		t.Fatalf("declared GBK: %v %+v", err, f)
	}
	// GB18030 named only in the HTTP header.
	b, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(`<rss version="2.0"><channel><title>标题</title><item><title>供电检修</title></item></channel></rss>`))
	f, err = Parse(bytes.NewReader(b), "gb18030", nil)
	if err != nil || f.Items[0].Title != "供电检修" {
		t.Fatalf("header GB18030: %v %+v", err, f)
	}
}

func TestParseBroken(t *testing.T) {
	for _, doc := range []string{
		`<rss><channel><item><title>未闭合</title></channel>`,
		`not xml at all`,
		``,
	} {
		if _, err := Parse(strings.NewReader(doc), "", nil); err == nil {
			t.Errorf("%q parsed without error", doc)
		}
	}
	if _, err := Parse(strings.NewReader(`<html><body>x</body></html>`), "", nil); !errors.Is(err, ErrNotFeed) {
		t.Errorf("HTML page: %v, want ErrNotFeed", err)
	}
}

func TestFetchConditional(t *testing.T) {
	body := mustRead(t, "rss2.xml")
	var gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Tue, 05 Dec 2023 01:30:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 05 Dec 2023 01:30:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(body)
	}))
	defer srv.Close()
	f := &Fetcher{Location: cst}
	r, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil || r.NotModified || len(r.Feed.Items) != 2 {
		t.Fatalf("first fetch: %v %+v", err, r)
	}
	r2, err := f.Fetch(context.Background(), srv.URL, r.Validators)
	if err != nil || !r2.NotModified || r2.Feed != nil || r2.Validators != r.Validators {
		t.Fatalf("second fetch should be 304 with the same validators: %v %+v", err, r2)
	}
}

func TestFetchLimits(t *testing.T) {
	big := append([]byte(`<rss><channel><title>x</title><item><title>`), bytes.Repeat([]byte("长"), 400_000)...)
	big = append(big, []byte(`</title></item></channel></rss>`)...)
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(big) })
	mux.HandleFunc("/bigchunked", func(w http.ResponseWriter, r *http.Request) {
		// No Content-Length: the cap must hold while reading.
		for i := 0; i < len(big); i += 4096 {
			w.Write(big[i:min(len(big), i+4096)])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { w.Write(mustRead(t, "atom.xml")) })
	mux.HandleFunc("/404", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := &Fetcher{Limits: Limits{Timeout: 300 * time.Millisecond, MaxBytes: 1 << 20, MaxRedirects: 2}}
	ctx := context.Background()
	start := time.Now()
	if _, err := f.Fetch(ctx, srv.URL+"/slow", Validators{}); err == nil {
		t.Error("slow feed: no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("slow feed took %v, timeout not applied", d)
	}
	for _, p := range []string{"/big", "/bigchunked"} {
		if _, err := f.Fetch(ctx, srv.URL+p, Validators{}); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v, want ErrTooLarge", p, err)
		}
	}
	if _, err := f.Fetch(ctx, srv.URL+"/loop", Validators{}); err == nil || !strings.Contains(err.Error(), "重定向") {
		t.Errorf("redirect loop: %v", err)
	}
	if r, err := f.Fetch(ctx, srv.URL+"/moved", Validators{}); err != nil || len(r.Feed.Items) != 2 {
		t.Errorf("one redirect: %v", err)
	}
	if _, err := f.Fetch(ctx, srv.URL+"/404", Validators{}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"rss2.xml", "atom.xml", "rss1.xml", "rss091.xml"} {
		b, _ := os.ReadFile("testdata/" + n)
		f.Add(b, "")
	}
	f.Add([]byte(`<rss><channel><item><title>&lt;b&gt;</title></item></channel></rss>`), "gbk")
	f.Add([]byte(`<feed><entry><content type="html">&lt;p&gt;x</content></entry></feed>`), "")
	f.Fuzz(func(t *testing.T, data []byte, cs string) {
		feed, err := Parse(bytes.NewReader(data), cs, nil)
		if err != nil {
			return
		}
		if len(feed.Items) > MaxItems {
			t.Fatalf("%d items", len(feed.Items))
		}
	})
}
