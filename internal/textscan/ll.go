package textscan

import (
	mbits "math/bits"
	"slices"
	"unsafe"
)

// llFilter turns overlapping matches into leftmost-longest ones in a single
// pass. Matches arrive in the order the scan reports them: by end, longer
// first for equal ends.
//
// Positions. The filter works in positions of the automaton's input:
// characters in raw mode, symbols fed to the automaton in normalised mode
// (noise is skipped there). A match's start position is its end position
// minus its key's length in runes, and the depth of the automaton's state
// (in runes too) bounds where any match still to come can start: at the
// end position minus that depth.
//
// The filter keeps, for every start position not yet decided, the longest
// match starting there seen so far (a later arrival with the same start
// ends later, so it simply replaces the entry). Leftmost-longest is then a
// sweep: from the end of the last emitted match, the first position with
// an entry, once no match still to come can start at or before it, is
// emitted, and the sweep goes on from its end. Positions between an emitted
// match's start and end are skipped, which drops every match overlapping
// it. Undecided positions lie within the longest key's length of the last
// hit, so the table is a ring indexed by position (tab, with mask). Each
// entry is tagged with its position (the low 32 bits: undecided positions
// span less than a lap of the ring, and the sweep clears a slot's bit
// when it passes it, so a tag is compared only with the entry of the
// current lap or of the one before). A raw entry is two words, its key
// and its end; the start and the character offsets follow from the key's
// lengths, since positions are character offsets there. Normalised
// entries also keep them (spans), since noise breaks that arithmetic.
// The bitmap of written slots is cleared per scan, so entries left by an
// earlier scan of a reused filter are never looked at.
//
// This replaced a candidate-and-queue filter whose queue, on dense text
// (1k common words: a match every two or three characters, single
// characters among them), was replayed after almost every commit; the
// profile of 1k words over the long text had the filter at two thirds of
// the time.
type llFilter struct {
	next  int // first position not yet decided (≥ the last emitted end)
	tab   []llEntry
	spans []llSpan // normalised scans: the offsets of tab's entries
	mask  int
	span  int      // undecided positions are fewer than span (len(tab) - 64)
	bits  []uint64 // a bit per slot of tab: written since the sweep passed it
	last  int      // the largest hit end seen in this scan
	norm  bool     // offsets come from spans
	first []Match  // First's output buffer, kept with the filter's pooled buffers
	bufs  hitBufs  // the raw scan's hits (collectRaw)

	outs    []outEntry
	keyPats []int32
}

// llEntry is the longest match seen starting at a position: key holds
// the position's low 32 bits (tag) above the key's output entry (the
// pattern and its lengths), end is its end byte offset.
type llEntry struct {
	key uint64
	end int
}

func llKey(pos int, o uint32) uint64 { return uint64(uint32(pos))<<32 | uint64(o) }

// llSpan is where a normalised entry starts, in bytes and characters,
// and where it ends in characters.
type llSpan struct{ start, rs, re int }

// getLL returns a reset filter from the matcher's pool (its table is made
// once per pooled filter and reused, so leftmost-longest scans do not
// allocate); the caller gives it back with m.lls.Put.
func (m *Matcher) getLL() *llFilter {
	f, _ := m.lls.Get().(*llFilter)
	if f == nil {
		// Room for the positions of a batch of hits (see rawHits) on
		// dense text, besides the longest key.
		size := llRing
		for size < m.maxKeyRunes+66 {
			size <<= 1
		}
		f = &llFilter{tab: make([]llEntry, size), mask: size - 1, span: size - 64,
			bits: make([]uint64, size/64), outs: m.outs, keyPats: m.keyPats}
		if m.norm != nil {
			f.norm, f.spans = true, make([]llSpan, size)
		}
	}
	f.next, f.last = 0, 0
	clear(f.bits)
	return f
}

// reach makes room for the entries of a hit whose end is at position end:
// their starts are after end minus the longest key, and so is every later
// match, so positions before that are decided now. It keeps the ring from
// wrapping onto entries still undecided.
func (f *llFilter) reach(out []Match, end int) []Match {
	f.last = end
	if lo := end - f.span + 1; f.next < lo {
		return f.commit(out, lo)
	}
	return out
}

// arrive records a match of output entry o starting at position pos
// (ending at position pos + its key's runes). Later arrivals at the same
// position are longer and replace it. The caller has called reach for
// the match's end, so the slot is not an undecided position's: a match
// starting before next (overlapped by an emitted one) is written all the
// same, without a branch, and never read.
func (f *llFilter) arrive(pos int, o uint32, start, end, rs, re int) {
	i := pos & f.mask
	f.tab[i] = llEntry{llKey(pos, o), end}
	f.spans[i] = llSpan{start, rs, re}
	f.bits[pos>>6&(len(f.bits)-1)] |= 1 << (pos & 63)
}

