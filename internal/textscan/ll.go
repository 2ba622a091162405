package textscan

// llFilter turns overlapping matches into leftmost-longest ones in a single
// pass. Matches must arrive in the order the scan reports them: by end
// offset, longer first for equal ends.
//
// It keeps one candidate span (the leftmost, then longest, seen since the
// last emitted match) and a queue of later matches that do not overlap it.
// A match that starts after the candidate and overlaps it can never be
// selected and is dropped at once; a match that starts earlier replaces the
// candidate and everything queued (those lie inside it). The candidate is
// final once no later match can start at or before it: the scanner knows
// that bound from the depth of its automaton state.
//
// Equal spans have equal keys (the span's characters, normalised, are
// the key), so the patterns sharing the candidate's span are its key's
// further patterns, kept as a slice of Matcher.keyPats rather than as
// matches. The candidate is held in fields, not in a slice: arriving and
// committing are a few instructions in the usual case (no queue), small
// enough to be inlined into the scanning loops' callers.
type llFilter struct {
	cursor int    // end of the last emitted match
	cand   llItem // the candidate; cand.m.Start is noCand when there is none
	queue  []llItem
	replay []llItem
	first  []Match // First's output buffer, kept with the filter's pooled buffers
}

// noCand marks an empty candidate: it starts after everything, so that
// "no candidate" needs no test of its own.
const noCand = int(^uint(0) >> 1)

// llItem is a match and the further patterns of its key.
type llItem struct {
	m    Match
	dups []int32
}

// getLL returns a reset filter from the matcher's pool (its buffers grow
// once and are reused, so leftmost-longest scans do not allocate); the
// caller gives it back with m.lls.Put.
func (m *Matcher) getLL() *llFilter {
	f, _ := m.lls.Get().(*llFilter)
	if f == nil {
		f = new(llFilter)
	}
	f.cursor, f.cand.m.Start = -1, noCand
	f.queue, f.replay = f.queue[:0], f.replay[:0]
	return f
}

// wants reports whether a match starting at start, arriving now, can
// change the filter: it is not overlapped by the last emitted match, and
// it starts no later than the candidate or after the candidate's end. The
// scanning loops walk a hit's output chain (longest key first, so later
// and later starts, all with the same end) only up to the first entry
// the filter wants, if that entry becomes the candidate: every later
// entry of the chain overlaps it and ends with it, so the filter would
// drop it. (An entry that is queued instead may itself be dropped when
// the queue is replayed, so the walk goes on.) That makes one arrival per
// hit in the usual case instead of one per chain entry.
//
// On dense text each of these comparisons goes either way: they are
// combined without branches (callgrind's branch simulation, 10k words:
// the three branches mispredicted 84k times in 512 KB).
func (f *llFilter) wants(start int) bool {
	return b2i(start >= f.cursor)&(b2i(start <= f.cand.m.Start)|b2i(start >= f.cand.m.End)) != 0
}

// arriveKey offers m, with dups the further patterns of its key, and
// reports whether it is now the candidate.
func (f *llFilter) arriveKey(m Match, dups []int32) bool {
	if m.Start < f.cursor {
		return false
	}
	c := &f.cand.m
	switch {
	case m.Start < c.Start || m.Start == c.Start && m.End > c.End:
		f.cand = llItem{m, dups}
		f.queue = f.queue[:0]
		return true
	case m.Start >= c.End:
		f.queue = append(f.queue, llItem{m, dups})
	}
	return false
}

// commitBefore emits the candidate while it starts before bound, the
// earliest start any match still to come can have.
func (f *llFilter) commitBefore(out []Match, bound int) []Match {
	if f.cand.m.Start < bound {
		return f.commit(out, bound)
	}
	return out
}

func (f *llFilter) commit(out []Match, bound int) []Match {
	for f.cand.m.Start < bound {
		c := &f.cand.m
		out = appendMatch(out, c.Pattern, c.Start, c.End, c.RuneStart, c.RuneEnd)
		for _, p := range f.cand.dups {
			out = appendMatch(out, int(p), c.Start, c.End, c.RuneStart, c.RuneEnd)
		}
		f.cursor, c.Start = c.End, noCand
		if len(f.queue) == 0 {
			break
		}
		f.replay, f.queue = f.queue, f.replay[:0]
		for _, q := range f.replay {
			f.arriveKey(q.m, q.dups)
		}
	}
	return out
}

// flush emits everything left at the end of the input.
func (f *llFilter) flush(out []Match) []Match {
	return f.commit(out, noCand)
}
