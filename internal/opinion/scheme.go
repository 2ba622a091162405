package opinion

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/textscan"
)

// Field is the part of an item a scheme's rule is evaluated on.
type Field uint8

const (
	// FieldAll evaluates the rule on the title and the text together, as
	// one document (a term in the title and another in the text satisfy
	// "a & b").
	FieldAll Field = iota
	// FieldTitle evaluates the rule on the title only.
	FieldTitle
	// FieldText evaluates the rule on the text only.
	FieldText
)

// String returns the field scope in Chinese.
func (f Field) String() string {
	switch f {
	case FieldTitle:
		return "标题"
	case FieldText:
		return "正文"
	case FieldAll:
		return "标题和正文"
	}
	return "未知"
}

// Scheme is a monitoring scheme (监测方案): a rule in textscan's rule
// language, e.g. "(化工厂 | 化工园区) & (爆炸 | 起火 | 泄漏) & !演练",
// the fields it looks at, the sources it applies to (none listed: all)
// and the window in which it is active (zero times: open-ended). The
// window is compared with the item's When and is half-open, [From, Until).
type Scheme struct {
	ID        int64
	Name      string
	Rule      string
	Fields    Field
	SourceIDs []int64
	From      time.Time
	Until     time.Time
}

// Limits on a scheme.
const (
	MaxSchemeName = 100  // characters
	MaxSchemeRule = 2000 // characters
)

// Validate checks a scheme as a user wrote it. A rule syntax error keeps
// textscan's position: "规则：第12个字符处：缺少右括号".
func (s Scheme) Validate() error {
	return s.validate(true)
}

// validate checks the scheme; compile says whether to compile the rule
// (which finds terms of nothing but punctuation) or only parse it, for
// CompileSchemes, which compiles all rules together anyway.
func (s Scheme) validate(compile bool) error {
	var errs apperr.Errors
	name := strings.TrimSpace(s.Name)
	switch {
	case name == "":
		errs = append(errs, apperr.Field("方案名称", "不能为空"))
	case utf8.RuneCountInString(name) > MaxSchemeName:
		errs = append(errs, apperr.Field("方案名称", "不能超过 100 个字"))
	}
	switch {
	case strings.TrimSpace(s.Rule) == "":
		errs = append(errs, apperr.Field("规则", "不能为空"))
	case utf8.RuneCountInString(s.Rule) > MaxSchemeRule:
		errs = append(errs, apperr.Field("规则", "不能超过 2000 个字"))
	case !compile:
		if _, err := textscan.ParseRule(s.Rule); err != nil {
			errs = append(errs, apperr.Field("规则", ruleMessage(err)))
		}
	default:
		if _, err := textscan.CompileScheme([]string{s.Rule}, schemeOptions); err != nil {
			errs = append(errs, apperr.Field("规则", ruleMessage(err)))
		}
	}
	if s.Fields > FieldText {
		errs = append(errs, apperr.Field("检索范围", "应为标题、正文或标题和正文"))
	}
	if !s.From.IsZero() && !s.Until.IsZero() && !s.Until.After(s.From) {
		errs = append(errs, apperr.Field("结束时间", "应晚于开始时间"))
	}
	return errs.OrNil()
}

// ruleMessage returns the Chinese message of a rule error: the
// RuleError with its position, or CompileScheme's own message without the
// rule number it puts in front ("规则1：检索词……").
func ruleMessage(err error) string {
	var re *textscan.RuleError
	if errors.As(err, &re) {
		return re.Error()
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "规则"); ok {
		if i := strings.Index(rest, "："); i > 0 {
			return rest[i+len("："):]
		}
	}
	return msg
}

// Applies reports whether the scheme looks at it at all: its source is
// one of SourceIDs (or none are listed) and it.When() is in the window.
func (s Scheme) Applies(it Item) bool {
	if len(s.SourceIDs) > 0 && !slices.Contains(s.SourceIDs, it.SourceID) {
		return false
	}
	t := it.When()
	if !s.From.IsZero() && t.Before(s.From) {
		return false
	}
	if !s.Until.IsZero() && !t.Before(s.Until) {
		return false
	}
	return true
}

// schemeOptions is how scheme terms match: width, case, traditional and
// look-alike characters folded, and up to two noise characters (spaces,
// symbols) inside a term tolerated, but never across clause punctuation,
// so "化 工 厂" matches 化工厂 and "化工，厂区" does not.
var schemeOptions = textscan.Options{
	FoldWidth: true, FoldCase: true, TradToSimp: true, FoldLookalike: true,
	MaxGap: 2, Barriers: "，。、；：？！,.;:?!\n",
}

// Span is one highlighted occurrence of a scheme term: byte offsets
// [Start, End) into the item's Title (Field == FieldTitle) or Text
// (Field == FieldText).
type Span struct {
	Field      Field
	Start, End int
}

// Hit says that an item satisfies a scheme, with the occurrences of the
// scheme's terms to highlight, in field order then offset order.
type Hit struct {
	SchemeID int64
	Spans    []Span
}

// SchemeSet is a unit's schemes compiled together. It is immutable and
// safe for concurrent use.
type SchemeSet struct {
	schemes []Scheme
	groups  [3]schemeGroup // by Field
}

