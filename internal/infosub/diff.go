package infosub

import "unicode/utf8"

// DiffOp is one run of a character diff.
type DiffOp struct {
	Kind byte // '=', '-', '+'
	Text string
}

// maxDiffCost bounds the work of Diff; beyond it the texts are shown as
// one deletion and one insertion (a rewrite, not an edit).
const maxDiffCost = 4_000_000

// Diff compares two texts character by character (Chinese has no spaces,
// so words are not a unit) with Myers' O(ND) algorithm and returns the
// runs of kept, deleted and inserted text.
func Diff(a, b string) []DiffOp {
	ra, rb := []rune(a), []rune(b)
	// Common prefix and suffix first: reviewers change little.
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	var ops []DiffOp
	add := func(k byte, r []rune) {
		if len(r) == 0 {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].Kind == k {
			ops[n-1].Text += string(r)
			return
		}
		ops = append(ops, DiffOp{k, string(r)})
	}
	add('=', ra[:p])
	for _, op := range myers(ra[p:len(ra)-s], rb[p:len(rb)-s]) {
		add(op.Kind, []rune(op.Text))
	}
	add('=', ra[len(ra)-s:])
	return ops
}

func myers(a, b []rune) []DiffOp {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil
	}
	if n == 0 {
		return []DiffOp{{'+', string(b)}}
	}
	if m == 0 {
		return []DiffOp{{'-', string(a)}}
	}
	maxD := n + m
	off := maxD
	v := make([]int, 2*maxD+2)
	var trace [][]int
	cost := 0
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		cost += len(v)
		if cost > maxDiffCost {
			return []DiffOp{{'-', string(a)}, {'+', string(b)}}
		}
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, v, d, off)
			}
		}
	}
	return nil
}

func backtrack(a, b []rune, trace [][]int, last []int, d, off int) []DiffOp {
	x, y := len(a), len(b)
	var rev []DiffOp
	push := func(k byte, r rune) {
		rev = append(rev, DiffOp{k, string(r)})
	}
	for ; d > 0; d-- {
		v := trace[d]
		k := x - y
		var pk int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := v[off+pk]
		py := px - pk
		for x > px && y > py {
			x--
			y--
			push('=', a[x])
		}
		if x == px {
			y--
			push('+', b[y])
		} else {
			x--
			push('-', a[x])
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		push('=', a[x])
	}
	_ = last
	// Reverse and merge runs.
	var out []DiffOp
	for i := len(rev) - 1; i >= 0; i-- {
		op := rev[i]
		if n := len(out); n > 0 && out[n-1].Kind == op.Kind {
			out[n-1].Text += op.Text
		} else {
			out = append(out, op)
		}
	}
	return out
}

// DiffStats counts changed characters.
func DiffStats(ops []DiffOp) (deleted, inserted int) {
	for _, op := range ops {
		switch op.Kind {
		case '-':
			deleted += utf8.RuneCountInString(op.Text)
		case '+':
			inserted += utf8.RuneCountInString(op.Text)
		}
	}
	return
}
