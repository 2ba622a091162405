package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/demo"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func reportActor(t *testing.T, st *store.Store, username string) (store.Actor, access.Scope) {
	return storetest.Login(t, st, username)
}

// TestReportVersionsAndApproval: versions number up from 1 even when saved
// at once, wording is saved with the version, and an approval is written
// only when the rule passed in allows it (the rule itself is tested in
// internal/service).
func TestReportVersionsAndApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		clerk, csc := reportActor(t, st, "zhuangan")
		d := store.ReportDraft{UnitID: info.UnitID, Kind: "half-year", Period: "2023H1", Title: "总结"}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = st.SaveReportVersion(ctx, clerk, csc, d, fmt.Sprintf(`{"n":%d}`, i), "", nil)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("concurrent save: %v", err)
			}
		}
		id, v, err := st.SaveReportVersion(ctx, clerk, csc, d, `{"n":9}`, "第五次", map[string]string{"intro": "{期间}，我局……"})
		if err != nil || v != 5 {
			t.Fatalf("fifth save: v%d %v", v, err)
		}
		vs, err := st.ReportVersions(ctx, csc, id)
		if err != nil || len(vs) != 5 || vs[0].Version != 5 || vs[4].Version != 1 {
			t.Fatalf("versions %v %v", vs, err)
		}
		if w, _ := st.ReportWording(ctx, info.UnitID, "half-year"); w["intro"] != "{期间}，我局……" {
			t.Errorf("wording not saved with the version: %v", w)
		}
		// The approval rule is the caller's (report.CheckApproval through
		// the service): the store hands it the version's author inside the
		// transaction and writes nothing when it refuses.
		leader, lsc := reportActor(t, st, "wangjianguo")
		refused := errors.New("refused")
		var author int64
		if err := st.ApproveReport(ctx, leader, lsc, id, 5, func(a int64) error { author = a; return refused }); !errors.Is(err, refused) || author != clerk.UserID {
			t.Errorf("refused approval: %v, author %d, want %d", err, author, clerk.UserID)
		}
		allow := func(int64) error { return nil }
		if err := st.ApproveReport(ctx, leader, lsc, id, 99, allow); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("approve a missing version: %v", err)
		}
		if _, osc := reportActor(t, st, "gaoyuan"); !errors.Is(st.ApproveReport(ctx, leader, osc, id, 5, allow), store.ErrNotFound) {
			t.Error("a department head's scope approves the unit's report")
		}
		if err := st.ApproveReport(ctx, leader, lsc, id, 5, allow); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.SaveReportVersion(ctx, leader, lsc, d, `{}`, "", nil); err != nil {
			t.Fatal(err)
		}
		got, err := st.ReportDraft(ctx, csc, id)
		if err != nil || got.ApprovedVersion != 5 || got.Latest != 6 || got.ApprovedByName != "王建国" {
			t.Errorf("draft after approvals: %+v %v", got, err)
		}
		var saves, approvals int
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'report.save'`).Scan(&saves)
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'report.approve'`).Scan(&approvals)
		if saves != 6 || approvals != 1 {
			t.Errorf("audit: %d saves, %d approvals; want 6 and 1", saves, approvals)
		}
	})
}
