package textscan

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Synthetic benchmarks for `go test -bench . -benchmem`: they show the
// allocation behaviour of each entry point. Throughput on real corpora and
// against other libraries is measured by the harness in bench/.

const benchChars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"

func benchText(n int, seed uint64) string {
	chars := []rune(benchChars)
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for b.Len() < n {
		b.WriteRune(chars[r.IntN(len(chars))])
		if r.IntN(30) == 0 {
			b.WriteString("，")
		}
	}
	return b.String()
}

func benchPatterns(n int) []Pattern {
	chars := []rune(benchChars)
	r := rand.New(rand.NewPCG(7, 7))
	seen := map[string]bool{}
	var ps []Pattern
	for len(ps) < n {
		k := 2 + r.IntN(3)
		var b strings.Builder
		for range k {
			b.WriteRune(chars[r.IntN(len(chars))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			ps = append(ps, Pattern{ID: len(ps), Text: w})
		}
	}
	return ps
}

func benchMatcher(b *testing.B, n int, opt Options) (*Matcher, string) {
	b.Helper()
	m, err := Compile(benchPatterns(n), opt)
	if err != nil {
		b.Fatal(err)
	}
	return m, benchText(1<<20, 1)
}

var normOpt = Options{FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}

// screenNormOpt adds what zhendi's wording screening uses: look-alike
// folding and clause punctuation as gap barriers (both in the symbol
// table, so they should cost nothing per character).
var screenNormOpt = Options{FoldWidth: true, FoldCase: true, TradToSimp: true, FoldLookalike: true, MaxGap: 2, Barriers: "，。、；：？！,.;:?!"}

func BenchmarkCount(b *testing.B) {
	for _, tc := range []struct {
		name string
		opt  Options
	}{{"raw", Options{}}, {"normalised", normOpt}, {"normalised-lookalike-barriers", screenNormOpt}} {
		m, text := benchMatcher(b, 10000, tc.opt)
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				m.Count(text)
			}
		})
	}
}

func BenchmarkAny(b *testing.B) {
	m, _ := benchMatcher(b, 10000, Options{})
	// A post with no match: Any must scan all of it.
	post := strings.Repeat("今天天气很好，我们去公园散步。", 8)
	for m.Any(post) {
		post = post[3:]
	}
	b.SetBytes(int64(len(post)))
	b.ReportAllocs()
	for b.Loop() {
		m.Any(post)
	}
}

func BenchmarkAppendMatches(b *testing.B) {
	for _, tc := range []struct {
		name string
		opt  Options
		mode Mode
	}{
		{"overlapping", Options{}, Overlapping},
		{"leftmost-longest", Options{}, LeftmostLongest},
		{"normalised-overlapping", normOpt, Overlapping},
		{"normalised-lookalike-barriers-overlapping", screenNormOpt, Overlapping},
	} {
		m, text := benchMatcher(b, 10000, tc.opt)
		b.Run(tc.name, func(b *testing.B) {
			var buf []Match
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				buf = m.AppendMatches(buf[:0], text, tc.mode)
			}
		})
	}
}

func BenchmarkCompile100k(b *testing.B) {
	ps := benchPatterns(100000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(ps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
