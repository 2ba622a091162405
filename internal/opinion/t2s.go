package opinion

import (
	"sync"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhendi/internal/textscan"
)

// Traditional and simplified characters are folded in Normalize through
// textscan's traditional → simplified table (OpenCC, see the textscan
// package doc). textscan keeps the table to itself but documents that
// patterns whose normalised texts are equal are all reported for the same
// span; so compiling every ideograph as a one-character pattern with
// TradToSimp and asking which patterns match each character yields the
// classes of characters the table makes equal ({发, 發, 髮}).
//
// Each class gets one representative: the member in GB 2312 (the
// simplified character set), the lowest such code point when there are
// several (乾 and 干 are both in GB 2312, so 幹 folds to 乾). Only
// consistency matters here, since normalised text is hashed and matched,
// never shown.

const (
	hanLow  = 0x3400 // CJK Unified Ideographs Extension A …
	hanHigh = 0xA000 // … through the URO
)

var hanFold = sync.OnceValue(func() []rune {
	var ps []textscan.Pattern
	for r := rune(hanLow); r < hanHigh; r++ {
		if unicode.Is(unicode.Han, r) {
			ps = append(ps, textscan.Pattern{ID: int(r), Text: string(r)})
		}
	}
	m, err := textscan.Compile(ps, textscan.Options{TradToSimp: true})
	table := make([]rune, hanHigh-hanLow)
	for i := range table {
		table[i] = hanLow + rune(i)
	}
	if err != nil {
		return table // cannot happen for valid one-character patterns; fold nothing
	}
	gb := simplifiedchinese.HZGB2312.NewEncoder()
	inGB := func(r rune) bool {
		_, err := gb.String(string(r))
		return err == nil
	}
	var buf []textscan.Match
	for r := rune(hanLow); r < hanHigh; r++ {
		buf = m.AppendMatches(buf[:0], string(r), textscan.Overlapping)
		if len(buf) < 2 {
			continue
		}
		best := rune(-1)
		bestGB := false
		for _, x := range buf {
			c := rune(m.Pattern(x.Pattern).ID)
			g := inGB(c)
			if best < 0 || g && !bestGB || g == bestGB && c < best {
				best, bestGB = c, g
			}
		}
		table[r-hanLow] = best
	}
	return table
})

// foldHan maps a traditional character to its class representative.
func foldHan(r rune) rune {
	if r < hanLow || r >= hanHigh {
		return r
	}
	return hanFold()[r-hanLow]
}
