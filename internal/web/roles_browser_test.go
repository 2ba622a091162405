package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhendi/internal/storetest"
)

// The two screen sizes every page is checked at: the common office laptop
// and a full-HD monitor.
var screens = []struct {
	Name string
	W, H int64
}{{"1366x768", 1366, 768}, {"1920x1080", 1920, 1080}}

// layoutProblems runs in the page and lists what a user would see as broken:
// the page scrolling sideways, a short label or heading broken across lines
// ("确/认新密码"), a control sticking out of the window outside a scroller, a
// placeholder wider than its box.
const layoutProblems = `(() => {
  const out = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) out.push("page scrolls sideways: " + de.scrollWidth + " > " + de.clientWidth);
  const visible = el => el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
  const short = "label, th, button, .button, legend, summary, dt, nav a, h1, h2, h3, figcaption, .figure .l, td.num, td.nowrap, .status, .tag";
  // A short value in a table cell — a name, a date, 修改 — broken in a
  // narrow column ("王建/国" on /plan): up to 7 characters, or a date.
  const cell = "td, td a";
  const date = /^(\d{4}年)?\d{1,2}月\d{1,2}日$|^\d{4}-\d{2}-\d{2}$/;
  const check = (sel, ok) => document.querySelectorAll(sel).forEach(el => {
    if (!visible(el)) return;
    for (const n of el.childNodes) {
      if (n.nodeType !== 3) continue;
      const t = n.textContent.trim();
      if (!ok(t)) continue;
      const r = document.createRange(); r.selectNodeContents(n);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      if (tops.size > 1) out.push("breaks across lines: <" + el.tagName.toLowerCase() + "> " + JSON.stringify(t));
    }
  });
  check(short, t => [...t].length >= 2 && [...t].length <= 12);
  check(cell, t => ([...t].length >= 2 && [...t].length <= 7) || date.test(t));
  const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll") return true; } return false; };
  document.querySelectorAll("input, select, textarea, button, label, .figure, .card, table, .chart-box").forEach(el => {
    if (!visible(el)) return;
    const r = el.getBoundingClientRect();
    if (r.right > de.clientWidth + 1 && !inScroller(el)) out.push("sticks out of the window: <" + el.tagName.toLowerCase() + " class=" + el.className + "> right " + Math.round(r.right));
  });
  const ctx = document.createElement("canvas").getContext("2d");
  document.querySelectorAll("input[placeholder]").forEach(el => {
    if (!visible(el)) return;
    const cs = getComputedStyle(el);
    ctx.font = cs.fontSize + " " + cs.fontFamily;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (ctx.measureText(el.placeholder).width > room + 1) out.push("placeholder cut: " + JSON.stringify(el.placeholder));
  });
  return out;
})()`

// consoleErrors collects the errors a page writes to the console, from
// scripts, the browser log (content-security-policy refusals) and uncaught
// exceptions.
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleErrors) watch(ctx context.Context) {
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				c.mu.Lock()
				c.msgs = append(c.msgs, m.String())
				c.mu.Unlock()
			}
		}
	}()
}

func (c *consoleErrors) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.msgs
	c.msgs = nil
	return out
}

// roleCase is one demo account and what its first page must show.
type roleCase struct {
	user  string
	label string
	first string // a selector only this role's first page has
}

var roleCases = []roleCase{
	{"wangjianguo", "第一责任人", "#role-leader"},
	{"liuzhiqiang", "直接责任人", "#role-leader"},
	{"zhuangan", "意识形态专干", "#role-clerk"},
	{"zhouwenjing", "科室负责人", "#role-clerk"},
	{"majun", "信息员", "#role-info"},
	{"yanghui", "党员干部", "#role-member"},
	{"ducha", "上级督查", "#role-supervisor"},
	{"admin", "系统管理员", "#role-admin"},
	{"shenji", "审计管理员", "#role-admin"},
	{"baomi", "安全保密管理员", "#role-admin"},
}

