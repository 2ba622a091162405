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
// string starts at or after mid (its depth, in runes, is at most the
// runes A has taken since mid), at some r; A reports
// every match ending at or before r, B every match ending after r. At r
// B's state equals the true state (both are the longest suffix of the
// text that is a trie path, and that suffix lies in [mid, r)), so from
// there on B's states, and the leftmost-longest bounds taken from their
// depths, are exact. Matches are thus split by their end, found once, and
// passed on in order of their ends. If B has not reached r (it paused on
// a full batch, or its piece was shorter), its work is dropped and the
// scan goes on from A's state at r.

// pairHalf is the most bytes a lane takes at a time (Matcher.pairHalf,
// which tests lower to put many seams in short texts). Each lane's hits
// of a round are kept (in a pooled buffer with room for one hit per
// byte) until lane A has finished, so that the two lanes run without
// stopping for their consumer.
const pairHalf = 16 << 10

// pairMin is the shortest piece (in bytes) worth giving a lane, and
// pairText the shortest text scanned in two lanes: below it (short posts)
// fetching the buffers and stitching the seam cost more than the overlap
// gains (0.86–0.97× the one-lane scan on 200-byte posts).
const (
	pairMin  = 48
	pairText = 2 << 10
)

// pairScratch holds the two lanes' hits of a round.
type pairScratch struct{ lane [2][]hit }

func (m *Matcher) getPairs() *pairScratch {
	ps, _ := m.pairs.Get().(*pairScratch)
	if ps == nil {
		ps = new(pairScratch)
		for l := range ps.lane {
			ps.lane[l] = make([]hit, m.pairHalf+pairMin+8) // a lane's characters ≤ its bytes
		}
	}
	return ps
}

// hitBufs is where rawHits leaves hits for its caller: a batch for the
// one-lane scan and the pair's lanes.
type hitBufs struct {
	batch [hitBatch]hit
	wide  [2][]hit
}

// get returns the hits fn was told about: l < 0 for the batch, else
// lane l of the pair.
func (b *hitBufs) get(l, lo, hi int) []hit {
	if l < 0 {
		return b.batch[lo:hi]
	}
	return b.wide[l][lo:hi]
}

// rawHits runs the raw automaton over text, starting in state s with the
// first character at rune offset ri, and passes every character after
// which the state has output to fn, in batches, in order of their ends
// (byte offsets relative to text, rune offsets absolute). after is the
// earliest start, in runes, a match not yet passed can have
// (leftmost-longest uses it). fn returning false stops the
// scan. rawHits returns the final state and rune offset.
//
// The hits live in bufs, which the caller declares (on its stack: a slice
// passed to a function value would escape), and fn receives their place:
// bufs.get(l, lo, hi).
//
// Small automata (branchless) scan in one lane: their steps hit the
// caches, and the pair loop measured 0.8–0.95× the one-lane loop there.
// So do dense large ones (noPairs, set by build).
func (m *Matcher) rawHits(text string, s int32, ri int, bufs *hitBufs, fn func(l, lo, hi, after int) bool) (int32, int) {
	depth := m.depth
	bound := func(p *rawPos) int { return p.ri - int(depth[p.s&baseMask]) }
	a := rawPos{ri: ri, s: s}
	// alone runs lane a by itself up to end.
	alone := func(end int) bool {
		for a.i < end {
			k := m.scanRaw(text[:end], &a, &bufs.batch)
			if !fn(-1, 0, k, bound(&a)) {
				return false
			}
		}
		return true
	}
	if m.noPairs || m.branchless || len(text) < pairText {
		alone(len(text))
		return a.s, a.ri
	}
	ps := m.getPairs()
	defer m.pairs.Put(ps)
	bufs.wide = ps.lane
	ha, hb := ps.lane[0], ps.lane[1]
	for a.i < len(text) {
		rest := len(text) - a.i
		if rest < 2*pairMin {
			alone(len(text))
			break
		}
		half := m.pairHalf
		if rest < 2*half+pairMin {
			half = rest / 2
		}
		mid := runeCut(text, a.i+half)
		end := runeCut(text, mid+half)
		if len(text)-end < pairMin {
			end = len(text)
		}
		b := rawPos{i: mid} // rune offsets relative to mid until B's hits are passed on
		na, nb := 0, 0
		for a.i < mid && b.i < end {
			na, nb = m.scanPair(text, &a, &b, mid, end, ha, hb, na, nb)
			// The pair loop stops at a character it does not decode
			// inline (in either lane) or near the end of a lane; a
			// general step in each unfinished lane gets past it.
			if a.i < mid {
				na = m.slowStep(text, &a, ha, na)
			}
			if b.i < end {
				nb = m.slowStep(text, &b, hb, nb)
			}
		}
		if !fn(0, 0, na, bound(&a)) || !alone(mid) {
			return a.s, a.ri
		}
		riMid := a.ri
		// A goes on until its state's string starts at or after mid.
		n := 0
		for a.i < len(text) && bound(&a) < riMid {
			if n = m.slowStep(text, &a, bufs.batch[:], n); n == hitBatch-1 {
				if !fn(-1, 0, n, bound(&a)) {
					return a.s, a.ri
				}
				n = 0
			}
		}
		if !fn(-1, 0, n, bound(&a)) {
			return a.s, a.ri
		}
		if r := a.i; b.i >= r && bound(&a) >= riMid { // (not when A only ran out of text)
			// B took over at r: pass on its hits that end after r.
			k := 0
			for k < nb && hb[k].end <= r {
				k++
			}
			for j := k; j < nb; j++ {
				hb[j].runeEnd += riMid
			}
			a = rawPos{i: b.i, ri: b.ri + riMid, s: b.s}
			if !fn(1, k, nb, bound(&a)) {
				return a.s, a.ri
			}
		}
	}
	return a.s, a.ri
}

