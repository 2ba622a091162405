// Command allowgen writes internal/infosub/lexicon/例外_词内.tsv: for every
// built-in screening term, the ordinary words that contain it or overlap
// one of its ends, where the term is not a word of its own. Those become
// 例外 entries scoped to the term (their 建议 column names it), so that
// 农业部 is not reported inside 现代农业部署 and 亲们 not inside 乡亲们.
//
// It is a separate module (like bench/) so that the segmenter and its
// 10 MB dictionary never enter the product. Run from this folder:
//
//	go run . -lexicon ../../internal/infosub/lexicon
//
// How a candidate is decided: the dictionary is gse's simplified-Chinese
// dictionary (github.com/go-ego/gse, Apache-2.0; its word list and
// frequencies come from jieba, MIT). For a term T the candidates are
//   - dictionary words that contain T (乡亲们 ⊃ 亲们),
//   - for 规范表述, 禁用词 and 过时称谓 (real words, which ordinary words
//     run into), T followed by a word that starts with an end of T
//     (农业部 + 部署 → 农业部署) and a word that ends with a start of T
//     followed by T (乡亲 + 亲们 → 乡亲们), when that word is common
//     (frequency ≥ overlapFreq) and at least twice as frequent as T and as
//     the word of T it cuts into: without the text around it, a rare
//     reading (农业/部将, 委员会/会同) must not beat the term;
//
// using words with a dictionary frequency of at least minFreq. 易错词 and
// 敏感词 get only the first kind: a misspelling or a sensitive phrase is not
// a word gse knows, so it would never be "a word of its own" in a cut.
// gse cuts each candidate (dictionary plus HMM, as jieba does); when the
// cut does not put a word boundary at both ends of T, T is part of
// another word there and the candidate is written out. For 过时称谓 some
// candidates stay reported, because the institution is still named: a
// place or level in front (国家环保局, 市农业局), a post or an action
// behind (农业部长, 工商局副局长, 农业部下发), and a longer institution
// name (农业部渔业局, 卫生计生委员会, 扶贫办公室). Candidates that are themselves lexicon terms are
// skipped.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-ego/gse"
)

const (
	minFreq     = 3
	overlapFreq = 300
)

// institution endings: a containing word that ends so is still an
// institution (农业部渔业局).
var institution = []string{"局", "部", "委", "办", "司", "所", "厅", "处", "中心", "站", "院", "会"}

// posts that, following an outdated institution's name, still name that
// institution (农业部长, 环保局副局长).
var posts = []string{"长", "副", "党组", "主任", "司", "处", "厅", "机关", "系统", "官员", "干部", "领导", "职工", "发布", "印发", "局", "部", "下", "将", "属", "里", "委", "级", "员", "公"}

