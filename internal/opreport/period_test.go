package opreport

import (
	"testing"
	"time"

	"zhendi/internal/cntime"
)

func TestParsePeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, cntime.Zone) }
	for _, c := range []struct {
		in       string
		from, to time.Time
		label    string
	}{
		{"2023-06", d(2023, 6, 1), d(2023, 7, 1), "2023年6月"},
		{"2023-12", d(2023, 12, 1), d(2024, 1, 1), "2023年12月"},
		{"2023-W27", d(2023, 7, 3), d(2023, 7, 10), "2023年第27周"},
		{"2021-W01", d(2021, 1, 4), d(2021, 1, 11), "2021年第1周"},
		{"2023H1", d(2023, 1, 1), d(2023, 7, 1), "2023年上半年"},
		{"2023h2", d(2023, 7, 1), d(2024, 1, 1), "2023年下半年"},
	} {
		p, err := ParsePeriod(c.in)
		if err != nil || !p.From.Equal(c.from) || !p.To.Equal(c.to) || p.Label != c.label {
			t.Errorf("%s: %+v %v", c.in, p, err)
		}
	}
	for _, bad := range []string{"", "2023", "2023-13", "2023H3", "2023-W54", "2021-W53"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
