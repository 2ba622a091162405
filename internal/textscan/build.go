package textscan

import (
	"fmt"
	"slices"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Symbol values in Matcher.symtab besides real symbols 1..K.
const (
	symNone     = 0      // the rune occurs in no pattern: back to the start state
	symNoise    = 0xFFFF // skipped (noise, only with MaxGap > 0)
	symOverflow = 0xFFFE // a symbol ≥ 0xFFFE: look it up in Matcher.wide
	maxTableSym = 0xFFFD
)

// Matcher is a compiled, immutable lexicon. All methods are safe for
// concurrent use.
type Matcher struct {
	patterns []Pattern
	opt      Options
	norm     *normalizer // nil when no normalisation is configured

	// symtab maps every BMP rune of the text to its symbol (after
	// normalisation); runes above the BMP go through wide.
	symtab *[0x10000]uint16
	wide   map[rune]uint32 // symbols of runes above the BMP and overflow symbols
	nsym   int             // K: symbols are 1..K

	// The automaton is a double array. A state is known by its identity
	// s, its base b with the top bit set if it is incomplete (s < 0). Its
	// transition on symbol c is cells[b+c] when that cell's check is s.
	// Otherwise a complete state goes where the start state (base 0, a
	// dense row in cells 0…K) goes, cells[c], and an incomplete one asks
	// its fallback state, whose identity is kept in cells[b] (never a
	// transition: symbols start at 1). See build.
	cells      []cell
	branchless bool // scan with stepFree rather than step
	noPairs    bool // scan in one lane only (tests compare the two ways)
	pairHalf   int  // bytes per lane and round in two-lane scans (pairHalf; tests lower it)
	// depth of each state, by base: the runes of its trie path (symbols
	// fed, in normalised mode). Leftmost-longest scanning uses it to tell
	// when no later match can start before a candidate, two-lane scanning
	// to tell when lane B's state is the true one.
	depth []int32

	outs    []outEntry // output chains; entry 0 is the empty chain
	keyPats []int32    // pattern indices grouped by key

	maxKeyRunes int
	states      int
	unmatchable []int

	// rings recycles the position rings of normalised scans when patterns
	// are too long for the ring to live on the stack. It is a cache, not
	// state: a Matcher stays immutable in every observable way.
	rings sync.Pool
	// lls recycles leftmost-longest filters (*llFilter), also a cache.
	lls sync.Pool
	// reads recycles ScanReader's chunk buffers (*readScratch).
	reads sync.Pool
	// pairs recycles the two-lane scan's hit buffers (*pairScratch).
	pairs sync.Pool
}

// cell is one transition: everything a scanning step needs about the
// state it enters, so a step is one memory access.
type cell struct {
	check int32 // identity of the state the transition leaves; -1 for a free cell
	_     int32
	to    trans
}

// trans is the state a transition enters: its identity in the low 32 bits and
// its output chain (index into outs, 0 for none) in the high 32 bits. One
// word, so that choosing between two transitions is one conditional move.
type trans uint64

func (t trans) next() int32 { return int32(uint32(t)) }
func (t trans) out() uint32 { return uint32(t >> 32) }

// outEntry is one link of an output chain: a key that ends in a state,
// followed by the keys that end at its proper suffixes. It holds all that
// reporting a match needs, so that a match costs one memory access.
type outEntry struct {
	next       uint32 // 0 terminates
	count      uint32 // patterns on the chain from here on (for Count)
	nbytes     uint32 // key length (in raw mode also the match length)
	nrunes     uint32
	pat        int32  // first pattern with this key
	dup0, dup1 uint32 // keyPats[dup0:dup1]: further patterns with this key
}

type keyInfo struct {
	nbytes, nrunes uint32
	pat0, pat1     uint32 // keyPats[pat0:pat1]
}

// Compile builds a Matcher from patterns. Patterns with equal (normalised)
// text are allowed and are all reported. The slice is copied.
func Compile(patterns []Pattern, opt Options) (*Matcher, error) {
	if opt.MaxGap < 0 {
		return nil, fmt.Errorf("textscan: MaxGap %d is negative", opt.MaxGap)
	}
	m := &Matcher{patterns: slices.Clone(patterns), opt: opt, pairHalf: pairHalf}
	if opt.active() {
		m.norm = newNormalizer(opt)
	}
	// Normalise and group identical keys.
	keyIndex := make(map[string]int32, len(patterns))
	var keyRunes [][]rune
	var groups [][]int32
	for i, p := range patterns {
		if !utf8.ValidString(p.Text) {
			return nil, fmt.Errorf("textscan: pattern %d (id %d): %w", i, p.ID, ErrInvalidUTF8)
		}
		if p.Text == "" {
			return nil, fmt.Errorf("textscan: pattern %d (id %d): %w", i, p.ID, ErrEmptyPattern)
		}
		var rs []rune
		if m.norm != nil {
			rs = m.norm.normalizeKey(p.Text)
		} else {
			rs = []rune(p.Text)
		}
		if len(rs) == 0 {
			// Only noise (e.g. "㎏" or "，。" with MaxGap > 0): real lexicons
			// have such entries, and one should not make the whole lexicon
			// fail to load. It can never match; Unmatchable lists it.
			m.unmatchable = append(m.unmatchable, i)
			continue
		}
		ks := string(rs)
		k, ok := keyIndex[ks]
		if !ok {
			k = int32(len(keyRunes))
			keyIndex[ks] = k
			keyRunes = append(keyRunes, rs)
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], int32(i))
	}
	keys := make([]keyInfo, len(keyRunes))
	m.keyPats = make([]int32, 0, len(patterns))
	for k, g := range groups {
		keys[k] = keyInfo{
			nbytes: uint32(len(string(keyRunes[k]))), nrunes: uint32(len(keyRunes[k])),
			pat0: uint32(len(m.keyPats)), pat1: uint32(len(m.keyPats) + len(g)),
		}
		m.keyPats = append(m.keyPats, g...)
		m.maxKeyRunes = max(m.maxKeyRunes, len(keyRunes[k]))
	}
	m.build(m.assignSymbols(keyRunes), keys)
	return m, nil
}

