package docx

import (
	"bytes"
	"fmt"
	"unicode"
)

// Line-end punctuation (避头尾) without hanging, in every word processor.
//
// GB/T 9704-2012 puts every character inside the 156 mm text block, and a
// ，、。 may not start a line. Word and WPS satisfy the second rule by
// default by letting the mark hang into the right margin (ECMA-376
// 17.3.1.21 overflowPunct: "Omitting this element sets its value to true";
// w:val="0" makes them break before the character instead). LibreOffice's
// DOCX import reads the element inverted (writerfilter DomainMapper:
// ParaIsHangingPunctuation = (val == 0), while its own Word export writes
// val=1 for hanging on), so no value of w:overflowPunct turns hanging off
// in both. The other switches do not help: w:kinsoku only chooses which
// marks may not start a line, w:adjustRightInd and w:doNotWrapTextWithPunct
// act only on a character grid, and a linesAndChars grid sets 14–19
// characters a line in LibreOffice (docx.go).
//
// So the writer leaves nothing to hang: it lays each body paragraph out
// the way the word processors do (28 characters of 15.75 pt in 156 mm, a
// first-line indent of two 16 pt characters, half-width digits, a quarter
// character between Chinese and digits), and where a line would be
// followed by a mark that may not start a line, it sets that line's
// characters 0.5–0.6 pt closer (a run with its own w:spacing) so the line
// and the mark fit — the 挤进 of Chinese typesetting, spread thinly over
// the line instead of squeezing the mark to nothing. The text keeps no
// breaks or hidden characters: a user who edits the paragraph in Word or
// WPS gets their ordinary line breaking, and at worst one stretch of text
// set 0.5 pt tighter than the rest.

// noStart are the marks that may not begin a line (GB/T 15834 and the
// kinsoku list of Word for Simplified Chinese, the ones the product
// writes).
const noStart = "，、。；：？！）》」』”’…%"

// noEnd are the marks that may not end a line.
const noEnd = "（《「『“‘"

// Widths in twips (1/20 pt) at the body size of 16 pt with the body's
// −0.25 pt character spacing.
const (
	hanTwips   = CharTwips // 315
	digitTwips = 155       // Times New Roman digits are half an em: 8 pt − 0.25
	// autoSpace is the space Word (w:autoSpaceDN, on by default) and
	// LibreOffice (ParaIsCharacterDistance) put between Chinese and digits
	// or Latin letters: a quarter em.
	autoSpace = 95
)

// fitSlack is kept free at the end of a condensed line for the rounding
// of the word processors' own units.
const fitSlack = 60

// tightRange is a stretch of a paragraph's runes, [from, to), whose
// character spacing is reduced by extra twips (so the w:spacing of those
// runs is −5 − extra).
type tightRange struct {
	from, to int
	extra    int
}

// glyph is one rune of the paragraph with its class and width.
type glyph struct {
	r     rune
	width int
	kind  int // 0 other, 1 Latin letter or digit, 2 Chinese
}

func classify(r rune) glyph {
	switch {
	case r >= '0' && r <= '9':
		return glyph{r, digitTwips, 1}
	case r == '.' || r == ' ':
		return glyph{r, 75, 0}
	case r == '%':
		return glyph{r, 262, 0} // 0.833 em
	case r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
		return glyph{r, digitTwips, 1}
	case r < 0x2000:
		return glyph{r, digitTwips, 0}
	case unicode.Is(unicode.Han, r) || r >= 0xFF10 && r <= 0xFF5A && unicode.IsLetter(r) || unicode.IsDigit(r):
		return glyph{r, hanTwips, 2}
	default:
		return glyph{r, hanTwips, 0} // full-width punctuation
	}
}

func isIn(set string, r rune) bool {
	for _, c := range set {
		if c == r {
			return true
		}
	}
	return false
}

