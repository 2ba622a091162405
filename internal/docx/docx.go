// Package docx writes official documents (公文) as Office Open XML word
// processing packages laid out by GB/T 9704-2012, with nothing but
// archive/zip and encoding/xml.
//
// A document is a title, an optional subtitle and a list of blocks
// (headings, paragraphs, tables, pictures, page breaks). The fixed parts
// of the package — styles, settings, font table, footers — are embedded
// files under template/; word/document.xml, docProps/core.xml, the
// pictures under word/media/ and the document's relationships are
// generated.
//
// Layout (GB/T 9704-2012, see PRODUCT.md):
//   - A4 portrait, margins top 37 mm, left (binding side) 28 mm, right 26 mm,
//     bottom 35 mm, leaving the 156 × 225 mm text block.
//   - Body 3号 (16 pt) 仿宋_GB2312, first-line indent of two characters,
//     justified; title 2号 (22 pt) 方正小标宋简体, centred; headings 一、 黑体,
//     （一） 楷体_GB2312, 1. 仿宋 bold, all in the body size.
//   - 22 lines × 28 characters per page. The issue asked for a
//     linesAndChars grid; that gives 28 characters in Word but only 14–19 in
//     LibreOffice, which puts a glyph wider than the grid pitch in two cells.
//     What renders the same in both is w:docGrid w:type="lines" with
//     w:linePitch="579" (28.95 pt, 22 lines in 225 mm) together with a
//     character spacing of −0.25 pt on the body text (w:spacing w:val="-5",
//     15.75 pt per Han character, 28 in 156 mm). The body defaults live in
//     styles.xml (docDefaults and the Normal style).
//   - Nothing passes the right edge of the text block: a ，、。 may not
//     start a line, and may not hang into the margin either. Word and WPS
//     hang it by default (ECMA-376 17.3.1.21 overflowPunct: omitted =
//     true); LibreOffice's DOCX import reads the element inverted
//     (writerfilter DomainMapper: ParaIsHangingPunctuation = val == 0,
//     unchanged in LibreOffice 24), so no value turns hanging off in all
//     three. styles.xml says w:overflowPunct w:val="1", which turns it off
//     in LibreOffice (a line-end mark that does not fit carries the
//     character before it down), and the writer sets closer the lines
//     where Word and WPS would hang a mark, so the mark fits (fit.go).
//     TestRenderLibreOffice holds every line to 184.5 mm and every
//     character to being drawn; TestRenderHangingOn does the same with
//     hanging turned on, standing in for Word and WPS.
//   - Page numbers "— N —" in 4号 (14 pt) 宋体, odd pages right and even
//     pages left, one character in from the edge of the text block
//     (settings.xml turns on w:evenAndOddHeaders).
//   - East Asian fonts are named explicitly; the font table gives each an
//     alternative name (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 华文中宋 …) and
//     the text is tagged zh-CN so LibreOffice picks a CJK font when none of
//     them is installed.
//
// Text is escaped by encoding/xml; characters not allowed in XML become
// U+FFFD, so no input can make the package invalid.
package docx

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

//go:embed all:template
var template embed.FS

// Doc is one document.
type Doc struct {
	// Title is broken into lines between words by TitleLines unless it
	// holds its own line breaks; Keep lists phrases (the unit's name) a
	// title line may not break inside.
	Title    string
	Keep     []string
	Subtitle string // optional, e.g. the period
	// Number is the 发文字号 ("农发〔2026〕3号"), centred above the title
	// with one empty line between, where GB/T 9704-2012 7.2.4 puts it
	// under the issuing body's mark (these documents are printed without
	// the red 版头); "" for none.
	Number string
	// Recipient is the 主送机关 ("中共某某区委宣传部"), set flush left on
	// the line after the title block and ended with a full-width colon
	// (GB/T 9704-2012 7.3.3); empty for none.
	Recipient string
	Blocks    []Block
	// Annexes follow the 落款, each on its own page (GB/T 9704-2012 7.3.4
	// and 8): the 附件说明 naming them is written at the end of the body.
	Annexes []Annex
	// Signature is the 落款 after the body; nil for none.
	Signature *Signature
	// Colophon is the 版记 at the foot of the last page; nil for none.
	Colophon *Colophon
}

