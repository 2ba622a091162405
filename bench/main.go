// Command bench compares zhendi/internal/textscan with the Go
// multi-pattern matchers on real Chinese text and word lists, in one
// process and on the same inputs, and prints a Markdown table.
//
//	go run . -data ../../shared/data -out RESULTS.md
//
// See README.md for what is measured.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type shape struct {
	name string
	docs [][]byte
	size int
}

func main() {
	dataDir := flag.String("data", "../../shared/data", "directory holding words_jieba.txt and corpus/")
	sizesFlag := flag.String("sizes", "100,1000,10000,100000", "pattern-set sizes (head of words_jieba.txt)")
	multiFlag := flag.String("multi", "1000,10000,100000", "pattern-set sizes of words with two or more characters (head of words_jieba.txt without single characters; empty for none)")
	lexFlag := flag.String("lexicons", "lexicon_konsheng.txt,lexicon_houbb.txt", "further pattern sets: word lists in the data directory (empty for none)")
	dur := flag.Duration("dur", 500*time.Millisecond, "measuring time per engine and input (median of 5 rounds)")
	posts := flag.Int("posts", 2000, "number of short posts")
	longBytes := flag.Int("long", 1<<20, "size of the long document in bytes")
	regexpLimit := flag.Int("regexp-max", 1000, "largest pattern set given to regexp (it gets slow beyond)")
	cloudflareLimit := flag.Int("cloudflare-max", 100000, "largest pattern set given to cloudflare/ahocorasick")
	only := flag.String("engines", "", "comma-separated substrings: run only engines whose name matches")
	out := flag.String("out", "", "also write the table to this file")
	flag.Parse()

	words, err := readWords(filepath.Join(*dataDir, "words_jieba.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "bench: data not found in %s (%v); pass -data DIR. Skipping.\n", *dataDir, err)
		return
	}
	if err != nil {
		fatal(err)
	}
	short, err := readPosts(filepath.Join(*dataDir, "corpus", "weibo_ced.jsonl"), *posts)
	if err != nil {
		fatal(err)
	}
	long, err := readLong(filepath.Join(*dataDir, "corpus", "corpus_sample.txt"), *longBytes)
	if err != nil {
		fatal(err)
	}
	shapes := []shape{short, long}
	type patternSet struct {
		name  string
		words []string
	}
	var sets []patternSet
	for _, s := range strings.Split(*sizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fatal(fmt.Errorf("bad -sizes: %w", err))
		}
		n = min(n, len(words))
		sets = append(sets, patternSet{strconv.Itoa(n), words[:n]})
	}
	var multi []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 2 {
			multi = append(multi, w)
		}
	}
	for _, s := range strings.Split(*multiFlag, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fatal(fmt.Errorf("bad -multi: %w", err))
		}
		n = min(n, len(multi))
		sets = append(sets, patternSet{strconv.Itoa(n) + " ≥2ch", multi[:n]})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# textscan benchmark\n\n%s\n\n", machine())
	fmt.Fprintf(&b, "Command: `go run . %s`\n\n", strings.Join(os.Args[1:], " "))
	fmt.Fprintf(&b, "Patterns: the head of words_jieba.txt (most frequent first; a pattern count names the set), and whole sensitive-word lexicons (name and size). Texts: **short** = %d Weibo posts (%d bytes, avg %d bytes each) scanned one call per post; **long** = first %d bytes of corpus_sample.txt in one call.\n\n",
		len(short.docs), short.size, short.size/len(short.docs), long.size)
	fmt.Fprintln(&b, "| patterns | text | engine | mode | MB/s | matches | check | build | memory |")
	fmt.Fprintln(&b, "|---:|---|---|---|---:|---:|---|---:|---:|")
	var summary, limits []string
	for _, name := range strings.Split(*lexFlag, ",") {
		if name == "" {
			continue
		}
		ws, err := readWords(filepath.Join(*dataDir, name))
		if err != nil {
			fatal(err)
		}
		sets = append(sets, patternSet{fmt.Sprintf("%s (%d)", strings.TrimSuffix(name, ".txt"), len(ws)), ws})
	}
	for _, set := range sets {
		n, w := set.name, set.words
		autoBytes, probe := limitProbe(w, *dur)
		for i, res := range runSize(engines(*regexpLimit, *cloudflareLimit), *only, w, shapes, *dur) {
			for _, r := range res {
				fmt.Fprintln(&b, r.row(n, shapes[i].name))
			}
			summary = append(summary, summarize(n, shapes[i].name, res))
			limits = append(limits, limitRow(n, shapes[i], res, autoBytes, probe))
		}
		runtime.GC()
	}
	fmt.Fprintln(os.Stderr)
	fmt.Fprint(&b, "\n## Ours versus the fastest peer\n\n")
	fmt.Fprint(&b, "MB/s are medians of 5 rounds; textscan's rows and the baseline's are measured in interleaved rounds (see README). `AppendMatches` builds a Match (pattern, byte and rune offsets) for every match, overlapping (`ov`) or leftmost-longest (`LL`); `Walk` reports every overlapping match (pattern, byte offsets) through a callback, like BobuSumisu's Walk; `count` is textscan Count. Peers are compared in whatever mode is fastest for them. `norm cost` is normalised time ÷ raw time, for AppendMatches overlapping and for Count (target ≤ 1.3).\n\n")
	fmt.Fprintln(&b, "| patterns | text | fastest peer | peer MB/s | ours ov MB/s | ratio | ours LL MB/s | ratio | ours Walk MB/s | ratio | ours count MB/s | ratio | norm cost ov | norm cost count |")
	fmt.Fprintln(&b, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range summary {
		fmt.Fprintln(&b, s)
	}
	fmt.Fprint(&b, "\n## Against the baseline and the machine's limit\n\n")
	fmt.Fprint(&b, "`× baseline` is textscan ÷ the engine before issue 12 (bench/baseline), same mode, same run. `automaton` is the matcher's memory without its copy of the patterns; `chase ns/load` is a dependent pointer chase over an array of that size (random cycle, 16-byte slots), measured in the same run: one step of an automaton that always misses the cache costs about that. `ns/char` is textscan's time per character of input.\n\n")
	fmt.Fprintln(&b, "| patterns | text | automaton | chase ns/load | Walk ns/char | count ns/char | ov × baseline | LL × baseline | Walk × baseline | count × baseline |")
	fmt.Fprintln(&b, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range limits {
		fmt.Fprintln(&b, s)
	}
	fmt.Print(b.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
			fatal(err)
		}
	}
}

