package textscan

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func pats(words ...string) []Pattern {
	ps := make([]Pattern, len(words))
	for i, w := range words {
		ps[i] = Pattern{ID: i + 1, Text: w}
	}
	return ps
}

func TestFindAllBasic(t *testing.T) {
	m := MustCompile(pats("化工厂", "化工", "工厂", "爆炸", "he", "she", "hers"), Options{})
	text := "某化工厂发生爆炸，ushers"
	got := m.FindAll(text, Overlapping)
	want := []Match{
		{Pattern: 1, Start: 3, End: 9, RuneStart: 1, RuneEnd: 3},
		{Pattern: 0, Start: 3, End: 12, RuneStart: 1, RuneEnd: 4},
		{Pattern: 2, Start: 6, End: 12, RuneStart: 2, RuneEnd: 4},
		{Pattern: 3, Start: 18, End: 24, RuneStart: 6, RuneEnd: 8},
		{Pattern: 5, Start: 28, End: 31, RuneStart: 10, RuneEnd: 13},
		{Pattern: 4, Start: 29, End: 31, RuneStart: 11, RuneEnd: 13},
		{Pattern: 6, Start: 29, End: 33, RuneStart: 11, RuneEnd: 15},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("overlapping:\n got %v\nwant %v", got, want)
	}
	ll := m.FindAll(text, LeftmostLongest)
	var words []string
	for _, x := range ll {
		words = append(words, text[x.Start:x.End])
	}
	if strings.Join(words, ",") != "化工厂,爆炸,she" {
		t.Fatalf("leftmost-longest: %v", words)
	}
	if m.Count(text) != 7 || !m.Any(text) || m.Any("无关内容") {
		t.Fatalf("Count=%d Any=%v", m.Count(text), m.Any(text))
	}
	first, ok := m.First(text)
	if !ok || first.Pattern != 0 {
		t.Fatalf("First = %v %v", first, ok)
	}
}