// rawHits feeds the filter the hits of a raw scan (base is the byte offset
// of the piece, positions are rune offsets): reach and arrive for a batch,
// with the filter's fields in registers. The caller commits once per
// batch, up to the bound the scan's state gives after it.
func (f *llFilter) rawHits(out []Match, hs []hit, base int, outs []outEntry) []Match {
	mask, tab, bits := f.mask, f.tab, f.bits
	wmask := len(bits) - 1
	if len(hs) > 0 && hs[len(hs)-1].runeEnd-f.span+1 <= f.next {
		// The whole batch fits in the ring (the usual case): the same
		// loop without reach's test per hit.
		arriveAll(hs, base, outs, tab, bits)
		f.last = max(f.last, hs[len(hs)-1].runeEnd)
		return out
	}
	for _, h := range hs {
		end, ri := base+h.end, h.runeEnd
		if lo := ri - f.span + 1; f.next < lo {
			out = f.commit(out, lo)
		}
		for o := h.out; o != 0; o = outs[o].next {
			e := &outs[o]
			pos := ri - int(e.nrunes)
			t := &tab[pos&mask]
			t.key, t.end = llKey(pos, o), end
			bits[pos>>6&wmask] |= 1 << (pos & 63)
		}
	}
	if len(hs) > 0 {
		f.last = max(f.last, hs[len(hs)-1].runeEnd)
	}
	return out
}

// arriveAll records the matches of a batch of raw hits in the ring,
// which has room for all of them. A function of its own, with the ring
// in arguments, so that its loop keeps everything in registers; it
// indexes without bounds checks (unsafe): slots and words are taken
// modulo the ring's power-of-two sizes, and output entries come from the
// automaton's chains.
func arriveAll(hs []hit, base int, outs []outEntry, tab []llEntry, bits []uint64) {
	mask, wmask := len(tab)-1, len(bits)-1
	op, tp, bp := unsafe.Pointer(unsafe.SliceData(outs)), unsafe.Pointer(unsafe.SliceData(tab)), unsafe.Pointer(unsafe.SliceData(bits))
	for _, h := range hs {
		end, ri := base+h.end, h.runeEnd
		for o := h.out; o != 0; {
			e := (*outEntry)(unsafe.Add(op, uintptr(o)*unsafe.Sizeof(outEntry{})))
			pos := ri - int(e.nrunes)
			t := (*llEntry)(unsafe.Add(tp, uintptr(pos&mask)*unsafe.Sizeof(llEntry{})))
			t.key, t.end = llKey(pos, o), end
			w := (*uint64)(unsafe.Add(bp, uintptr(pos>>6&wmask)*8))
			*w |= 1 << (pos & 63)
			o = e.next
		}
	}
}

// commitBefore emits the matches decided once no match still to come can
// start before bound.
func (f *llFilter) commitBefore(out []Match, bound int) []Match {
	if f.next < bound {
		return f.commit(out, bound)
	}
	return out
}

// commit sweeps the positions before bound: it finds the next written
// slot in bits, emits its match if the slot's tag says it is current and
// goes on from the match's end. Undecided positions span fewer than
// len(tab) - 64 (reach), so the bits of p's word below p belong to decided
// positions (or to a previous lap of the ring) and the word can be
// cleared when nothing is left in it at or after p. Bits left behind by
// matches that an emitted one overlapped, or by matches that arrived
// overlapped, are met again a lap later and dropped by the tag check.
func (f *llFilter) commit(out []Match, bound int) []Match {
	p, norm := f.next, f.norm
	tab, outs, bits := f.tab, f.outs, f.bits
	mask, wmask := len(tab)-1, len(bits)-1
	// Indexing without bounds checks, as in arriveAll.
	op, tp, bp := unsafe.Pointer(unsafe.SliceData(outs)), unsafe.Pointer(unsafe.SliceData(tab)), unsafe.Pointer(unsafe.SliceData(bits))
	// Positions at or after next+len(tab) hold no entry yet (the ring
	// spans the undecided positions), so a long jump sweeps one ring's
	// worth and skips the rest.
	stop := min(bound, p+len(tab))
	for p < stop {
		wp := (*uint64)(unsafe.Add(bp, uintptr(p>>6&wmask)*8))
		w := *wp >> (p & 63)
		if w == 0 {
			*wp = 0
			p = min(p|63+1, stop)
			continue
		}
		if p += mbits.TrailingZeros64(w); p >= stop {
			p = stop
			break
		}
		*wp &^= 1 << (p & 63)
		e := (*llEntry)(unsafe.Add(tp, uintptr(p&mask)*unsafe.Sizeof(llEntry{})))
		if uint32(e.key>>32) != uint32(p) {
			p++
			continue
		}
		o := (*outEntry)(unsafe.Add(op, uintptr(uint32(e.key))*unsafe.Sizeof(outEntry{})))
		// Raw: positions are character offsets.
		start, rs, re := e.end-int(o.nbytes), p, p+int(o.nrunes)
		if norm {
			sp := &f.spans[p&mask]
			start, rs, re = sp.start, sp.rs, sp.re
		}
		// appendMatch by hand: its append zeroes the slot before the
		// fields are written.
		if len(out) == cap(out) {
			out = slices.Grow(out, 1)
		}
		out = out[:len(out)+1]
		x := &out[len(out)-1]
		x.Pattern, x.Start, x.End, x.RuneStart, x.RuneEnd = int(o.pat), start, e.end, rs, re
		if o.dup1 > o.dup0 { // rare: further patterns with this key
			for _, q := range f.keyPats[o.dup0:o.dup1] {
				out = appendMatch(out, int(q), start, e.end, rs, re)
			}
		}
		p += int(o.nrunes)
	}
	f.next = max(p, bound)
	return out
}

// flush emits everything left at the end of the input.
func (f *llFilter) flush(out []Match) []Match {
	// Every entry starts before the last hit's end: sweeping the whole
	// ring instead would cost a short post more than its scan.
	return f.commit(out, f.last)
}

// llRing is the fewest positions the filter's ring holds: a batch of
// hitBatch hits spans two or three hundred characters on dense text, and
// the ring has to cover them for the batch to be swept once.
const llRing = 512
