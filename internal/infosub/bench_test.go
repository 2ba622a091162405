package infosub

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// benchTerms returns n extra lexicon entries: the houbb sensitive-word list
// from the shared data folder when it is there (real, noisy terms of 2–70
// characters), otherwise deterministic synthetic Chinese terms.
func benchTerms(tb testing.TB, n int) []Term {
	var out []Term
	if f, err := os.Open("../../../shared/data/lexicon_houbb.txt"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() && len(out) < n {
			t := strings.TrimSpace(sc.Text())
			if t == "" || strings.ContainsAny(t, "\t") || utf8.RuneCountInString(t) > 40 {
				continue
			}
			out = append(out, Term{Term: t, Category: CatSensitive, Severity: SevBlock})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for len(out) < n {
		k := 2 + rng.IntN(4)
		var b strings.Builder
		for range k {
			b.WriteRune(rune(0x4E00 + rng.IntN(3000)))
		}
		out = append(out, Term{Term: b.String(), Category: CatBanned, Severity: SevHint})
	}
	return out
}

// benchDraft is a 5,000-character official-style text with a few findings.
func benchDraft() string {
	para := "今年以来，我局党组坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂，围绕中心、服务大局，旗帜鲜明坚持党管意识形态，严格落实意识形态工作责任制。" +
		"截止目前，全局共开展党组理论学习中心组集中学习6次，召开专题会议研究意识形态工作2次，区环保局与我局联合开展检查。" +
		"一是加强组织领导，成立工作专班，明确责任分工和时间节点；二是深入基层一线，累计开展实地督导12次，解决实际问题15个。"
	var b strings.Builder
	for utf8.RuneCountInString(b.String()) < 5000 {
		b.WriteString(para)
	}
	return string([]rune(b.String())[:5000])
}

// BenchmarkScreen5000 screens a 5,000-character draft against the built-in
// lexicon plus unit terms totalling 50,000 entries (the target:
// under 5 ms).
func BenchmarkScreen5000(b *testing.B) {
	extra := benchTerms(b, 50000-len(DefaultTerms()))
	s, err := NewScreener(extra)
	if err != nil {
		b.Fatal(err)
	}
	text := benchDraft()
	fs := s.Screen(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s.Screen(text)
	}
	b.ReportMetric(float64(s.Terms()), "terms")
	b.ReportMetric(float64(len(fs)), "findings")
}

// BenchmarkCompile50k is the cost of building a unit's screener (done per
// request that screens).
func BenchmarkCompile50k(b *testing.B) {
	extra := benchTerms(b, 50000-len(DefaultTerms()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewScreener(extra); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchDraftHasFindings(t *testing.T) {
	fs := DefaultScreener().Screen(benchDraft())
	if len(fs) < 10 {
		t.Fatalf("bench draft has %d findings", len(fs))
	}
	_ = fmt.Sprint(fs[0])
}
