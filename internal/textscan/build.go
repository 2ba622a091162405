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
	symtab []uint16
	wide   map[rune]uint32 // symbols of runes above the BMP and overflow symbols
	nsym   int             // K: symbols are 1..K

	// The automaton is a double-array trie with failure links: the child
	// of state s on symbol c is t = cells[s].base + c if cells[t].check
	// == s. State 0 is the start state; its base is 0, so its children sit
	// at their symbols, and cell 0 itself is never a child.
	cells []cell
	// depth of each cell's state: bytes in raw mode, runes in normalised
	// mode. Leftmost-longest scanning uses it to tell when no later match
	// can start before a candidate.
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
}

// cell is one state of the double array. The fields a transition needs
// sit together, so one step usually touches one cache line.
type cell struct {
	base  int32
	check int32  // parent state, -1 for a free cell
	fail  int32  // longest proper suffix that is a trie state
	out   uint32 // output chain (index into outs), 0 for none
}

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
	m := &Matcher{patterns: slices.Clone(patterns), opt: opt}
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
	keySyms, symRunes := m.assignSymbols(keyRunes)
	m.build(keySyms, keys, symRunes)
	return m, nil
}

// assignSymbols numbers the distinct runes of the keys 1..K, most frequent
// first (so the start state's hot children share cache lines), fills symtab and returns
// the keys as symbol strings.
func (m *Matcher) assignSymbols(keys [][]rune) ([][]uint32, []rune) {
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
	m.symtab = make([]uint16, 0x10000)
	m.wide = map[rune]uint32{}
	lookup := func(r rune) uint32 {
		if m.norm != nil {
			if m.norm.noise(r) {
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
			continue // never produced by UTF-8 decoding
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
	}
	out := make([][]uint32, len(keys))
	for i, k := range keys {
		out[i] = make([]uint32, len(k))
		for j, r := range k {
			out[i][j] = sym[r]
		}
	}
	return out, append([]rune{0}, runes...)
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
func (m *Matcher) build(keys [][]uint32, info []keyInfo, symRunes []rune) {
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

	// 2. Place the states in the double array, breadth first: a node's
	// children get cells base+label for a base where all are free.
	cellOf := make([]int32, n) // trie node → cell
	var pl placer
	pl.take(0)
	// Nodes with many children are placed first, while the array is still
	// empty enough for them to fit; the many one-child nodes then fill the
	// holes. A node's base does not depend on its own cell, so any order
	// works.
	baseOf := make([]int32, n)
	var inner []int32
	for v := 1; v < n; v++ {
		if cstart[v+1] > cstart[v] {
			inner = append(inner, int32(v))
		}
	}
	slices.SortStableFunc(inner, func(a, b int32) int {
		return int(cstart[b+1]-cstart[b]) - int(cstart[a+1]-cstart[a])
	})
	labels := make([]int32, 0, m.nsym)
	place := func(v int32, b int) {
		for _, c := range kids[cstart[v]:cstart[v+1]] {
			cid := b + int(label[c])
			pl.take(cid)
			cellOf[c] = int32(cid)
		}
		baseOf[v] = int32(b)
	}
	if cstart[1] > cstart[0] {
		place(0, 0) // the start state's children sit at their symbols
	}
	for _, v := range inner {
		labels = labels[:0]
		for _, c := range kids[cstart[v]:cstart[v+1]] {
			labels = append(labels, int32(label[c]))
		}
		place(v, pl.fit(labels))
	}
	queue := make([]int32, 0, n) // breadth-first order of the trie nodes
	queue = append(queue, 0)
	for h := 0; h < len(queue); h++ {
		v := queue[h]
		queue = append(queue, kids[cstart[v]:cstart[v+1]]...)
	}
	// Pad so that base+symbol never runs past the end.
	size := pl.size + m.nsym + 1
	m.cells = make([]cell, size)
	for i := range m.cells {
		m.cells[i].check = -1
	}
	for v := range int32(n) {
		cid := cellOf[v]
		c := &m.cells[cid]
		c.base = baseOf[v]
		if v != 0 {
			c.check = cellOf[parent[v]]
		}
	}
	m.cells[0].check = -1

	// 3. Failure links, output chains and depths in breadth-first order.
	m.outs = make([]outEntry, 1, len(keys)+1)
	m.depth = make([]int32, len(m.cells))
	for _, v := range queue[1:] {
		s := cellOf[v]
		sym := int32(label[v])
		p := cellOf[parent[v]]
		if m.norm != nil {
			m.depth[s] = m.depth[p] + 1
		} else {
			m.depth[s] = m.depth[p] + int32(utf8.RuneLen(symRunes[sym]))
		}
		f := int32(0)
		if p != 0 {
			f = m.step(m.cells[p].fail, sym)
		}
		c := &m.cells[s]
		c.fail = f
		c.out = m.cells[f].out
		if k := term[v]; k != 0 {
			ki := info[k-1]
			next := c.out
			m.outs = append(m.outs, outEntry{
				next: next, count: ki.pat1 - ki.pat0 + m.outs[next].count,
				nbytes: ki.nbytes, nrunes: ki.nrunes,
				pat: m.keyPats[ki.pat0], dup0: ki.pat0 + 1, dup1: ki.pat1,
			})
			c.out = uint32(len(m.outs) - 1)
		}
	}
}

// step is the full transition function: the child on symbol c, else the
// transition of the failure state, down to the start state.
func (m *Matcher) step(s, c int32) int32 {
	for {
		t := m.cells[s].base + c
		if m.cells[t].check == s {
			return t
		}
		if s == 0 {
			return 0
		}
		s = m.cells[s].fail
	}
}

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

// States returns the number of automaton states (for diagnostics).
func (m *Matcher) States() int { return m.states }

// MemoryBytes estimates the memory held by the compiled matcher, including
// its copy of the patterns.
func (m *Matcher) MemoryBytes() int {
	n := 20*len(m.cells) + 2*len(m.symtab) + 16*len(m.wide) +
		28*len(m.outs) + 4*len(m.keyPats) + 200
	for _, p := range m.patterns {
		n += int(unsafeSizeofPattern) + len(p.Text) + len(p.Category) + len(p.Note)
	}
	return n
}

const unsafeSizeofPattern = unsafe.Sizeof(Pattern{})
