package web_test

import (
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestReportFigureOpinionEvent: the records behind a 研判报告 figure about
// an opinion event are that event (linked), not a ledger record of the
// same number shown as "已删除", and the source is named as 舆情监测.
func TestReportFigureOpinionEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		code, page := c.get("/reports/new?kind=analysis&period=2023H1")
		if code != 200 {
			t.Fatalf("analysis report: %d", code)
		}
		m := regexp.MustCompile(`/reports/figure/opinion_event_(\d+)_heat`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the demo's 研判报告 has no opinion event figure")
		}
		code, fig := c.get(m[0] + "?kind=analysis&period=2023H1")
		if code != 200 {
			t.Fatalf("%s: %d", m[0], code)
		}
		if !strings.Contains(fig, `href="/opinion/events/`+m[1]+`">#`+m[1]+`</a>`) || !strings.Contains(fig, "舆情事件 #"+m[1]) {
			t.Errorf("figure page does not list event %s: %.2000s", m[1], fig)
		}
		if strings.Contains(fig, "该记录已删除或无权查看") || strings.Contains(fig, "查看当前台账") || !strings.Contains(fig, "舆情监测") {
			t.Errorf("figure page treats the event as a ledger record: %.2000s", fig)
		}
	})
}