func TestNormalisation(t *testing.T) {
	m := MustCompile(pats("法轮功", "abc", "台湾", "中国人民"), Options{FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2})
	cases := []struct {
		text string
		want []string // matched original substrings, leftmost-longest
	}{
		{"练法轮功的", []string{"法轮功"}},
		{"法 轮.功", []string{"法 轮.功"}},
		{"法\u200b轮\u200d功", []string{"法\u200b轮\u200d功"}},
		{"法😀😀轮功", []string{"法😀😀轮功"}},
		{"法😀😀😀轮功", nil}, // gap of 3 > MaxGap
		{"法輪功", []string{"法輪功"}},
		{"ＡＢＣ and A-B-C", []string{"ＡＢＣ", "A-B-C"}},
		{"臺灣", nil}, // 臺 maps to 台 in OpenCC; 灣 → 湾
		{"中國人民", []string{"中國人民"}},
		{"法\xff轮功", []string{"法\xff轮功"}}, // invalid byte is noise
	}
	for _, c := range cases {
		var got []string
		for _, x := range m.FindAll(c.text, LeftmostLongest) {
			got = append(got, c.text[x.Start:x.End])
			if want := utf8.RuneCountInString(c.text[:x.Start]); x.RuneStart != want {
				t.Errorf("%q: RuneStart %d, want %d", c.text, x.RuneStart, want)
			}
		}
		if c.text == "臺灣" {
			// 臺 → 台 is in TSCharacters; check rather than assume.
			c.want = nil
			if loadBaseTables().t2s('臺') == '台' {
				c.want = []string{"臺灣"}
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
	// Without noise skipping, spaces are ordinary characters.
	m2 := MustCompile(pats("a b"), Options{FoldCase: true})
	if got := m2.Count("A B ab"); got != 1 {
		t.Errorf("Count = %d, want 1", got)
	}
}

func TestCompileErrors(t *testing.T) {
	if _, err := Compile(pats(""), Options{}); err == nil {
		t.Error("empty pattern accepted")
	}
	m, err := Compile(pats("甲", "，。", "㎏"), Options{MaxGap: 1})
	if err != nil || !slices.Equal(m.Unmatchable(), []int{1, 2}) || m.Count("甲，。㎏") != 1 {
		t.Errorf("all-noise patterns: err %v, unmatchable %v", err, m.Unmatchable())
	}
	if m, err := Compile(nil, Options{}); err != nil || m.Any("任何文本") {
		t.Errorf("empty lexicon: %v", err)
	}
	if _, err := Compile(pats("\xff"), Options{}); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}

// --- property tests against a naive matcher ---

var alphabet = []string{"中", "国", "人", "民", "a", "b", "A", "ａ", "，", " ", "\u200b", "國", "😀", "\xff", "\xe4\xb8", "1"}

func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func randPatterns(r *rand.Rand, n int) []Pattern {
	letters := []string{"中", "国", "人", "民", "a", "b", "A", "國", "1", "，"}
	var words []string
	for len(words) < n {
		switch {
		case len(words) > 0 && r.IntN(3) == 0: // extend or cut an existing word
			w := words[r.IntN(len(words))]
			if r.IntN(2) == 0 {
				w += letters[r.IntN(len(letters))]
			} else if _, sz := utf8.DecodeLastRuneInString(w); sz < len(w) {
				w = w[:len(w)-sz]
			}
			words = append(words, w)
		default:
			var b strings.Builder
			for range 1 + r.IntN(4) {
				b.WriteString(letters[r.IntN(len(letters))])
			}
			words = append(words, b.String())
		}
	}
	return pats(words...)
}

// naiveUnit is one kept rune of the normalised text with its position.
type naiveUnit struct {
	s          string
	start, end int
	rs, re     int
}

// naive finds overlapping matches by brute force over the normalised rune
// sequence, split into segments at runs of skipped runes longer than MaxGap.
func naive(ps []Pattern, opt Options, text string) []Match {
	n := newNormalizer(opt)
	keep := func(r rune, invalid bool) (string, bool) {
		if invalid {
			return "", false
		}
		if !opt.active() {
			return string(r), true
		}
		if opt.MaxGap > 0 && (IsNoise(r) || IsNoise(n.fold(r))) {
			return "", false
		}
		return string(n.fold(r)), true
	}
	var segs [][]naiveUnit
	var cur []naiveUnit
	gap, ri := 0, 0
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		s, ok := keep(r, r == utf8.RuneError && w == 1)
		if !opt.active() && !ok { // raw mode: invalid bytes are single units that match nothing
			s, ok = "\x00invalid", true
		}
		if !ok {
			gap++
			if gap > opt.MaxGap {
				segs = append(segs, cur)
				cur = nil
			}
		} else {
			gap = 0
			cur = append(cur, naiveUnit{s, i, i + w, ri, ri + 1})
		}
		i += w
		ri++
	}
	segs = append(segs, cur)
	var out []Match
	for pi, p := range ps {
		var key []string
		for _, r := range p.Text {
			if s, ok := keep(r, false); ok {
				key = append(key, s)
			}
		}
		if len(key) == 0 {
			continue // only noise: never matches
		}
		for _, seg := range segs {
			for st := 0; st+len(key) <= len(seg); st++ {
				ok := true
				for j, k := range key {
					if seg[st+j].s != k {
						ok = false
						break
					}
				}
				if ok {
					a, z := seg[st], seg[st+len(key)-1]
					out = append(out, Match{pi, a.start, z.end, a.rs, z.re})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if c := cmp.Compare(a.End, b.End); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Pattern, b.Pattern)
	})
	return out
}

func naiveLL(ms []Match) []Match {
	var out []Match
	pos := 0
	for {
		best := -1
		for i, x := range ms {
			if x.Start < pos {
				continue
			}
			if best < 0 || x.Start < ms[best].Start || x.Start == ms[best].Start && x.End > ms[best].End {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		b := ms[best]
		var same []Match
		for _, x := range ms {
			if x.Start == b.Start && x.End == b.End {
				same = append(same, x)
			}
		}
		slices.SortFunc(same, func(a, b Match) int { return cmp.Compare(a.Pattern, b.Pattern) })
		out = append(out, same...)
		pos = b.End
	}
}

func TestAgainstNaive(t *testing.T) {
	iters := 400
	if testing.Short() {
		iters = 100
	}
	opts := []Options{
		{},
		{FoldWidth: true, FoldCase: true, TradToSimp: true},
		{FoldCase: true, MaxGap: 1},
		{FoldWidth: true, TradToSimp: true, MaxGap: 3},
	}
	r := rand.New(rand.NewPCG(1, 2))
	total := 0
	defer func() {
		// Guard against a vacuous test: the random inputs must produce matches.
		if total < iters {
			t.Errorf("only %d matches in %d iterations", total, iters)
		}
	}()
	for it := range iters {
		opt := opts[it%len(opts)]
		ps := randPatterns(r, 1+r.IntN(30))
		m, err := Compile(ps, opt)
		if err != nil {
			continue // e.g. a pattern that is only noise
		}
		// Small automata scan with stepFree; every other one here uses
		// step, which large automata use, so both are checked.
		m.branchless = it%2 == 0
		for range 5 {
			text := randText(r, r.IntN(50))
			want := naive(ps, opt, text)
			total += len(want)
			got := m.FindAll(text, Overlapping)
			if !slices.Equal(got, want) {
				t.Fatalf("iter %d opt %+v patterns %q text %q overlapping:\n got %v\nwant %v", it, opt, texts(ps), text, got, want)
			}
			if c := m.Count(text); c != len(want) {
				t.Fatalf("Count = %d, want %d", c, len(want))
			}
			var walked []Match
			m.Walk(text, func(p, s, e int) bool {
				walked = append(walked, Match{Pattern: p, Start: s, End: e})
				return true
			})
			if len(walked) != len(want) {
				t.Fatalf("Walk found %d matches, want %d", len(walked), len(want))
			}
			for j, w := range walked {
				if x := want[j]; w.Pattern != x.Pattern || w.Start != x.Start || w.End != x.End {
					t.Fatalf("Walk match %d = %v, want %v", j, w, x)
				}
			}
			if a := m.Any(text); a != (len(want) > 0) {
				t.Fatalf("Any = %v", a)
			}
			wantLL := naiveLL(want)
			gotLL := m.FindAll(text, LeftmostLongest)
			if !slices.Equal(gotLL, wantLL) {
				t.Fatalf("iter %d opt %+v patterns %q text %q leftmost-longest:\n got %v\nwant %v", it, opt, texts(ps), text, gotLL, wantLL)
			}
			f, ok := m.First(text)
			if ok != (len(wantLL) > 0) || ok && f != wantLL[0] {
				t.Fatalf("First = %v %v, want %v", f, ok, wantLL)
			}
			for _, mode := range []Mode{Overlapping, LeftmostLongest} {
				w := want
				if mode == LeftmostLongest {
					w = wantLL
				}
				var streamed []Match
				rd := iotest.OneByteReader(strings.NewReader(text))
				if err := m.ScanReader(rd, mode, func(x Match) bool { streamed = append(streamed, x); return true }); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(streamed, w) && !(len(streamed) == 0 && len(w) == 0) {
					t.Fatalf("ScanReader mode %d text %q:\n got %v\nwant %v", mode, text, streamed, w)
				}
			}
		}
	}
}

func texts(ps []Pattern) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Text)
	}
	return s
}

func TestScanReaderLarge(t *testing.T) {
	// Matches across the 64 KiB chunk boundary.
	m := MustCompile(pats("边界匹配", "匹配"), Options{FoldWidth: true})
	var b bytes.Buffer
	for b.Len() < 64<<10-5 {
		b.WriteString("x")
	}
	b.WriteString("边界匹配")
	b.WriteString(strings.Repeat("y", 70<<10))
	b.WriteString("边界匹配")
	text := b.String()
	var got []Match
	if err := m.ScanReader(strings.NewReader(text), LeftmostLongest, func(x Match) bool { got = append(got, x); return true }); err != nil {
		t.Fatal(err)
	}
	want := m.FindAll(text, LeftmostLongest)
	if len(want) != 2 || !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestInvalidUTF8NeverPanics(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	m := MustCompile(pats("中国", "ab", "国人"), Options{FoldCase: true, MaxGap: 2})
	raw := MustCompile(pats("中国", "ab", "国人"), Options{})
	for range 2000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		s := string(b)
		for _, mm := range []*Matcher{m, raw} {
			for _, x := range mm.FindAll(s, Overlapping) {
				if x.Start < 0 || x.End > len(s) || x.Start >= x.End {
					t.Fatalf("bad offsets %v in %q", x, s)
				}
			}
			mm.Count(s)
			mm.First(s)
		}
	}
}

func TestLargeLexicon(t *testing.T) {
	// Many prefix-sharing patterns: the double array must place them all.
	r := rand.New(rand.NewPCG(5, 6))
	var ps []Pattern
	for range 3000 {
		if w := randText(r, 2+r.IntN(3)); utf8.ValidString(w) {
			ps = append(ps, Pattern{Text: w})
		}
	}
	m := MustCompile(ps, Options{})
	for range 30 {
		text := randText(r, 100)
		got, want := m.FindAll(text, Overlapping), naive(ps, Options{}, text)
		if !slices.Equal(got, want) {
			t.Fatalf("%d matches, want %d", len(got), len(want))
		}
	}
	if m.MemoryBytes() <= 0 || m.States() < 2 {
		t.Fatal("bad diagnostics")
	}
}

func FuzzFindAll(f *testing.F) {
	ps := pats("中国", "国人", "中国人民", "ab", "人", "國")
	opts := []Options{{}, {FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}, {}, {MaxGap: 1}}
	ms := make([]*Matcher, len(opts))
	for i, o := range opts {
		ms[i] = MustCompile(ps, o)
		ms[i].branchless = i < 2 // the last two take the branching step of large automata
	}
	f.Add("中国人民银行", uint8(0))
	f.Add("中 國\u200b人\xff民AB", uint8(1))
	f.Add("中国人中国人民国人", uint8(2))
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		i := int(which) % len(ms)
		got := ms[i].FindAll(text, Overlapping)
		if want := naive(ps, opts[i], text); !slices.Equal(got, want) {
			t.Fatalf("text %q: got %v want %v", text, got, want)
		}
		if ll, want := ms[i].FindAll(text, LeftmostLongest), naiveLL(got); !slices.Equal(ll, want) {
			t.Fatalf("text %q leftmost-longest: got %v want %v", text, ll, want)
		}
	})
}

