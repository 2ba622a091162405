package textscan

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseRule(t *testing.T) {
	cases := []struct{ src, want string }{
		{"化工厂", "化工厂"},
		{"(化工厂 | 化工园区) & (爆炸 | 起火) & !演练", "(((化工厂 | 化工园区) & (爆炸 | 起火)) & !演练)"},
		{"a b c", "((a & b) & c)"},
		{"a | b c", "(a | (b & c))"},
		{"a OR b AND NOT c", "(a | (b & !c))"},
		{"（化工厂｜化工园区）＆！演练", "((化工厂 | 化工园区) & !演练)"},
		{`"hello world" & 你好`, `("hello world" & 你好)`},
		{"“新闻 发布会”", `"新闻 发布会"`},
		{"NEAR/5(化工厂, 爆炸)", "NEAR/5(化工厂, 爆炸)"},
		{"NEAR/0（甲，“乙 丙”）| 丁", `(NEAR/0(甲, "乙 丙") | 丁)`},
		{"a && b || c", "((a & b) | c)"},
		{"!!a", "!!a"},
		{`"AND" & or`, `("AND" & or)`},
	}
	for _, c := range cases {
		r, err := ParseRule(c.src)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", c.src, err)
			continue
		}
		if got := r.String(); got != c.want {
			t.Errorf("ParseRule(%q) = %s, want %s", c.src, got, c.want)
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	cases := []struct {
		src string
		pos int
		msg string
	}{
		{"", 1, "规则为空"},
		{"   ", 1, "规则为空"},
		{"(化工厂 | 化工园区", 12, "缺少右括号（第1个字符处的左括号没有配对）"},
		{"化工厂)", 4, "多余的右括号"},
		{"化工厂 &", 6, "规则不完整，缺少检索词"},
		{"& 爆炸", 1, "运算符前缺少检索词"},
		{"a | | b", 5, "运算符前缺少检索词"},
		{"()", 2, "右括号前缺少检索词"},
		{`"未闭合`, 1, "引号未闭合"},
		{`a ""`, 3, "引号中没有内容"},
		{"NEAR/x(a, b)", 6, "NEAR/ 后应为距离（字符数），如 NEAR/5（词1，词2）"},
		{"NEAR/5 a", 8, "NEAR/n 后应紧跟左括号，如 NEAR/5（词1，词2）"},
		{"NEAR/5(a b)", 10, "NEAR 的两个检索词之间应有逗号"},
		{"NEAR/5(a, (b))", 11, "NEAR 的参数应为检索词或引号短语"},
		{"NEAR/5(a, b, c)", 12, "缺少右括号（NEAR 只接受两个检索词）"},
		{"a, b", 2, "逗号只能用在 NEAR/n（词1，词2）中"},
	}
	for _, c := range cases {
		_, err := ParseRule(c.src)
		var re *RuleError
		if !errors.As(err, &re) {
			t.Errorf("ParseRule(%q): error %v, want *RuleError", c.src, err)
			continue
		}
		if re.Pos != c.pos || re.Msg != c.msg {
			t.Errorf("ParseRule(%q) = %q, want 第%d个字符处：%s", c.src, re.Error(), c.pos, c.msg)
		}
	}
}

func TestScheme(t *testing.T) {
	rules := []string{
		"(化工厂 | 化工园区) & (爆炸 | 起火) & !演练",
		"NEAR/3(市长, 道歉)",
		"!广告",
		`"食品 安全"`,
	}
	s, err := CompileScheme(rules, Options{FoldWidth: true, TradToSimp: true, MaxGap: 1})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []int
	}{
		{"某化工园区昨夜发生爆炸", []int{0, 2}},
		{"化工厂消防演练：模拟起火", []int{2}},
		{"化工厂 爆 炸", []int{0, 2}},  // noise between characters
		{"化工廠爆炸", []int{0, 2}},    // traditional
		{"市长今天又道歉", []int{1, 2}},  // 3 characters apart
		{"市长今天在会上公开道歉", []int{2}}, // 6 characters apart
		{"广告：食品安全", []int{3}},
		{"道歉的市长", []int{1, 2}},
	}
	for _, c := range cases {
		if got := s.Match(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Match(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if hits := s.Hits("化工厂爆炸"); len(hits) != 2 || s.Terms()[hits[0].Pattern] != "化工厂" {
		t.Errorf("Hits = %v", hits)
	}
	if _, err := CompileScheme([]string{"a", "b & \"。。\""}, Options{MaxGap: 1}); err == nil || err.Error() != "规则2：检索词“。。”只含标点或符号，无法匹配" {
		t.Errorf("all-punctuation term: %v", err)
	}
	_, err = CompileScheme([]string{"a", "(b"}, Options{})
	var re *RuleError
	if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), "规则2：第3个字符处") {
		t.Errorf("CompileScheme error = %v", err)
	}
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"(化工厂 | 化工园区) & (爆炸 | 起火) & !演练",
		"NEAR/5(a, b)",
		`"x y" OR “甲乙”`,
		"（甲｜乙）＆！丙",
		"a && b || !c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, err := ParseRule(src)
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RuleError", err)
			}
			if re.Pos < 1 || re.Pos > utf8.RuneCountInString(src)+1 || re.Msg == "" {
				t.Fatalf("bad error position %d for %q (%d chars)", re.Pos, src, utf8.RuneCountInString(src))
			}
			return
		}
		// The canonical form must parse back to itself.
		s := r.String()
		r2, err := ParseRule(s)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", s, src, err)
		}
		if s2 := r2.String(); s2 != s {
			t.Fatalf("canonical form not stable: %q → %q", s, s2)
		}
	})
}
