package opinion

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The negativity measurement (issue 17, part 6) runs over the labelled
// reviews of the shared corpus when OPINION_MEASURE=1:
//
//	OPINION_MEASURE=final go test ./internal/opinion -run TestMeasureNegativity -v
//
// The reviews are split by the number in their id: odd ids are the
// tuning half (read while writing lexicon_seed.txt), even ids the test
// half, which was not read (OPINION_MEASURE=1 reports the tuning half
// only; =final adds the test half). A review counts as negative when
// Lexicon.Score says Negative; accuracy is the share of reviews whose
// label (pos/neg) agrees. Reviews without a label (eprstmt) are skipped.
// The test fails when the test half of any source is below 0.80.
func TestMeasureNegativity(t *testing.T) {
	if os.Getenv("OPINION_MEASURE") == "" {
		t.Skip("set OPINION_MEASURE=1 to measure over ../shared/data/corpus/reviews.jsonl")
	}
	f, err := os.Open("../../../shared/data/corpus/reviews.jsonl")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	type tally struct{ n, ok, tp, fp, fn int }
	res := map[string]*[2]tally{} // source → [tune, test]
	lex := DefaultLexicon()
	var wrong []string
	sweep := []float64{-0.4, -0.3, -0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1}
	sweepOK := map[string][]int{"htl": make([]int, len(sweep)), "shop10": make([]int, len(sweep)), "waimai10k": make([]int, len(sweep))}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ ID, Text, Label, Source, Category string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if r.Label == "" {
			continue
		}
		n, _ := strconv.Atoi(r.ID[2:])
		half := 1 - n%2 // odd ids tune (0), even ids test (1)
		if res[r.Source] == nil {
			res[r.Source] = &[2]tally{}
		}
		tl := &res[r.Source][half]
		s := lex.Score(r.Text)
		neg := r.Label == "neg"
		if half == 0 {
			for i, th := range sweep {
				if (s.Score < th) == neg {
					sweepOK[r.Source][i]++
				}
			}
		}
		tl.n++
		if s.Negative == neg {
			tl.ok++
		} else if half == 0 {
			wrong = append(wrong, fmt.Sprintf("%s\t%s\t%.2f\t%v\t%s", r.Label, r.Source, s.Score, s.Terms, r.Text))
		}
		switch {
		case s.Negative && neg:
			tl.tp++
		case s.Negative && !neg:
			tl.fp++
		case !s.Negative && neg:
			tl.fn++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var sources []string
	for s := range res {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	for _, src := range []string{"htl", "shop10", "waimai10k"} {
		var line []string
		for i, th := range sweep {
			line = append(line, fmt.Sprintf("<%.2f: %.3f", th, ratio(sweepOK[src][i], res[src][0].n)))
		}
		t.Logf("tune half %s, accuracy by threshold: %s", src, strings.Join(line, "  "))
	}
	final := os.Getenv("OPINION_MEASURE") == "final"
	for _, src := range sources {
		for half, name := range []string{"tune", "test"} {
			if half == 1 && !final {
				continue // the test half is looked at once, when tuning is over
			}
			tl := res[src][half]
			p, r := ratio(tl.tp, tl.tp+tl.fp), ratio(tl.tp, tl.tp+tl.fn)
			t.Logf("%-9s %s half: %5d reviews, accuracy %.3f (negative: precision %.3f, recall %.3f)", src, name, tl.n, ratio(tl.ok, tl.n), p, r)
		}
		if acc := ratio(res[src][1].ok, res[src][1].n); final && acc < 0.80 {
			t.Errorf("%s: test-half accuracy %.3f < 0.80", src, acc)
		}
	}
	if path := os.Getenv("OPINION_WRONG"); path != "" {
		// The tuning half's mistakes, for reading while improving the lexicon.
		if err := os.WriteFile(path, []byte(strings.Join(wrong, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
