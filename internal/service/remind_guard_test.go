package service_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/notify"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestReminderToInternalHostNeedsRelay: a webhook host on the allow-list
// that is an internal address (here the loopback robot) is refused when
// the reminder is sent, and the refusal is in the delivery log; named an
// internal relay, the same host receives it on the next attempt.
func TestReminderToInternalHostNeedsRelay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2023, 12, 24, 9, 0, 0, 0, cntime.Zone)
		st.Now = func() time.Time { return now }
		unit, _, sc := clerkUnit(t, st)
		var wecom robot
		wsrv := wecom.server(t)
		if err := st.SaveChannels(ctx, store.System, sc, notify.Settings{UnitID: unit.ID, WeComURL: wsrv.URL + "/cgi-bin/webhook/send?key=k"}, nil); err != nil {
			t.Fatal(err)
		}
		sec := access.DefaultSecurity
		sec.NotifyHosts = "127.0.0.1"
		if err := st.SetSecuritySettings(ctx, store.System, sec); err != nil {
			t.Fatal(err)
		}
		svc := service.New(st, service.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		svc.SetClock(func() time.Time { return now })
		rep, err := svc.Remind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if wecom.count() != 0 || rep.Failed == 0 || rep.Sent != 0 {
			t.Fatalf("loopback robot reached without a relay: %d messages, report %+v", wecom.count(), rep)
		}
		ds, err := st.Deliveries(ctx, []int64{unit.ID}, 10)
		if err != nil || len(ds) == 0 || !strings.Contains(ds[0].LastError, "指向内网地址 127.0.0.1") {
			t.Fatalf("delivery log: %+v %v", ds, err)
		}
		sec.InternalRelays = "127.0.0.1"
		if err := st.SetSecuritySettings(ctx, store.System, sec); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Minute) // past the first back-off
		if _, err := svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if wecom.count() != int(rep.Failed) {
			t.Fatalf("after naming the relay: %d messages, want %d", wecom.count(), rep.Failed)
		}
	})
}
