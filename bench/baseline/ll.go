package baseline

// llFilter turns overlapping matches into leftmost-longest ones in a single
// pass. Matches must arrive in the order the scan reports them: by end
// offset, longer first for equal ends, equal spans adjacent.
//
// It keeps one candidate span (the leftmost, then longest, seen since the
// last emitted match) and a queue of later matches that do not overlap it.
// A match that starts after the candidate and overlaps it can never be
// selected and is dropped at once; a match that starts earlier replaces the
// candidate and everything queued (those lie inside it). The candidate is
// final once no later match can start at or before it: the scanner knows
// that bound from the depth of its automaton state.
type llFilter struct {
	cursor int     // end of the last emitted match
	cand   []Match // the candidate span; several entries for equal keys
	queue  []Match
	replay []Match
}

func newLLFilter() llFilter { return llFilter{cursor: -1} }

func (f *llFilter) arrive(m Match) {
	if m.Start < f.cursor {
		return
	}
	if len(f.cand) == 0 {
		f.cand = append(f.cand, m)
		return
	}
	c := f.cand[0]
	switch {
	case m.Start == c.Start && m.End == c.End:
		f.cand = append(f.cand, m)
	case m.Start < c.Start || m.Start == c.Start && m.End > c.End:
		f.cand = append(f.cand[:0], m)
		f.queue = f.queue[:0]
	case m.Start >= c.End:
		f.queue = append(f.queue, m)
	}
}

// arriveKey is arrive for m and, with the same span, for each further
// pattern that shares its key.
func (f *llFilter) arriveKey(m Match, more []int32) {
	f.arrive(m)
	for _, p := range more {
		m.Pattern = int(p)
		f.arrive(m)
	}
}

// commit emits the candidate while it starts before bound, the earliest
// start any match still to come can have.
func (f *llFilter) commit(out []Match, bound int) []Match {
	for len(f.cand) > 0 && f.cand[0].Start < bound {
		out = append(out, f.cand...)
		f.cursor = f.cand[0].End
		f.cand = f.cand[:0]
		f.replay, f.queue = f.queue, f.replay[:0]
		for _, q := range f.replay {
			f.arrive(q)
		}
	}
	return out
}

// commitBefore is commit when a candidate is waiting.
func (f *llFilter) commitBefore(out []Match, bound int) []Match {
	if len(f.cand) > 0 && f.cand[0].Start < bound {
		return f.commit(out, bound)
	}
	return out
}

// flush emits everything left at the end of the input.
func (f *llFilter) flush(out []Match) []Match {
	return f.commit(out, int(^uint(0)>>1))
}