func main() {
	lexDir := flag.String("lexicon", "../../internal/infosub/lexicon", "lexicon folder")
	flag.Parse()
	var seg gse.Segmenter
	check(seg.LoadDictEmbed("zh_s"))
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	check(err)
	words, freq := readDict(filepath.Join(strings.TrimSpace(string(dir)), "data/dict/zh/s_1.txt"))

	type term struct{ text, cat string }
	var terms []term
	lex := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(*lexDir, "*.tsv"))
	for _, f := range files {
		if strings.HasSuffix(f, "例外_词内.tsv") {
			continue
		}
		for _, r := range readTSV(f) {
			lex[r[0]] = true
			if len(r) > 1 && r[1] != "例外" && allHan(r[0]) {
				terms = append(terms, term{r[0], r[1]})
			}
		}
	}
	byPrefix, bySuffix := map[string][]string{}, map[string][]string{}
	for _, w := range words {
		rs := []rune(w)
		for k := 1; k < len(rs) && k <= 4; k++ {
			byPrefix[string(rs[:k])] = append(byPrefix[string(rs[:k])], w)
			bySuffix[string(rs[len(rs)-k:])] = append(bySuffix[string(rs[len(rs)-k:])], w)
		}
	}
	type cand struct {
		c      string
		at     int // rune offset of T in c
		before string
		after  string
	}
	seen := map[string]bool{}
	var rows [][]string
	for _, t := range terms {
		tr := []rune(t.text)
		var cs []cand
		for _, w := range words {
			if w == t.text || !strings.Contains(w, t.text) {
				continue
			}
			i := strings.Index(w, t.text)
			cs = append(cs, cand{w, len([]rune(w[:i])), w[:i], w[i+len(t.text):]})
		}
		// Titles ending in 会, 委 or 办 are followed by verbs that make
		// words with that character (会同, 委托, 办理): no overlaps behind
		// them; titles ending in 部 or 局 meet nouns (部署, 局面).
		overlaps := t.cat == "规范表述" || t.cat == "禁用词" || t.cat == "过时称谓"
		rightOverlaps := overlaps && (t.cat != "过时称谓" || strings.HasSuffix(t.text, "部") || strings.HasSuffix(t.text, "局"))
		// The word of T that the overlap cuts into: its last word for a
		// word following T, its first for one in front (农业部 → 农业部;
		// 国家卫生和计划生育委员会 → 委员会, which 会同 or 会见 do not beat).
		tcut := seg.Cut(t.text, true)
		first, last := tcut[0], tcut[len(tcut)-1]
		if len([]rune(first)) < 2 {
			first = t.text // a single character is no word to compare
		}
		if len([]rune(last)) < 2 {
			last = t.text
		}
		common := func(w, edge string) bool {
			return freq[w] >= overlapFreq && freq[w] >= 2*max(freq[t.text], freq[edge], 1)
		}
		for k := 1; k < len(tr) && overlaps; k++ {
			for _, w := range byPrefix[string(tr[len(tr)-k:])] {
				if !rightOverlaps || !common(w, last) {
					continue
				}
				rest := string([]rune(w)[k:])
				cs = append(cs, cand{t.text + rest, 0, "", rest})
			}
			for _, w := range bySuffix[string(tr[:k])] {
				if !common(w, first) {
					continue
				}
				wr := []rune(w)
				head := string(wr[:len(wr)-k])
				cs = append(cs, cand{head + t.text, len(wr) - k, head, ""})
			}
		}
		for _, c := range cs {
			key := c.c + "\t" + t.text
			if seen[key] || lex[c.c] {
				continue
			}
			seen[key] = true
			if t.cat == "过时称谓" && (c.after == "" || hasAnyPrefix(c.after, posts) || hasAnySuffix(c.after, institution)) {
				continue // 国家环保局, 农业部长, 农业部渔业局: still the institution
			}
			cut := seg.Cut(c.c, true)
			if aligned(cut, c.at, c.at+len(tr)) {
				continue
			}
			rows = append(rows, []string{c.c, "例外", "0", t.text, "词内：" + strings.Join(cut, "/") + "（gse 分词）"})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i][3] != rows[j][3] {
			return rows[i][3] < rows[j][3]
		}
		return rows[i][0] < rows[j][0]
	})
	out, err := os.Create(filepath.Join(*lexDir, "例外_词内.tsv"))
	check(err)
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "# 生成文件，请勿手改（cd tools/allowgen && go run ./）。含有筛查词但该词在其中不成词的普通词语：建议列为它豁免的词，只豁免该词。")
	fmt.Fprintf(w, "# 来源：gse 简体中文词典（github.com/go-ego/gse, Apache-2.0；词表和词频来自 jieba, MIT），词频 ≥ %d，由 gse 分词判定。\n", minFreq)
	fmt.Fprintln(w, "# 词\t类别\t级别\t建议（豁免的词）\t说明")
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join(r, "\t"))
	}
	check(w.Flush())
	check(out.Close())
	fmt.Println("例外_词内.tsv:", len(rows), "entries for", len(terms), "terms")
}

// aligned reports whether the cut puts word boundaries at rune offsets a and b.
func aligned(cut []string, a, b int) bool {
	okA, okB, pos := a == 0, false, 0
	for _, s := range cut {
		pos += len([]rune(s))
		if pos == a {
			okA = true
		}
		if pos == b {
			okB = true
		}
	}
	return okA && okB
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

func readDict(path string) ([]string, map[string]int) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	var out []string
	freq := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 2 {
			continue
		}
		n, err := strconv.Atoi(fs[1])
		if err == nil {
			freq[fs[0]] = max(freq[fs[0]], n)
		}
		if err != nil || n < minFreq || !allHan(fs[0]) || len([]rune(fs[0])) < 2 || len([]rune(fs[0])) > 8 {
			continue
		}
		out = append(out, fs[0])
	}
	check(sc.Err())
	return out, freq
}

func readTSV(path string) [][]string {
	data, err := os.ReadFile(path)
	check(err)
	var out [][]string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, "\t"))
	}
	return out
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
