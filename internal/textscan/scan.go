package textscan

import (
	"unicode/utf8"
	"unsafe"
)

// ringPos is the original position of a rune fed to the automaton in
// normalised mode; a ring of them recovers where a match started.
type ringPos struct{ b, r int }

// scanState carries the automaton across the pieces of a streamed input.
type scanState struct {
	s        int32 // automaton state
	gap      int   // consecutive noise runes (normalised mode)
	k        int   // runes fed to the automaton (normalised mode)
	ring     []ringPos
	byteBase int // offset of the current piece in the whole input
	runeBase int // rune offset of the current piece
}

// newState prepares a scan. In normalised mode the ring of positions comes
// from stack when it is large enough, else from the matcher's pool (long
// patterns); the caller gives a pooled ring back with m.rings.Put. The
// pooled pointer is returned apart from the state so that escape analysis
// keeps a stack ring on the stack.
func (m *Matcher) newState(stack []ringPos) (st scanState, pooled *[]ringPos) {
	if m.norm != nil {
		size := 1
		for size < m.maxKeyRunes+1 {
			size <<= 1
		}
		if size <= len(stack) {
			st.ring = stack[:size]
		} else {
			p, _ := m.rings.Get().(*[]ringPos)
			if p == nil || len(*p) != size {
				r := make([]ringPos, size)
				p = &r
			}
			st.ring, pooled = *p, p
		}
	}
	return st, pooled
}

// symSlow returns the symbol and width of the rune at text[i] for the
// cases the scanning loops do not inline: two- and four-byte sequences,
// invalid bytes and overflow symbols.
func (m *Matcher) symSlow(text string, i int) (uint32, int) {
	r, w := utf8.DecodeRuneInString(text[i:])
	if w == 1 { // invalid byte (a valid U+FFFD has width 3)
		if m.opt.MaxGap > 0 {
			return symNoise, 1
		}
		return symNone, 1
	}
	if r < 0x10000 {
		if c := uint32(m.symtab[r]); c != symOverflow {
			return c, w
		}
	}
	return m.symWide(r), w
}

// appendDups repeats the last match of dst for the further patterns that
// share its key (rare, so kept out of the scanning loops).
func (m *Matcher) appendDups(dst []Match, e *outEntry) []Match {
	x := dst[len(dst)-1]
	for _, p := range m.keyPats[e.dup0:e.dup1] {
		x.Pattern = int(p)
		dst = append(dst, x)
	}
	return dst
}

// collect appends the overlapping matches that end inside piece, which
// must end on a rune boundary unless it is the end of the input. With a
// non-nil ll the matches go through the leftmost-longest filter instead,
// and dst receives those that became final.
func (m *Matcher) collect(st *scanState, dst []Match, piece string, ll *llFilter) []Match {
	if m.norm == nil {
		return m.collectRaw(st, dst, piece, ll)
	}
	return m.collectNorm(st, dst, piece, ll)
}

