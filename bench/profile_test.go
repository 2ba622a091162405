package main

import (
	"cmp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhendi/internal/textscan"
)

// Single-row benchmarks for profiling, e.g.
//
//	go test -run xxx -bench Short -cpuprofile cpu.prof
//
// They read ../../shared/data (or $TEXTSCAN_DATA, e.g. from a worktree)
// and skip when it is absent.

var profileData = cmp.Or(os.Getenv("TEXTSCAN_DATA"), "../../shared/data")

// profileMatcher compiles the first n words of a word list (all when n is
// 0) without normalisation.
func profileMatcher(b *testing.B, list string, n int) *textscan.Matcher {
	b.Helper()
	words, err := readWords(filepath.Join(profileData, list))
	if err != nil {
		b.Skip(err)
	}
	if n > 0 {
		words = words[:n]
	}
	m, err := textscan.Compile(patterns(words), textscan.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// profileLong is the harness's long document.
func profileLong(b *testing.B) []byte {
	b.Helper()
	long, err := readLong(filepath.Join(profileData, "corpus/corpus_sample.txt"), 1<<20)
	if err != nil {
		b.Skip(err)
	}
	setBytes(b, int64(long.size))
	return long.docs[0]
}

// BenchmarkShort is the hottest harness row: 1k words, short posts,
// every overlapping match as a Match.
func BenchmarkShort(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	short, err := readPosts(filepath.Join(profileData, "corpus/weibo_ced.jsonl"), 2000)
	if err != nil {
		b.Skip(err)
	}
	var buf []textscan.Match
	setBytes(b, int64(short.size))
	for c := meter(b); c.loop(); {
		for _, d := range short.docs {
			buf = m.AppendMatchesBytes(buf[:0], d, textscan.Overlapping)
		}
	}
}

// BenchmarkCountLong is the Count row for 1k words on the long document.
func BenchmarkCountLong(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	doc := profileLong(b)
	for c := meter(b); c.loop(); {
		m.CountBytes(doc)
	}
}

// BenchmarkWalkLong is the Walk row for 1k words on the long document.
func BenchmarkWalkLong(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	doc := profileLong(b)
	n := 0
	for c := meter(b); c.loop(); {
		m.WalkBytes(doc, func(pattern, start, end int) bool { n++; return true })
	}
}

// BenchmarkCount100k is Count for 100k words (a large automaton, bound by
// memory latency) on the long document.
func BenchmarkCount100k(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 100000)
	doc := profileLong(b)
	for c := meter(b); c.loop(); {
		m.CountBytes(doc)
	}
}

// BenchmarkCountHoubb is Count for the 65k-term houbb lexicon on the long
// document: sparse matches, a large automaton.
func BenchmarkCountHoubb(b *testing.B) {
	m := profileMatcher(b, "lexicon_houbb.txt", 0)
	doc := profileLong(b)
	for c := meter(b); c.loop(); {
		m.CountBytes(doc)
	}
}

// BenchmarkScreening is zhendi's own use: the built-in screening lexicon
// of internal/infosub (about 900 terms, sparse matches), normalised as the
// screener compiles its multi-character terms, over the long document.
func BenchmarkScreening(b *testing.B) {
	files, err := filepath.Glob("../internal/infosub/lexicon/*.tsv")
	if err != nil || len(files) == 0 {
		b.Skip("no screening lexicon")
	}
	var ps []textscan.Pattern
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			if term, _, _ := strings.Cut(strings.TrimSpace(line), "\t"); term != "" && !strings.HasPrefix(term, "#") {
				ps = append(ps, textscan.Pattern{Text: term})
			}
		}
	}
	m, err := textscan.Compile(ps, textscan.Options{FoldWidth: true, TradToSimp: true, MaxGap: 2})
	if err != nil {
		b.Fatal(err)
	}
	doc := profileLong(b)
	var buf []textscan.Match
	for c := meter(b); c.loop(); {
		buf = m.AppendMatchesBytes(buf[:0], doc, textscan.Overlapping)
	}
}

// BenchmarkLL10kLong is leftmost-longest AppendMatches for 10k words on
// the long document.
func BenchmarkLL10kLong(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 10000)
	doc := profileLong(b)
	var buf []textscan.Match
	for c := meter(b); c.loop(); {
		buf = m.AppendMatchesBytes(buf[:0], doc, textscan.LeftmostLongest)
	}
}

