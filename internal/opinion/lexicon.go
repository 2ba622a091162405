package opinion

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/textscan"
)

// TermKind says what a lexicon term does when it occurs in a text.
type TermKind uint8

const (
	// Negative and Positive terms carry sentiment with their weight.
	Negative TermKind = iota + 1
	Positive
	// Negation words (不, 没有, 并非…) flip the next sentiment term of the
	// same clause.
	Negation
	// Degree words (非常, 有点…) multiply the next sentiment term of the
	// same clause by their weight.
	Degree
	// Contrast words (但是, 不过…) scale the sentiment counted before them
	// by 0.75: in "环境不错，但是服务太差" the second half weighs more.
	Contrast
	// Neutral terms carry nothing; they exist to stop a shorter term inside
	// them from matching (好像 keeps 好 from counting).
	Neutral
)

var kindNames = []struct {
	kind  TermKind
	names []string
}{
	{Negative, []string{"负面", "negative", "neg"}},
	{Positive, []string{"正面", "positive", "pos"}},
	{Negation, []string{"否定", "negation", "not"}},
	{Degree, []string{"程度", "degree", "deg"}},
	{Contrast, []string{"转折", "contrast", "but"}},
	{Neutral, []string{"中性", "neutral", "neu"}},
}

// String returns the kind's Chinese name as lexicon files write it.
func (k TermKind) String() string {
	for _, kn := range kindNames {
		if kn.kind == k {
			return kn.names[0]
		}
	}
	return "未知"
}

// Term is one lexicon entry. Weight is the sentiment of a Negative or
// Positive term (1 ordinary, 2 strong) or the multiplier of a Degree word;
// it is ignored for the other kinds.
type Term struct {
	Text   string
	Kind   TermKind
	Weight float64
}

// Limits on a lexicon file a unit uploads.
const (
	MaxLexiconTerms = 50_000
	maxTermRunes    = 20
	maxLexiconLine  = 4096
)

// Scoring constants; see Score.
const (
	// modifierReach is how many characters may stand between a negation
	// or degree word and the sentiment term it modifies ("不太满意" 0,
	// "不是很满意" 1).
	modifierReach = 4
	// negatedNegative is what is left of a negated negative term, counted
	// as positive: "不贵" is mildly good, not as good as "便宜".
	negatedNegative = 0.6
	// contrastDamp scales what was counted before a contrast word.
	contrastDamp = 0.75
	// scoreSmoothing keeps a single weak term from scoring ±1.
	scoreSmoothing = 1.0
	// danglingNegation is the negative weight of a negation word that
	// negates no sentiment term before its clause ends.
	danglingNegation = 0.5
	// questionWeight is the negative weight of a text that asks questions.
	questionWeight = 0.5
)

// Lexicon scores texts for negativity. It is immutable and safe for
// concurrent use.
type Lexicon struct {
	Name    string // 名称
	Licence string // 许可: where the terms come from and under which licence
	terms   []Term
	m       *textscan.Matcher
}

// Sentiment is the result of scoring one text.
type Sentiment struct {
	// Score runs from −1 (only negative terms) to 1 (only positive):
	// (positive − negative) / (positive + negative + 1), where each side
	// sums the weights of its terms after negation and degree words.
	Score float64
	// Negative is Score < 0.
	Negative bool
	// Terms are the passages that counted as negative, as they stand in
	// the text (a negated positive term with its negation: "不满意").
	Terms []string
}

// NewLexicon compiles terms into a lexicon. Terms must be non-empty,
// distinct and of a known kind; weights of sentiment and degree terms must
// be positive.
func NewLexicon(name, licence string, terms []Term) (*Lexicon, error) {
	if len(terms) > MaxLexiconTerms {
		return nil, apperr.Field("词表", fmt.Sprintf("词条不能超过 %d 条", MaxLexiconTerms))
	}
	ps := make([]textscan.Pattern, len(terms))
	for i, t := range terms {
		ps[i] = textscan.Pattern{ID: i, Text: t.Text}
	}
	m, err := textscan.Compile(ps, lexiconOptions)
	if err != nil {
		return nil, fmt.Errorf("compile lexicon: %w", err)
	}
	return &Lexicon{Name: name, Licence: licence, terms: terms, m: m}, nil
}

