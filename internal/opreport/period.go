package opreport

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Period is a report's time span: [From, To) in China time, its label, and
// the span before it of the same length, for the change.
type Period struct {
	Key       string // "2023-06", "2023-W27", "2023H1"
	Kind      string // "month", "week", "half-year"
	From, To  time.Time
	Label     string
	PrevFrom  time.Time
	PrevLabel string
}

// ParsePeriod reads a month ("2023-06"), an ISO week ("2023-W27") or a
// half-year ("2023H1", "2023H2").
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := apperr.Field("时段", "应为月份（2023-06）、周（2023-W27）或半年（2023H1）")
	z := cntime.Zone
	switch {
	case len(s) == 6 && s[4] == 'H':
		y, err := strconv.Atoi(s[:4])
		if err != nil || (s[5] != '1' && s[5] != '2') {
			return Period{}, bad
		}
		m := time.January
		label, prev := fmt.Sprintf("%d年上半年", y), fmt.Sprintf("%d年下半年", y-1)
		if s[5] == '2' {
			m, label, prev = time.July, fmt.Sprintf("%d年下半年", y), fmt.Sprintf("%d年上半年", y)
		}
		from := time.Date(y, m, 1, 0, 0, 0, 0, z)
		return Period{Key: s, Kind: "half-year", From: from, To: from.AddDate(0, 6, 0), Label: label, PrevFrom: from.AddDate(0, -6, 0), PrevLabel: prev}, nil
	case strings.Contains(s, "-W"):
		y, err1 := strconv.Atoi(s[:strings.Index(s, "-W")])
		w, err2 := strconv.Atoi(s[strings.Index(s, "-W")+2:])
		if err1 != nil || err2 != nil || w < 1 || w > 53 {
			return Period{}, bad
		}
		// ISO week 1 holds 4 January; weeks start on Monday.
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, z)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
		if yy, ww := monday.ISOWeek(); yy != y || ww != w {
			return Period{}, bad
		}
		return Period{Key: s, Kind: "week", From: monday, To: monday.AddDate(0, 0, 7), Label: fmt.Sprintf("%d年第%d周", y, w),
			PrevFrom: monday.AddDate(0, 0, -7), PrevLabel: "上周"}, nil
	default:
		t, err := time.ParseInLocation("2006-01", s, z)
		if err != nil {
			return Period{}, bad
		}
		return Period{Key: s, Kind: "month", From: t, To: t.AddDate(0, 1, 0), Label: fmt.Sprintf("%d年%d月", t.Year(), t.Month()),
			PrevFrom: t.AddDate(0, -1, 0), PrevLabel: "上月"}, nil
	}
}
