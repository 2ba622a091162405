package textscan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// denseText is mostly Chinese from the patterns' letters, so that the
// two-lane loop runs long stretches and matches straddle its seams, with
// some of everything else (noise, invalid bytes, four-byte runes) so that
// the lanes also stop for the general step.
func denseText(r *rand.Rand, n int) string {
	var b strings.Builder
	common := []string{"中", "国", "人", "民", "中国", "人民"}
	for range n {
		if r.IntN(8) == 0 {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		} else {
			b.WriteString(common[r.IntN(len(common))])
		}
	}
	return b.String()
}

// TestLanesAgainstNaive checks the two-lane scan where it matters: texts
// of up to several lane lengths, dense matches across seams, patterns
// long enough that lane A runs far past a seam, every entry point against
// the naive matcher and against the one-lane scan.
func TestLanesAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 12))
	iters := 300
	if testing.Short() {
		iters = 80
	}
	total := 0
	for it := range iters {
		ps := randPatterns(r, 1+r.IntN(40))
		if it%3 == 0 { // long patterns: lane A runs on far past the seam
			unit := strings.ToValidUTF8(denseText(r, 2+r.IntN(4)), "民")
			ps = append(ps, Pattern{Text: strings.Repeat(unit, 5+r.IntN(40))})
		}
		opt := Options{}
		if it%5 == 4 {
			opt = Options{FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}
		}
		m, err := Compile(ps, opt)
		if err != nil {
			t.Fatal(err)
		}
		// Two lanes scan large automata (branchless false) and texts of
		// pairText bytes or more; lanes of a few hundred bytes put many
		// seams in each text.
		m.branchless, m.noPairs = it%4 == 0, false
		m.pairHalf = pairMin + r.IntN(600)
		one := MustCompile(ps, opt) // the same automaton, scanned in one lane
		one.noPairs, one.branchless = true, m.branchless
		text := denseText(r, r.IntN(3000))
		if len(ps[len(ps)-1].Text) > 20 && r.IntN(2) == 0 {
			at := r.IntN(len(text)/4*4 + 1)
			at = runeCut(text, at)
			text = text[:at] + ps[len(ps)-1].Text + text[at:]
		}
		want := naive(ps, opt, text)
		total += len(want)
		if got := m.FindAll(text, Overlapping); !slices.Equal(got, want) {
			t.Fatalf("iter %d: overlapping: got %d matches, want %d; first difference %v", it, len(got), len(want), firstDiff(got, want))
		}
		wantLL := naiveLL(want)
		if got := m.FindAll(text, LeftmostLongest); !slices.Equal(got, wantLL) {
			t.Fatalf("iter %d: leftmost-longest: got %d matches, want %d; first difference %v", it, len(got), len(wantLL), firstDiff(got, wantLL))
		}
		if got := one.FindAll(text, LeftmostLongest); !slices.Equal(got, wantLL) {
			t.Fatalf("iter %d: one lane, leftmost-longest differs", it)
		}
		if c := m.Count(text); c != len(want) {
			t.Fatalf("iter %d: Count = %d, want %d", it, c, len(want))
		}
		if a := m.Any(text); a != (len(want) > 0) {
			t.Fatalf("iter %d: Any = %v", it, a)
		}
		var walked []Match
		m.Walk(text, func(p, s, e int) bool {
			walked = append(walked, Match{Pattern: p, Start: s, End: e})
			return true
		})
		if len(walked) != len(want) {
			t.Fatalf("iter %d: Walk found %d, want %d", it, len(walked), len(want))
		}
		for j, w := range walked {
			if x := want[j]; w.Pattern != x.Pattern || w.Start != x.Start || w.End != x.End {
				t.Fatalf("iter %d: Walk match %d = %v, want %v", it, j, w, x)
			}
		}
		f, ok := m.First(text)
		if ok != (len(wantLL) > 0) || ok && f != wantLL[0] {
			t.Fatalf("iter %d: First = %v %v", it, f, ok)
		}
		chunk := 1 + r.IntN(3000)
		for _, mode := range []Mode{Overlapping, LeftmostLongest} {
			var streamed []Match
			if err := m.scanReader(strings.NewReader(text), mode, func(x Match) bool { streamed = append(streamed, x); return true }, chunk); err != nil {
				t.Fatal(err)
			}
			w := want
			if mode == LeftmostLongest {
				w = wantLL
			}
			if !slices.Equal(streamed, w) && len(streamed)+len(w) > 0 {
				t.Fatalf("iter %d: ScanReader chunk %d mode %d: got %d, want %d", it, chunk, mode, len(streamed), len(w))
			}
		}
	}
	if total < 10*iters {
		t.Errorf("only %d matches in %d iterations", total, iters)
	}
}

