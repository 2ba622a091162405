package textscan_test

import (
	"fmt"
	"strings"

	"zhendi/internal/textscan"
)

func Example() {
	m, err := textscan.Compile([]textscan.Pattern{
		{ID: 1, Text: "化工厂", Category: "安全生产"},
		{ID: 2, Text: "爆炸", Category: "安全生产", Severity: 2},
		{ID: 3, Text: "截止目前", Category: "规范表述", Note: "截至目前"},
	}, textscan.Options{})
	if err != nil {
		panic(err)
	}
	text := "截止目前，某化工厂爆炸原因仍在调查。"
	for _, x := range m.FindAll(text, textscan.LeftmostLongest) {
		p := m.Pattern(x.Pattern)
		line := fmt.Sprintf("%s [%s] 第%d-%d字 %s", text[x.Start:x.End], p.Category, x.RuneStart+1, x.RuneEnd, p.Note)
		fmt.Println(strings.TrimSpace(line))
	}
	fmt.Println(m.Any(text), m.Count(text))
	// Output:
	// 截止目前 [规范表述] 第1-4字 截至目前
	// 化工厂 [安全生产] 第7-9字
	// 爆炸 [安全生产] 第10-11字
	// true 3
}

func ExampleOptions() {
	m := textscan.MustCompile([]textscan.Pattern{{Text: "法轮功"}, {Text: "VPN"}}, textscan.Options{
		FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2,
	})
	for _, text := range []string{"法 轮 功", "法\u200b輪😀功", "翻墙用ｖｐｎ", "法。。。轮功"} {
		for _, x := range m.FindAll(text, textscan.LeftmostLongest) {
			fmt.Printf("%q\n", text[x.Start:x.End])
		}
	}
	// Output:
	// "法 轮 功"
	// "法\u200b輪😀功"
	// "ｖｐｎ"
}

func ExampleCompileScheme() {
	s, err := textscan.CompileScheme([]string{
		"(化工厂 | 化工园区) & (爆炸 | 起火) & !演练",
		"NEAR/5(市长, 道歉)",
	}, textscan.Options{MaxGap: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Eval("化工园区今晨起火"))
	fmt.Println(s.Eval("化工厂消防演练，模拟起火"))
	fmt.Println(s.Eval("市长就此事公开道歉"))

	_, err = textscan.CompileScheme([]string{"(化工厂 | 化工园区"}, textscan.Options{})
	fmt.Println(err)
	// Output:
	// [true false]
	// [false false]
	// [false true]
	// 规则1：第12个字符处：缺少右括号（第1个字符处的左括号没有配对）
}

func ExampleLexicon() {
	lex := textscan.NewLexicon(textscan.MustCompile([]textscan.Pattern{{Text: "旧词"}}, textscan.Options{}))
	m := lex.Load() // a scan keeps using the matcher it loaded
	lex.Store(textscan.MustCompile([]textscan.Pattern{{Text: "新词"}}, textscan.Options{}))
	fmt.Println(m.Any("旧词"), lex.Load().Any("旧词"), lex.Load().Any("新词"))
	// Output: true false true
}

func ExampleLoadTSV() {
	tsv := "# 词\t类别\t级别\t说明\n截止目前\t规范表述\t1\t截至目前\n人材\t易错词\t\t人才\n"
	ps, err := textscan.LoadTSV(strings.NewReader(tsv))
	if err != nil {
		panic(err)
	}
	for _, p := range ps {
		fmt.Printf("%d %s %s %d %s\n", p.ID, p.Text, p.Category, p.Severity, p.Note)
	}
	// Output:
	// 2 截止目前 规范表述 1 截至目前
	// 3 人材 易错词 0 人才
}

func ExampleMatcher_ScanReader() {
	m := textscan.MustCompile([]textscan.Pattern{{Text: "边界"}}, textscan.Options{})
	r := strings.NewReader(strings.Repeat("文", 100000) + "边界")
	_ = m.ScanReader(r, textscan.LeftmostLongest, func(x textscan.Match) bool {
		fmt.Println(x.Start, x.RuneStart)
		return true
	})
	// Output: 300000 100000
}
