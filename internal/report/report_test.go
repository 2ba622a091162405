package report_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/supervise"
)

// scopeOf logs in a demo user the way the web server does.
func scopeOf(t testing.TB, st *store.Store, username string) (store.Actor, access.Scope) {
	return storetest.Login(t, st, username)
}

// source is the ledger as sc sees it, the way the server builds reports.
func source(st *store.Store, sc access.Scope) report.Source {
	return service.New(st, service.Config{}, nil).ReportSource(sc)
}

func demoReport(t testing.TB, st *store.Store, username string, kind report.Kind, period string) (*report.Report, demo.Info) {
	t.Helper()
	info, err := demo.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, username)
	p, err := ledger.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), source(st, sc), report.Request{Kind: kind, UnitID: info.UnitID, Period: p})
	if err != nil {
		t.Fatal(err)
	}
	return r, info
}

// independent computes the half-year figures without the report's
// queries: per-type counts from the demo's own tables, and the filtered
// figures by reading every entry of the half-year and testing it in Go.
type independent struct {
	byType                 map[string]int
	late                   int
	leaderLecture, clients []int64
	centralIDs             []int64
	total                  int
}

func computeIndependent(t *testing.T, st *store.Store, sc access.Scope, unitID int64) independent {
	t.Helper()
	ctx := context.Background()
	acts, _, err := st.ListActivities(ctx, sc, ledger.Filter{UnitID: unitID, From: "2023-01-01", To: "2023-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	leaders, err := st.LeaderIDs(ctx, unitID)
	if err != nil {
		t.Fatal(err)
	}
	in := independent{byType: map[string]int{}, total: len(acts)}
	for _, a := range acts {
		in.byType[a.Type]++
		if a.LateDays(cntime.Zone) >= 7 {
			in.late++
		}
		if a.Type == ledger.PartyLecture && slices.Contains(leaders, a.LeadID) {
			in.leaderLecture = append(in.leaderLecture, a.ID)
		}
		if a.Type == ledger.Preach && a.AudienceType == "服务对象" {
			in.clients = append(in.clients, a.ID)
		}
		if a.Type == ledger.CentralGroup {
			in.centralIDs = append(in.centralIDs, a.ID)
		}
	}
	for _, l := range [][]int64{in.leaderLecture, in.clients, in.centralIDs} {
		slices.Sort(l)
	}
	return in
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// TestHalfYearFiguresMatchLedger: the 2023H1 report of the demo bureau has
// the figures an independent count of the demo ledger gives, in its text
// as the seed words them, each with the records behind it.
func TestHalfYearFiguresMatchLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r, info := demoReport(t, st, "zhuangan", report.HalfYear, "2023H1")
		_, sc := scopeOf(t, st, "zhuangan")
		in := computeIndependent(t, st, sc, info.UnitID)
		exp := demo.ExpectedH1()
		if exp[ledger.CentralGroup] == 0 || len(in.clients) == 0 || len(in.leaderLecture) == 0 {
			t.Fatalf("demo lacks the records this test needs: %v", exp)
		}
		cases := []struct {
			key  string
			want int
			ids  []int64 // nil: only the count is checked
		}{
			{"central_group", exp[ledger.CentralGroup], in.centralIDs},
			{"party_gov_meeting", exp[ledger.PartyGovMeeting], nil},
			{"topic_study", exp[ledger.TopicStudy], nil},
			{"leading_group", exp[ledger.LeadingGroup], nil},
			{"analysis_report", exp[ledger.AnalysisReport], nil},
			{"business_lecture", exp[ledger.BusinessLecture], nil},
			{"branch_life", exp[ledger.BranchCongress] + exp[ledger.BranchCommittee] + exp[ledger.PartyGroup] + exp[ledger.ThemeDay], nil},
			{"leader_lecture", len(in.leaderLecture), in.leaderLecture},
			{"preach_clients", len(in.clients), in.clients},
			{"late", demo.ExpectedLate(7), nil},
			{"total", in.total, nil},
			{"topic_buzhang", 0, []int64{}},
		}
		for _, c := range cases {
			f := r.Figure(c.key)
			if f == nil {
				t.Errorf("%s: no such figure", c.key)
				continue
			}
			if f.Value != c.want || len(f.IDs) != c.want {
				t.Errorf("%s (%s) = %d with %d records, independent count %d", c.key, f.Label, f.Value, len(f.IDs), c.want)
			}
			if c.ids != nil && !slices.Equal(sorted(f.IDs), c.ids) {
				t.Errorf("%s: records %v, want %v", c.key, f.IDs, c.ids)
			}
			if f.Source == "ledger" && !strings.HasPrefix(f.Link, "/ledger?") {
				t.Errorf("%s: link %q", c.key, f.Link)
			}
		}
		// 信息 figures against the information module's tables, counted here.
		var written, published int
		if err := st.DB().QueryRow(`SELECT COUNT(*) FROM info_drafts WHERE unit_id = $1 AND deleted_at IS NULL AND status <> 'withdrawn'
			AND submitted_date >= '2023-01-01' AND submitted_date <= '2023-06-30'`, info.UnitID).Scan(&written); err != nil {
			t.Fatal(err)
		}
		if err := st.DB().QueryRow(`SELECT COUNT(DISTINCT p.draft_id) FROM info_publications p JOIN info_drafts d ON d.id = p.draft_id
			WHERE p.unit_id = $1 AND p.deleted_at IS NULL AND d.deleted_at IS NULL AND p.date >= '2023-01-01' AND p.date <= '2023-06-30'`, info.UnitID).Scan(&published); err != nil {
			t.Fatal(err)
		}
		t.Logf("信息：%d written, %d published", written, published)
		if f := r.Figure("info_written"); f.Value != written || len(f.IDs) != written || f.Display != report.RoundDown(written) || f.Missing {
			t.Errorf("信息 written %+v, independent count %d", f, written)
		}
		if f := r.Figure("info_published"); f.Value != published || len(f.IDs) != published {
			t.Errorf("信息 published %d, independent count %d", f.Value, published)
		}
		if !strings.Contains(plain(r), fmt.Sprintf("已撰写整理各类信息%s条，在各类媒体发表%d条", report.RoundDown(written), published)) {
			t.Error("信息 figures not in the text as offices write them")
		}
		if in.total != sumMap(exp) {
			t.Errorf("ledger has %d entries in 2023H1, demo tables %d", in.total, sumMap(exp))
		}
		text := plain(r)
		for _, want := range []string{
			"示范区农业农村局党组2023年上半年意识形态工作总结及下半年工作安排",
			fmt.Sprintf("党组集中学习%d次，召开党政工作会%d次", exp[ledger.CentralGroup], exp[ledger.PartyGovMeeting]),
			fmt.Sprintf("党组成员上党课%d次，为服务对象宣讲%d次", len(in.leaderLecture), len(in.clients)),
			fmt.Sprintf("上报分析研判报告%d篇", exp[ledger.AnalysisReport]),
			"一、上半年工作完成情况", "二、存在问题及下一步工作打算",
			// Problems and plan drafted from the data.
			"必修课“宣传部长会议精神”（计划6月学习）未按计划开展学习",
			fmt.Sprintf("其中%d条的登记日期比活动日期晚7天及以上", demo.ExpectedLate(7)),
			"补上年度学习计划中未按期开展的6月“学习全省宣传部长会议精神”",
			"全年专题研究意识形态工作不少于2次，截至2023年6月30日已开展1次，须于2023年12月31日前至少再开展1次",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("report text lacks %q", want)
			}
		}
		if strings.Contains(text, "*") || strings.Contains(text, "{") {
			t.Error("report text has an unfilled placeholder")
		}
	})
}

