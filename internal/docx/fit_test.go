package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
)

// TestTightLines checks the layout model on lines whose breaks are known:
// a paragraph whose second line is 28 characters followed by ，is set
// closer there (29 characters on the line), one whose line ends before a
// Chinese character is left alone, and a line-start mark after a number
// is taken with the number's line.
func TestTightLines(t *testing.T) {
	han := func(n int) string { return strings.Repeat("文", n) }
	cases := []struct {
		name string
		text string
		want []string // the text of each condensed line
	}{
		// First line: 26 characters after the two-character indent.
		{"first line", han(26) + "，" + han(10), []string{han(26) + "，"}},
		{"second line", han(26) + han(28) + "。" + han(3), []string{han(28) + "。"}},
		{"two marks", han(26) + han(28) + "。”" + han(3), []string{han(28) + "。”"}},
		{"fits", han(26) + han(27) + "，" + han(3), nil},
		{"no mark", han(60), nil},
		{"short", "文，", nil},
	}
	for _, c := range cases {
		rs := []rune(c.text)
		var got []string
		for _, tr := range tightLines(rs, bodyIndent) {
			got = append(got, string(rs[tr.from:tr.to]))
			if tr.extra <= 0 || tr.extra > 30 {
				t.Errorf("%s: extra %d twips", c.name, tr.extra)
			}
			// The condensed line and its mark fit the text block.
			n := tr.to - tr.from
			indent := 0
			if tr.from == 0 {
				indent = bodyIndent
			}
			if w := indent + n*(hanTwips-tr.extra); w > TextWidth {
				t.Errorf("%s: condensed line is %d twips, the text block %d", c.name, w, TextWidth)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: condensed %q, want %q", c.name, got, c.want)
		}
	}
	// The written paragraph carries the closer spacing on that line only,
	// and the text is unchanged.
	var b bytes.Buffer
	writeFitted(&b, []Run{{Text: han(20)}, {Text: han(6) + "，" + han(4), Bold: true}})
	xml := b.String()
	if !strings.Contains(xml, `<w:rPr><w:b/><w:bCs/><w:spacing w:val="-`) || strings.Count(xml, "<w:r>") != 3 {
		t.Errorf("runs: %s", xml)
	}
	if got := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(xml, ""); got != han(26)+"，"+han(4) {
		t.Errorf("text changed: %s", got)
	}
}

// withHanging returns the package with w:overflowPunct switched to "0",
// which LibreOffice imports as hanging punctuation on: the default of Word
// and WPS (ECMA-376 17.3.1.21, omitted = true).
func withHanging(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "word/styles.xml" {
			if !bytes.Contains(b, []byte(`<w:overflowPunct w:val="1"/>`)) {
				t.Fatal("styles.xml does not set w:overflowPunct")
			}
			b = bytes.ReplaceAll(b, []byte(`<w:overflowPunct w:val="1"/>`), []byte(`<w:overflowPunct w:val="0"/>`))
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// TestRenderHangingOn renders the seed report with hanging punctuation
// turned on, as Word and WPS lay it out by default (there is neither here:
// LibreOffice with hanging on stands in for them), and holds every line of
// Chinese text to the text block: the lines that would have hung a ，、。
// are set closer by the writer. Before fit.go three lines hung 5.7 mm into
// the margin and a 、 was squeezed to nothing. Lines with Latin letters or
// digits are reported, not held: LibreOffice adds its own space between
// scripts there, which Word does not.
func TestRenderHangingOn(t *testing.T) {
	if testing.Short() {
		t.Skip("rendering with LibreOffice takes seconds")
	}
	d := seedDoc(mustRead(t, "testdata/seed.txt"))
	b, err := Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	pages := renderPDF(t, withHanging(t, b))
	latin := regexp.MustCompile(`[0-9A-Za-z]`)
	held := 0
	for i, p := range pages {
		lines := bodyLines(p)
		for j, l := range lines {
			r := l[len(l)-1].XMax / ptPerMM
			text := lineText(l)
			near := latin.MatchString(text) || j+1 < len(lines) && latin.MatchString(string([]rune(lineText(lines[j+1]))[:1]))
			switch {
			case r <= 184.5 && !near:
				held++
			case r > 184.5 && near:
				t.Logf("page %d: line next to Latin text ends %.1f mm from the left: %s", i+1, r, text)
			case r > 184.5:
				t.Errorf("page %d: line ends %.1f mm from the left, beyond the 184 mm text block: %s", i+1, r, text)
			}
		}
	}
	if held < 80 {
		t.Errorf("only %d lines of Chinese text measured", held)
	}
	if got, want := renderedText(pages), docText(d); got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Errorf("rendered text differs from the document at byte %d:\n got %.60s\nwant %.60s", i, got[i:], want[i:])
	}
}