// assignSymbols numbers the distinct runes of the keys 1..K, most frequent
// first (so the start state's hot children share cache lines), fills symtab and returns
// the keys as symbol strings.
func (m *Matcher) assignSymbols(keys [][]rune) [][]uint32 {
	freq := map[rune]int{}
	for _, k := range keys {
		for _, r := range k {
			freq[r]++
		}
	}
	runes := make([]rune, 0, len(freq))
	for r := range freq {
		runes = append(runes, r)
	}
	slices.SortFunc(runes, func(a, b rune) int {
		if freq[a] != freq[b] {
			return freq[b] - freq[a]
		}
		return int(a - b)
	})
	sym := make(map[rune]uint32, len(runes))
	for i, r := range runes {
		sym[r] = uint32(i + 1)
	}
	m.nsym = len(runes)

	// symtab: original rune → symbol of its normalised form.
	m.symtab = new([0x10000]uint16)
	m.wide = map[rune]uint32{}
	lookup := func(r rune) uint32 {
		if m.norm != nil {
			if m.norm.barrier(r) {
				return symNone
			}
			if r = m.norm.lookalike(r); m.norm.noise(r) {
				return symNoise
			}
			r = m.norm.fold(r)
			if m.norm.noise(r) {
				return symNoise
			}
		}
		return sym[r]
	}
	for r := range rune(0x10000) {
		if 0xD800 <= r && r <= 0xDFFF {
			// Never produced by UTF-8 decoding: a three-byte sequence
			// that decodes to one is invalid, and the overflow marker
			// sends it to symSlow, which says so.
			m.symtab[r] = symOverflow
			continue
		}
		s := lookup(r)
		switch {
		case s == symNoise:
			m.symtab[r] = symNoise
		case s > maxTableSym:
			m.symtab[r] = symOverflow
			m.wide[r] = s
		default:
			m.symtab[r] = uint16(s)
		}
	}
	// Runes above the BMP that normalise to a key rune. Without
	// normalisation only the key runes themselves; with it, also the
	// traditional forms above the BMP whose simplified form is a key rune.
	for r, s := range sym {
		if r >= 0x10000 {
			m.wide[r] = s
		}
	}
	if m.norm != nil {
		for _, p := range m.norm.base.t2sWide {
			if s := lookup(p.from); s != symNone && s != symNoise {
				m.wide[p.from] = s
			}
		}
		if m.opt.FoldLookalike {
			// Compatibility ideographs above the BMP (U+2F800…).
			for _, p := range m.norm.base.lookWide {
				if s := lookup(p.from); s != symNone && s != symNoise {
					m.wide[p.from] = s
				}
			}
		}
	}
	out := make([][]uint32, len(keys))
	for i, k := range keys {
		out[i] = make([]uint32, len(k))
		for j, r := range k {
			out[i][j] = sym[r]
		}
	}
	return out
}

