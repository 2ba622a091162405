package textscan

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// FindAll returns the matches of the lexicon in text, in the given mode.
func (m *Matcher) FindAll(text string, mode Mode) []Match {
	return m.AppendMatches(nil, text, mode)
}

// AppendMatches appends the matches in text to dst and returns the
// extended slice. Reusing dst across calls avoids allocation.
func (m *Matcher) AppendMatches(dst []Match, text string, mode Mode) []Match {
	var st scanState
	if m.norm != nil {
		// The ring of positions lives on the stack unless patterns are long;
		// raw mode does not need it (and skips zeroing it).
		var stack [128]ringPos
		var pooled *[]ringPos
		st, pooled = m.newState(stack[:])
		if pooled != nil {
			defer m.rings.Put(pooled)
		}
	}
	if mode == LeftmostLongest {
		f := m.getLL()
		dst = m.collect(&st, dst, text, f)
		dst = f.flush(dst)
		m.lls.Put(f)
		return dst
	}
	return m.collect(&st, dst, text, nil)
}

// AppendMatchesBytes is AppendMatches for a byte slice.
func (m *Matcher) AppendMatchesBytes(dst []Match, text []byte, mode Mode) []Match {
	return m.AppendMatches(dst, bytesToString(text), mode)
}

// Any reports whether any pattern occurs in text. It stops at the first
// match and does not allocate.
func (m *Matcher) Any(text string) bool { return m.count(text, true) > 0 }

// AnyBytes is Any for a byte slice.
func (m *Matcher) AnyBytes(text []byte) bool { return m.count(bytesToString(text), true) > 0 }

// Count returns the number of overlapping matches in text (every
// occurrence of every pattern). It does not allocate.
func (m *Matcher) Count(text string) int { return m.count(text, false) }

// CountBytes is Count for a byte slice.
func (m *Matcher) CountBytes(text []byte) int { return m.count(bytesToString(text), false) }

// First returns the first leftmost-longest match in text. It scans only as
// far as needed to be sure no other match starts earlier or is longer,
// and does not allocate.
func (m *Matcher) First(text string) (Match, bool) {
	var stack [128]ringPos
	st, pooled := m.newState(stack[:])
	if pooled != nil {
		defer m.rings.Put(pooled)
	}
	f := m.getLL()
	defer m.lls.Put(f)
	// Matches the filter commits go to its own reused buffer.
	out := f.first[:0]
	defer func() { f.first = out[:0] }()
	const step = 256
	for pos := 0; pos < len(text); {
		end := runeCut(text, pos+step)
		if end <= pos {
			end = len(text)
		}
		if out = m.collect(&st, out, text[pos:end], f); len(out) > 0 {
			return out[0], true
		}
		pos = end
	}
	if out = f.flush(out); len(out) > 0 {
		return out[0], true
	}
	return Match{}, false
}

// ScanReader scans r in chunks of 64 KiB and calls fn for each match, in
// the given mode, with offsets relative to the start of the stream.
// Matches that straddle chunk boundaries are found. It stops early when
// fn returns false, and returns the first read error other than io.EOF,
// wrapped. Its buffers come from a pool, so a call allocates nothing of
// its own (r may).
func (m *Matcher) ScanReader(r io.Reader, mode Mode, fn func(Match) bool) error {
	return m.scanReader(r, mode, fn, 64<<10)
}

// readScratch is what one ScanReader call needs besides the automaton,
// pooled so that streaming does not allocate per call.
type readScratch struct {
	buf     []byte
	matches []Match
}

