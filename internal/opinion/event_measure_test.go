package opinion

import (
	"math/rand/v2"
	"os"
	"testing"
)

// TestMeasureEventDistance shows what fingerprint distance says about two
// posts being about the same event, on the Weibo corpus, where a thread
// (a post and its reposts and comments) is one event:
//
//	OPINION_MEASURE=1 go test ./internal/opinion -run TestMeasureEventDistance -v
//
// It draws 20,000 pairs inside threads and 20,000 across threads (seed 2)
// and reports the share within DefaultMaxDistance and other limits; it
// fails when more than 0.1 % of pairs from different threads are within
// DefaultMaxDistance.
func TestMeasureEventDistance(t *testing.T) {
	if os.Getenv("OPINION_MEASURE") == "" {
		t.Skip("set OPINION_MEASURE=1 to measure over ../shared/data/corpus/weibo_ced.jsonl")
	}
	posts := loadWeibo(t)
	byThread := map[int][]uint64{}
	var all []uint64
	var threadOf []int
	for _, p := range posts {
		h := SimHash(p.Text)
		if h == 0 {
			continue
		}
		byThread[p.Thread] = append(byThread[p.Thread], h)
		all = append(all, h)
		threadOf = append(threadOf, p.Thread)
	}
	var threads []int
	for th, hs := range byThread {
		if len(hs) >= 2 {
			threads = append(threads, th)
		}
	}
	rng := rand.New(rand.NewPCG(2, 2))
	limits := []int{7, 12, 15, 18, 21, 24}
	same := make([]int, len(limits))
	cross := make([]int, len(limits))
	const n = 20000
	for range n {
		hs := byThread[threads[rng.IntN(len(threads))]]
		i, j := rng.IntN(len(hs)), rng.IntN(len(hs))
		for j == i {
			j = rng.IntN(len(hs))
		}
		d := Hamming(hs[i], hs[j])
		a, b := rng.IntN(len(all)), rng.IntN(len(all))
		for threadOf[a] == threadOf[b] {
			b = rng.IntN(len(all))
		}
		e := Hamming(all[a], all[b])
		for k, l := range limits {
			if d <= l {
				same[k]++
			}
			if e <= l {
				cross[k]++
			}
		}
	}
	for k, l := range limits {
		t.Logf("distance ≤ %2d: same thread %.4f, different threads %.4f", l, ratio(same[k], n), ratio(cross[k], n))
		if l == DefaultMaxDistance && ratio(cross[k], n) > 0.001 {
			t.Errorf("%.4f of pairs from different threads within DefaultMaxDistance", ratio(cross[k], n))
		}
	}
}
