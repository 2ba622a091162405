package ledgerxlsx

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// Reading single cells leniently: dates and numbers as people type them
// in Excel and WPS, lists of names with notes in parentheses.

var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s].*)?$`)

// parseDate accepts 2023-06-30, 2023/6/30, 2023.6.30, 2023年6月30日,
// 20230630 and Excel date serials (real date cells, read raw), and returns
// YYYY-MM-DD. Impossible dates such as 2023-13-45 are refused, not rolled
// over into the next year.
func parseDate(s string, date1904 bool) (string, bool) {
	s = toHalfWidth(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if len(s) == 8 && !strings.Contains(s, ".") {
			return checkDate(s[:4], s[4:6], s[6:])
		}
		// Serials below 10000 (1927) are not dates anyone records here;
		// refusing them keeps "2023.06" from becoming a day in 1905.
		if n >= 10000 && n < 2958466 {
			t, err := excelize.ExcelDateToTime(n, date1904)
			if err != nil {
				return "", false
			}
			return t.Format(cntime.DateLayout), true
		}
		return "", false
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return checkDate(m[1], m[2], m[3])
}

func checkDate(ys, ms, ds string) (string, bool) {
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format(cntime.DateLayout), true
}

// parseNumber reads a whole number written leniently: full-width digits,
// a trailing unit (分钟, 人 ...), thousands separators; durations may be
// given in hours ("1.5小时").
func parseNumber(s string, duration bool) (int, bool) {
	s = strings.ReplaceAll(toHalfWidth(s), ",", "")
	scale := 1.0
	if duration {
		for _, suf := range []string{"小时", "h", "H"} {
			if strings.HasSuffix(s, suf) {
				s, scale = strings.TrimSuffix(s, suf), 60
				break
			}
		}
	}
	for _, suf := range []string{"分钟", "分", "min", "人次", "人", "名"} {
		s = strings.TrimSuffix(s, suf)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v > 1e9 {
		return 0, false
	}
	v *= scale
	if math.Abs(v-math.Round(v)) > 1e-6 {
		return 0, false
	}
	return int(math.Round(v)), true
}

// toHalfWidth converts full-width ASCII (digits, letters, punctuation) and
// the ideographic space to their half-width forms.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}

// trimCell trims spaces, including the ideographic and no-break spaces that
// text pasted from Word brings along.
func trimCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00a0'
	})
}

// splitItems splits a list of names on 、 ， , ; ； and white space, but
// not inside parentheses, so a reason such as (出差, 外地) stays whole.
func splitItems(s string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	flush := func() {
		if v := trimCell(cur.String()); v != "" {
			out = append(out, v)
		}
		cur.Reset()
	}
	for _, r := range s {
		switch r {
		case '(', '（':
			depth++
		case ')', '）':
			if depth > 0 {
				depth--
			}
		case '、', ',', '，', ';', '；', ' ', '\t', '\n', '\r', '\u3000':
			if depth == 0 {
				flush()
				continue
			}
		}
		cur.WriteRune(r)
	}
	flush()
	return out
}

// splitNote splits 姓名(备注) or 姓名（备注） into name and note.
func splitNote(item string) (name, note string) {
	item = trimCell(item)
	if !strings.HasSuffix(item, ")") && !strings.HasSuffix(item, "）") {
		return item, ""
	}
	open := max(strings.LastIndex(item, "("), strings.LastIndex(item, "（"))
	if open <= 0 {
		return item, ""
	}
	name = trimCell(item[:open])
	note = item[open:]
	note = strings.TrimPrefix(strings.TrimPrefix(note, "("), "（")
	note = strings.TrimSuffix(strings.TrimSuffix(note, ")"), "）")
	return name, trimCell(note)
}

func topicLabels() string {
	labels := make([]string, len(ledger.RequiredTopics))
	for i, t := range ledger.RequiredTopics {
		labels[i] = t.Label
	}
	return strings.Join(labels, "、")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
