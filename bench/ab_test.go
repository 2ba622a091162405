//go:build ab

package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	prevscan "zhendi/bench/prevscan"
	"zhendi/internal/textscan"
)

var (
	abRounds = flag.Int("ab.rounds", 15, "rounds")
	abSlice  = flag.Duration("ab.slice", 100*time.Millisecond, "CPU time per engine and round")
	abSets   = flag.String("ab.sets", "1000", "pattern-set sizes (head of words_jieba.txt)")
	abModes  = flag.String("ab.modes", "ov,ll,walk,count", "modes")
)

// threadCPU is the CPU time of the calling thread (the test locks itself
// to one): other goroutines' and other processes' work does not count.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type abEngine struct {
	name string
	f    scanFunc
}

// TestAB measures, for each set, shape and mode, textscan now ("new"),
// textscan at the revision ab.sh exported ("prev") and BobuSumisu's Walk
// ("peer", every overlapping match), alternating them every slice of CPU
// time, so that load changes fall on all three alike.
func TestAB(t *testing.T) {
	runtime.LockOSThread()
	words, err := readWords(filepath.Join(profileData, "words_jieba.txt"))
	if err != nil {
		t.Skip(err)
	}
	short, err := readPosts(filepath.Join(profileData, "corpus/weibo_ced.jsonl"), 2000)
	if err != nil {
		t.Skip(err)
	}
	long, err := readLong(filepath.Join(profileData, "corpus/corpus_sample.txt"), 1<<20)
	if err != nil {
		t.Skip(err)
	}
	fmt.Printf("A/B %s, %d rounds of %v per engine, load %s\n", time.Now().UTC().Format("15:04"), *abRounds, *abSlice, loadavg())
	for _, ns := range strings.Split(*abSets, ",") {
		n, _ := strconv.Atoi(ns)
		w := words[:n]
		peer := bobuEngine(t, w)
		for _, sh := range []shape{short, long} {
			for _, mode := range strings.Split(*abModes, ",") {
				es := []abEngine{{"new", ourEngine(t, w, mode)}, {"prev", prevEngine(t, w, mode)}, {"peer", peer}}
				if a, b := total(es[0].f, sh.docs), total(es[1].f, sh.docs); a != b {
					t.Fatalf("%d %s %s: new finds %d, prev %d", n, sh.name, mode, a, b)
				}
				abRow(fmt.Sprintf("%d %s %s", n, sh.name, mode), es, sh)
			}
		}
	}
	fmt.Printf("load at the end %s\n", loadavg())
}

func abRow(name string, es []abEngine, sh shape) {
	mbps := make([][]float64, len(es))
	for range *abRounds {
		for i, e := range es {
			iters := 0
			c0 := threadCPU()
			var el time.Duration
			for el < *abSlice {
				total(e.f, sh.docs)
				iters++
				el = threadCPU() - c0
			}
			mbps[i] = append(mbps[i], float64(sh.size)*float64(iters)/el.Seconds()/1e6)
		}
	}
	ratio := func(a, b []float64) string {
		r := make([]float64, len(a))
		for i := range a {
			r[i] = a[i] / b[i]
		}
		slices.Sort(r)
		return fmt.Sprintf("%.2f× (%.2f–%.2f, IQR %.2f–%.2f)", median(r), r[0], r[len(r)-1], r[len(r)/4], r[len(r)*3/4])
	}
	fmt.Printf("%-20s new %6.1f prev %6.1f peer %6.1f MB/s | new/prev %s | new/peer %s | prev/peer %s\n",
		name, median(mbps[0]), median(mbps[1]), median(mbps[2]), ratio(mbps[0], mbps[1]), ratio(mbps[0], mbps[2]), ratio(mbps[1], mbps[2]))
}

func loadavg() string {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f", float64(si.Loads[0])/65536)
}

func bobuEngine(t *testing.T, w []string) scanFunc {
	for _, e := range engines(0, 0) {
		if strings.HasPrefix(e.name, "BobuSumisu") {
			f, err := e.build(w)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatal("no BobuSumisu engine")
	return nil
}

func ourEngine(t *testing.T, w []string, mode string) scanFunc {
	m, err := textscan.Compile(patterns(w), textscan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf []textscan.Match
	switch mode {
	case "ov":
		return func(d []byte) int { buf = m.AppendMatchesBytes(buf[:0], d, textscan.Overlapping); return len(buf) }
	case "ll":
		return func(d []byte) int { buf = m.AppendMatchesBytes(buf[:0], d, textscan.LeftmostLongest); return len(buf) }
	case "walk":
		return func(d []byte) int {
			n := 0
			m.WalkBytes(d, func(_, _, _ int) bool { n++; return true })
			return n
		}
	default:
		return m.CountBytes
	}
}

func prevEngine(t *testing.T, w []string, mode string) scanFunc {
	ps := make([]prevscan.Pattern, len(w))
	for i, x := range w {
		ps[i] = prevscan.Pattern{ID: i, Text: x}
	}
	m, err := prevscan.Compile(ps, prevscan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf []prevscan.Match
	switch mode {
	case "ov":
		return func(d []byte) int { buf = m.AppendMatchesBytes(buf[:0], d, prevscan.Overlapping); return len(buf) }
	case "ll":
		return func(d []byte) int { buf = m.AppendMatchesBytes(buf[:0], d, prevscan.LeftmostLongest); return len(buf) }
	case "walk":
		return func(d []byte) int {
			n := 0
			m.WalkBytes(d, func(_, _, _ int) bool { n++; return true })
			return n
		}
	default:
		return m.CountBytes
	}
}
