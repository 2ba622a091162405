package textscan

import (
	"cmp"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// ringPos is the original position of a rune fed to the automaton in
// normalised mode; a ring of them recovers where a match started.
type ringPos struct{ b, r int }

// scanState carries the automaton across the pieces of a streamed input.
type scanState struct {
	v        uint32 // encoded automaton state, flag cleared
	gap      int    // consecutive skipped runes (normalised mode)
	k        int    // runes fed to the automaton (normalised mode)
	ring     []ringPos
	byteBase int // offset of the current piece in the whole input
	runeBase int // rune offset of the current piece
}

func (m *Matcher) newState(stack []ringPos) scanState {
	st := scanState{}
	if m.norm != nil {
		size := 1
		for size < m.maxKeyRunes+1 {
			size <<= 1
		}
		if size <= len(stack) {
			st.ring = stack[:size]
		} else {
			st.ring = make([]ringPos, size)
		}
	}
	return st
}

// collect appends the overlapping matches that end inside piece, which
// must end on a rune boundary unless it is the end of the input.
func (m *Matcher) collect(st *scanState, dst []Match, piece string) []Match {
	if m.norm == nil {
		return m.collectRaw(st, dst, piece)
	}
	return m.collectNorm(st, dst, piece)
}

func (m *Matcher) collectRaw(st *scanState, dst []Match, text string) []Match {
	n0 := len(dst)
	v := st.v
	dense, limit, classes := m.dense, m.limit, &m.classes
	for i := 0; i < len(text); i++ {
		if v == 0 {
			// Prefilter: skip bytes that cannot start a match.
			for i < len(text) && m.rootStay[text[i]] {
				i++
			}
			if i == len(text) {
				break
			}
		}
		c := uint32(classes[text[i]])
		var t uint32
		if v < limit {
			t = dense[v+c]
		} else {
			t = m.sparseStep(v, c)
		}
		v = t &^ matchFlag
		if t&matchFlag != 0 {
			end := st.byteBase + i + 1
			for e := m.outHeadOf(v); e != 0; e = m.outs[e].next {
				ki := &m.keys[m.outs[e].key]
				for _, p := range m.keyPats[ki.pat0:ki.pat1] {
					dst = append(dst, Match{Pattern: int(p), Start: end - int(ki.nbytes), End: end})
				}
			}
		}
	}
	st.v = v
	// Rune offsets, in one pass over the text up to the last match. Matched
	// bytes are a valid UTF-8 key, so the match spans exactly nrunes runes.
	pos, runes := 0, st.runeBase
	for j := n0; j < len(dst); j++ {
		end := dst[j].End - st.byteBase
		if end > pos {
			runes += utf8.RuneCountInString(text[pos:end])
			pos = end
		}
		dst[j].RuneEnd = runes
		dst[j].RuneStart = runes - int(m.keys[m.patKey[dst[j].Pattern]].nrunes)
	}
	st.runeBase = runes + utf8.RuneCountInString(text[pos:])
	st.byteBase += len(text)
	return dst
}

// decode returns the normalised, packed UTF-8 of the rune at text[i] (0
// when it is skipped) and its width in the original.
func (n *normalizer) decode(text string, i int) (uint32, int) {
	b := text[i]
	if b < utf8.RuneSelf {
		return n.tab[b], 1
	}
	r, w := utf8.DecodeRuneInString(text[i:])
	switch {
	case w == 1: // invalid byte
		return 0, 1
	case r < 0x10000:
		return n.tab[r], w
	}
	return n.packSlow(r), w
}

func (m *Matcher) collectNorm(st *scanState, dst []Match, text string) []Match {
	v, gap, k := st.v, st.gap, st.k
	ring, mask := st.ring, len(st.ring)-1
	dense, limit, classes := m.dense, m.limit, &m.classes
	maxGap := m.opt.MaxGap
	runeIdx := st.runeBase
	for i := 0; i < len(text); {
		p, w := m.norm.decode(text, i)
		if p == 0 {
			// Skipped: noise (counts towards the gap) or, without noise
			// skipping, an invalid byte or NUL, which breaks any match.
			gap++
			if gap > maxGap {
				v = 0
			}
			i += w
			runeIdx++
			continue
		}
		gap = 0
		ring[k&mask] = ringPos{st.byteBase + i, runeIdx}
		k++
		i += w
		runeIdx++
		var t uint32
		for {
			c := uint32(classes[byte(p)])
			if v < limit {
				t = dense[v+c]
			} else {
				t = m.sparseStep(v, c)
			}
			v = t &^ matchFlag
			p >>= 8
			if p == 0 {
				break
			}
		}
		if t&matchFlag != 0 {
			end := st.byteBase + i
			for e := m.outHeadOf(v); e != 0; e = m.outs[e].next {
				ki := &m.keys[m.outs[e].key]
				start := ring[(k-int(ki.nrunes))&mask]
				for _, pi := range m.keyPats[ki.pat0:ki.pat1] {
					dst = append(dst, Match{Pattern: int(pi), Start: start.b, End: end, RuneStart: start.r, RuneEnd: runeIdx})
				}
			}
		}
	}
	st.v, st.gap, st.k = v, gap, k
	st.runeBase = runeIdx
	st.byteBase += len(text)
	return dst
}

// count counts overlapping matches (all of them, or stops at the first one
// when first is set). It never allocates.
func (m *Matcher) count(text string, first bool) int {
	if m.norm != nil {
		return m.countNorm(text, first)
	}
	n := 0
	v := uint32(0)
	dense, limit, classes := m.dense, m.limit, &m.classes
	for i := 0; i < len(text); i++ {
		if v == 0 {
			for i < len(text) && m.rootStay[text[i]] {
				i++
			}
			if i == len(text) {
				break
			}
		}
		c := uint32(classes[text[i]])
		var t uint32
		if v < limit {
			t = dense[v+c]
		} else {
			t = m.sparseStep(v, c)
		}
		v = t &^ matchFlag
		if t&matchFlag != 0 {
			if first {
				return 1
			}
			n += int(m.outs[m.outHeadOf(v)].count)
		}
	}
	return n
}

func (m *Matcher) countNorm(text string, first bool) int {
	n := 0
	v, gap := uint32(0), 0
	dense, limit, classes := m.dense, m.limit, &m.classes
	maxGap := m.opt.MaxGap
	for i := 0; i < len(text); {
		p, w := m.norm.decode(text, i)
		i += w
		if p == 0 {
			gap++
			if gap > maxGap {
				v = 0
			}
			continue
		}
		gap = 0
		var t uint32
		for {
			c := uint32(classes[byte(p)])
			if v < limit {
				t = dense[v+c]
			} else {
				t = m.sparseStep(v, c)
			}
			v = t &^ matchFlag
			p >>= 8
			if p == 0 {
				break
			}
		}
		if t&matchFlag != 0 {
			if first {
				return 1
			}
			n += int(m.outs[m.outHeadOf(v)].count)
		}
	}
	return n
}

// compareLL orders matches for leftmost-longest selection.
func compareLL(a, b Match) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(b.End, a.End); c != 0 {
		return c
	}
	return cmp.Compare(a.Pattern, b.Pattern)
}

