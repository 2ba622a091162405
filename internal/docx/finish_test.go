package docx

import (
	"math"
	"os"
	"strings"
	"testing"
)

func finishedSeed(t *testing.T) Doc {
	d := seedDoc(mustRead(t, "testdata/seed.txt"))
	d.Recipient = "中共示范区委宣传部"
	d.Signature = &Signature{Issuer: "中共示范区农业农村局党组", Date: "2023年7月5日"}
	d.Colophon = &Colophon{CC: []string{"区委办公室", "区纪委监委派驻纪检监察组"}, Printer: "示范区农业农村局办公室", PrintDate: "2023年7月5日"}
	return d
}

// TestWriteFinishedForLook writes the finished seed to $DOCX_OUT for a
// person to open.
func TestWriteFinishedForLook(t *testing.T) {
	if os.Getenv("DOCX_OUT") == "" {
		t.Skip("set DOCX_OUT=file.docx to write the finished seed")
	}
	b, err := Bytes(finishedSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("DOCX_OUT"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSignatureIndents(t *testing.T) {
	for _, c := range []struct {
		issuer, date string
		is, ds       float64
	}{
		// 12 characters: the issuer ends two characters from the right,
		// the date starts two characters right of it.
		{"中共示范区农业农村局党组", "2023年7月5日", 14, 16},
		// A short issuer: the date (7 characters) would pass the
		// right margin of two; it keeps it and the issuer moves left.
		{"某局", "2023年12月31日", 17, 19},
	} {
		is, ds := signatureIndents(c.issuer, c.date)
		if is != c.is || ds != c.ds {
			t.Errorf("%s / %s: indents %.1f, %.1f, want %.1f, %.1f", c.issuer, c.date, is, ds, c.is, c.ds)
		}
	}
}

// TestRenderFinish renders a document with 主送机关, 落款 and 版记 through
// LibreOffice and measures them: the 主送机关 flush left on the text
// block, the issuing body ending two characters from the right edge, the
// date starting two characters right of the issuing body, and the 版记's
// last line on the bottom edge of the text block of the last page, the
// 印发机关 one character from the left and the date one from the right.
func TestRenderFinish(t *testing.T) {
	if testing.Short() {
		t.Skip("rendering with LibreOffice takes seconds")
	}
	b, err := Bytes(finishedSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	pages := renderPDF(t, b)
	const char = 15.75 / ptPerMM // one body character, mm
	find := func(prefix string) (pdfWord, int) {
		for i, p := range pages {
			for _, w := range p.Words {
				if strings.HasPrefix(w.Text, prefix) {
					return w, i
				}
			}
		}
		t.Fatalf("%q not rendered", prefix)
		return pdfWord{}, 0
	}
	rec, pg := find("中共示范区委宣传部")
	if pg != 0 || math.Abs(rec.XMin/ptPerMM-28) > 0.5 {
		t.Errorf("主送机关 on page %d at %.1f mm, want page 1 at 28 mm", pg+1, rec.XMin/ptPerMM)
	}
	issuer, ip := find("中共示范区农业农村局党组")
	if r := issuer.XMax / ptPerMM; math.Abs(r-(184-2*char)) > 1 {
		t.Errorf("issuing body ends at %.1f mm, want two characters in from 184 (%.1f)", r, 184-2*char)
	}
	var date pdfWord
	for _, w := range pages[ip].Words {
		if w.Text == "2023" && w.YMin > issuer.YMin+5 {
			date = w
			break
		}
	}
	if d := (date.XMin - issuer.XMin) / ptPerMM; math.Abs(d-2*char) > 1 {
		t.Errorf("date starts %.1f mm right of the issuing body, want two characters (%.1f)", d, 2*char)
	}
	if d := date.YMin - issuer.YMin; math.Abs(d-float64(LinePitch)/20) > 1 {
		t.Errorf("date is %.1f pt below the issuing body, want the next line", d)
	}
	last := pages[len(pages)-1]
	var printer, printed pdfWord
	for _, w := range last.Words {
		switch {
		case strings.HasPrefix(w.Text, "示范区农业农村局办公室"):
			printer = w
		case strings.HasSuffix(w.Text, "印发"):
			printed = w
		}
	}
	if printer.Text == "" || printed.Text == "" {
		t.Fatalf("版记 not on the last page: %+v", last.Words)
	}
	// The row is 8 mm high and centred: its last rule, the bottom of the
	// text block (262 mm), is 4 mm below the middle of the text.
	if mid := (printer.YMin + printer.YMax) / 2 / ptPerMM; math.Abs(mid+4-262) > 1.5 {
		t.Errorf("版记's last row is centred at %.1f mm, want its bottom rule at 262 mm", mid)
	}
	if l := printer.XMin / ptPerMM; math.Abs(l-(28+14/ptPerMM)) > 0.7 {
		t.Errorf("印发机关 starts at %.1f mm, want one character in", l)
	}
	if r := printed.XMax / ptPerMM; math.Abs(r-(184-14/ptPerMM)) > 0.7 {
		t.Errorf("印发日期 ends at %.1f mm, want one character in", r)
	}
}

// TestRenderAnnex renders a document with an annex through LibreOffice
// (GB/T 9704-2012 7.3.4 and 8): the 附件说明 two characters in, below the
// body and above the 落款; the annex on a new page after the 落款 with
// "附件" flush left on the first line and its title centred on the third;
// the 版记 still last. The 督导通报 used to put its annex table between
// the body and the 落款 under a 黑体 heading.
func TestRenderAnnex(t *testing.T) {
	if testing.Short() {
		t.Skip("rendering with LibreOffice takes seconds")
	}
	d := finishedSeed(t)
	d.Blocks = d.Blocks[:4]
	d.Annexes = []Annex{{Title: "未完成任务明细表", Blocks: []Block{Table{Header: []string{"序号", "科室", "未完成事项"}, Rows: [][]string{{"1", "办公室", "7月中心组学习"}}}}}}
	b, err := Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	pages := renderPDF(t, b)
	const char = 15.75 / ptPerMM
	find := func(text string) (pdfWord, int) {
		for i, p := range pages {
			for _, w := range p.Words {
				if w.Text == text || strings.HasPrefix(w.Text, text) {
					return w, i
				}
			}
		}
		t.Fatalf("%q not rendered", text)
		return pdfWord{}, 0
	}
	note, np := find("附件：未完成任务明细表")
	issuer, ip := find("中共示范区农业农村局党组")
	if math.Abs(note.XMin/ptPerMM-(28+2*char)) > 0.7 {
		t.Errorf("附件说明 starts at %.1f mm, want two characters in (%.1f)", note.XMin/ptPerMM, 28+2*char)
	}
	if np > ip || (np == ip && note.YMin >= issuer.YMin) {
		t.Errorf("附件说明 (page %d) is not above the 落款 (page %d)", np+1, ip+1)
	}
	var label, title pdfWord
	lp := -1
	for i, p := range pages {
		for _, w := range p.Words {
			if w.Text == "附件" {
				label, lp = w, i
			}
			if w.Text == "未完成任务明细表" {
				title = w
			}
		}
	}
	if lp <= ip {
		t.Fatalf("annex label on page %d, want a page after the 落款 (page %d)", lp+1, ip+1)
	}
	if math.Abs(label.XMin/ptPerMM-28) > 0.7 {
		t.Errorf("附件 starts at %.1f mm, want flush left (28)", label.XMin/ptPerMM)
	}
	if top := label.YMin / ptPerMM; top > 37+10 {
		t.Errorf("附件 is %.1f mm from the top, want the first line of the page", top)
	}
	if mid := (title.XMin + title.XMax) / 2 / ptPerMM; math.Abs(mid-106) > 1 {
		t.Errorf("annex title centred at %.1f mm, want the middle of the text block (106)", mid)
	}
	if lines := (title.YMin - label.YMin) / (float64(LinePitch) / 20); lines < 1.5 || lines > 3 {
		t.Errorf("annex title is %.1f lines below 附件, want it on the third line", lines)
	}
	if _, cp := find("抄送："); cp != len(pages)-1 || cp <= lp {
		t.Errorf("版记 on page %d of %d", cp+1, len(pages))
	}
}
