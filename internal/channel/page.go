package channel

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Link is a link on a checked page.
type Link struct {
	URL  string
	Text string
	Same bool // on the page's own host
}

// PageLinks lists the distinct http(s) links of a page, resolved against
// base, in page order, at most limit of them.
func PageLinks(page []byte, base *url.URL, limit int) []Link {
	z := html.NewTokenizer(bytes.NewReader(page))
	seen := map[string]bool{}
	var out []Link
	var cur *Link
	var text strings.Builder
	for len(out) < limit {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if cur != nil {
				cur.Text = strings.TrimSpace(text.String())
			}
			return out
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" || !hasAttr {
				continue
			}
			for {
				k, v, more := z.TagAttr()
				if string(k) == "href" {
					u, err := base.Parse(strings.TrimSpace(string(v)))
					if err == nil && (u.Scheme == "http" || u.Scheme == "https") {
						u.Fragment = ""
						s := u.String()
						if !seen[s] {
							seen[s] = true
							out = append(out, Link{URL: s, Same: strings.EqualFold(u.Host, base.Host)})
							cur = &out[len(out)-1]
							text.Reset()
						}
					}
				}
				if !more {
					break
				}
			}
		case html.TextToken:
			if cur != nil && text.Len() < 200 {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" && cur != nil {
				cur.Text = strings.Join(strings.Fields(text.String()), " ")
				cur = nil
			}
		}
	}
	return out
}

// Sentence returns the sentence of text around the byte range [start,end):
// from the previous sentence end (。！？ or a line break) to the next one,
// trimmed and at most 120 characters, so a finding can quote where it is.
func Sentence(text string, start, end int) string {
	if start < 0 || end > len(text) || start > end {
		return ""
	}
	from := 0
	if i := strings.LastIndexAny(text[:start], stops); i >= 0 {
		_, n := utf8.DecodeRuneInString(text[i:])
		from = i + n
	}
	if start-from > 600 {
		from = start - 600
		for from < start && !utf8.RuneStart(text[from]) {
			from++
		}
	}
	to := len(text)
	for i := end; i < len(text) && i-end < 600; {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		to = i
		if isStop(r) {
			break
		}
	}
	s := strings.Join(strings.Fields(text[from:to]), " ")
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:120]) + "…"
	}
	return s
}

const stops = "。！？\n!?"

func isStop(r rune) bool { return strings.ContainsRune(stops, r) }
