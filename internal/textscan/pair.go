package textscan

import "unicode/utf8"

// Two-lane scanning. One automaton step depends on the one before (the
// next state's cell cannot be loaded before the current one arrives), so
// a single scan leaves the processor waiting on memory, or on the chain
// of decode, load, compare and select, for most of each character.
// rawHits therefore scans two pieces of the text at once, in one loop,
// so that the two chains of dependent loads are in flight together.
//
// Seams. Lane A scans [a, mid) and lane B [mid, end), B starting in the
// start state. B misses matches that start before mid, and its state
// differs from the true one until the true state's string lies inside
// [mid, …). So A, after reaching mid, goes on alone until its own state's
// string starts at or after mid (depth ≤ i − mid), at some r; A reports
// every match ending at or before r, B every match ending after r. At r
// B's state equals the true state (both are the longest suffix of the
// text that is a trie path, and that suffix lies in [mid, r)), so from
// there on B's states, and the leftmost-longest bounds taken from their
// depths, are exact. Matches are thus split by their end, found once, and
// passed on in order of their ends. If B has not reached r (it paused on
// a full batch, or its piece was shorter), its work is dropped and the
// scan goes on from A's state at r.

// pairHalf is the most bytes a lane takes at a time: B's hits wait in a
// batch until A has finished, and dense matching (the 1k most frequent
// words match every second or third character) fills a 128-hit batch in
// about 700 bytes of Chinese.
const pairHalf = 512

// pairMin is the shortest text (in bytes) worth splitting into lanes.
const pairMin = 48

// rawHits runs the raw automaton over text, starting in state s with the
// first character at rune offset ri, and passes every character after
// which the state has output to fn, in batches, in order of their ends
// (offsets relative to text). after is the earliest start a match not yet
// passed can have (leftmost-longest uses it). fn returning false stops the
// scan. rawHits returns the final state and rune offset.
//
// The hits live in bufs, which the caller declares (on its stack: a slice
// passed to a function value would escape), and fn receives their place:
// bufs.lane[l][lo:hi].
func (m *Matcher) rawHits(text string, s int32, ri int, bufs *hitBufs, fn func(l, lo, hi, after int) bool) (int32, int) {
	bufA, bufB := &bufs.lane[0], &bufs.lane[1]
	depth := m.depth
	bound := func(p *rawPos) int { return p.i - int(depth[p.s&baseMask]) }
	a := rawPos{ri: ri, s: s}
	// alone runs lane a by itself up to end.
	alone := func(end int) bool {
		for a.i < end {
			k := m.scanRaw(text[:end], &a, bufA)
			if !fn(0, 0, k, bound(&a)) {
				return false
			}
		}
		return true
	}
	for a.i < len(text) {
		rest := len(text) - a.i
		if rest < 2*pairMin || m.noPairs {
			alone(len(text))
			break
		}
		half := pairHalf
		if rest < 2*pairHalf+pairMin {
			half = rest / 2
		}
		mid := runeCut(text, a.i+half)
		end := runeCut(text, mid+half)
		if len(text)-end < pairMin {
			end = len(text)
		}
		b := rawPos{i: mid} // rune offsets relative to mid until B's hits are passed on
		na, nb := 0, 0
		for a.i < mid && b.i < end && nb < hitBatch-1 {
			na, nb = m.scanPair(text, &a, &b, mid, end, bufA, bufB, na, nb)
			if na >= hitBatch-2 {
				if !fn(0, 0, na, bound(&a)) {
					return a.s, a.ri
				}
				na = 0
			}
			// The pair loop stops at a character it does not decode
			// inline (in either lane), at the end of a lane, or on a full
			// batch; a general step in each unfinished lane gets past the
			// first kind.
			if a.i < mid && nb < hitBatch-1 {
				na = m.slowStep(text, &a, bufA, na)
			}
			if b.i < end && nb < hitBatch-1 {
				nb = m.slowStep(text, &b, bufB, nb)
			}
		}
		if !fn(0, 0, na, bound(&a)) || !alone(mid) {
			return a.s, a.ri
		}
		riMid := a.ri
		// A goes on until its state's string starts at or after mid.
		na = 0
		for a.i < len(text) && bound(&a) < mid {
			if na = m.slowStep(text, &a, bufA, na); na == hitBatch-1 {
				if !fn(0, 0, na, bound(&a)) {
					return a.s, a.ri
				}
				na = 0
			}
		}
		if !fn(0, 0, na, bound(&a)) {
			return a.s, a.ri
		}
		if r := a.i; b.i >= r && bound(&a) >= mid { // (not when A only ran out of text)
			// B took over at r: pass on its hits that end after r.
			k := 0
			for k < nb && bufB[k].end <= r {
				k++
			}
			for j := k; j < nb; j++ {
				bufB[j].runeEnd += riMid
			}
			a = rawPos{i: b.i, ri: b.ri + riMid, s: b.s}
			if !fn(1, k, nb, bound(&a)) {
				return a.s, a.ri
			}
		}
	}
	return a.s, a.ri
}

// hitBufs holds the hit batches of rawHits' two lanes.
type hitBufs struct{ lane [2][hitBatch]hit }

