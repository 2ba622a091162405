package textscan

import "errors"

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
	// FoldLookalike maps characters that look like CJK ideographs to the
	// ideograph: the Kangxi radicals U+2F00–U+2FD5 and the CJK radicals
	// supplement U+2E80–U+2EFF (⾨ → 門, ⻔ → 门), and the CJK compatibility
	// ideographs U+F900–U+FAFF and U+2F800–U+2FA1F (U+F9B4 → 零). The
	// table comes from Unicode data (lookalike.txt, gen_lookalike.go).
	FoldLookalike bool

	// MaxGap > 0 turns on evasion-resistant matching: noise characters (see
	// IsNoise) are ignored, in patterns and in text, and a pattern still
	// matches when up to MaxGap noise characters separate two of its
	// characters. A longer run of noise breaks a match.
	MaxGap int
	// Barriers lists characters that a gap must not cross although they
	// are noise, e.g. the clause punctuation "，。、；：？！,.;:?!": with
	// MaxGap 2 and these barriers "环境保护，部署" does not match 环境保护部
	// while "环境 保护部" does. A barrier is matched like a character no
	// pattern uses (in patterns it is dropped as noise). Only meaningful
	// with MaxGap > 0.
	Barriers string
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

// ErrEmptyPattern is returned by Compile for a pattern with empty text. (A
// pattern that only becomes empty through normalisation is accepted and
// listed by Matcher.Unmatchable.)
var ErrEmptyPattern = errors.New("empty pattern")

// ErrInvalidUTF8 is returned by Compile for a pattern that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("pattern is not valid UTF-8")
