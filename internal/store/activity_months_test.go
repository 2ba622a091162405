package store_test

import (
	"context"
	"testing"

	"zhendi/internal/access"

	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestCountByMonthType counts by the month of the activity date and type,
// within the caller's scope, and with Late set only the entries recorded
// late (all are recorded on 2023-07-05 here, 7 days counting as late).
func TestCountByMonthType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		add := func(sc fixtureScope, orgID int64, typ, date string) {
			t.Helper()
			a := ledger.Activity{OrgID: orgID, Type: typ, Title: "月度统计 " + date, Date: date, LeadID: sc.lead, Content: "纪要"}
			if err := s.CreateActivity(ctx, store.Actor{UserID: sc.lead, Name: "专干"}, &a, nil, resolve(sc.sc)); err != nil {
				t.Fatal(err)
			}
		}
		a := fixtureScope{f.scA, f.clerkA.ID}
		add(a, f.unitA.ID, ledger.CentralGroup, "2023-06-01")
		add(a, f.unitA.ID, ledger.CentralGroup, "2023-06-30")
		add(a, f.unitA.ID, ledger.PartyGovMeeting, "2023-06-15")
		add(a, f.unitA.ID, ledger.CentralGroup, "2023-07-01")
		add(a, f.unitA.ID, ledger.CentralGroup, "2022-06-10") // another year
		add(fixtureScope{f.scB, f.clerkB.ID}, f.unitB.ID, ledger.CentralGroup, "2023-06-05")

		year := ledger.Filter{UnitID: f.unitA.ID, From: "2023-01-01", To: "2023-12-31"}
		got, err := s.CountByMonthType(ctx, f.scA, year)
		if err != nil {
			t.Fatal(err)
		}
		if got["2023-06"][ledger.CentralGroup] != 2 || got["2023-06"][ledger.PartyGovMeeting] != 1 || got["2023-07"][ledger.CentralGroup] != 1 || len(got) != 2 {
			t.Fatalf("by month and type: %v", got)
		}
		// The June bar equals the June list.
		june := ledger.Filter{UnitID: f.unitA.ID, From: "2023-06-01", To: "2023-06-30"}
		if n, err := s.CountActivities(ctx, f.scA, june); err != nil || n != 3 {
			t.Fatalf("June list %d, %v", n, err)
		}
		late := year
		late.Late = 7
		got, err = s.CountByMonthType(ctx, f.scA, late)
		if err != nil {
			t.Fatal(err)
		}
		if got["2023-06"][ledger.CentralGroup] != 1 || got["2023-06"][ledger.PartyGovMeeting] != 1 || got["2023-07"] != nil { // 06-30 is 5 days before recording: not late
			t.Fatalf("late by month: %v", got)
		}
		// Unit B's clerk sees nothing of unit A.
		got, err = s.CountByMonthType(ctx, f.scB, year)
		if err != nil || len(got) != 0 {
			t.Fatalf("unit B counted unit A: %v %v", got, err)
		}
	})
}

// fixtureScope is a clerk and their scope for recording entries.
type fixtureScope struct {
	sc   access.Scope
	lead int64
}
