package main

import (
	"path/filepath"
	"testing"

	"zhendi/internal/textscan"
)

func BenchmarkProf(b *testing.B) {
	words, err := readWords(filepath.Join("../../shared/data", "words_jieba.txt"))
	if err != nil {
		b.Skip(err)
	}
	long, _ := readLong("../../shared/data/corpus/corpus_sample.txt", 1<<20)
	b.Run("build100k", func(b *testing.B) {
		for b.Loop() {
			textscan.Compile(patterns(words[:100000]), textscan.Options{})
		}
	})
	f, _ := oursFind(words[:100000], textscan.Options{}, textscan.LeftmostLongest)
	b.Run("ll100k", func(b *testing.B) {
		b.SetBytes(int64(long.size))
		for b.Loop() {
			total(f, long.docs)
		}
	})
}

func TestMem(t *testing.T) {
	words, _ := readWords(filepath.Join("../../shared/data", "words_jieba.txt"))
	for _, n := range []int{1000, 10000, 100000} {
		m, _ := textscan.Compile(patterns(words[:n]), textscan.Options{})
		t.Logf("%d: states %d mem %.1f MB", n, m.States(), float64(m.MemoryBytes())/(1<<20))
	}
}
