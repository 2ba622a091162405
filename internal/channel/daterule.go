package channel

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/cntime"
)

// DateRule says how to read publication dates from a column's listing page.
// It is written one directive a line, so a clerk can adjust it beside a
// preview of what it finds:
//
//	start: <ul class="list">     only look after the first occurrence of this text
//	end: </ul>                   … and before the next occurrence of this one
//	pattern: (?P<y>\d{4})年(?P<m>\d+)月(?P<d>\d+)日   the date, as a regular expression
//
// Every directive is optional. The pattern names its parts y, m, d (or uses
// three unnamed groups in that order); without y the year is the latest one
// that does not put the date in the future. The page's tags are removed
// before the pattern runs, so "<span>2024-03-12</span>" is found, while
// dates inside links' addresses are not.
type DateRule struct {
	Start, End string
	Pattern    *regexp.Regexp
	yi, mi, di int // group indexes; yi 0 = no year
}

// DefaultDatePattern finds 2024-03-12, 2024/3/12, 2024.03.12 and
// 2024年3月12日.
const DefaultDatePattern = `(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`

// MaxRuleLen bounds a rule's text.
const MaxRuleLen = 2000

// ParseDateRule reads a rule; "" is the default. Errors are in Chinese (the
// form shows them beside the field).
func ParseDateRule(src string) (DateRule, error) {
	var r DateRule
	pat := DefaultDatePattern
	if len(src) > MaxRuleLen {
		return r, errors.New("规则过长")
	}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			key, val, ok = strings.Cut(line, "：")
		}
		if !ok {
			return r, fmt.Errorf("第 %d 行应以 start、end 或 pattern 开头，后跟冒号", n+1)
		}
		val = strings.TrimSpace(val)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "start":
			r.Start = val
		case "end":
			r.End = val
		case "pattern":
			pat = val
		default:
			return r, fmt.Errorf("第 %d 行：未知指令“%s”", n+1, strings.TrimSpace(key))
		}
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return r, errors.New("日期格式不是有效的正则表达式")
	}
	r.Pattern = re
	names := re.SubexpNames()
	for i, nm := range names {
		switch nm {
		case "y":
			r.yi = i
		case "m":
			r.mi = i
		case "d":
			r.di = i
		}
	}
	if r.mi == 0 && r.di == 0 {
		switch re.NumSubexp() {
		case 3:
			r.yi, r.mi, r.di = 1, 2, 3
		case 2:
			r.mi, r.di = 1, 2
		default:
			return r, errors.New("日期格式须含年、月、日三组（或月、日两组）括号")
		}
	}
	if r.mi == 0 || r.di == 0 {
		return r, errors.New("日期格式须含名为 m 和 d 的组")
	}
	return r, nil
}

// Listing is what a rule found on a page.
type Listing struct {
	// Dates are the publication dates found, newest first, one per item
	// (repeats kept: two items on one day are two items).
	Dates []string
	// Ignored counts dates dropped as impossible or in the future.
	Ignored int
}

// Newest is the latest date found ("" when none).
func (l Listing) Newest() string {
	if len(l.Dates) == 0 {
		return ""
	}
	return l.Dates[0]
}

// MaxDates bounds how many dates a page yields (a listing shows tens).
const MaxDates = 500

// Extract reads the publication dates from a listing page as of today
// (dates after today are dropped: a page also shows event dates and
// copyright years; before 1990 too).
func (r DateRule) Extract(page string, today time.Time) Listing {
	var l Listing
	if r.Pattern == nil {
		return l
	}
	body := page
	if r.Start != "" {
		i := strings.Index(body, r.Start)
		if i < 0 {
			return l
		}
		body = body[i+len(r.Start):]
	}
	if r.End != "" {
		if i := strings.Index(body, r.End); i >= 0 {
			body = body[:i]
		}
	}
	text := StripTags(body)
	y0, m0, d0 := today.In(cntime.Zone).Date()
	limit := time.Date(y0, m0, d0, 0, 0, 0, 0, cntime.Zone)
	for _, m := range r.Pattern.FindAllStringSubmatch(text, MaxDates) {
		num := func(i int) int {
			if i <= 0 || i >= len(m) {
				return -1
			}
			n, err := strconv.Atoi(strings.TrimSpace(m[i]))
			if err != nil {
				return -1
			}
			return n
		}
		y, mo, d := num(r.yi), num(r.mi), num(r.di)
		if r.yi == 0 {
			y = y0
			if mo > 0 && (mo > int(m0) || mo == int(m0) && d > d0) {
				y--
			}
		}
		if y < 1990 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			l.Ignored++
			continue
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, cntime.Zone)
		if t.Day() != d || t.After(limit) {
			l.Ignored++
			continue
		}
		l.Dates = append(l.Dates, cntime.Date(t))
	}
	slices.SortStableFunc(l.Dates, func(a, b string) int { return strings.Compare(b, a) })
	return l
}

// StripTags turns HTML into its text: script and style dropped, tags
// replaced by spaces, common entities decoded. It is for reading dates and
// sentences, not for display.
func StripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		low := strings.ToLower(s[:min(len(s), 8)])
		for _, tag := range []string{"<script", "<style"} {
			if strings.HasPrefix(low, tag) {
				end := strings.Index(strings.ToLower(s), "</"+tag[1:])
				if end < 0 {
					s = ""
				} else {
					s = s[end+len(tag)+1:]
				}
				break
			}
		}
		if s == "" {
			break
		}
		j := strings.IndexByte(s, '>')
		if j < 0 {
			break
		}
		b.WriteByte(' ')
		s = s[j+1:]
	}
	return entities.Replace(b.String())
}

var entities = strings.NewReplacer("&nbsp;", " ", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&ensp;", " ", "&emsp;", " ")
