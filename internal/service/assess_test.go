package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func assessLogin(t *testing.T, st *store.Store, username string) (store.Actor, assess.Actor) {
	t.Helper()
	actor, sc := storetest.Login(t, st, username)
	u, err := st.User(context.Background(), actor.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return actor, service.AssessActor(u, sc)
}

func lineOf(t *testing.T, r assess.Result, name string) assess.Line {
	t.Helper()
	for _, l := range r.Lines {
		if strings.Contains(l.Indicator.Name, name) {
			return l
		}
	}
	t.Fatalf("no line %q", name)
	return assess.Line{}
}

// TestAssessmentLiveUntilFrozen: the district publishes the default tree;
// the demo unit's automatic scores follow the ledger (a deleted 专题研究
// lowers the score) until the assessment is frozen, after which a ledger
// change leaves the numbers as they were. Along the way: the unit cannot
// review itself, a changed score needs a reason, and the ranking orders
// the district's units.
func TestAssessmentLiveUntilFrozen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(st, service.Config{}, nil)
		svc.SetClock(func() time.Time { return time.Date(2024, 2, 1, 9, 0, 0, 0, cntime.Zone) })
		// A second unit in the district, with no records: it ranks below.
		other := org.Node{ParentID: info.DistrictID, Kind: org.Unit, Name: "示范区水利局"}
		if err := st.CreateNode(ctx, store.System, &other); err != nil {
			t.Fatal(err)
		}
		dAct, district := assessLogin(t, st, "ducha")
		district.Scope.ReadUnits = append(district.Scope.ReadUnits, other.ID) // the session would compute it at login
		cAct, clerk := assessLogin(t, st, "zhuangan")

		if _, err := svc.CreateDefaultTree(ctx, cAct, clerk, info.DistrictID, 2023); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("a unit's clerk made the district's tree: %v", err)
		}
		if _, err := svc.CreateDefaultTree(ctx, dAct, district, info.DistrictID, 2023); !errors.Is(err, assess.ErrTreeExists) {
			t.Fatalf("a second 2023 tree: %v", err)
		}
		// The demo's tree: published by the district, the bureau's self-assessment submitted.
		tr, err := svc.DistrictTree(ctx, district, info.DistrictID, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Status != assess.TreePublished {
			t.Fatalf("demo tree %s", tr.Status)
		}
		if _, err := svc.SaveIndicator(ctx, dAct, district, tr.ID, tr.Indicators[0]); err == nil || !strings.Contains(err.Error(), "已发布") {
			t.Fatalf("published tree edited: %v", err)
		}
		score := func() *service.UnitScore {
			t.Helper()
			m, err := svc.ScoreUnits(ctx, clerk.Scope, tr, []int64{info.UnitID})
			if err != nil {
				t.Fatal(err)
			}
			return m[info.UnitID]
		}
		us := score()
		topic := lineOf(t, us.Result, "专题研究")
		if topic.Item.Measure == nil || topic.Item.Measure.Count == 0 || len(topic.Item.Measure.Refs) == 0 {
			t.Fatalf("专题研究 not measured from the ledger: %+v", topic.Item.Measure)
		}
		// Delete the 2023 专题研究 entries of one half-year: the score drops.
		acts, err := st.AssessActivities(ctx, clerk.Scope, []int64{info.UnitID}, 2023, []string{ledger.TopicStudy})
		if err != nil {
			t.Fatal(err)
		}
		half := acts[info.UnitID][0].Date[:7] <= "2023-06"
		for _, a := range acts[info.UnitID] {
			if (a.Date[:7] <= "2023-06") == half {
				if err := svc.DeleteActivity(ctx, cAct, clerk.Scope, a.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		after := lineOf(t, score().Result, "专题研究")
		if after.Score >= topic.Score || after.Item.Measure.Count != topic.Item.Measure.Count-1 {
			t.Fatalf("专题研究 %v → %v after deleting a half-year's entries", topic.Score, after.Score)
		}

		// The demo submitted; the district sends it back, the unit corrects an item and submits again.
		id := us.Assessment.ID
		if us.Assessment.State != assess.StateSubmitted {
			t.Fatalf("demo assessment %s", us.Assessment.State)
		}
		if _, err := svc.StepAssessment(ctx, dAct, district, id, assess.ActReturn, ""); err == nil || !strings.Contains(err.Error(), "退回理由") {
			t.Fatalf("returned without a reason: %v", err)
		}
		if _, err := svc.StepAssessment(ctx, dAct, district, id, assess.ActReturn, "阵地管理佐证不全"); err != nil {
			t.Fatal(err)
		}
		for _, ind := range tr.Indicators {
			if ind.Method == assess.Manual && ind.Name == "宣传思想阵地管理" {
				if err := svc.SelfAssess(ctx, cAct, clerk, id, ind.ID, ind.Points, false, "", "阵地登记表、排查记录"); err != nil {
					t.Fatalf("self %s: %v", ind.Name, err)
				}
			}
		}
		if _, err := svc.StepAssessment(ctx, cAct, clerk, id, assess.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		report := tr.Indicators[3]
		// The unit cannot review itself; the district needs a reason to change a score.
		if err := svc.Review(ctx, cAct, clerk, id, report.ID, 2, false, "自己改"); !errors.Is(err, assess.ErrOwnUnit) {
			t.Fatalf("the unit reviewed itself: %v", err)
		}
		if err := svc.Review(ctx, dAct, district, id, report.ID, 2, false, ""); err == nil || !strings.Contains(err.Error(), "调整理由") {
			t.Fatalf("review without reason: %v", err)
		}
		if err := svc.Review(ctx, dAct, district, id, report.ID, 2, false, "下半年报告晚报"); err != nil {
			t.Fatal(err)
		}
		if l := lineOf(t, score().Result, report.Name); l.Score != 2 || l.By != "review" || l.Item.Reason != "下半年报告晚报" {
			t.Fatalf("review not applied: %+v", l)
		}
		for _, act := range []string{assess.ActFinish, assess.ActPublish, assess.ActFreeze} {
			if _, err := svc.StepAssessment(ctx, dAct, district, id, act, ""); err != nil {
				t.Fatalf("%s: %v", act, err)
			}
		}
		frozen := score()
		if !frozen.Frozen || frozen.Assessment.State != assess.StateFrozen {
			t.Fatalf("not frozen: %+v", frozen.Assessment)
		}
		// A ledger change after the freeze: the numbers stay.
		rest, err := st.AssessActivities(ctx, clerk.Scope, []int64{info.UnitID}, 2023, []string{ledger.CentralGroup})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range rest[info.UnitID] {
			if err := svc.DeleteActivity(ctx, cAct, clerk.Scope, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		still := score()
		if still.Result.Total != frozen.Result.Total || lineOf(t, still.Result, "中心组").Score != lineOf(t, frozen.Result, "中心组").Score {
			t.Fatalf("frozen total moved: %v → %v", frozen.Result.Total, still.Result.Total)
		}
		if still.Assessment.FrozenTotal != frozen.Result.Total {
			t.Fatalf("frozen_total %v, result %v", still.Assessment.FrozenTotal, frozen.Result.Total)
		}

		// Ranking: every unit of the district (the demo's bureaus and the
		// empty one), the demo bureau first, ranks in order of total.
		ranked, _, err := svc.Ranking(ctx, district.Scope, tr)
		if err != nil {
			t.Fatal(err)
		}
		if len(ranked) < 2 || ranked[0].UnitID != info.UnitID {
			t.Fatalf("ranking: %d units, first %d, last %d", len(ranked), ranked[0].UnitID, ranked[len(ranked)-1].UnitID)
		}
		for i, r := range ranked {
			if r.Rank != i+1 || (i > 0 && r.Result.Total > ranked[i-1].Result.Total) {
				t.Fatalf("ranking out of order at %d: rank %d, total %v", i, r.Rank, r.Result.Total)
			}
		}
	})
}

// TestAssessCasesVisibility: only the unit's 第一责任人 and the district see
// cases; a clerk and a member get not found; every view is audited.
func TestAssessCasesVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(st, service.Config{}, nil)
		fAct, first := assessLogin(t, st, "wangjianguo")
		c := assess.Case{UnitID: info.UnitID, Year: 2023, Title: "未按期专题研究", Situation: "duty", Facts: "上半年未专题研究意识形态工作",
			Persons: []assess.CasePerson{{UserID: fAct.UserID, Resp: "主要领导责任"}}}
		if err := svc.SaveCase(ctx, fAct, first, &c); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"zhuangan", "hezhiyong", "gaoyuan"} {
			a, who := assessLogin(t, st, u)
			if _, err := svc.Case(ctx, a, who, c.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s opened a case: %v", u, err)
			}
			if list, err := svc.Cases(ctx, a, who, []int64{info.UnitID}, 0); err != nil || len(list) != 0 {
				t.Errorf("%s listed cases: %d %v", u, len(list), err)
			}
		}
		dAct, district := assessLogin(t, st, "ducha")
		got, err := svc.Case(ctx, dAct, district, c.ID)
		if err != nil || got.Persons[0].Resp != "主要领导责任" {
			t.Fatalf("district view: %+v %v", got, err)
		}
		hist, err := st.History(ctx, "case", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		views := 0
		for _, e := range hist {
			if e.Action == "assess.case.view" {
				views++
			}
		}
		if views != 1 {
			t.Fatalf("%d view entries, want 1", views)
		}
	})
}
