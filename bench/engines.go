package main

import (
	"regexp"
	"slices"
	"strings"

	bobu "github.com/BobuSumisu/aho-corasick"
	anknown "github.com/anknown/ahocorasick"
	cloudflare "github.com/cloudflare/ahocorasick"
	petar "github.com/petar-dambovaliev/aho-corasick"

	"zhendi/bench/baseline"
	"zhendi/internal/textscan"
)

// A scanFunc scans one document and returns the number of matches it
// reports in its mode. It may keep scratch state; the harness runs each
// engine from one goroutine.
type scanFunc func(doc []byte) int

// engine is one contestant: a library in one of the modes it supports.
type engine struct {
	name     string
	mode     string // overlapping, leftmost-longest, distinct, count
	ours     bool
	baseline bool // textscan as it was before issue 12 (bench/baseline), not a peer
	norm     bool // textscan with normalisation on (not compared with peers)
	// inter: a peer measured in the same interleaved rounds as textscan
	// (it allocates nothing while scanning, so its heap cannot slow
	// textscan's rounds or theirs it), so that its ratio to textscan holds
	// under a changing load.
	inter bool
	limit int // skip pattern sets larger than this (0: no limit)
	build func(words []string) (scanFunc, error)
}

func engines(regexpLimit, cloudflareLimit int) []engine {
	return []engine{
		{name: "textscan Count", mode: "count", ours: true, build: func(w []string) (scanFunc, error) {
			m, err := textscan.Compile(patterns(w), rawOptions)
			if err != nil {
				return nil, err
			}
			return m.CountBytes, nil
		}},
		{name: "textscan AppendMatches", mode: "overlapping", ours: true, build: func(w []string) (scanFunc, error) {
			return oursFind(w, rawOptions, textscan.Overlapping)
		}},
		// Walk reports every match through a callback, as BobuSumisu's Walk
		// does: the like-for-like row for "every match with its position".
		{name: "textscan Walk", mode: "overlapping", ours: true, build: func(w []string) (scanFunc, error) {
			m, err := textscan.Compile(patterns(w), rawOptions)
			if err != nil {
				return nil, err
			}
			return func(doc []byte) int {
				n := 0
				m.WalkBytes(doc, func(pattern, start, end int) bool { n++; return true })
				return n
			}, nil
		}},
		{name: "textscan AppendMatches", mode: "leftmost-longest", ours: true, build: func(w []string) (scanFunc, error) {
			return oursFind(w, rawOptions, textscan.LeftmostLongest)
		}},
		{name: "textscan normalised (width+case+T2S, MaxGap 2)", mode: "overlapping", ours: true, norm: true, build: func(w []string) (scanFunc, error) {
			return oursFind(w, normOptions, textscan.Overlapping)
		}},
		{name: "textscan normalised Count", mode: "count", ours: true, norm: true, build: func(w []string) (scanFunc, error) {
			m, err := textscan.Compile(patterns(w), normOptions)
			if err != nil {
				return nil, err
			}
			return m.CountBytes, nil
		}},
		// Today's engine before issue 12, measured in the same run.
		{name: "baseline textscan Count", mode: "count", baseline: true, build: func(w []string) (scanFunc, error) {
			m, err := baseline.Compile(basePatterns(w), baseline.Options{})
			if err != nil {
				return nil, err
			}
			return m.CountBytes, nil
		}},
		{name: "baseline textscan AppendMatches", mode: "overlapping", baseline: true, build: func(w []string) (scanFunc, error) {
			return baseFind(w, baseline.Overlapping)
		}},
		{name: "baseline textscan Walk", mode: "overlapping", baseline: true, build: func(w []string) (scanFunc, error) {
			m, err := baseline.Compile(basePatterns(w), baseline.Options{})
			if err != nil {
				return nil, err
			}
			return func(doc []byte) int {
				n := 0
				m.WalkBytes(doc, func(pattern, start, end int) bool { n++; return true })
				return n
			}, nil
		}},
		{name: "baseline textscan AppendMatches", mode: "leftmost-longest", baseline: true, build: func(w []string) (scanFunc, error) {
			return baseFind(w, baseline.LeftmostLongest)
		}},
		{name: "BobuSumisu/aho-corasick Walk", mode: "overlapping", inter: true, build: func(w []string) (scanFunc, error) {
			t := bobu.NewTrieBuilder().AddStrings(w).Build()
			return func(doc []byte) int {
				n := 0
				t.Walk(doc, func(end, length, pattern int64) bool { n++; return true })
				return n
			}, nil
		}},
		{name: "petar-dambovaliev/aho-corasick DFA IterOverlapping", mode: "overlapping", build: func(w []string) (scanFunc, error) {
			b := petar.NewAhoCorasickBuilder(petar.Opts{MatchKind: petar.StandardMatch, DFA: true})
			ac := b.Build(w)
			return func(doc []byte) int {
				n := 0
				it := ac.IterOverlappingByte(doc)
				for it.Next() != nil {
					n++
				}
				return n
			}, nil
		}},
		{name: "petar-dambovaliev/aho-corasick DFA FindAll", mode: "leftmost-longest", build: func(w []string) (scanFunc, error) {
			b := petar.NewAhoCorasickBuilder(petar.Opts{MatchKind: petar.LeftMostLongestMatch, DFA: true})
			ac := b.Build(w)
			return func(doc []byte) int {
				n := 0
				it := ac.IterByte(doc)
				for it.Next() != nil {
					n++
				}
				return n
			}, nil
		}},
		{name: "cloudflare/ahocorasick Match", mode: "distinct", limit: cloudflareLimit, build: func(w []string) (scanFunc, error) {
			m := cloudflare.NewStringMatcher(w)
			return func(doc []byte) int { return len(m.Match(doc)) }, nil
		}},
		{name: "anknown/ahocorasick MultiPatternSearch", mode: "overlapping", build: func(w []string) (scanFunc, error) {
			rs := make([][]rune, len(w))
			sorted := slices.Clone(w)
			slices.Sort(sorted)
			for i, s := range sorted {
				rs[i] = []rune(s)
			}
			m := new(anknown.Machine)
			if err := m.Build(rs); err != nil {
				return nil, err
			}
			// Its API takes []rune: the conversion is part of its cost.
			return func(doc []byte) int { return len(m.MultiPatternSearch([]rune(string(doc)), false)) }, nil
		}},
		{name: "regexp (alternation, longest first)", mode: "leftmost-longest", limit: regexpLimit, build: func(w []string) (scanFunc, error) {
			sorted := slices.Clone(w)
			// Longest alternatives first turn leftmost-first into leftmost-longest.
			slices.SortStableFunc(sorted, func(a, b string) int { return len(b) - len(a) })
			quoted := make([]string, len(sorted))
			for i, s := range sorted {
				quoted[i] = regexp.QuoteMeta(s)
			}
			re, err := regexp.Compile(strings.Join(quoted, "|"))
			if err != nil {
				return nil, err
			}
			return func(doc []byte) int { return len(re.FindAllIndex(doc, -1)) }, nil
		}},
	}
}

