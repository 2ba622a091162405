package infosub

import (
	"fmt"
	"strings"
	"testing"
)

// find is "category:text:suggest@runeStart-runeEnd" for each finding.
func findings(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%s:%s@%d-%d", f.Category, f.Text, f.Suggest, f.RuneStart, f.RuneEnd))
	}
	return out
}

// TestIssue13Examples: each example of issue 13 B with its findings and
// character offsets.
func TestIssue13Examples(t *testing.T) {
	s := DefaultScreener()
	for _, c := range []struct {
		text string
		want []string
	}{
		// 1. look-alike characters (U+2FA8 KANGXI RADICAL GATE)
		{"揭露⾨徒会", []string{"敏感词:⾨徒会:@2-5"}},
		{"揭露⻔徒会", []string{"敏感词:⻔徒会:@2-5"}}, // U+2ED4, radicals supplement
		// 2. inside a longer word
		{"大力推进现代农业部署春耕", nil},
		{"农业部部署春耕", []string{"过时称谓:农业部:农业农村部@0-3"}},
		// 3. not across clause punctuation
		{"加强生态环境保护，部署专项行动", nil},
		{"环境 保护部", []string{"过时称谓:环境 保护部:生态环境部@0-6"}},
		{"法，轮，功", []string{"敏感词:法，轮，功:@0-5"}},
		// 4. half-width punctuation between Chinese characters
		{"会议顺利召开.会议要求各支部认真学习.", []string{"标点:.:。@6-7", "标点:.:。@18-19"}},
		{`他说"好"(试行);注:见附件?是!`, []string{"标点:\":“@2-3", "标点:\":”@4-5", "标点:(:（@5-6", "标点:):）@8-9",
			"标点:;:；@9-10", "标点:::：@11-12", "标点:?:？@15-16", "标点:!:！@17-18"}},
		{"会议……等等...", []string{"标点:...:……@6-9"}},
		// nothing inside numbers, times, URLs, e-mail addresses or Latin text
		{"增长3.5%,上午9:30,共1,000人", []string{"标点:,:，@6-7", "标点:,:，@13-14"}},
		{"网址https://www.example.gov.cn/a.html?x=1,邮箱office@example.gov.cn。", []string{"标点:,:，@39-40"}},
		{"他说Hello, world. It is fine.", nil},
		{"1.加强学习", nil},
		// 5. full-width digits and letters
		{"共有１２３名党员参加", []string{"数字日期:１２３:123@2-5"}},
		{"使用ＷＰＳ软件，增长１２．５个百分点", []string{"数字日期:ＷＰＳ:WPS@2-5", "数字日期:１２．５:12.5@10-14"}},
		// 6. short forms of outdated titles
		{"国家工商总局发布通知", []string{"过时称谓:国家工商总局:国家市场监管总局@0-6"}},
	} {
		got := findings(s.Screen(c.text))
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("Screen(%q)\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

// TestOutdatedTitlesBothWays: every 过时称谓 entry is found in a sentence,
// and not inside any longer ordinary word listed for it in 例外_词内.
func TestOutdatedTitlesBothWays(t *testing.T) {
	s := DefaultScreener()
	allow := map[string][]string{}
	for _, x := range DefaultTerms() {
		if x.Category == CatException && x.Suggest != "" {
			allow[x.Suggest] = append(allow[x.Suggest], x.Term)
		}
	}
	n, neg := 0, 0
	var noWord []string
	for _, x := range DefaultTerms() {
		if x.Category != CatOutdated {
			continue
		}
		n++
		text := "近日，" + x.Term + "召开会议。"
		hit := false
		for _, f := range s.Screen(text) {
			if f.Category == CatOutdated && strings.Contains(f.Text, x.Term) || f.Category == CatOutdated && strings.Contains(x.Term, f.Term) {
				hit = true
			}
		}
		if !hit {
			t.Errorf("%s: not found in %q", x.Term, text)
		}
		// Split by clause punctuation it is not the title.
		if rs := []rune(x.Term); len(rs) >= 3 {
			split := "加强" + string(rs[:len(rs)/2]) + "，" + string(rs[len(rs)/2:]) + "工作"
			for _, f := range s.Screen(split) {
				if f.Term == x.Term {
					t.Errorf("%s found across a comma in %q", x.Term, split)
				}
			}
		}
		if len(allow[x.Term]) == 0 {
			noWord = append(noWord, x.Term)
		}
		for _, w := range allow[x.Term] {
			neg++
			text := "大家都说" + w + "很好。"
			for _, f := range s.Screen(text) {
				if f.Term == x.Term {
					t.Errorf("%s found inside the ordinary word %s: %+v", x.Term, w, f)
				}
			}
		}
	}
	t.Logf("%d titles found in a sentence; %d containing words checked quiet", n, neg)
	t.Logf("%d titles that no dictionary word contains or runs into (checked only split by a comma): %s", len(noWord), strings.Join(noWord, "、"))
}

// TestQuotesAfterPartialReplace: replacing every opening quote first
// leaves the closing ones still proposed as closing.
func TestQuotesAfterPartialReplace(t *testing.T) {
	s := DefaultScreener()
	got := findings(s.Screen(`他说“好"，又说“行"。`))
	want := []string{"标点:\":”@4-5", "标点:\":”@10-11"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestKinds(t *testing.T) {
	ks := Kinds(DefaultScreener().Screen("会议召开.会议要求.截止目前,已完成."))
	want := "[{标点 . 。 3} {规范表述 截止目前 截至目前 1} {标点 , ， 1}]"
	if fmt.Sprint(ks) != want {
		t.Errorf("Kinds = %v, want %s", ks, want)
	}
}
