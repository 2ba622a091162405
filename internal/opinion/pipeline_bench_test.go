package opinion

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// BenchmarkItemWeibo measures everything this package does for one
// incoming item, over the shared Weibo corpus: parsing (ParseJSONL),
// validation, exact key, fingerprint and near-duplicate lookup in an
// index of the items before it, negativity, 20 schemes and event
// assignment. It reports items per second; the end-to-end goal
// (with storage) is 10,000 per second on the 2-core machine.
//
//	go test ./internal/opinion -run XXX -bench ItemWeibo -benchtime 1x
func BenchmarkItemWeibo(b *testing.B) {
	f, err := os.Open("../../../shared/data/corpus/weibo_ced.jsonl")
	if err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	start := time.Now()
	items, err := ParseJSONL(f, ParseOptions{Ref: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	parse := time.Since(start)
	words := []string{"谣言", "地震", "医院", "城管", "红十字会", "捐款", "爆炸", "食品", "学校", "警察"}
	var ss []Scheme
	for i := range 20 {
		ss = append(ss, Scheme{ID: int64(i + 1), Name: fmt.Sprint(i), Rule: fmt.Sprintf("(%s | %s) & !演练", words[i%10], words[(i+3)%10])})
	}
	set, err := CompileSchemes(ss)
	if err != nil {
		b.Fatal(err)
	}
	lex := DefaultLexicon()
	cfg := DefaultClusterConfig()
	b.ResetTimer()
	var hits, folded, events int
	for b.Loop() {
		var idx NearIndex
		var open []EventState
		hits, folded, events = 0, 0, 0
		exact := map[string]bool{}
		for i, it := range items {
			if err := it.Validate(); err != nil {
				b.Fatal(err)
			}
			k, h := Fingerprint(it.Title, it.Text)
			if exact[k] {
				folded++
				continue
			}
			exact[k] = true
			if _, _, ok := idx.Nearest(h); ok {
				folded++
				continue
			}
			idx.Add(int64(i), h)
			lex.Score(it.Text)
			for _, hit := range set.Eval(it) {
				hits++
				if n, ok := Assign(open, it, h, hit.SchemeID, cfg); ok {
					open[n] = open[n].Update(it)
				} else {
					open = append(open, EventState{SchemeID: hit.SchemeID, SimHash: h}.Update(it))
					events++
				}
			}
		}
	}
	perLoop := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(len(items))/perLoop.Seconds(), "items/s")
	b.ReportMetric(float64(len(items))/parse.Seconds(), "parsed/s")
	b.Logf("%d items: %d folded as duplicates, %d scheme hits, %d events", len(items), folded, hits, events)
}
