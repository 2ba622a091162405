package baseline

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
		f := newLLFilter()
		dst = m.collect(&st, dst, text, &f)
		return f.flush(dst)
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
// far as needed to be sure no other match starts earlier or is longer.
func (m *Matcher) First(text string) (Match, bool) {
	var stack [128]ringPos
	var outBuf [4]Match
	st, pooled := m.newState(stack[:])
	if pooled != nil {
		defer m.rings.Put(pooled)
	}
	f := newLLFilter()
	out := outBuf[:0]
	const step = 256
	for pos := 0; pos < len(text); {
		end := runeCut(text, pos+step)
		if end <= pos {
			end = len(text)
		}
		if out = m.collect(&st, out, text[pos:end], &f); len(out) > 0 {
			return out[0], true
		}
		pos = end
	}
	if out = f.flush(out); len(out) > 0 {
		return out[0], true
	}
	return Match{}, false
}

// ScanReader scans r in chunks and calls fn for each match, in the given
// mode, with offsets relative to the start of the stream. Matches that
// straddle chunk boundaries are found. It stops early when fn returns
// false, and returns the first read error other than io.EOF.
func (m *Matcher) ScanReader(r io.Reader, mode Mode, fn func(Match) bool) error {
	return m.scanReader(r, mode, fn, 64<<10)
}

func (m *Matcher) scanReader(r io.Reader, mode Mode, fn func(Match) bool, chunk int) error {
	buf := make([]byte, chunk+utf8.UTFMax)
	st, pooled := m.newState(nil)
	if pooled != nil {
		defer m.rings.Put(pooled)
	}
	var matches []Match
	f := newLLFilter()
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
			ll = &f
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
// and the byte offsets in the original text, in the order AppendMatches
// reports them in Overlapping mode; fn returning false stops the scan.
// Without normalisation it builds no Match values and does not allocate,
// which makes it the fastest way to consume every match one by one.
func (m *Matcher) Walk(text string, fn func(pattern, start, end int) bool) {
	if m.norm != nil {
		for _, x := range m.AppendMatches(nil, text, Overlapping) {
			if !fn(x.Pattern, x.Start, x.End) {
				return
			}
		}
		return
	}
	outs := m.outs
	var hits [hitBatch]hit
	var p rawPos
	for p.i < len(text) {
		k := m.scanRaw(text, &p, &hits)
		for _, h := range hits[:k] {
			for o := h.out; o != 0; o = outs[o].next {
				e := &outs[o]
				start := h.end - int(e.nbytes)
				if !fn(int(e.pat), start, h.end) {
					return
				}
				if e.dup1 > e.dup0 { // rare: several patterns with the same text
					for _, p := range m.keyPats[e.dup0:e.dup1] {
						if !fn(int(p), start, h.end) {
							return
						}
					}
				}
			}
		}
	}
}

// WalkBytes is Walk for a byte slice.
func (m *Matcher) WalkBytes(text []byte, fn func(pattern, start, end int) bool) {
	m.Walk(bytesToString(text), fn)
}
