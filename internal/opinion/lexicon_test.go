package opinion

import (
	"slices"
	"strings"
	"testing"

	"zhendi/internal/apperr"
)

func TestDefaultLexiconParses(t *testing.T) {
	l := DefaultLexicon()
	if len(l.Terms()) < 500 || l.Licence == "" || l.Name == "" {
		t.Fatalf("seed lexicon: %d terms, licence %q, name %q", len(l.Terms()), l.Licence, l.Name)
	}
	if DefaultLexicon() != l {
		t.Error("DefaultLexicon parses again on every call")
	}
}

func TestScore(t *testing.T) {
	l := DefaultLexicon()
	for _, c := range []struct {
		text     string
		negative bool
		terms    []string // negative passages that must be reported
	}{
		{"化工园区发生爆炸，多人受伤", true, []string{"爆炸", "受伤"}},
		{"处置及时，群众很满意", false, nil},
		{"我对处理结果不满意", true, []string{"不满意"}},   // negated positive
		{"服务态度不是很好", true, []string{"不是很好"}},   // negation + degree + positive
		{"现场没有人员伤亡", false, nil},               // negated negative is not negative
		{"价格不贵，东西也不差", false, nil},             // two negated negatives
		{"环境不错，但是服务太差了", true, []string{"太差"}}, // contrast: the second half decides
		{"虽然有点慢，但是态度非常好", false, nil},
		{"送餐好慢", true, []string{"好慢"}},   // 好 intensifies 慢
		{"好像是昨天的事情", false, nil},         // 好像 is not 好
		{"服務態度很差", true, []string{"很差"}}, // traditional characters
		{"ＳＥＲＶＩＣＥ 很糟糕", true, []string{"很糟糕"}},
		{"勺子都没有", true, nil}, // a negation with nothing to negate complains of an absence
		{"今天召开会议", false, nil},
		{"", false, nil},
	} {
		s := l.Score(c.text)
		if s.Negative != c.negative {
			t.Errorf("Score(%q) = %+v, want negative %v", c.text, s, c.negative)
		}
		for _, term := range c.terms {
			if !slices.Contains(s.Terms, term) {
				t.Errorf("Score(%q).Terms = %v, want %q among them", c.text, s.Terms, term)
			}
		}
		if s.Score < -1 || s.Score > 1 {
			t.Errorf("Score(%q) = %v out of range", c.text, s.Score)
		}
	}
	// Degree words scale: 非常差 is more negative than 有点差.
	if a, b := l.Score("非常差").Score, l.Score("有点差").Score; !(a < b) {
		t.Errorf("非常差 %v not below 有点差 %v", a, b)
	}
}

