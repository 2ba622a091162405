package ledgerxlsx

import (
	"strings"
	"testing"
)

// FuzzPlaceHeader feeds the header reader arbitrary top rows and merged
// ranges. It must not panic, and a header it returns must name 日期, 类型
// and 主题, place each field in one column only, and account for every
// non-empty cell of its rows as placed, ignored or unknown.
//
// The input is rows separated by '\n', cells by '|'; merges come as
// four small numbers each (first column, first row, last column, last row).
func FuzzPlaceHeader(f *testing.F) {
	f.Add("日期|类型|主题", []byte{})
	f.Add("示范局台账||\n日期|类型|主题|主讲/主持|对象", []byte{1, 1, 5, 1})
	f.Add("日期|类型|主题|参会情况|\n|||参加人员|缺席人员及原因", []byte{4, 1, 5, 1})
	f.Add("序号|日期|类型|主题|参会情况|\n||||参加人员|缺席人员及原因\n1|2023-01-02|党课|七一党课|李明|", []byte{1, 1, 1, 2, 2, 1, 2, 2, 5, 1, 6, 1})
	f.Add("日期|类型|主题|日期|签到", []byte{0, 0, 255, 255})
	f.Add("日期|类型|主题\n2023-01-01|党课|x", []byte{3, 1, 1, 9})
	f.Fuzz(func(t *testing.T, text string, m []byte) {
		var grid [][]string
		for i, line := range strings.Split(text, "\n") {
			if i >= headerScanRows {
				break
			}
			grid = append(grid, strings.Split(line, "|"))
		}
		var merges [][4]int
		for i := 0; i+3 < len(m) && len(merges) < 50; i += 4 {
			merges = append(merges, [4]int{int(m[i]), int(m[i+1]), int(m[i+2]), int(m[i+3])})
		}
		h := placeHeader(grid, merges)
		if h == nil {
			return
		}
		for _, k := range []string{colDate, colType, colTitle} {
			if h.text[k] == "" {
				t.Fatalf("header without %s: %+v", k, h)
			}
		}
		seen := map[string]int{}
		for i, k := range h.cols {
			if j, dup := seen[k]; dup {
				t.Fatalf("field %s in columns %d and %d", k, j, i)
			}
			seen[k] = i
			if _, both := h.unknown[i]; both {
				t.Fatalf("column %d both placed and unknown", i)
			}
		}
		if h.first < 1 || h.row < h.first || h.row > len(grid) || h.row-h.first > 1 {
			t.Fatalf("header rows %d–%d of %d", h.first, h.row, len(grid))
		}
		if len(h.cols)+len(h.unknown)+len(h.ignored) == 0 {
			t.Fatal("a header with no columns")
		}
	})
}
