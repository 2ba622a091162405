//go:build ignore

// gen.go curates the default screening lexicon from the shared data folder
// (see ../../../../shared/data/README.md for sources and licences). Run from
// internal/infosub with `go generate`; it rewrites the generated TSV files in
// this folder. Hand-written lists (规范表述_公文.tsv, 过时称谓.tsv, 禁用词.tsv,
// 例外.tsv, 敏感词_邪教.tsv) are not touched, nor is 例外_词内.tsv, which
// tools/allowgen generates from all the others (rerun it after this).
//
// Curation rules, because the raw lists are noise-heavy:
//   - 规范表述 (wording_xinhua.tsv, 56 rows): every row except 2-character
//     forms that occur in the newswire corpus (中台 in 集中台账), severity 1 (提示),
//     the note kept, since many rows depend on context; the first
//     alternative of "right" is the one-click replacement.
//   - 易错词 (typos_pycorrector.tsv): CJK-only pairs of 3+ characters on the
//     wrong side (2-character "typos" such as 在考 are parts of correct
//     words: 在考虑), not differing only in 的/地/得, with no traditional or
//     rare character, and whose wrong form never occurs in the edited
//     newswire corpus (corpus/news_msra_ner.jsonl) — a form that occurs in
//     edited news is a legitimate string somewhere.
//   - 敏感词 (lexicon_konsheng_categories.tsv): only 反动词库, 暴恐词库 and
//     涉枪涉爆; CJK-only, 3–10 characters; never in the newswire corpus or
//     the seed document; no official vocabulary (形式主义, 四风, 双规, 党风廉政
//     … appear in every unit's own reports) unless the term is a slogan
//     against the Party or state (打倒…, 推翻…). Severity 2 (阻断).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	data := flag.String("data", "../../../shared/data", "shared data folder")
	seed := flag.String("seed", "../../../shared/seed/000_bdd1e1e32e2f2a18.txt", "seed document")
	out := flag.String("out", "lexicon", "output folder")
	flag.Parse()
	news := readNews(filepath.Join(*data, "corpus/news_msra_ner.jsonl"))
	seedText, err := os.ReadFile(*seed)
	check(err)
	words := readWords(filepath.Join(*data, "words_jieba.txt"))
	inRef := func(t string) bool { return strings.Contains(news, t) || strings.Contains(string(seedText), t) }

	// 规范表述
	var wording [][]string
	for i, r := range readTSV(filepath.Join(*data, "wording_xinhua.tsv")) {
		if i == 0 || len(r) < 5 {
			continue
		}
		if utf8.RuneCountInString(r[0]) == 2 && (strings.Contains(news, r[0]) || r[0] == "中台" || r[0] == "中港") {
			continue // 2-character forms such as 中台 (集中台账) occur inside correct text
		}
		right := strings.Split(r[1], "|")[0]
		if strings.HasPrefix(right, "（") {
			right = ""
		}
		wording = append(wording, []string{r[0], "规范表述", "1", right, r[2] + "：" + r[3] + "。来源：" + r[4]})
	}
	write(filepath.Join(*out, "规范表述_新华社.tsv"), "新华社禁用词和慎用词 (wording_xinhua.tsv)", wording)

	// 易错词
	var typos [][]string
	for i, r := range readTSV(filepath.Join(*data, "typos_pycorrector.tsv")) {
		if i == 0 || len(r) < 2 {
			continue
		}
		w, right := r[0], r[1]
		if utf8.RuneCountInString(w) < 3 || !allHan(w) || !allHan(right) || w == right || onlyDe(w, right) || inRef(w) || rare(w) ||
			!words[right] || words[w] {
			continue
		}
		typos = append(typos, []string{w, "易错词", "1", right, "pycorrector custom_confusion (Apache-2.0)"})
	}
	write(filepath.Join(*out, "易错词_pycorrector.tsv"), "pycorrector tests/custom_confusion.txt，curated", typos)

	// 敏感词
	keepCat := map[string]bool{"反动词库": true, "暴恐词库": true, "涉枪涉爆": true}
	official := []string{"主义", "四风", "双规", "廉政", "腐败", "党风", "政治", "形式", "官僚", "十七大", "十八大", "四人帮", "特供",
		"拆除", "风波", "社会", "办事", "改革", "人民", "群众", "干部", "维稳", "上访", "信访", "宗教", "民族", "党员", "领导", "势力", "军区", "人权", "新闻", "电视", "电台", "网"}
	slogan := []string{"打倒", "推翻", "灭亡", "亡共", "灭共", "反共", "独立"}
	seen := map[string]bool{}
	var sens [][]string
	for i, r := range readTSV(filepath.Join(*data, "lexicon_konsheng_categories.tsv")) {
		if i == 0 || len(r) < 2 || !keepCat[r[1]] {
			continue
		}
		t := r[0]
		n := utf8.RuneCountInString(t)
		if seen[t] || n < 3 || n > 10 || !allHan(t) || inRef(t) || rare(t) {
			continue
		}
		isSlogan := containsAny(t, slogan)
		if containsAny(t, official) && !isSlogan {
			continue
		}
		seen[t] = true
		sens = append(sens, []string{t, "敏感词", "2", "", "konsheng/Sensitive-lexicon " + r[1] + "（MIT）"})
	}
	sort.Slice(sens, func(i, j int) bool { return sens[i][0] < sens[j][0] })
	write(filepath.Join(*out, "敏感词_konsheng.tsv"), "konsheng/Sensitive-lexicon 反动词库/暴恐词库/涉枪涉爆，curated", sens)
	fmt.Printf("规范表述 %d, 易错词 %d, 敏感词 %d\n", len(wording), len(typos), len(sens))
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// rare: outside the CJK Unified Ideographs block's common range, or a
// traditional-only form the drafts (simplified) will not contain.
func rare(s string) bool {
	for _, r := range s {
		if r < 0x4E00 || r > 0x9FA5 || strings.ContainsRune("餵暱锺撘葚埤", r) {
			return true
		}
	}
	return false
}

func onlyDe(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if ra[i] != rb[i] && !(strings.ContainsRune("的地得", ra[i]) && strings.ContainsRune("的地得", rb[i])) {
			return false
		}
	}
	return true
}

func readWords(path string) map[string]bool {
	m := map[string]bool{}
	for _, r := range readTSV(path) {
		m[r[0]] = true
	}
	return m
}

func readNews(path string) string {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil {
			b.WriteString(rec.Text)
			b.WriteByte('\n')
		}
	}
	check(sc.Err())
	return b.String()
}

func readTSV(path string) [][]string {
	data, err := os.ReadFile(path)
	check(err)
	var out [][]string
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		out = append(out, strings.Split(line, "\t"))
	}
	return out
}

func write(path, source string, rows [][]string) {
	var b strings.Builder
	b.WriteString("# 生成文件，请勿手改（go generate ./internal/infosub）。来源：" + source + "\n")
	b.WriteString("# 词\t类别\t级别\t建议\t说明\n")
	for _, r := range rows {
		for i := range r {
			r[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(r[i])
		}
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	check(os.WriteFile(path, []byte(b.String()), 0o644))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
