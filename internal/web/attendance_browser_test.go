package web_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhendi/internal/storetest"
)

// TestBrowserAttendancePicker drives the attendance picker of a new
// 中心组学习 in Chromium: pick a department, mark everyone it shows
// present, clear the department, search a name from another department
// and mark that person too, submit, and read the saved attendance back
// from the store: exactly the department and the one person, all present.
func TestBrowserAttendancePicker(t *testing.T) {
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
		chromedp.WaitVisible(`nav`),
		chromedp.Navigate(base+"/ledger/new?type=central_group"),
		chromedp.WaitVisible(`[data-attpick] select[data-att-org]`),
		chromedp.SendKeys(`input[name=title]`, "浏览器按部门选人的中心组学习"),
		chromedp.SetValue(`input[name=date]`, "2023-07-04"),
	)
	// The departments offered, and who is in each, as the page lists them.
	orgs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("select[data-att-org] option")).map(o => o.value).filter(v => v)`))
	if err != nil {
		t.Fatal(err)
	}
	staff, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]string](`Array.from(document.querySelectorAll("table.attendance tbody tr[data-org]")).map(tr => [tr.dataset.name, tr.dataset.org])`))
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) < 2 || len(staff) < 4 {
		t.Fatalf("picker offers %d departments for %d people", len(orgs), len(staff))
	}
	// The department with the most people, and someone outside it.
	count := map[string]int{}
	for _, s := range staff {
		count[s[1]]++
	}
	dept := orgs[0]
	for _, o := range orgs {
		if count[o] > count[dept] {
			dept = o
		}
	}
	var want []string
	other := ""
	for _, s := range staff {
		if s[1] == dept {
			want = append(want, s[0])
		} else if other == "" {
			other = s[0]
		}
	}
	if len(want) < 2 || other == "" {
		t.Fatalf("department %s has %v; no one outside it", dept, want)
	}
	pick := func(org string) {
		t.Helper()
		do(ctx, t, chromedp.SetValue(`select[data-att-org]`, org))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("select[data-att-org]").dispatchEvent(new Event("change"))`)); err != nil {
			t.Fatal(err)
		}
	}
	visible := func() int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.attendance tbody tr[data-org]:not([hidden])").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	pick(dept)
	shown := visible()
	if shown != len(want) {
		t.Fatalf("department %s shows %d rows, it has %d people", dept, shown, len(want))
	}
	shot(ctx, t, "attendance-dept")
	// The button is clicked by script: a mouse click at coordinates can
	// miss while the list reflows on a loaded machine, which is not what
	// this test is about.
	markShown := func() {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector("button[data-att-shown]").click(), true)`)); err != nil {
			t.Fatal(err)
		}
	}
	markShown()
	pick("")
	do(ctx, t, chromedp.SendKeys(`input[data-att-name]`, other))
	shown = visible()
	if shown < 1 || shown > 2 {
		t.Fatalf("searching %s shows %d rows", other, shown)
	}
	shot(ctx, t, "attendance-search")
	markShown()
	do(ctx, t,
		chromedp.Submit(`input[name=title]`),
		chromedp.WaitVisible(`dl.facts`),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	path, _, _ := strings.Cut(loc, "?")
	id, err := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("after submit at %s", loc)
	}
	// Everyone whose name contains the searched one was shown and marked.
	for _, s := range staff {
		if s[1] != dept && strings.Contains(s[0], other) {
			want = append(want, s[0])
		}
	}
	_, sc := storetest.Login(t, st, "zhuangan")
	a, err := st.Activity(context.Background(), sc, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, at := range a.Attendance {
		if at.Status != "present" {
			t.Errorf("%s saved as %q", at.Name, at.Status)
		}
		got = append(got, at.Name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("saved attendance %v, want %s and %s: %v", got, dept, other, want)
	}
}
