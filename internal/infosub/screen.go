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
//
// What a match may skip, per category (ScreenOptions):
//   - 敏感词 of 3+ characters: up to 2 noise characters between two of its
//     characters, any noise (spaces, punctuation of every kind, symbols,
//     emoji, zero-width characters), since people who write them hide them:
//     法 轮·功, 法，轮，功. Across clause punctuation, quotation marks or
//     book-title marks only when every gap is filled: 法，轮，功 is evasion,
//     基地，组织 and 英国《金融时报》 are ordinary text (joinsAcrossClause).
//   - 规范表述, 禁用词, 易错词, 过时称谓 (and 例外) of 3+ characters: up to 2
//     noise characters, but never clause punctuation (，。、；：？！ and their
//     half-width forms): a wording or title problem is inside one clause,
//     and "加强生态环境保护，部署" is not 环境保护部.
//   - Terms of 1–2 characters: nothing; across any noise they would hit
//     unrelated neighbours.
//
// Every category folds full-width to half-width, traditional to simplified
// and look-alike characters (Kangxi radicals, CJK radicals supplement, CJK
// compatibility ideographs) to the ideograph they stand for, with offsets
// into the original text.
type Screener struct {
	terms []Term
	sens  *textscan.Matcher // 敏感词, 3+ characters
	word  *textscan.Matcher // other categories, 3+ characters
	short *textscan.Matcher // 1–2 characters, every category
	// disabled holds built-in terms a unit switched off (例外 of the same text).
	disabled map[string]bool
	// scope of each 例外 entry (by term index): the terms it exempts; nil
	// exempts every finding it overlaps.
	scope map[int]map[string]bool
	// oldSensitiveGaps keeps sensitive matches across clause marks
	// however they join (the rule before issue 13; tests measure it).
	oldSensitiveGaps bool
}

// ClauseBarriers are the clause punctuation marks that a wording or title
// match may not span (see Screener).
const ClauseBarriers = "，。、；：？！,.;:?!"

// Match options per category group (see Screener).
var (
	optSensitive = textscan.Options{FoldWidth: true, TradToSimp: true, FoldLookalike: true, MaxGap: 2}
	optWording   = textscan.Options{FoldWidth: true, TradToSimp: true, FoldLookalike: true, MaxGap: 2, Barriers: ClauseBarriers}
	optExact     = textscan.Options{FoldWidth: true, TradToSimp: true, FoldLookalike: true}
)

// NewScreener compiles the built-in lexicon plus a unit's terms. A unit's
// 例外 entry with the same text as a built-in term switches that term off.
// An 例外 entry whose 建议 column names terms (separated by |) exempts only
// findings of those terms inside it (农业部署 exempts 农业部); one with an
// empty 建议 exempts every finding it overlaps.
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
	return newScreenerWith(terms, optSensitive, optWording, optExact)
}

// newScreenerWith compiles with the given options for 敏感词 of 3+
// characters, other terms of 3+ characters, and short terms (tests
// measure the rules of earlier versions with it).
func newScreenerWith(terms []Term, sensOpt, wordOpt, shortOpt textscan.Options) (*Screener, error) {
	s := &Screener{terms: terms, disabled: map[string]bool{}, scope: map[int]map[string]bool{}}
	var sens, word, short []textscan.Pattern
	for i, t := range terms {
		if t.Category == CatException {
			if !t.BuiltIn {
				s.disabled[t.Term] = true
			}
			if t.Suggest != "" {
				sc := map[string]bool{}
				for _, x := range strings.Split(t.Suggest, "|") {
					sc[strings.TrimSpace(x)] = true
				}
				s.scope[i] = sc
			}
		}
		p := textscan.Pattern{ID: i, Text: t.Term, Category: t.Category, Severity: t.Severity}
		switch {
		case utf8.RuneCountInString(t.Term) < 3:
			short = append(short, p)
		case t.Category == CatException:
			// An exception must compete with the terms it covers in
			// the same leftmost-longest scan.
			sens = append(sens, p)
			word = append(word, p)
		case t.Category == CatSensitive:
			sens = append(sens, p)
		default:
			word = append(word, p)
		}
	}
	var err error
	if s.sens, err = textscan.Compile(sens, sensOpt); err != nil {
		return nil, fmt.Errorf("compile sensitive lexicon: %w", err)
	}
	if s.word, err = textscan.Compile(word, wordOpt); err != nil {
		return nil, fmt.Errorf("compile wording lexicon: %w", err)
	}
	if s.short, err = textscan.Compile(short, shortOpt); err != nil {
		return nil, fmt.Errorf("compile short terms: %w", err)
	}
	return s, nil
}

// Terms returns the number of lexicon entries.
func (s *Screener) Terms() int { return len(s.terms) }