func (m *Matcher) scanReader(r io.Reader, mode Mode, fn func(Match) bool, chunk int) error {
	rs, _ := m.reads.Get().(*readScratch)
	if rs == nil {
		rs = new(readScratch)
	}
	defer m.reads.Put(rs)
	if len(rs.buf) != chunk+utf8.UTFMax {
		rs.buf = make([]byte, chunk+utf8.UTFMax)
	}
	buf := rs.buf
	var stack [128]ringPos
	st, pooled := m.newState(stack[:])
	if pooled != nil {
		defer m.rings.Put(pooled)
	}
	matches := rs.matches[:0]
	defer func() { rs.matches = matches[:0] }()
	f := m.getLL()
	defer m.lls.Put(f)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:carry+chunk])
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return fmt.Errorf("textscan: read: %w", err)
		}
		data := buf[:carry+n]
		cut := len(data)
		if !eof {
			cut = incompleteTail(data)
		}
		var ll *llFilter
		if mode == LeftmostLongest {
			ll = f
		}
		matches = m.collect(&st, matches[:0], bytesToString(data[:cut]), ll)
		if eof && ll != nil {
			matches = ll.flush(matches)
		}
		for _, x := range matches {
			if !fn(x) {
				return nil
			}
		}
		if eof {
			return nil
		}
		carry = copy(buf, data[cut:])
	}
}

// incompleteTail returns the length of data without a trailing UTF-8
// sequence that the next chunk may complete.
func incompleteTail(data []byte) int {
	for j := len(data) - 1; j >= 0 && j >= len(data)-utf8.UTFMax; j-- {
		if utf8.RuneStart(data[j]) {
			if !utf8.FullRune(data[j:]) {
				return j
			}
			break
		}
	}
	return len(data)
}

// Walk calls fn for every overlapping match in text with the pattern index
// (into the slice given to Compile) and the byte offsets [start, end) in
// the original text, in the order AppendMatches reports them in
// Overlapping mode; fn returning false stops the scan. It builds no Match
// values and does not allocate (with or without normalisation; a
// matcher whose patterns are longer than about 60 characters takes its
// normalised position ring from a pool), which makes it the fastest way
// to consume every match one by one.
func (m *Matcher) Walk(text string, fn func(pattern, start, end int) bool) {
	if m.norm != nil {
		m.walkNorm(text, fn)
		return
	}
	outs, keyPats := m.outs, m.keyPats
	var bufs hitBufs
	m.rawHits(text, 0, 0, &bufs, func(l, lo, hi, _ int) bool {
		for _, h := range bufs.get(l, lo, hi) {
			for o := h.out; o != 0; o = outs[o].next {
				e := &outs[o]
				start := h.end - int(e.nbytes)
				if !fn(int(e.pat), start, h.end) {
					return false
				}
				if e.dup1 > e.dup0 { // rare: several patterns with the same text
					for _, p := range keyPats[e.dup0:e.dup1] {
						if !fn(int(p), start, h.end) {
							return false
						}
					}
				}
			}
		}
		return true
	})
}

// WalkBytes is Walk for a byte slice.
func (m *Matcher) WalkBytes(text []byte, fn func(pattern, start, end int) bool) {
	m.Walk(bytesToString(text), fn)
}

// walkNorm is Walk with normalisation: collectNorm's loop, calling fn
// instead of building matches.
func (m *Matcher) walkNorm(text string, fn func(pattern, start, end int) bool) {
	var stack [128]ringPos
	st, pooled := m.newState(stack[:])
	if pooled != nil {
		defer m.rings.Put(pooled)
	}
	outs := m.outs
	ring, mask := st.ring, len(st.ring)-1
	var p normPos
	var hits [hitBatch]normHit
	for p.i < len(text) {
		n := m.scanNorm(text, 0, ring, &p, &hits)
		for _, h := range hits[:n] {
			for o := h.out; o != 0; o = outs[o].next {
				e := &outs[o]
				start := ring[(h.k-int(e.nrunes))&mask].b
				if !fn(int(e.pat), start, h.end) {
					return
				}
				if e.dup1 > e.dup0 {
					for _, q := range m.keyPats[e.dup0:e.dup1] {
						if !fn(int(q), start, h.end) {
							return
						}
					}
				}
			}
		}
	}
}
