package opinion

import (
	"math/bits"
	"unicode/utf8"
)

// Shingle is the number of characters in one shingle of SimHash. Three
// characters (about one and a half Chinese words) keep a shared short
// phrase from making unrelated posts look alike, while one changed
// character disturbs only three shingles.
const Shingle = 3

// NearDistance is the largest Hamming distance at which two fingerprints
// are near-duplicates. Bands relies on it being at most 3.
const NearDistance = 3

// SimHash returns the 64-bit SimHash fingerprint of text: the text is
// normalised (Normalize), cut into overlapping shingles of Shingle
// characters, each shingle hashed to 64 bits (FNV-1a, then the SplitMix64
// finaliser so that similar shingles give unrelated hashes), and bit i of
// the fingerprint is set when more shingle occurrences have bit i set
// than not. Every occurrence weighs 1, so repeated phrases count more. A
// text shorter than Shingle characters is one shingle; a text that
// normalises to nothing has fingerprint 0.
//
// The result is stable across processes and versions of Go, so it can be
// stored.
func SimHash(text string) uint64 {
	return simHashNormalized(Normalize(text))
}

func simHashNormalized(n string) uint64 {
	if n == "" {
		return 0
	}
	var votes [64]int32
	add := func(s string) {
		h := mix64(fnv64(s))
		for b := range 64 {
			votes[b] += int32(h>>b&1)*2 - 1
		}
	}
	// starts holds the byte offsets of the last Shingle+1 rune starts.
	var starts [Shingle + 1]int
	count := 0
	for i := 0; i < len(n); {
		_, size := utf8.DecodeRuneInString(n[i:])
		starts[count%(Shingle+1)] = i
		count++
		i += size
		if count >= Shingle {
			add(n[starts[(count-Shingle)%(Shingle+1)]:i])
		}
	}
	if count < Shingle {
		add(n)
	}
	var h uint64
	for b := range 64 {
		if votes[b] > 0 {
			h |= 1 << b
		}
	}
	return h
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix64 is the SplitMix64 finaliser: every input bit affects every output bit.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Hamming returns the number of bits in which a and b differ.
func Hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// Bands splits a fingerprint into four 16-bit bands, lowest bits first.
// Two fingerprints within NearDistance (≤ 3) bits differ in at most three
// bands, so they agree on at least one: a store that indexes the four
// bands finds every near-duplicate by looking up the four bands and
// comparing only the fingerprints found.
func Bands(h uint64) [4]uint16 {
	return [4]uint16{uint16(h), uint16(h >> 16), uint16(h >> 32), uint16(h >> 48)}
}

// NearIndex finds near-duplicate fingerprints in memory by their bands.
// Each band value has a bucket of entry numbers; a lookup compares the
// fingerprints in the four buckets of the query, about 4·n/65536 of them
// (60 at a million entries). The zero value is ready to use; it is not
// safe for concurrent use. It allocates 6 MB of bucket tables on the first
// Add, so it is meant for large sets (a unit's items), not one per event.
type NearIndex struct {
	ids     []int64
	hashes  []uint64
	buckets [4]*[1 << 16][]int32
}

// Add adds a fingerprint with its id. Adding the same id twice keeps both
// entries; Nearest then returns either.
func (x *NearIndex) Add(id int64, h uint64) {
	if x.buckets[0] == nil {
		for i := range x.buckets {
			x.buckets[i] = new([1 << 16][]int32)
		}
	}
	n := int32(len(x.ids))
	x.ids = append(x.ids, id)
	x.hashes = append(x.hashes, h)
	for i, b := range Bands(h) {
		x.buckets[i][b] = append(x.buckets[i][b], n)
	}
}

// Len returns the number of entries.
func (x *NearIndex) Len() int { return len(x.ids) }

// Nearest returns the entry closest to h within NearDistance bits: its id
// and distance, and ok = false when there is none. Of entries at the same
// distance the one added first wins, so the result does not depend on
// bucket order.
func (x *NearIndex) Nearest(h uint64) (id int64, dist int, ok bool) {
	if x.buckets[0] == nil {
		return 0, 0, false
	}
	best, bestDist := int32(-1), NearDistance+1
	for i, b := range Bands(h) {
		for _, n := range x.buckets[i][b] {
			d := bits.OnesCount64(x.hashes[n] ^ h)
			if d < bestDist || d == bestDist && n < best {
				best, bestDist = n, d
			}
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return x.ids[best], bestDist, true
}
