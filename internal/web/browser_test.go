package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhendi/internal/storetest"
)

// browser starts headless Chromium, or skips when it is not installed
// (.ci/run installs it, so CI always runs these tests).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserFor(t, 90*time.Second)
}

// browserFor is browser with a time limit for the whole test.
func browserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	return browserWith(t, limit, chromedp.WindowSize(1366, 768))
}

// browserWith starts its own headless Chromium (its own cookies) with
// extra options such as a window size or user agent, or skips the test
// when Chromium is not installed.
func browserWith(t *testing.T, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium fonts-noto-cjk)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Headless,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
	)
	opts = append(opts, extra...)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, limit)
	t.Cleanup(cancel3)
	return ctx
}

// shot saves a screenshot when ZHENDI_SCREENSHOTS names a folder, for review.
func shot(ctx context.Context, t *testing.T, name string) {
	dir := os.Getenv("ZHENDI_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func do(ctx context.Context, t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserClerkRecordsAndFindsActivity drives the real pages in Chromium:
// log in with the keyboard, read the home figures, follow one to its list,
// record a 中心组学习 with attendance, and find it by two characters.
func TestBrowserClerkRecordsAndFindsActivity(t *testing.T) {
	ctx := browser(t)
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	base := e.srv.URL
	do(ctx, t,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "zhuangan"),
		chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		chromedp.WaitVisible(`.figures`),
	)
	if figs := text(ctx, t, `.figures`); !strings.Contains(figs, "党组集中学习") || !strings.Contains(figs, "12") {
		t.Fatalf("home figures: %q", figs)
	}
	shot(ctx, t, "home")
	do(ctx, t,
		chromedp.Click(`a.figure[data-figure="党组集中学习"]`),
		// The home page has tables too: wait for the ledger's search form.
		chromedp.WaitVisible(`form[role=search]`),
	)
	if h := text(ctx, t, `h1`); !strings.Contains(h, "共 12 条") {
		t.Fatalf("list heading after clicking the figure: %q", h)
	}
	shot(ctx, t, "list")
	do(ctx, t,
		chromedp.Navigate(base+"/ledger/new?type=central_group"),
		chromedp.WaitVisible(`input[name=title]`),
		chromedp.SendKeys(`input[name=title]`, "浏览器登记的安全生产专题学习"),
		chromedp.SetValue(`input[name=date]`, "2023-07-03"),
		chromedp.Click(`button[data-all-present]`),
		chromedp.Click(`input[name=topics][value=anquan]`),
	)
	shot(ctx, t, "form")
	do(ctx, t,
		chromedp.Submit(`input[name=title]`),
		chromedp.WaitVisible(`dl.facts`),
	)
	detail := text(ctx, t, `main`)
	if !strings.Contains(detail, "浏览器登记的安全生产专题学习") || !strings.Contains(detail, "缺席 0 人") || !strings.Contains(detail, "安全生产") {
		t.Fatalf("detail after submit: %.500s", detail)
	}
	shot(ctx, t, "detail")
	do(ctx, t,
		chromedp.Navigate(base+"/ledger"),
		chromedp.WaitVisible(`input[name=q]`),
		chromedp.SendKeys(`input[name=q]`, "浏览\n"),
		// Only a filtered list offers 清除条件; the unfiltered one is still
		// on screen until the search answers.
		chromedp.WaitVisible(`form[role=search] a[href="/ledger"]`),
	)
	if found := text(ctx, t, `table.grid`); !strings.Contains(found, "浏览器登记的安全生产专题学习") {
		t.Fatalf("search result: %q", found)
	}
	shot(ctx, t, "search")
}
