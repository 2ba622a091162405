package textscan

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// screenOpt is what zhendi's screening uses for wording checks.
var screenOpt = Options{FoldWidth: true, TradToSimp: true, FoldLookalike: true, MaxGap: 2, Barriers: "，。、；：？！,.;:?!"}

// TestLookalike: look-alike characters match the ideograph they stand
// for, and offsets still point into the original text.
func TestLookalike(t *testing.T) {
	m := MustCompile(pats("门徒会", "生态环境部", "零", "长江"), screenOpt)
	for _, tc := range []struct {
		text       string
		want       string // the matched original text
		start, end int    // rune offsets
	}{
		{"揭露⾨徒会的本质", "⾨徒会", 2, 5},    // U+2FA8 KANGXI RADICAL GATE → 門 → 门
		{"揭露⻔徒会", "⻔徒会", 2, 5},       // U+2ED4 CJK RADICAL C-SIMPLIFIED GATE → 门
		{"\uF9B2", "\uF9B2", 0, 1},   // U+F9B2 CJK COMPATIBILITY IDEOGRAPH → 零
		{"沿⻓江", "⻓江", 1, 3},          // U+2ED3 → 长
		{"⽣态环境部发布", "⽣态环境部", 0, 5},   // U+2F63 KANGXI RADICAL LIFE → 生
		{"⽣ 态·环境部", "⽣ 态·环境部", 0, 7}, // look-alike and noise together
	} {
		ms := m.FindAll(tc.text, LeftmostLongest)
		if len(ms) != 1 {
			t.Errorf("%q: %d matches %+v, want 1", tc.text, len(ms), ms)
			continue
		}
		x := ms[0]
		if got := tc.text[x.Start:x.End]; got != tc.want || x.RuneStart != tc.start || x.RuneEnd != tc.end {
			t.Errorf("%q: matched %q runes %d–%d, want %q %d–%d", tc.text, got, x.RuneStart, x.RuneEnd, tc.want, tc.start, tc.end)
		}
	}
	// A pattern written with look-alikes matches ordinary text too.
	if !MustCompile(pats("⾨徒会"), screenOpt).Any("门徒会") {
		t.Error("pattern with a Kangxi radical does not match the ordinary characters")
	}
	// Off by default.
	if MustCompile(pats("门徒会"), Options{TradToSimp: true}).Any("⾨徒会") {
		t.Error("FoldLookalike is off but the radical matched")
	}
}

// TestLookalikeTable checks the generated table against the blocks it
// covers: every Kangxi radical is mapped, every mapping lands on a CJK
// unified ideograph, and the radicals supplement has its 114 rows.
func TestLookalikeTable(t *testing.T) {
	b := loadBaseTables()
	for r := rune(0x2F00); r <= 0x2FD5; r++ {
		if b.lookalike(r) == r {
			t.Errorf("Kangxi radical %U not mapped", r)
		}
	}
	sup := 0
	for r := rune(0x2E80); r <= 0x2EFF; r++ {
		if b.lookalike(r) != r {
			sup++
		}
	}
	if sup != 114 {
		t.Errorf("radicals supplement: %d mappings, want 114 (EquivalentUnifiedIdeograph-14.0.0)", sup)
	}
	compat := 0
	for r := rune(0xF900); r <= 0xFAFF; r++ {
		if b.lookalike(r) != r {
			compat++
		}
	}
	// 472 assigned compatibility ideographs in the block minus the 12
	// unified ideographs among them (U+FA0E, FA0F, FA11, FA13, FA14, FA1F,
	// FA21, FA23, FA24, FA27, FA28, FA29).
	if compat != 460 {
		t.Errorf("CJK compatibility ideographs: %d mappings, want 460", compat)
	}
	for _, line := range strings.Split(lookalikeData, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f, w := utf8.DecodeRuneInString(line)
		to, _ := utf8.DecodeRuneInString(line[w+1:])
		if !(to >= 0x3400 && to <= 0x9FFF || to >= 0x20000 && to <= 0x3FFFF) {
			t.Errorf("%U maps to %U, not a unified ideograph", f, to)
		}
	}
}

// TestBarriers: a gap does not cross a barrier character, while other
// noise is still skipped.
func TestBarriers(t *testing.T) {
	m := MustCompile(pats("环境保护部", "法轮功"), screenOpt)
	for _, tc := range []struct {
		text string
		want int
	}{
		{"加强生态环境保护，部署专项行动", 0},
		{"加强生态环境保护。部署", 0},
		{"环境保护,部署", 0}, // half-width too
		{"环境保护 部", 1},
		{"环境保护*部", 1},
		{"法 轮 功", 1},
		{"法、轮功", 0},
	} {
		if got := m.Count(tc.text); got != tc.want {
			t.Errorf("%q: %d matches, want %d", tc.text, got, tc.want)
		}
		if got := len(m.FindAll(tc.text, Overlapping)); got != tc.want {
			t.Errorf("%q: FindAll %d matches, want %d", tc.text, got, tc.want)
		}
	}
	// Without barriers the clause punctuation is noise like any other.
	if !MustCompile(pats("环境保护部"), Options{MaxGap: 2}).Any("环境保护，部署") {
		t.Error("without barriers the gap should cross the comma")
	}
}
