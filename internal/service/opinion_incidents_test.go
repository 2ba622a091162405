package service_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/incident"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestIncidentRemindersOnce: a 重大 incident found at 09:00 reminds its
// people from 13:00 (a fifth of the 5-hour limit before it), once across
// rounds and a second service instance, then once when the limit passes,
// stops for a limit that was met late, and reminds of the 24-hour press
// conference from 04:12 the next day.
func TestIncidentRemindersOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 7, 5, 9, 30, 0, 0, cntime.Zone)
		clock := func() time.Time { return now }
		unit, clerk, sc := clerkUnit(t, st)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		first := service.New(st, service.Config{}, log)
		first.SetClock(clock)
		in := incident.Incident{UnitID: unit.ID, Title: "化工园区起火", Level: incident.LevelMajor,
			FoundAt: time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone).Unix()}
		if err := first.StartIncident(ctx, store.System, sc, &in, clerk.ID); err != nil {
			t.Fatal(err)
		}
		incidentNotes := func() []string {
			t.Helper()
			notes, _, err := st.Notifications(ctx, clerk.ID, 500)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range notes {
				if strings.HasPrefix(n.Title, "【舆情处置") {
					out = append(out, n.Title+" "+n.Body)
				}
			}
			return out
		}
		round := func(svc *service.Service, at time.Time) {
			t.Helper()
			now = at
			if _, err := svc.Remind(ctx); err != nil {
				t.Fatal(err)
			}
		}
		day := func(d, h, m int) time.Time { return time.Date(2023, 7, d, h, m, 0, 0, cntime.Zone) }
		round(first, day(5, 12, 59))
		if n := incidentNotes(); len(n) != 0 {
			t.Fatalf("reminded before 13:00: %q", n)
		}
		round(first, day(5, 13, 0))
		second := service.New(st, service.Config{}, log)
		second.SetClock(clock)
		round(second, day(5, 13, 30))
		round(first, day(5, 14, 0))
		n := incidentNotes()
		if len(n) != 1 || !strings.Contains(n[0], "【舆情处置提醒】") || !strings.Contains(n[0], "2023年7月5日 14:00前发布权威信息") {
			t.Fatalf("before the 5-hour limit: %q, want one reminder", n)
		}
		round(second, day(5, 14, 1))
		round(first, day(5, 14, 20))
		if n = incidentNotes(); len(n) != 2 || !strings.Contains(n[0]+n[1], "【舆情处置逾期】") {
			t.Fatalf("after the 5-hour limit: %q, want the overdue reminder once", n)
		}
		// Authoritative information released late, at 14:30: nothing more
		// about it; the press conference is reminded from 04:12.
		now = day(5, 14, 40)
		if _, err := first.SaveIncidentStep(ctx, store.System, sc, in.ID, incident.StepRespond,
			incident.StepInput{AuthorityAt: day(5, 14, 30).Unix()}); err != nil {
			t.Fatal(err)
		}
		round(first, day(6, 4, 11))
		if n = incidentNotes(); len(n) != 2 {
			t.Fatalf("after the late release: %q", n)
		}
		round(second, day(6, 4, 12))
		round(first, day(6, 5, 0))
		if n = incidentNotes(); len(n) != 3 || !strings.Contains(strings.Join(n, ""), "2023年7月6日 09:00前举行新闻发布会") {
			t.Fatalf("press conference reminder: %q", n)
		}
	})
}
