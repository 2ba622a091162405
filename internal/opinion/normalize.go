package opinion

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize reduces text to what matters for matching and fingerprinting,
// so that a repost, a copy with other punctuation or a full-width copy
// reduce to the same string:
//
//   - URLs (http://, https://, www.) are dropped: shorteners give every
//     copy a different link;
//   - @handles (@name, ＠name) are dropped: repost chains (//@某人:) name
//     people, which is no part of the content;
//   - emoticon codes in square brackets ([哈哈], [蜡烛], up to 8 letters)
//     are dropped;
//   - full-width ASCII becomes half-width and letters are lower-cased;
//   - traditional characters are folded with their simplified forms (see
//     t2s.go);
//   - everything that is not a letter or a digit (spaces, punctuation of
//     every script, symbols, emoji, the # of #话题#) is dropped;
//   - a letter repeated more than twice in a row is kept twice
//     (哈哈哈哈哈 → 哈哈, 啊啊啊 → 啊啊): the length of a laugh is not content;
//   - Weibo's default repost text 转发微博 is dropped.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevAlnum := false // previous original rune was an ASCII letter or digit (for e-mail addresses)
	var last rune      // last rune written
	run := 0           // how many times in a row it was written
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if n := urlLen(s[i:]); n > 0 && !prevAlnum {
			i += n
			prevAlnum = false
			continue
		}
		if (r == '@' || r == '＠') && !prevAlnum {
			if n := handleLen(s[i+size:]); n > 0 {
				i += size + n
				prevAlnum = false
				continue
			}
		}
		if r == '[' {
			if n := emoticonLen(s[i:]); n > 0 {
				i += n
				prevAlnum = false
				continue
			}
		}
		i += size
		prevAlnum = r < utf8.RuneSelf && (isASCIILetter(r) || r >= '0' && r <= '9')
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if r == last {
				run++
				if run > 2 && !(r >= '0' && r <= '9') {
					continue // 哈哈哈哈哈 → 哈哈; digits are content
				}
			} else {
				last, run = r, 1
			}
			b.WriteRune(r)
		}
	}
	out := b.String()
	if strings.Contains(out, "转发微博") {
		// Weibo's default repost text, which carries nothing of the content.
		out = strings.ReplaceAll(out, "转发微博", "")
	}
	return out
}

// foldRune maps full-width ASCII to half-width, lower-cases letters and
// folds traditional characters.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if r >= hanLow && r < hanHigh {
		return foldHan(r)
	}
	return unicode.ToLower(r)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// urlLen returns the length of the URL at the start of s, or 0.
func urlLen(s string) int {
	if s == "" || s[0]|0x20 != 'h' && s[0]|0x20 != 'w' {
		return 0
	}
	var n int
	switch {
	case hasPrefixFold(s, "https://"):
		n = len("https://")
	case hasPrefixFold(s, "http://"):
		n = len("http://")
	case hasPrefixFold(s, "www."):
		n = len("www.")
	default:
		return 0
	}
	for n < len(s) && isURLByte(s[n]) {
		n++
	}
	return n
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isURLByte reports the ASCII bytes RFC 3986 allows in a URL (unreserved,
// reserved and %). Non-ASCII text right after a link ends it, as it does
// on Weibo, where "http://t.cn/abc转发" is common.
func isURLByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}

// handleLen returns the length of the handle after an @ at the start of s
// (letters, digits, _ and -, at most 30 characters), or 0 if there is none.
func handleLen(s string) int {
	n, count := 0, 0
	for n < len(s) && count < 30 {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			break
		}
		n += size
		count++
	}
	return n
}

// emoticonLen returns the length of an emoticon code such as [哈哈] or
// [good] at the start of s (a '[' , 1–8 letters, ']'), or 0.
func emoticonLen(s string) int {
	n, count := 1, 0
	for n < len(s) && count <= 8 {
		r, size := utf8.DecodeRuneInString(s[n:])
		if r == ']' {
			if count == 0 {
				return 0
			}
			return n + size
		}
		if !unicode.IsLetter(r) {
			return 0
		}
		n += size
		count++
	}
	return 0
}

// RedactHandles replaces every @handle in s with "@某用户", so that text
// can be stored without the account names of the people in a repost chain
// ("//@张三:同意" becomes "//@某用户:同意"). E-mail addresses are left as
// they are (an @ right after a letter or digit is not a handle).
func RedactHandles(s string) string {
	if !strings.ContainsRune(s, '@') && !strings.ContainsRune(s, '＠') {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevAlnum := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == '@' || r == '＠') && !prevAlnum {
			if n := handleLen(s[i+size:]); n > 0 {
				b.WriteString("@某用户")
				i += size + n
				prevAlnum = false
				continue
			}
		}
		b.WriteString(s[i : i+size])
		i += size
		prevAlnum = r < utf8.RuneSelf && (isASCIILetter(r) || r >= '0' && r <= '9')
	}
	return b.String()
}

// ExactKey returns the exact-duplicate key of an item: the SHA-256 (hex,
// 64 characters) of the normalised title and text. Two items with equal
// keys are copies of each other up to punctuation, spacing, width, case,
// links, handles and emoticons. It returns "" when both normalise to
// nothing (a post of only emoji or links), which must not be folded with
// every other such post.
func ExactKey(title, text string) string {
	return exactKey(Normalize(title), Normalize(text))
}

func exactKey(t, x string) string {
	if t == "" && x == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(t))
	h.Write([]byte{0})
	h.Write([]byte(x))
	return hex.EncodeToString(h.Sum(nil))
}

// Fingerprint returns both keys of an item, normalising it once: the
// exact key ExactKey(title, text) and the SimHash fingerprint of the
// normalised title and text together (what SimHash(title+"\n"+text)
// gives, except that each field is normalised on its own; 0 when too
// short). Use it on the intake path; the two keys cost one Normalize.
func Fingerprint(title, text string) (key string, hash uint64) {
	t, x := Normalize(title), Normalize(text)
	return exactKey(t, x), simHashNormalized(t + x)
}
