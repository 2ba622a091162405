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

// TestOtherKinds builds every kind for the demo bureau and checks that
// each comes out whole: title, figures filled, nothing left unreplaced.
func TestOtherKinds(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, "zhuangan")
	leader, err := st.UserByUsername(ctx, "wangjianguo")
	if err != nil {
		t.Fatal(err)
	}
	exp := demo.ExpectedH1()
	cases := []struct {
		kind    report.Kind
		period  string
		subject int64
		want    []string
	}{
		{report.Annual, "2023", 0, []string{"示范区农业农村局党组2023年度意识形态工作总结", "三、2024年工作打算",
			"全年专题研究意识形态工作1次，未达到不少于2次的要求", "2024年专题研究意识形态工作不少于2次"}},
		{report.InfoMonthly, "2023-05", 0, []string{"示范区农业农村局2023年5月信息编发及台账登记情况通报", "科室（支部）"}},
		{report.Analysis, "2023H1", 0, []string{"意识形态领域情况分析研判报告", "由撰写人", "“宣传部长会议精神”尚未安排学习"}},
		{report.Shuzhi, "2023", leader.ID, []string{"王建国同志2023年度履行意识形态工作责任制情况", "带头开展自学"}},
	}
	for _, c := range cases {
		p, err := ledger.ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(ctx, source(st, sc), report.Request{Kind: c.kind, UnitID: info.UnitID, Period: p, SubjectID: c.subject})
		if err != nil {
			t.Errorf("%s: %v", c.kind, err)
			continue
		}
		text := plain(r)
		for _, b := range r.Blocks {
			for _, row := range b.Rows {
				text += r.Plain(strings.Join(row, "|")) + "\n"
			}
		}
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q\n%s", c.kind, w, text)
			}
		}
		if strings.ContainsAny(text, "{}*") {
			t.Errorf("%s: unfilled placeholder in\n%s", c.kind, text)
		}
		if testing.Verbose() {
			t.Log(text)
		}
	}
	_ = exp
	// 述职 of someone who is not a leader is refused.
	clerk, _ := st.UserByUsername(ctx, "zhuangan")
	p, _ := ledger.ParsePeriod("2023")
	if _, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.Shuzhi, UnitID: info.UnitID, Period: p, SubjectID: clerk.ID}); err == nil {
		t.Error("述职 built for a clerk")
	}
}
