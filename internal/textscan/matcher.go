package textscan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Pattern is one entry of a lexicon.
type Pattern struct {
	ID       int    // caller's identifier (e.g. a database row id); not interpreted
	Text     string // the word or phrase to find
	Category string // e.g. 政治类型, 易错词
	Severity int    // caller-defined; larger is more severe
	Note     string // e.g. the correct wording for a 规范表述 entry
}

// Options selects the normalisation a Matcher applies to patterns and text.
// The zero value matches raw bytes exactly.
type Options struct {
	FoldWidth  bool // full-width ASCII (ＡＢＣ１２３！) and U+3000 → half-width
	FoldCase   bool // upper case → lower case (Latin, Greek, Cyrillic, …)
	TradToSimp bool // traditional → simplified characters (OpenCC table)

	// MaxGap > 0 turns on evasion-resistant matching: noise characters (see
	// IsNoise) are ignored, in patterns and in text, and a pattern still
	// matches when up to MaxGap noise characters separate two of its
	// characters. A longer run of noise breaks a match.
	MaxGap int

	// DenseBytes caps the memory of the dense transition table, in bytes.
	// States beyond the cap use sparse transitions with failure links.
	// Zero means the default (32 MiB).
	DenseBytes int
}

// Mode selects which matches the scanning methods report.
type Mode int

const (
	// LeftmostLongest reports non-overlapping matches, scanning from the
	// left and taking the longest pattern at each position (what a reader
	// would highlight). Patterns whose normalised texts are equal are all
	// reported for the same span.
	LeftmostLongest Mode = iota
	// Overlapping reports every occurrence of every pattern, ordered by end
	// offset, longer matches first for equal ends.
	Overlapping
)

// Match is one occurrence of a pattern. Offsets refer to the original text
// (before normalisation) and are half-open: text[Start:End].
type Match struct {
	Pattern   int // index into the pattern slice given to Compile
	Start     int // byte offsets
	End       int
	RuneStart int // character offsets, counted as `for range` counts them
	RuneEnd   int
}

// ErrEmptyPattern is returned by Compile for a pattern that is empty, or
// becomes empty after normalisation (e.g. only punctuation with MaxGap > 0).
var ErrEmptyPattern = errors.New("empty pattern")

// ErrInvalidUTF8 is returned by Compile for a pattern that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("pattern is not valid UTF-8")

const (
	matchFlag         = 1 << 31
	defaultDenseBytes = 32 << 20
)

// Matcher is a compiled, immutable lexicon. All methods are safe for
// concurrent use.
type Matcher struct {
	patterns []Pattern
	patKey   []int32 // pattern index → key index
	opt      Options
	norm     *normalizer // nil when no normalisation is configured

	classes  [256]uint8
	rootStay [256]bool // bytes that keep the automaton in its start state
	ncls     uint32
	stride   uint32   // ncls + 1; the last column of a dense row holds its output head
	dense    []uint32 // dense rows; entries are encoded states (see encode)
	limit    uint32   // encoded values below limit are dense states

	// sparse states, indexed by encoded value - limit
	spEdge []uint32 // CSR offsets into edgeCls/edgeTo, len = sparse states + 1
	edgeCls []uint8
	edgeTo  []uint32
	spFail  []uint32
	spOut   []uint32

	outs    []outEntry // output chains; entry 0 is the empty chain
	keys    []keyInfo
	keyPats []int32 // pattern indices grouped by key

	maxKeyBytes int
	maxKeyRunes int
	maxSpan     int // upper bound of a match's length in original bytes
	states      int
}