// TestBrowserEveryRoleEveryPage logs in as each role, checks that its first
// page is the one made for it, then opens every page of its menu (and of
// the sub-menus there) at both screen sizes: no console error, no label
// broken across lines, nothing sticking out, a screenshot of each (kept
// with go test -artifacts), and every chart drawn from its data.
func TestBrowserEveryRoleEveryPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser walk of every page")
	}
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	walked := map[string]bool{}
	for _, rc := range roleCases {
		var menuKey string
		t.Run(rc.user, func(t *testing.T) {
			ctx := browserFor(t, 5*time.Minute) // ten pages at two sizes; minutes on a loaded machine
			var errs consoleErrors
			errs.watch(ctx)
			dir := t.ArtifactDir()
			do(ctx, t,
				chromedp.Navigate(e.srv.URL+"/login"),
				chromedp.WaitVisible(`input[name=username]`),
				chromedp.SendKeys(`input[name=username]`, rc.user),
				chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
				chromedp.WaitVisible(`header.top`),
			)
			if msgs := errs.take(); len(msgs) > 0 {
				t.Errorf("console errors on the login page: %q", msgs)
			}
			do(ctx, t, chromedp.WaitVisible(rc.first))
			pages := []string{"/"}
			seen := map[string]bool{"/": true}
			links := func() []string {
				hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("header.top nav a, nav.subnav a, nav.supnav a, a.button")].map(a => a.getAttribute("href"))`))
				if err != nil {
					t.Fatal(err)
				}
				return hrefs
			}
			for i := 0; i < len(pages); i++ {
				p := pages[i]
				// Roles whose menu another role has walked get their first
				// page checked only: the pages behind the same menu are the
				// same pages (the suite must fit go test's ten minutes).
				if i == 0 || !walked[menuKey] {
					checkPage(ctx, t, &errs, e.srv.URL+p, filepath.Join(dir, fmt.Sprintf("%s-%02d%s", rc.user, i, slugRE.ReplaceAllString(p, "_"))))
				}
				hrefs := links()
				menu, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("header.top nav a, nav.subnav a, nav.supnav a")].map(a => a.getAttribute("href"))`))
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hrefs {
					// Menu links, and the forms and 月通报 behind a page's
					// buttons when the role has the button.
					if h == "" || !strings.HasPrefix(h, "/") || seen[h] || (!slices.Contains(menu, h) && !formPages[h]) {
						continue
					}
					seen[h] = true
					pages = append(pages, h)
					if h == "/ledger/new" && rc.user != "yanghui" { // the form with the attendance picker (a member writes only personal records)
						pages = append(pages, "/ledger/new?type=central_group")
					}
				}
				if i == 0 {
					menuKey = strings.Join(hrefs, " ")
				}
			}
			walked[menuKey] = true
			if len(pages) < 2 {
				t.Errorf("%s has no menu: %v", rc.label, pages)
			}
			t.Logf("%s: %d pages, screenshots in %s", rc.label, len(pages), dir)
		})
	}
}

// formPages are pages behind buttons, checked when a page offers them:
// the forms whose layout the issue names and the monthly bulletin.
var formPages = map[string]bool{"/ledger/new": true, "/ledger/import": true, "/info/new": true, "/info/bulletin": true,
	"/admin/users/new": true, "/supervise/rect/new": true}

// pageCharts are the charts a page must show (when the role opens it).
var pageCharts = map[string][]string{
	"/leads":              {"chart-leads"},
	"/supervise":          {"chart-compliance", "chart-compliance-months"},
	"/supervise/district": {"chart-district-heat"},
	"/info/bulletin":      {"chart-bulletin", "chart-info-submitted", "chart-info-adopted", "chart-info-points"},
}

// checkPage opens url at both sizes and fails on console errors, layout
// problems and charts that did not draw; it saves one screenshot per size.
func checkPage(ctx context.Context, t *testing.T, errs *consoleErrors, url, shotBase string) {
	t.Helper()
	for i, sc := range screens {
		steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(sc.W, sc.H)}
		if i == 0 {
			// One load per page: the second size re-lays the same page out
			// (charts follow the window's resize event).
			steps = append(steps, chromedp.Navigate(url), chromedp.WaitReady(`footer.foot`))
		}
		do(ctx, t, steps...)
		ready, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll("[data-chart]")].every(el => el.hasAttribute("data-chart-ready") && el.querySelector("canvas"))`))
		if err != nil || !ready {
			t.Errorf("%s at %s: charts not drawn: %v", url, sc.Name, err)
		}
		if i == 0 {
			// A page may send a role elsewhere (督导 opens 我的任务 for
			// someone reading no whole unit): the charts of where it landed.
			path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range pageCharts[path] {
				n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#`+id+` [data-chart-ready] canvas").length`))
				if err != nil || n == 0 {
					t.Errorf("%s: chart %s missing (%v)", path, id, err)
				}
			}
		}
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](layoutProblems))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s at %s: %s", url, sc.Name, p)
		}
		// The whole page at the first size (JPEG), the window at the second (PNG).
		shoot, ext := chromedp.FullScreenshot(70), ".jpg"
		if i > 0 {
			shoot, ext = chromedp.CaptureScreenshot(), ".png"
		}
		buf, err := chromedp.Run(ctx, shoot)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(shotBase+"-"+sc.Name+ext, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, m := range errs.take() {
			t.Errorf("%s at %s: console: %s", url, sc.Name, m)
		}
	}
}

