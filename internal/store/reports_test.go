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
	t.Helper()
	ctx := context.Background()
	u, err := st.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	return store.Actor{UserID: u.ID, Name: u.Name}, access.Build(u.ID, u.UnitID, u.Grants, func(id int64) []int64 {
		ids, _ := st.UnitsUnder(ctx, id)
		return ids
	})
}

// TestReportVersionsAndApproval: versions number up from 1 even when saved
// at once, approval needs 第一责任人/直接责任人 who did not save that
// version, and wording is saved with the version.
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
		cases := []struct {
			user string
			want error
		}{
			{"zhuangan", store.ErrNotApprover},
			{"gaoyuan", store.ErrNotFound}, // a department head cannot read the unit's report
			{"wangjianguo", nil},
		}
		for _, c := range cases {
			a, sc := reportActor(t, st, c.user)
			if err := st.ApproveReport(ctx, a, sc, id, 5); !errors.Is(err, c.want) {
				t.Errorf("%s approves: %v, want %v", c.user, err, c.want)
			}
		}
		// A leader who saved a version cannot approve it.
		leader, lsc := reportActor(t, st, "wangjianguo")
		_, v6, err := st.SaveReportVersion(ctx, leader, lsc, d, `{}`, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ApproveReport(ctx, leader, lsc, id, v6); !errors.Is(err, store.ErrSelfApproval) {
			t.Errorf("self approval: %v", err)
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