const rounds = 5

type result struct {
	e       engine
	mbps    float64
	matches int
	check   string
	build   time.Duration
	mem     uint64
	skipped string
}

func (r result) row(n string, shape string) string {
	if r.skipped != "" {
		return fmt.Sprintf("| %s | %s | %s | %s | – | – | %s | – | – |", n, shape, r.e.name, r.e.mode, r.skipped)
	}
	name := r.e.name
	if r.e.ours {
		name = "**" + name + "**"
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %d | %s | %s | %.1f MB |", n, shape, name, r.e.mode,
		mbps(r.mbps), r.matches, r.check, r.build.Round(time.Millisecond), float64(r.mem)/(1<<20))
}

func mbps(x float64) string {
	if x < 10 {
		return fmt.Sprintf("%.2g", x)
	}
	return fmt.Sprintf("%.0f", x)
}

// runSize measures every engine on every text shape for one pattern set.
// Peers run one at a time: each is built, measured and dropped before the
// next, so that one engine's heap (cloudflare's 100k automaton is about 3
// GB) does not slow the garbage collection of another that allocates
// while it scans. textscan's engines and the baseline's are small, and
// they and BobuSumisu's Walk allocate nothing while scanning: they are
// built together and measured in interleaved rounds (every engine
// runs round 1, then every engine round 2, …), so that a change in the
// machine's load falls on all of them alike. Each figure is the median of
// its rounds.
func runSize(es []engine, only string, words []string, shapes []shape, dur time.Duration) [][]result {
	refs := make([]map[string]int, len(shapes))
	for i, sh := range shapes {
		refs[i] = referenceCounts(es, words, sh)
	}
	res := make([][]result, len(es)) // [engine][shape]
	fs := make([]scanFunc, len(es))
	var group []int
	for i, e := range es {
		if only != "" && !matchesAny(e.name, only) {
			continue
		}
		if e.ours || e.baseline || e.inter {
			group = append(group, i)
			continue
		}
		base, f := buildEngine(e, words)
		for si, sh := range shapes {
			r := base
			if r.skipped == "" {
				r.matches = total(f, sh.docs) // also warms caches and buffers
				r.check = check(r, refs[si])
				r.mbps = measure(f, sh, dur)
			}
			res[i] = append(res[i], r)
			fmt.Fprint(os.Stderr, ".")
		}
		f = nil
		runtime.GC()
	}
	bases := make([]result, len(es))
	for _, i := range group {
		bases[i], fs[i] = buildEngine(es[i], words)
	}
	for si, sh := range shapes {
		samples := make([][]float64, len(es))
		for _, i := range group {
			r := bases[i]
			if r.skipped == "" {
				r.matches = total(fs[i], sh.docs)
				r.check = check(r, refs[si])
			}
			res[i] = append(res[i], r)
		}
		for range rounds {
			for _, i := range group {
				if bases[i].skipped == "" {
					samples[i] = append(samples[i], round(fs[i], sh, dur/rounds))
				}
			}
			fmt.Fprint(os.Stderr, ".")
		}
		for _, i := range group {
			if len(samples[i]) > 0 {
				res[i][si].mbps = median(samples[i])
			}
		}
	}
	out := make([][]result, len(shapes))
	for i := range es {
		for si, r := range res[i] {
			out[si] = append(out[si], r)
		}
	}
	return out
}

