package report_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/supervise"
)

// memSource is a unit with an empty ledger and the given rule versions: a
// report built from it needs no database.
type memSource struct {
	unit  org.Node
	rules []supervise.Rule
}

func (m memSource) Unit(_ context.Context, id int64) (org.Node, error) {
	if id != m.unit.ID {
		return org.Node{}, apperr.ErrNotFound
	}
	return m.unit, nil
}
func (m memSource) Nodes(context.Context, int64) ([]org.Node, error) { return []org.Node{m.unit}, nil }
func (m memSource) Users(context.Context, int64) ([]org.User, error) { return nil, nil }
func (m memSource) Rules(context.Context, int64) ([]supervise.Rule, error) {
	return m.rules, nil
}
func (m memSource) Wording(context.Context, int64, report.Kind) (map[string]string, error) {
	return nil, nil
}
func (m memSource) ActivityIDs(context.Context, ledger.Filter) ([]int64, error) { return nil, nil }
func (m memSource) CountByType(context.Context, ledger.Filter) (map[string]int, error) {
	return map[string]int{}, nil
}
func (m memSource) CountByOrgType(context.Context, ledger.Filter) (map[int64]map[string]int, error) {
	return nil, nil
}
func (m memSource) Activities(context.Context, ledger.Filter) ([]ledger.Activity, error) {
	return nil, nil
}
func (m memSource) PlanItems(context.Context, int64, int) ([]ledger.PlanItem, error) { return nil, nil }
func (m memSource) ChannelFigures(context.Context, int64, string, string) (report.ChannelCounts, error) {
	return report.ChannelCounts{}, nil
}

func (m memSource) InfoFigures(context.Context, int64, string, string) (report.InfoCounts, error) {
	return report.InfoCounts{}, nil
}
func (m memSource) InfoBulletin(context.Context, int64, string) (infosub.Bulletin, error) {
	return infosub.Bulletin{}, nil
}
func (m memSource) Region(context.Context, int64) (string, error) { return "", nil }
func (m memSource) Compliance(context.Context, int64, int, string) (*supervise.UnitCompliance, error) {
	return &supervise.UnitCompliance{}, nil
}
func (m memSource) Rects(context.Context, int64) ([]supervise.Rect, error) { return nil, nil }
func (m memSource) ScreenPublished(context.Context, int64, string, string) (report.ScreenSummary, error) {
	return report.ScreenSummary{}, nil
}

// TestRulesInForceAtPeriodEnd: the report states the requirement of the
// unit's rule version in force on the last day of the period (the test
// supervise.Rule.InForce applies for the dashboard), and leaves out an
// obligation the unit has stopped by then.
func TestRulesInForceAtPeriodEnd(t *testing.T) {
	unit := org.Node{ID: 7, Name: "测试局", Kind: org.Unit}
	presets := supervise.Presets(unit.ID, supervise.PresetValidFrom)
	topic, analysis := presets[0], presets[1]
	if topic.Type != ledger.TopicStudy || analysis.Type != ledger.AnalysisReport {
		t.Fatalf("presets changed: %s %s", topic.Type, analysis.Type)
	}
	// 专题研究: 2 until 30 June, then 4. 研判报告: stopped on 31 May.
	old, cur := topic, topic
	old.ValidTo, cur.ValidFrom, cur.Count = "2023-06-30", "2023-07-01", 4
	analysis.ValidTo = "2023-05-31"
	src := memSource{unit: unit, rules: []supervise.Rule{old, cur, analysis}}
	for _, c := range []struct {
		period   string
		want     []string
		wantNone []string
	}{
		{"2023H1", []string{"全年专题研究意识形态工作不少于2次"}, []string{"不少于4次", "意识形态分析研判报告不少于"}},
		{"2023H2", []string{"不少于4次"}, []string{"不少于2次", "意识形态分析研判报告不少于"}},
	} {
		p, _ := ledger.ParsePeriod(c.period)
		r, err := report.Build(context.Background(), src, report.Request{Kind: report.HalfYear, UnitID: unit.ID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		text := plain(r)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", c.period, w, text)
			}
		}
		for _, w := range c.wantNone {
			if strings.Contains(text, w) {
				t.Errorf("%s states %q", c.period, w)
			}
		}
	}
	p, _ := ledger.ParsePeriod("2023H1")
	if _, err := report.Build(context.Background(), src, report.Request{Kind: report.HalfYear, UnitID: 8, Period: p}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unit the source does not show: %v", err)
	}
}

