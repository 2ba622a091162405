package infosub

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/textscan"
)

//go:generate go run lexicon/gen.go

// The default lexicon ships in the binary: generated lists curated from
// ../shared/data (see lexicon/gen.go for the rules and sources) and
// hand-written ones (规范表述_公文, 过时称谓, 禁用词, 例外).
//
//go:embed lexicon/*.tsv
var lexiconFS embed.FS

// Screening categories.
const (
	CatWording   = "规范表述"
	CatSensitive = "敏感词"
	CatBanned    = "禁用词"
	CatTypo      = "易错词"
	CatOutdated  = "过时称谓"
	CatException = "例外" // correct phrases that contain a listed term; never reported
	CatPunct     = "标点"
	CatNumber    = "数字日期"
)

// TermCategories are the categories a lexicon entry may have.
var TermCategories = []string{CatWording, CatSensitive, CatBanned, CatTypo, CatOutdated, CatException}

// Severities.
const (
	SevHint  = 1 // 提示
	SevBlock = 2 // 阻断: submission refused unless a reviewer lets it pass
)

// Term is one lexicon entry.
type Term struct {
	ID       int64 // database id of a unit's own term (0 for built-in)
	Term     string
	Category string
	Severity int
	Suggest  string // correct form(s), alternatives separated by |
	Note     string
	BuiltIn  bool
}

// Validate checks a term entered by a user or imported.
func (t *Term) Validate() error {
	t.Term, t.Suggest, t.Note = strings.TrimSpace(t.Term), strings.TrimSpace(t.Suggest), strings.TrimSpace(t.Note)
	if t.Term == "" || utf8.RuneCountInString(t.Term) > 40 {
		return apperr.Field("词语", "不能为空且不超过 40 个字")
	}
	if !slices.Contains(TermCategories, t.Category) {
		return apperr.Field("类别", fmt.Sprintf("应为 %s 之一", strings.Join(TermCategories, "、")))
	}
	if t.Category == CatException {
		t.Severity = 0
	} else if t.Severity != SevHint && t.Severity != SevBlock {
		return apperr.Field("级别", "应为 1（提示）或 2（阻断）")
	}
	if utf8.RuneCountInString(t.Suggest) > 80 || utf8.RuneCountInString(t.Note) > 200 {
		return apperr.Field("建议/说明", "过长")
	}
	if strings.ContainsAny(t.Term+t.Suggest+t.Note, "\t\n\r") {
		return apperr.Field("词语", "不能包含制表符或换行")
	}
	return nil
}

// ParseTermsTSV reads "词<TAB>类别<TAB>级别<TAB>建议<TAB>说明" lines ('#'
// comments allowed). Errors name the line.
func ParseTermsTSV(data []byte) ([]Term, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, apperr.Rule("文件不是 UTF-8 编码，请另存为 UTF-8 后再导入")
	}
	var out []Term
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		for len(f) < 5 {
			f = append(f, "")
		}
		t := Term{Term: f[0], Category: strings.TrimSpace(f[1]), Suggest: f[3], Note: f[4]}
		if s := strings.TrimSpace(f[2]); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, apperr.Rule(fmt.Sprintf("第 %d 行：级别“%s”不是数字", n+1, s))
			}
			t.Severity = v
		} else {
			t.Severity = SevHint
		}
		if err := t.Validate(); err != nil {
			return nil, apperr.Within(fmt.Sprintf("第 %d 行", n+1), err)
		}
		out = append(out, t)
	}
	return out, nil
}

// FormatTermsTSV writes terms in the format ParseTermsTSV reads.
func FormatTermsTSV(terms []Term) []byte {
	var b bytes.Buffer
	b.WriteString("# 词\t类别\t级别（1提示 2阻断）\t建议\t说明\n")
	for _, t := range terms {
		fmt.Fprintf(&b, "%s\t%s\t%d\t%s\t%s\n", t.Term, t.Category, t.Severity, t.Suggest, t.Note)
	}
	return b.Bytes()
}

