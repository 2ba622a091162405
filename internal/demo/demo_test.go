package demo_test

import (
	"context"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func scopeOf(t *testing.T, s *store.Store, username string) (org.User, access.Scope) {
	t.Helper()
	u, err := s.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u, storetest.Scope(t, s, u.ID)
}

func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		start := time.Now()
		info, err := demo.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("first load took %v", time.Since(start))
		if info.UnitID == 0 || info.DistrictID == 0 || len(info.Accounts) == 0 {
			t.Fatalf("incomplete info: %+v", info)
		}
		if err := org.ValidatePassword(info.Password, "zhuangan", org.MinPasswordLen); err != nil {
			t.Fatal(err)
		}

		_, sc := scopeOf(t, s, "zhuangan")
		h1 := ledger.Filter{UnitID: info.UnitID, From: demo.H1From, To: demo.H1To}
		users1, err := s.CountUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		acts1, err := s.CountActivities(ctx, sc, ledger.Filter{UnitID: info.UnitID})
		if err != nil {
			t.Fatal(err)
		}
		plan1, err := s.PlanItems(ctx, sc, info.UnitID, 2023)
		if err != nil {
			t.Fatal(err)
		}

		// A second load finds everything and creates nothing.
		again, err := demo.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if again.UnitID != info.UnitID || again.DistrictID != info.DistrictID || len(again.Accounts) != len(info.Accounts) {
			t.Fatalf("second load returned %+v, first %+v", again, info)
		}
		users2, _ := s.CountUsers(ctx)
		acts2, _ := s.CountActivities(ctx, sc, ledger.Filter{UnitID: info.UnitID})
		plan2, _ := s.PlanItems(ctx, sc, info.UnitID, 2023)
		if users2 != users1 || acts2 != acts1 || len(plan2) != len(plan1) {
			t.Fatalf("second load changed counts: users %d→%d, activities %d→%d, plan %d→%d",
				users1, users2, acts1, acts2, len(plan1), len(plan2))
		}

		// The stored half-year figures are the ones the tables define.
		got, err := s.CountByType(ctx, sc, h1)
		if err != nil {
			t.Fatal(err)
		}
		want := demo.ExpectedH1()
		total := 0
		for _, typ := range ledger.Types {
			if got[typ.Code] != want[typ.Code] {
				t.Errorf("%s (%s): stored %d, expected %d", typ.Label, typ.Code, got[typ.Code], want[typ.Code])
			}
			total += want[typ.Code]
		}
		if total != acts1 {
			t.Errorf("expected %d entries in all, stored %d", total, acts1)
		}
		t.Logf("2023H1: %v", want)

		// The seed's weakness: back-filled records, some in the last week of June.
		late := h1
		late.Late = 14
		lateActs, n, err := s.ListActivities(ctx, sc, late)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || n != demo.ExpectedLate(14) {
			t.Fatalf("late entries: %d, expected %d (>0)", n, demo.ExpectedLate(14))
		}
		lastWeek := 0
		for _, a := range lateActs {
			if rec := time.Unix(a.CreatedAt, 0).In(cntime.Zone).Format(cntime.DateLayout); rec >= "2023-06-24" && rec <= "2023-06-30" {
				lastWeek++
			}
		}
		if lastWeek < 3 {
			t.Errorf("only %d late entries recorded in the last week of June", lastWeek)
		}
		if pct := n * 100 / acts1; pct < 8 || pct > 16 {
			t.Errorf("late share %d%%, want about 10–15%%", pct)
		}

		// Leaders' lectures and 宣讲 to 服务对象, as the seed counts them.
		lect := h1
		lect.Types, lect.LeadIsLeader = []string{ledger.PartyLecture}, true
		if n, _ := s.CountActivities(ctx, sc, lect); n != want[ledger.PartyLecture]-1 {
			t.Errorf("党组成员上党课 %d, want %d (one lecture is by a branch secretary)", n, want[ledger.PartyLecture]-1)
		}
		svc := h1
		svc.Types, svc.AudienceType = []string{ledger.Preach}, "服务对象"
		if n, _ := s.CountActivities(ctx, sc, svc); n == 0 || n == want[ledger.Preach] {
			t.Errorf("为服务对象宣讲 %d of %d: want some but not all", n, want[ledger.Preach])
		}

		// The 宣传部长会议精神 必修课 is planned but not studied in H1; the others are.
		for _, topic := range ledger.RequiredTopics {
			f := h1
			f.Topic = topic.Code
			n, err := s.CountActivities(ctx, sc, f)
			if err != nil {
				t.Fatal(err)
			}
			if (n == 0) != (topic.Code == "buzhang") {
				t.Errorf("topic %s: %d entries", topic.Code, n)
			}
		}

		// Each leader has most of the five leads.
		leaders, err := s.LeaderIDs(ctx, info.UnitID)
		if err != nil || len(leaders) < 4 {
			t.Fatalf("leaders %v: %v", leaders, err)
		}
		per, _ := ledger.ParsePeriod("2023H1")
		for _, id := range leaders {
			nonZero := 0
			for _, f := range ledger.FiveLeadFilters(info.UnitID, id, per) {
				if n, _ := s.CountActivities(ctx, sc, f); n > 0 {
					nonZero++
				}
			}
			if nonZero < 4 {
				t.Errorf("leader %d has only %d of the five leads", id, nonZero)
			}
		}

		// The supervisor sees the unit from the district; the roles are in place.
		_, duchaScope := scopeOf(t, s, "ducha")
		if !duchaScope.CanRead(info.UnitID, info.UnitID) || !duchaScope.IsReadOnly() {
			t.Errorf("supervisor scope %+v", duchaScope)
		}
		if _, adm := scopeOf(t, s, "admin"); !adm.CanAdmin(info.UnitID) || adm.HasContent() {
			t.Errorf("admin scope %+v", adm)
		}
		for _, a := range info.Accounts {
			if _, err := s.UserByUsername(ctx, a.Username); err != nil {
				t.Errorf("account %s: %v", a.Username, err)
			}
		}

		if n, err := s.VerifyAudit(ctx); err != nil || n == 0 {
			t.Fatalf("audit chain: %d entries, %v", n, err)
		}
	})
}

// The tables have the shape the seed report needs: about two 中心组 a month,
// one 专题研究 (the second is owed in H2), one 支委会 missed.
func TestTables(t *testing.T) {
	want := map[string]int{
		ledger.CentralGroup: 12, ledger.PartyGovMeeting: 6, ledger.TopicStudy: 1, ledger.LeadingGroup: 1,
		ledger.AnalysisReport: 1, ledger.BranchCommittee: 11,
	}
	got := demo.ExpectedH1()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d, want %d", k, got[k], v)
		}
	}
	if got[ledger.SelfStudy] == 0 || got[ledger.Reflection] < 8 || got[ledger.ThemeDay] != 12 {
		t.Errorf("figures %v", got)
	}
}
