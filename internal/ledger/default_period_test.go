package ledger

import "testing"

func TestDefaultHalfYear(t *testing.T) {
	cur, _ := ParsePeriod("2023H2")
	for _, c := range []struct {
		name   string
		counts map[string]int
		want   string
	}{
		// The example: two entries imported into 2023-07 beside
		// the 101 of 2023H1 do not move the home page to 2023H2.
		{"a small import later", map[string]int{"2023H1": 101, "2023H2": 2}, "2023H1"},
		{"no entries", nil, "2023H2"},
		{"current has a fair share", map[string]int{"2023H1": 101, "2023H2": 30}, "2023H2"},
		{"ledger ends earlier", map[string]int{"2022H2": 40, "2023H1": 12}, "2023H1"},
		{"entries after the current half-year are ignored", map[string]int{"2023H1": 10, "2024H1": 50}, "2023H1"},
		{"only a few, all late", map[string]int{"2021H1": 3}, "2021H1"},
	} {
		if got := DefaultHalfYear(c.counts, cur); got.Key != c.want {
			t.Errorf("%s: %s, want %s", c.name, got.Key, c.want)
		}
	}
}