// buildEngine compiles e's automaton for words and measures the time and
// the live heap that takes.
func buildEngine(e engine, words []string) (result, scanFunc) {
	base := result{e: e}
	if e.limit > 0 && len(words) > e.limit {
		base.skipped = fmt.Sprintf("skipped: more than %d patterns (see README)", e.limit)
		return base, nil
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	f, err := e.build(words)
	base.build = time.Since(t0)
	if err != nil {
		base.skipped = "build failed: " + err.Error()
		return base, nil
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > before.HeapAlloc {
		base.mem = after.HeapAlloc - before.HeapAlloc
	}
	return base, f
}

// measure returns the median throughput of several rounds.
func measure(f scanFunc, sh shape, dur time.Duration) float64 {
	var xs []float64
	for range rounds {
		x := round(f, sh, dur/rounds)
		xs = append(xs, x)
		if float64(sh.size)/x/1e6 > (dur / rounds).Seconds() {
			break // one pass takes longer than a round: one pass is the measurement
		}
	}
	return median(xs)
}

// round runs f over the shape's documents for about d and returns MB/s.
// Time is the CPU time of this process where the system reports it (so
// that other load on a shared machine does not count against an engine;
// the runtime's garbage collection work does count), wall-clock time
// otherwise. A round makes at least one pass.
func round(f scanFunc, sh shape, d time.Duration) float64 {
	iters := 0
	t0 := time.Now()
	c0, cpuOK := cpuTime()
	for iters == 0 || time.Since(t0) < d {
		total(f, sh.docs)
		iters++
	}
	el := time.Since(t0)
	if c1, ok := cpuTime(); cpuOK && ok && c1 > c0 {
		el = c1 - c0
	}
	return float64(sh.size) * float64(iters) / el.Seconds() / 1e6
}

func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}

// referenceCounts returns textscan's match counts per mode.
func referenceCounts(es []engine, words []string, sh shape) map[string]int {
	ref := map[string]int{}
	for _, e := range es {
		if e.ours && !e.norm && (e.mode == "overlapping" || e.mode == "leftmost-longest") {
			f, err := e.build(words)
			if err != nil {
				fatal(err)
			}
			ref[e.mode] = total(f, sh.docs)
		}
	}
	ref["count"] = ref["overlapping"]
	ref["distinct"] = total(distinctPatterns(words), sh.docs)
	return ref
}

func check(r result, ref map[string]int) string {
	want, ok := ref[r.e.mode]
	switch {
	case r.e.norm:
		return "n/a (normalised)"
	case !ok:
		return "?"
	case want == r.matches:
		return "ok"
	}
	s := fmt.Sprintf("**DIFFERS** (textscan %d)", want)
	if strings.HasPrefix(r.e.name, "petar") && r.e.mode == "leftmost-longest" {
		s += " ¹"
	}
	return s
}

// pick returns the MB/s of the first result that is textscan's (or the
// baseline's) in the given mode, with or without normalisation, whose
// name contains part.
func pick(res []result, baseline, norm bool, mode, part string) float64 {
	for _, r := range res {
		if r.skipped == "" && (r.e.ours || r.e.baseline) && r.e.baseline == baseline && r.e.norm == norm &&
			r.e.mode == mode && strings.Contains(r.e.name, part) {
			return r.mbps
		}
	}
	return 0
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func summarize(n string, shape string, res []result) string {
	var best result
	for _, r := range res {
		if r.skipped == "" && !r.e.ours && !r.e.baseline && r.mbps > best.mbps {
			best = r
		}
	}
	ov := pick(res, false, false, "overlapping", "AppendMatches")
	ll := pick(res, false, false, "leftmost-longest", "AppendMatches")
	walk := pick(res, false, false, "overlapping", "Walk")
	count := pick(res, false, false, "count", "Count")
	normOv := pick(res, false, true, "overlapping", "")
	normCount := pick(res, false, true, "count", "")
	peer := "–"
	if best.e.name != "" {
		peer = fmt.Sprintf("%s (%s)", best.e.name, best.e.mode)
	}
	return fmt.Sprintf("| %s | %s | %s | %.1f | %.1f | %s | %.1f | %s | %.1f | %s | %.1f | %s | %s | %s |", n, shape, peer, best.mbps,
		ov, ratio(ov, best.mbps), ll, ratio(ll, best.mbps), walk, ratio(walk, best.mbps), count, ratio(count, best.mbps),
		ratio(ov, normOv), ratio(count, normCount))
}

// limitRow compares textscan with the baseline and with the pointer
// chase over an array of the automaton's size.
func limitRow(n string, sh shape, res []result, autoBytes int, chaseNs float64) string {
	runes := 0
	for _, d := range sh.docs {
		runes += utf8.RuneCount(d)
	}
	bytesPerChar := float64(sh.size) / float64(runes)
	nsPerChar := func(mbps float64) string {
		if mbps == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f", 1e3/mbps*bytesPerChar)
	}
	cmp := func(mode, part string) string {
		return ratio(pick(res, false, false, mode, part), pick(res, true, false, mode, part))
	}
	return fmt.Sprintf("| %s | %s | %.1f MB | %.2f | %s | %s | %s | %s | %s | %s |", n, sh.name, float64(autoBytes)/(1<<20), chaseNs,
		nsPerChar(pick(res, false, false, "overlapping", "Walk")), nsPerChar(pick(res, false, false, "count", "Count")),
		cmp("overlapping", "AppendMatches"), cmp("leftmost-longest", "AppendMatches"), cmp("overlapping", "Walk"), cmp("count", "Count"))
}

func total(f scanFunc, docs [][]byte) int {
	n := 0
	for _, d := range docs {
		n += f(d)
	}
	return n
}

func matchesAny(name, list string) bool {
	for _, s := range strings.Split(list, ",") {
		if s != "" && strings.Contains(strings.ToLower(name), strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// readWords returns the distinct, non-empty words of a one-word-per-line
// file in file order.
func readWords(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	seen := map[string]bool{}
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if w == "" || seen[w] || !utf8.ValidString(w) {
			continue
		}
		seen[w] = true
		words = append(words, w)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return words, nil
}

// readPosts takes the first n Weibo records of 40 to 200 characters.
func readPosts(path string, n int) (shape, error) {
	f, err := os.Open(path)
	if err != nil {
		return shape{}, err
	}
	defer f.Close()
	sh := shape{name: "short"}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() && len(sh.docs) < n {
		var rec struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return sh, fmt.Errorf("read %s: %w", path, err)
		}
		if c := utf8.RuneCountInString(rec.Text); c < 40 || c > 200 {
			continue
		}
		sh.docs = append(sh.docs, []byte(rec.Text))
		sh.size += len(rec.Text)
	}
	if err := sc.Err(); err != nil {
		return sh, fmt.Errorf("read %s: %w", path, err)
	}
	return sh, nil
}

// readLong reads about size bytes of the plain-text corpus, cut at a line end.
func readLong(path string, size int) (shape, error) {
	f, err := os.Open(path)
	if err != nil {
		return shape{}, err
	}
	defer f.Close()
	buf := make([]byte, size)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return shape{}, fmt.Errorf("read %s: %w", path, err)
	}
	buf = buf[:n]
	if i := bytes.LastIndexByte(buf, '\n'); i > 0 {
		buf = buf[:i+1]
	}
	return shape{name: "long", docs: [][]byte{buf}, size: len(buf)}, nil
}

func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				_, v, _ := strings.Cut(line, ":")
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			load = fmt.Sprintf(" Load average at start: %s %s %s (the machine may be shared: MB/s is input per CPU second of the benchmark process, median of %d rounds).", f[0], f[1], f[2], rounds)
		}
	}
	return fmt.Sprintf("Machine: %s, %d logical CPUs, %s/%s, %s. Run %s.%s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 UTC"), load)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
