package textscan

import (
	"slices"
	"unicode/utf8"
	"unsafe"
)

// ringBatch is the fewest symbols a normalised scan may feed in one batch.
const ringBatch = 64

// ringPos is the original position of a rune fed to the automaton in
// normalised mode; a ring of them recovers where a match started.
type ringPos struct{ b, r int }

// scanState carries the automaton across the pieces of a streamed input.
type scanState struct {
	s        int32 // automaton state (its identity)
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
		// Room for a batch of symbols (see scanNorm) besides the longest
		// key.
		size := 1
		for size < m.maxKeyRunes+1+ringBatch {
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

// symSlow returns the symbol and width of the rune at text[i]. The
// scanning loops decode ASCII and most three-byte sequences themselves and
// leave the rest to it: two- and four-byte sequences, invalid bytes,
// surrogates, possibly overlong sequences and overflow symbols.
func (m *Matcher) symSlow(text string, i int) (uint32, int) {
	r, w := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && w == 1 { // invalid byte (a valid U+FFFD has width 3)
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

// appendMatch is append(dst, Match{…}) written field by field: the
// compiler builds a composite literal on the stack and copies it with
// 16-byte moves, which stall on the 8-byte stores that just wrote it
// (store forwarding fails); that was a third of AppendMatches' time.
//
// It is small enough to be inlined (growing is a call apart): a call per
// match was a tenth of the time of dense scans.
func appendMatch(dst []Match, pattern, start, end, runeStart, runeEnd int) []Match {
	dst = append(dst, Match{})
	x := &dst[len(dst)-1]
	x.Pattern, x.Start, x.End, x.RuneStart, x.RuneEnd = pattern, start, end, runeStart, runeEnd
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
	outs, base := m.outs, st.byteBase
	var ri int
	if ll == nil {
		var bufs hitBufs
		st.s, ri = m.rawHits(text, st.s, st.runeBase, &bufs, func(l, lo, hi, _ int) bool {
			for _, h := range bufs.get(l, lo, hi) {
				end, ri := base+h.end, h.runeEnd
				for o := h.out; o != 0; o = outs[o].next {
					e := &outs[o]
					// appendMatch by hand (see llFilter.commit).
					if len(dst) == cap(dst) {
						dst = slices.Grow(dst, 1)
					}
					dst = dst[:len(dst)+1]
					x := &dst[len(dst)-1]
					x.Pattern, x.Start, x.End, x.RuneStart, x.RuneEnd = int(e.pat), end-int(e.nbytes), end, ri-int(e.nrunes), ri
					if e.dup1 > e.dup0 {
						dst = m.appendDups(dst, e)
					}
				}
			}
			return true
		})
	} else {
		// Positions are rune offsets (see llFilter). The hits wait in
		// the filter's pooled buffers: zeroing a batch on the stack was
		// a twentieth of a short post's scan.
		bufs := &ll.bufs
		st.s, ri = m.rawHits(text, st.s, st.runeBase, bufs, func(l, lo, hi, after int) bool {
			dst = ll.rawHits(dst, bufs.get(l, lo, hi), base, outs)
			dst = ll.commitBefore(dst, after)
			return true
		})
	}
	st.runeBase = ri
	st.byteBase += len(text)
	return dst
}

func (m *Matcher) collectNorm(st *scanState, dst []Match, text string, ll *llFilter) []Match {
	depth, outs := m.depth, m.outs
	ring, mask := st.ring, len(st.ring)-1
	// Leftmost-longest positions are symbols fed (hit.k), see llFilter.
	p := normPos{ri: st.runeBase, s: st.s, gap: st.gap, k: st.k}
	var hits [hitBatch]normHit
	for p.i < len(text) {
		n := m.scanNorm(text, st.byteBase, ring, &p, &hits)
		for _, h := range hits[:n] {
			end, ri := st.byteBase+h.end, h.runeEnd
			if ll != nil {
				dst = ll.reach(dst, h.k)
			}
			for o := h.out; o != 0; o = outs[o].next {
				e := &outs[o]
				start := ring[(h.k-int(e.nrunes))&mask]
				if ll == nil {
					dst = appendMatch(dst, int(e.pat), start.b, end, start.r, ri)
					if e.dup1 > e.dup0 {
						dst = m.appendDups(dst, e)
					}
					continue
				}
				ll.arrive(h.k-int(e.nrunes), o, start.b, end, start.r, ri)
			}
		}
		if ll != nil {
			dst = ll.commitBefore(dst, p.k-int(depth[p.s&baseMask]))
		}
	}
	st.s, st.gap, st.k = p.s, p.gap, p.k
	st.runeBase = p.ri
	st.byteBase += len(text)
	return dst
}

// normPos is where a normalised scan stands: the next byte and its
// character offset, the automaton state, the run of noise characters
// before it and the number of symbols fed to the automaton.
type normPos struct {
	i, ri  int
	s      int32
	gap, k int
}

// scanNorm is scanRaw for normalised matching: noise characters are
// skipped (up to MaxGap in a row inside a match), and the original offsets
// of the symbols fed to the automaton go to ring (base is the offset of
// text in the whole input), from which the caller recovers where each
// match starts. A batch
// feeds at most len(ring) - maxKeyRunes - 1 symbols, so that no hit's
// start is overwritten before the caller reads it.
func (m *Matcher) scanNorm(text string, base int, ring []ringPos, p *normPos, hits *[hitBatch]normHit) int {
	cells, symtab := m.cells, m.symtab
	branchless, maxGap := m.branchless, m.opt.MaxGap
	mask := len(ring) - 1
	kEnd := p.k + len(ring) - m.maxKeyRunes - 1
	i, ri, s, gap, k := p.i, p.ri, p.s, p.gap, p.k
	n := 0
	for i < len(text) && n < hitBatch-1 && k < kEnd {
		// One character the general way.
		c, w := m.symSlow(text, i)
		if c == symNoise {
			if gap++; gap > maxGap {
				s = 0
			}
		} else {
			gap = 0
			ring[k&mask] = ringPos{base + i, ri}
			k++
			x := step(cells, s, c)
			s = x.next()
			hits[n] = normHit{i + w, ri + 1, k, x.out()}
			n += b2i(x.out() != 0)
		}
		i, ri = i+w, ri+1
		// Then the fast way, as in scanRaw.
		for i+2 < len(text) && n < hitBatch-1 && k < kEnd { // sym3 reads up to i+2
			c, j := uint32(symtab[text[i]]), i+1
			if text[i] >= utf8.RuneSelf {
				if c, j = sym3(symtab, text, i); j == i {
					break
				}
			}
			if c == symNoise {
				if gap++; gap > maxGap {
					s = 0
				}
				i, ri = j, ri+1
				continue
			}
			gap = 0
			ring[k&mask] = ringPos{base + i, ri}
			k++
			var to trans
			if branchless {
				to = stepFree(cells, s, c)
			} else {
				to = step(cells, s, c)
			}
			i, ri, s = j, ri+1, to.next()
			hits[n&(hitBatch-1)] = normHit{i, ri, k, to.out()}
			n += b2i(to.out() != 0)
		}
	}
	p.i, p.ri, p.s, p.gap, p.k = i, ri, s, gap, k
	return n
}

// hit is a character after which the automaton is in a state with
// output (raw scans). Three words, written field by field in the scanning
// loops: a composite literal made the compiler zero the slot first, and
// the state and symbol count it used to carry were never read in raw
// mode.
type hit struct {
	end, runeEnd int    // offsets just after the character
	out          uint32 // the state's output chain
}

// normHit is a hit of a normalised scan, which also records the symbols
// fed so far (where the match starts in the position ring, and the
// leftmost-longest position).
type normHit struct {
	end, runeEnd int // offsets just after the character
	k            int // symbols fed so far
	out          uint32
}

// hitBatch is the number of hits a scan collects before its caller turns
// them into matches (a power of two). Collecting first keeps the hot loop
// free of calls and of the hard-to-predict "is there a match here" branch.
const hitBatch = 128

// rawPos is where a raw (unnormalised) scan stands: the next byte and the
// automaton state.
type rawPos struct {
	i, ri int
	s     int32
}

// scanRaw runs the automaton over text from p until the text ends or
// hits has one free entry left, records in hits every character after
// which the state has output, and returns how many it recorded.
func (m *Matcher) scanRaw(text string, p *rawPos, hits *[hitBatch]hit) int {
	cells, symtab := m.cells, m.symtab
	i, ri, s := p.i, p.ri, p.s
	n := 0
	for i < len(text) && n < hitBatch-1 {
		// One character the general way: any encoding, any state.
		c, w := m.symSlow(text, i)
		x := step(cells, s, c)
		i, ri, s = i+w, ri+1, x.next()
		h := &hits[n]
		h.end, h.runeEnd, h.out = i, ri, x.out()
		n += b2i(x.out() != 0)
		// Then as many as possible the fast way (see fastFree). The
		// choice between the two steps is made per matcher.
		if m.branchless {
			i, ri, s, n = fastFree(cells, symtab, text, i, ri, s, hits, n)
		} else {
			i, ri, s, n = fastStep(cells, symtab, text, i, ri, s, hits, n)
		}
	}
	p.i, p.ri, p.s = i, ri, s
	return n
}

// fastFree is scanRaw's inner loop with stepFree: from byte i (rune ri,
// state s) it steps through ASCII and the three-byte sequences sym3
// decodes until another rune, the last two bytes of text or a full
// batch, and returns where it stopped. No calls, so the loop state stays
// in registers, and no branch on whether there is a match (the hit is
// written either way and counted only if there is one).
//
// It reads text and cells without bounds checks (unsafe): i+2 < len(text)
// is the loop's condition, and base+symbol never runs past the padded
// end of cells (build), for any state and any symbol of the table. The
// checks, the zeroing of a composite hit and the spills they caused were
// a third of the loop's instructions.
func fastFree(cells []cell, symtab *[0x10000]uint16, text string, i, ri int, s int32, hits *[hitBatch]hit, n int) (int, int, int32, int) {
	cp, tp := unsafe.Pointer(unsafe.SliceData(cells)), unsafe.Pointer(unsafe.StringData(text))
	for lim := len(text) - 2; i < lim && n < hitBatch-1; {
		// sym3, inline and in fewer operations: a lead E1–EF (E0 may
		// be overlong) and two continuation bytes, whose low six bits
		// are x and y.
		b0 := *(*byte)(unsafe.Add(tp, i))
		c, j := uint32(symtab[b0]), i+1
		if b0 >= utf8.RuneSelf {
			x := *(*byte)(unsafe.Add(tp, i+1)) ^ 0x80
			y := *(*byte)(unsafe.Add(tp, i+2)) ^ 0x80
			if b0-0xE1 > 0xEF-0xE1 || x|y > 0x3F {
				break
			}
			c, j = uint32(symtab[uint16(b0)<<12|uint16(x)<<6|uint16(y)]), i+3
			if c == symOverflow {
				break
			}
		}
		x := cellAt(cp, s&baseMask+int32(c))
		for s < 0 && x.check != s {
			s = cellAt(cp, s&baseMask).to.next()
			x = cellAt(cp, s&baseMask+int32(c))
		}
		own := -trans(b2i(x.check == s))
		to := x.to&own | cellAt(cp, int32(c)).to&^own
		i, ri, s = j, ri+1, to.next()
		h := &hits[n&(hitBatch-1)]
		h.end, h.runeEnd, h.out = i, ri, to.out()
		n += b2i(to.out() != 0)
	}
	return i, ri, s, n
}

// fastStep is fastFree with step's branch on whether the state has the
// transition (large automata, see step).
func fastStep(cells []cell, symtab *[0x10000]uint16, text string, i, ri int, s int32, hits *[hitBatch]hit, n int) (int, int, int32, int) {
	cp, tp := unsafe.Pointer(unsafe.SliceData(cells)), unsafe.Pointer(unsafe.StringData(text))
	for lim := len(text) - 2; i < lim && n < hitBatch-1; {
		// sym3, inline and in fewer operations: a lead E1–EF (E0 may
		// be overlong) and two continuation bytes, whose low six bits
		// are x and y.
		b0 := *(*byte)(unsafe.Add(tp, i))
		c, j := uint32(symtab[b0]), i+1
		if b0 >= utf8.RuneSelf {
			x := *(*byte)(unsafe.Add(tp, i+1)) ^ 0x80
			y := *(*byte)(unsafe.Add(tp, i+2)) ^ 0x80
			if b0-0xE1 > 0xEF-0xE1 || x|y > 0x3F {
				break
			}
			c, j = uint32(symtab[uint16(b0)<<12|uint16(x)<<6|uint16(y)]), i+3
			if c == symOverflow {
				break
			}
		}
		x := cellAt(cp, s&baseMask+int32(c))
		t := s
		for x.check != t {
			if t >= 0 {
				x = cellAt(cp, int32(c))
				break
			}
			t = cellAt(cp, t&baseMask).to.next()
			x = cellAt(cp, t&baseMask+int32(c))
		}
		to := x.to
		i, ri, s = j, ri+1, to.next()
		h := &hits[n&(hitBatch-1)]
		h.end, h.runeEnd, h.out = i, ri, to.out()
		n += b2i(to.out() != 0)
	}
	return i, ri, s, n
}

// cellAt is &cells[i] without a bounds check (see fastFree).
func cellAt(cells unsafe.Pointer, i int32) *cell {
	return (*cell)(unsafe.Add(cells, uintptr(uint32(i))*unsafe.Sizeof(cell{})))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// count counts overlapping matches (all of them, or stops at the first one
// when first is set). It never allocates.
func (m *Matcher) count(text string, first bool) int {
	if m.norm == nil {
		return m.countRaw(text, first)
	}
	cells, outs, symtab := m.cells, m.outs, m.symtab
	maxGap, branchless := m.opt.MaxGap, m.branchless
	n, gap := 0, 0
	s := int32(0)
	for i := 0; i < len(text); {
		c, j := uint32(symtab[text[i]]), i+1
		if text[i] >= utf8.RuneSelf {
			if j = i; i+2 < len(text) {
				c, j = sym3(symtab, text, i)
			}
			if j == i {
				var w int
				c, w = m.symSlow(text, i)
				j = i + w
			}
		}
		i = j
		if c == symNoise {
			if gap++; gap > maxGap {
				s = 0
			}
			continue
		}
		gap = 0
		var x trans
		if branchless {
			x = stepFree(cells, s, c)
		} else {
			x = step(cells, s, c)
		}
		s = x.next()
		n += int(outs[x.out()].count) // branch-free: chain 0 has count 0
		if first && n > 0 {
			return 1
		}
	}
	return n
}

func (m *Matcher) countRaw(text string, first bool) int {
	outs := m.outs
	n := 0
	var bufs hitBufs
	m.rawHits(text, 0, 0, &bufs, func(l, lo, hi, _ int) bool {
		for _, h := range bufs.get(l, lo, hi) {
			n += int(outs[h.out].count)
		}
		return !first || n == 0
	})
	if first && n > 0 {
		return 1
	}
	return n
}

// sym3 decodes the three-byte sequence at text[i] (all of CJK; one mask
// checks the lead and continuation bits) and returns its symbol and where
// the next rune starts. It returns j == i for what symSlow must decode:
// anything else (the caller has handled ASCII), the lead E0 (may be
// overlong), surrogates (lead ED; they have symOverflow in symtab) and
// overflow symbols. The caller guarantees i+2 < len(text). Small enough
// to be inlined.
func sym3(symtab *[0x10000]uint16, text string, i int) (c uint32, j int) {
	v := uint32(text[i]) | uint32(text[i+1])<<8 | uint32(text[i+2])<<16
	c = uint32(symtab[uint16(v&0x0F)<<12|uint16(v>>8&0x3F)<<6|uint16(v>>16&0x3F)])
	if v&0xC0C0F0 != 0x8080E0 || v&0xFF == 0xE0 || c == symOverflow {
		return 0, i
	}
	return c, i + 3
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
