package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestBrowserAuditPage: the demo unit's auditor filters the log by action
// in Chromium and sees Chinese labels only; the district's administrator
// opens the backup settings.
func TestBrowserAuditPage(t *testing.T) {
	ctx := browser(t)
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	info := loadDemo(t, st)
	base := e.srv.URL
	do(ctx, t,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "shenji"),
		chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		chromedp.WaitVisible(`nav`),
		chromedp.Navigate(base+"/audit"),
		chromedp.WaitVisible(`table.grid`),
	)
	shot(ctx, t, "audit")
	body := text(ctx, t, `table.grid`)
	if !strings.Contains(body, "登录") || strings.Contains(body, "auth.") || strings.Contains(body, "activity.") {
		t.Fatalf("audit table: %.500s", body)
	}
	do(ctx, t,
		chromedp.SetValue(`select[name=action]`, "auth.login"),
		chromedp.Submit(`select[name=action]`),
		chromedp.WaitVisible(`table.grid`),
	)
	if got := text(ctx, t, `table.grid tbody`); !strings.Contains(got, "钟华") {
		t.Fatalf("filtered by 登录: %.300s", got)
	}
	shot(ctx, t, "audit-filtered")

	admin := org.User{OrgID: info.DistrictID, Username: "quadmin", Name: "区管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: info.DistrictID}}}
	if err := svcOf(st).CreateUser(context.Background(), store.System, &admin, "Demo2023zhendi"); err != nil {
		t.Fatal(err)
	}
	ctx2 := browser(t)
	do(ctx2, t,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "quadmin"),
		chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		chromedp.WaitVisible(`nav`),
		chromedp.Navigate(base+"/admin/backup"),
		chromedp.WaitVisible(`input[name=keep_days]`),
	)
	shot(ctx2, t, "backup")
	if got := text(ctx2, t, `main`); !strings.Contains(got, "180 天") {
		t.Fatalf("backup page: %.300s", got)
	}
}