// chartData reads a chart's JSON from the page as the server sent it and
// the values ECharts drew for one category, summed over the series.
func chartData(ctx context.Context, t *testing.T, id string, index int) (sent, drawn float64) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#`+id+` [data-chart]").getAttribute("data-chart")`))
	if err != nil {
		t.Fatalf("chart %s: %v", id, err)
	}
	var c struct {
		Series []struct {
			Values []float64 `json:"values"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatalf("chart %s: %v", id, err)
	}
	for _, s := range c.Series {
		sent += s.Values[index]
	}
	// Horizontal bar charts draw the first category on top, so ECharts
	// holds their values reversed. Poll wants a truthy answer: an array.
	got, err := chromedp.Run(ctx, chromedp.Poll[[]float64](`(() => {
		const ch = echarts.getInstanceByDom(document.querySelector("#`+id+` [data-chart]"));
		if (!ch) return null;
		const o = ch.getOption(), n = o.series[0].data.length;
		const i = o.yAxis[0].type === "category" ? n - 1 - `+strconv.Itoa(index)+` : `+strconv.Itoa(index)+`;
		return [o.series.reduce((a, s) => a + (s.data[i] || 0), 0)];
	})()`))
	if err == nil {
		drawn = got[0]
	}
	if err != nil {
		t.Fatalf("chart %s drawn values: %v", id, err)
	}
	return sent, drawn
}

// slugRE turns a path into part of a file name.
var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

var ledgerTotalRE = regexp.MustCompile(`共 (\d+) 条`)

// TestBrowserHomeChartsMatchLedger checks the home page's charts against
// the ledger: the June bar of the monthly chart equals the number of June
// entries the ledger lists, and clicking the bar opens that list.
func TestBrowserHomeChartsMatchLedger(t *testing.T) {
	ctx := browserFor(t, 3*time.Minute) // ECharts parses 1 MB of script; slow on a loaded machine
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	info := loadDemo(t, st)
	do(ctx, t,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "zhuangan"),
		chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		chromedp.WaitVisible(`#chart-months [data-chart-ready]`),
	)
	sent, drawn := chartData(ctx, t, "chart-months", 5)
	june := url.Values{"unit": {strconv.FormatInt(info.UnitID, 10)}, "from": {"2023-06-01"}, "to": {"2023-06-30"}}
	do(ctx, t, chromedp.Navigate(e.srv.URL+"/ledger?"+june.Encode()), chromedp.WaitVisible(`h1`))
	m := ledgerTotalRE.FindStringSubmatch(text(ctx, t, "h1"))
	if m == nil {
		t.Fatalf("ledger heading: %q", text(ctx, t, "h1"))
	}
	n, _ := strconv.Atoi(m[1])
	if n == 0 || sent != float64(n) || drawn != float64(n) {
		t.Errorf("June: chart sent %v, drew %v, ledger lists %d", sent, drawn, n)
	}
	// The 必修专题 chart: each bar is the count in the table beside it.
	do(ctx, t, chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(`#chart-coverage [data-chart-ready]`))
	for i := range 3 {
		sent, drawn := chartData(ctx, t, "chart-coverage", i)
		cell := text(ctx, t, fmt.Sprintf(`#coverage-table tbody tr:nth-child(%d) td.num`, i+1))
		want, _ := strconv.ParseFloat(strings.TrimSpace(cell), 64)
		if sent != want || drawn != want {
			t.Errorf("coverage row %d: chart sent %v drew %v, table %q", i+1, sent, drawn, cell)
		}
	}
}