func TestParseLexicon(t *testing.T) {
	good := "\ufeff# 本单位词表\n名称\t环保专题\n许可\t本单位自编，内部使用\n负面\t偷排\t2\n正面\t达标排放\n否定\t未\n程度\t严重\t1.8\n\n"
	l, err := ParseLexicon(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "环保专题" || l.Licence != "本单位自编，内部使用" || len(l.Terms()) != 4 {
		t.Fatalf("parsed %+v", l)
	}
	if !l.Score("企业未达标排放").Negative || !l.Score("严重偷排").Negative || l.Score("达标排放").Negative {
		t.Error("unit lexicon scores wrongly")
	}
	for _, c := range []struct{ in, want string }{
		{"负面\t偷排\n", "许可：请在词表中写明来源与许可（一行“许可<制表符>……”）"},
		{"许可\t自编\n坏类\t偷排\n", "第 2 行：类型应为负面、正面、否定、程度、转折或中性，各列之间用制表符分隔"},
		{"许可\t自编\n负面\t偷排\t-1\n", "第 2 行：权重应为 0 到 100 之间的正数"},
		{"许可\t自编\n负面\t偷排\tabc\n", "第 2 行：权重应为 0 到 100 之间的正数"},
		{"许可\t自编\n负面\t偷排\n负面\t偷排\n", "第 3 行：词“偷排”与第 2 行重复"},
		{"许可\t自编\n负面\t\n", "第 2 行：缺少词"},
		{"许可\t自编\n", "词表：没有词条"},
		{"许可\t自编\n负面\t" + strings.Repeat("长", 21) + "\n", "第 2 行：词“" + strings.Repeat("长", 21) + "”超过 20 个字"},
		{"许可\t自编\n负面\t\xff\xfe\n", "第 2 行：不是 UTF-8 编码"},
		{"许可\t自编\n负面\t" + strings.Repeat("x", 5000) + "\n", "第 2 行：过长"},
	} {
		_, err := ParseLexicon(strings.NewReader(c.in))
		if got := apperr.Message(err); got != c.want {
			t.Errorf("ParseLexicon(%.30q) = %q (%v), want %q", c.in, got, err, c.want)
		}
	}
}

func TestCombine(t *testing.T) {
	unit, err := ParseLexicon(strings.NewReader("名称\t环保专题\n许可\t本单位自编\n负面\t采砂\t2\n正面\t投诉\t1\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Combine(DefaultLexicon(), unit)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Score("河道采砂").Negative || DefaultLexicon().Score("河道采砂").Negative {
		t.Error("the unit's term is not added")
	}
	if c.Score("欢迎投诉").Negative || !DefaultLexicon().Score("又来投诉").Negative {
		t.Error("the unit's weight does not override the seed's")
	}
	if len(c.Terms()) != len(DefaultLexicon().Terms())+1 || !strings.Contains(c.Licence, "本单位自编") {
		t.Errorf("combined: %d terms, licence %q", len(c.Terms()), c.Licence)
	}
}

func TestWeiboEmoticons(t *testing.T) {
	l := DefaultLexicon()
	if !l.Score("又停电了[怒][抓狂]").Negative || l.Score("终于通车了[鼓掌][good]").Negative {
		t.Error("emoticons not scored")
	}
}

func BenchmarkScore(b *testing.B) {
	l := DefaultLexicon()
	text := "小区旁边的化工厂昨晚又在偷排，气味非常刺鼻，居民多次投诉都没有人管，希望有关部门尽快调查处理。"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		l.Score(text)
	}
}

// TestScorePublicAffairs checks the seed lexicon on public-affairs
// sentences written for this test (a regression check of the lexicon's
// own domain, not a measurement: the measurement is on the reviews).
func TestScorePublicAffairs(t *testing.T) {
	l := DefaultLexicon()
	negative := []string{
		"小区停水三天没人管，打市民热线也没用",
		"化工厂夜里偷排污水，河水发黑发臭，附近居民苦不堪言",
		"工地拖欠农民工工资半年，工人多次讨薪无果",
		"办个证跑了五趟还没办下来，窗口工作人员态度恶劣",
		"学校食堂出现食物中毒，二十多名学生送医",
		"强拆民房还打伤了老人，简直无法无天",
		"凭什么收这个费用？谁批准的？",
		"道路坍塌出现大坑，已有车辆侧翻",
		"物业乱收费，业主投诉无门",
		"医院排队四个小时，挂号难看病贵",
		"楼盘烂尾三年，购房者维权",
		"这个回应太敷衍了，根本没有解决问题",
	}
	notNegative := []string{
		"区政府及时通报处置进展，群众普遍表示认可",
		"街道开展垃圾分类宣传活动",
		"新建的社区食堂干净实惠，老人们很满意",
		"市应急管理局召开安全生产工作会议",
		"经核实，网传化工厂爆炸系谣言，现场没有发生爆炸，也没有人员伤亡",
		"感谢消防员连夜救援，被困群众全部安全转移",
		"区人社局公布第三季度就业数据",
		"道路修好了，出行方便多了，为政府点赞",
		"政务服务中心推行一窗通办，办事效率明显提升",
		"今天上午召开新闻发布会，介绍全区经济运行情况",
	}
	for _, s := range negative {
		if sc := l.Score(s); !sc.Negative {
			t.Errorf("not negative: %q (%+v)", s, sc)
		}
	}
	for _, s := range notNegative {
		if sc := l.Score(s); sc.Negative {
			t.Errorf("negative: %q (%+v)", s, sc)
		}
	}
}

func TestNegationWordsInsideOtherWords(t *testing.T) {
	l := DefaultLexicon()
	for _, s := range []string{"无线网络很好", "未来很美好", "别人都说很好", "非遗项目展示精彩", "分别获得好评"} {
		if sc := l.Score(s); sc.Negative {
			t.Errorf("%q scored negative: %+v", s, sc)
		}
	}
}

// TestOneCharacterTermsInsideWords: a one-character negative term inside a
// common word that is not negative (破 in 突破, 少 in 青少年, 贵 in 贵州,
// 慢 in 慢性病) does not count; standing as a word it still does. The
// first case is the demo item that was scored negative.
func TestOneCharacterTermsInsideWords(t *testing.T) {
	lex := DefaultLexicon()
	for _, text := range []string{
		"示范区农产品直播带货节开幕。首届农产品直播带货节吸引 50 家合作社参加，首日销售额突破百万元。",
		"区青少年活动中心暑期向少年儿童免费开放。",
		"贵州游客专列今日抵达，景区实行错峰入园。",
		"慢性病患者可在社区医院取药，旧城改造项目破土动工。",
		"警方破获一起盗窃案，追回全部财物。",
	} {
		if s := lex.Score(text); s.Negative {
			t.Errorf("%q scored negative (%.2f, %v)", text, s.Score, s.Terms)
		}
	}
	for _, text := range []string{"外卖送得太慢了。", "包装破了，东西也少。", "价格贵，服务差。"} {
		if s := lex.Score(text); !s.Negative {
			t.Errorf("%q not scored negative (%.2f)", text, s.Score)
		}
	}
}
