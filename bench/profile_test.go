package main

import (
	"path/filepath"
	"testing"

	"zhendi/internal/textscan"
)

// BenchmarkShort is a profiling aid for the hottest harness row (1k words,
// short posts, overlapping matches):
//
//	go test -run xxx -bench Short -cpuprofile cpu.prof
func BenchmarkShort(b *testing.B) {
	words, err := readWords(filepath.Join("../../shared/data", "words_jieba.txt"))
	if err != nil {
		b.Skip(err)
	}
	short, _ := readPosts("../../shared/data/corpus/weibo_ced.jsonl", 2000)
	m, _ := textscan.Compile(patterns(words[:1000]), textscan.Options{})
	var buf []textscan.Match
	b.SetBytes(int64(short.size))
	for b.Loop() {
		for _, d := range short.docs {
			buf = m.AppendMatchesBytes(buf[:0], d, textscan.Overlapping)
		}
	}
}

// BenchmarkCountLong is the Count row for 1k words on the long document.
func BenchmarkCountLong(b *testing.B) {
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

// BenchmarkCountHoubb is Count for the 65k-term houbb lexicon on the long
// document: sparse matches, a large automaton.
func BenchmarkCountHoubb(b *testing.B) {
	words, err := readWords(filepath.Join("../../shared/data", "lexicon_houbb.txt"))
	if err != nil {
		b.Skip(err)
	}
	long, _ := readLong("../../shared/data/corpus/corpus_sample.txt", 1<<20)
	m, _ := textscan.Compile(patterns(words), textscan.Options{})
	b.SetBytes(int64(long.size))
	for b.Loop() {
		m.CountBytes(long.docs[0])
	}
}

// BenchmarkWalkLong is the Walk row for 1k words on the long document.
func BenchmarkWalkLong(b *testing.B) {
	words, err := readWords(filepath.Join("../../shared/data", "words_jieba.txt"))
	if err != nil {
		b.Skip(err)
	}
	long, _ := readLong("../../shared/data/corpus/corpus_sample.txt", 1<<20)
	m, _ := textscan.Compile(patterns(words[:1000]), textscan.Options{})
	b.SetBytes(int64(long.size))
	n := 0
	for b.Loop() {
		m.WalkBytes(long.docs[0], func(pattern, start, end int) bool { n++; return true })
	}
}

// BenchmarkCount100k is Count for the 100k-word set on the long document.
func BenchmarkCount100k(b *testing.B) {
	words, err := readWords(filepath.Join("../../shared/data", "words_jieba.txt"))
	if err != nil {
		b.Skip(err)
	}
	long, _ := readLong("../../shared/data/corpus/corpus_sample.txt", 1<<20)
	m, _ := textscan.Compile(patterns(words[:100000]), textscan.Options{})
	b.SetBytes(int64(long.size))
	for b.Loop() {
		m.CountBytes(long.docs[0])
	}
}
