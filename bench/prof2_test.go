package main

import (
	"path/filepath"
	"testing"

	"zhendi/internal/textscan"
)

func BenchmarkCount(b *testing.B) {
	words, err := readWords(filepath.Join("../../shared/data", "words_jieba.txt"))
	if err != nil {
		b.Skip(err)
	}
	long, _ := readLong("../../shared/data/corpus/corpus_sample.txt", 1<<20)
	m, _ := textscan.Compile(patterns(words[:1000]), textscan.Options{})
	b.SetBytes(int64(long.size))
	for b.Loop() {
		m.CountBytes(long.docs[0])
	}
}
