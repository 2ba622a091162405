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
	default:
		if _, err := textscan.CompileScheme([]string{s.Rule}, schemeOptions); err != nil {
			var re *textscan.RuleError
			if errors.As(err, &re) {
				errs = append(errs, apperr.Field("规则", re.Error()))
			} else {
				// CompileScheme's own messages are Chinese ("规则1：检索词……"); drop the rule number.
				errs = append(errs, apperr.Field("规则", strings.TrimPrefix(err.Error(), "规则1：")))
			}
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
}

// CompileSchemes compiles schemes into a set. The rules of each field
// scope form one textscan scheme, so an item is scanned at most once per
// scope (title, text, title and text) whatever the number of schemes. An
// invalid scheme fails the whole set with its name in the error.
func CompileSchemes(schemes []Scheme) (*SchemeSet, error) {
	set := &SchemeSet{schemes: slices.Clone(schemes)}
	var rules [3][]string
	for i, s := range set.schemes {
		if err := s.Validate(); err != nil {
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
			return nil, fmt.Errorf("compile schemes (%s): %w", Field(f), err)
		}
		g.ts = ts
		termIndex := map[string]int{}
		for i, t := range ts.Terms() {
			termIndex[t] = i
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
				occ = g.ts.Hits(text)
			}
			var spans []Span
			for _, m := range occ {
				if slices.Contains(g.terms[r], m.Pattern) {
					spans = append(spans, spanIn(Field(f), len(it.Title), m.Start, m.End))
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