// DefaultTerms returns the built-in lexicon.
func DefaultTerms() []Term { return slices.Clone(defaultTerms()) }

var defaultTerms = sync.OnceValue(func() []Term {
	var out []Term
	names, _ := fs.Glob(lexiconFS, "lexicon/*.tsv")
	sort.Strings(names)
	for _, name := range names {
		data, err := lexiconFS.ReadFile(name)
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		ts, err := ParseTermsTSV(data)
		if err != nil {
			panic(fmt.Sprintf("built-in lexicon %s: %v", name, err))
		}
		for i := range ts {
			ts[i].BuiltIn = true
		}
		out = append(out, ts...)
	}
	return out
})

// Finding is one problem found in a text. Offsets are into the screened
// text: bytes for slicing, characters for display.
type Finding struct {
	Start, End         int
	RuneStart, RuneEnd int
	Text               string // as it appears (may include the noise that split it)
	Category           string
	Severity           int
	Term               string // the lexicon entry
	Suggest            string
	Note               string
}

// Blocking reports whether the finding blocks submission.
func (f Finding) Blocking() bool { return f.Severity >= SevBlock }

// FirstSuggest is the replacement offered by one-click replace.
func (f Finding) FirstSuggest() string { return strings.Split(f.Suggest, "|")[0] }

// Screener checks texts against a lexicon plus rules for punctuation,
// numbers and dates. It is immutable and safe for concurrent use.
type Screener struct {
	terms []Term
	// long terms (3+ characters) match across up to 2 noise characters
	// (spaces, punctuation: 法 轮·功); 2-character terms match exactly,
	// since across punctuation they would hit unrelated neighbours.
	long, short *textscan.Matcher
	disabled    map[string]bool // built-in terms a unit switched off (exceptions of the same text)
}

// NewScreener compiles the built-in lexicon plus a unit's terms. A unit's
// 例外 entry with the same text as a built-in term switches that term off.
func NewScreener(unitTerms []Term) (*Screener, error) {
	return newScreener(append(DefaultTerms(), unitTerms...))
}

var defaultScreener = sync.OnceValues(func() (*Screener, error) { return newScreener(DefaultTerms()) })

// DefaultScreener is the built-in lexicon alone, compiled once.
func DefaultScreener() *Screener {
	s, err := defaultScreener()
	if err != nil {
		panic(err) // the embedded lexicon compiles in tests
	}
	return s
}

func newScreener(terms []Term) (*Screener, error) {
	s := &Screener{terms: terms, disabled: map[string]bool{}}
	var long, short []textscan.Pattern
	for i, t := range terms {
		if t.Category == CatException && !t.BuiltIn {
			s.disabled[t.Term] = true
		}
		p := textscan.Pattern{ID: i, Text: t.Term, Category: t.Category, Severity: t.Severity}
		if utf8.RuneCountInString(t.Term) >= 3 {
			long = append(long, p)
		} else {
			short = append(short, p)
		}
	}
	var err error
	if s.long, err = textscan.Compile(long, textscan.Options{FoldWidth: true, TradToSimp: true, MaxGap: 2}); err != nil {
		return nil, fmt.Errorf("compile lexicon: %w", err)
	}
	if s.short, err = textscan.Compile(short, textscan.Options{FoldWidth: true, TradToSimp: true}); err != nil {
		return nil, fmt.Errorf("compile lexicon: %w", err)
	}
	return s, nil
}

// Terms returns the number of lexicon entries.
func (s *Screener) Terms() int { return len(s.terms) }

