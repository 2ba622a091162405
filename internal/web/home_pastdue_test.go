package web_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/supervise"
)

var (
	homeOverdueRE = regexp.MustCompile(`<h2>已逾期 <span class="count">(\d+)</span></h2>`)
	myPastDueRE   = regexp.MustCompile(`<small class="bad">已逾期 (\d+) 项</small>`)
	rectCardRE    = regexp.MustCompile(`(?s)<section class="card" id="open-rects">.*?</section>`)
)

// TestHomePastDueAndRectGroups opens the demo as its 专干 on 7 December
// 2026, the day the issue was seen: the home page (on 2023年上半年) said
// "已逾期 0 无" while 我的任务 listed 7 past-due items, and its 整改 card
// listed every item the reminder job had opened for 2026年11月.
//   - One definition (supervise.PastDue): the home count is every
//     unfinished obligation of 2023 whose deadline has passed, and it is
//     at least 我的任务's count of the 专干's own.
//   - The 整改 card shows a group per source and deadline month, not an
//     item per line.
func TestHomePastDueAndRectGroups(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	e.now = time.Date(2026, 12, 7, 9, 0, 0, 0, cntime.Zone)
	info := loadDemo(t, st)
	svc := service.New(st, service.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.SetClock(func() time.Time { return e.now })
	if _, err := svc.Remind(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.demoLogin("zhuangan")
	_, home := c.get("/")
	if !strings.Contains(home, "2023年上半年") {
		t.Fatal("home is not on 2023年上半年")
	}
	m := homeOverdueRE.FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no 已逾期 card on the 专干's home page")
	}
	got, _ := strconv.Atoi(m[1])
	_, sc := storetest.Login(t, st, "zhuangan")
	all, err := svc.Compliance(context.Background(), sc, []int64{info.UnitID}, 2023)
	if err != nil {
		t.Fatal(err)
	}
	want := len(supervise.PastDue(all[info.UnitID].Results))
	if got != want || want == 0 {
		t.Errorf("home 已逾期 %d, the unit has %d obligations of 2023 past due", got, want)
	}
	_, my := c.get("/supervise/my")
	mm := myPastDueRE.FindStringSubmatch(my)
	if mm == nil {
		t.Fatal("我的任务 shows no past-due count")
	}
	if mine, _ := strconv.Atoi(mm[1]); mine == 0 || mine > got {
		t.Errorf("我的任务 says 已逾期 %d, home %d", mine, got)
	}

	rects, err := st.Rects(context.Background(), sc, store.RectFilter{UnitID: info.UnitID})
	if err != nil {
		t.Fatal(err)
	}
	groups := supervise.GroupOpenRects(rects, "2026-12-07")
	open := 0
	for _, g := range groups {
		open += len(g.Items)
	}
	if open < 5 || len(groups) >= open {
		t.Fatalf("the reminder round opened %d items in %d groups; the test needs a round of several", open, len(groups))
	}
	card := rectCardRE.FindString(home)
	if !strings.Contains(card, `<span class="count">`+strconv.Itoa(open)+`</span>`) || strings.Count(card, "<details>") == 0 || !strings.Contains(card, "督导自动发现 · ") {
		t.Errorf("整改 card not grouped:\n%s", card)
	}
	if top := strings.Count(card, "<summary>"); top != len(groups)-singles(groups) {
		t.Errorf("%d groups shown, want %d", top, len(groups)-singles(groups))
	}
}

func singles(gs []supervise.RectGroup) int {
	n := 0
	for _, g := range gs {
		if len(g.Items) == 1 {
			n++
		}
	}
	return n
}