// outEntry is one link of an output chain: a key that ends in a state,
// followed by the keys that end at its proper suffixes.
type outEntry struct {
	key   uint32
	next  uint32 // 0 terminates
	count uint32 // patterns on the chain from here on (for Count)
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
	var keyText []string
	var keyRunes []int
	var groups [][]int32
	m.patKey = make([]int32, len(patterns))
	for i, p := range patterns {
		if !utf8.ValidString(p.Text) {
			return nil, fmt.Errorf("textscan: pattern %d (id %d): %w", i, p.ID, ErrInvalidUTF8)
		}
		key, runes := p.Text, utf8.RuneCountInString(p.Text)
		if m.norm != nil {
			key, runes = m.norm.normalizeKey(p.Text)
		}
		if key == "" {
			return nil, fmt.Errorf("textscan: pattern %d (id %d, %q): %w", i, p.ID, p.Text, ErrEmptyPattern)
		}
		k, ok := keyIndex[key]
		if !ok {
			k = int32(len(keyText))
			keyIndex[key] = k
			keyText = append(keyText, key)
			keyRunes = append(keyRunes, runes)
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], int32(i))
		m.patKey[i] = k
	}
	m.keys = make([]keyInfo, len(keyText))
	m.keyPats = make([]int32, 0, len(patterns))
	for k, g := range groups {
		m.keys[k] = keyInfo{
			nbytes: uint32(len(keyText[k])), nrunes: uint32(keyRunes[k]),
			pat0: uint32(len(m.keyPats)), pat1: uint32(len(m.keyPats) + len(g)),
		}
		m.keyPats = append(m.keyPats, g...)
		m.maxKeyBytes = max(m.maxKeyBytes, len(keyText[k]))
		m.maxKeyRunes = max(m.maxKeyRunes, keyRunes[k])
	}
	m.maxSpan = m.maxKeyBytes
	if m.norm != nil {
		// Every matched rune may be up to 4 bytes in the original, and up to
		// MaxGap noise runes (4 bytes each) may sit between two of them.
		r := m.maxKeyRunes
		m.maxSpan = 4 * (r + (r-1)*opt.MaxGap)
	}
	budget := opt.DenseBytes
	if budget <= 0 {
		budget = defaultDenseBytes
	}
	m.build(keyText, budget)
	return m, nil
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

// Len returns the number of patterns.
func (m *Matcher) Len() int { return len(m.patterns) }

// Pattern returns pattern i as given to Compile.
func (m *Matcher) Pattern(i int) Pattern { return m.patterns[i] }

// Options returns the options the matcher was compiled with.
func (m *Matcher) Options() Options { return m.opt }

// States returns the number of automaton states (for diagnostics).
func (m *Matcher) States() int { return m.states }

// MemoryBytes estimates the memory held by the compiled matcher, including
// the copied patterns.
func (m *Matcher) MemoryBytes() int {
	n := 4*(len(m.dense)+len(m.spEdge)+len(m.edgeTo)+len(m.spFail)+len(m.spOut)+len(m.keyPats)+len(m.patKey)) +
		len(m.edgeCls) + 12*len(m.outs) + 16*len(m.keys) + 600
	for _, p := range m.patterns {
		n += 72 + len(p.Text) + len(p.Category) + len(p.Note)
	}
	if m.norm != nil {
		n += 4 * len(m.norm.tab)
	}
	return n
}