// rawOptions and normOptions are set from flags in main.
var (
	rawOptions  = textscan.Options{}
	normOptions = textscan.Options{FoldWidth: true, FoldCase: true, TradToSimp: true, MaxGap: 2}
)

func patterns(words []string) []textscan.Pattern {
	ps := make([]textscan.Pattern, len(words))
	for i, w := range words {
		ps[i] = textscan.Pattern{ID: i, Text: w}
	}
	return ps
}

func oursFind(w []string, opt textscan.Options, mode textscan.Mode) (scanFunc, error) {
	m, err := textscan.Compile(patterns(w), opt)
	if err != nil {
		return nil, err
	}
	var buf []textscan.Match
	return func(doc []byte) int {
		buf = m.AppendMatchesBytes(buf[:0], doc, mode)
		return len(buf)
	}, nil
}

// distinctPatterns counts the patterns that occur at least once in doc,
// the figure cloudflare/ahocorasick reports.
func distinctPatterns(w []string) func(doc []byte) int {
	m, _ := textscan.Compile(patterns(w), rawOptions)
	seen := make([]int, len(w))
	gen := 0
	var buf []textscan.Match
	return func(doc []byte) int {
		gen++
		n := 0
		buf = m.AppendMatchesBytes(buf[:0], doc, textscan.Overlapping)
		for _, x := range buf {
			if seen[x.Pattern] != gen {
				seen[x.Pattern] = gen
				n++
			}
		}
		return n
	}
}

func basePatterns(words []string) []baseline.Pattern {
	ps := make([]baseline.Pattern, len(words))
	for i, w := range words {
		ps[i] = baseline.Pattern{ID: i, Text: w}
	}
	return ps
}

func baseFind(w []string, mode baseline.Mode) (scanFunc, error) {
	m, err := baseline.Compile(basePatterns(w), baseline.Options{})
	if err != nil {
		return nil, err
	}
	var buf []baseline.Match
	return func(doc []byte) int {
		buf = m.AppendMatchesBytes(buf[:0], doc, mode)
		return len(buf)
	}, nil
}