func sumMap(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func plain(r *report.Report) string {
	var b strings.Builder
	b.WriteString(r.Title + "\n")
	for _, blk := range r.Blocks {
		b.WriteString(r.Plain(blk.Text) + "\n")
	}
	return b.String()
}

// TestFigureFollowsLedger: changing a ledger entry changes the figure and
// its provenance.
func TestFigureFollowsLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r, info := demoReport(t, st, "zhuangan", report.HalfYear, "2023H1")
		actor, sc := scopeOf(t, st, "zhuangan")
		before := r.Figure("central_group")
		moved := before.IDs[0]
		a, err := st.Activity(ctx, sc, moved)
		if err != nil {
			t.Fatal(err)
		}
		a.Date = "2022-12-30" // it happened before the half-year after all
		if err := service.New(st, service.Config{}, nil).UpdateActivity(ctx, actor, sc, &a); err != nil {
			t.Fatal(err)
		}
		p, _ := ledger.ParsePeriod("2023H1")
		after, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		cg, tot := after.Figure("central_group"), after.Figure("total")
		if cg.Value != before.Value-1 || slices.Contains(cg.IDs, moved) {
			t.Errorf("党组集中学习 after moving #%d out: %d %v, was %d", moved, cg.Value, cg.IDs, before.Value)
		}
		if tot.Value != r.Figure("total").Value-1 || slices.Contains(tot.IDs, moved) {
			t.Errorf("total after moving #%d out: %d", moved, tot.Value)
		}
		if !strings.Contains(plain(after), fmt.Sprintf("党组集中学习%d次", before.Value-1)) {
			t.Error("report text did not follow the ledger")
		}
		moved = after.Figure("party_gov_meeting").IDs[0]
		// Deleting it removes it from every figure.
		if err := service.New(st, service.Config{}, nil).DeleteActivity(ctx, actor, sc, moved); err != nil {
			t.Fatal(err)
		}
		again, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		if pg := again.Figure("party_gov_meeting"); pg.Value != r.Figure("party_gov_meeting").Value-1 || slices.Contains(pg.IDs, moved) || slices.Contains(again.Figure("total").IDs, moved) {
			t.Error("a deleted entry still counts")
		}
	})
}

