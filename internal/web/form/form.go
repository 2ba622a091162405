// Package form turns posted forms into typed values: one struct or parse
// function per form (activity.go, info.go, rect.go, …), kept apart from the
// handlers so each can be tested without HTTP (miniflux's internal/ui/form
// is the model). A form parser never validates business rules — that is the
// domain's Validate — it only reads, trims and converts what was posted, so
// a value the user typed is never silently lost: an unreadable number is
// returned as 0 and the domain rule names the field.
package form

import (
	"net/url"
	"strconv"
	"strings"
)

// Int reads an integer, accepting the full-width digits Chinese input
// methods type; 0 when empty or not a number.
func Int(v url.Values, key string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(HalfWidthDigits(v.Get(key))))
	return n
}

// ID reads a record id; 0 when empty, invalid or negative.
func ID(v url.Values, key string) int64 { return ParseID(v.Get(key)) }

// ParseID parses a record id from a path or form value; 0 when empty,
// invalid or negative.
func ParseID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// IDs reads every value of a multi-select as ids, skipping invalid ones.
func IDs(v url.Values, key string) []int64 {
	var out []int64
	for _, s := range v[key] {
		if id := ParseID(s); id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// Text reads a value with surrounding white space removed.
func Text(v url.Values, key string) string { return strings.TrimSpace(v.Get(key)) }

// Bool reads a checkbox: true when posted with any non-empty value.
func Bool(v url.Values, key string) bool { return v.Get(key) != "" }

// HalfWidthDigits turns full-width digits (０–９) into ASCII digits.
func HalfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}