type schemeGroup struct {
	idx   []int // into schemes
	ts    *textscan.Scheme
	terms [][]int // per rule in the group: term indexes into ts.Terms()
	// hl finds every occurrence of the group's terms (pattern i is term
	// i), for highlighting each scheme's own terms: the scheme's
	// leftmost-longest view would let one scheme's 化工园区 hide another's 化工.
	hl *textscan.Matcher
}

// CompileSchemes compiles schemes into a set. The rules of each field
// scope form one textscan scheme, so an item is scanned at most once per
// scope (title, text, title and text) whatever the number of schemes. An
// invalid scheme fails the whole set with its name in the error.
func CompileSchemes(schemes []Scheme) (*SchemeSet, error) {
	set := &SchemeSet{schemes: slices.Clone(schemes)}
	var rules [3][]string
	for i, s := range set.schemes {
		if err := s.validate(false); err != nil {
			return nil, apperr.Within(fmt.Sprintf("方案“%s”", s.Name), err)
		}
		g := &set.groups[s.Fields]
		g.idx = append(g.idx, i)
		rules[s.Fields] = append(rules[s.Fields], s.Rule)
	}
	for f := range set.groups {
		g := &set.groups[f]
		if len(g.idx) == 0 {
			continue
		}
		ts, err := textscan.CompileScheme(rules[f], schemeOptions)
		if err != nil {
			// The rules parsed, so this names a rule ("规则3：检索词……只含标点")
			// by its number in the group.
			var n int
			if _, scanErr := fmt.Sscanf(err.Error(), "规则%d：", &n); scanErr == nil && n >= 1 && n <= len(g.idx) {
				name := set.schemes[g.idx[n-1]].Name
				return nil, apperr.Within(fmt.Sprintf("方案“%s”", name), apperr.Field("规则", ruleMessage(err)))
			}
			return nil, fmt.Errorf("compile schemes (%s): %w", Field(f), err)
		}
		g.ts = ts
		termIndex := map[string]int{}
		for i, t := range ts.Terms() {
			termIndex[t] = i
		}
		ps := make([]textscan.Pattern, len(ts.Terms()))
		for i, t := range ts.Terms() {
			ps[i] = textscan.Pattern{ID: i, Text: t}
		}
		if g.hl, err = textscan.Compile(ps, schemeOptions); err != nil {
			return nil, fmt.Errorf("compile scheme highlighting (%s): %w", Field(f), err)
		}
		g.terms = make([][]int, len(g.idx))
		for i := range g.idx {
			for _, t := range ts.Rule(i).Terms() {
				if n, ok := termIndex[t]; ok {
					g.terms[i] = append(g.terms[i], n)
				}
			}
		}
	}
	return set, nil
}

// Len returns the number of schemes.
func (s *SchemeSet) Len() int { return len(s.schemes) }

// Eval returns the schemes it satisfies, in the order they were given,
// each with the spans to highlight. Schemes that do not apply to it
// (source, window) are skipped.
func (s *SchemeSet) Eval(it Item) []Hit {
	var hits []Hit
	type found struct {
		scheme int
		spans  []Span
	}
	var all []found
	doc := ""
	for f := range s.groups {
		g := &s.groups[f]
		if g.ts == nil {
			continue
		}
		applies := false
		for _, i := range g.idx {
			if s.schemes[i].Applies(it) {
				applies = true
				break
			}
		}
		if !applies {
			continue
		}
		var text string
		switch Field(f) {
		case FieldTitle:
			text = it.Title
		case FieldText:
			text = it.Text
		default:
			if doc == "" {
				doc = it.Title + "\n" + it.Text
			}
			text = doc
		}
		matched := g.ts.Match(text)
		if len(matched) == 0 {
			continue
		}
		var occ []textscan.Match
		for _, r := range matched {
			sc := g.idx[r]
			if !s.schemes[sc].Applies(it) {
				continue
			}
			if occ == nil {
				occ = g.hl.FindAll(text, textscan.Overlapping)
				slices.SortFunc(occ, func(a, b textscan.Match) int {
					if a.Start != b.Start {
						return a.Start - b.Start
					}
					return b.End - a.End
				})
			}
			// The scheme's own terms, leftmost-longest: what a reader
			// would mark.
			var spans []Span
			end := -1
			for _, m := range occ {
				if m.Start >= end && slices.Contains(g.terms[r], m.Pattern) {
					spans = append(spans, spanIn(Field(f), len(it.Title), m.Start, m.End))
					end = m.End
				}
			}
			all = append(all, found{sc, spans})
		}
	}
	slices.SortFunc(all, func(a, b found) int { return a.scheme - b.scheme })
	for _, x := range all {
		hits = append(hits, Hit{SchemeID: s.schemes[x.scheme].ID, Spans: x.spans})
	}
	return hits
}

// spanIn maps a match in the scanned text of field scope f back to the
// item's field. For FieldAll the scanned text is title + "\n" + text; the
// newline is a barrier, so no match straddles it.
func spanIn(f Field, titleLen, start, end int) Span {
	switch f {
	case FieldTitle:
		return Span{FieldTitle, start, end}
	case FieldText:
		return Span{FieldText, start, end}
	}
	if start < titleLen {
		return Span{FieldTitle, start, min(end, titleLen)}
	}
	return Span{FieldText, start - titleLen - 1, end - titleLen - 1}
}
