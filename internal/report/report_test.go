package report_test

import (
	"context"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// scopeOf logs in a demo user the way the web server does.
func scopeOf(t testing.TB, st *store.Store, username string) (store.Actor, access.Scope) {
	t.Helper()
	ctx := context.Background()
	u, err := st.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	sc := access.Build(u.ID, u.UnitID, u.Grants, func(id int64) []int64 {
		ids, _ := st.UnitsUnder(ctx, id)
		return ids
	})
	return store.Actor{UserID: u.ID, Name: u.Name}, sc
}

func demoReport(t testing.TB, st *store.Store, username string, kind report.Kind, period string) (*report.Report, demo.Info) {
	t.Helper()
	info, err := demo.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, username)
	p, err := ledger.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), st, sc, report.Request{Kind: kind, UnitID: info.UnitID, Period: p})
	if err != nil {
		t.Fatal(err)
	}
	return r, info
}

func TestPrintHalfYear(t *testing.T) {
	st := storetest.SQLite(t)
	r, _ := demoReport(t, st, "zhuangan", report.HalfYear, "2023H1")
	t.Log(r.Title)
	for _, b := range r.Blocks {
		t.Log(b.Style, r.Plain(b.Text))
	}
	for _, f := range r.Figures {
		t.Log(f.Key, f.Label, f.Display, len(f.IDs), f.Link)
	}
}
