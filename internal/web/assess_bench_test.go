package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"zhendi/internal/assess"
	"zhendi/internal/ledger"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

// benchTree makes a 40-item tree for the district's last generated year:
// the default tree's 17 items (at 40% of their points) plus 23 more
// automatic ones over the ledger and supervision, 2.5 points each but the
// last month-by-month item at 5 (100 in all), published.
func benchTree(b *testing.B, st *store.Store, svc *service.Service, supervisor string, districtID int64, year int) assess.Tree {
	b.Helper()
	ctx := context.Background()
	u, err := st.UserByUsername(ctx, supervisor)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := svc.ScopeOf(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	a := service.AssessActor(u, sc)
	actor := store.Actor{UserID: u.ID, Name: u.Name}
	if t, err := svc.DistrictTree(ctx, a, districtID, year); err == nil {
		return t
	}
	t, err := svc.CreateDefaultTree(ctx, actor, a, districtID, year)
	if err != nil {
		b.Fatal(err)
	}
	types := []string{ledger.CentralGroup, ledger.PartyGovMeeting, ledger.PartyLecture, ledger.Preach, ledger.TopicStudy, ledger.LeadingGroup,
		ledger.BranchCongress, ledger.BranchCommittee, ledger.PartyGroup, ledger.BusinessLecture, ledger.ThemeDay, ledger.Research}
	var extra []assess.Indicator
	for i, typ := range types {
		pts := 2.5
		if i == len(types)-1 {
			pts = 5 // in place of a 24th item: the default tree has 17
		}
		extra = append(extra, assess.Indicator{Category: "六、台账", Name: "按月开展" + typ, Points: pts, Method: assess.Auto, Scorer: assess.ScoreLedgerPeriods,
			Param: typ + ":month", Rule: assess.RuleRatio, Source: "benchmark"})
		if i == len(types)-1 {
			break
		}
		if i < 6 {
			extra = append(extra, assess.Indicator{Category: "六、台账", Name: "条数" + typ, Points: 2.5, Method: assess.Auto, Scorer: assess.ScoreLedgerCount,
				Param: typ, Rule: assess.RulePer, Per: 0.1, Source: "benchmark"})
		} else {
			extra = append(extra, assess.Indicator{Category: "七、督导", Name: "督导" + typ, Points: 2.5, Method: assess.Auto, Scorer: assess.ScoreCompliance,
				Param: typ, Rule: assess.RuleDeduct, Per: 0.5, Source: "benchmark"})
		}
	}
	// The default items keep their proportions in the remaining 40 points.
	for _, ind := range t.Indicators {
		if ind.Rule != assess.RulePenalty && ind.Points != 0 && !ind.Bonus {
			ind.Points *= 0.4
			if t, err = svc.SaveIndicator(ctx, actor, a, t.ID, ind); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, ind := range extra {
		if t, err = svc.SaveIndicator(ctx, actor, a, t.ID, ind); err != nil {
			b.Fatal(err)
		}
	}
	if len(t.Indicators) != 40 {
		b.Fatalf("tree has %d items", len(t.Indicators))
	}
	if t, err = svc.PublishTree(ctx, actor, a, t.ID); err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkAssessDistrict: scoring every unit of the benchmark district
// (ZHENDI_SUP_BENCH_DB: 100 units × 10 years from `zhendi bench`) against a
// 40-item tree for its last year, and one unit's assessment page through
// the real handler (p95). Goals (issue 19): district under 2 s, page under 50 ms.
func BenchmarkAssessDistrict(b *testing.B) {
	st, ds := benchStore(b)
	svc := service.New(st, service.Config{}, nil)
	t := benchTree(b, st, svc, ds.Supervisor, ds.DistrictID, ds.EndYear)
	ctx := context.Background()
	u, _ := st.UserByUsername(ctx, ds.Supervisor)
	sc, err := svc.ScopeOf(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("district", func(b *testing.B) {
		for b.Loop() {
			ranked, _, err := svc.Ranking(ctx, sc, t)
			if err != nil {
				b.Fatal(err)
			}
			if len(ranked) != len(ds.UnitIDs) {
				b.Fatalf("%d units ranked of %d", len(ranked), len(ds.UnitIDs))
			}
		}
		b.ReportMetric(float64(len(ds.UnitIDs)), "units")
	})
	b.Run("unit-page", func(b *testing.B) {
		srv, err := web.New(web.Config{}, svc, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		hc := benchLogin(b, ts, ds.Supervisor, ds.Password)
		url := fmt.Sprintf("%s/assess?unit=%d&year=%d", ts.URL, ds.UnitIDs[0], t.Year)
		for range 3 {
			fetch(b, hc, url, "意识形态工作考核")
		}
		var times []time.Duration
		for b.Loop() {
			times = append(times, fetch(b, hc, url, "意识形态工作考核"))
		}
		reportP95(b, times)
	})
}
