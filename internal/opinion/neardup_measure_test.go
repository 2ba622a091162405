package opinion

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"unicode/utf8"
)

// The near-duplicate measurement (issue 17, part 3) runs over the shared
// Weibo corpus when OPINION_MEASURE=1 and the corpus is present:
//
//	OPINION_MEASURE=1 go test ./internal/opinion -run TestMeasureNearDuplicates -v
//
// Method, stated so it can be repeated:
//
//  1. Every post is normalised (Normalize) and fingerprinted (SimHash).
//     Posts with the same normalised text are one exact-duplicate group
//     and represented once: they are ExactKey's business, not SimHash's.
//     Posts shorter than MinNearRunes have no fingerprint and are left out.
//  2. All pairs of representatives at Hamming distance ≤ NearDistance+2
//     are found (Probes' pigeonhole argument, with two-bit probes) and
//     grouped by distance.
//  3. From each distance 0–NearDistance+2, 40 pairs are drawn at random
//     (seed 1, PCG), fewer when fewer exist; the last two distances are
//     "just above" NearDistance.
//  4. A pair is judged a near-duplicate when the Jaccard similarity of the
//     sets of character 3-grams of the two normalised texts is at least
//     0.5 (half the phrases shared). The judge is independent of SimHash:
//     it looks at the sets, not at a fingerprint.
//  5. Precision at distance ≤ NearDistance is judged near-duplicates ÷
//     pairs drawn.
//     Recall is estimated inside threads (a thread is a post with its
//     reposts, where copies live): among all pairs of representatives of
//     one thread whose Jaccard is ≥ 0.5, the share at distance ≤ NearDistance.
//
// The test fails when precision at distance ≤ NearDistance is below 0.95.
func TestMeasureNearDuplicates(t *testing.T) {
	if os.Getenv("OPINION_MEASURE") == "" {
		t.Skip("set OPINION_MEASURE=1 to measure over ../shared/data/corpus/weibo_ced.jsonl")
	}
	posts := loadWeibo(t)
	// 1. exact-duplicate groups
	type rep struct {
		id     string
		thread int
		norm   string
		hash   uint64
		grams  []uint64
	}
	var reps []rep
	seen := map[string]bool{}
	for _, p := range posts {
		n := Normalize(p.Text)
		if seen[n] || simHashNormalized(n) == 0 {
			continue // exact copies, and texts too short to fingerprint
		}
		seen[n] = true
		reps = append(reps, rep{id: p.ID, thread: p.Thread, norm: n, hash: simHashNormalized(n), grams: trigramSet(n)})
	}
	t.Logf("%d posts, %d distinct normalised texts", len(posts), len(reps))

	// 2. all pairs up to distance 9: two fingerprints within 11 bits agree
	// on some band up to two bits (four bands, three or more differing
	// bits in each would make twelve), so probing each band's value and
	// all values up to two bits away finds them all.
	type pair struct{ a, b int32 }
	const maxD = NearDistance + 2
	byDist := make([][]pair, maxD+1)
	var buckets [4][1 << 16][]int32
	for i, r := range reps {
		for band, k := range Bands(r.hash) {
			buckets[band][k] = append(buckets[band][k], int32(i))
		}
	}
	var probes []uint16
	for x := range 16 {
		probes = append(probes, 1<<x)
		for y := x + 1; y < 16; y++ {
			probes = append(probes, 1<<x|1<<y)
		}
	}
	probes = append(probes, 0)
	seenPair := map[pair]bool{}
	for i, r := range reps {
		for band, k := range Bands(r.hash) {
			for _, flip := range probes {
				for _, j := range buckets[band][k^flip] {
					if j <= int32(i) {
						continue
					}
					d := Hamming(r.hash, reps[j].hash)
					p := pair{int32(i), j}
					if d > maxD || seenPair[p] {
						continue
					}
					seenPair[p] = true
					byDist[d] = append(byDist[d], p)
				}
			}
		}
	}
	// 3.–5.
	rng := rand.New(rand.NewPCG(1, 1))
	var drawn, judged int
	var sample []pair
	for d, ps := range byDist {
		slices.SortFunc(ps, func(x, y pair) int {
			if x.a != y.a {
				return int(x.a - y.a)
			}
			return int(x.b - y.b)
		})
		rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		want := 40
		ps = ps[:min(want, len(ps))]
		dup := 0
		for _, p := range ps {
			if jaccard(reps[p.a].grams, reps[p.b].grams) >= 0.5 {
				dup++
			}
		}
		if d <= NearDistance {
			drawn += len(ps)
			judged += dup
			sample = append(sample, ps...)
		}
		t.Logf("distance %d: %d pairs exist, %d drawn, %d judged near-duplicate (%.3f)", d, len(byDist[d]), len(ps), dup, ratio(dup, len(ps)))
	}
	precision := ratio(judged, drawn)
	t.Logf("precision at distance ≤ %d: %d/%d = %.3f", NearDistance, judged, drawn, precision)

	// Recall inside threads.
	byThread := map[int][]int{}
	for i, r := range reps {
		byThread[r.thread] = append(byThread[r.thread], i)
	}
	var pos, found int
	hist := make([]int, 65)
	var missed [][2]rep
	for _, idx := range byThread {
		for x := range idx {
			for y := x + 1; y < len(idx); y++ {
				a, b := reps[idx[x]], reps[idx[y]]
				if jaccard(a.grams, b.grams) >= 0.5 {
					pos++
					d := Hamming(a.hash, b.hash)
					hist[d]++
					if d <= NearDistance {
						found++
					} else if len(missed) < 2000 {
						missed = append(missed, [2]rep{a, b})
					}
				}
			}
		}
	}
	t.Logf("recall inside threads (Jaccard ≥ 0.5): %d/%d = %.3f", found, pos, ratio(found, pos))

	t.Logf("distance histogram of those pairs: %v", hist)
	// Recall by how similar the pair is and by length: SimHash at a small
	// distance is a near-verbatim test (cosine of the shingle sets ≳ 0.95),
	// and short comments differ in a larger share of their shingles.
	for _, long := range []bool{false, true} {
		for _, th := range []float64{0.5, 0.8, 0.9} {
			var p int
			f := make([]int, 65)
			for _, idx := range byThread {
				for x := range idx {
					for y := x + 1; y < len(idx); y++ {
						a, b := reps[idx[x]], reps[idx[y]]
						if long && (utf8.RuneCountInString(a.norm) < 30 || utf8.RuneCountInString(b.norm) < 30) {
							continue
						}
						if jaccard(a.grams, b.grams) >= th {
							p++
							for d := Hamming(a.hash, b.hash); d < len(f); d++ {
								f[d]++
							}
						}
					}
				}
			}
			what := "all pairs"
			if long {
				what = "pairs of texts ≥ 30 characters"
			}
			t.Logf("recall inside threads, %s, Jaccard ≥ %.1f (%d pairs): at distance ≤ 3 %.3f, ≤ 5 %.3f, ≤ 7 %.3f, ≤ 9 %.3f",
				what, th, p, ratio(f[3], p), ratio(f[5], p), ratio(f[7], p), ratio(f[9], p))
		}
	}
	if os.Getenv("OPINION_MEASURE") == "missed" {
		rng.Shuffle(len(missed), func(i, j int) { missed[i], missed[j] = missed[j], missed[i] })
		for _, m := range missed[:min(30, len(missed))] {
			fmt.Printf("d=%d J=%.2f\n\t%s\n\t%s\n", Hamming(m[0].hash, m[1].hash), jaccard(m[0].grams, m[1].grams), m[0].norm, m[1].norm)
		}
	}
	if os.Getenv("OPINION_MEASURE") == "print" {
		// The pairs for reading by hand: 50 drawn at random from the sample.
		rng.Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
		for _, p := range sample[:min(50, len(sample))] {
			a, b := reps[p.a], reps[p.b]
			fmt.Printf("%s\t%s\td=%d\tJ=%.2f\n\t%s\n\t%s\n", a.id, b.id, Hamming(a.hash, b.hash), jaccard(a.grams, b.grams), a.norm, b.norm)
		}
	}
	if precision < 0.95 {
		t.Errorf("precision %.3f < 0.95", precision)
	}
}

type weiboPost struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Thread int    `json:"thread"`
	Date   string `json:"date"`
}

func loadWeibo(t testing.TB) []weiboPost {
	f, err := os.Open("../../../shared/data/corpus/weibo_ced.jsonl")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var out []weiboPost
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p weiboPost
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// trigramSet returns the sorted distinct hashes of the character 3-grams
// of s (s itself when shorter).
func trigramSet(s string) []uint64 {
	rs := []rune(s)
	var out []uint64
	if len(rs) < 3 {
		return []uint64{fnv64(s)}
	}
	for i := 0; i+3 <= len(rs); i++ {
		out = append(out, fnv64(string(rs[i:i+3])))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func jaccard(a, b []uint64) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
