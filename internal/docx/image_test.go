package docx

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// testPNG is a w×h picture: red with a blue band across the top quarter.
func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0xee, 0x22, 0x22, 0xff}
			if y < h/4 {
				c = color.RGBA{0x22, 0x22, 0xee, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func imageDoc(t testing.TB) Doc {
	return Doc{
		Title: "关于图片的测试文件",
		Blocks: []Block{
			Para{Text: "下图是各月活动开展情况。"},
			Image{PNG: testPNG(t, 400, 200), WidthMM: 120, Caption: "图1　各月活动开展情况", Alt: `柱状图："1月3次" & <2月5次>`},
			&Image{PNG: testPNG(t, 300, 300), WidthMM: 400}, // wider than the text block
			Table{Header: []string{"月份", "次数"}, Rows: [][]string{{"1月", "3"}}},
		},
	}
}

// TestImagePackage checks the parts a picture adds: the media part with
// the PNG unchanged, its relationship, the png content type, and the
// inline drawing's extent in EMU, alt text and caption.
func TestImagePackage(t *testing.T) {
	d := imageDoc(t)
	b, err := Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	p := parts(t, b)
	for i, want := range [][]byte{d.Blocks[1].(Image).PNG, d.Blocks[2].(*Image).PNG} {
		name := "word/media/image" + string(rune('1'+i)) + ".png"
		if !bytes.Equal(p[name], want) {
			t.Errorf("%s: not the PNG given (%d bytes)", name, len(p[name]))
		}
	}
	rels := string(p[documentRels])
	for _, want := range []string{`Id="rIdPic1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"`, `Id="rIdPic2"`, `Id="rId5"`} {
		if !strings.Contains(rels, want) {
			t.Errorf("relationships lack %s:\n%s", want, rels)
		}
	}
	if !strings.Contains(string(p["[Content_Types].xml"]), `<Default Extension="png" ContentType="image/png"/>`) {
		t.Error("no png content type")
	}
	doc := p["word/document.xml"]
	for name, data := range p {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			if err := wellFormed(data); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	s := string(doc)
	for _, want := range []string{
		`<wp:extent cx="4320000" cy="2160000"/>`, // 120 × 60 mm
		`<wp:extent cx="5616000" cy="5616000"/>`, // reduced to 156 mm, square
		`r:embed="rIdPic1"`, `r:embed="rIdPic2"`,
		`descr="柱状图：&#34;1月3次&#34; &amp; &lt;2月5次&gt;"`,
		`图1　各月活动开展情况</w:t>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if strings.Index(s, `r:embed="rIdPic1"`) > strings.Index(s, "图1　各月活动开展情况") {
		t.Error("the caption comes before its picture")
	}

	// No pictures: the relationships stay the template's.
	plain, err := Bytes(Doc{Title: "无图", Blocks: []Block{Para{Text: "正文。"}}})
	if err != nil {
		t.Fatal(err)
	}
	if pr := parts(t, plain); strings.Contains(string(pr[documentRels]), "rIdPic") || len(pr) != len(p)-2 {
		t.Errorf("a document without pictures has %d parts and relationships %s", len(pr), pr[documentRels])
	}
}

func TestImageErrors(t *testing.T) {
	for name, img := range map[string]Image{
		"not a PNG": {PNG: []byte("GIF89a")},
		"empty":     {},
	} {
		_, err := Bytes(Doc{Blocks: []Block{Para{Text: "正文。"}, img}})
		if err == nil || !strings.Contains(err.Error(), "picture 1") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRenderImage opens a document with a picture in LibreOffice and
// finds the picture on the rendered page: 120 mm wide, centred in the
// text block, not clipped to a line of the grid (60 mm high), with its
// caption below it.
func TestRenderImage(t *testing.T) {
	b, err := Bytes(imageDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	pdf := convertPDF(t, b)
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("poppler-utils (pdftoppm) not installed")
	}
	const dpi = 50
	prefix := filepath.Join(filepath.Dir(pdf), "page")
	if out, err := exec.Command(pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	mm := func(px int) float64 { return float64(px) / dpi * 25.4 }
	red := bbox(page, func(r, g, b uint32) bool { return r > 0xc000 && g < 0x6000 && b < 0x6000 })
	blue := bbox(page, func(r, g, b uint32) bool { return b > 0xc000 && r < 0x6000 && g < 0x6000 })
	if red.Empty() || blue.Empty() {
		t.Fatalf("picture not on page 1 (red %v, blue %v)", red, blue)
	}
	all := red.Union(blue)
	w, h := mm(all.Dx()), mm(all.Dy())
	left := mm(all.Min.X)
	t.Logf("picture at %.1f mm from the left, %.1f × %.1f mm", left, w, h)
	if math.Abs(w-120) > 2 || math.Abs(h-60) > 2 {
		t.Errorf("picture %.1f × %.1f mm, want 120 × 60", w, h)
	}
	if want := 28 + (156-120)/2.0; math.Abs(left-want) > 2 {
		t.Errorf("picture starts %.1f mm from the left edge, want %.1f (centred)", left, want)
	}
	if blue.Min.Y > red.Min.Y {
		t.Error("the blue band is not on top: picture flipped or cropped")
	}
	pages := renderPDF(t, b)
	var caption *pdfWord
	for i, w := range pages[0].Words {
		if strings.Contains(w.Text, "各月活动开展情况") {
			caption = &pages[0].Words[i]
		}
	}
	if caption == nil {
		t.Fatal("caption not on page 1")
	}
	if top := caption.YMin / ptPerMM; top < mm(all.Max.Y) {
		t.Errorf("caption at %.1f mm, above the picture's bottom %.1f mm", top, mm(all.Max.Y))
	}
}

func bbox(img image.Image, match func(r, g, b uint32) bool) image.Rectangle {
	var out image.Rectangle
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if match(r, g, b) {
				out = out.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return out
}

// TestAnnexImage puts a chart in an annex (issue 23): the package carries
// the picture, numbered after the body's, and LibreOffice draws it on the
// annex's page below the annex title, not on the body's page.
func TestAnnexImage(t *testing.T) {
	body := testPNG(t, 200, 100)
	annex := testPNG(t, 400, 200)
	d := Doc{
		Title:  "关于附件图表的测试文件",
		Blocks: []Block{Para{Text: "正文一段，附件中有图表。"}, Image{PNG: body, WidthMM: 40, Caption: "图1　正文图"}},
		Annexes: []Annex{{Title: "各月活动开展情况图表", Blocks: []Block{
			Para{Text: "附件中的说明文字。"},
			Image{PNG: annex, WidthMM: 120, Caption: "图2　各月活动开展情况"},
		}}},
	}
	b, err := Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	p := parts(t, b)
	if !bytes.Equal(p["word/media/image2.png"], annex) || !bytes.Equal(p["word/media/image1.png"], body) {
		t.Fatalf("media parts: image1 %d bytes, image2 %d bytes", len(p["word/media/image1.png"]), len(p["word/media/image2.png"]))
	}
	s := string(p["word/document.xml"])
	if !strings.Contains(string(p[documentRels]), `Id="rIdPic2"`) || strings.Index(s, `r:embed="rIdPic2"`) < strings.Index(s, "各月活动开展情况图表") {
		t.Fatal("the annex picture is not after the annex title")
	}
	pdf := convertPDF(t, b)
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("poppler-utils (pdftoppm) not installed")
	}
	prefix := filepath.Join(filepath.Dir(pdf), "page")
	if out, err := exec.Command(pdftoppm, "-png", "-r", "50", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages := renderPDF(t, b)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want the body and the annex", len(pages))
	}
	var titleY float64
	for _, w := range pages[1].Words {
		if strings.Contains(w.Text, "各月活动开展情况图表") {
			titleY = w.YMax / ptPerMM
		}
	}
	if titleY == 0 {
		t.Fatal("annex title not on page 2")
	}
	for i, want := range []float64{40, 120} {
		f, err := os.Open(prefix + "-" + string(rune('1'+i)) + ".png")
		if err != nil {
			t.Fatal(err)
		}
		page, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		red := bbox(page, func(r, g, b uint32) bool { return r > 0xc000 && g < 0x6000 && b < 0x6000 })
		w := float64(red.Dx()) / 50 * 25.4
		if math.Abs(w-want) > 2 {
			t.Errorf("page %d: picture %.1f mm wide, want %.0f", i+1, w, want)
		}
		if top := float64(red.Min.Y) / 50 * 25.4; i == 1 && top < titleY {
			t.Errorf("annex picture at %.1f mm, above the annex title (%.1f mm)", top, titleY)
		}
	}
}
