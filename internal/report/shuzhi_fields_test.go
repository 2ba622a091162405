package report_test

import (
	"context"
	"strings"
	"testing"

	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

// TestShuzhiOwnFields (issue 19 part 6, issue 23 述职): the 直接责任人's
// 述职 names the departments in his charge (分管), his responsibility-list
// items, his fields' shortfalls and his 述职's follow-up items — not the
// whole unit's problems; the 第一责任人's does not speak of 一岗双责.
func TestShuzhiOwnFields(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, "zhuangan")
	p, _ := ledger.ParsePeriod("2023")
	build := func(username string) string {
		t.Helper()
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.Shuzhi, UnitID: info.UnitID, Period: p, SubjectID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		return plain(r)
	}
	direct := build("liuzhiqiang")
	for _, want := range []string{"我分管办公室、政策法规科，按照“一岗双责”要求", "对照本人意识形态工作责任清单", "办公室信息报送任务完成率偏低，逐月通报", "对分管的办公室督促不够，信息报送全年应报送信息48条", "2024年督促分管的办公室按期落实信息报送"} {
		if !strings.Contains(direct, want) {
			t.Errorf("直接责任人's 述职 lacks %q\n%s", want, direct)
		}
	}
	if testing.Verbose() {
		t.Log(direct)
	}
	if strings.Contains(direct, "作为第一责任人") {
		t.Errorf("直接责任人's 述职 speaks for the whole unit:\n%s", direct)
	}
	member := build("chenhaiyan")
	if !strings.Contains(member, "我分管产业发展科、农村社会事业科") {
		t.Errorf("班子成员's 述职 lacks the departments in her charge:\n%s", member)
	}
	first := build("wangjianguo")
	if strings.Contains(first, "一岗双责") || !strings.Contains(first, "对照本人意识形态工作责任清单5项职责逐项落实") {
		t.Errorf("第一责任人's 述职:\n%s", first)
	}
}

// TestSummaryAssessSentences (issue 23: no claim without a record): the
// half-year summary claims "五个纳入" only when all five are confirmed, the
// responsibility list when there is one, and 责任追究 only once a case was
// decided by the period's end.
func TestSummaryAssessSentences(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, "zhuangan")
	text := func(period string) string {
		p, _ := ledger.ParsePeriod(period)
		r, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		return plain(r)
	}
	h1 := text("2023H1")
	if strings.Contains(h1, "“五个纳入”") || !strings.Contains(h1, "制定意识形态工作责任清单") || strings.Contains(h1, "突出结果运用") {
		t.Errorf("2023H1 (four of five confirmed, the case decided in October):\n%s", h1)
	}
	if h2 := text("2023H2"); !strings.Contains(h2, "三是突出结果运用") {
		t.Errorf("2023H2 lacks the decided case's sentence:\n%s", h2)
	}
}