// symWide returns the symbol of a rune above the BMP (or of an overflow
// BMP rune): its key symbol, symNoise or symNone.
func (m *Matcher) symWide(r rune) uint32 {
	if s, ok := m.wide[r]; ok {
		return s
	}
	if m.norm != nil && m.norm.noise(r) {
		return symNoise
	}
	return symNone
}

// build constructs the automaton over the symbol strings of the keys.
func (m *Matcher) build(keys [][]uint32, info []keyInfo) {
	// 1. Trie from the sorted keys: a depth-first walk that reuses the
	// common prefix with the previous key.
	order := make([]int32, len(keys))
	total := 1
	for i, k := range keys {
		order[i] = int32(i)
		total += len(k)
	}
	slices.SortFunc(order, func(a, b int32) int { return slices.Compare(keys[a], keys[b]) })
	parent := make([]int32, 1, total)
	label := make([]uint32, 1, total)
	term := make([]int32, 1, total) // key index + 1
	path := make([]int32, m.maxKeyRunes+1)
	var prev []uint32
	for _, ki := range order {
		k := keys[ki]
		lcp := 0
		for lcp < len(k) && lcp < len(prev) && k[lcp] == prev[lcp] {
			lcp++
		}
		node := path[lcp]
		for d := lcp; d < len(k); d++ {
			id := int32(len(parent))
			parent = append(parent, node)
			label = append(label, k[d])
			term = append(term, 0)
			node = id
			path[d+1] = id
		}
		term[node] = ki + 1
		prev = k
	}
	n := len(parent)
	m.states = n

	// Children lists (CSR). Nodes were created in key order, so the
	// children of a node appear in increasing symbol order.
	cstart := make([]int32, n+1)
	for v := 1; v < n; v++ {
		cstart[parent[v]+1]++
	}
	for v := range n {
		cstart[v+1] += cstart[v]
	}
	kids := make([]int32, n)
	fill := slices.Clone(cstart[:n])
	for v := 1; v < n; v++ {
		p := parent[v]
		kids[fill[p]] = int32(v)
		fill[p]++
	}

	// 2. Failure links, output chains and depths, breadth first over the
	// trie (a failure link always points to a shallower node).
	queue := make([]int32, 0, n)
	queue = append(queue, 0)
	for h := 0; h < len(queue); h++ {
		v := queue[h]
		queue = append(queue, kids[cstart[v]:cstart[v+1]]...)
	}
	child := func(v int32, a uint32) int32 {
		ks := kids[cstart[v]:cstart[v+1]]
		i, ok := slices.BinarySearchFunc(ks, a, func(k int32, a uint32) int { return int(label[k]) - int(a) })
		if !ok {
			return -1
		}
		return ks[i]
	}
	fail := make([]int32, n)
	outOf := make([]uint32, n)
	depth := make([]int32, n)
	m.outs = make([]outEntry, 1, len(keys)+1)
	for _, v := range queue[1:] {
		p, a := parent[v], label[v]
		depth[v] = depth[p] + 1
		f := int32(0)
		if p != 0 {
			for f = fail[p]; ; f = fail[f] {
				if c := child(f, a); c >= 0 {
					f = c
					break
				}
				if f == 0 {
					break
				}
			}
		}
		fail[v] = f
		outOf[v] = outOf[f]
		if k := term[v]; k != 0 {
			ki := info[k-1]
			next := outOf[v]
			m.outs = append(m.outs, outEntry{
				next: next, count: ki.pat1 - ki.pat0 + m.outs[next].count,
				nbytes: ki.nbytes, nrunes: ki.nrunes,
				pat: m.keyPats[ki.pat0], dup0: ki.pat0 + 1, dup1: ki.pat1,
			})
			outOf[v] = uint32(len(m.outs) - 1)
		}
	}

	// 3. States. A node whose failure node is the start state is complete:
	// every symbol its children do not take leads where it leads from the
	// start state. Any other node is incomplete and falls back to its
	// failure node for those symbols, as in a classic Aho-Corasick
	// automaton. (Copying the failure node's transitions into a node, as a
	// full DFA does, was measured and gained nothing: the start state's
	// row serves most misses, and copies made the array larger.)
	//
	// A node without children makes every transition its failure node
	// makes, so it is not a state of its own: rep maps it to the node that
	// stands for it (the start state, for most leaves). Its outputs travel
	// on the transitions into it, which are kept per node.
	rep := make([]int32, n)
	fb := make([]int32, n) // node to fall back to; 0 for complete nodes
	var states []int32     // nodes with children
	for _, v := range queue[1:] {
		f := rep[fail[v]]
		if cstart[v+1] == cstart[v] {
			rep[v] = f
			continue
		}
		rep[v] = v
		fb[v] = f
		states = append(states, v)
	}

	// 4. Place the rows in the double array. Each state gets a base of its
	// own, and its row's transitions sit at base+symbol. The start state
	// has base 0 and a dense row (cells 0…K, one per symbol, symNone
	// included). A state's identity (what its transitions' check holds
	// and what the scanning loops carry) is its base, with the top bit set
	// for an incomplete state, so that the loops tell the two kinds apart
	// by the sign, without loading anything. An incomplete state also
	// keeps its fallback in cells[base]. Wide rows are placed first, while
	// the array is still empty enough for them to fit; the many short ones
	// then fill the holes.
	var pl placer
	for c := 0; c <= m.nsym; c++ {
		pl.take(c)
	}
	pl.takeBase(0)
	width := func(v int32) int { return int(cstart[v+1] - cstart[v]) }
	slices.SortStableFunc(states, func(a, b int32) int { return width(b) - width(a) })
	id := make([]int32, n) // state identity of each node (of its rep)
	labels := make([]int32, 0, m.nsym+1)
	for _, v := range states {
		labels = labels[:0]
		if fb[v] != 0 {
			labels = append(labels, 0) // cell b holds the fallback
		}
		for _, k := range kids[cstart[v]:cstart[v+1]] {
			labels = append(labels, int32(label[k]))
		}
		b := pl.fit(labels)
		for _, l := range labels {
			pl.take(b + int(l))
		}
		pl.takeBase(b)
		id[v] = int32(b)
		if fb[v] != 0 {
			id[v] |= incomplete
		}
	}
	for _, v := range queue[1:] {
		id[v] = id[rep[v]]
	}
	// Pad so that base+symbol never runs past the end.
	size := max(pl.size, pl.maxBase+1) + m.nsym + 1
	m.cells = make([]cell, size)
	for i := range m.cells {
		m.cells[i].check = -1
	}
	into := func(check int32, dest int32) cell {
		return cell{check: check, to: trans(uint32(id[dest])) | trans(outOf[dest])<<32}
	}
	for c := range int32(m.nsym + 1) {
		m.cells[c] = cell{check: 0}
	}
	for _, v := range kids[cstart[0]:cstart[1]] {
		m.cells[label[v]] = into(0, v)
	}
	m.branchless = len(m.cells) <= branchlessCells
	// Two lanes pay where matches are sparse (the sensitive-word
	// lexicons: about one key per three trie nodes), not for dense sets of
	// common short words (100k jieba words: four keys per five nodes),
	// where the pair loop's hit branch mispredicts; see pair.go.
	m.noPairs = 2*len(keys) > n
	m.depth = make([]int32, pl.maxBase+1)
	for _, v := range states {
		b := id[v] & baseMask
		for _, k := range kids[cstart[v]:cstart[v+1]] {
			m.cells[b+int32(label[k])] = into(id[v], k)
		}
		m.depth[b] = depth[v]
		if fb[v] != 0 {
			// check -2 matches no identity, so the cell is never taken
			// for a transition on symNone.
			m.cells[b] = cell{check: -2, to: trans(uint32(id[fb[v]]))}
		}
	}
}

