package textscan

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Rule is a parsed monitoring rule, e.g.
//
//	(化工厂 | 化工园区) & (爆炸 | 起火) & !演练
//
// Syntax, from loosest to tightest binding:
//
//	a | b, a OR b     either
//	a & b, a AND b    both; "a b" (terms side by side) also means both
//	!a, NOT a         not
//	(…)               grouping
//	NEAR/n(a, b)      a and b at most n characters apart (see Scheme)
//	term              a run of characters without spaces or operators
//	"phrase"          anything in double quotes, spaces included (also “…”)
//
// Full-width forms of the operators and parentheses (＆ ｜ ！ （ ） ，) are
// accepted, as Chinese input methods produce them. AND, OR, NOT and NEAR
// are keywords only in upper case.
type Rule struct {
	root *ruleNode
}

type ruleKind uint8

const (
	ruleTerm ruleKind = iota
	ruleAnd
	ruleOr
	ruleNot
	ruleNear
)

type ruleNode struct {
	kind ruleKind
	term string // ruleTerm; for ruleNear the operands are kids[0], kids[1]
	n    int    // ruleNear distance
	kids []*ruleNode
	id   int // term index in a Scheme
}

// RuleError reports a syntax error in a rule. Pos counts characters
// (runes) from 1; a position one past the last character means the rule
// ended too early.
type RuleError struct {
	Pos int
	Msg string // in Chinese, for the people who write the rules
}

func (e *RuleError) Error() string { return fmt.Sprintf("第%d个字符处：%s", e.Pos, e.Msg) }

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokTerm
	tokPhrase
	tokAnd
	tokOr
	tokNot
	tokLParen
	tokRParen
	tokComma
	tokNear
)

type token struct {
	kind tokKind
	text string
	n    int // NEAR distance
	pos  int // 1-based rune position
}

// ParseRule parses one rule. Errors are *RuleError.
func ParseRule(src string) (Rule, error) {
	toks, err := tokenize(src)
	if err != nil {
		return Rule{}, err
	}
	if len(toks) == 1 {
		return Rule{}, &RuleError{Pos: 1, Msg: "规则为空"}
	}
	p := &ruleParser{toks: toks}
	root, err := p.or()
	if err != nil {
		return Rule{}, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return Rule{}, &RuleError{Pos: t.pos, Msg: "多余的右括号"}
		}
		if t.kind == tokComma {
			return Rule{}, &RuleError{Pos: t.pos, Msg: "逗号只能用在 NEAR/n（词1，词2）中"}
		}
		return Rule{}, &RuleError{Pos: t.pos, Msg: "此处缺少运算符"}
	}
	return Rule{root: root}, nil
}

func isRuleSpecial(r rune) bool {
	switch r {
	case '(', ')', '（', '）', '&', '＆', '|', '｜', '!', '！', ',', '，', '"', '“', '”':
		return true
	}
	return unicode.IsSpace(r)
}

func tokenize(src string) ([]token, error) {
	var toks []token
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r, pos := rs[i], i+1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == '（':
			toks = append(toks, token{kind: tokLParen, pos: pos})
			i++
		case r == ')' || r == '）':
			toks = append(toks, token{kind: tokRParen, pos: pos})
			i++
		case r == '&' || r == '＆':
			toks = append(toks, token{kind: tokAnd, pos: pos})
			for i++; i < len(rs) && rs[i] == r; i++ { // && is &
			}
		case r == '|' || r == '｜':
			toks = append(toks, token{kind: tokOr, pos: pos})
			for i++; i < len(rs) && rs[i] == r; i++ {
			}
		case r == '!' || r == '！':
			toks = append(toks, token{kind: tokNot, pos: pos})
			i++
		case r == ',' || r == '，':
			toks = append(toks, token{kind: tokComma, pos: pos})
			i++
		case r == '"' || r == '“' || r == '”':
			closer := '"'
			if r != '"' {
				closer = '”'
			}
			j := i + 1
			for j < len(rs) && rs[j] != closer && !(closer == '”' && rs[j] == '“') {
				j++
			}
			if j == len(rs) || rs[j] != closer {
				return nil, &RuleError{Pos: pos, Msg: "引号未闭合"}
			}
			text := strings.TrimSpace(string(rs[i+1 : j]))
			if text == "" {
				return nil, &RuleError{Pos: pos, Msg: "引号中没有内容"}
			}
			toks = append(toks, token{kind: tokPhrase, text: text, pos: pos})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !isRuleSpecial(rs[j]) {
				j++
			}
			word := string(rs[i:j])
			t := token{kind: tokTerm, text: word, pos: pos}
			switch {
			case word == "AND":
				t.kind = tokAnd
			case word == "OR":
				t.kind = tokOr
			case word == "NOT":
				t.kind = tokNot
			case strings.HasPrefix(word, "NEAR/"):
				digits := word[len("NEAR/"):]
				n, err := strconv.Atoi(digits)
				if err != nil || strings.TrimLeft(digits, "0123456789") != "" || n > 1_000_000 {
					return nil, &RuleError{Pos: pos + len("NEAR/"), Msg: "NEAR/ 后应为距离（字符数），如 NEAR/5（词1，词2）"}
				}
				t.kind, t.n = tokNear, n
			}
			toks = append(toks, t)
			i = j
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(rs) + 1})
	return toks, nil
}