// Signature is the 落款 of a document without a seal (GB/T 9704-2012
// 7.3.5.2): one empty line below the body, the issuing body (发文机关署名)
// two characters in from the right, and on the next line the date
// (成文日期, "2023年7月5日") starting two characters to the right of the
// issuing body's first character; when the date is longer than that
// allows, the date keeps two characters from the right edge and the
// issuing body moves left.
type Signature struct {
	Issuer string
	Date   string
}

// Colophon is the 版记 (GB/T 9704-2012 7.4): 抄送 (CC, joined with
// "，" and ended with "。"), the 印发机关 one character from the left and
// the 印发日期 ("2023年7月5日印发") one character from the right, in 4号
// 仿宋, between a thick first and last rule with thin rules between the
// items, the last rule on the bottom edge of the text block.
type Colophon struct {
	CC        []string
	Printer   string
	PrintDate string // "2023年7月5日"; "印发" is added
}

// Annex is one 附件: its title, which the 附件说明 names, and its
// content. It is set on a new page with "附件" (and its number when there
// are several) in 3号黑体 flush left on the first line and the title
// centred in the title's type on the third.
type Annex struct {
	Title  string
	Blocks []Block
}

// Block is a heading, paragraph, table, picture or page break.
type Block interface{ isBlock() }

// Heading is a section heading. Level 1 is set in 黑体 (一、), level 2 in
// 楷体 (（一）), level 3 in 仿宋 bold (1.). The text includes its number.
type Heading struct {
	Level int
	Text  string
}

// Para is a body paragraph with a first-line indent of two characters.
// Runs, when set, replace Text (for bold lead-ins such as 一是…). A line
// break in the text starts a new paragraph.
type Para struct {
	Text string
	Runs []Run
}

// Run is a piece of a paragraph.
type Run struct {
	Text string
	Bold bool
}

// Table is an annex table with a header row. Widths are relative column
// widths in characters; the table always spans the text block.
type Table struct {
	Header []string
	Rows   [][]string
	Widths []int
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) isBlock()   {}
func (Para) isBlock()      {}
func (Table) isBlock()     {}
func (PageBreak) isBlock() {}
func (Image) isBlock()     {}

// Page geometry in twentieths of a point (twips).
const (
	PageWidth    = 11906 // 210 mm
	PageHeight   = 16838 // 297 mm
	MarginTop    = 2098  // 37 mm
	MarginBottom = 1984  // 35 mm
	MarginLeft   = 1587  // 28 mm
	MarginRight  = 1474  // 26 mm
	TextWidth    = PageWidth - MarginLeft - MarginRight
	LinePitch    = 579 // 28.95 pt: 22 lines in the 225 mm text block
	// FooterDistance puts the top of the 14 pt page number about 7 mm
	// below the text block.
	FooterDistance = 1247 // 22 mm
	HeaderDistance = 851  // 15 mm
)

// zipTime makes the archive reproducible: the same Doc gives the same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Write writes d as a .docx package.
func Write(w io.Writer, d Doc) error {
	zw := zip.NewWriter(w)
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return fmt.Errorf("docx: add %s: %w", name, err)
		}
		if _, err := f.Write(data); err != nil {
			return fmt.Errorf("docx: write %s: %w", name, err)
		}
		return nil
	}
	// [Content_Types].xml first, as Office writes it.
	order := []string{"[Content_Types].xml", "_rels/.rels"}
	for _, name := range order {
		data, err := template.ReadFile("template/" + name)
		if err != nil {
			return fmt.Errorf("docx: template %s: %w", name, err)
		}
		if err := add(name, data); err != nil {
			return err
		}
	}
	// Pictures are numbered in reading order: the body's, then each
	// annex's.
	all := append([]Block{}, d.Blocks...)
	for _, a := range d.Annexes {
		all = append(all, a.Blocks...)
	}
	pics, err := pictures(all)
	if err != nil {
		return err
	}
	if err := add("word/document.xml", documentXML(d, pics)); err != nil {
		return err
	}
	for _, p := range pics {
		if err := add("word/media/"+p.file, p.PNG); err != nil {
			return err
		}
	}
	if err := add("docProps/core.xml", coreXML(d)); err != nil {
		return err
	}
	err = fs.WalkDir(template, "template", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		name := strings.TrimPrefix(path, "template/")
		if name == order[0] || name == order[1] {
			return nil
		}
		data, err := template.ReadFile(path)
		if err != nil {
			return err
		}
		if name == documentRels {
			data = addPictureRels(data, pics)
		}
		return add(name, data)
	})
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: close: %w", err)
	}
	return nil
}

