package textscan

import (
	"fmt"
	"slices"
	"sync"
)

// Scheme is a set of rules (a monitoring scheme, 监测方案) compiled
// together: the distinct terms of all rules form one lexicon, so a
// document is scanned once whatever the number of rules, and each rule is
// then evaluated on which terms occurred where.
//
// Terms are matched with the scheme's Options, so normalisation and noise
// skipping apply to rules as to any lexicon. NEAR/n(a, b) holds when an
// occurrence of a and one of b are at most n characters apart: the
// characters strictly between the end of one and the start of the other
// (overlapping or adjacent occurrences are 0 apart). Characters are
// counted in the original text, noise included.
type Scheme struct {
	m      *Matcher
	rules  []Rule
	terms  []string
	near   []bool // term is an operand of some NEAR
	nterms int
	evals  sync.Pool // *schemeEval scratch, so that evaluating does not allocate
}

// CompileScheme parses and compiles rules. A syntax error is returned as
// an error wrapping the *RuleError, prefixed with the rule's number.
func CompileScheme(rules []string, opt Options) (*Scheme, error) {
	s := &Scheme{}
	index := map[string]int{}
	var assign func(n *ruleNode, near bool)
	assign = func(n *ruleNode, near bool) {
		if n.kind == ruleTerm {
			id, ok := index[n.term]
			if !ok {
				id = len(s.terms)
				index[n.term] = id
				s.terms = append(s.terms, n.term)
				s.near = append(s.near, false)
			}
			n.id = id
			s.near[id] = s.near[id] || near
			return
		}
		for _, k := range n.kids {
			assign(k, near || n.kind == ruleNear)
		}
	}
	for i, src := range rules {
		r, err := ParseRule(src)
		if err != nil {
			return nil, fmt.Errorf("规则%d：%w", i+1, err)
		}
		assign(r.root, false)
		s.rules = append(s.rules, r)
	}
	s.nterms = len(s.terms)
	ps := make([]Pattern, len(s.terms))
	for i, t := range s.terms {
		ps[i] = Pattern{ID: i, Text: t}
	}
	if len(ps) == 0 {
		return s, nil
	}
	m, err := Compile(ps, opt)
	if err != nil {
		return nil, fmt.Errorf("compile scheme terms: %w", err)
	}
	if u := m.Unmatchable(); len(u) > 0 {
		// A term of nothing but punctuation or symbols is a mistake in a
		// rule (it could never match), unlike a junk entry in a big lexicon.
		term := s.terms[u[0]]
		for i, r := range s.rules {
			if slices.Contains(r.Terms(), term) {
				return nil, fmt.Errorf("规则%d：检索词“%s”只含标点或符号，无法匹配", i+1, term)
			}
		}
	}
	s.m = m
	return s, nil
}

// Len returns the number of rules.
func (s *Scheme) Len() int { return len(s.rules) }

// Rule returns rule i.
func (s *Scheme) Rule(i int) Rule { return s.rules[i] }

// Eval reports for each rule, in order, whether text satisfies it: a
// slice of Len() entries. It allocates only that slice; AppendEval
// allocates nothing.
func (s *Scheme) Eval(text string) []bool {
	return s.AppendEval(make([]bool, 0, len(s.rules)), text)
}

// AppendEval appends to dst, for each rule in order, whether text
// satisfies it, and returns the extended slice (Len() more entries). With
// room in dst it does not allocate: the scan's scratch comes from a pool.
func (s *Scheme) AppendEval(dst []bool, text string) []bool {
	ev := s.getEval()
	ev.load(s, text)
	for _, r := range s.rules {
		dst = append(dst, ev.eval(r.root))
	}
	s.evals.Put(ev)
	return dst
}

// Match returns the indices of the rules text satisfies, nil if none. It
// allocates only the result.
func (s *Scheme) Match(text string) []int {
	ev := s.getEval()
	ev.load(s, text)
	var out []int
	for i, r := range s.rules {
		if ev.eval(r.root) {
			out = append(out, i)
		}
	}
	s.evals.Put(ev)
	return out
}

// Hits returns the occurrences of the scheme's terms in text, for
// highlighting; Match.Pattern indexes Terms.
func (s *Scheme) Hits(text string) []Match {
	if s.m == nil {
		return nil
	}
	return s.m.FindAll(text, LeftmostLongest)
}

// Terms returns the distinct terms of all rules; term i is pattern i.
func (s *Scheme) Terms() []string { return s.terms }

type span struct{ start, end int }

type schemeEval struct {
	present []bool
	spans   [][]span // occurrences of NEAR operands, in rune offsets
	matches []Match
}

func (s *Scheme) getEval() *schemeEval {
	ev, _ := s.evals.Get().(*schemeEval)
	if ev == nil {
		ev = &schemeEval{present: make([]bool, s.nterms), spans: make([][]span, s.nterms)}
	}
	return ev
}

// load records which terms occur in text and where the NEAR operands do.
func (ev *schemeEval) load(s *Scheme, text string) {
	clear(ev.present)
	for i := range ev.spans {
		ev.spans[i] = ev.spans[i][:0]
	}
	if s.m == nil {
		return
	}
	ev.matches = s.m.AppendMatches(ev.matches[:0], text, Overlapping)
	for _, x := range ev.matches {
		ev.present[x.Pattern] = true
		if s.near[x.Pattern] {
			ev.spans[x.Pattern] = append(ev.spans[x.Pattern], span{x.RuneStart, x.RuneEnd})
		}
	}
}

func (ev *schemeEval) eval(n *ruleNode) bool {
	switch n.kind {
	case ruleTerm:
		return ev.present[n.id]
	case ruleAnd:
		return ev.eval(n.kids[0]) && ev.eval(n.kids[1])
	case ruleOr:
		return ev.eval(n.kids[0]) || ev.eval(n.kids[1])
	case ruleNot:
		return !ev.eval(n.kids[0])
	case ruleNear:
		for _, a := range ev.spans[n.kids[0].id] {
			for _, b := range ev.spans[n.kids[1].id] {
				if max(a.start, b.start)-min(a.end, b.end) <= n.n {
					return true
				}
			}
		}
	}
	return false
}