type ruleParser struct {
	toks []token
	i    int
}

func (p *ruleParser) peek() token { return p.toks[p.i] }

func (p *ruleParser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *ruleParser) or() (*ruleNode, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tokOr {
		p.next()
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = &ruleNode{kind: ruleOr, kids: []*ruleNode{left, right}}
	}
	return left, nil
}

func (p *ruleParser) and() (*ruleNode, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		switch p.peek().kind {
		case tokAnd:
			p.next()
		case tokTerm, tokPhrase, tokNot, tokLParen, tokNear:
			// juxtaposition: an implicit AND
		default:
			return left, nil
		}
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = &ruleNode{kind: ruleAnd, kids: []*ruleNode{left, right}}
	}
}

func (p *ruleParser) unary() (*ruleNode, error) {
	if p.peek().kind == tokNot {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &ruleNode{kind: ruleNot, kids: []*ruleNode{x}}, nil
	}
	return p.primary()
}

func (p *ruleParser) primary() (*ruleNode, error) {
	t := p.next()
	switch t.kind {
	case tokTerm, tokPhrase:
		return &ruleNode{kind: ruleTerm, term: t.text}, nil
	case tokLParen:
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			return nil, &RuleError{Pos: c.pos, Msg: fmt.Sprintf("缺少右括号（第%d个字符处的左括号没有配对）", t.pos)}
		}
		p.next()
		return x, nil
	case tokNear:
		if c := p.next(); c.kind != tokLParen {
			return nil, &RuleError{Pos: c.pos, Msg: "NEAR/n 后应紧跟左括号，如 NEAR/5（词1，词2）"}
		}
		a, err := p.nearOperand()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokComma {
			return nil, &RuleError{Pos: c.pos, Msg: "NEAR 的两个检索词之间应有逗号"}
		}
		b, err := p.nearOperand()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, &RuleError{Pos: c.pos, Msg: "缺少右括号（NEAR 只接受两个检索词）"}
		}
		return &ruleNode{kind: ruleNear, n: t.n, kids: []*ruleNode{a, b}}, nil
	case tokRParen:
		return nil, &RuleError{Pos: t.pos, Msg: "右括号前缺少检索词"}
	case tokEOF:
		return nil, &RuleError{Pos: t.pos, Msg: "规则不完整，缺少检索词"}
	case tokComma:
		return nil, &RuleError{Pos: t.pos, Msg: "逗号只能用在 NEAR/n（词1，词2）中"}
	}
	return nil, &RuleError{Pos: t.pos, Msg: "运算符前缺少检索词"}
}

func (p *ruleParser) nearOperand() (*ruleNode, error) {
	t := p.next()
	if t.kind != tokTerm && t.kind != tokPhrase {
		return nil, &RuleError{Pos: t.pos, Msg: "NEAR 的参数应为检索词或引号短语"}
	}
	return &ruleNode{kind: ruleTerm, term: t.text}, nil
}

// String returns the rule in a canonical form that ParseRule accepts:
// every binary operation parenthesised, terms quoted where needed.
func (r Rule) String() string {
	if r.root == nil {
		return ""
	}
	var b strings.Builder
	r.root.write(&b)
	return b.String()
}

func (n *ruleNode) write(b *strings.Builder) {
	switch n.kind {
	case ruleTerm:
		writeTerm(b, n.term)
	case ruleNot:
		b.WriteString("!")
		n.kids[0].write(b)
	case ruleAnd, ruleOr:
		op := " & "
		if n.kind == ruleOr {
			op = " | "
		}
		b.WriteString("(")
		n.kids[0].write(b)
		b.WriteString(op)
		n.kids[1].write(b)
		b.WriteString(")")
	case ruleNear:
		fmt.Fprintf(b, "NEAR/%d(", n.n)
		n.kids[0].write(b)
		b.WriteString(", ")
		n.kids[1].write(b)
		b.WriteString(")")
	}
}

func writeTerm(b *strings.Builder, t string) {
	plain := t != "AND" && t != "OR" && t != "NOT" && !strings.HasPrefix(t, "NEAR/")
	for _, r := range t {
		if isRuleSpecial(r) {
			plain = false
		}
	}
	if plain {
		b.WriteString(t)
		return
	}
	if !strings.Contains(t, `"`) {
		b.WriteString(`"` + t + `"`)
		return
	}
	b.WriteString("“" + t + "”") // a phrase with " in it; “ and ” cannot occur in one
}

// Terms returns the distinct terms of the rule in order of appearance.
func (r Rule) Terms() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n *ruleNode)
	walk = func(n *ruleNode) {
		if n.kind == ruleTerm && !seen[n.term] {
			seen[n.term] = true
			out = append(out, n.term)
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	if r.root != nil {
		walk(r.root)
	}
	return out
}