// Bytes renders d into memory.
func Bytes(d Doc) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

func documentXML(d Doc, pics []picture) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document ` + wNS + ` ` + drawingNS + `><w:body>`)
	if d.Number != "" {
		b.WriteString(`<w:p><w:pPr><w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr>`)
		run(&b, d.Number, false)
		b.WriteString(`</w:p><w:p><w:pPr><w:keepNext/><w:ind w:firstLine="0"/></w:pPr></w:p>`)
	}
	if d.Title != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="DocTitle"/></w:pPr>`)
		for i, line := range TitleLines(d.Title, d.Keep) {
			if i > 0 {
				b.WriteString(`<w:r><w:br/></w:r>`)
			}
			run(&b, line, false)
		}
		b.WriteString(`</w:p>`)
		if d.Subtitle != "" {
			for _, line := range splitLines(d.Subtitle) {
				b.WriteString(`<w:p><w:pPr><w:pStyle w:val="DocSubtitle"/></w:pPr>`)
				run(&b, line, false)
				b.WriteString(`</w:p>`)
			}
		}
		// One empty line between the title block and the body.
		b.WriteString(`<w:p><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:p>`)
	}
	if d.Recipient != "" {
		b.WriteString(`<w:p><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr>`)
		run(&b, strings.TrimRight(d.Recipient, "：:")+"：", false)
		b.WriteString(`</w:p>`)
	}
	next := 0 // the next picture in pics, in block order
	writeBlocks := func(blocks []Block) {
		for _, blk := range blocks {
			if isImage(blk) {
				writePicture(&b, pics[next])
				next++
				continue
			}
			writeBlock(&b, blk)
		}
	}
	writeBlocks(d.Blocks)
	writeAnnexNote(&b, d.Annexes)
	if s := d.Signature; s != nil && (s.Issuer != "" || s.Date != "") {
		writeSignature(&b, *s)
	}
	for i, a := range d.Annexes {
		writeAnnex(&b, a, i, len(d.Annexes), d.Keep)
		writeBlocks(a.Blocks)
	}
	if c := d.Colophon; c != nil && (len(c.CC) > 0 || c.Printer != "" || c.PrintDate != "") {
		writeColophon(&b, *c)
	}
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`+
		`<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		PageWidth, PageHeight, MarginTop, MarginRight, MarginBottom, MarginLeft, HeaderDistance, FooterDistance, LinePitch)
	b.WriteString(`</w:body></w:document>`)
	return b.Bytes()
}

