package textscan

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestCell8Probe measures whether 8-byte cells (check and next state,
// the output count stored apart, a flag bit in the next state saying
// there is one) would pay: the same one-lane counting loop over the
// automaton as it is (16-byte cells) and over an 8-byte copy, alternating
// slices of thread CPU time. It needs TEXTSCAN_DATA (the bench's data
// directory) and TEXTSCAN_CELL8=1; it is a measurement, not a test.
func TestCell8Probe(t *testing.T) {
	dir := os.Getenv("TEXTSCAN_DATA")
	if dir == "" || os.Getenv("TEXTSCAN_CELL8") == "" {
		t.Skip("set TEXTSCAN_DATA and TEXTSCAN_CELL8=1")
	}
	runtime.LockOSThread() // slice reads this thread's CPU time
	defer runtime.UnlockOSThread()
	words := readLines(t, filepath.Join(dir, "words_jieba.txt"))
	houbb := readLines(t, filepath.Join(dir, "lexicon_houbb.txt"))
	raw, err := os.ReadFile(filepath.Join(dir, "corpus/corpus_sample.txt"))
	if err != nil {
		t.Skip(err)
	}
	text := string(raw[:runeCut(string(raw), 1<<20)])
	sets := []struct {
		name string
		w    []string
	}{{"1k", words[:1000]}, {"10k", words[:10000]}, {"100k", words[:100000]}, {"houbb", houbb}}
	for _, set := range sets {
		ps := make([]Pattern, len(set.w))
		for i, w := range set.w {
			ps[i] = Pattern{Text: w}
		}
		m := MustCompile(ps, Options{})
		c8, cnt := cells8(m)
		a, b := count16(m, text), count8(m, c8, cnt, text)
		if a != b || a != m.Count(text) {
			t.Fatalf("%s: count16 %d, count8 %d, Count %d", set.name, a, b, m.Count(text))
		}
		var r16, r8 []float64
		for range 9 {
			r16 = append(r16, slice(func() { count16(m, text) }, len(text)))
			r8 = append(r8, slice(func() { count8(m, c8, cnt, text) }, len(text)))
		}
		ratio := make([]float64, len(r16))
		for i := range r16 {
			ratio[i] = r8[i] / r16[i]
		}
		slices.Sort(ratio)
		fmt.Printf("cell8 %-6s cells %6.2f MB → %5.2f MB (+%4.2f MB counts)  16-byte %6.1f MB/s  8-byte %6.1f MB/s  8/16 %.2f× (%.2f–%.2f)\n",
			set.name, float64(16*len(m.cells))/1e6, float64(8*len(c8))/1e6, float64(4*len(cnt))/1e6,
			med(r16), med(r8), ratio[len(ratio)/2], ratio[0], ratio[len(ratio)-1])
	}
}

func readLines(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := sc.Text()
		if i := indexSpace(w); i >= 0 {
			w = w[:i]
		}
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func indexSpace(s string) int {
	for i, r := range s {
		if r == ' ' || r == '\t' {
			return i
		}
	}
	return -1
}

func med(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func slice(f func(), size int) float64 {
	var ru syscall.Rusage
	cpu := func() time.Duration {
		syscall.Getrusage(1, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	c0, n := cpu(), 0
	for cpu()-c0 < 60*time.Millisecond {
		f()
		n++
	}
	return float64(size*n) / (cpu() - c0).Seconds() / 1e6
}

type cell8 struct{ check, next int32 }

const hasOut = 1 << 30

func cells8(m *Matcher) ([]cell8, []uint32) {
	c8 := make([]cell8, len(m.cells))
	cnt := make([]uint32, len(m.cells))
	for i, c := range m.cells {
		c8[i] = cell8{c.check, c.to.next()}
		if o := c.to.out(); o != 0 {
			c8[i].next |= hasOut
			cnt[i] = m.outs[o].count
		}
	}
	return c8, cnt
}

// count16 is the one-lane counting loop over the automaton as it is.
func count16(m *Matcher, text string) int {
	cp, tp, symtab := unsafe.Pointer(unsafe.SliceData(m.cells)), unsafe.Pointer(unsafe.StringData(text)), m.symtab
	outs := m.outs
	s, n := int32(0), 0
	for i := 0; i < len(text); {
		var c uint32
		if i+2 < len(text) {
			b0 := *(*byte)(unsafe.Add(tp, i))
			c = uint32(symtab[b0])
			i++
			if b0 >= 0x80 {
				x := *(*byte)(unsafe.Add(tp, i)) ^ 0x80
				y := *(*byte)(unsafe.Add(tp, i+1)) ^ 0x80
				if b0-0xE1 > 0xEF-0xE1 || x|y > 0x3F {
					var w int
					c, w = m.symSlow(text, i-1)
					i += w - 1
				} else {
					c, i = uint32(symtab[uint16(b0)<<12|uint16(x)<<6|uint16(y)]), i+2
					if c == symOverflow {
						c = m.symWide(rune(uint16(b0)<<12 | uint16(x)<<6 | uint16(y)))
					}
				}
			}
		} else {
			var w int
			c, w = m.symSlow(text, i)
			i += w
		}
		var to trans
		if m.branchless {
			x := cellAt(cp, s&baseMask+int32(c))
			for s < 0 && x.check != s {
				s = cellAt(cp, s&baseMask).to.next()
				x = cellAt(cp, s&baseMask+int32(c))
			}
			own := -trans(b2i(x.check == s))
			to = x.to&own | cellAt(cp, int32(c)).to&^own
		} else {
			to = step(m.cells, s, c)
		}
		s = to.next()
		n += int(outs[to.out()].count)
	}
	return n
}

// count8 is count16 over 8-byte cells: the count is loaded from its own
// array only when the next state's flag says there is output.
func count8(m *Matcher, c8 []cell8, cnt []uint32, text string) int {
	cp, tp, symtab := unsafe.Pointer(unsafe.SliceData(c8)), unsafe.Pointer(unsafe.StringData(text)), m.symtab
	at := func(i int32) *cell8 { return (*cell8)(unsafe.Add(cp, uintptr(uint32(i))*8)) }
	s, n := int32(0), 0
	for i := 0; i < len(text); {
		var c uint32
		if i+2 < len(text) {
			b0 := *(*byte)(unsafe.Add(tp, i))
			c = uint32(symtab[b0])
			i++
			if b0 >= 0x80 {
				x := *(*byte)(unsafe.Add(tp, i)) ^ 0x80
				y := *(*byte)(unsafe.Add(tp, i+1)) ^ 0x80
				if b0-0xE1 > 0xEF-0xE1 || x|y > 0x3F {
					var w int
					c, w = m.symSlow(text, i-1)
					i += w - 1
				} else {
					c, i = uint32(symtab[uint16(b0)<<12|uint16(x)<<6|uint16(y)]), i+2
					if c == symOverflow {
						c = m.symWide(rune(uint16(b0)<<12 | uint16(x)<<6 | uint16(y)))
					}
				}
			}
		} else {
			var w int
			c, w = m.symSlow(text, i)
			i += w
		}
		idx := s&baseMask + int32(c)
		x := at(idx)
		if m.branchless {
			for s < 0 && x.check != s {
				s = at(s&baseMask).next &^ hasOut
				idx = s&baseMask + int32(c)
				x = at(idx)
			}
			own := -int32(b2i(x.check == s))
			idx = idx&own | int32(c)&^own
		} else {
			for x.check != s {
				if s >= 0 {
					idx = int32(c)
					break
				}
				s = at(s&baseMask).next &^ hasOut
				idx = s&baseMask + int32(c)
				x = at(idx)
			}
		}
		nx := at(idx).next
		if nx&hasOut != 0 {
			n += int(cnt[idx])
		}
		s = nx &^ hasOut
	}
	return n
}