// TestScanReaderChunks streams random texts in tiny chunks, so that runes,
// matches and noise runs straddle chunk boundaries, and compares with
// scanning the whole text.
func TestScanReaderChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	opts := []Options{{}, {FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}}
	iters := 300
	if testing.Short() {
		iters = 60
	}
	for it := range iters {
		opt := opts[it%len(opts)]
		ps := randPatterns(r, 1+r.IntN(20))
		m, err := Compile(ps, opt)
		if err != nil {
			t.Fatal(err)
		}
		m.branchless = it%4 < 2
		text := randText(r, r.IntN(60))
		chunk := 1 + r.IntN(7)
		for _, mode := range []Mode{Overlapping, LeftmostLongest} {
			var got []Match
			err := m.scanReader(strings.NewReader(text), mode, func(x Match) bool { got = append(got, x); return true }, chunk)
			if err != nil {
				t.Fatal(err)
			}
			if want := m.FindAll(text, mode); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Fatalf("chunk %d mode %d opt %+v patterns %q text %q:\n got %v\nwant %v", chunk, mode, opt, texts(ps), text, got, want)
			}
		}
	}
}

// TestZeroAllocs pins the allocation behaviour of every public scanning
// entry point, raw and normalised, with short and long patterns (the
// latter take their position ring from a pool): none allocates, except
// the ones that return a new slice (FindAll, Eval, Match, Hits), which
// allocate that slice and nothing else.
func TestZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	long := strings.Repeat("长", 70)
	for _, opt := range []Options{{}, {FoldWidth: true, TradToSimp: true, MaxGap: 2},
		{FoldWidth: true, TradToSimp: true, FoldLookalike: true, MaxGap: 2, Barriers: "，。、；：？！,.;:?!"}} {
		for i, ps := range [][]Pattern{pats("中国", "国人", "人民", "中国人民"), pats("中国", "国人", long), pats("中国", "国人", "人民")} {
			m := MustCompile(ps, opt)
			text := strings.Repeat("中国人民，中 国 人。", 20) + long
			if i == 2 { // the two-lane scan of large automata, with its pooled buffers
				m.branchless, m.noPairs = false, false
				text = strings.Repeat(text, 10)
			}
			btext := []byte(text)
			sc, err := CompileScheme([]string{"中国 & 人民", "NEAR/3(中国, 人民) & !美国", "长"}, opt)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]Match, 0, 8192)
			bools := make([]bool, 0, 8)
			walk := func(int, int, int) bool { return true }
			each := func(Match) bool { return true }
			rd := strings.NewReader(text)
			lex := NewLexicon(m)
			zero := map[string]func(){
				"Any":                                 func() { m.Any(text) },
				"AnyBytes":                            func() { m.AnyBytes(btext) },
				"Count":                               func() { m.Count(text) },
				"CountBytes":                          func() { m.CountBytes(btext) },
				"AppendMatches/overlapping":           func() { m.AppendMatches(buf[:0], text, Overlapping) },
				"AppendMatches/leftmost-longest":      func() { m.AppendMatches(buf[:0], text, LeftmostLongest) },
				"AppendMatchesBytes/overlapping":      func() { m.AppendMatchesBytes(buf[:0], btext, Overlapping) },
				"AppendMatchesBytes/leftmost-longest": func() { m.AppendMatchesBytes(buf[:0], btext, LeftmostLongest) },
				"Walk":                                func() { m.Walk(text, walk) },
				"WalkBytes":                           func() { m.WalkBytes(btext, walk) },
				"First":                               func() { m.First(text) },
				"ScanReader/overlapping":              func() { rd.Reset(text); _ = m.ScanReader(rd, Overlapping, each) },
				"ScanReader/leftmost-longest":         func() { rd.Reset(text); _ = m.ScanReader(rd, LeftmostLongest, each) },
				"Lexicon.Load().Count":                func() { lex.Load().Count(text) },
				"Scheme.AppendEval":                   func() { sc.AppendEval(bools[:0], text) },
			}
			// These grow their result by append from nil: as many
			// allocations as that takes, and no more.
			growths := func(n int) float64 {
				var x []Match
				g := 0
				for range n {
					if len(x) == cap(x) {
						g++
					}
					x = append(x, Match{})
				}
				return float64(g)
			}
			one := map[string]struct {
				f    func()
				want float64
			}{
				"FindAll":      {func() { m.FindAll(text, LeftmostLongest) }, growths(len(m.FindAll(text, LeftmostLongest)))},
				"Scheme.Eval":  {func() { _ = append(sc.Eval(text), true) }, 2},
				"Scheme.Match": {func() { sc.Match(text) }, growths(len(sc.Match(text)))},
				"Scheme.Hits":  {func() { sc.Hits(text) }, growths(len(sc.Hits(text)))},
			}
			for _, f := range zero {
				f() // warm the pools
			}
			for name, f := range zero {
				if n := testing.AllocsPerRun(20, f); n != 0 {
					t.Errorf("opt %+v, %d patterns: %s allocates %.0f times per call", opt, len(ps), name, n)
				}
			}
			for name, c := range one {
				c.f()
				if n := testing.AllocsPerRun(20, c.f); n > c.want {
					t.Errorf("opt %+v, %d patterns: %s allocates %.0f times per call, want at most %.0f (its result)", opt, len(ps), name, n, c.want)
				}
			}
		}
	}
}