func TestCheckApproval(t *testing.T) {
	const unit = 3
	leader := org.User{ID: 1, Grants: []access.Grant{{Role: access.FirstResp, UnitID: unit}}}
	direct := org.User{ID: 2, Grants: []access.Grant{{Role: access.DirectResp, UnitID: unit}}}
	member := org.User{ID: 4, Grants: []access.Grant{{Role: access.Member, UnitID: unit}}}
	elsewhere := org.User{ID: 5, Grants: []access.Grant{{Role: access.FirstResp, UnitID: unit + 1}}}
	for _, c := range []struct {
		name   string
		u      org.User
		author int64
		want   error
	}{
		{"第一责任人", leader, 9, nil},
		{"直接责任人", direct, 9, nil},
		{"own version", leader, leader.ID, report.ErrSelfApproval},
		{"班子成员", member, 9, report.ErrNotApprover},
		{"other unit", elsewhere, 9, report.ErrNotApprover},
		{"not an approver and the author", member, member.ID, report.ErrNotApprover},
	} {
		if err := report.CheckApproval(c.u, unit, c.author); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if msg := apperr.Message(report.ErrNotApprover); msg != "只有本单位第一责任人或直接责任人可以审批报告" {
		t.Errorf("message %q", msg)
	}
}

func TestApplyEdit(t *testing.T) {
	newReport := func() *report.Report {
		return &report.Report{UnitName: "测试局", Period: ledger.Period{Label: "2023年上半年"}, Title: "总结",
			Figures: []*report.Figure{{Key: "central_group", Label: "党组集中学习", Display: "12"}},
			Blocks: []report.Block{{Key: "h", Style: "h1", Text: "一、情况"}, {Key: "intro", Style: "p", Text: "旧"},
				{Key: "auto.depts.table", Style: "table", Rows: [][]string{{"a"}}}, {Key: "auto.plan.1", Style: "p", Text: "计划"}, {Key: "end", Style: "p", Text: "完"}}}
	}
	r := newReport()
	wording, err := r.ApplyEdit(report.Edit{Title: " 新标题 ", Texts: map[int]string{0: "一、情况", 1: "2023年上半年，测试局学习【党组集中学习】次。", 3: "新计划", 4: ""},
		Own: map[int]bool{1: true, 3: true}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Title != "新标题" || len(r.Blocks) != 4 || r.Blocks[1].Text != "2023年上半年，测试局学习{central_group}次。" || r.Blocks[2].Style != "table" {
		t.Errorf("edited report: %q %+v", r.Title, r.Blocks)
	}
	if len(wording) != 1 || wording["intro"] != "{期间}，{单位}学习{central_group}次。" {
		t.Errorf("wording %v (an auto paragraph is never the unit's wording)", wording)
	}

	r = newReport()
	_, err = r.ApplyEdit(report.Edit{Title: " ", Texts: map[int]string{0: "", 1: "【党组学习】", 3: "x"}})
	msgs, ok := apperr.User(err)
	want := []string{"第 1 段：标题不能为空", "第 2 段：数据项 【党组学习】 不存在（数据项只能从右侧列表插入，不能改名）", "第 5 段没有提交，请刷新页面后重试", "标题不能为空"}
	if !ok || strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("problems %q, want %q", msgs, want)
	}
	if r.Title != "总结" || r.Blocks[1].Text != "旧" || len(r.Blocks) != 5 {
		t.Error("a refused edit changed the report")
	}
}

// TestLockedFigures: issue 14 C2. Replacing 【党组成员上党课】 by "10" would
// save a version saying 10次 while the ledger has 4; the edit is refused,
// as is a count typed anywhere else, and the report stays as it was.
func TestLockedFigures(t *testing.T) {
	newReport := func() *report.Report {
		return &report.Report{Title: "总结", Figures: []*report.Figure{{Key: "lectures", Label: "党组成员上党课", Display: "4", Value: 4}},
			Blocks: []report.Block{{Key: "a", Style: "p", Text: "党组成员上党课{lectures}次，每年不少于1次。"}, {Key: "b", Style: "p", Text: "其他工作。"}}}
	}
	cases := []struct {
		name  string
		texts map[int]string
		want  []string
	}{
		{"figure replaced by a number", map[int]string{0: "党组成员上党课10次，每年不少于1次。", 1: "其他工作。"},
			[]string{"第 1 段：数据项【党组成员上党课】不能删除或改写，数字由台账统计；如数字不对，请修改台账后点“从台账刷新数字”",
				"第 1 段：“10次”是手写的数字；报告中的数字只能从右侧列表插入数据项，不能手写"}},
		{"figure removed", map[int]string{0: "党组成员上党课，每年不少于1次。", 1: "其他工作。"},
			[]string{"第 1 段：数据项【党组成员上党课】不能删除或改写，数字由台账统计；如数字不对，请修改台账后点“从台账刷新数字”"}},
		{"count typed in another paragraph", map[int]string{0: "党组成员上党课【党组成员上党课】次，每年不少于1次。", 1: "开展宣讲 12 场，2023年7月完成。"},
			[]string{"第 2 段：“12 场”是手写的数字；报告中的数字只能从右侧列表插入数据项，不能手写"}},
		{"full-width digits", map[int]string{0: "党组成员上党课【党组成员上党课】次，每年不少于1次。", 1: "覆盖率１００％。"},
			[]string{"第 2 段：“１００％”是手写的数字；报告中的数字只能从右侧列表插入数据项，不能手写"}},
	}
	for _, c := range cases {
		r := newReport()
		_, err := r.ApplyEdit(report.Edit{Title: "总结", Texts: c.texts})
		msgs, ok := apperr.User(err)
		if !ok || strings.Join(msgs, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: %q, want %q", c.name, msgs, c.want)
		}
		if r.Blocks[0].Text != "党组成员上党课{lectures}次，每年不少于1次。" {
			t.Errorf("%s: a refused edit changed the report: %q", c.name, r.Blocks[0].Text)
		}
	}
	// Rewording around the figure, keeping the template's own "1次", a date,
	// and removing a whole paragraph are all fine.
	r := newReport()
	if _, err := r.ApplyEdit(report.Edit{Title: "总结", Texts: map[int]string{0: "上半年党组成员讲党课【党组成员上党课】次（每年不少于1次）。", 1: ""}}); err != nil {
		t.Fatal(err)
	}
	if len(r.Blocks) != 1 || r.Blocks[0].Text != "上半年党组成员讲党课{lectures}次（每年不少于1次）。" {
		t.Errorf("allowed edit: %+v", r.Blocks)
	}
	r = newReport()
	if _, err := r.ApplyEdit(report.Edit{Title: "总结", Texts: map[int]string{0: "", 1: "其他工作于2023年7月5日完成。"}}); err != nil {
		t.Errorf("removing the figure's paragraph, a date typed: %v", err)
	}
}
