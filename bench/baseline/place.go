package baseline

import "math/bits"

// placer allocates cells of the double array. A node with children
// labelled l1 < … < lm needs a base b with cells b+l1 … b+lm all free.
//
// With thousands of symbols (one per distinct character), nodes with
// hundreds of children are common (the characters that may follow 中), and
// a cell-by-cell search for a fitting base is slow. The used cells are
// kept as a bitset, so one step tests 64 candidate bases at once: AND the
// free-bit windows at b+li for every child until the mask is empty.
//
// A base is also a state's identity (the check of its transitions), so
// no two states may share one: bases tracks those in use.
type placer struct {
	used    []uint64 // bit i set: cell i is taken
	bases   []uint64 // bit b set: base b is some state's
	skip    []int32  // for a used cell, a later cell on the way to the next free one
	size    int      // cells in use up to here (the array length needed)
	maxBase int
}

func (p *placer) grow(cells int) {
	for len(p.used)*64 < cells+128 {
		p.used = append(p.used, 0)
		p.bases = append(p.bases, 0)
	}
	for len(p.skip) < cells+1 {
		p.skip = append(p.skip, int32(len(p.skip)+1))
	}
}

func (p *placer) isUsed(i int) bool { return p.used[i>>6]>>(i&63)&1 != 0 }

func (p *placer) take(i int) {
	p.grow(i + 1)
	p.used[i>>6] |= 1 << (i & 63)
	p.skip[i] = int32(i + 1)
	p.size = max(p.size, i+1)
}

func (p *placer) takeBase(b int) {
	p.grow(b + 1)
	p.bases[b>>6] |= 1 << (b & 63)
	p.maxBase = max(p.maxBase, b)
}

// freeFrom returns the first free cell at or after i, compressing the skip
// chain it walked (a union-find "next free" structure).
func (p *placer) freeFrom(i int) int {
	root := i
	for {
		p.grow(root + 1)
		if !p.isUsed(root) {
			break
		}
		root = int(p.skip[root])
	}
	for i != root {
		nx := int(p.skip[i])
		p.skip[i] = int32(root)
		i = nx
	}
	return root
}

// window returns bits i … i+63 of a bitset.
func window(set []uint64, i int) uint64 {
	w, sh := i>>6, uint(i&63)
	x := set[w] >> sh
	if sh != 0 {
		x |= set[w+1] << (64 - sh)
	}
	return x
}

// fit returns the smallest unused base ≥ 1 (roughly: it starts at the
// first free cell) at which all labels land on free cells.
func (p *placer) fit(labels []int32) int {
	first, last := int(labels[0]), int(labels[len(labels)-1])
	b := max(p.freeFrom(first+1)-first, 1)
	for {
		p.grow(b + last + 64)
		mask := ^window(p.bases, b)
		for _, l := range labels {
			mask &^= window(p.used, b+int(l))
			if mask == 0 {
				break
			}
		}
		if mask != 0 {
			return b + bits.TrailingZeros64(mask)
		}
		b += 64
	}
}