func (m *Matcher) collectRaw(st *scanState, dst []Match, text string, ll *llFilter) []Match {
	cells, outs, symtab := m.cells, m.outs, m.symtab
	s := st.s
	ri := st.runeBase
	for i := 0; i < len(text); {
		// Decode the next rune and map it to its symbol. ASCII and
		// three-byte sequences (all of CJK; one mask checks the lead and
		// continuation bits) are inlined; the rest, including invalid
		// bytes, take symSlow.
		var c uint32
		w := 1
		if b := text[i]; b < utf8.RuneSelf {
			c = uint32(symtab[b])
		} else if i+2 < len(text) && (uint32(b)|uint32(text[i+1])<<8|uint32(text[i+2])<<16)&0xC0C0F0 == 0x8080E0 &&
			b != 0xE0 && b != 0xED { // lead E0 may be overlong, ED a surrogate: symSlow decides
			r := rune(b&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			c, w = uint32(symtab[r]), 3
			if c == symOverflow {
				c, w = m.symSlow(text, i)
			}
		} else {
			c, w = m.symSlow(text, i)
		}
		i += w
		ri++
		if c == symNone {
			s = 0
			continue
		}
		for {
			t := cells[s].base + int32(c)
			if cells[t].check == s {
				s = t
				break
			}
			if s == 0 {
				break
			}
			s = cells[s].fail
		}
		if o := cells[s].out; o != 0 {
			end := st.byteBase + i
			for ; o != 0; o = outs[o].next {
				e := &outs[o]
				if ll != nil {
					x := Match{Pattern: int(e.pat), Start: end - int(e.nbytes), End: end, RuneStart: ri - int(e.nrunes), RuneEnd: ri}
					ll.arrive(x)
					for _, p := range m.keyPats[e.dup0:e.dup1] {
						x.Pattern = int(p)
						ll.arrive(x)
					}
					continue
				}
				dst = append(dst, Match{Pattern: int(e.pat), Start: end - int(e.nbytes), End: end, RuneStart: ri - int(e.nrunes), RuneEnd: ri})
				if e.dup1 > e.dup0 {
					dst = m.appendDups(dst, e)
				}
			}
		}
		if ll != nil && len(ll.cand) > 0 {
			if bound := st.byteBase + i - int(m.depth[s]); ll.cand[0].Start < bound {
				dst = ll.commit(dst, bound)
			}
		}
	}
	st.s = s
	st.runeBase = ri
	st.byteBase += len(text)
	return dst
}

func (m *Matcher) collectNorm(st *scanState, dst []Match, text string, ll *llFilter) []Match {
	cells, outs, symtab := m.cells, m.outs, m.symtab
	s, gap, k := st.s, st.gap, st.k
	ring, mask := st.ring, len(st.ring)-1
	maxGap := m.opt.MaxGap
	ri := st.runeBase
	for i := 0; i < len(text); {
		// Decode the next rune and map it to its symbol. ASCII and
		// three-byte sequences (all of CJK; one mask checks the lead and
		// continuation bits) are inlined; the rest, including invalid
		// bytes, take symSlow.
		var c uint32
		w := 1
		if b := text[i]; b < utf8.RuneSelf {
			c = uint32(symtab[b])
		} else if i+2 < len(text) && (uint32(b)|uint32(text[i+1])<<8|uint32(text[i+2])<<16)&0xC0C0F0 == 0x8080E0 &&
			b != 0xE0 && b != 0xED { // lead E0 may be overlong, ED a surrogate: symSlow decides
			r := rune(b&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			c, w = uint32(symtab[r]), 3
			if c == symOverflow {
				c, w = m.symSlow(text, i)
			}
		} else {
			c, w = m.symSlow(text, i)
		}
		if c == symNoise {
			gap++
			if gap > maxGap {
				s = 0
			}
			i += w
			ri++
			continue
		}
		gap = 0
		if c == symNone {
			s = 0
			i += w
			ri++
			continue
		}
		ring[k&mask] = ringPos{st.byteBase + i, ri}
		k++
		i += w
		ri++
		for {
			t := cells[s].base + int32(c)
			if cells[t].check == s {
				s = t
				break
			}
			if s == 0 {
				break
			}
			s = cells[s].fail
		}
		if o := cells[s].out; o != 0 {
			end := st.byteBase + i
			for ; o != 0; o = outs[o].next {
				e := &outs[o]
				start := ring[(k-int(e.nrunes))&mask]
				if ll != nil {
					x := Match{Pattern: int(e.pat), Start: start.b, End: end, RuneStart: start.r, RuneEnd: ri}
					ll.arrive(x)
					for _, p := range m.keyPats[e.dup0:e.dup1] {
						x.Pattern = int(p)
						ll.arrive(x)
					}
					continue
				}
				dst = append(dst, Match{Pattern: int(e.pat), Start: start.b, End: end, RuneStart: start.r, RuneEnd: ri})
				if e.dup1 > e.dup0 {
					dst = m.appendDups(dst, e)
				}
			}
		}
		if ll != nil && len(ll.cand) > 0 {
			bound := st.byteBase + i
			if d := int(m.depth[s]); d > 0 {
				bound = ring[(k-d)&mask].b
			}
			if ll.cand[0].Start < bound {
				dst = ll.commit(dst, bound)
			}
		}
	}
	st.s, st.gap, st.k = s, gap, k
	st.runeBase = ri
	st.byteBase += len(text)
	return dst
}

// count counts overlapping matches (all of them, or stops at the first one
// when first is set). It never allocates.
func (m *Matcher) count(text string, first bool) int {
	cells, outs, symtab := m.cells, m.outs, m.symtab
	maxGap := m.opt.MaxGap
	n, gap := 0, 0
	s := int32(0)
	for i := 0; i < len(text); {
		// Decode the next rune and map it to its symbol. ASCII and
		// three-byte sequences (all of CJK; one mask checks the lead and
		// continuation bits) are inlined; the rest, including invalid
		// bytes, take symSlow.
		var c uint32
		w := 1
		if b := text[i]; b < utf8.RuneSelf {
			c = uint32(symtab[b])
		} else if i+2 < len(text) && (uint32(b)|uint32(text[i+1])<<8|uint32(text[i+2])<<16)&0xC0C0F0 == 0x8080E0 &&
			b != 0xE0 && b != 0xED { // lead E0 may be overlong, ED a surrogate: symSlow decides
			r := rune(b&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			c, w = uint32(symtab[r]), 3
			if c == symOverflow {
				c, w = m.symSlow(text, i)
			}
		} else {
			c, w = m.symSlow(text, i)
		}
		i += w
		if c == symNoise {
			gap++
			if gap > maxGap {
				s = 0
			}
			continue
		}
		gap = 0
		if c == symNone {
			s = 0
			continue
		}
		// The start state is an ordinary cell (its children sit at their
		// symbols), so one loop covers it.
		for {
			t := cells[s].base + int32(c)
			if cells[t].check == s {
				s = t
				break
			}
			if s == 0 {
				break
			}
			s = cells[s].fail
		}
		// Branch-free: chain 0 has count 0.
		n += int(outs[cells[s].out].count)
		if first && n > 0 {
			return 1
		}
	}
	return n
}

// bytesToString views b as a string without copying. The callers only
// read the string while b is not modified.
func bytesToString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// runeCut returns a cut point ≤ n in text that does not split a UTF-8
// sequence.
func runeCut(text string, n int) int {
	if n >= len(text) {
		return len(text)
	}
	for j := n; j > n-utf8.UTFMax && j > 0; j-- {
		if utf8.RuneStart(text[j]) {
			return j
		}
	}
	return n
}