var lexiconOptions = textscan.Options{FoldWidth: true, FoldCase: true, TradToSimp: true, FoldLookalike: true}

// Combine returns a lexicon with the terms of base and of unit, a unit's
// own lexicon adding to (and, for the same term, overriding) the seed
// lexicon. Name and licence name both sources.
func Combine(base, unit *Lexicon) (*Lexicon, error) {
	at := map[string]int{}
	var terms []Term
	for _, l := range []*Lexicon{base, unit} {
		for _, t := range l.terms {
			if i, ok := at[t.Text]; ok {
				terms[i] = t
				continue
			}
			at[t.Text] = len(terms)
			terms = append(terms, t)
		}
	}
	return NewLexicon(base.Name+"＋"+unit.Name, base.Licence+"；"+unit.Licence, terms)
}

// Terms returns the lexicon's terms (do not modify).
func (l *Lexicon) Terms() []Term { return l.terms }

//go:embed lexicon_seed.txt
var seedLexicon string

var defaultLexicon = sync.OnceValues(func() (*Lexicon, error) {
	return ParseLexicon(strings.NewReader(seedLexicon))
})

// DefaultLexicon returns the project's seed lexicon (lexicon_seed.txt),
// parsed once and shared.
func DefaultLexicon() *Lexicon {
	l, err := defaultLexicon()
	if err != nil {
		panic("opinion: embedded seed lexicon: " + err.Error()) // a test keeps it parseable
	}
	return l
}

