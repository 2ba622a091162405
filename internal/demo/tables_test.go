package demo

import (
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// Meetings fall on working days (2023's public holidays excluded, adjusted
// working weekends allowed) and
// no entry is recorded before it happened.
func TestDates(t *testing.T) {
	workingWeekends := map[string]bool{"2023-01-28": true, "2023-01-29": true, "2023-04-23": true, "2023-05-06": true, "2023-06-25": true}
	holidays := map[string]bool{"2023-01-02": true, "2023-01-23": true, "2023-01-24": true, "2023-01-25": true, "2023-01-26": true,
		"2023-01-27": true, "2023-04-05": true, "2023-05-01": true, "2023-05-02": true, "2023-05-03": true, "2023-06-22": true, "2023-06-23": true}
	for _, a := range mustBuild() {
		d, _ := time.ParseInLocation(cntime.DateLayout, a.Date, cntime.Zone)
		if a.Date < H1From || a.Date > H1To {
			t.Errorf("%s %q outside 2023H1", a.Date, a.Title)
		}
		if time.Unix(a.CreatedAt, 0).Before(d) {
			t.Errorf("%s %q recorded before it happened", a.Date, a.Title)
		}
		if t2, _ := ledger.TypeByCode(a.Type); t2.Personal() {
			continue
		}
		if holidays[a.Date] {
			t.Errorf("%s %q (%s) is a public holiday", a.Date, a.Title, a.Type)
		}
		if wd := d.Weekday(); (wd == time.Saturday || wd == time.Sunday) && !workingWeekends[a.Date] {
			t.Errorf("%s %q (%s) is on a %s", a.Date, a.Title, a.Type, wd)
		}
	}
}