// BenchmarkLL1kLong is leftmost-longest AppendMatches for 1k words (dense
// matches) on the long document.
func BenchmarkLL1kLong(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	doc := profileLong(b)
	var buf []textscan.Match
	for c := meter(b); c.loop(); {
		buf = m.AppendMatchesBytes(buf[:0], doc, textscan.LeftmostLongest)
	}
}

// BenchmarkOv1kLong is overlapping AppendMatches for 1k words on the long
// document, the reference for BenchmarkLL1kLong.
func BenchmarkOv1kLong(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	doc := profileLong(b)
	var buf []textscan.Match
	for c := meter(b); c.loop(); {
		buf = m.AppendMatchesBytes(buf[:0], doc, textscan.Overlapping)
	}
}

// profileShort is the harness's short posts.
func profileShort(b *testing.B) [][]byte {
	b.Helper()
	short, err := readPosts(filepath.Join(profileData, "corpus/weibo_ced.jsonl"), 2000)
	if err != nil {
		b.Skip(err)
	}
	setBytes(b, int64(short.size))
	return short.docs
}

// BenchmarkShortLL is leftmost-longest AppendMatches for 1k words on the
// short posts, one call per post (the row furthest from 2× the peer).
func BenchmarkShortLL(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	docs := profileShort(b)
	var buf []textscan.Match
	for c := meter(b); c.loop(); {
		for _, d := range docs {
			buf = m.AppendMatchesBytes(buf[:0], d, textscan.LeftmostLongest)
		}
	}
}

// BenchmarkShortWalk is Walk for 1k words on the short posts.
func BenchmarkShortWalk(b *testing.B) {
	m := profileMatcher(b, "words_jieba.txt", 1000)
	docs := profileShort(b)
	n := 0
	for c := meter(b); c.loop(); {
		for _, d := range docs {
			m.WalkBytes(d, func(pattern, start, end int) bool { n++; return true })
		}
	}
}

// BenchmarkShortBobu is the fastest peer's row for BenchmarkShort*, so
// that A/B runs carry the peer's figure from the same moment.
func BenchmarkShortBobu(b *testing.B) {
	scan := bobuScan(b, 1000)
	docs := profileShort(b)
	for c := meter(b); c.loop(); {
		for _, d := range docs {
			scan(d)
		}
	}
}

// BenchmarkLongBobu is the peer's row for the 1k long benchmarks.
func BenchmarkLongBobu(b *testing.B) {
	scan := bobuScan(b, 1000)
	doc := profileLong(b)
	for c := meter(b); c.loop(); {
		scan(doc)
	}
}

func bobuScan(b *testing.B, n int) scanFunc {
	b.Helper()
	words, err := readWords(filepath.Join(profileData, "words_jieba.txt"))
	if err != nil {
		b.Skip(err)
	}
	for _, e := range engines(0, 0) {
		if strings.HasPrefix(e.name, "BobuSumisu") {
			f, err := e.build(words[:n])
			if err != nil {
				b.Fatal(err)
			}
			return f
		}
	}
	b.Fatal("no BobuSumisu engine")
	return nil
}

// benchBytes is the input size of the benchmark being run (set with
// setBytes), for meter's CPU-time figure.
var benchBytes int64

func setBytes(b *testing.B, n int64) {
	b.SetBytes(n)
	benchBytes = n
}

// cpuMeter runs b.Loop and reports, besides Go's wall-clock figures, the
// input per CPU second of the process ("cpu-MB/s"): on a machine shared
// by other work wall-clock time counts the waits for a core, CPU time
// does not.
type cpuMeter struct {
	b  *testing.B
	c0 time.Duration
}

func meter(b *testing.B) *cpuMeter {
	c0, _ := cpuTime()
	return &cpuMeter{b: b, c0: c0}
}

func (m *cpuMeter) loop() bool {
	if m.b.Loop() {
		return true
	}
	if c1, ok := cpuTime(); ok && c1 > m.c0 && benchBytes > 0 {
		m.b.ReportMetric(float64(benchBytes)*float64(m.b.N)/(c1-m.c0).Seconds()/1e6, "cpu-MB/s")
	}
	return false
}