func firstDiff(got, want []Match) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at %d: got %v, want %v", i, got[i], want[i])
		}
	}
	return "in length"
}

// FuzzLanes repeats the fuzzed text so that it spans several lanes and
// compares with the naive matcher.
func FuzzLanes(f *testing.F) {
	ps := pats("中国", "国人", "中国人民", "ab", "人", "國", strings.Repeat("人民", 30))
	ms := []*Matcher{MustCompile(ps, Options{}), MustCompile(ps, Options{})}
	ms[1].branchless, ms[1].noPairs, ms[1].pairHalf = false, false, 100 // two lanes, many seams
	f.Add("中国人民银行", uint8(7))
	f.Add("中\xff国人\xe4\xb8民ab😀", uint8(40))
	f.Add(strings.Repeat("人民", 31), uint8(3))
	f.Fuzz(func(t *testing.T, unit string, times uint8) {
		text := strings.Repeat(unit, 1+int(times))
		if len(text) > 1<<16 {
			return
		}
		m := ms[int(times)%2]
		got := m.FindAll(text, Overlapping)
		want := naive(ps, Options{}, text)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q: %d matches, want %d", text, len(got), len(want))
		}
		if ll, want := m.FindAll(text, LeftmostLongest), naiveLL(want); !slices.Equal(ll, want) {
			t.Fatalf("text %q leftmost-longest: %d matches, want %d", text, len(ll), len(want))
		}
		if c := m.Count(text); c != len(want) {
			t.Fatalf("text %q: Count %d, want %d", text, c, len(want))
		}
	})
}

// TestSeamEveryPosition puts matches across the first seam of the
// two-lane scan at every character offset: a long pattern with shorter
// ones inside it and overlapping its end, so that the seam falls inside,
// before and after each of them, and checks every entry point in both
// modes against the naive matcher (a match crossing the seam is found
// once; leftmost-longest picks the same spans as a one-lane scan).
func TestSeamEveryPosition(t *testing.T) {
	ps := pats("甲乙丙丁戊", "乙丙", "丁戊己", "戊己庚辛", "己", "甲乙丙丁戊己庚辛壬癸")
	const half = 300 // bytes per lane: the first seam is at byte 300, character 100
	for _, long := range []bool{false, true} {
		m := MustCompile(ps, Options{})
		m.branchless, m.noPairs, m.pairHalf = false, false, half
		tail := "己庚辛"
		if long {
			tail = "己庚辛壬癸"
		}
		word := "甲乙丙丁戊" + tail
		for at := 100 - 12; at <= 100+1; at++ {
			// Filler that no pattern uses, long enough for two lanes.
			text := strings.Repeat("一", at) + word + strings.Repeat("一", 900)
			want := naive(ps, Options{}, text)
			got := m.FindAll(text, Overlapping)
			if !slices.Equal(got, want) {
				t.Fatalf("long %v at %d: overlapping: %v, want %v", long, at, got, want)
			}
			wantLL := naiveLL(want)
			if got := m.FindAll(text, LeftmostLongest); !slices.Equal(got, wantLL) {
				t.Fatalf("long %v at %d: leftmost-longest: %v, want %v", long, at, got, wantLL)
			}
			if c := m.Count(text); c != len(want) {
				t.Fatalf("long %v at %d: Count %d, want %d", long, at, c, len(want))
			}
			n := 0
			m.Walk(text, func(p, s, e int) bool {
				if x := want[n]; p != x.Pattern || s != x.Start || e != x.End {
					t.Fatalf("long %v at %d: Walk %d: %d %d-%d, want %v", long, at, n, p, s, e, x)
				}
				n++
				return true
			})
			if n != len(want) {
				t.Fatalf("long %v at %d: Walk found %d, want %d", long, at, n, len(want))
			}
			if f, ok := m.First(text); !ok || f != wantLL[0] {
				t.Fatalf("long %v at %d: First %v %v, want %v", long, at, f, ok, wantLL[0])
			}
		}
	}
}

