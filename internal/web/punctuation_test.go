package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"zhendi/internal/infosub"
)

// The punctuation sweep (issue 14 B5): everything zhendi writes in Chinese
// uses full-width punctuation (GB/T 15834-2011). These tests run the
// product's own screening (infosub's punctuation check, the one reviewers
// see on drafts) and a stricter neighbour rule over every Go string literal
// of the product, every page template, every report template and every
// document generated from the demo data.

// halfWidthFindings lists the half-width marks of text that sit in Chinese
// text: what infosub screening flags (a mark touching a Han character), and
// also a mark whose nearest non-space neighbour is Han or full-width
// punctuation ("原因 (必填)"), an ASCII double quote beside Chinese, and a
// %q verb (which prints ASCII quotes) beside Chinese.
func halfWidthFindings(text string) []string { return halfWidth(text, true) }

// halfWidth is halfWidthFindings; quotes false skips the ASCII double quote
// (HTML attribute delimiters).
func halfWidth(text string, quotes bool) []string {
	var out []string
	seen := map[int]bool{}
	add := func(i int, what string) {
		if seen[i] {
			return
		}
		seen[i] = true
		lo, hi := max(0, i-24), min(len(text), i+24)
		for lo > 0 && !utf8.RuneStart(text[lo]) {
			lo--
		}
		for hi < len(text) && !utf8.RuneStart(text[hi]) {
			hi++
		}
		out = append(out, what+" in “"+strings.ReplaceAll(text[lo:hi], "\n", "⏎")+"”")
	}
	for _, f := range screener.Screen(text) {
		// Screening also flags a '.' or '\'' beside Chinese; in zhendi's
		// own text those are file extensions (文件.docx) and code, so only
		// the marks below count here.
		if f.Category == infosub.CatPunct && len(f.Term) == 1 && strings.IndexByte(",;:?!()\"", f.Term[0]) >= 0 && (quotes || f.Term != "\"") {
			add(f.Start, "screening: "+f.Term)
		}
	}
	chinese := func(r rune) bool {
		return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || strings.ContainsRune("“”‘’…—", r)
	}
	neighbour := func(i int, dir int) rune {
		for j := i; j >= 0 && j < len(text); {
			var r rune
			var n int
			if dir < 0 {
				r, n = utf8.DecodeLastRuneInString(text[:j])
				j -= n
			} else {
				r, n = utf8.DecodeRuneInString(text[j:])
				j += n
			}
			if n == 0 {
				return 0
			}
			// A format verb (%s, %d, %v, %w) stands for a value: look past
			// it, so "单位 %d: %w" and "（截止%s, %s）" are caught.
			if dir > 0 && r == '%' && j < len(text) && strings.IndexByte("sdvwq", text[j]) >= 0 {
				j++
				continue
			}
			if dir < 0 && strings.IndexByte("sdvwq", byte(r)) >= 0 && r < utf8.RuneSelf && j > 0 && text[j-1] == '%' {
				j--
				continue
			}
			if r != ' ' {
				return r
			}
		}
		return 0
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if strings.IndexByte(",;:?!()\"", c) < 0 || c == '"' && !quotes {
			if c == '%' && i+1 < len(text) && text[i+1] == 'q' && (chinese(neighbour(i, -1)) || chinese(neighbour(i+2, 1))) {
				add(i, "%q (prints ASCII quotes)")
			}
			continue
		}
		prev, next := neighbour(i, -1), neighbour(i+1, 1)
		if c == ':' && unicode.IsDigit(prev) && unicode.IsDigit(next) {
			continue // 12:30
		}
		if chinese(prev) || chinese(next) {
			add(i, string(c))
		}
	}
	return out
}

var screener = infosub.DefaultScreener()

func TestHalfWidthFindings(t *testing.T) {
	for text, want := range map[string]int{
		"截止2023年1月31日, 未完成":   1,
		"缺席原因: 张三, 须填写原因":     2,
		"字段：原因":               0,
		"原因 (必填)":             2,
		"报告类型 %q 无效":          1,
		"时间 12:30 开会":         0,
		"GB/T 9704-2012 (A4)": 0,
		`点击"保存"`:              2,
		"一是（学习）。":             0,
	} {
		if got := halfWidthFindings(text); len(got) != want {
			t.Errorf("%s: %d findings %v, want %d", text, len(got), got, want)
		}
	}
}

