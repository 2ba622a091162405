package docx

import (
	"encoding/xml"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

const ptPerMM = 72 / 25.4

// convertPDF converts a .docx to PDF with LibreOffice and returns the
// PDF's path; it skips when LibreOffice is not installed.
func convertPDF(t *testing.T, docxData []byte) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.docx")
	if err := os.WriteFile(in, docxData, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	return filepath.Join(dir, "doc.pdf")
}

// pdfWord is one word box from pdftotext -bbox, in points from the top left.
type pdfWord struct {
	XMin, YMin, XMax, YMax float64
	Text                   string
}

type pdfPage struct {
	Width, Height float64
	Words         []pdfWord
}

// renderPDF converts a .docx with LibreOffice and reads the word boxes.
// It skips when LibreOffice or poppler is not installed; .ci/run installs
// both (libreoffice-writer-nogui, poppler-utils, fonts-noto-cjk).
func renderPDF(t *testing.T, docxData []byte) []pdfPage {
	t.Helper()
	pdf := convertPDF(t, docxData)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("poppler-utils (pdftotext) not installed")
	}
	out, err := exec.Command(pdftotext, "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// The output is XHTML; strip the doctype and read pages and words.
	body := string(out)
	if i := strings.Index(body, "<doc>"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</doc>"); i >= 0 {
		body = body[:i+len("</doc>")]
	}
	var doc struct {
		Pages []struct {
			Width  float64 `xml:"width,attr"`
			Height float64 `xml:"height,attr"`
			Words  []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"page"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("read pdftotext output: %v", err)
	}
	var pages []pdfPage
	for _, p := range doc.Pages {
		pg := pdfPage{Width: p.Width, Height: p.Height}
		for _, w := range p.Words {
			pg.Words = append(pg.Words, pdfWord{w.XMin, w.YMin, w.XMax, w.YMax, w.Text})
		}
		pages = append(pages, pg)
	}
	return pages
}

// lines groups a page's body words (above the footer) into lines by yMin.
func bodyLines(p pdfPage) [][]pdfWord {
	var out [][]pdfWord
	limit := (297 - 35) * ptPerMM
	for _, w := range p.Words {
		if w.YMax > limit+1 {
			continue // page number
		}
		if n := len(out); n > 0 && math.Abs(out[n-1][0].YMin-w.YMin) < 1 {
			out[n-1] = append(out[n-1], w)
			continue
		}
		out = append(out, []pdfWord{w})
	}
	return out
}

// expectedLines models the layout: 28 full-width characters per line (a
// Latin letter or digit is half a character), a first-line indent of two.
func expectedLines(d Doc) int {
	n := 0
	width := func(s string) int {
		w := 0
		for _, r := range s {
			if r < 0x2000 {
				w++
			} else {
				w += 2
			}
		}
		return w
	}
	for _, b := range d.Blocks {
		switch v := b.(type) {
		case Para:
			n += (width(v.Text) + 4 + 55) / 56
		case Heading:
			n += (width(v.Text) + 4 + 55) / 56
		}
	}
	return n
}

func dropPunct(r rune) rune {
	if strings.ContainsRune("，、。；：“”（）《》！？", r) {
		return -1
	}
	return r
}

// TestRenderLibreOffice renders the seed report through LibreOffice and
// measures the PDF: A4, the page count of 22 lines a page, 28 characters a
// line, and the text block 37 mm from the top and 28 mm from the left.
func TestRenderLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("rendering with LibreOffice takes seconds")
	}
	d := seedDoc(mustRead(t, "testdata/seed.txt"))
	b, err := Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	pages := renderPDF(t, b)
	for i, p := range pages {
		if math.Abs(p.Width/ptPerMM-210) > 0.5 || math.Abs(p.Height/ptPerMM-297) > 0.5 {
			t.Fatalf("page %d is %.1f × %.1f mm, want A4 210 × 297", i+1, p.Width/ptPerMM, p.Height/ptPerMM)
		}
	}
	// Title block: two 22 pt title lines (two grid lines each), the
	// subtitle and one empty line.
	titleLines := 2*2 + 1 + 1
	want := (titleLines + expectedLines(d) + 21) / 22
	if len(pages) != want {
		t.Errorf("%d pages, want %d (%d body lines at 22 a page)", len(pages), want, expectedLines(d))
	}
	pitch := float64(LinePitch) / 20
	// LibreOffice puts a 16 pt glyph box 6.7 pt (2.4 mm) below the top of
	// its 28.95 pt grid line (PRODUCT.md); measure the line box.
	const glyphOffset = 6.72
	han := regexp.MustCompile(`^\p{Han}+$`)
	for i, p := range pages[1 : len(pages)-1] {
		pageNo := i + 2
		lines := bodyLines(p)
		if len(lines) != 22 {
			t.Errorf("page %d has %d lines, want 22", pageNo, len(lines))
		}
		top := (lines[0][0].YMin - glyphOffset) / ptPerMM
		if math.Abs(top-37) > 1 {
			t.Errorf("page %d: text block starts %.2f mm from the top, want 37 ± 1", pageNo, top)
		}
		for j := 1; j < len(lines); j++ {
			if d := lines[j][0].YMin - lines[j-1][0].YMin; math.Abs(d-pitch) > 0.2 {
				t.Errorf("page %d line %d: pitch %.2f pt, want %.2f", pageNo, j+1, d, pitch)
			}
		}
		left := math.Inf(1)
		full := 0
		for j, l := range lines {
			left = math.Min(left, l[0].XMin)
			if len(l) == 1 && han.MatchString(strings.Map(dropPunct, l[0].Text)) && l[0].XMax/ptPerMM > 182 && l[0].XMax/ptPerMM < 184.5 && l[0].XMin/ptPerMM < 29 {
				// A full line of body text: 28 characters, punctuation
				// included; 29 where the writer set the line closer to
				// take a line-end mark (fit.go); 26 or 27 where
				// LibreOffice carried one or two characters down with a
				// mark that may not start a line (避头尾: the next line's
				// second or third character is that mark).
				n := utf8.RuneCountInString(l[0].Text)
				carried := false
				if j+1 < len(lines) {
					next := []rune(lineText(lines[j+1]))
					for k := 1; k < 3 && k < len(next); k++ {
						carried = carried || strings.ContainsRune(noStart, next[k])
					}
				}
				if n != 28 && !(n == 29 && strings.ContainsRune(noStart, []rune(l[0].Text)[28])) && !((n == 26 || n == 27) && carried) {
					t.Errorf("page %d: full line has %d characters, want 28: %s", pageNo, n, l[0].Text)
				}
				full++
			}
			// No line, whatever it ends with, may pass the right edge of
			// the text block (184 mm) by more than 0.5 mm: a line-end
			// ，or 。 that does not fit carries the character before it
			// down (避头尾) rather than hang into the margin.
			if r := l[len(l)-1].XMax / ptPerMM; r > 184.5 {
				t.Errorf("page %d: line ends %.1f mm from the left, beyond the 184 mm text block: %s", pageNo, r, lineText(l))
			}
		}
		if full < 10 {
			t.Errorf("page %d: only %d full lines of 28 characters", pageNo, full)
		}
		if math.Abs(left/ptPerMM-28) > 1 {
			t.Errorf("page %d: text block starts %.2f mm from the left, want 28 ± 1", pageNo, left/ptPerMM)
		}
	}
	// Every character of the text is drawn: LibreOffice squeezed a
	// line-end 、 or ，it let hang to nothing ("如履薄冰的谨慎" / "见叶知秋").
	if got, want := renderedText(pages), docText(d); got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Errorf("rendered text differs from the document at byte %d:\n got %.60s\nwant %.60s", i, got[i:], want[i:])
	}
	// Page numbers: "— N —" 7 mm below the text block, odd right, even left.
	for i, p := range pages {
		var num []pdfWord
		for _, w := range p.Words {
			if w.YMin > (297-35)*ptPerMM {
				num = append(num, w)
			}
		}
		text := ""
		for _, w := range num {
			text += w.Text
		}
		if text != "—"+strconv.Itoa(i+1)+"—" {
			t.Errorf("page %d: footer %q", i+1, text)
			continue
		}
		if top := num[0].YMin / ptPerMM; math.Abs(top-269) > 1.5 {
			t.Errorf("page %d: page number top %.1f mm, want 7 mm below the text block (269)", i+1, top)
		}
		if (i+1)%2 == 1 {
			if r := num[len(num)-1].XMax / ptPerMM; r > 184 || r < 176 {
				t.Errorf("page %d: odd page number ends at %.1f mm, want right, one character in", i+1, r)
			}
		} else if l := num[0].XMin / ptPerMM; l < 28 || l > 36 {
			t.Errorf("page %d: even page number starts at %.1f mm, want left, one character in", i+1, l)
		}
	}
}

func lineText(l []pdfWord) string {
	var b strings.Builder
	for _, w := range l {
		b.WriteString(w.Text)
	}
	return b.String()
}

// renderedText is the body text of the rendered pages in reading order,
// without spaces and page numbers.
func renderedText(pages []pdfPage) string {
	var b strings.Builder
	for _, p := range pages {
		for _, l := range bodyLines(p) {
			b.WriteString(lineText(l))
		}
	}
	return strings.Join(strings.Fields(b.String()), "")
}

// docText is the text a Doc of title, subtitle, headings and paragraphs
// puts on the page, without spaces.
func docText(d Doc) string {
	var b strings.Builder
	b.WriteString(d.Title + d.Subtitle + d.Recipient)
	for _, blk := range d.Blocks {
		switch v := blk.(type) {
		case Heading:
			b.WriteString(v.Text)
		case Para:
			b.WriteString(v.Text)
			for _, r := range v.Runs {
				b.WriteString(r.Text)
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), "")
}