// Screen returns every finding in text, ordered by position.
func (s *Screener) Screen(text string) []Finding {
	var out []Finding
	var exc [][2]int
	var buf [64]textscan.Match
	for _, m := range []*textscan.Matcher{s.long, s.short} {
		for _, x := range m.AppendMatches(buf[:0], text, textscan.LeftmostLongest) {
			t := s.terms[m.Pattern(x.Pattern).ID]
			if t.Category == CatException {
				exc = append(exc, [2]int{x.Start, x.End})
				continue
			}
			if s.disabled[t.Term] && t.BuiltIn {
				continue
			}
			out = append(out, Finding{Start: x.Start, End: x.End, RuneStart: x.RuneStart, RuneEnd: x.RuneEnd,
				Text: text[x.Start:x.End], Category: t.Category, Severity: t.Severity, Term: t.Term, Suggest: t.Suggest, Note: t.Note})
		}
	}
	// A short term inside a long one (or inside an exception) is dropped:
	// the long match is what a reader sees.
	out = dropCovered(out, exc)
	out = append(out, punctuation(text)...)
	out = append(out, numbers(text)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func dropCovered(fs []Finding, exc [][2]int) []Finding {
	// Sort by start, longer first; then a finding is inside a longer one
	// exactly when an earlier finding reaches at least as far and is not the
	// same span (equal spans are the same words in two lists: both kept).
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Start != fs[j].Start {
			return fs[i].Start < fs[j].Start
		}
		return fs[i].End > fs[j].End
	})
	out := fs[:0]
	maxEnd, maxStart := -1, -1
	for _, f := range fs {
		covered := maxEnd >= f.End && (maxStart != f.Start || maxEnd != f.End)
		for _, e := range exc {
			if f.Start < e[1] && e[0] < f.End {
				covered = true
			}
		}
		if f.End > maxEnd {
			maxEnd, maxStart = f.End, f.Start
		}
		if !covered {
			out = append(out, f)
		}
	}
	return out
}