// allowedHalfWidth lists literals that are not text a user reads as
// Chinese prose: a mapping table of the text engine, examples of input
// that screening must catch, command-line syntax.
var allowedHalfWidth = []*regexp.Regexp{
	regexp.MustCompile(`^yyyy"年"m"月"d"日"$`), // an Excel number format
	// ledgerxlsx's header aliases, written in the folded (half-width) form
	// normalizeHeader compares against, e.g. 时长(分钟).
	regexp.MustCompile(`^\p{Han}{1,8}\(\p{Han}{1,6}\)\p{Han}{0,4}$`),
	// Rules of the monitoring schemes' rule language (textscan.ParseRule):
	// its operators | & ! ( ) are syntax, written half-width.
	regexp.MustCompile(`^[\p{Han}\s|&!()]*[|&][\p{Han}\s|&!()]*$`),
	// Demo drafts written with the mistakes screening is there to catch.
	regexp.MustCompile(`^截止目前,全区已有86家|移风易俗宣传,发放倡议书|^今年计划建设高标准农田2万亩, 截止目前`),
}

// codeSpan is a <code> element of a page template.
var codeSpan = regexp.MustCompile(`(?s)<code>.*?</code>`)

// TestSourceTextFullWidth scans the Go string literals (non-test files of
// cmd and internal), the page templates and the report templates.
func TestSourceTextFullWidth(t *testing.T) {
	root := filepath.Join("..", "..")
	var bad []string
	// The report templates' conditional "{?figure:text}": the colon is syntax.
	cond := regexp.MustCompile(`\{[?!][a-z0-9_.]+:`)
	check := func(where, text string, quotes bool) {
		text = cond.ReplaceAllString(text, "{")
		for _, f := range halfWidth(text, quotes) {
			ok := false
			for _, re := range allowedHalfWidth {
				if re.MatchString(text) {
					ok = true
				}
			}
			if !ok {
				bad = append(bad, where+": "+f)
			}
		}
	}
	hasHan := func(s string) bool {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) {
				return true
			}
		}
		return false
	}
	templateKey := regexp.MustCompile(`^[a-z][a-z0-9_.-]*: `)
	action := regexp.MustCompile(`(?s){{.*?}}`)
	tag := regexp.MustCompile(`(?s)<(?:script|style)\b.*?</(?:script|style)>|<!--.*?-->`)
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			if d.IsDir() {
				// The screening lexicons are data (terms and their sources),
				// not text zhendi writes.
				if rel == filepath.Join("internal", "infosub", "lexicon") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasSuffix(path, "_test.go"):
			case strings.HasSuffix(path, ".go"):
				fset := token.NewFileSet()
				f, err := parser.ParseFile(fset, path, nil, 0)
				if err != nil {
					return err
				}
				// Regular expressions are code, not text.
				skip := map[ast.Node]bool{}
				ast.Inspect(f, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok {
						if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
							if x, ok := sel.X.(*ast.Ident); ok && x.Name == "regexp" {
								for _, a := range call.Args {
									skip[a] = true
								}
							}
						}
					}
					return true
				})
				ast.Inspect(f, func(n ast.Node) bool {
					if skip[n] {
						return false
					}
					lit, ok := n.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return true
					}
					s, err := strconv.Unquote(lit.Value)
					if err == nil && hasHan(s) {
						check(fset.Position(lit.Pos()).String(), s, true)
					}
					return true
				})
			case strings.HasSuffix(path, ".html"), strings.HasSuffix(path, ".txt") && strings.Contains(rel, "templates"):
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				text := string(data)
				if strings.HasSuffix(path, ".html") {
					// <code> holds syntax (rule-language examples), not prose.
					text = codeSpan.ReplaceAllString(text, " ")
					text = tag.ReplaceAllString(action.ReplaceAllString(text, " "), " ")
				}
				for n, line := range strings.Split(text, "\n") {
					if strings.HasSuffix(path, ".txt") {
						// Report templates: "# comment" lines are for
						// developers, "key: value" lines are syntax.
						if strings.HasPrefix(line, "#") {
							continue
						}
						line = templateKey.ReplaceAllString(line, "")
					}
					if hasHan(line) {
						check(rel+":"+strconv.Itoa(n+1), line, !strings.HasSuffix(path, ".html"))
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range bad {
		t.Error(b)
	}
}
