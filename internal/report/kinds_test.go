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
		kind     report.Kind
		period   string
		subject  int64
		want     []string
		wantNone []string
	}{
		{report.Annual, "2023", 0, []string{"示范区农业农村局党组2023年度意识形态工作总结", "三、2024年工作打算",
			"全年专题研究意识形态工作1次，未达到不少于2次的要求", "2024年专题研究意识形态工作不少于2次",
			// the gaps the 通报 of the same year lists
			"（7至12月未开展）", "孙丽萍应讲党课1次，实际未讲", "“三会一课”制度落实不够规范",
			"必修课“宣传部长会议精神”（计划6月、12月学习）未按计划开展学习", "全年舆情监测系统采集涉及本单位的信息18条，形成舆情事件3个。"},
			[]string{"全年登记台账", "述职1次，实作0次", "尚未安排学习"}},
		{report.InfoMonthly, "2023-05", 0, []string{"示范区农业农村局信息编发情况通报", "共报送信息22条", "|合计|22|22|11|6|81|16|"},
			[]string{"余条", "补齐", "抓紧"}},
		{report.Analysis, "2023H1", 0, []string{"意识形态领域情况分析研判报告", "一、总体态势", "二、舆情及热点", "2023年上半年，舆情监测采集涉及本单位的信息18条，新形成舆情事件3个，没有启动舆情处置；期间有信息的舆情事件3个，按期间最高热度排列如下：",
			"；未启动舆情处置。",
			"三、风险研判", "四、应对措施", "〔撰写人研判〕", "发表的57条信息按现行筛查词库复核",
			"补上年度学习计划中未按期开展的6月“学习全省宣传部长会议精神”"},
			[]string{"分析研判报告不少于1篇的要求已完成", "补记", "由撰写人根据本期", "尚未启用"}},
		{report.Shuzhi, "2023", leader.ID, []string{"2023年度意识形态工作述职报告", "示范区农业农村局党组书记、局长　王建国",
			"第一责任人职责", "2023年2月24日讲“学习贯彻党的二十大精神", "我主持召开专题研究意识形态工作会议",
			"全年应开专题研究意识形态工作2次，实开1次"},
			[]string{"一岗双责", "0次", "0篇", "101条", "补记"}},
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
		text = r.Title + "\n" + r.Subtitle + "\n" + text
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q\n%s", c.kind, w, text)
			}
		}
		for _, w := range c.wantNone {
			if strings.Contains(text, w) {
				t.Errorf("%s: says %q\n%s", c.kind, w, text)
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
