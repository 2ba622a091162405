package channel

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	txt := "User-agent: *\nDisallow: /private/\nAllow: /private/open$\n\nUser-agent: Googlebot\nDisallow: /\n"
	r := ParseRobots([]byte(txt), "zhendi")
	for path, want := range map[string]bool{"/": true, "/private/x": false, "/private/open": true, "/private/open/x": false, "/news/": true} {
		if got := r.Allowed(path); got != want {
			t.Errorf("%s: %v want %v", path, got, want)
		}
	}
	mine := ParseRobots([]byte("User-agent: *\nDisallow:\n\nUser-agent: zhendi\nDisallow: /*.pdf$\nDisallow: /tmp"), "zhendi-checker/1.0")
	if mine.Allowed("/a.pdf") || !mine.Allowed("/a.pdf?x") || mine.Allowed("/tmp/1") || !mine.Allowed("/news") {
		t.Error("zhendi's own group with wildcards")
	}
	if !(Robots{}).Allowed("/anything") {
		t.Error("no robots.txt allows all")
	}
}

func TestFeedDates(t *testing.T) {
	today := day("2024-03-28")
	rss := `<?xml version="1.0"?><rss><channel><pubDate>Thu, 28 Mar 2024 09:00:00 +0800</pubDate><item><title>a</title><pubDate>Tue, 12 Mar 2024 09:00:00 +0800</pubDate></item>
<item><pubDate>Wed, 20 Mar 2024 18:00:00 GMT</pubDate></item><item><pubDate>Mon, 01 Apr 2024 09:00:00 +0800</pubDate></item></channel></rss>`
	got, err := FeedDates([]byte(rss), today, 100)
	if err != nil || strings.Join(got, ",") != "2024-03-21,2024-03-12" {
		t.Fatalf("rss: %v %v (channel pubDate is not an item; 18:00 GMT is the 21st in China; April is future)", got, err)
	}
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><updated>2024-03-28T00:00:00Z</updated><entry><updated>2024-03-02T10:00:00+08:00</updated></entry></feed>`
	if got, _ := FeedDates([]byte(atom), today, 100); strings.Join(got, ",") != "2024-03-02" {
		t.Fatalf("atom: %v", got)
	}
	sm := `<urlset><url><loc>https://a/x</loc><lastmod>2024-03-05</lastmod></url><url><loc>https://a/y</loc><lastmod>2024-02-01T08:00:00+08:00</lastmod></url></urlset>`
	if got, _ := FeedDates([]byte(sm), today, 100); strings.Join(got, ",") != "2024-03-05,2024-02-01" {
		t.Fatalf("sitemap: %v", got)
	}
	gbk := append([]byte(`<?xml version="1.0" encoding="gbk"?><rss><channel><item><title>`), 0xd6, 0xd0, 0xce, 0xc4)
	gbk = append(gbk, []byte(`</title><pubDate>2024-03-01</pubDate></item></channel></rss>`)...)
	if got, err := FeedDates(gbk, today, 100); err != nil || len(got) != 1 {
		t.Fatalf("gbk feed: %v %v", got, err)
	}
	if _, err := FeedDates([]byte("not xml <<<"), today, 10); err == nil {
		t.Log("garbage read as empty feed")
	}
}

func TestPageLinksAndSentence(t *testing.T) {
	base, _ := url.Parse("https://a.gov.cn/news/")
	page := `<a href="1.html">第一条 <b>新闻</b></a><a href="https://b.com/x#top">外链</a><a href="mailto:x@y">mail</a><a href="/news/1.html">again</a>`
	ls := PageLinks([]byte(page), base, 10)
	if len(ls) != 2 || ls[0].URL != "https://a.gov.cn/news/1.html" || !ls[0].Same || ls[0].Text != "第一条 新闻" || ls[1].Same || ls[1].URL != "https://b.com/x" {
		t.Fatalf("links %+v", ls)
	}
	text := "第一句话。这里有一个错误表述的句子！最后一句"
	i := strings.Index(text, "错误")
	if s := Sentence(text, i, i+len("错误")); s != "这里有一个错误表述的句子！" {
		t.Fatalf("sentence %q", s)
	}
	i = strings.Index(text, "最后")
	if s := Sentence(text, i, i+3); s != "最后一句" {
		t.Fatalf("last sentence %q", s)
	}
	_ = time.Now
}
