package channel

import "testing"

func TestUpdateFreq(t *testing.T) {
	pub := map[string]int{"2024-03-28": 2, "2024-03-15": 1, "2024-03-14": 4, "2024-02-01": 1}
	ps := UpdateFreq(pub, "2024-03-28", 4)
	want := []FreqPeriod{
		{"2024-02-02", "2024-02-15", 0, 14}, // 2024-02-01 is the day before
		{"2024-02-16", "2024-02-29", 0, 28},
		{"2024-03-01", "2024-03-14", 4, 0},
		{"2024-03-15", "2024-03-28", 3, 0},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d periods", len(ps))
	}
	for i := range want {
		if ps[i] != want[i] {
			t.Errorf("period %d: %+v, want %+v", i, ps[i], want[i])
		}
	}
	if p := UpdateFreq(nil, "2024-03-28", 1)[0]; p.DaysSince != -1 || p.Items != 0 {
		t.Errorf("no publications: %+v", p)
	}
}

func TestLimitDays(t *testing.T) {
	for _, tc := range []struct {
		c    Channel
		want int
	}{
		{Channel{Kind: Column, Class: ClassNews, LastUpdate: "2024-03-20"}, 14},
		{Channel{Kind: Column, Class: ClassNews}, 14},
		{Channel{Kind: Column, Class: ClassNotice, LastUpdate: "2024-03-20"}, 184}, // to the deadline 2024-09-20
	} {
		f := Judge(tc.c, nil, "2024-03-28")
		if got := f.LimitDays("2024-03-28"); got != tc.want {
			t.Errorf("%s %s: limit %d days, want %d (%+v)", tc.c.Class, tc.c.LastUpdate, got, tc.want, f)
		}
	}
}
