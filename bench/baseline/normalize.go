package baseline

import (
	"bufio"
	_ "embed"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// t2sData is the traditional → simplified character table generated from
// OpenCC's TSCharacters.txt (Apache-2.0); see the header of t2s.txt.
//
//go:embed t2s.txt
var t2sData string

// baseTables holds the option-independent normalisation data. It is built
// once on first use and never modified afterwards.
type baseTables struct {
	t2sBMP  [0x10000]rune // identity where there is no mapping
	t2sWide []runePair    // sorted mappings for source runes above the BMP
}

type runePair struct{ from, to rune }

var loadBaseTables = sync.OnceValue(func() *baseTables {
	t := &baseTables{}
	for i := range t.t2sBMP {
		t.t2sBMP[i] = rune(i)
	}
	sc := bufio.NewScanner(strings.NewReader(t2sData))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		from, to, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		f, _ := utf8.DecodeRuneInString(from)
		s, _ := utf8.DecodeRuneInString(to)
		if f < 0x10000 {
			t.t2sBMP[f] = s
		} else {
			t.t2sWide = append(t.t2sWide, runePair{f, s})
		}
	}
	sort.Slice(t.t2sWide, func(i, j int) bool { return t.t2sWide[i].from < t.t2sWide[j].from })
	return t
})

func (t *baseTables) t2s(r rune) rune {
	if r < 0x10000 {
		return t.t2sBMP[r]
	}
	i := sort.Search(len(t.t2sWide), func(i int) bool { return t.t2sWide[i].from >= r })
	if i < len(t.t2sWide) && t.t2sWide[i].from == r {
		return t.t2sWide[i].to
	}
	return r
}

// foldWidth maps full-width ASCII variants and the ideographic space to their
// half-width forms. Half-width katakana are left alone: they are rare in
// Chinese text and folding them would change the character count.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	case r >= 0xFFE0 && r <= 0xFFE6:
		return [...]rune{0xA2, 0xA3, 0xAC, 0xAF, 0xA6, 0xA5, 0x20A9}[r-0xFFE0]
	}
	return r
}

// IsNoise reports whether r counts as noise for evasion-resistant matching:
// anything that is neither a letter nor a number. That covers white space,
// control and format characters (zero-width space, joiners, BOM, bidi
// marks), punctuation of every script (，。、「」…), symbols (emoji, ★, ©,
// currency, math), combining marks and variation selectors, private-use
// characters, and utf8.RuneError (which also stands for invalid bytes).
//
// Letters (including every CJK ideograph) and digits are content: a digit
// inside a word is treated as a real character, not as noise, because
// numbers carry meaning in Chinese text (e.g. 64, 110).
func IsNoise(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9')
	}
	return !unicode.IsLetter(r) && !unicode.IsNumber(r)
}

// normalizer applies the normalisation selected in Options to runes.
type normalizer struct {
	opt  Options
	base *baseTables
}

func newNormalizer(opt Options) *normalizer {
	return &normalizer{opt: opt, base: loadBaseTables()}
}

// fold applies the configured foldings to one rune.
func (n *normalizer) fold(r rune) rune {
	if n.opt.FoldWidth {
		r = foldWidth(r)
	}
	if n.opt.TradToSimp {
		r = n.base.t2s(r)
	}
	if n.opt.FoldCase && unicode.IsUpper(r) {
		r = unicode.ToLower(r)
	}
	return r
}

func (n *normalizer) noise(r rune) bool {
	return n.opt.MaxGap > 0 && IsNoise(r)
}

// normalizeKey turns a pattern into the runes the automaton matches: every
// rune folded, noise removed when noise skipping is on.
func (n *normalizer) normalizeKey(s string) []rune {
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		if n.noise(r) {
			continue
		}
		f := n.fold(r)
		if n.noise(f) {
			continue
		}
		rs = append(rs, f)
	}
	return rs
}

// active reports whether any normalisation is configured; when none is,
// the matcher compares runes as they are.
func (o Options) active() bool {
	return o.FoldWidth || o.FoldCase || o.TradToSimp || o.MaxGap > 0
}
