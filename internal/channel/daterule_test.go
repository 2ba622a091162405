package channel

import (
	"strings"
	"testing"
	"unicode/utf8"
	"zhendi/internal/cntime"
)

func TestExtractDates(t *testing.T) {
	today := day("2024-03-28")
	page := `<html><head><script>var d="2099-01-01";</script></head><body>
<div class="nav">2024-03-27 今日头条</div>
<ul class="list">
<li><a href="/2024/03/29/a.html">关于开展安全检查的通知</a><span>2024-03-12</span></li>
<li><a href="/b.html">工作动态</a><span>2024年2月3日</span></li>
<li><a href="/c.html">会议</a><span>2024/1/5</span></li>
<li><a href="/d.html">未来</a><span>2024-04-01</span></li>
<li><a href="/e.html">坏日期</a><span>2024-02-30</span></li>
</ul><p>版权所有 2025</p></body></html>`
	r, err := ParseDateRule("start: <ul class=\"list\">\nend: </ul>")
	if err != nil {
		t.Fatal(err)
	}
	l := r.Extract(page, today)
	if got := strings.Join(l.Dates, ","); got != "2024-03-12,2024-02-03,2024-01-05" {
		t.Fatalf("dates %q", got)
	}
	if l.Ignored != 2 {
		t.Fatalf("ignored %d, want 2 (future and 2月30日)", l.Ignored)
	}
	def, _ := ParseDateRule("")
	if n := def.Extract(page, today).Newest(); n != "2024-03-27" {
		t.Fatalf("default rule newest %q (script dates and link addresses must not count)", n)
	}
	md, err := ParseDateRule(`pattern: \[(?P<m>\d\d)-(?P<d>\d\d)\]`)
	if err != nil {
		t.Fatal(err)
	}
	got := md.Extract("<li>a [03-20]</li><li>b [12-30]</li>", today).Dates
	if strings.Join(got, ",") != "2024-03-20,2023-12-30" {
		t.Fatalf("month-day dates %v: a month after today belongs to last year", got)
	}
	if l := r.Extract("<p>no list here 2024-03-01</p>", today); len(l.Dates) != 0 {
		t.Fatalf("missing start marker must find nothing: %v", l.Dates)
	}
}

func TestParseDateRuleErrors(t *testing.T) {
	for _, src := range []string{"foo: bar", "pattern: (\\d+)", "pattern: [", "just text"} {
		if _, err := ParseDateRule(src); err == nil {
			t.Errorf("%q accepted", src)
		}
	}
	if _, err := ParseDateRule("pattern：(\\d{4})年(\\d+)月(\\d+)日\n# 注释"); err != nil {
		t.Errorf("full-width colon and comment: %v", err)
	}
}

func FuzzExtractDates(f *testing.F) {
	f.Add("<ul><li>2024-03-12</li></ul>", "start: <ul>\nend: </ul>")
	f.Add("<li>2024年3月1日</li><script>2024-03-01", "")
	f.Add("[03-20]<b", `pattern: \[(?P<m>\d\d)-(?P<d>\d\d)\]`)
	f.Add("<style>x</style>2023.12.31<", "pattern: (\\d{4})\\.(\\d+)\\.(\\d+)")
	today := day("2024-03-28")
	f.Fuzz(func(t *testing.T, page, rule string) {
		r, err := ParseDateRule(rule)
		if err != nil {
			return
		}
		l := r.Extract(page, today)
		for i, d := range l.Dates {
			if _, err := ParseDateRuleDate(d); err != nil {
				t.Fatalf("bad date %q", d)
			}
			if d > "2024-03-28" || d < "1990-01-01" {
				t.Fatalf("date %q out of range", d)
			}
			if i > 0 && d > l.Dates[i-1] {
				t.Fatalf("not newest first: %v", l.Dates)
			}
		}
		if len(l.Dates) > MaxDates {
			t.Fatalf("%d dates", len(l.Dates))
		}
		if utf8.ValidString(page) && !utf8.ValidString(StripTags(page)) {
			t.Fatalf("StripTags broke UTF-8")
		}
	})
}

func ParseDateRuleDate(s string) (any, error) { return cntime.ParseDate(s) }