// A state's identity is its base, with the incomplete bit set when it
// falls back to another state for transitions its row lacks.
const (
	incomplete = -1 << 31
	baseMask   = 1<<31 - 1
)

// step returns the transition from state s on symbol c: its own, its
// fallbacks' if it is incomplete, else the start state's.
//
// It branches on whether s has the transition. When the processor
// guesses right (most steps of sparse matching go back to the start
// state), it can start the next step's memory access before this one's
// arrives, which is what large automata, bound by memory latency, need.
// Dense matching in small automata mispredicts instead; stepFree serves
// those.
func step(cells []cell, s int32, c uint32) trans {
	x := cells[s&baseMask+int32(c)]
	for x.check != s {
		if s >= 0 {
			return cells[c].to
		}
		s = cells[s&baseMask].to.next()
		x = cells[s&baseMask+int32(c)]
	}
	return x.to
}

// stepFree is step without a branch on whether s has the transition: it
// loads both its own cell and the start state's and picks one with a mask
// (the compiler does not turn this into a conditional move by itself).
// Only the fallbacks of incomplete states branch.
func stepFree(cells []cell, s int32, c uint32) trans {
	x := cells[s&baseMask+int32(c)]
	for s < 0 && x.check != s {
		s = cells[s&baseMask].to.next()
		x = cells[s&baseMask+int32(c)]
	}
	own := -trans(b2i(x.check == s))
	return x.to&own | cells[c].to&^own
}