// tightLines lays out the runes of one body paragraph in lines of width
// TextWidth, the first indented by firstIndent twips, and returns the
// lines that must be set closer so that the mark after them does not
// start the next line. Breaks fall between any two characters except
// inside a run of Latin letters and digits (a word), before a noStart
// mark and after a noEnd mark.
func tightLines(text []rune, firstIndent int) []tightRange {
	gs := make([]glyph, len(text))
	for i, r := range text {
		gs[i] = classify(r)
	}
	// adv returns the advance of glyph i following glyph i-1.
	adv := func(i, start int) int {
		w := gs[i].width
		if i > start && gs[i].kind != 0 && gs[i-1].kind != 0 && gs[i].kind != gs[i-1].kind {
			w += autoSpace
		}
		return w
	}
	// tail is the space LibreOffice adds after the last character of a
	// line when a Latin letter or digit follows it (its script space
	// belongs to the Chinese portion; measured: a line of 28 ending in 、
	// before "QQ" did not fit).
	tail := func(i int) int {
		if i+1 < len(gs) && gs[i+1].kind == 1 && gs[i].r >= 0x2000 {
			return autoSpace
		}
		return 0
	}
	breakable := func(i int) bool { // may a line start at i?
		if i <= 0 || i >= len(gs) {
			return true
		}
		if gs[i].kind == 1 && gs[i-1].kind == 1 {
			return false // inside a word or number
		}
		if isIn(noStart, gs[i].r) || isIn(noEnd, gs[i-1].r) {
			return false
		}
		return true
	}
	var out []tightRange
	start, avail := 0, TextWidth-firstIndent
	for start < len(gs) {
		w, end := 0, start
		for end < len(gs) && w+adv(end, start)+tail(end) <= avail {
			w += adv(end, start)
			end++
		}
		if end >= len(gs) {
			break
		}
		// The line would end before end. When end is a mark that may not
		// start a line, take it (and any marks after it) into this line,
		// closer set, if the line then still holds at least 20 characters
		// at the same spacing reduced by at most 1.5 pt.
		if isIn(noStart, gs[end].r) && gs[end].kind == 0 {
			j, need := end, w
			for j < len(gs) && isIn(noStart, gs[j].r) && gs[j].kind == 0 && j-end < 3 {
				need += adv(j, start)
				j++
			}
			need += tail(j - 1)
			n := j - start
			over := need - avail + fitSlack
			extra := (over + n - 1) / n
			if n >= 20 && extra <= 30 && breakable(j) {
				out = append(out, tightRange{start, j, extra})

				start, avail = j, TextWidth
				continue
			}
		}
		// Otherwise the word processor breaks at the last place it may.
		b := end
		for b > start+1 && !breakable(b) {
			b--
		}
		start, avail = b, TextWidth
	}
	return out
}

// bodyIndent is the body's first-line indent (styles.xml: w:ind
// w:firstLine="640"), two 16 pt characters.
const bodyIndent = 640

// writeFitted writes the runs of one body paragraph (no line breaks
// inside), splitting them where a line is set closer (tightLines).
func writeFitted(b *bytes.Buffer, runs []Run) {
	var text []rune
	for _, r := range runs {
		text = append(text, []rune(r.Text)...)
	}
	tight := tightLines(text, bodyIndent)
	pos := 0
	for _, r := range runs {
		rs := []rune(r.Text)
		from := pos
		pos += len(rs)
		// Cut the run at the edges of the tight ranges it overlaps.
		i := from
		for i < pos {
			extra, end := 0, pos
			for _, t := range tight {
				switch {
				case i >= t.from && i < t.to:
					extra, end = t.extra, min(end, t.to)
				case t.from > i:
					end = min(end, t.from)
				}
			}
			runSpaced(b, string(rs[i-from:end-from]), r.Bold, extra)
			i = end
		}
	}
}

// runSpaced writes a run whose character spacing is reduced by extra
// twips beyond the body's −0.25 pt.
func runSpaced(b *bytes.Buffer, text string, bold bool, extra int) {
	if extra == 0 {
		run(b, text, bold)
		return
	}
	if text == "" {
		return
	}
	b.WriteString(`<w:r><w:rPr>`)
	if bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	fmt.Fprintf(b, `<w:spacing w:val="%d"/></w:rPr><w:t xml:space="preserve">`, -5-extra)
	escape(b, text)
	b.WriteString(`</w:t></w:r>`)
}
