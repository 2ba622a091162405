package store_test

import (
	"context"
	"errors"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestChannelStore: scope (another unit and a person outside it get
// ErrNotFound), the responsible person from another unit refused, rule
// versions ending where the next begins, and the check claim taken once.
func TestChannelStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := seedRectUnit(t, st)
		other := org.Node{Kind: org.Unit, Name: "乙局"}
		if err := st.CreateNode(ctx, store.System, &other); err != nil {
			t.Fatal(err)
		}
		stranger := org.User{OrgID: other.ID, Username: "stranger", Name: "外单位", Grants: []access.Grant{{Role: access.Clerk, OrgID: other.ID}}}
		if err := svcOf(st).CreateUser(ctx, store.System, &stranger, "Kx7m-Lp2q9"); err != nil {
			t.Fatal(err)
		}
		scB := access.Scope{UserID: stranger.ID, ReadUnits: []int64{other.ID}, WriteUnits: []int64{other.ID}}
		c := channel.Channel{UnitID: f.unit.ID, Name: "工作动态", Kind: channel.Column, Class: channel.ClassNews, URL: "http://a.invalid/gzdt/",
			ResponsibleID: stranger.ID, Status: channel.Running, Method: channel.MethodListing}
		if err := st.CreateChannel(ctx, f.actor, f.sc, &c); !errors.Is(err, channel.ErrPersonNotInUnit) {
			t.Fatalf("responsible person of another unit: %v", err)
		}
		c.ResponsibleID = f.member.ID
		if err := st.CreateChannel(ctx, f.actor, scB, &c); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unit B created in unit A: %v", err)
		}
		if err := st.CreateChannel(ctx, f.actor, f.sc, &c); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Channel(ctx, scB, c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unit B read unit A's channel: %v", err)
		}
		// The member is responsible: reads it, may record a manual check,
		// may not edit it.
		scMember := access.Scope{UserID: f.member.ID}
		if _, err := st.Channel(ctx, scMember, c.ID); err != nil {
			t.Fatalf("responsible person cannot read: %v", err)
		}
		if _, err := st.UpdateChannel(ctx, f.actor, scMember, c.ID, func(*channel.Channel) ([]channel.Event, error) { return nil, nil }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("member edited: %v", err)
		}
		if _, err := st.RecordManualCheck(ctx, store.Actor{UserID: f.member.ID, Name: f.member.Name}, scMember, c.ID, "2023-07-01", ""); err != nil {
			t.Fatalf("responsible person's manual check: %v", err)
		}
		evs, err := st.ChannelEvents(ctx, f.sc, f.unit.ID, 0)
		if err != nil || len(evs) != 1 || evs[0].Kind != channel.EvOpen || evs[0].ChannelName != "工作动态" {
			t.Fatalf("events: %+v %v", evs, err)
		}

		for _, from := range []string{"2023-03-01", "2023-06-01", "2023-05-01"} {
			r := channel.Rule{UnitID: f.unit.ID, Kind: channel.Column, Class: channel.ClassNews, Days: 7, ValidFrom: from}
			if err := st.AddChannelRule(ctx, f.actor, f.sc, &r); err != nil {
				t.Fatal(err)
			}
		}
		rules, err := st.ChannelRules(ctx, f.unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rules {
			got[r.ValidFrom] = r.ValidTo
		}
		// 05-01 replaces 06-01 (which started after it) and ends 03-01.
		if got["2023-03-01"] != "2023-04-30" || got["2023-05-01"] != "" || got["2023-06-01"] != "2023-04-30" {
			t.Fatalf("versions: %v", got)
		}
		if r := channel.RuleAt(rules, channel.Column, channel.ClassNews, "2023-04-15"); r.ValidFrom != "2023-03-01" {
			t.Fatalf("in force on 04-15: %+v", r)
		}
		if r := channel.RuleAt(rules, channel.Column, channel.ClassNews, "2023-07-01"); r.ValidFrom != "2023-05-01" {
			t.Fatalf("in force on 07-01: %+v", r)
		}

		first, err := st.ClaimDueChannels(ctx, 0, 1000, 4600, 10)
		if err != nil || len(first) != 1 {
			t.Fatalf("first claim: %d %v", len(first), err)
		}
		again, err := st.ClaimDueChannels(ctx, 0, 1000, 4600, 10)
		if err != nil || len(again) != 0 {
			t.Fatalf("second claim in the same interval took %d", len(again))
		}
		if later, _ := st.ClaimDueChannels(ctx, 0, 4600, 8200, 10); len(later) != 1 {
			t.Fatalf("claim after the interval: %d", len(later))
		}
	})
}
