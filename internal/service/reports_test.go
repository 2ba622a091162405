package service_test

import (
	"context"
	"errors"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func reportActor(t *testing.T, st *store.Store, username string) (store.Actor, access.Scope) {
	return storetest.Login(t, st, username)
}

// TestReportApproval: approval needs 第一责任人/直接责任人 who did not save
// that version; a refused approval writes nothing.
func TestReportApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service.New(st, service.Config{}, nil)
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		clerk, csc := reportActor(t, st, "zhuangan")
		d := store.ReportDraft{UnitID: info.UnitID, Kind: "half-year", Period: "2023H1", Title: "总结"}
		var id int64
		for range 5 {
			if id, _, err = st.SaveReportVersion(ctx, clerk, csc, d, `{}`, "", nil); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			user    string
			version int
			want    error
		}{
			{"zhuangan", 5, report.ErrNotApprover},
			{"zhuangan", 99, report.ErrNotApprover}, // told so whatever the version
			{"gaoyuan", 5, apperr.ErrNotFound},      // a department head cannot read the unit's report
			{"wangjianguo", 99, apperr.ErrNotFound},
			{"wangjianguo", 5, nil},
		}
		for _, c := range cases {
			a, sc := reportActor(t, st, c.user)
			if err := svc.ApproveReport(ctx, a, sc, id, c.version); !errors.Is(err, c.want) {
				t.Errorf("%s approves v%d: %v, want %v", c.user, c.version, err, c.want)
			}
		}
		// A leader who saved a version cannot approve it.
		leader, lsc := reportActor(t, st, "wangjianguo")
		_, v6, err := st.SaveReportVersion(ctx, leader, lsc, d, `{}`, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ApproveReport(ctx, leader, lsc, id, v6); !errors.Is(err, report.ErrSelfApproval) {
			t.Errorf("self approval: %v", err)
		}
		got, err := st.ReportDraft(ctx, csc, id)
		if err != nil || got.ApprovedVersion != 5 || got.Latest != 6 || got.ApprovedByName != "王建国" {
			t.Errorf("draft after approvals: %+v %v", got, err)
		}
		var approvals int
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'report.approve'`).Scan(&approvals)
		if approvals != 1 {
			t.Errorf("audit: %d approvals, want 1", approvals)
		}
	})
}

// TestSaveAndReadReport: a built report saved with the unit's wording comes
// back as the same text and figures, and the next build uses the wording.
func TestSaveAndReadReport(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	svc := service.New(st, service.Config{}, nil)
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	clerk, sc := reportActor(t, st, "zhuangan")
	p, _ := ledger.ParsePeriod("2023H1")
	req := report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p}
	r, err := svc.BuildReport(ctx, sc, req)
	if err != nil {
		t.Fatal(err)
	}
	intro := r.EditText(r.Blocks[0].Text)
	texts := map[int]string{}
	for i, b := range r.Blocks {
		texts[i] = r.EditText(b.Text)
	}
	texts[0] = "2023年上半年，我局抓实意识形态工作，党组集中学习【党组集中学习】次。"
	wording, err := r.ApplyEdit(report.Edit{Title: r.Title, Texts: texts, Own: map[int]bool{0: true}})
	if err != nil {
		t.Fatal(err)
	}
	id, v, err := svc.SaveReport(ctx, clerk, sc, r, "初稿", wording)
	if err != nil || v != 1 {
		t.Fatalf("save: v%d %v", v, err)
	}
	saved, err := svc.SavedReport(ctx, sc, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version.Note != "初稿" || saved.Draft.Period != "2023H1" || saved.Report.Blocks[0].Text != "2023年上半年，我局抓实意识形态工作，党组集中学习{central_group}次。" ||
		saved.Report.Figure("central_group").Value != r.Figure("central_group").Value {
		t.Errorf("saved version: %+v %q", saved.Version, saved.Report.Blocks[0].Text)
	}
	p2, _ := ledger.ParsePeriod("2023H2")
	h2, err := svc.BuildReport(ctx, sc, report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p2})
	if err != nil || h2.Blocks[0].Text != "2023年下半年，我局抓实意识形态工作，党组集中学习{central_group}次。" {
		t.Errorf("the unit's wording is not used for the next period: %q %v", h2.Blocks[0].Text, err)
	}
	if err := svc.ResetReportWording(ctx, clerk, sc, info.UnitID, report.HalfYear, r.Blocks[0].Key); err != nil {
		t.Fatal(err)
	}
	if again, _ := svc.BuildReport(ctx, sc, req); again.EditText(again.Blocks[0].Text) != intro {
		t.Errorf("reset wording still used: %q", again.Blocks[0].Text)
	}
	_, osc := reportActor(t, st, "tangjing")
	if err := svc.ResetReportWording(ctx, clerk, osc, info.UnitID, report.HalfYear, "intro"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("wording reset outside the scope: %v", err)
	}
}