// build constructs the Aho-Corasick automaton over the bytes of keys.
func (m *Matcher) build(keys []string, budget int) {
	// 1. Trie from the sorted keys: a depth-first walk that reuses the
	// common prefix with the previous key. Children are created in byte
	// order because the keys are sorted.
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	total := 1
	for _, k := range keys {
		total += len(k)
	}
	parent := make([]int32, 1, total)
	label := make([]byte, 1, total)
	term := make([]int32, 1, total) // key index + 1
	parent[0] = -1
	path := make([]int32, m.maxKeyBytes+1)
	prev := ""
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

	// 2. Breadth-first renumbering: children of a node get consecutive ids
	// in byte order, shallow states (the hot ones) get small ids and fail
	// links always point to smaller ids.
	nchild := make([]int32, n)
	for v := 1; v < n; v++ {
		nchild[parent[v]]++
	}
	cstart := make([]int32, n+1)
	for v := range n {
		cstart[v+1] = cstart[v] + nchild[v]
	}
	kids := make([]int32, n)
	fill := slices.Clone(cstart[:n])
	for v := 1; v < n; v++ {
		p := parent[v]
		kids[fill[p]] = int32(v)
		fill[p]++
	}
	newID := make([]int32, n)
	bfs := make([]int32, 0, n)
	bfs = append(bfs, 0)
	for h := 0; h < len(bfs); h++ {
		v := bfs[h]
		newID[v] = int32(h)
		bfs = append(bfs, kids[cstart[v]:cstart[v+1]]...)
	}
	// Arrays by new id. first[s] is the id of s's first child; children
	// are first[s] .. first[s]+cnt[s]-1.
	lab := make([]byte, n)
	trm := make([]int32, n)
	par := make([]int32, n)
	first := make([]int32, n)
	cnt := make([]int32, n)
	for h, v := range bfs {
		lab[h] = label[v]
		trm[h] = term[v]
		if v != 0 {
			par[h] = newID[parent[v]]
		}
		cnt[h] = nchild[v]
		if nchild[v] > 0 {
			first[h] = newID[kids[cstart[v]]]
		}
	}
	parent, label, term, kids, cstart, nchild, newID, bfs = nil, nil, nil, nil, nil, nil, nil, nil

	child := func(s int32, b byte) int32 {
		lo, hi := first[s], first[s]+cnt[s]
		for lo < hi {
			mid := int32(uint32(lo+hi) >> 1)
			if lab[mid] < b {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo < first[s]+cnt[s] && lab[lo] == b {
			return lo
		}
		return -1
	}

	// 3. Failure links and output chains, in breadth-first order.
	fail := make([]int32, n)
	outHead := make([]uint32, n)
	m.outs = make([]outEntry, 1, len(keys)+1)
	for s := int32(1); s < int32(n); s++ {
		p := par[s]
		if p != 0 {
			f := fail[p]
			for {
				if c := child(f, lab[s]); c >= 0 {
					fail[s] = c
					break
				}
				if f == 0 {
					break
				}
				f = fail[f]
			}
		}
		outHead[s] = outHead[fail[s]]
		if k := trm[s]; k != 0 {
			ki := m.keys[k-1]
			next := outHead[s]
			m.outs = append(m.outs, outEntry{
				key: uint32(k - 1), next: next,
				count: ki.pat1 - ki.pat0 + m.outs[next].count,
			})
			outHead[s] = uint32(len(m.outs) - 1)
		}
	}

	// 4. Byte classes: every byte that occurs in a key has its own class;
	// all other bytes share class 0 (they always lead back to the root).
	var used [256]bool
	for s := 1; s < n; s++ {
		used[lab[s]] = true
	}
	m.ncls = 1
	for b := range 256 {
		if used[b] {
			m.classes[b] = uint8(m.ncls)
			m.ncls++
		}
	}
	// Keys are valid UTF-8, so bytes C0, C1 and F5–FF never occur and
	// ncls stays below 256.
	m.stride = m.ncls + 1

	// 5. Layout: the first D states (breadth-first) get complete dense
	// rows; the rest keep their own edges plus a failure link.
	d := budget / (4 * int(m.stride))
	d = max(d, 1)
	d = min(d, n)
	m.limit = uint32(d) * m.stride
	encode := func(s int32) uint32 {
		var e uint32
		if int(s) < d {
			e = uint32(s) * m.stride
		} else {
			e = m.limit + uint32(int(s)-d)
		}
		if outHead[s] != 0 {
			e |= matchFlag
		}
		return e
	}
	m.dense = make([]uint32, d*int(m.stride))
	for s := range int32(d) {
		row := m.dense[int(s)*int(m.stride) : int(s+1)*int(m.stride)]
		if s != 0 {
			f := int(fail[s])
			copy(row, m.dense[f*int(m.stride):f*int(m.stride)+int(m.ncls)])
		}
		for c := first[s]; c < first[s]+cnt[s]; c++ {
			row[m.classes[lab[c]]] = encode(c)
		}
		row[m.ncls] = outHead[s]
	}
	ns := n - d
	m.spEdge = make([]uint32, ns+1)
	m.spFail = make([]uint32, ns)
	m.spOut = make([]uint32, ns)
	edges := 0
	for s := d; s < n; s++ {
		edges += int(cnt[s])
	}
	m.edgeCls = make([]uint8, 0, edges)
	m.edgeTo = make([]uint32, 0, edges)
	for s := int32(d); s < int32(n); s++ {
		k := int(s) - d
		m.spEdge[k] = uint32(len(m.edgeTo))
		for c := first[s]; c < first[s]+cnt[s]; c++ {
			m.edgeCls = append(m.edgeCls, m.classes[lab[c]])
			m.edgeTo = append(m.edgeTo, encode(c))
		}
		m.spFail[k] = encode(fail[s]) &^ matchFlag
		m.spOut[k] = outHead[s]
	}
	m.spEdge[ns] = uint32(len(m.edgeTo))
	for b := range 256 {
		m.rootStay[b] = m.dense[m.classes[b]] == 0
	}
}

// sparseStep is the transition function for a state outside the dense
// region: follow failure links until an edge matches or a dense state is
// reached (whose row is complete).
func (m *Matcher) sparseStep(v, c uint32) uint32 {
	for {
		k := v - m.limit
		for j, end := m.spEdge[k], m.spEdge[k+1]; j < end; j++ {
			if uint32(m.edgeCls[j]) == c {
				return m.edgeTo[j]
			}
		}
		v = m.spFail[k]
		if v < m.limit {
			return m.dense[v+c]
		}
	}
}

// outHeadOf returns the output chain of encoded state v (flag cleared).
func (m *Matcher) outHeadOf(v uint32) uint32 {
	if v < m.limit {
		return m.dense[v+m.ncls]
	}
	return m.spOut[v-m.limit]
}