// branchlessCells is the largest automaton (in cells) the scans step
// through with stepFree: 2 MB, about what a core's L2 cache holds.
// Measured on the benchmark sets (bench/): stepFree is 1.3–1.7× faster
// for 1k and 10k common words, step 1.2× faster for 100k, the two equal
// for the sensitive-word lexicons.
const branchlessCells = 1 << 17

// MustCompile is like Compile but panics on error. It is meant for
// lexicons written in the program text.
func MustCompile(patterns []Pattern, opt Options) *Matcher {
	m, err := Compile(patterns, opt)
	if err != nil {
		panic(err)
	}
	return m
}

// Unmatchable returns the indices of the patterns that normalise to
// nothing under the matcher's options (only noise characters, with
// MaxGap > 0) and therefore never match. A lexicon editor should show them.
func (m *Matcher) Unmatchable() []int { return m.unmatchable }

// Len returns the number of patterns.
func (m *Matcher) Len() int { return len(m.patterns) }

// Pattern returns pattern i as given to Compile.
func (m *Matcher) Pattern(i int) Pattern { return m.patterns[i] }

// Options returns the options the matcher was compiled with.
func (m *Matcher) Options() Options { return m.opt }

// States returns the number of trie nodes the lexicon compiled to (for
// diagnostics). The automaton has fewer states: nodes without children
// are merged into their failure states.
func (m *Matcher) States() int { return m.states }

// MemoryBytes estimates the memory held by the compiled matcher, including
// its copy of the patterns.
func (m *Matcher) MemoryBytes() int {
	n := 16*len(m.cells) + 4*len(m.depth) + 2*len(*m.symtab) + 16*len(m.wide) +
		28*len(m.outs) + 4*len(m.keyPats) + 200
	for _, p := range m.patterns {
		n += int(unsafeSizeofPattern) + len(p.Text) + len(p.Category) + len(p.Note)
	}
	return n
}

const unsafeSizeofPattern = unsafe.Sizeof(Pattern{})