// TestLongPatternsAgainstNaive uses patterns longer than a scan batch's
// worth of ring entries and texts of hundreds of characters, so that
// matches start many batches back and their starts must survive in the
// position ring (normalised mode) and across streamed chunks.
func TestLongPatternsAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	opt := Options{FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}
	for it := range 40 {
		ps := randPatterns(r, 5+r.IntN(10))
		for range 3 {
			var unit strings.Builder
			for unit.Len() < 8 {
				if s := alphabet[r.IntN(len(alphabet))]; utf8.ValidString(s) {
					unit.WriteString(s)
				}
			}
			ps = append(ps, Pattern{Text: strings.Repeat(unit.String(), 10+r.IntN(30))})
		}
		text := randText(r, 200+r.IntN(600))
		for _, p := range ps[len(ps)-3:] {
			text += p.Text // a long pattern occurs (maybe split by noise)
			text += randText(r, 20)
		}
		for _, o := range []Options{opt, {}} {
			m := MustCompile(ps, o)
			want := naive(ps, o, text)
			if got := m.FindAll(text, Overlapping); !slices.Equal(got, want) {
				t.Fatalf("iter %d opt %+v overlapping: got %d matches, want %d", it, o, len(got), len(want))
			}
			wantLL := naiveLL(want)
			if got := m.FindAll(text, LeftmostLongest); !slices.Equal(got, wantLL) {
				t.Fatalf("iter %d opt %+v leftmost-longest: got %d matches, want %d", it, o, len(got), len(wantLL))
			}
			var streamed []Match
			if err := m.scanReader(strings.NewReader(text), Overlapping, func(x Match) bool { streamed = append(streamed, x); return true }, 1+r.IntN(50)); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(streamed, want) {
				t.Fatalf("iter %d opt %+v streamed: got %d matches, want %d", it, o, len(streamed), len(want))
			}
		}
	}
}