func writeBlock(b *bytes.Buffer, blk Block) {
	switch v := blk.(type) {
	case Heading:
		style := "Heading1"
		switch v.Level {
		case 2:
			style = "Heading2"
		case 3:
			style = "Heading3"
		}
		for _, line := range splitLines(v.Text) {
			b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
			writeFitted(b, []Run{{Text: line}})
			b.WriteString(`</w:p>`)
		}
	case *Heading:
		writeBlock(b, *v)
	case Para:
		writePara(b, v)
	case *Para:
		writePara(b, *v)
	case Table:
		writeTable(b, v)
	case *Table:
		writeTable(b, *v)
	case PageBreak, *PageBreak:
		b.WriteString(`<w:p><w:pPr><w:ind w:firstLine="0"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
}

func writePara(b *bytes.Buffer, p Para) {
	if len(p.Runs) == 0 {
		for _, line := range splitLines(p.Text) {
			b.WriteString(`<w:p>`)
			writeFitted(b, []Run{{Text: line}})
			b.WriteString(`</w:p>`)
		}
		return
	}
	// A line break inside runs ends the paragraph and starts another.
	var para []Run
	flush := func() {
		b.WriteString(`<w:p>`)
		writeFitted(b, para)
		b.WriteString(`</w:p>`)
		para = para[:0]
	}
	for _, r := range p.Runs {
		for i, line := range strings.Split(strings.ReplaceAll(r.Text, "\r\n", "\n"), "\n") {
			if i > 0 {
				flush()
			}
			para = append(para, Run{Text: line, Bold: r.Bold})
		}
	}
	flush()
}

func writeTable(b *bytes.Buffer, t Table) {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	// A table of eight columns or more is set in 小四 (12 pt) rather than
	// 4号 (14 pt): at 14 pt the headers of the 月通报's nine columns alone
	// fill the text block.
	char := cellChar
	if cols >= 8 {
		char = 240
	}
	widths := fitHeaders(columnWidths(t.Widths, cols), t, char)
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(TextWidth) + `" w:type="dxa"/><w:jc w:val="center"/>`)
	b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.WriteString(`<w:tr>`)
		if header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		style := "TableText"
		if header {
			style = "TableHeader"
		}
		for i := 0; i < cols; i++ {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(widths[i]) + `" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`)
			for _, line := range splitLines(text) {
				b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
				if char != cellChar && line != "" {
					fmt.Fprintf(b, `<w:r><w:rPr><w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr><w:t xml:space="preserve">`, char/10, char/10)
					escape(b, line)
					b.WriteString(`</w:t></w:r>`)
				} else {
					run(b, line, false)
				}
				b.WriteString(`</w:p>`)
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	if len(t.Header) > 0 {
		row(t.Header, true)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	// A table may not end a document body in Word; a paragraph after it
	// also separates consecutive tables.
	b.WriteString(`<w:p><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:p>`)
}

// columnWidths scales relative widths (characters) to the text block.
func columnWidths(rel []int, cols int) []int {
	ws := make([]int, cols)
	total := 0
	for i := range ws {
		ws[i] = 4
		if i < len(rel) && rel[i] > 0 {
			ws[i] = rel[i]
		}
		total += ws[i]
	}
	out := make([]int, cols)
	sum := 0
	for i, w := range ws {
		out[i] = TextWidth * w / total
		sum += out[i]
	}
	out[cols-1] += TextWidth - sum
	return out
}

// splitLines splits on line breaks; an empty string yields one empty line
// so every paragraph and cell keeps its place.
func splitLines(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

func run(b *bytes.Buffer, text string, bold bool) {
	if text == "" {
		return
	}
	b.WriteString(`<w:r>`)
	if bold {
		b.WriteString(`<w:rPr><w:b/><w:bCs/></w:rPr>`)
	}
	b.WriteString(`<w:t xml:space="preserve">`)
	escape(b, text)
	b.WriteString(`</w:t></w:r>`)
}

// escape writes text as XML character data; invalid UTF-8 and characters
// XML forbids become U+FFFD.
func escape(b *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	xml.EscapeText(b, []byte(s)) //nolint:errcheck // bytes.Buffer does not fail
}

func coreXML(d Doc) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>`)
	escape(&b, strings.ReplaceAll(d.Title, "\n", ""))
	b.WriteString(`</dc:title><dc:creator>zhendi</dc:creator></cp:coreProperties>`)
	return b.Bytes()
}

// CharTwips is the advance of one Han character of body text: 16 pt less
// the −0.25 pt character spacing, 15.75 pt; 28 of them fill the 156 mm
// text block.
const CharTwips = 315

// Width is the width of s in body characters: a Han character or
// full-width mark is one, a Latin letter, digit or space half.
func Width(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2000 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

// signatureIndents returns the left indents, in characters, of the
// issuing body and of the date of a 落款 (see Signature).
func signatureIndents(issuer, date string) (float64, float64) {
	wi, wd := Width(issuer), Width(date)
	is := 28 - 2 - wi
	ds := is + 2
	if ds+wd > 26 {
		ds = 26 - wd
		is = ds - 2
	}
	return max(is, 0), max(ds, 0)
}

func writeSignature(b *bytes.Buffer, s Signature) {
	is, ds := signatureIndents(s.Issuer, s.Date)
	// The empty line keeps with the 落款 so it never starts a page alone.
	b.WriteString(`<w:p><w:pPr><w:keepNext/><w:ind w:firstLine="0"/></w:pPr></w:p>`)
	for i, line := range []struct {
		text   string
		indent float64
	}{{s.Issuer, is}, {s.Date, ds}} {
		if line.text == "" {
			continue
		}
		keep := ""
		if i == 0 {
			keep = `<w:keepNext/>`
		}
		fmt.Fprintf(b, `<w:p><w:pPr>%s<w:ind w:left="%d" w:firstLine="0"/><w:jc w:val="left"/></w:pPr>`, keep, int(line.indent*CharTwips+0.5))
		run(b, line.text, false)
		b.WriteString(`</w:p>`)
	}
}

// ColophonRow is the height of one item of the 版记 (8 mm), and
// TextHeight the height of the text block (225 mm), in twips.
const (
	ColophonRow = 454
	TextHeight  = PageHeight - MarginTop - MarginBottom
)

// writeColophon writes the 版记 on a page of its own (the 版记页), at the
// foot of the text block so its last rule lies on the block's bottom edge:
// an empty paragraph of exact height fills the page above a table whose
// rows have exact heights. (A frame or floating table anchored to the
// bottom would keep it on the last page of the body, but LibreOffice 7
// places neither at the bottom.) The rules are row borders: the first and
// last 0.35 mm (thick), between items 0.25 mm (thin).
func writeColophon(b *bytes.Buffer, c Colophon) {
	const thick, thin = 8, 6 // eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.26 mm
	const oneChar = 280      // one 4号 (14 pt) character
	type line struct {
		text, date string
		cc         bool
	}
	var lines []line
	if len(c.CC) > 0 {
		lines = append(lines, line{text: "抄送：" + strings.Join(c.CC, "，") + "。", cc: true})
	}
	if c.Printer != "" || c.PrintDate != "" {
		l := line{text: c.Printer}
		if c.PrintDate != "" {
			l.date = c.PrintDate + "印发"
		}
		lines = append(lines, l)
	}
	const tail = 20 // the 1 pt paragraph Word needs after a table
	spacer := TextHeight - len(lines)*ColophonRow - tail - 40
	fmt.Fprintf(b, `<w:p><w:pPr><w:pageBreakBefore/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/><w:ind w:firstLine="0"/></w:pPr></w:p>`, spacer)
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>`+
		`<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="%d"/></w:tblGrid>`, TextWidth, TextWidth)
	for i, l := range lines {
		top, bottom := thin, thin
		if i == 0 {
			top = thick
		}
		if i == len(lines)-1 {
			bottom = thick
		}
		fmt.Fprintf(b, `<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="%d" w:hRule="exact"/></w:trPr><w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:tcBorders>`+
			`<w:top w:val="single" w:sz="%d" w:space="0" w:color="000000"/><w:left w:val="nil"/><w:bottom w:val="single" w:sz="%d" w:space="0" w:color="000000"/><w:right w:val="nil"/>`+
			`</w:tcBorders><w:vAlign w:val="center"/></w:tcPr>`, ColophonRow, TextWidth, top, bottom)
		if l.cc {
			// 抄送：… with wrapped lines aligned after the colon.
			fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="Colophon"/><w:ind w:left="%d" w:right="%d" w:hanging="%d"/></w:pPr>`, 4*oneChar, oneChar, 3*oneChar)
			run(b, l.text, false)
		} else {
			fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="Colophon"/><w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs><w:ind w:left="%d" w:right="%d"/></w:pPr>`, TextWidth-oneChar, oneChar, oneChar)
			run(b, l.text, false)
			b.WriteString(`<w:r><w:tab/></w:r>`)
			run(b, l.date, false)
		}
		b.WriteString(`</w:p></w:tc></w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	fmt.Fprintf(b, `<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/><w:ind w:firstLine="0"/></w:pPr></w:p>`, tail)
}

// Table cells are 14 pt (280 twips a character) with 85 twips of margin
// on each side and some room LibreOffice needs besides (measured: at 190
// twips of padding it wrapped two-character headers).
const (
	cellChar    = 280
	cellPadding = 2*85 + 90
)

// lineWidth is the width of the widest line of s, in body characters,
// with a quarter character for each change between Chinese and Latin
// letters or digits, the space Word and LibreOffice put there ("1个未完成"
// wrapped in a column sized without it).
func lineWidth(s string) float64 {
	w := 0.0
	for _, l := range splitLines(s) {
		lw, prev := Width(l), 0
		for _, r := range l {
			kind := 0
			switch {
			case r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
				kind = 1
			case r >= 0x3400:
				kind = 2
			}
			if kind != 0 && prev != 0 && kind != prev {
				lw += 0.25
			}
			if kind != 0 {
				prev = kind
			}
		}
		w = max(w, lw)
	}
	return w
}

// fitHeaders sets the column widths from the content (the 月通报 printed
// 排/名 and 月/任/务 one character a line, and later 农田建设管理/科
// while 排名 was wide). Every header keeps its lines whole; each column
// then gets room for its longest cell (up to ten characters) if the text
// block allows, the columns needing least extra room first, so one long
// column (names) takes what is left and wraps only its longest cells; room
// to spare is shared in proportion to the widths asked for. Widths that
// already hold every column's content, and widths of tables whose headers
// alone do not fit the text block, stay as given.
func fitHeaders(widths []int, t Table, char int) []int {
	n := len(widths)
	need := make([]int, n)
	content := make([]int, n)
	total := 0
	for i := range widths {
		if i < len(t.Header) {
			need[i] = int(lineWidth(t.Header[i])*float64(char)) + cellPadding
		}
		content[i] = need[i]
		for _, r := range t.Rows {
			if i < len(r) {
				content[i] = max(content[i], int(min(lineWidth(r[i]), 10)*float64(char))+cellPadding)
			}
		}
		total += need[i]
	}
	if total > TextWidth {
		return widths
	}
	fits := true
	for i := range widths {
		fits = fits && widths[i] >= content[i]
	}
	if fits {
		return widths
	}
	out := append([]int{}, need...)
	left := TextWidth - total
	// The columns needing least extra room first.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return content[order[a]]-need[order[a]] < content[order[b]]-need[order[b]] })
	for _, i := range order {
		d := min(content[i]-need[i], left)
		out[i] += d
		left -= d
	}
	if left > 0 {
		// Room to spare: shared in proportion to the widths asked for.
		sum := 0
		for _, w := range widths {
			sum += w
		}
		given := 0
		for i, w := range widths {
			d := left * w / sum
			out[i] += d
			given += d
		}
		out[n-1] += left - given
	}
	return out
}

// writeAnnexNote writes the 附件说明 (GB/T 9704-2012 7.3.4): one empty
// line below the body, then two characters in "附件：" and the annex
// titles, numbered "1．" when there are several, without a final stop; a
// title that wraps lines up with its own first character, and later
// titles line up with the first.
func writeAnnexNote(b *bytes.Buffer, annexes []Annex) {
	if len(annexes) == 0 {
		return
	}
	b.WriteString(`<w:p><w:pPr><w:keepNext/><w:ind w:firstLine="0"/></w:pPr></w:p>`)
	for i, a := range annexes {
		num := ""
		if len(annexes) > 1 {
			num = strconv.Itoa(i+1) + "．"
		}
		// The title starts after two characters of indent, "附件：" (three)
		// and its number; the first line hangs out to the start of its
		// label ("附件：" on the first title, the number on the others).
		left := int((5 + Width(num)) * CharTwips)
		hang := int(Width(num) * CharTwips)
		label := ""
		if i == 0 {
			label, hang = "附件：", left-2*CharTwips
		}
		fmt.Fprintf(b, `<w:p><w:pPr><w:keepNext/><w:ind w:left="%d" w:hanging="%d"/><w:jc w:val="left"/></w:pPr>`, left, hang)
		run(b, label+num+strings.TrimRight(a.Title, "。."), false)
		b.WriteString(`</w:p>`)
	}
}

// writeAnnex writes annex i of n on a page of its own (GB/T 9704-2012 8):
// "附件" and its number in 3号黑体 flush left on the first line, the title
// centred in the document title's type on the third; the caller writes
// the content after it (pictures included).
func writeAnnex(b *bytes.Buffer, a Annex, i, n int, keep []string) {
	label := "附件"
	if n > 1 {
		label += strconv.Itoa(i + 1)
	}
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="AnnexLabel"/><w:pageBreakBefore/></w:pPr>`)
	run(b, label, false)
	b.WriteString(`</w:p><w:p><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:p>`)
	if a.Title != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="DocTitle"/></w:pPr>`)
		for j, line := range TitleLines(a.Title, keep) {
			if j > 0 {
				b.WriteString(`<w:r><w:br/></w:r>`)
			}
			run(b, line, false)
		}
		b.WriteString(`</w:p><w:p><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:p>`)
	}
}
