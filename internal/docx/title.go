package docx

import (
	"strings"
	"unicode"
)

// TitleChars is how many 2号 (22 pt) title characters fit on a line of
// the 156 mm text block.
const TitleChars = 20

// titleWords are words of the titles zhendi writes that a line break may
// not split ("总/结" was the example of issue 14). A caller adds its own
// (the unit's name) in Doc.Keep; digits and Latin letters are never split
// either.
var titleWords = []string{
	"意识形态", "工作", "总结", "安排", "上半年", "下半年", "年度", "责任制", "落实", "情况", "通报", "信息",
	"编发", "分析", "研判", "报告", "述职", "履行", "同志", "党组", "关于", "部署", "开展", "加强", "宣传",
	"理论", "学习", "中心组", "领导小组", "专题", "研究", "月通报", "全年", "督导", "整改", "问题", "清单",
	"农业农村局", "委宣传部",
}

// TitleLines breaks a title into lines of at most TitleChars characters,
// between words only, in the shape GB/T 9704-2012 7.3.2 asks for: two
// lines as even as possible with the first not shorter (a trapezoid),
// three with the middle line the longest (a diamond). A title that
// already holds line breaks is kept as the caller broke it; a title that
// fits is one line. keep lists more phrases not to split.
func TitleLines(title string, keep []string) []string {
	if strings.Contains(title, "\n") || Width(title) <= TitleChars {
		return splitLines(title)
	}
	rs := []rune(title)
	// allowed[i]: a break may come before rune i.
	allowed := make([]bool, len(rs)+1)
	for i := 1; i < len(rs); i++ {
		allowed[i] = true
		a, b := rs[i-1], rs[i]
		if isAlnum(a) && isAlnum(b) || strings.ContainsRune("（《“", a) || strings.ContainsRune("）》”，、。：", b) {
			allowed[i] = false
		}
	}
	for _, w := range append(append([]string{}, titleWords...), keep...) {
		wr := []rune(w)
		if len(wr) < 2 {
			continue
		}
		for i := 0; i+len(wr) <= len(rs); i++ {
			if string(rs[i:i+len(wr)]) == w {
				for j := i + 1; j < i+len(wr); j++ {
					allowed[j] = false
				}
			}
		}
	}
	width := func(from, to int) float64 { return Width(string(rs[from:to])) }
	n := int((Width(title) + TitleChars - 1) / TitleChars)
	best, bestScore := []int(nil), 1e9
	var try func(breaks []int, from int)
	try = func(breaks []int, from int) {
		if len(breaks) == n-1 {
			cuts := append(append([]int{0}, breaks...), len(rs))
			var ws []float64
			for i := 0; i+1 < len(cuts); i++ {
				w := width(cuts[i], cuts[i+1])
				if w > TitleChars {
					return
				}
				ws = append(ws, w)
			}
			lo, hi := ws[0], ws[0]
			for _, w := range ws {
				lo, hi = min(lo, w), max(hi, w)
			}
			score := hi - lo
			switch {
			case n == 2 && ws[0] < ws[1]:
				score += 0.5 // prefer the longer line first
			case n == 3 && (ws[1] < ws[0] || ws[1] < ws[2]):
				score += 100 // a diamond: the middle line longest
			}
			if score < bestScore {
				best, bestScore = append([]int{}, breaks...), score
			}
			return
		}
		for i := from + 1; i < len(rs); i++ {
			if allowed[i] {
				try(append(breaks, i), i)
			}
		}
	}
	if n <= 4 {
		try(nil, 0)
	}
	if best == nil {
		return []string{title} // no break between words fits; let the writer wrap
	}
	var out []string
	from := 0
	for _, b := range append(best, len(rs)) {
		out = append(out, string(rs[from:b]))
		from = b
	}
	return out
}

func isAlnum(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
