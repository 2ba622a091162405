package web

import (
	"strconv"
	"strings"
	"time"
)

// formInt reads an integer form value, 0 when empty or invalid.
func formInt(v string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(toHalfWidthDigits(v)))
	return n
}

func formID(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if n < 0 {
		return 0
	}
	return n
}

// toHalfWidthDigits turns full-width digits (common with Chinese IMEs) into ASCII.
func toHalfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

func timeOf(sec int64) time.Time { return time.Unix(sec, 0) }
