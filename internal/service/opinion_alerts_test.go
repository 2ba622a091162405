package service_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/opinion"
	"zhendi/internal/perf"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestAlertsOncePerEventAndRule: an event fires two new-event rules; the
// one without quiet hours goes out at once, the other (quiet 09:00–11:00)
// at 11:00; rounds by a second service instance ("restart") and later
// rounds send nothing again; a rule whose threshold is not reached never
// fires.
func TestAlertsOncePerEventAndRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 7, 5, 10, 0, 0, 0, cntime.Zone)
		clock := func() time.Time { return now }
		st.Now = clock
		unit, clerk, sc := clerkUnit(t, st)
		fx, err := perf.OpinionSample(ctx, st, unit.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		first := service.New(st, service.Config{}, log)
		first.SetClock(clock)
		quiet, _ := opinion.ParseClock("09:00")
		until, _ := opinion.ParseClock("11:00")
		for _, r := range []store.OpinionAlertRule{
			{UnitID: unit.ID, AlertRule: opinion.AlertRule{SchemeID: fx.SchemeID, Kind: opinion.AlertNewEvent, Threshold: 2}},
			{UnitID: unit.ID, AlertRule: opinion.AlertRule{SchemeID: fx.SchemeID, Kind: opinion.AlertNewEvent, Threshold: 1, QuietFrom: quiet, QuietTo: until}},
			{UnitID: unit.ID, AlertRule: opinion.AlertRule{SchemeID: fx.SchemeID, Kind: opinion.AlertHeat, Threshold: 99.9}},
		} {
			if err := first.CreateAlertRule(ctx, store.System, sc, &r); err != nil {
				t.Fatal(err)
			}
		}
		alerts := func() []string {
			t.Helper()
			notes, _, err := st.Notifications(ctx, clerk.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range notes {
				if strings.HasPrefix(n.Title, "【舆情预警】") {
					out = append(out, n.Body)
				}
			}
			return out
		}
		round := func(svc *service.Service, at time.Time) service.AlertReport {
			t.Helper()
			now = at
			rep, err := svc.RunAlerts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		rep := round(first, now)
		if rep.Fired != 2 || rep.Delivered != 1 {
			t.Fatalf("first round: %+v, want 2 fired and 1 delivered", rep)
		}
		if a := alerts(); len(a) != 1 || !strings.Contains(a[0], "化工园区安全") || !strings.Contains(a[0], "信息4条") {
			t.Fatalf("first round alerts: %q", a)
		}
		second := service.New(st, service.Config{}, log)
		second.SetClock(clock)
		if rep = round(second, now.Add(30*time.Minute)); rep.Fired != 0 || rep.Delivered != 0 {
			t.Fatalf("restart in quiet hours: %+v", rep)
		}
		if rep = round(second, time.Date(2023, 7, 5, 11, 0, 0, 0, cntime.Zone)); rep.Fired != 0 || rep.Delivered != 1 {
			t.Fatalf("end of quiet hours: %+v", rep)
		}
		round(first, time.Date(2023, 7, 5, 11, 30, 0, 0, cntime.Zone))
		round(second, time.Date(2023, 7, 5, 12, 0, 0, 0, cntime.Zone))
		if a := alerts(); len(a) != 2 {
			t.Fatalf("alerts after all rounds: %d, want 2 (one per event and rule)", len(a))
		}
		var n int
		if err := st.DB().QueryRow("SELECT COUNT(*) FROM opinion_alerts").Scan(&n); err != nil || n != 2 {
			t.Fatalf("alert log: %d rows (%v)", n, err)
		}
	})
}