// Screen returns every finding in text, ordered by position.
func (s *Screener) Screen(text string) []Finding {
	var out []Finding
	var exc []exception
	var buf [64]textscan.Match
	for _, m := range []*textscan.Matcher{s.sens, s.word, s.short} {
		for _, x := range m.AppendMatches(buf[:0], text, textscan.LeftmostLongest) {
			id := m.Pattern(x.Pattern).ID
			t := s.terms[id]
			if t.Category == CatException {
				exc = append(exc, exception{x.Start, x.End, s.scope[id]})
				continue
			}
			if s.disabled[t.Term] && t.BuiltIn {
				continue
			}
			if t.Category == CatSensitive && !s.oldSensitiveGaps && joinsAcrossClause(text[x.Start:x.End]) {
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
	out = append(out, fullWidthAlnum(text)...)
	// slices, not sort: sort.SliceStable swaps the large Finding values
	// through reflection, a tenth of screening time with hundreds of
	// findings.
	slices.SortStableFunc(out, func(a, b Finding) int { return a.Start - b.Start })
	return out
}

// clauseMarks are the marks that end a clause or enclose a quotation or a
// title: a sensitive term found across one of them is an evasion only when
// every gap of the term is filled (法，轮，功), not when two of its
// characters stand together as part of the text around it (基地，组织,
// 英国《金融时报》, 军事、社会).
const clauseMarks = "，。、；：？！,.;:?!“”‘’\"'《》〈〉「」『』（）()"

// joinsAcrossClause reports whether a match (its original text, noise
// included) crosses a clause mark while two of its characters are
// adjacent.
func joinsAcrossClause(m string) bool {
	if !strings.ContainsAny(m, clauseMarks) {
		return false
	}
	prevContent := false
	for _, r := range m {
		content := !textscan.IsNoise(r)
		if content && prevContent {
			return true
		}
		prevContent = content
	}
	return false
}

// exception is a matched 例外 entry: its span and the terms it exempts
// (nil: all).
type exception struct {
	start, end int
	terms      map[string]bool
}

func dropCovered(fs []Finding, exc []exception) []Finding {
	// Sort by start, longer first; then a finding is inside a longer one
	// exactly when an earlier finding reaches at least as far and is not the
	// same span (equal spans are the same words in two lists: both kept).
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := fs[:0]
	maxEnd, maxStart := -1, -1
	for _, f := range fs {
		covered := maxEnd >= f.End && (maxStart != f.Start || maxEnd != f.End)
		for _, e := range exc {
			if f.Start < e.end && e.start < f.End && (e.terms == nil || e.terms[f.Term]) {
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

// fullWidth maps the half-width marks that Chinese text writes full-width
// (GB/T 15834-2011) to their full-width forms; quotes are chosen by
// position (see punctuation).
var fullWidth = map[rune]string{',': "，", ';': "；", ':': "：", '?': "？", '!': "！", '(': "（", ')': "）", '.': "。"}

// isCJKContext reports whether r makes a neighbouring half-width mark
// Chinese punctuation: an ideograph, or Chinese (full-width) punctuation.
func isCJKContext(r rune) bool {
	return isHan(r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF0F || r >= 0xFF1A && r <= 0xFF20 ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// urlOrMail finds web addresses and e-mail addresses, whose dots, colons
// and slashes are not punctuation.
var urlOrMail = regexp.MustCompile(`(?i)(?:\b(?:https?|ftp)://|\bwww\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)

// punctuation flags every half-width mark (. , ; : ? ! " ' ( )) next to
// Chinese text with its full-width replacement (GB/T 15834-2011), and
// unpaired quotes and brackets. Not flagged: marks inside numbers and
// times (3.14, 1,000, 12:30), after a list number (1.), inside web and
// e-mail addresses, and in Latin text (both neighbours not Chinese).
func punctuation(text string) []Finding {
	var out []Finding
	type open struct {
		r          rune
		start, pos int
	}
	var stack []open
	pairs := map[rune]rune{'”': '“', '’': '‘', '）': '（', '》': '《', '】': '【', ')': '('}
	var skip [][]int
	if strings.Contains(text, "://") || strings.Contains(text, "www.") || strings.Contains(text, "@") {
		skip = urlOrMail.FindAllStringIndex(text, -1)
		for _, sp := range skip {
			// A mark right after an address ends the sentence, as
			// link detectors assume: "见https://a.cn/x,请".
			for sp[1] > sp[0] && strings.IndexByte(".,;:!?)'\"", text[sp[1]-1]) >= 0 {
				sp[1]--
			}
		}
	}
	inSkip := func(i int) bool {
		for _, sp := range skip {
			if sp[0] <= i && i < sp[1] {
				return true
			}
		}
		return false
	}
	// neighbour returns the nearest rune before i (dir -1) or after the
	// mark at [i, j) (dir +1), skipping ASCII spaces; 0 at either end.
	neighbour := func(i, j, dir int) rune {
		if dir < 0 {
			for k := i; k > 0; {
				r, w := utf8.DecodeLastRuneInString(text[:k])
				if r != ' ' {
					return r
				}
				k -= w
			}
			return 0
		}
		for k := j; k < len(text); {
			r, w := utf8.DecodeRuneInString(text[k:])
			if r != ' ' {
				return r
			}
			k += w
		}
		return 0
	}
	quoteOpen := map[rune]bool{}
	pos := 0
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r < utf8.RuneSelf && strings.IndexByte(`.,;:?!"'()`, byte(r)) >= 0 && !inSkip(i) {
			j := i + 1
			if r == '.' {
				for j < len(text) && text[j] == '.' {
					j++
				}
			}
			prev, next := neighbour(i, j, -1), neighbour(i, j, +1)
			number := isASCIIDigit(prev) && (isASCIIDigit(next) || r == '.' && j == i+1)
			if (isCJKContext(prev) || isCJKContext(next)) && !number {
				sug, note := fullWidth[r], "中文文本应使用全角标点（GB/T 15834-2011）"
				switch {
				case r == '.' && j-i >= 2:
					sug, note = "……", "省略号应为“……”（GB/T 15834-2011）"
				case r == '"' || r == '\'':
					o, c := "“", "”"
					if r == '\'' {
						o, c = "‘", "’"
					}
					if quoteOpen[r] {
						sug = c
						// It closes a full-width opening quote.
						if n := len(stack); n > 0 && string(stack[n-1].r) == o {
							stack = stack[:n-1]
						}
					} else {
						sug = o
					}
					quoteOpen[r] = !quoteOpen[r]
					note = "中文文本应使用全角引号（GB/T 15834-2011）"
				}
				out = append(out, Finding{Start: i, End: j, RuneStart: pos, RuneEnd: pos + (j - i), Text: text[i:j], Category: CatPunct,
					Severity: SevHint, Term: text[i:j], Suggest: sug, Note: note})
			}
			if j > i+1 {
				pos += j - i
				i = j
				continue
			}
		}
		// Full-width quotes set the state that a half-width one after them
		// continues: after “ a '"' closes (so that replacing all opening
		// quotes first leaves the closing ones closing).
		switch r {
		case '“':
			quoteOpen['"'] = true
		case '”':
			quoteOpen['"'] = false
		case '‘':
			quoteOpen['\''] = true
		case '’':
			quoteOpen['\''] = false
		}
		switch r {
		case '“', '‘', '（', '《', '【', '(':
			stack = append(stack, open{r, i, pos})
		case '”', '’', '）', '》', '】', ')':
			if len(stack) > 0 && stack[len(stack)-1].r == pairs[r] {
				stack = stack[:len(stack)-1]
			} else {
				out = append(out, Finding{Start: i, End: i + w, RuneStart: pos, RuneEnd: pos + 1, Text: string(r),
					Category: CatPunct, Severity: SevHint, Term: string(r), Note: "缺少与之配对的" + string(pairs[r])})
			}
		}
		i += w
		pos++
	}
	for _, o := range stack {
		out = append(out, Finding{Start: o.start, End: o.start + utf8.RuneLen(o.r), RuneStart: o.pos, RuneEnd: o.pos + 1,
			Text: string(o.r), Category: CatPunct, Severity: SevHint, Term: string(o.r), Note: "没有配对的后引号或后括号"})
	}
	return out
}

// isFullWidthAlnum reports whether r is a full-width digit or Latin letter.
func isFullWidthAlnum(r rune) bool {
	return r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// fullWidthAlnum flags runs of full-width digits and Latin letters
// (１２３, ＡＢＣ): GB/T 15835-2011 writes Arabic numerals half-width, and
// Latin letters in Chinese text are half-width too. A full-width point
// between full-width digits (１２．５) belongs to the run.
func fullWidthAlnum(text string) []Finding {
	var out []Finding
	pos := 0
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !isFullWidthAlnum(r) {
			i += w
			pos++
			continue
		}
		start, rstart := i, pos
		var b strings.Builder
		digits := true
		for i < len(text) {
			r, w := utf8.DecodeRuneInString(text[i:])
			if r == '．' {
				if n, _ := utf8.DecodeRuneInString(text[i+w:]); !(n >= '０' && n <= '９') {
					break
				}
			} else if !isFullWidthAlnum(r) {
				break
			}
			digits = digits && (r >= '０' && r <= '９' || r == '．')
			b.WriteRune(r - 0xFEE0)
			i += w
			pos++
		}
		note := "阿拉伯数字应使用半角（GB/T 15835-2011）"
		if !digits {
			note = "数字和外文字母应使用半角（GB/T 15835-2011）"
		}
		out = append(out, Finding{Start: start, End: i, RuneStart: rstart, RuneEnd: pos, Text: text[start:i], Category: CatNumber,
			Severity: SevHint, Term: text[start:i], Suggest: b.String(), Note: note})
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