// ParseLexicon reads a lexicon file: UTF-8 text, one term per line as
// "类型<TAB>词<TAB>权重" (the weight may be left out and defaults to 1),
// with the kinds 负面, 正面, 否定, 程度, 转折, 中性 (or negative, positive,
// negation, degree, contrast, neutral), blank lines and lines starting with
// # ignored, and two header lines "名称<TAB>…" and "许可<TAB>…". The 许可
// (licence) line is required: a unit may only load a lexicon whose origin
// and licence it can state. Errors name the line: "第 3 行：权重：应为正数".
func ParseLexicon(r io.Reader) (*Lexicon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLexiconLine)
	var (
		name, licence string
		terms         []Term
		errs          apperr.Errors
		seen          = map[string]int{}
	)
	row := 0
	for sc.Scan() {
		row++
		line := strings.TrimRight(sc.Text(), "\r")
		if row == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		where := fmt.Sprintf("第 %d 行", row)
		if !utf8.ValidString(line) {
			errs = append(errs, apperr.Field(where, "不是 UTF-8 编码"))
			continue
		}
		cols := strings.Split(line, "\t")
		head := strings.TrimSpace(cols[0])
		switch head {
		case "名称", "name":
			name = strings.TrimSpace(strings.Join(cols[1:], " "))
			continue
		case "许可", "licence", "license":
			licence = strings.TrimSpace(strings.Join(cols[1:], " "))
			continue
		}
		kind := TermKind(0)
		for _, kn := range kindNames {
			for _, n := range kn.names {
				if strings.EqualFold(head, n) {
					kind = kn.kind
				}
			}
		}
		if kind == 0 {
			errs = append(errs, apperr.Field(where, "类型应为负面、正面、否定、程度、转折或中性，各列之间用制表符分隔"))
			continue
		}
		if len(cols) < 2 || strings.TrimSpace(cols[1]) == "" {
			errs = append(errs, apperr.Field(where, "缺少词"))
			continue
		}
		text := strings.TrimSpace(cols[1])
		if utf8.RuneCountInString(text) > maxTermRunes {
			errs = append(errs, apperr.Field(where, fmt.Sprintf("词“%s”超过 %d 个字", text, maxTermRunes)))
			continue
		}
		weight := 1.0
		if len(cols) >= 3 && strings.TrimSpace(cols[2]) != "" {
			w, err := strconv.ParseFloat(strings.TrimSpace(cols[2]), 64)
			if err != nil || !(w > 0) || w > 100 || math.IsInf(w, 0) {
				errs = append(errs, apperr.Field(where, "权重应为 0 到 100 之间的正数"))
				continue
			}
			weight = w
		}
		if first, dup := seen[text]; dup {
			errs = append(errs, apperr.Field(where, fmt.Sprintf("词“%s”与第 %d 行重复", text, first)))
			continue
		}
		seen[text] = row
		terms = append(terms, Term{Text: text, Kind: kind, Weight: weight})
		if len(terms) > MaxLexiconTerms {
			return nil, apperr.Field("词表", fmt.Sprintf("词条不能超过 %d 条", MaxLexiconTerms))
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, apperr.Field(fmt.Sprintf("第 %d 行", row+1), "过长")
		}
		return nil, fmt.Errorf("read lexicon: %w", err)
	}
	if licence == "" {
		errs = append(errs, apperr.Field("许可", "请在词表中写明来源与许可（一行“许可<制表符>……”）"))
	}
	if len(terms) == 0 && len(errs) == 0 {
		errs = append(errs, apperr.Field("词表", "没有词条"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return NewLexicon(name, licence, terms)
}

// Score scores text. Sentiment terms are found leftmost-longest (so 不错
// wins over 不, 好像 over 好). Within a clause (text between clause
// punctuation), negation and degree words apply to the next sentiment
// term at most modifierReach characters after them: an odd number of
// negations turns a positive term negative with its full weight and a
// negative term positive with negatedNegative of it; degree words
// multiply; a one-character positive term right before another sentiment
// term intensifies it (好慢); a negation that negates nothing before its
// clause ends counts danglingNegation (勺子都没有); a text that asks
// questions counts questionWeight. A contrast word scales what was
// counted before it by contrastDamp (0.75: on the tuning half of the
// reviews 0.5 did worse and 1 slightly better; the rule stays for what 但是
// means in complaints).
func (l *Lexicon) Score(text string) Sentiment {
	var (
		pos, neg  float64
		negations int
		degree    = 1.0
		modStart  = -1 // byte offset where the pending modifiers begin
		modEnd    = -1 // rune offset where the last pending modifier ends
		prevEnd   = 0  // byte offset of the end of the previous match
		out       Sentiment
	)
	// A negation with nothing to negate before the clause ends complains
	// of an absence ("勺子都没有", "不是百度吗"): a little negative.
	reset := func() {
		if negations%2 == 1 && degree == 1 {
			neg += danglingNegation
		}
		negations, degree, modStart, modEnd = 0, 1, -1, -1
	}
	ms := l.m.FindAll(text, textscan.LeftmostLongest)
	for i, m := range ms {
		if clauseBreak(text[prevEnd:m.Start]) || modEnd >= 0 && m.RuneStart-modEnd > modifierReach {
			reset()
		}
		prevEnd = m.End
		t := l.terms[m.Pattern]
		if t.Kind == Positive && m.RuneEnd-m.RuneStart == 1 && i+1 < len(ms) && ms[i+1].Start == m.End &&
			(l.terms[ms[i+1].Pattern].Kind == Negative || l.terms[ms[i+1].Pattern].Kind == Positive) {
			// A one-character positive term right before another sentiment
			// term is an intensifier: 好慢, 好贵, 真香.
			t = Term{Text: t.Text, Kind: Degree, Weight: 1.5}
		}
		switch t.Kind {
		case Negation, Degree:
			if modStart < 0 {
				modStart = m.Start
			}
			modEnd = m.RuneEnd
			if t.Kind == Negation {
				negations++
			} else {
				degree *= t.Weight
			}
			continue
		case Contrast:
			pos *= contrastDamp
			neg *= contrastDamp
		case Positive, Negative:
			w := t.Weight * degree
			negative := t.Kind == Negative
			if negations%2 == 1 {
				negative = !negative
				if t.Kind == Negative {
					w *= negatedNegative
				}
			}
			if negative {
				neg += w
				from := m.Start
				if modStart >= 0 {
					from = modStart
				}
				out.Terms = appendUnique(out.Terms, text[from:m.End])
			} else {
				pos += w
			}
		}
		reset()
	}
	reset()
	if q := strings.Count(text, "？") + strings.Count(text, "?"); q > 0 {
		// Questions in public complaints are mostly rhetorical (凭什么？
		// 谁来管？): a little negative, however many there are.
		neg += questionWeight
	}
	out.Score = (pos - neg) / (pos + neg + scoreSmoothing)
	out.Negative = out.Score < 0
	return out
}

// clauseBreak reports whether s holds clause punctuation, which ends the
// reach of negation and degree words.
func clauseBreak(s string) bool {
	return strings.ContainsAny(s, "，。！？；：,.!?;:\n…")
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
