package infosub

import (
	stdhtml "html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// imgSrc is the only image source a draft may contain: its own images.
var imgSrc = regexp.MustCompile(`^/info/[0-9]+/img/[0-9]+$`)

// Sanitizer cleans rich text pasted from Word/WPS or typed in the editor:
// an allow-list of structural tags, no attributes except image sources that
// point at the draft's own images, no styles, classes, scripts, event
// handlers or javascript: URLs. Safe for concurrent use.
type Sanitizer struct{ p *bluemonday.Policy }

// NewSanitizer builds the allow-list.
func NewSanitizer() *Sanitizer {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
		"blockquote", "table", "thead", "tbody", "tr", "td", "th")
	p.AllowAttrs("src").Matching(imgSrc).OnElements("img")
	p.AllowAttrs("alt").Matching(regexp.MustCompile(`^[^<>"]{0,100}$`)).OnElements("img")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[0-9]{1,2}$`)).OnElements("td", "th")
	p.AllowURLSchemes() // no absolute URLs at all: images are relative, links are not allowed
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	return &Sanitizer{p: p}
}

// Clean returns the sanitised HTML and its plain text (paragraphs separated
// by newlines), which screening and diffs work on.
func (s *Sanitizer) Clean(raw string) (body, text string) {
	body = strings.TrimSpace(s.p.Sanitize(raw))
	// Word leaves empty paragraphs behind.
	body = strings.ReplaceAll(body, "<p></p>", "")
	return body, PlainText(body)
}

// Sanitize cleans HTML again at output (defence in depth for stored bodies).
func (s *Sanitizer) Sanitize(raw string) string { return s.p.Sanitize(raw) }

// block elements end a line in the plain text.
var block = map[string]bool{"p": true, "br": true, "h2": true, "h3": true, "h4": true, "li": true, "blockquote": true, "tr": true, "div": true}

// PlainText extracts the text of sanitised HTML.
func PlainText(body string) string {
	z := html.NewTokenizer(strings.NewReader(body))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(collapseNewlines(b.String()))
		case html.TextToken:
			b.WriteString(strings.ReplaceAll(string(z.Text()), "\u00a0", " "))
		case html.EndTagToken, html.SelfClosingTagToken, html.StartTagToken:
			name, _ := z.TagName()
			if block[string(name)] {
				b.WriteByte('\n')
			}
		}
	}
}

func collapseNewlines(s string) string {
	for strings.Contains(s, "\n\n") {
		s = strings.ReplaceAll(s, "\n\n", "\n")
	}
	return s
}

// ReplaceInHTML replaces the occurrence of old that starts at character
// offset runeStart of PlainText(body) with repl, editing the HTML text node
// that holds it. It reports false when the text there is not old or the
// occurrence spans several nodes (e.g. half of it in bold).
func ReplaceInHTML(body string, runeStart int, old, repl string) (string, bool) {
	text := PlainText(body)
	rs := []rune(text)
	if runeStart < 0 || runeStart+len([]rune(old)) > len(rs) || string(rs[runeStart:runeStart+len([]rune(old))]) != old {
		return body, false
	}
	// The n-th occurrence of old in the plain text is the n-th in the
	// concatenated text nodes, when no occurrence spans nodes.
	nth := strings.Count(string(rs[:runeStart]), old)
	nodes := 0
	for z := html.NewTokenizer(strings.NewReader(body)); ; {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt == html.TextToken {
			nodes += strings.Count(html.UnescapeString(string(z.Raw())), old)
		}
	}
	if nodes != strings.Count(text, old) {
		return body, false // some occurrence spans nodes: counting cannot locate it
	}
	z := html.NewTokenizer(strings.NewReader(body))
	var out strings.Builder
	seen, done := 0, false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := string(z.Raw())
		if tt == html.TextToken && !done {
			t := html.UnescapeString(raw)
			c := strings.Count(t, old)
			if seen+c > nth {
				idx := indexNth(t, old, nth-seen)
				t = t[:idx] + repl + t[idx+len(old):]
				raw = html.EscapeString(t)
				done = true
			}
			seen += c
		}
		out.WriteString(raw)
	}
	return out.String(), done
}

func indexNth(s, sub string, n int) int {
	off := 0
	for ; n > 0; n-- {
		i := strings.Index(s[off:], sub)
		off += i + len(sub)
	}
	return off + strings.Index(s[off:], sub)
}

// CleanBody sanitises the editor's HTML; plain text (no JavaScript, or a
// paste into the fallback textarea) becomes one paragraph per line.
func CleanBody(raw string) (body, text string) {
	if !strings.Contains(raw, "<") {
		var b strings.Builder
		for _, line := range strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				b.WriteString("<p>" + stdhtml.EscapeString(line) + "</p>")
			}
		}
		raw = b.String()
	}
	return NewSanitizer().Clean(raw)
}
