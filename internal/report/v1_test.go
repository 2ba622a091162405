package report_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/demo"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

// v1Labels are the labels the v1 templates' figures were saved with, for
// the figures today's templates no longer compute.
var v1Labels = map[string]string{
	"total": "台账记录总数", "late": "补记记录", "late_share": "补记记录占比",
	"self_analysis": "本人撰写研判报告", "self_lecture": "本人辅导讲课", "self_meetings": "本人主持会议",
	"self_reflection": "本人撰写心得体会", "self_research": "本人牵头调研", "self_selfstudy": "本人自学", "self_speech": "本人中心发言",
	"first_research": "主要负责人牵头调研", "info_written": "撰写整理各类信息", "info_published": "在各类媒体发表",
}

var v1TokenRE = regexp.MustCompile(`\{([a-z0-9_.]+)\}`)

// savedV1 is a version saved from a v1 template (testdata/v1, the files
// removed when v2 came): the v1 paragraphs with their figure tokens, the
// figures as they were saved — the ones still computed one higher than
// today, the others under their v1 labels.
func savedV1(t *testing.T, kind report.Kind, fresh *report.Report) *report.Report {
	t.Helper()
	src, err := os.ReadFile("testdata/v1/" + string(kind) + ".v1.txt")
	if err != nil {
		t.Fatal(err)
	}
	// "auto depts" of the v1 月通报 is gone; its paragraphs were saved as
	// text and a table, written below.
	text := strings.ReplaceAll(string(src), "auto depts\n", "")
	tpl, err := report.ParseTemplate(text)
	if err != nil {
		t.Fatalf("%s.v1: %v", kind, err)
	}
	vars := strings.NewReplacer("{单位}", fresh.UnitName, "{期间}", fresh.Period.Label, "{本期}", "上半年", "{下期}", "下半年",
		"{年度}", fresh.Period.Key[:4], "{次年}", "2024", "{补记天数}", "14", "{姓名}", fresh.Subject, "{职务}", "党组书记、局长", "{截止}", "2023年6月30日")
	saved := &report.Report{Kind: kind, UnitID: fresh.UnitID, UnitName: fresh.UnitName, Period: fresh.Period, SubjectID: fresh.SubjectID,
		Subject: fresh.Subject, Title: vars.Replace(tpl.Title), Template: tpl.Name()}
	have := map[string]bool{}
	for _, b := range tpl.Blocks {
		if strings.HasPrefix(b.Key, "auto.") {
			continue
		}
		b.Text = vars.Replace(b.Text)
		saved.Blocks = append(saved.Blocks, b)
		for _, m := range v1TokenRE.FindAllStringSubmatch(b.Text, -1) {
			have[m[1]] = true
		}
	}
	if kind == report.InfoMonthly {
		saved.Blocks = append(saved.Blocks, report.Block{Key: "auto.depts.table", Style: "table", Rows: [][]string{{"科室", "台账记录"}, {"办公室", "{total}"}}})
	}
	for key := range have {
		if f := fresh.Figure(key); f != nil {
			c := *f
			c.Value++
			c.Display = strings.TrimSuffix(c.Display, "余") + "0"
			saved.Figures = append(saved.Figures, &c)
			continue
		}
		label, ok := v1Labels[key]
		if !ok {
			t.Fatalf("%s.v1: figure {%s} has no v1 label", kind, key)
		}
		saved.Figures = append(saved.Figures, &report.Figure{Key: key, Label: label, Unit: "条", Value: 7, Display: "7", Source: "ledger", IDs: []int64{}})
	}
	return saved
}