// TestBuildScope: only readers of the whole unit get its report.
func TestBuildScope(t *testing.T) {
	st := storetest.SQLite(t)
	info, err := demo.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ledger.ParsePeriod("2023H1")
	cases := []struct {
		user   string
		unitID int64
		ok     bool
	}{
		{"zhuangan", info.UnitID, true},
		{"wangjianguo", info.UnitID, true},
		{"ducha", info.UnitID, true},
		{"tangjing", info.UnitID, false}, // a department's 信息员
		{"zhuangan", info.UnitID + 1000, false},
	}
	for _, c := range cases {
		_, sc := scopeOf(t, st, c.user)
		_, err := report.Build(context.Background(), source(st, sc), report.Request{Kind: report.HalfYear, UnitID: c.unitID, Period: p})
		if c.ok && err != nil {
			t.Errorf("%s: %v", c.user, err)
		}
		if !c.ok && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s on unit %d: err %v, want not found", c.user, c.unitID, err)
		}
	}
	_, sc := scopeOf(t, st, "zhuangan")
	if _, err := report.Build(context.Background(), source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: ledger.Period{Key: "2023"}}); err == nil {
		t.Error("a half-year report accepted a whole year")
	}
}

func TestRoundDown(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 10: "10", 127: "120余", 120: "120", 99: "90余", 1234: "1200余", 2000: "2000"} {
		if got := report.RoundDown(n); got != want {
			t.Errorf("RoundDown(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEditTextRoundTrip(t *testing.T) {
	r := &report.Report{Figures: []*report.Figure{{Key: "central_group", Label: "党组集中学习", Display: "12"}}}
	stored := "今年党组集中学习{central_group}次。"
	edit := r.EditText(stored)
	if edit != "今年党组集中学习【党组集中学习】次。" {
		t.Fatalf("edit text %q", edit)
	}
	back, err := r.ParseEditText(edit + "补充一句。")
	if err != nil || back != "今年党组集中学习{central_group}次。补充一句。" {
		t.Errorf("parsed %q, %v", back, err)
	}
	if _, err := r.ParseEditText("【党组学习】"); err == nil || !strings.Contains(err.Error(), "【党组学习】") {
		t.Errorf("unknown figure accepted: %v", err)
	}
	if got := r.Plain(stored); got != "今年党组集中学习12次。" {
		t.Errorf("plain %q", got)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	head := "kind: half-year\nversion: 1\ntitle: T\n---\n"
	cases := []struct{ name, src, want string }{
		{"no header", "---\np a 正文", "缺少"},
		{"bad style", head + "x a 正文", "未知的样式"},
		{"no text", head + "p a", "缺少键或正文"},
		{"duplicate key", head + "p a 一\np a 二", "重复"},
		{"bad auto", head + "auto nothing", "未知的自动段落"},
		{"bad rule", "kind: half-year\nversion: 1\ntitle: T\nrule: x\n---\n", "rule"},
		{"bad kind", "kind: weekly\n", "报告类型"},
	}
	for _, c := range cases {
		_, err := report.ParseTemplate(c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
	for _, k := range report.Kinds {
		if k == report.InfoMonthly {
			continue // the information module's bulletin, not a template
		}
		if _, err := report.LoadTemplate(k); err != nil {
			t.Errorf("embedded template of %s: %v", k, err)
		}
	}
}

// TestReportUsesUnitRules: the report judges the obligation the unit's own
// supervision rule states, not the template's default.
func TestReportUsesUnitRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r, info := demoReport(t, st, "zhuangan", report.HalfYear, "2023H1")
		if !strings.Contains(plain(r), "不少于2次") {
			t.Fatalf("default requirement not stated: %s", plain(r))
		}
		actor, sc := scopeOf(t, st, "zhuangan")
		rule := supervise.Presets(info.UnitID, supervise.PresetValidFrom)[0] // 专题研究意识形态工作
		if rule.Type != ledger.TopicStudy {
			t.Fatalf("first preset is %s", rule.Type)
		}
		rule.Count = 4
		if _, err := st.SaveRule(ctx, actor, sc, rule, "2023-01-01"); err != nil {
			t.Fatal(err)
		}
		p, _ := ledger.ParsePeriod("2023H1")
		after, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		if text := plain(after); !strings.Contains(text, "不少于4次") || strings.Contains(text, "专题研究意识形态工作不少于2次") {
			t.Fatalf("report ignores the unit's rule: %s", text)
		}
	})
}