// BlockingTerms lists the distinct terms of blocking findings in the title
// and text.
func (s *Screener) BlockingTerms(title, text string) []string {
	var out []string
	for _, t := range []string{title, text} {
		for _, f := range s.Screen(t) {
			if f.Blocking() && !slices.Contains(out, f.Term) {
				out = append(out, f.Term)
			}
		}
	}
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

var fullWidth = map[rune]string{',': "，", ';': "；", ':': "：", '?': "？", '!': "！", '(': "（", ')': "）"}

// punctuation flags half-width punctuation next to Chinese characters
// (GB/T 15834-2011 wants full-width) and unpaired quotes and brackets.
func punctuation(text string) []Finding {
	var out []Finding
	type open struct {
		r          rune
		start, pos int
	}
	var stack []open
	pairs := map[rune]rune{'”': '“', '’': '‘', '）': '（', '》': '《', '】': '【', ')': '('}
	var prev rune
	pos := 0
	for i, r := range text {
		if r < utf8.RuneSelf && strings.IndexByte(",;:?!()", byte(r)) >= 0 {
			next, _ := utf8.DecodeRuneInString(text[i+1:])
			if (isHan(prev) || isHan(next)) && !(r == ':' && unicode.IsDigit(prev) && unicode.IsDigit(next)) {
				out = append(out, Finding{Start: i, End: i + 1, RuneStart: pos, RuneEnd: pos + 1, Text: string(r), Category: CatPunct,
					Severity: SevHint, Term: string(r), Suggest: fullWidth[r], Note: "中文文本应使用全角标点（GB/T 15834-2011）"})
			}
		}
		switch r {
		case '“', '‘', '（', '《', '【', '(':
			stack = append(stack, open{r, i, pos})
		case '”', '’', '）', '》', '】', ')':
			if len(stack) > 0 && stack[len(stack)-1].r == pairs[r] {
				stack = stack[:len(stack)-1]
			} else {
				out = append(out, Finding{Start: i, End: i + utf8.RuneLen(r), RuneStart: pos, RuneEnd: pos + 1, Text: string(r),
					Category: CatPunct, Severity: SevHint, Term: string(r), Note: "缺少与之配对的" + string(pairs[r])})
			}
		case '\n':
			// quotes may span paragraphs in Chinese usage; brackets may not
		}
		prev = r
		pos++
	}
	for _, o := range stack {
		out = append(out, Finding{Start: o.start, End: o.start + utf8.RuneLen(o.r), RuneStart: o.pos, RuneEnd: o.pos + 1,
			Text: string(o.r), Category: CatPunct, Severity: SevHint, Term: string(o.r), Note: "没有配对的后引号或后括号"})
	}
	return out
}

var (
	dotDate   = regexp.MustCompile(`(?:19|20)\d{2}[./-](?:1[0-2]|0?[1-9])[./-](?:3[01]|[12]\d|0?[1-9])`)
	zeroMonth = regexp.MustCompile(`(?:19|20)\d{2}年0[1-9]月`)
	zeroDay   = regexp.MustCompile(`(?:[^\d]|^)(0[1-9])日`)
	hanYear   = regexp.MustCompile(`[〇零一二三四五六七八九]{4}年`)
	arabYear  = regexp.MustCompile(`(?:19|20)\d{2}年`)
)

// numbers flags dates written as 2023.6.30 or 2023-06-30 (公文 uses
// 2023年6月30日), months with a leading zero, and years written both in
// Chinese numerals and in Arabic numerals in the same text.
func numbers(text string) []Finding {
	var out []Finding
	add := func(s, e int, suggest, note string) {
		out = append(out, Finding{Start: s, End: e, RuneStart: utf8.RuneCountInString(text[:s]), RuneEnd: utf8.RuneCountInString(text[:e]),
			Text: text[s:e], Category: CatNumber, Severity: SevHint, Term: text[s:e], Suggest: suggest, Note: note})
	}
	// The regular expressions run only where a cheap test says they can
	// match: most drafts have no such dates at all.
	if hasDotDate(text) {
		for _, m := range dotDate.FindAllStringIndex(text, -1) {
			parts := strings.FieldsFunc(text[m[0]:m[1]], func(r rune) bool { return r == '.' || r == '/' || r == '-' })
			y, _ := strconv.Atoi(parts[0])
			mo, _ := strconv.Atoi(parts[1])
			d, _ := strconv.Atoi(parts[2])
			add(m[0], m[1], fmt.Sprintf("%d年%d月%d日", y, mo, d), "公文中日期写作 2023年6月30日")
		}
	}
	if containsZeroDay(text) {
		for _, m := range zeroDay.FindAllStringSubmatchIndex(text, -1) {
			add(m[2], m[3]+len("日"), strings.TrimPrefix(text[m[2]:m[3]], "0")+"日", "日期不加前导零")
		}
	}
	if strings.Contains(text, "年0") {
		for _, m := range zeroMonth.FindAllStringIndex(text, -1) {
			s := text[m[0]:m[1]]
			add(m[0], m[1], strings.Replace(s, "年0", "年", 1), "月份不加前导零")
		}
	}
	if (strings.Contains(text, "〇") || strings.Contains(text, "零")) && arabYear.MatchString(text) {
		for _, m := range hanYear.FindAllStringIndex(text, -1) {
			add(m[0], m[1], "", "同一文中年份写法不一致：其他地方用阿拉伯数字")
		}
	}
	return out
}

// hasDotDate reports whether text has a run of four ASCII digits starting
// with 19 or 20 followed by '.', '/' or '-': the only place dotDate matches.
func hasDotDate(text string) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			run++
		case run >= 4 && (c == '.' || c == '/' || c == '-'):
			if y := text[i-4 : i-2]; y == "19" || y == "20" {
				return true
			}
			run = 0
		default:
			run = 0
		}
	}
	return false
}

// containsZeroDay reports whether "0d日" (d = 1…9) occurs.
func containsZeroDay(text string) bool {
	for i := strings.Index(text, "日"); i >= 2; {
		if text[i-2] == '0' && text[i-1] >= '1' && text[i-1] <= '9' {
			return true
		}
		j := strings.Index(text[i+len("日"):], "日")
		if j < 0 {
			return false
		}
		i += len("日") + j
	}
	return false
}
