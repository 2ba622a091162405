package opinion

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"zhendi/internal/apperr"
)

func TestSchemeValidate(t *testing.T) {
	ok := Scheme{Name: "化工安全", Rule: "(化工厂 | 化工园区) & (爆炸 | 起火 | 泄漏) & !演练"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		s    Scheme
		want string
	}{
		{Scheme{Rule: "a"}, "方案名称：不能为空"},
		{Scheme{Name: strings.Repeat("名", 101), Rule: "a"}, "方案名称：不能超过 100 个字"},
		{Scheme{Name: "x", Rule: "  "}, "规则：不能为空"},
		{Scheme{Name: "x", Rule: "(化工厂 | 化工园区 & 爆炸"}, "规则：第17个字符处：缺少右括号"},
		{Scheme{Name: "x", Rule: "化工厂 & ——"}, "规则：检索词“——”只含标点或符号，无法匹配"},
		{Scheme{Name: "x", Rule: "a", Fields: 9}, "检索范围：应为标题、正文或标题和正文"},
		{Scheme{Name: "x", Rule: "a", From: t0, Until: t0}, "结束时间：应晚于开始时间"},
	} {
		err := c.s.Validate()
		if got := apperr.Message(err); !strings.HasPrefix(got, c.want) || got == "" {
			t.Errorf("Validate(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
	// The position comes from textscan and points at the problem.
	err := Scheme{Name: "x", Rule: "化工厂 & (爆炸"}.Validate()
	if got := apperr.Message(err); !strings.HasPrefix(got, "规则：第") || !strings.Contains(got, "个字符处：") {
		t.Errorf("rule error without position: %q", got)
	}
}

func TestSchemeSetEval(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	schemes := []Scheme{
		{ID: 1, Name: "化工", Rule: "(化工厂 | 化工园区) & (爆炸 | 起火 | 泄漏) & !演练"},
		{ID: 2, Name: "标题拆迁", Rule: "拆迁", Fields: FieldTitle},
		{ID: 3, Name: "正文欠薪", Rule: "欠薪 | 讨薪", Fields: FieldText},
		{ID: 4, Name: "只看来源 9", Rule: "爆炸", SourceIDs: []int64{9}},
		{ID: 5, Name: "六月", Rule: "爆炸", From: t0, Until: t0.AddDate(0, 1, 0)},
		{ID: 6, Name: "邻近", Rule: "NEAR/3(化工厂, 起火)"},
	}
	set, err := CompileSchemes(schemes)
	if err != nil {
		t.Fatal(err)
	}
	june := t0.Add(48 * time.Hour)
	for _, c := range []struct {
		name string
		it   Item
		want []int64
	}{
		{"title and text together", Item{Title: "化工园区", Text: "昨夜发生爆炸", Published: june}, []int64{1, 5}},
		{"NOT excludes a drill", Item{Title: "化工厂爆炸演练", Published: june}, []int64{5}},
		{"evasion with spaces", Item{Text: "化 工 厂 起 火", Published: june}, []int64{1, 6}},
		{"NEAR too far", Item{Text: "化工厂今天上午十点左右起火"}, []int64{1}},
		{"title scope", Item{Title: "旧城拆迁补偿", Text: "无"}, []int64{2}},
		{"title scope ignores text", Item{Title: "无", Text: "旧城拆迁补偿"}, nil},
		{"text scope", Item{Title: "欠薪", Text: "农民工讨薪"}, []int64{3}},
		{"text scope ignores title", Item{Title: "欠薪", Text: "无"}, nil},
		{"source filter", Item{SourceID: 9, Text: "爆炸"}, []int64{4}},
		{"window: before", Item{Text: "爆炸", Published: t0.Add(-time.Second)}, nil},
		{"window: start included", Item{Text: "爆炸", Published: t0}, []int64{5}},
		{"window: end excluded", Item{Text: "爆炸", Published: t0.AddDate(0, 1, 0)}, nil},
		{"window: fetched when unpublished", Item{Text: "爆炸", Fetched: june}, []int64{5}},
		{"traditional and full width", Item{Text: "化工廠發生爆炸"}, []int64{1}},
	} {
		var got []int64
		for _, h := range set.Eval(c.it) {
			got = append(got, h.SchemeID)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: hits %v, want %v", c.name, got, c.want)
		}
	}
}

// TestSchemeSpans checks that highlight offsets point at the terms in
// the right field, for every scope.
func TestSchemeSpans(t *testing.T) {
	set, err := CompileSchemes([]Scheme{
		{ID: 1, Name: "全部", Rule: "化工园区 & 爆炸 & !演练"},
		{ID: 2, Name: "标题", Rule: "化工园区", Fields: FieldTitle},
		{ID: 3, Name: "正文", Rule: "爆炸", Fields: FieldText},
	})
	if err != nil {
		t.Fatal(err)
	}
	it := Item{Title: "【快讯】化工园区突发", Text: "今晨，园区一处仓库爆炸，又一次爆炸。"}
	hits := set.Eval(it)
	if len(hits) != 3 {
		t.Fatalf("hits %+v", hits)
	}
	field := func(s Span) string {
		if s.Field == FieldTitle {
			return it.Title
		}
		return it.Text
	}
	want := map[int64][]string{1: {"标题:化工园区", "正文:爆炸", "正文:爆炸"}, 2: {"标题:化工园区"}, 3: {"正文:爆炸", "正文:爆炸"}}
	for _, h := range hits {
		var got []string
		for _, s := range h.Spans {
			got = append(got, s.Field.String()+":"+field(s)[s.Start:s.End])
		}
		if fmt.Sprint(got) != fmt.Sprint(want[h.SchemeID]) {
			t.Errorf("scheme %d spans %v, want %v", h.SchemeID, got, want[h.SchemeID])
		}
	}
}

// Each scheme highlights its own terms even where another scheme's longer
// term covers them.
func TestSchemeSpansPerScheme(t *testing.T) {
	set, err := CompileSchemes([]Scheme{{ID: 1, Name: "短", Rule: "化工"}, {ID: 2, Name: "长", Rule: "化工园区"}})
	if err != nil {
		t.Fatal(err)
	}
	it := Item{Text: "化工园区和化工厂"}
	got := map[int64][]string{}
	for _, h := range set.Eval(it) {
		for _, s := range h.Spans {
			got[h.SchemeID] = append(got[h.SchemeID], it.Text[s.Start:s.End])
		}
	}
	if fmt.Sprint(got[1]) != "[化工 化工]" || fmt.Sprint(got[2]) != "[化工园区]" {
		t.Errorf("spans %v", got)
	}
}

func TestCompileSchemesNamesTheBadOne(t *testing.T) {
	_, err := CompileSchemes([]Scheme{{ID: 1, Name: "好方案", Rule: "a"}, {ID: 2, Name: "坏方案", Rule: "(a"}})
	if msg := apperr.Message(err); !strings.HasPrefix(msg, "方案“坏方案”：规则：第") {
		t.Errorf("error %q", msg)
	}
	_, err = CompileSchemes([]Scheme{{ID: 1, Name: "好方案", Rule: "a"}, {ID: 2, Name: "符号方案", Rule: "a & ——"}})
	if msg := apperr.Message(err); msg != "方案“符号方案”：规则：检索词“——”只含标点或符号，无法匹配" {
		t.Errorf("error %q", msg)
	}
	set, err := CompileSchemes(nil)
	if err != nil || set.Len() != 0 || set.Eval(Item{Text: "x"}) != nil {
		t.Error("an empty set must evaluate to nothing")
	}
}

// BenchmarkSchemeSet20 evaluates 20 schemes over an item, the issue's
// import setting.
func BenchmarkSchemeSet20(b *testing.B) {
	var ss []Scheme
	words := []string{"爆炸", "起火", "泄漏", "欠薪", "拆迁", "污染", "事故", "投诉", "医院", "学校"}
	for i := range 20 {
		ss = append(ss, Scheme{ID: int64(i + 1), Name: fmt.Sprint(i), Fields: Field(i % 3),
			Rule: fmt.Sprintf("(%s | %s) & !演练", words[i%10], words[(i+3)%10])})
	}
	set, err := CompileSchemes(ss)
	if err != nil {
		b.Fatal(err)
	}
	it := Item{Title: "市第一医院附近化工厂发生泄漏", Text: "据现场网友称，该化工厂今天下午发生泄漏事故，周边学校已经疏散学生，居民投诉气味刺鼻，有关部门正在调查。"}
	set.Eval(it)
	b.SetBytes(int64(len(it.Title) + len(it.Text)))
	b.ResetTimer()
	for b.Loop() {
		set.Eval(it)
	}
}
