package chartimg

import (
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"zhendi/internal/docx"
)

// TestChartInWord puts a stacked chart with its caption and table into a
// Word document, opens it in LibreOffice and looks at page 1: the
// caption is text, and the chart's first series colour covers the area
// its bars should (about 150 mm wide).
func TestChartInWord(t *testing.T) {
	r := openOrSkip(t)
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
	c := samples["stacked"]
	img, err := r.Image(c, "图1　各月活动开展情况")
	if err != nil {
		t.Fatal(err)
	}
	if img.WidthMM != DefaultWidthMM || img.HeightMM != DefaultHeightMM || !strings.HasPrefix(img.Alt, "图1　各月活动开展情况。堆叠柱状图。党组理论学习中心组学习：1月1次") {
		t.Errorf("image %v × %v mm, alt %s", img.WidthMM, img.HeightMM, img.Alt)
	}
	rows := [][]string{}
	for j, m := range c.Categories {
		rows = append(rows, []string{m, number(c.Series[0].Values[j]), number(c.Series[1].Values[j]), number(c.Series[2].Values[j])})
	}
	data, err := docx.Bytes(docx.Doc{Title: "图表测试", Blocks: []docx.Block{
		docx.Para{Text: "各月活动开展情况见下图和下表。"},
		img,
		docx.Table{Header: []string{"月份", "中心组学习", "专题会议", "上党课"}, Rows: rows},
	}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "chart.docx")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "chart.pdf")
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Skipf("pdftotext: %v", err)
	}
	for _, want := range []string{"各月活动开展情况", "中心组学习", "6月"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("rendered text lacks %s", want)
		}
	}
	prefix := filepath.Join(dir, "page")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if *outDir != "" {
		b, _ := os.ReadFile(prefix + ".png")
		_ = os.WriteFile(filepath.Join(*outDir, "word-page.png"), b, 0o644)
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
	// The first series' blue, allowing for resampling.
	blue := palette[0]
	near := func(a uint32, b uint8) bool { return math.Abs(float64(a>>8)-float64(b)) < 24 }
	minX, maxX, n := 1<<30, -1, 0
	bd := page.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			cr, cg, cb, _ := page.At(x, y).RGBA()
			if near(cr, blue.R) && near(cg, blue.G) && near(cb, blue.B) {
				minX, maxX, n = min(minX, x), max(maxX, x), n+1
			}
		}
	}
	widthMM := float64(maxX-minX) / 60 * 25.4
	t.Logf("first series on %d pixels, %.0f mm across", n, widthMM)
	if n < 300 || widthMM < 100 || widthMM > 156 {
		t.Errorf("chart not drawn as expected: %d pixels of the first series over %.0f mm", n, widthMM)
	}
}
