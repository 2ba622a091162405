package infosub

import (
	"io/fs"
	"strings"
	"testing"
)

// TestLexiconFullWidth (issue 14 B5): the built-in lexicon's notes and
// suggestions are shown with every finding and on the 词库 page and its
// export, and the files' header notes are read by whoever maintains them;
// they said "社会生活: 同上 来源: …", "词内: 之一/带/一路/战略 (gse 分词)".
// The product's own punctuation screening finds nothing in them now.
func TestLexiconFullWidth(t *testing.T) {
	names, err := fs.Glob(lexiconFS, "lexicon/*.tsv")
	if err != nil || len(names) == 0 {
		t.Fatalf("no lexicon files: %v", err)
	}
	bad := 0
	for _, name := range names {
		data, err := lexiconFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(data), "\n") {
			var texts []string
			if h, ok := strings.CutPrefix(line, "# "); ok {
				texts = []string{h}
			} else if f := strings.Split(line, "\t"); len(f) >= 5 {
				texts = f[3:5]
			}
			for _, text := range texts {
				for _, f := range punctuation(text) {
					if bad++; bad <= 10 {
						t.Errorf("%s line %d: %q in %q (want %s)", name, n+1, f.Text, text, f.Suggest)
					}
				}
			}
		}
	}
	if bad > 10 {
		t.Errorf("%d half-width marks in Chinese text in all", bad)
	}
}