// slowStep makes one step of lane p the general way (any encoding) and
// records a hit in hs[n] if the new state has output.
func (m *Matcher) slowStep(text string, p *rawPos, hs []hit, n int) int {
	c, w := m.symSlow(text, p.i)
	x := step(m.cells, p.s, c)
	p.i, p.ri, p.s = p.i+w, p.ri+1, x.next()
	h := &hs[n]
	h.end, h.runeEnd, h.out = p.i, p.ri, x.out()
	return n + b2i(x.out() != 0)
}

// scanPair advances lanes a (up to aEnd) and b (up to bEnd) together, one
// character each per iteration, as scanRaw does one lane, recording hits
// in ha[na…] and hb[nb…], which have room for one per byte of the lane.
// It stops near the end of a lane or when either lane is at a character
// it does not decode inline, and returns the new hit counts.
//
// The loop keeps as little as it can in registers (the two lanes' state
// is twice scanRaw's): both lanes take one character per iteration, so
// one counter t stands for both rune offsets, and the hits record t,
// which is turned into rune offsets afterwards. It steps with stepFree:
// with the branching step, a misprediction in one lane throws away the
// other lane's load in flight, and the pair gained nothing.
func (m *Matcher) scanPair(text string, a, b *rawPos, aEnd, bEnd int, ha, hb []hit, na, nb int) (int, int) {
	// aEnd ≤ b.i, so bi+2 < len(text) also lets sym3 read lane a.
	bLim := min(bEnd, len(text)-2)
	t, na0, nb0 := 0, na, nb
	t, na, nb = scanPairLoop(m.cells, m.symtab, text, a, b, aEnd, bLim, ha, hb, na, nb)
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

// scanPairLoop is scanPair's loop; it returns the number of characters
// each lane took. Its hits hold that count (at the character) in runeEnd.
// Large automata match sparsely next to the cost of a step (a cache
// miss), so a hit is written only when there is one: the branch is well
// predicted, and the loop keeps fewer values live.
func scanPairLoop(cells []cell, symtab *[0x10000]uint16, text string, a, b *rawPos, aEnd, bLim int, ha, hb []hit, na, nb int) (int, int, int) {
	ai, as, bi, bs := a.i, a.s, b.i, b.s
	// A character takes at most three bytes here, so k iterations stay
	// inside both lanes, and the loop tests only t < k.
	k := min((aEnd-ai)/3, (bLim-bi)/3)
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
		if ta.out() != 0 {
			ha[na] = hit{ai, t + 1, ta.out()}
			na++
		}
		if tb.out() != 0 {
			hb[nb] = hit{bi, t + 1, tb.out()}
			nb++
		}
	}
	a.i, a.s, b.i, b.s = ai, as, bi, bs
	return t, na, nb
}