// slowStep makes one step of lane p the general way (any encoding) and
// records a hit in hs[n] if the new state has output.
func (m *Matcher) slowStep(text string, p *rawPos, hs *[hitBatch]hit, n int) int {
	c, w := m.symSlow(text, p.i)
	x := step(m.cells, p.s, c)
	p.i, p.ri, p.s = p.i+w, p.ri+1, x.next()
	hs[n] = hit{p.i, p.ri, x.out(), p.s, 0}
	return n + b2i(x.out() != 0)
}

// scanPair advances lanes a (up to aEnd) and b (up to bEnd) together, one
// character each per iteration, as scanRaw does one lane, recording hits
// in ha[na…] and hb[nb…]. It stops when a lane reaches its end, a batch
// is full, or either lane is at a character it does not decode inline,
// and returns the new hit counts.
//
// The loop keeps as little as it can in registers (the two lanes' state
// is twice scanRaw's): both lanes take one character per iteration, so
// one counter t stands for both rune offsets, and the hits record t,
// which is turned into rune offsets afterwards.
func (m *Matcher) scanPair(text string, a, b *rawPos, aEnd, bEnd int, ha, hb *[hitBatch]hit, na, nb int) (int, int) {
	// aEnd ≤ b.i, so bi+2 < len(text) also lets sym3 read lane a.
	bLim := min(bEnd, len(text)-2)
	t, na0, nb0 := 0, na, nb
	if m.branchless {
		t, na, nb = scanPairFree(m.cells, m.symtab, text, a, b, aEnd, bLim, ha, hb, na, nb)
	} else {
		t, na, nb = scanPairBranch(m.cells, m.symtab, text, a, b, aEnd, bLim, ha, hb, na, nb)
	}
	for j := na0; j < na; j++ {
		ha[j].runeEnd += a.ri
	}
	for j := nb0; j < nb; j++ {
		hb[j].runeEnd += b.ri
	}
	a.ri += t
	b.ri += t
	return na, nb
}

// scanPairFree is scanPair's loop with stepFree; it returns the number of
// characters each lane took. Its hits hold that count (at the character)
// in runeEnd.
func scanPairFree(cells []cell, symtab *[0x10000]uint16, text string, a, b *rawPos, aEnd, bLim int, ha, hb *[hitBatch]hit, na, nb int) (int, int, int) {
	ai, as, bi, bs := a.i, a.s, b.i, b.s
	// A character takes at most three bytes here and adds at most one hit
	// per lane, so k iterations stay inside both lanes and batches, and
	// the loop tests only t < k.
	k := min((aEnd-ai)/3, (bLim-bi)/3, hitBatch-2-na, hitBatch-1-nb)
	t := 0
	for ; t < k; t++ {
		ca, ja := uint32(symtab[text[ai]]), ai+1
		if text[ai] >= utf8.RuneSelf {
			if ca, ja = sym3(symtab, text, ai); ja == ai {
				break
			}
		}
		cb, jb := uint32(symtab[text[bi]]), bi+1
		if text[bi] >= utf8.RuneSelf {
			if cb, jb = sym3(symtab, text, bi); jb == bi {
				break
			}
		}
		ta, tb := stepFree(cells, as, ca), stepFree(cells, bs, cb)
		ai, as, bi, bs = ja, ta.next(), jb, tb.next()
		h := &ha[na&(hitBatch-1)]
		h.end, h.runeEnd, h.out, h.s = ai, t+1, ta.out(), as
		na += b2i(ta.out() != 0)
		h = &hb[nb&(hitBatch-1)]
		h.end, h.runeEnd, h.out, h.s = bi, t+1, tb.out(), bs
		nb += b2i(tb.out() != 0)
	}
	a.i, a.s, b.i, b.s = ai, as, bi, bs
	return t, na, nb
}

// scanPairBranch is scanPairFree with step.
func scanPairBranch(cells []cell, symtab *[0x10000]uint16, text string, a, b *rawPos, aEnd, bLim int, ha, hb *[hitBatch]hit, na, nb int) (int, int, int) {
	ai, as, bi, bs := a.i, a.s, b.i, b.s
	// A character takes at most three bytes here and adds at most one hit
	// per lane, so k iterations stay inside both lanes and batches, and
	// the loop tests only t < k.
	k := min((aEnd-ai)/3, (bLim-bi)/3, hitBatch-2-na, hitBatch-1-nb)
	t := 0
	for ; t < k; t++ {
		ca, ja := uint32(symtab[text[ai]]), ai+1
		if text[ai] >= utf8.RuneSelf {
			if ca, ja = sym3(symtab, text, ai); ja == ai {
				break
			}
		}
		cb, jb := uint32(symtab[text[bi]]), bi+1
		if text[bi] >= utf8.RuneSelf {
			if cb, jb = sym3(symtab, text, bi); jb == bi {
				break
			}
		}
		ta, tb := step(cells, as, ca), step(cells, bs, cb)
		ai, as, bi, bs = ja, ta.next(), jb, tb.next()
		h := &ha[na&(hitBatch-1)]
		h.end, h.runeEnd, h.out, h.s = ai, t+1, ta.out(), as
		na += b2i(ta.out() != 0)
		h = &hb[nb&(hitBatch-1)]
		h.end, h.runeEnd, h.out, h.s = bi, t+1, tb.out(), bs
		nb += b2i(tb.out() != 0)
	}
	a.i, a.s, b.i, b.s = ai, as, bi, bs
	return t, na, nb
}
