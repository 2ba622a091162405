package docx

import (
	"bytes"
	"fmt"
	"image/png"
	"strconv"
	"strings"
)

// Image is a PNG picture (a chart, a photo of a signed sheet) set on its
// own centred line as a DrawingML inline picture, with an optional
// caption on the line below ("图1　各月活动开展情况", centred, 仿宋 in
// the table size).
//
// Sizes are in millimetres on the page. WidthMM 0 means the width of the
// text block (156 mm); a width larger than the text block is reduced to
// it. HeightMM 0 keeps the PNG's aspect ratio; when both are set the
// picture is stretched to them. Alt is the picture's description (alt
// text, read out by screen readers and shown by Word on hover); Write
// falls back to the caption when it is empty.
//
// Write refuses (with an error naming the picture's number) data that is
// not a PNG or a PNG without pixels; the PNG bytes are stored unchanged
// as word/media/imageN.png.
type Image struct {
	PNG      []byte
	WidthMM  float64
	HeightMM float64
	Alt      string
	Caption  string
}

// TextWidthMM is the width of the text block in millimetres.
const TextWidthMM = 156.0

// emuPerMM converts millimetres to DrawingML's English Metric Units.
const emuPerMM = 36000

// documentRels is the document's relationship part; the pictures'
// relationships are appended to the template's.
const documentRels = "word/_rels/document.xml.rels"

const drawingNS = `xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

// picture is an Image placed in the package.
type picture struct {
	Image
	n      int    // 1-based, in block order
	file   string // under word/media/
	rel    string // relationship id
	cx, cy int64  // extent in EMU
}

func isImage(blk Block) bool {
	switch blk.(type) {
	case Image, *Image:
		return true
	}
	return false
}

// pictures checks the document's images and gives each its part name,
// relationship id and extent.
func pictures(blocks []Block) ([]picture, error) {
	var out []picture
	for _, blk := range blocks {
		var img Image
		switch v := blk.(type) {
		case Image:
			img = v
		case *Image:
			img = *v
		default:
			continue
		}
		n := len(out) + 1
		cfg, err := png.DecodeConfig(bytes.NewReader(img.PNG))
		if err != nil {
			return nil, fmt.Errorf("docx: picture %d: not a PNG: %w", n, err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			return nil, fmt.Errorf("docx: picture %d: PNG of %d×%d pixels", n, cfg.Width, cfg.Height)
		}
		w := img.WidthMM
		if w <= 0 || w > TextWidthMM {
			w = TextWidthMM
		}
		h := img.HeightMM
		if h <= 0 {
			h = w * float64(cfg.Height) / float64(cfg.Width)
		}
		if img.Alt == "" {
			img.Alt = img.Caption
		}
		out = append(out, picture{
			Image: img, n: n,
			file: "image" + strconv.Itoa(n) + ".png",
			// The template's relationships use rId1…rId5.
			rel: "rIdPic" + strconv.Itoa(n),
			cx:  int64(w*emuPerMM + 0.5), cy: int64(h*emuPerMM + 0.5),
		})
	}
	return out, nil
}

// addPictureRels appends an image relationship per picture to the
// template's document relationships.
func addPictureRels(rels []byte, pics []picture) []byte {
	if len(pics) == 0 {
		return rels
	}
	var b strings.Builder
	for _, p := range pics {
		b.WriteString(`<Relationship Id="` + p.rel + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/` + p.file + `"/>` + "\n")
	}
	s := string(rels)
	i := strings.LastIndex(s, "</Relationships>")
	return []byte(s[:i] + b.String() + s[i:])
}

// writePicture writes the picture's paragraph and its caption. The
// paragraph leaves the line grid (snapToGrid off, single spacing) so the
// picture's line is as tall as the picture, and keeps with its caption.
func writePicture(b *bytes.Buffer, p picture) {
	keep := ""
	if p.Caption != "" {
		keep = `<w:keepNext/>`
	}
	b.WriteString(`<w:p><w:pPr>` + keep + `<w:snapToGrid w:val="0"/><w:spacing w:before="120" w:after="60" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r>`)
	id := strconv.Itoa(p.n)
	fmt.Fprintf(b, `<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:effectExtent l="0" t="0" r="0" b="0"/>`, p.cx, p.cy)
	b.WriteString(`<wp:docPr id="` + id + `" name="图片` + id + `" descr="`)
	escape(b, p.Alt)
	b.WriteString(`"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`)
	b.WriteString(`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="` + id + `" name="` + p.file + `" descr="`)
	escape(b, p.Alt)
	b.WriteString(`"/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>`)
	b.WriteString(`<pic:blipFill><a:blip r:embed="` + p.rel + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`)
	fmt.Fprintf(b, `<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`, p.cx, p.cy)
	b.WriteString(`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	if p.Caption != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/><w:spacing w:after="120"/><w:jc w:val="center"/></w:pPr>`)
		run(b, p.Caption, false)
		b.WriteString(`</w:p>`)
	}
}
