package web_test

import (
	"math"
	"testing"

	"github.com/chromedp/chromedp"

	"zhendi/internal/storetest"
)

// TestBrowserDistrictMatrixStickyNames: at 1366×768 the district matrix
// is wider than its box and scrolls sideways; scrolled to the far right,
// the unit names of the first column are still where they were.
func TestBrowserDistrictMatrixStickyNames(t *testing.T) {
	ctx := browser(t)
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	do(ctx, t,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "ducha"),
		chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		chromedp.WaitVisible(`nav`),
		chromedp.Navigate(e.srv.URL+"/supervise/district"),
		chromedp.WaitVisible(`#district-matrix`),
	)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const box = document.querySelector("#district-matrix").closest(".scrollx");
		const cell = document.querySelector("#district-matrix tbody tr td:first-child");
		const before = cell.getBoundingClientRect().left;
		box.scrollLeft = box.scrollWidth;
		return [box.scrollWidth - box.clientWidth, box.scrollLeft, before, cell.getBoundingClientRect().left, box.getBoundingClientRect().left];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	overflow, scrolled, before, after, boxLeft := got[0], got[1], got[2], got[3], got[4]
	if overflow <= 0 || scrolled <= 0 {
		t.Skipf("the matrix fits its box at 1366 px (overflow %v): nothing to scroll", overflow)
	}
	if math.Abs(after-before) > 1 || after < boxLeft-1 {
		t.Errorf("after scrolling %v px the unit name moved from %v to %v (box at %v)", scrolled, before, after, boxLeft)
	}
	shot(ctx, t, "district-scrolled")
}
