package opinion

import (
	"testing"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

func TestAlertFires(t *testing.T) {
	snap := EventSnapshot{EventID: 7, SchemeID: 3, Count: 5, Heat: 62, NegativeShare: 0.4, Growth: 1.5}
	for _, c := range []struct {
		r    AlertRule
		want bool
	}{
		{AlertRule{SchemeID: 3, Kind: AlertNewEvent}, true},
		{AlertRule{SchemeID: 3, Kind: AlertNewEvent, Threshold: 5}, true},
		{AlertRule{SchemeID: 3, Kind: AlertNewEvent, Threshold: 6}, false},
		{AlertRule{SchemeID: 3, Kind: AlertHeat, Threshold: 62}, true}, // reaching the threshold is enough
		{AlertRule{SchemeID: 3, Kind: AlertHeat, Threshold: 62.5}, false},
		{AlertRule{SchemeID: 3, Kind: AlertNegative, Threshold: 0.4}, true},
		{AlertRule{SchemeID: 3, Kind: AlertNegative, Threshold: 0.5}, false},
		{AlertRule{SchemeID: 3, Kind: AlertGrowth, Threshold: 1}, true},
		{AlertRule{SchemeID: 3, Kind: AlertGrowth, Threshold: 2}, false},
		{AlertRule{SchemeID: 4, Kind: AlertNewEvent}, false}, // another scheme
		{AlertRule{SchemeID: 3, Kind: 0}, false},
	} {
		if got := c.r.Fires(snap); got != c.want {
			t.Errorf("%s %v Fires = %v, want %v", c.r.Kind, c.r.Threshold, got, c.want)
		}
	}
	if (AlertRule{SchemeID: 3, Kind: AlertNewEvent}).Fires(EventSnapshot{SchemeID: 3}) {
		t.Error("an empty event fired")
	}
}

// TestAlertOncePerEventAndRule plays the sender's loop over a stream of
// snapshots, with a "restart" (new rule values, same claim store) in the
// middle: each event and rule gets one alert.
func TestAlertOncePerEventAndRule(t *testing.T) {
	claimed := map[string]bool{} // stands for the store's unique claim keys
	sent := map[string]int{}
	rules := func() []AlertRule {
		return []AlertRule{
			{ID: 1, SchemeID: 3, Kind: AlertNewEvent},
			{ID: 2, SchemeID: 3, Kind: AlertHeat, Threshold: 50},
		}
	}
	round := func(rs []AlertRule, snaps []EventSnapshot) {
		for _, s := range snaps {
			for _, r := range rs {
				if !r.Fires(s) {
					continue
				}
				k := AlertKey(s.EventID, r.ID)
				if claimed[k] {
					continue
				}
				claimed[k] = true
				sent[k]++
			}
		}
	}
	round(rules(), []EventSnapshot{{EventID: 1, SchemeID: 3, Count: 1, Heat: 10}})
	round(rules(), []EventSnapshot{{EventID: 1, SchemeID: 3, Count: 9, Heat: 55}, {EventID: 2, SchemeID: 3, Count: 1, Heat: 5}})
	round(rules(), []EventSnapshot{{EventID: 1, SchemeID: 3, Count: 30, Heat: 80}}) // after a restart
	want := map[string]int{AlertKey(1, 1): 1, AlertKey(1, 2): 1, AlertKey(2, 1): 1}
	if len(sent) != len(want) {
		t.Fatalf("sent %v, want %v", sent, want)
	}
	for k, n := range want {
		if sent[k] != n {
			t.Errorf("%s sent %d times", k, sent[k])
		}
	}
	if AlertKey(1, 23) == AlertKey(12, 3) {
		t.Error("alert keys collide")
	}
}

func TestQuietHours(t *testing.T) {
	at := func(hhmm string) time.Time {
		t0, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+hhmm, cntime.Zone)
		if err != nil {
			panic(err)
		}
		return t0
	}
	night := AlertRule{QuietFrom: 22 * 60, QuietTo: 7 * 60} // 22:00–07:00, across midnight
	for _, c := range []struct {
		hhmm  string
		quiet bool
	}{
		{"21:59", false}, {"22:00", true}, {"23:59", true}, {"00:00", true}, {"03:30", true}, {"06:59", true}, {"07:00", false}, {"12:00", false},
	} {
		if got := night.InQuietHours(at(c.hhmm)); got != c.quiet {
			t.Errorf("22:00–07:00 at %s: quiet %v", c.hhmm, got)
		}
	}
	// The clock is China time whatever the zone of the instant: 15:30 UTC is 23:30 in Beijing.
	if !night.InQuietHours(time.Date(2026, 12, 7, 15, 30, 0, 0, time.UTC)) {
		t.Error("UTC instant not read in China time")
	}
	noon := AlertRule{QuietFrom: 12 * 60, QuietTo: 14 * 60}
	if !noon.InQuietHours(at("12:00")) || noon.InQuietHours(at("14:00")) || noon.InQuietHours(at("11:59")) {
		t.Error("same-day quiet hours wrong")
	}
	if (AlertRule{QuietFrom: 8 * 60, QuietTo: 8 * 60}).InQuietHours(at("08:00")) {
		t.Error("equal from and to must mean no quiet hours")
	}
	// Alerts wait until the quiet hours end.
	if got := night.SendAt(at("23:10")); !got.Equal(at("07:00").AddDate(0, 0, 1)) {
		t.Errorf("SendAt(23:10) = %v", got)
	}
	if got := night.SendAt(at("05:00")); !got.Equal(at("07:00")) {
		t.Errorf("SendAt(05:00) = %v", got)
	}
	if got := night.SendAt(at("09:00")); !got.Equal(at("09:00")) {
		t.Errorf("SendAt(09:00) = %v", got)
	}
}

func TestAlertRuleValidate(t *testing.T) {
	for _, c := range []struct {
		r    AlertRule
		want string
	}{
		{AlertRule{Kind: AlertHeat, Threshold: 60, QuietFrom: 22 * 60, QuietTo: 7 * 60}, ""},
		{AlertRule{Kind: AlertHeat, Threshold: 0}, "阈值：热度阈值应在 0 到 100 之间（不含 0）"},
		{AlertRule{Kind: AlertNegative, Threshold: 60}, "阈值：负面占比阈值应在 0 到 1 之间（不含 0）"},
		{AlertRule{Kind: AlertGrowth, Threshold: 5}, "阈值：增长率阈值应在 0 到 4 之间（不含 0）"},
		{AlertRule{Kind: AlertNewEvent, Threshold: -1}, "阈值：新事件的阈值是条数，应在 0 到 100000 之间"},
		{AlertRule{Kind: 9}, "类型：应为新事件、热度超过、负面超过或快速增长"},
		{AlertRule{Kind: AlertNewEvent, QuietFrom: 1440}, "免打扰开始：应为 00:00 到 23:59"},
	} {
		if got := apperr.Message(c.r.Validate()); got != c.want {
			t.Errorf("Validate(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]Clock{"22:00": 1320, "7:30": 450, "07：05": 425, "0:00": 0, "23:59": 1439} {
		if got, err := ParseClock(in); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"24:00", "7", "7:5", "a:b", "-1:00", ""} {
		if _, err := ParseClock(in); err == nil {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
	if Clock(425).String() != "07:05" {
		t.Error(Clock(425).String())
	}
}