// TestRegenerateFromV1 (issue 23): a version saved from a v1 template —
// whose file is gone — opens, shows what changed, refreshes from today's
// ledger and downloads without a bare {token}: a figure today's template
// no longer computes keeps its saved value and is listed as such, and the
// clerk can still edit and save the text.
func TestRegenerateFromV1(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, "zhuangan")
	for _, c := range []struct {
		kind   report.Kind
		period string
	}{{report.HalfYear, "2023H1"}, {report.Annual, "2023"}, {report.InfoMonthly, "2023-05"}, {report.Analysis, "2023H1"}} {
		t.Run(string(c.kind), func(t *testing.T) {
			p, _ := ledger.ParsePeriod(c.period)
			fresh, err := report.Build(ctx, source(st, sc), report.Request{Kind: c.kind, UnitID: info.UnitID, Period: p, LateDays: 14})
			if err != nil {
				t.Fatal(err)
			}
			body, err := savedV1(t, c.kind, fresh).Encode()
			if err != nil {
				t.Fatal(err)
			}
			rep, err := report.Decode(body) // as the version is read back
			if err != nil {
				t.Fatal(err)
			}
			changes := rep.Changed(fresh)
			stale := rep.Stale(fresh)
			for _, f := range rep.UsedFigures() {
				if fresh.Figure(f.Key) == nil && fresh.FigureByLabel(f.Label) == nil {
					found := false
					for _, s := range stale {
						found = found || s.Key == f.Key
					}
					if !found {
						t.Errorf("{%s} is no longer computed and not listed as such", f.Key)
					}
				} else if len(changes) == 0 {
					t.Errorf("figure %s changed and Changed lists nothing", f.Key)
				}
			}
			rep.Refresh(fresh)
			// A figure fresh computes under the same label now cites
			// today's records; one it does not compute keeps its value.
			for _, f := range rep.UsedFigures() {
				if g := fresh.FigureByLabel(f.Label); g != nil && f != g {
					t.Errorf("【%s】 still cites the saved figure {%s}, not today's {%s}", f.Label, f.Key, g.Key)
				}
			}
			for _, s := range stale {
				if f := rep.Figure(s.Key); f == nil || f.Value != 7 {
					t.Errorf("stale figure {%s} lost its saved value: %+v", s.Key, f)
				}
			}
			if rep.Template == "" || strings.HasSuffix(rep.Template, ".v1") {
				t.Errorf("refreshed version names template %q", rep.Template)
			}
			for _, b := range rep.Blocks {
				texts := append([]string{b.Text}, flat(b.Rows)...)
				for _, s := range texts {
					if plain := rep.Plain(s); v1TokenRE.MatchString(plain) {
						t.Errorf("%s: bare token after refresh: %s", b.Key, plain)
					}
				}
			}
			d, err := rep.DocCharts(nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := docx.Bytes(d); err != nil {
				t.Fatal(err)
			}
			// The clerk edits and saves the refreshed version.
			e := report.Edit{Title: rep.Title, Texts: map[int]string{}}
			for i, b := range rep.Blocks {
				e.Texts[i] = rep.EditText(b.Text)
			}
			if _, err := rep.ApplyEdit(e); err != nil {
				t.Errorf("saving the refreshed version: %v", err)
			}
		})
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// wordingSource is the demo's source with a unit wording of its own.
type wordingSource struct {
	report.Source
	w map[string]string
}

func (s wordingSource) Wording(context.Context, int64, report.Kind) (map[string]string, error) {
	return s.w, nil
}

// TestV1WordingIgnoredWhenStale: a unit's own wording that cites a figure
// the report does not compute (saved under a template whose figure was
// later dropped) is left for the template's wording instead of printing a
// bare {token}; one that cites only current figures is used. (The v1
// half-year's own figures are all still computed; the 述职 figure stands
// for a dropped one.)
func TestV1WordingIgnoredWhenStale(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	_, sc := scopeOf(t, st, "zhuangan")
	p, _ := ledger.ParsePeriod("2023H1")
	src := wordingSource{source(st, sc), map[string]string{
		"intro":   "本局{期间}主要负责人中心发言{self_speech}次。", // a figure the half-year does not compute
		"s1.lead": "本局始终高度重视意识形态工作，{期间}党组集中学习{central_group}次。",
	}}
	r, err := report.Build(ctx, src, report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p, LateDays: 14})
	if err != nil {
		t.Fatal(err)
	}
	var intro, lead string
	for _, b := range r.Blocks {
		switch b.Key {
		case "intro":
			intro = r.Plain(b.Text)
		case "s1.lead":
			lead = r.Plain(b.Text)
		}
	}
	if v1TokenRE.MatchString(intro) || strings.Contains(intro, "中心发言") || !strings.HasPrefix(intro, "意识形态工作是党的一项极端重要的工作") {
		t.Errorf("intro with a stale wording: %s", intro)
	}
	if want := "本局始终高度重视意识形态工作，2023年上半年党组集中学习" + r.Figure("central_group").Display + "次。"; lead != want {
		t.Errorf("current wording not used: %s, want %s", lead, want)
	}
}
