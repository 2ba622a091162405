package main

import (
	"math/rand/v2"
	"time"
	"unsafe"

	"zhendi/internal/textscan"
)

// limitProbe compiles words as textscan does (raw) and returns the size
// of the automaton (the matcher's memory without its copy of the
// patterns) and the median time of one load in a dependent pointer chase
// over an array of that size: a random cycle through 16-byte slots, so
// that every load depends on the one before and most miss the caches the
// way an automaton's steps do once it outgrows them.
func limitProbe(words []string, dur time.Duration) (int, float64) {
	m, err := textscan.Compile(patterns(words), rawOptions)
	if err != nil {
		fatal(err)
	}
	size := m.MemoryBytes()
	for _, w := range words {
		size -= int(unsafe.Sizeof(textscan.Pattern{})) + len(w)
	}
	slots := max(size/16, 64)
	next := make([]uint32, 4*slots) // next[4*i] is the slot after slot i
	perm := make([]uint32, slots)
	for i := range perm {
		perm[i] = uint32(i)
	}
	// Sattolo's algorithm: a random permutation that is a single cycle.
	r := rand.New(rand.NewPCG(1, 2))
	for i := slots - 1; i > 0; i-- {
		j := r.IntN(i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	for i, p := range perm {
		next[4*i] = p
	}
	var xs []float64
	p := uint32(0)
	for range rounds {
		loads := 0
		t0 := time.Now()
		c0, cpuOK := cpuTime()
		for time.Since(t0) < dur/rounds/2 {
			for range 1 << 16 {
				p = next[4*p]
			}
			loads += 1 << 16
		}
		el := time.Since(t0)
		if c1, ok := cpuTime(); cpuOK && ok && c1 > c0 {
			el = c1 - c0
		}
		xs = append(xs, float64(el.Nanoseconds())/float64(loads))
	}
	if p == ^uint32(0) { // never: keeps the chase from being optimised away
		fatal(nil)
	}
	return size, median(xs)
}
