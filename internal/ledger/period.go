package ledger

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Period is a closed range of calendar days.
type Period struct {
	Key   string // "2023H1", "2023", "2023Q2", "2023-05"
	From  string // YYYY-MM-DD inclusive
	To    string // YYYY-MM-DD inclusive
	Label string // 2023年上半年
}

// ParsePeriod understands years, half-years, quarters and months.
func ParsePeriod(key string) (Period, error) {
	key = strings.TrimSpace(strings.ToUpper(key))
	bad := apperr.Rule(fmt.Sprintf("期间“%s”无法识别（示例：2023H1、2023、2023Q2、2023-05）", key))
	if len(key) < 4 {
		return Period{}, bad
	}
	year, err := strconv.Atoi(key[:4])
	if err != nil || year < 2000 || year > 2100 {
		return Period{}, bad
	}
	rest := key[4:]
	mk := func(m1, m2 int, label string) Period {
		from := time.Date(year, time.Month(m1), 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(year, time.Month(m2)+1, 0, 0, 0, 0, 0, time.UTC)
		return Period{Key: key, From: from.Format(cntime.DateLayout), To: to.Format(cntime.DateLayout), Label: label}
	}
	switch {
	case rest == "":
		return mk(1, 12, fmt.Sprintf("%d年", year)), nil
	case rest == "H1":
		return mk(1, 6, fmt.Sprintf("%d年上半年", year)), nil
	case rest == "H2":
		return mk(7, 12, fmt.Sprintf("%d年下半年", year)), nil
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		q := int(rest[1] - '0')
		return mk(q*3-2, q*3, fmt.Sprintf("%d年第%s季度", year, []string{"一", "二", "三", "四"}[q-1])), nil
	case len(rest) == 3 && rest[0] == '-':
		m, err := strconv.Atoi(rest[1:])
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		return mk(m, m, fmt.Sprintf("%d年%d月", year, m)), nil
	}
	return Period{}, bad
}

// HalfYearOf returns the half-year containing t.
func HalfYearOf(t time.Time) Period {
	h := "H1"
	if t.Month() > 6 {
		h = "H2"
	}
	p, _ := ParsePeriod(fmt.Sprintf("%d%s", t.Year(), h))
	return p
}

// HalfYearOfDate returns the half-year containing a YYYY-MM-DD date.
func HalfYearOfDate(date string) (Period, error) {
	t, err := time.Parse(cntime.DateLayout, date)
	if err != nil {
		return Period{}, err
	}
	return HalfYearOf(t), nil
}

// FormatDate renders YYYY-MM-DD as 2023年6月30日 for people.
func FormatDate(date string) string {
	t, err := time.Parse(cntime.DateLayout, date)
	if err != nil {
		return date
	}
	return t.Format("2006年1月2日")
}

// DefaultHalfYear is the half-year pages and reports open on when the
// user has not chosen one: the latest half-year, not after current, whose
// entries number at least a quarter of the busiest half-year's; current
// when there are no entries. counts are entries per half-year key
// ("2023H1"). A few entries imported into a later half-year, or the first
// days of a new one, do not move the default away from the half-year the
// unit's records are in (two 2023-07 entries beside 101 of 2023H1 keep
// 2023H1).
func DefaultHalfYear(counts map[string]int, current Period) Period {
	busiest := 0
	for key, n := range counts {
		if key <= current.Key {
			busiest = max(busiest, n)
		}
	}
	if busiest == 0 {
		return current
	}
	best := ""
	for key, n := range counts {
		if key <= current.Key && 4*n >= busiest && key > best {
			best = key
		}
	}
	p, err := ParsePeriod(best)
	if err != nil {
		return current
	}
	return p
}
