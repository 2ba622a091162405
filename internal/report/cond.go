package report

import "strings"

// Conditional wording. A template sentence that is only true when the data
// holds something is written {?key:sentence} and is kept only when the
// condition key holds; {!key:sentence} is kept only when it does not. The
// key is a condition of the builder (has_plan, has_info …, see
// builder.conds) or a figure key, which holds when the figure was counted
// (not missing) and is above zero. Conditions may nest and the sentence may
// hold figure tokens {key}: "{?info_published:在各类媒体发表{info_published}条}".
//
// This is how a document avoids reporting zero work as work done
// ("已撰写整理各类信息0条") and zeros against a leader: the sentence is left
// out, or the other branch says plainly what the data shows.

// resolveConds keeps or drops every conditional segment of s. A segment
// that is not closed is kept as written, so a typo shows in the document
// instead of silently eating the rest of the paragraph.
func resolveConds(s string, holds func(key string) bool) string {
	var b strings.Builder
	for {
		i := condStart(s)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		colon := strings.IndexByte(s[i:], ':')
		end := matchBrace(s, i)
		if colon < 0 || end < 0 || i+colon > end {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		neg := s[i+1] == '!'
		key := s[i+2 : i+colon]
		body := s[i+colon+1 : end]
		if holds(key) != neg {
			b.WriteString(resolveConds(body, holds))
		}
		s = s[end+1:]
	}
}

// condStart finds the next "{?" or "{!" followed by a key and a colon.
func condStart(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '{' && (s[i+1] == '?' || s[i+1] == '!') {
			return i
		}
	}
	return -1
}

// matchBrace returns the index of the brace closing the one at open.
func matchBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// holds is the builder's condition test: a named condition, or a figure
// that was counted and is above zero.
func (b *builder) holds(key string) bool {
	if v, ok := b.conds[key]; ok {
		return v
	}
	f := b.r.Figure(key)
	return f != nil && !f.Missing && f.Value > 0
}
