package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhendi/internal/storetest"
)

// TestBrowserReport: the clerk picks 报告 in the menu, generates the
// half-year summary and follows a figure to the records behind it.
func TestBrowserReport(t *testing.T) {
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
		chromedp.Click(`a[href="/reports"]`),
		chromedp.WaitVisible(`form.reportform`),
	)
	shot(ctx, t, "report-menu")
	do(ctx, t,
		chromedp.Submit(`select[name=period]`), // the period picker (issue 16)
		chromedp.WaitVisible(`article.rdoc`),
		chromedp.WaitVisible(`article.rdoc figure.chart-box canvas`),
	)
	shot(ctx, t, "report-draft")
	doc := text(ctx, t, `article.rdoc`)
	for _, want := range []string{"党组集中学习12次，召开党政工作会6次", "二、存在问题及下一步工作打算"} {
		if !strings.Contains(doc, want) {
			t.Errorf("draft lacks %q", want)
		}
	}
	// The title breaks between words as in the Word file ("…总结及下半 /
	// 年工作安排" was the fault): each line of docx.TitleLines is one
	// rendered line.
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]any](`[...document.querySelectorAll("h1.rtitle .tl")].map(s => {
		const r = document.createRange(); r.selectNodeContents(s);
		const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
		return [s.textContent, tops.size];
	})`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"示范区农业农村局党组2023年上半年", "意识形态工作总结及下半年工作安排"}
	if len(lines) != len(want) {
		t.Fatalf("title lines %v, want %v", lines, want)
	}
	for i, l := range lines {
		if l[0] != want[i] || l[1].(float64) != 1 {
			t.Errorf("title line %d: %v on %v rendered lines, want %s on one", i+1, l[0], l[1], want[i])
		}
	}
	// The report's charts (图1, 图2) are drawn in the preview too.
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("article.rdoc figure.chart-box canvas").length`))
	if err != nil {
		t.Fatal(err)
	}
	if drawn < 2 {
		t.Errorf("%d charts drawn in the report preview, want 2", drawn)
	}
	do(ctx, t,
		chromedp.Click(`article.rdoc a.rfig`),
		// The draft has tables too: wait for the figure page's own table.
		chromedp.WaitVisible(`section.card table.grid`),
	)
	shot(ctx, t, "report-figure")
	if h := text(ctx, t, `h1`); !strings.Contains(h, "主要负责人带头中心发言") {
		t.Errorf("figure page heading %q", h)
	}
	if rows := text(ctx, t, `table.grid`); strings.Count(rows, "#") != 9 {
		t.Errorf("figure page lists %d records, want 9: %q", strings.Count(rows, "#"), rows)
	}
}
