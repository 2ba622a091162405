package web_test

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhendi/internal/perf"
	"zhendi/internal/storetest"
)

// TestBrowserOpinionPages opens every 舆情 page in Chromium at both screen
// sizes with data behind it: no console error, no layout problem, every
// chart drawn; screenshots are kept with go test -artifacts.
func TestBrowserOpinionPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser walk of the opinion pages")
	}
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	f := seedTwoUnits(t, st)
	fx, err := perf.OpinionSample(context.Background(), st, f.unitA.ID, e.now)
	if err != nil {
		t.Fatal(err)
	}
	a := e.client()
	a.mustLogin("clerka")
	tok := a.csrf()
	_, _, loc := a.post("/opinion/incidents", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.unitA.ID)}, "event": {fmt.Sprint(fx.EventID)},
		"title": {"化工园区起火"}, "level": {"major"}, "found_at": {"2023-07-05T04:00"}, "owner": {fmt.Sprint(f.clerkA.ID)}, "summary": {"城东化工园区一厂房起火，网上关注较多。"}})
	a.post(loc[:len(loc)-len("?ok=created")]+"/steps/collect", url.Values{"csrf": {tok}, "action": {"done"}, "note": {"收集网帖 4 条。"}, "done_at": {"2023-07-05T05:00"}})
	a.post("/opinion/alerts", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.unitA.ID)}, "scheme": {fmt.Sprint(fx.SchemeID)}, "kind": {"2"}, "threshold": {"20"}})

	ctx := browserFor(t, 3*time.Minute)
	var errs consoleErrors
	errs.watch(ctx)
	do(ctx, t,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "clerka"),
		chromedp.SendKeys(`input[name=password]`, pw+"\n"),
		chromedp.WaitVisible(`header.top`),
	)
	dir := t.ArtifactDir()
	for i, p := range []string{"/opinion?days=7", "/opinion/events?days=7", fmt.Sprintf("/opinion/events/%d", fx.EventID),
		fmt.Sprintf("/opinion/incidents/new?event=%d", fx.EventID), "/opinion/incidents", loc, "/opinion/alerts", "/opinion/reports", "/opinion/district"} {
		checkPage(ctx, t, &errs, e.srv.URL+p, filepath.Join(dir, fmt.Sprintf("opinion-%02d%s", i, slugRE.ReplaceAllString(p, "_"))))
	}
}
