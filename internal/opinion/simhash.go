package opinion

import (
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Shingle is the number of characters in one shingle of SimHash. Three
// characters (about one and a half Chinese words) keep a shared short
// phrase from making unrelated posts look alike, while one changed
// character disturbs only three shingles.
const Shingle = 3

// NearDistance is the largest Hamming distance at which two fingerprints
// are near-duplicates: 7, the most Probes can find. It was measured on
// the shared Weibo corpus (neardup_measure_test.go, MEASUREMENTS.md):
// every pair drawn at random at distances 0–7 was a near-duplicate by
// the judge (character 3-gram Jaccard ≥ 0.5), and recall of copies with
// Jaccard ≥ 0.9 rises from 0.16 at distance 3 to 0.67 at 7.
const NearDistance = 7

// MinNearRunes is the shortest normalised text that gets a fingerprint.
// A shorter text has too few shingles for its fingerprint to mean
// anything: two unrelated four-character comments (原来这样, 本性难弃)
// came out 6 bits apart in the measurement, and two short comments that
// share most characters (这个有意思了, 这个有意思试试去) are different
// comments, not copies. Short texts are still folded when they are equal
// (ExactKey).
const MinNearRunes = 10

// SimHash returns the 64-bit SimHash fingerprint of text: the text is
// normalised (Normalize), cut into overlapping shingles of Shingle
// characters, each shingle hashed to 64 bits (FNV-1a, then the SplitMix64
// finaliser so that similar shingles give unrelated hashes), and bit i of
// the fingerprint is set when more shingle occurrences have bit i set
// than not. Every distinct shingle weighs 1, however often it occurs. A
// text that normalises to fewer than MinNearRunes characters has
// fingerprint 0, which means "none": NearIndex ignores it and a store
// should neither index nor look it up.
//
// The result is stable across processes and versions of Go, so it can be
// stored.
func SimHash(text string) uint64 {
	return simHashNormalized(Normalize(text))
}

func simHashNormalized(n string) uint64 {
	if utf8.RuneCountInString(n) < MinNearRunes {
		return 0
	}
	var buf [64]uint64
	hs := buf[:0]
	add := func(s string) { hs = append(hs, mix64(fnv64(s))) }
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
	// Each distinct shingle votes once: with counts, one phrase repeated
	// (哈哈哈…, 顶顶顶…) outvotes the rest and makes unrelated posts equal.
	slices.Sort(hs)
	hs = slices.Compact(hs)
	// Bit b is set when more than half of the shingles have it. Counting
	// is bit-sliced: lane k of ones[k] counts bit 8j+k of every hash in
	// byte j, eight bits per addition; bytes are emptied before 255.
	var (
		ones  [64]int
		lanes [8]uint64
	)
	flush := func() {
		for k, l := range lanes {
			for j := range 8 {
				ones[8*j+k] += int(l >> (8 * j) & 0xff)
			}
		}
		lanes = [8]uint64{}
	}
	for i, x := range hs {
		for k := range lanes {
			lanes[k] += x >> k & 0x0101010101010101
		}
		if i%255 == 254 {
			flush()
		}
	}
	flush()
	var h uint64
	for b, n := range ones {
		if 2*n > len(hs) {
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

// Near reports whether two fingerprints are near-duplicates: both exist
// (0 is none, for texts under MinNearRunes) and they differ in at most
// NearDistance bits. Compare with Near rather than with Hamming alone, so
// that two short posts are not folded because neither has a fingerprint.
func Near(a, b uint64) bool {
	return a != 0 && b != 0 && bits.OnesCount64(a^b) <= NearDistance
}

// Hamming returns the number of bits in which a and b differ.
func Hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// Bands splits a fingerprint into four 16-bit bands, lowest bits first.
// A store indexes the four bands (one column each) and finds candidates
// with Probes.
func Bands(h uint64) [4]uint16 {
	return [4]uint16{uint16(h), uint16(h >> 16), uint16(h >> 32), uint16(h >> 48)}
}

// Probes returns, for each of the four bands of h, the band values a
// near-duplicate may have in that band: the band itself (index 0) and the
// 16 values one bit away from it. Two fingerprints at most 7 bits apart
// spread those bits over four bands, so some band differs in at most one
// bit (four bands with two or more would make eight): looking up
// band i ∈ Probes(h)[i] for each i finds every fingerprint within
// NearDistance, among about 68·n/65536 candidates (1,000 at a million).
// Candidates must then be checked with Hamming.
func Probes(h uint64) [4][17]uint16 {
	var out [4][17]uint16
	for i, b := range Bands(h) {
		out[i][0] = b
		for bit := range 16 {
			out[i][bit+1] = b ^ 1<<bit
		}
	}
	return out
}

// NearIndex finds near-duplicate fingerprints in memory by their bands.
// Each band value has a bucket of entry numbers; a lookup compares the
// fingerprints in the 68 buckets Probes names, about 68·n/65536 of them
// (1,000 at a million entries). The zero value is ready to use; it is not
// safe for concurrent use. It allocates 6 MB of bucket tables on the first
// Add and 72 bytes per entry (64 MB for a million), so it is meant for
// large sets (a unit's items), not one per event.
type NearIndex struct {
	ids     []int64
	buckets [4]*[1 << 16][]nearEntry
}

// nearEntry keeps the fingerprint in the bucket, so a lookup reads each
// bucket sequentially instead of chasing a thousand entry numbers.
type nearEntry struct {
	h uint64
	n int32
}

// Add adds a fingerprint with its id. Adding the same id twice keeps both
// entries; Nearest then returns either. Fingerprint 0 (none) is ignored.
func (x *NearIndex) Add(id int64, h uint64) {
	if h == 0 {
		return
	}
	if x.buckets[0] == nil {
		for i := range x.buckets {
			x.buckets[i] = new([1 << 16][]nearEntry)
		}
	}
	e := nearEntry{h, int32(len(x.ids))}
	x.ids = append(x.ids, id)
	for i, b := range Bands(h) {
		x.buckets[i][b] = append(x.buckets[i][b], e)
	}
}

// Len returns the number of entries.
func (x *NearIndex) Len() int { return len(x.ids) }

// Nearest returns the entry closest to h within NearDistance bits: its id
// and distance, and ok = false when there is none. Of entries at the same
// distance the one added first wins, so the result does not depend on
// bucket order.
func (x *NearIndex) Nearest(h uint64) (id int64, dist int, ok bool) {
	if x.buckets[0] == nil || h == 0 {
		return 0, 0, false
	}
	best, bestDist := int32(-1), NearDistance+1
	for i, b := range Bands(h) {
		bucket := x.buckets[i]
		for bit := -1; bit < 16; bit++ {
			probe := b
			if bit >= 0 {
				probe ^= 1 << bit
			}
			for _, e := range bucket[probe] {
				d := bits.OnesCount64(e.h ^ h)
				if d < bestDist || d == bestDist && e.n < best {
					best, bestDist = e.n, d
				}
			}
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return x.ids[best], bestDist, true
}
