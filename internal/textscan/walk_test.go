package textscan

import (
	"math/rand/v2"
	"testing"
)

// TestWalkAgreesWithAppendMatches: Walk reports exactly the overlapping
// matches, in the same order, with and without normalisation, and stops
// when asked.
func TestWalkAgreesWithAppendMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, opt := range []Options{{}, {FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}} {
		for range 300 {
			m, err := Compile(randPatterns(r, 1+r.IntN(12)), opt)
			if err != nil {
				t.Fatal(err)
			}
			text := randText(r, r.IntN(40))
			want := m.FindAll(text, Overlapping)
			var got []Match
			m.Walk(text, func(p, s, e int) bool {
				got = append(got, Match{Pattern: p, Start: s, End: e})
				return true
			})
			if len(got) != len(want) {
				t.Fatalf("opt %+v text %q: Walk %d matches, AppendMatches %d", opt, text, len(got), len(want))
			}
			for i := range got {
				if got[i].Pattern != want[i].Pattern || got[i].Start != want[i].Start || got[i].End != want[i].End {
					t.Fatalf("opt %+v text %q: match %d: %+v vs %+v", opt, text, i, got[i], want[i])
				}
			}
			if len(want) > 1 {
				n := 0
				m.Walk(text, func(int, int, int) bool { n++; return false })
				if n != 1 {
					t.Fatalf("Walk went on after fn returned false: %d calls", n)
				}
			}
		}
	}
}

func TestWalkZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	m, err := Compile(pats("中国", "国人", "人民", "中国人民"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := "中国人民站起来了，中国人民万岁"
	n := 0
	fn := func(int, int, int) bool { n++; return true }
	if a := testing.AllocsPerRun(100, func() { m.Walk(text, fn) }); a != 0 {
		t.Fatalf("Walk allocates %.1f per run", a)
	}
	if n == 0 {
		t.Fatal("no matches walked")
	}
}
