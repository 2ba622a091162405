package store_test

import (
	"context"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/supervise"
)

// TestSuperviseFromLedger judges presets and a topic rule against real
// ledger entries on period edges of the leap year 2024, through the store's
// grouped tallies, on both databases. Deleted entries and other units do not count.
func TestSuperviseFromLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		st.Now = func() time.Time { return time.Date(2024, 4, 3, 10, 0, 0, 0, cntime.Zone) }
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		unit := org.Node{Kind: org.Unit, Name: "甲局"}
		must(st.CreateNode(ctx, store.System, &unit))
		other := org.Node{Kind: org.Unit, Name: "乙局"}
		must(st.CreateNode(ctx, store.System, &other))
		branch := org.Node{Kind: org.Branch, Name: "第一支部", ParentID: unit.ID}
		must(st.CreateNode(ctx, store.System, &branch))
		otherBranch := org.Node{Kind: org.Branch, Name: "乙局支部", ParentID: other.ID}
		must(st.CreateNode(ctx, store.System, &otherBranch))
		leader := org.User{OrgID: unit.ID, Username: "leader", Name: "王书记", Grants: []access.Grant{{Role: access.FirstResp, OrgID: unit.ID}}}
		must(svcOf(st).CreateUser(ctx, store.System, &leader, "Kx7m-Lp2q9"))
		sc := access.Scope{UserID: leader.ID, HomeUnit: unit.ID, ReadUnits: []int64{unit.ID, other.ID}, WriteUnits: []int64{unit.ID, other.ID}, OwnRecords: true}
		actor := store.Actor{UserID: leader.ID, Name: leader.Name}
		add := func(u, o int64, typ, date string, lead int64, topics ...string) ledger.Activity {
			t.Helper()
			a := ledger.Activity{UnitID: u, OrgID: o, Type: typ, Title: typ + " " + date, Date: date, LeadID: lead, LeadName: "王书记", RequiredTopics: topics, Agenda: "意识形态工作", LateReason: "测试数据补录"}
			must(svcOf(st).CreateActivity(ctx, actor, sc, &a, nil))
			return a
		}
		add(unit.ID, branch.ID, ledger.BranchCommittee, "2024-02-29", 0)
		add(unit.ID, branch.ID, ledger.BranchCommittee, "2024-01-31", 0)
		gone := add(unit.ID, branch.ID, ledger.BranchCommittee, "2024-03-01", 0)
		must(svcOf(st).DeleteActivity(ctx, actor, sc, gone.ID))
		add(other.ID, otherBranch.ID, ledger.BranchCommittee, "2024-03-15", 0)
		add(unit.ID, branch.ID, ledger.PartyLecture, "2024-01-01", leader.ID, "ershida")
		add(unit.ID, unit.ID, ledger.CentralGroup, "2024-03-31", 0, "tiaoli")

		rules := supervise.Presets(unit.ID, supervise.PresetValidFrom)
		rules = append(rules, supervise.Rule{UnitID: unit.ID, Key: "tiaoli", Name: "学习宣传工作条例", Subject: supervise.SubjectUnit,
			Type: ledger.CentralGroup, Topic: "tiaoli", Count: 1, Period: supervise.Quarterly, ValidFrom: supervise.PresetValidFrom})
		byUnit := map[int64][]supervise.Rule{unit.ID: rules}
		tallies, err := st.SuperviseTallies(ctx, sc, []int64{unit.ID, other.ID}, 2024, supervise.NeedsOf(byUnit))
		must(err)
		units, err := st.SuperviseUnits(ctx, []int64{unit.ID})
		must(err)
		// No information settings saved: the same default quota as the bulletin.
		if q := tallies[unit.ID].QuotaDefault; q != infosub.DefaultConfig().Quota {
			t.Errorf("default information quota %d, bulletin uses %d", q, infosub.DefaultConfig().Quota)
		}
		res := supervise.Evaluate(units[unit.ID], rules, tallies[unit.ID], "2024-04-03")
		want := []struct {
			key     string
			subject int64
			period  string
			count   int
			status  supervise.Status
		}{
			{"branch_committee", branch.ID, "2024-01", 1, supervise.Done},
			{"branch_committee", branch.ID, "2024-02", 1, supervise.Done},
			{"branch_committee", branch.ID, "2024-03", 0, supervise.Overdue}, // the 1 March entry is deleted
			{"branch_lecture", branch.ID, "2024Q1", 1, supervise.Done},
			{"leader_lecture", leader.ID, "2024", 1, supervise.Done},
			{"tiaoli", unit.ID, "2024Q1", 1, supervise.Done},
			{"central_group", unit.ID, "2024-02", 0, supervise.Missed},
			{"central_group", unit.ID, "2024-03", 1, supervise.Done},
		}
		for _, w := range want {
			found := false
			for _, r := range res {
				if r.Rule.Key == w.key && r.Subject.ID == w.subject && r.Period.Key == w.period {
					found = true
					if r.Count != w.count || r.Status != w.status {
						t.Errorf("%s %s: %d %s, want %d %s", w.key, w.period, r.Count, r.Status.Label(), w.count, w.status.Label())
					}
				}
			}
			if !found {
				t.Errorf("no result for %s %d %s", w.key, w.subject, w.period)
			}
		}
	})
}