// TestLLRingWraps runs leftmost-longest over texts many times the
// filter's ring, with dense and sparse stretches, a pattern longer than
// the ring's minimum and filters reused across calls (the ring's tags
// must not let a previous call's entries through).
func TestLLRingWraps(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	long := strings.Repeat("人民", 300) // 600 characters: a ring of 1024
	ps := append(pats("中国", "国人", "中国人民", "人", "民", "人民"), Pattern{Text: long})
	m := MustCompile(ps, Options{})
	for it := range 40 {
		var b strings.Builder
		for range 20 {
			switch r.IntN(3) {
			case 0:
				b.WriteString(denseText(r, r.IntN(800)))
			case 1:
				b.WriteString(strings.Repeat("一", r.IntN(1500)))
			default:
				b.WriteString(long[:3*r.IntN(len(long)/3)])
			}
		}
		text := b.String()
		want := naiveLL(naive(ps, Options{}, text))
		if got := m.FindAll(text, LeftmostLongest); !slices.Equal(got, want) {
			t.Fatalf("iter %d: got %d matches, want %d; %s", it, len(got), len(want), firstDiff(got, want))
		}
	}
}

// FuzzDecode checks the fast loops' inline decoding of three-byte
// sequences at the edges of their range (U+0800 behind the lead E0, which
// they leave to the general decoder, U+1000, U+D7FF next to the
// surrogates, U+E000, U+FFFF) and around them: invalid continuation
// bytes, truncated sequences, surrogates and four-byte sequences, in
// both steps (branch-free and branching), against the naive matcher, in
// every mode and entry point.
func FuzzDecode(f *testing.F) {
	ps := pats("\u0800\u1000", "\u1000", "\ud7ff\ue000", "\uffff", "中\uffff", "a\u0800", "😀中")
	ms := []*Matcher{MustCompile(ps, Options{}), MustCompile(ps, Options{})}
	ms[1].branchless = false
	f.Add([]byte("\u0800\u1000\ud7ff\ue000\uffff中\uffff"), false)
	f.Add([]byte("a\u0800\xed\xa0\x80\xe1\x80\u1000\xef\xbf"), true)
	f.Add([]byte("😀中\xe0\x80\x80\u1000\xf0\x9f\x98"), false)
	f.Fuzz(func(t *testing.T, text []byte, step bool) {
		m := ms[b2i(step)]
		s := string(text)
		want := naive(ps, Options{}, s)
		if got := m.FindAll(s, Overlapping); !slices.Equal(got, want) {
			t.Fatalf("%q: overlapping %v, want %v", s, got, want)
		}
		if got, wantLL := m.FindAll(s, LeftmostLongest), naiveLL(want); !slices.Equal(got, wantLL) {
			t.Fatalf("%q: leftmost-longest %v, want %v", s, got, wantLL)
		}
		if c := m.Count(s); c != len(want) {
			t.Fatalf("%q: Count %d, want %d", s, c, len(want))
		}
		n := 0
		m.Walk(s, func(p, st, e int) bool {
			if n >= len(want) || want[n].Pattern != p || want[n].Start != st || want[n].End != e {
				t.Fatalf("%q: Walk %d: %d %d-%d", s, n, p, st, e)
			}
			n++
			return true
		})
		if n != len(want) {
			t.Fatalf("%q: Walk found %d, want %d", s, n, len(want))
		}
	})
}