// selectLL turns the overlapping matches ms into the leftmost-longest
// selection in place and returns it.
func selectLL(ms []Match) []Match {
	if !slices.IsSortedFunc(ms, compareLL) {
		slices.SortFunc(ms, compareLL)
	}
	out := ms[:0]
	cursor := -1
	for i := 0; i < len(ms); i++ {
		c := ms[i]
		if c.Start < cursor {
			continue
		}
		out = append(out, c)
		for i+1 < len(ms) && ms[i+1].Start == c.Start && ms[i+1].End == c.End {
			i++
			out = append(out, ms[i])
		}
		cursor = c.End
	}
	return out
}

// decideLL is the streaming form of selectLL: pending holds undecided
// overlapping matches, frontier is how far the input has been scanned.
// Matches whose start lies more than maxSpan before the frontier can no
// longer be beaten and are passed to emit; the rest stay pending.
func decideLL(pending []Match, cursor *int, frontier, maxSpan int, final bool, emit func(Match) bool) (rest []Match, stop bool) {
	slices.SortFunc(pending, compareLL)
	i := 0
	for ; i < len(pending); i++ {
		c := pending[i]
		if c.Start < *cursor {
			continue
		}
		if !final && c.Start+maxSpan > frontier {
			break
		}
		if !emit(c) {
			return nil, true
		}
		for i+1 < len(pending) && pending[i+1].Start == c.Start && pending[i+1].End == c.End {
			i++
			if !emit(pending[i]) {
				return nil, true
			}
		}
		*cursor = c.End
	}
	n := copy(pending, pending[i:])
	return pending[:n], false
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
