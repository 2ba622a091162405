// Package cntime is China Standard Time and the date formats zhendi writes.
// Every date the product stores or shows ("2023-06-30", "2023年6月30日") is a
// civil date in China, whatever the server's own time zone; the zone is fixed
// (UTC+8, no daylight saving) so no tzdata is needed on the server.
package cntime

import (
	"fmt"
	"time"
)

// Zone is China Standard Time, UTC+8.
var Zone = time.FixedZone("CST", 8*3600)

// DateLayout is the ISO date form stored in the database and used in forms.
const DateLayout = "2006-01-02"

// Date formats t as "2006-01-02" in China time.
func Date(t time.Time) string { return t.In(Zone).Format(DateLayout) }

// ParseDate parses "2006-01-02" as midnight China time.
func ParseDate(s string) (time.Time, error) { return time.ParseInLocation(DateLayout, s, Zone) }

// Long formats t as "2006年1月2日" in China time, the form documents use.
func Long(t time.Time) string {
	t = t.In(Zone)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// DateTime formats t as "2006-01-02 15:04:05" in China time.
func DateTime(t time.Time) string { return t.In(Zone).Format("2006-01-02 15:04:05") }

// AddDays returns the date n days after the "2006-01-02" date d, or d
// unchanged when it does not parse.
func AddDays(d string, n int) string {
	t, err := ParseDate(d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, n).Format(DateLayout)
}

// LongMinute formats t as "2006年1月2日 15:04" in China time: when something
// was recorded or is due, as pages and messages show it.
func LongMinute(t time.Time) string { return t.In(Zone).Format("2006年1月2日 15:04") }
