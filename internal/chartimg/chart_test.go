package chartimg

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var outDir = flag.String("chartdir", "", "write the test charts to this folder to look at them")

func openOrSkip(t *testing.T) *Renderer {
	t.Helper()
	r, err := Open("")
	if errors.Is(err, ErrNoCJKFont) {
		t.Skipf("no CJK font on this machine (.ci/run installs fonts-noto-cjk): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var months = []string{"1月", "2月", "3月", "4月", "5月", "6月"}

// samples are one chart of each shape the documents use.
var samples = map[string]Chart{
	"bar": {Kind: Bar, Categories: months, Unit: "次",
		Series: []Series{{Name: "活动", Values: []float64{3, 5, 0, 2, 7, 4}}}},
	"stacked": {Kind: StackedBar, Categories: months, Unit: "次", Title: "各月活动开展情况",
		Series: []Series{
			{Name: "党组理论学习中心组学习", Values: []float64{1, 1, 0, 1, 1, 1}},
			{Name: "意识形态工作专题会议", Values: []float64{0, 1, 0, 0, 1, 0}},
			{Name: "党组成员上党课", Values: []float64{2, 0, 1, 1, 3, 2}},
		}},
	"grouped": {Kind: Bar, Categories: []string{"办公室", "宣传科", "综合执法大队", "农业技术推广中心"}, Unit: "条",
		Series: []Series{{Name: "报送", Values: []float64{12, 8, 5, 3}}, {Name: "采用", Values: []float64{6, 4, 1, 0}}}},
	"ranking": {Kind: Bar, Horizontal: true, Unit: "分", HeightMM: 70,
		Categories: []string{"办公室", "宣传科", "综合执法大队", "农业技术推广中心", "财务科"},
		Series:     []Series{{Name: "积分", Values: []float64{42.5, 30, 18, 7, 0}}}},
	"line": {Kind: Line, Categories: months, Unit: "%", Max: 100,
		Series: []Series{{Name: "补记占比", Values: []float64{10, 25, 0, 40, 12.5, 5}}}},
}

// TestChartsDraw draws every sample and checks the picture: a PNG of the
// asked size at 200 dpi, with the series' colour in it (the bars were
// drawn) and dark pixels of text.
func TestChartsDraw(t *testing.T) {
	r := openOrSkip(t)
	t.Logf("font %s", r.FontPath())
	for name, c := range samples {
		data, err := r.PNG(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if *outDir != "" {
			if err := os.WriteFile(filepath.Join(*outDir, name+".png"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w, h := c.size()
		wantW, wantH := int(w/25.4*DPI+0.5), int(h/25.4*DPI+0.5)
		if b := img.Bounds(); abs(b.Dx()-wantW) > 1 || abs(b.Dy()-wantH) > 1 {
			t.Errorf("%s: %d×%d pixels, want %d×%d", name, b.Dx(), b.Dy(), wantW, wantH)
		}
		for i := range c.Series {
			if n := count(img, palette[i]); n < 200 {
				t.Errorf("%s: series %d colour on %d pixels", name, i, n)
			}
		}
		if n := count(img, color.RGBA{0, 0, 0, 0xff}); n < 100 {
			t.Errorf("%s: %d black pixels: no labels?", name, n)
		}
	}
}

// TestChineseGlyphsAreDrawn compares a label in Chinese with one in
// another Chinese text of the same length: with a font without Chinese
// glyphs both would be the same missing-glyph boxes.
func TestChineseGlyphsAreDrawn(t *testing.T) {
	r := openOrSkip(t)
	draw := func(label string) []byte {
		data, err := r.PNG(Chart{Kind: Bar, Categories: []string{label}, Series: []Series{{Values: []float64{1}}}, WidthMM: 60, HeightMM: 40})
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if bytes.Equal(draw("宣传科"), draw("办公室")) {
		t.Error("two different Chinese labels drew the same picture")
	}
}

func TestBadCharts(t *testing.T) {
	r := openOrSkip(t)
	for name, c := range map[string]Chart{
		"no categories":    {Series: []Series{{Values: nil}}},
		"no series":        {Categories: months},
		"too many values":  {Categories: []string{"1月"}, Series: []Series{{Name: "活动", Values: []float64{1, 2}}}},
		"negative stacked": {Kind: StackedBar, Categories: []string{"1月"}, Series: []Series{{Values: []float64{-1}}}},
		"unknown kind":     {Kind: 9, Categories: []string{"1月"}, Series: []Series{{Values: []float64{1}}}},
	} {
		if _, err := r.PNG(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestNoFont(t *testing.T) {
	var r *Renderer
	if _, err := r.PNG(samples["bar"]); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("nil renderer: %v", err)
	}
	if _, err := r.Image(samples["bar"], ""); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("nil renderer: %v", err)
	}
	latin := "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(latin); err != nil {
		t.Skip("no DejaVu font to try")
	}
	if _, err := Open(latin); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("Open(%s) = %v, want ErrNoCJKFont", latin, err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none.ttf")); err == nil {
		t.Error("Open of a missing file: no error")
	}
}

func TestAltText(t *testing.T) {
	got := AltText(samples["bar"], "图1　各月活动开展情况")
	want := "图1　各月活动开展情况。柱状图。活动：1月3次，2月5次，3月0次，4月2次，5月7次，6月4次。"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func count(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bb>>8) == c.B {
				n++
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
