// Package chartimg draws bar, stacked-bar and line charts as PNG pictures
// for Word documents (docx.Image), with Chinese labels, using
// gonum.org/v1/plot. The web pages draw their charts in the browser with
// ECharts (internal/web/chart.go); this package is for files that leave
// the system, and uses the same colours.
//
// Use:
//
//	r, err := chartimg.Open(fontPath) // once, at start; "" searches the disk
//	img, err := r.Image(chartimg.Chart{
//		Kind:       chartimg.Bar,
//		Categories: []string{"1月", "2月", "3月"},
//		Series:     []chartimg.Series{{Name: "活动", Values: []float64{3, 5, 2}}},
//		Unit:       "次",
//	}, "图1　各月活动开展情况")
//	doc.Blocks = append(doc.Blocks, img, table) // keep the table: the figures stay readable
//
// Shapes: Categories are the bars' (or points') labels along the axis, in
// order; each Series has one value per category (a missing value counts
// as 0, extra values are an error). Bar draws the series side by side,
// StackedBar on top of each other, Line as lines with points. Horizontal
// (bars only) lists the categories top to bottom, for rankings and long
// names. Sizes are millimetres on the page (default 150 × 80 mm);
// pictures are drawn at 200 dots per inch.
//
// Fonts: a CJK font is needed for the labels. Open loads the given .ttf,
// .otf or .ttc file, or with "" searches the usual places (Noto Sans CJK,
// WenQuanYi, Droid fallback, Windows' 微软雅黑/黑体/宋体, macOS' 苹方,
// then font folders for file names that look Chinese); nothing is
// fetched from the network. Without one, Open returns an error wrapping
// ErrNoCJKFont and no chart is drawn: a nil *Renderer is valid and its
// PNG and Image return ErrNoCJKFont, so a document built with it leaves
// the chart out and keeps its table. Charts are never drawn with boxes
// in place of Chinese characters.
//
// A Renderer is safe for concurrent use.
package chartimg

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"golang.org/x/image/font/opentype"

	"zhendi/internal/docx"
)

// Kind is the chart's type.
type Kind int

const (
	// Bar draws one bar per series and category, series side by side.
	Bar Kind = iota
	// StackedBar stacks the series' bars, the first series at the bottom.
	StackedBar
	// Line draws one line with points per series.
	Line
)

// Series is one named row of values, one per category.
type Series struct {
	Name   string
	Values []float64
}

// Chart is what to draw.
type Chart struct {
	Kind       Kind
	Title      string // optional, drawn above the chart; a document usually uses the caption instead
	Categories []string
	Series     []Series
	Unit       string  // the value axis' label, e.g. "次", "条", "%"
	Horizontal bool    // bars left to right, categories top to bottom (Bar, StackedBar)
	Max        float64 // the value axis' top, e.g. 100 for percentages; 0 from the data
	WidthMM    float64 // default 150
	HeightMM   float64 // default 80
}

// DPI is the pictures' resolution.
const DPI = 200

// Default size in millimetres.
const (
	DefaultWidthMM  = 150
	DefaultHeightMM = 80
)

// palette is ECharts' default colour list, as on the web pages.
var palette = []color.RGBA{
	{0x54, 0x70, 0xc6, 0xff}, {0x91, 0xcc, 0x75, 0xff}, {0xfa, 0xc8, 0x58, 0xff},
	{0xee, 0x66, 0x66, 0xff}, {0x73, 0xc0, 0xde, 0xff}, {0x3b, 0xa2, 0x72, 0xff},
	{0xfc, 0x84, 0x52, 0xff}, {0x9a, 0x60, 0xb4, 0xff}, {0xea, 0x7c, 0xcc, 0xff},
}

// Renderer draws charts with one CJK font.
type Renderer struct {
	path  string
	fonts *font.Cache
	font  font.Font
}

// Open loads the CJK font at path, or, when path is empty, the first one
// FindCJKFont finds. The error wraps ErrNoCJKFont when there is none or
// the file has no Chinese glyphs.
func Open(path string) (*Renderer, error) {
	var face *opentype.Font
	var err error
	if path == "" {
		path, face, err = findCJK()
	} else {
		face, err = loadCJK(path)
	}
	if err != nil {
		return nil, err
	}
	fnt := font.Font{Typeface: "cjk"}
	return &Renderer{path: path, fonts: font.NewCache(font.Collection{{Font: fnt, Face: face}}), font: fnt}, nil
}

// FontPath is the font file in use.
func (r *Renderer) FontPath() string {
	if r == nil {
		return ""
	}
	return r.path
}

// Image draws c as a docx.Image of c's size, with caption below it and an
// alt text that lists the figures ("柱状图。活动：1月3次，2月5次……").
func (r *Renderer) Image(c Chart, caption string) (docx.Image, error) {
	data, err := r.PNG(c)
	if err != nil {
		return docx.Image{}, err
	}
	w, h := c.size()
	return docx.Image{PNG: data, WidthMM: w, HeightMM: h, Caption: caption, Alt: AltText(c, caption)}, nil
}

func (c Chart) size() (float64, float64) {
	w, h := c.WidthMM, c.HeightMM
	if w <= 0 {
		w = DefaultWidthMM
	}
	if h <= 0 {
		h = DefaultHeightMM
	}
	return w, h
}

// check reports a chart that cannot be drawn.
func (c Chart) check() error {
	if len(c.Categories) == 0 {
		return errors.New("chartimg: no categories")
	}
	if len(c.Series) == 0 {
		return errors.New("chartimg: no series")
	}
	for _, s := range c.Series {
		if len(s.Values) > len(c.Categories) {
			return fmt.Errorf("chartimg: series “%s” has %d values for %d categories", s.Name, len(s.Values), len(c.Categories))
		}
		for _, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("chartimg: series “%s” has a value that is not a number", s.Name)
			}
			if v < 0 && c.Kind == StackedBar {
				return fmt.Errorf("chartimg: series “%s” has a negative value in a stacked chart", s.Name)
			}
		}
	}
	if c.Kind < Bar || c.Kind > Line {
		return fmt.Errorf("chartimg: unknown kind %d", c.Kind)
	}
	return nil
}

// values returns the series' values, one per category.
func (c Chart) values(s Series) plotter.Values {
	v := make(plotter.Values, len(c.Categories))
	copy(v, s.Values)
	return v
}

// PNG draws c.
func (r *Renderer) PNG(c Chart) ([]byte, error) {
	if r == nil {
		return nil, ErrNoCJKFont
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	wmm, hmm := c.size()
	w, h := vg.Length(wmm)*vg.Millimeter, vg.Length(hmm)*vg.Millimeter
	canvas := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(canvas)

	hdlr := text.Plain{Fonts: r.fonts}
	style := func(size vg.Length) text.Style {
		return text.Style{Color: color.Black, Font: font.From(r.font, size), Handler: hdlr, XAlign: draw.XLeft, YAlign: draw.YBottom}
	}
	// The header: the title, then a legend line when there are several
	// series. gonum's own legend is a column inside the plot area, where
	// it hides bars.
	top := dc.Max.Y - 2*vg.Millimeter
	if c.Title != "" {
		st := style(11)
		st.XAlign, st.YAlign = draw.XCenter, draw.YTop
		dc.FillText(st, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top}, c.Title)
		top -= st.Height(c.Title) + 2*vg.Millimeter
	}
	// The unit sits at the top left, upright, above the value axis
	// (a rotated "次" beside the axis reads badly), on the legend's line.
	if len(c.Series) > 1 || (c.Kind != Bar && c.Series[0].Name != "") || c.Unit != "" {
		top = r.legend(dc, c, style(9), top)
	}
	area := dc
	area.Max.Y = top
	area.Min.X += 2 * vg.Millimeter
	area.Max.X -= 3 * vg.Millimeter
	area.Min.Y += vg.Millimeter

	p := plot.New()
	p.BackgroundColor = color.Transparent
	p.TextHandler = hdlr
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = style(9)
		a.Tick.Label = style(9)
		a.Padding = vg.Millimeter
	}
	value, cat := &p.Y, &p.X
	if c.Horizontal && c.Kind != Line {
		value, cat = &p.X, &p.Y
	}
	value.Min = 0
	if c.Max > 0 {
		value.Max = c.Max
	}
	value.Tick.Marker = intTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = color.Gray{Y: 0xdd}, color.Gray{Y: 0xdd}
	if c.Horizontal && c.Kind != Line {
		grid.Horizontal.Color = nil
	} else {
		grid.Vertical.Color = nil
	}
	p.Add(grid)

	names := c.Categories
	if c.Horizontal && c.Kind != Line {
		// Categories top to bottom: the first (the ranking's first) on top.
		names = reversed(names)
	}
	switch c.Kind {
	case Line:
		if err := r.lines(p, c); err != nil {
			return nil, err
		}
	default:
		if err := r.bars(p, c, area); err != nil {
			return nil, err
		}
	}
	if c.Horizontal && c.Kind != Line {
		p.NominalY(names...)
		p.Y.Tick.Label = style(9)
	} else {
		p.NominalX(names...)
		p.X.Tick.Label = style(9)
		p.X.Tick.Label.XAlign = draw.XCenter
		p.X.Tick.Label.YAlign = draw.YTop
		if slant(c, r, style(9), area) {
			p.X.Tick.Label.Rotation = math.Pi / 6
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YCenter
		}
	}
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	if c.Horizontal && c.Kind != Line {
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	}
	// Half a slot of room before the first and after the last category,
	// so the outer bars are whole.
	cat.Min, cat.Max = -0.5, float64(len(c.Categories))-0.5
	if c.Max <= 0 {
		value.Max = math.Max(value.Max*1.1, 1)
	}
	p.Draw(area)

	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("chartimg: encode PNG: %w", err)
	}
	return b.Bytes(), nil
}

// legend draws a coloured square and the name of each series on one or
// more lines below top and returns the new top of the free area.
func (r *Renderer) legend(dc draw.Canvas, c Chart, st text.Style, top vg.Length) vg.Length {
	sq := 3 * vg.Millimeter
	lineH := st.Height("国") + 1.5*vg.Millimeter
	x, y := dc.Min.X+2*vg.Millimeter, top-lineH
	if c.Unit != "" {
		unit := "单位：" + c.Unit
		dc.FillText(st, vg.Point{X: x, Y: y - 0.3*vg.Millimeter}, unit)
		x += st.Width(unit) + 8*vg.Millimeter
	}
	if len(c.Series) == 1 && (c.Kind == Bar || c.Series[0].Name == "") {
		return y - 2*vg.Millimeter
	}
	for i, s := range c.Series {
		wd := sq + vg.Millimeter + st.Width(s.Name) + 5*vg.Millimeter
		if x+wd > dc.Max.X && x > dc.Min.X+2*vg.Millimeter {
			x, y = dc.Min.X+2*vg.Millimeter, y-lineH
		}
		col := palette[i%len(palette)]
		if c.Kind == Line {
			dc.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(2)}, x, y+sq/2, x+sq, y+sq/2)
		} else {
			dc.FillPolygon(col, []vg.Point{{X: x, Y: y}, {X: x + sq, Y: y}, {X: x + sq, Y: y + sq}, {X: x, Y: y + sq}})
		}
		dc.FillText(st, vg.Point{X: x + sq + vg.Millimeter, Y: y - 0.3*vg.Millimeter}, s.Name)
		x += wd
	}
	return y - 2*vg.Millimeter
}

// bars adds the bar charts: side by side (Bar) or stacked (StackedBar),
// with the value above or beside a bar when there is one series.
func (r *Renderer) bars(p *plot.Plot, c Chart, area draw.Canvas) error {
	// The room per category, estimated from the canvas (the axis labels
	// take about 18 mm); bars fill 70% of it.
	span := area.Max.X - area.Min.X - 18*vg.Millimeter
	if c.Horizontal {
		span = area.Max.Y - area.Min.Y - 12*vg.Millimeter
	}
	slot := span / vg.Length(len(c.Categories))
	group := slot * 0.7
	n := len(c.Series)
	width := group
	if c.Kind == Bar {
		width = group / vg.Length(n)
	}
	var below *plotter.BarChart
	for i, s := range c.Series {
		vals := c.values(s)
		if c.Horizontal {
			vals = reversedValues(vals)
		}
		b, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return fmt.Errorf("chartimg: series “%s”: %w", s.Name, err)
		}
		b.Color = palette[i%len(palette)]
		b.LineStyle.Width = 0
		b.Horizontal = c.Horizontal
		if c.Kind == Bar {
			b.Offset = (vg.Length(i) - vg.Length(n-1)/2) * width
			if c.Horizontal {
				b.Offset = -b.Offset // the first series on top
			}
		} else if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
	}
	// Value labels when they can be read: one series, or the totals of a
	// stack.
	if n == 1 || c.Kind == StackedBar {
		totals := make([]float64, len(c.Categories))
		for _, s := range c.Series {
			for j, v := range c.values(s) {
				totals[j] += v
			}
		}
		if c.Horizontal {
			totals = reversedValues(totals)
		}
		var xys plotter.XYLabels
		xys.XYs = make(plotter.XYs, len(totals))
		xys.Labels = make([]string, len(totals))
		for j, t := range totals {
			if c.Horizontal {
				xys.XYs[j] = plotter.XY{X: t, Y: float64(j)}
			} else {
				xys.XYs[j] = plotter.XY{X: float64(j), Y: t}
			}
			xys.Labels[j] = number(t)
		}
		labels, err := plotter.NewLabels(xys)
		if err != nil {
			return fmt.Errorf("chartimg: value labels: %w", err)
		}
		for j := range labels.TextStyle {
			st := text.Style{Color: color.Gray{Y: 0x33}, Font: font.From(r.font, 8), Handler: text.Plain{Fonts: r.fonts}}
			if c.Horizontal {
				st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
				labels.Offset = vg.Point{X: vg.Millimeter}
			} else {
				st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
				labels.Offset = vg.Point{Y: 1.2 * vg.Millimeter}
			}
			labels.TextStyle[j] = st
		}
		p.Add(labels)
	}
	return nil
}

// lines adds a line with points per series.
func (r *Renderer) lines(p *plot.Plot, c Chart) error {
	for i, s := range c.Series {
		pts := make(plotter.XYs, len(c.Categories))
		for j, v := range c.values(s) {
			pts[j] = plotter.XY{X: float64(j), Y: v}
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return fmt.Errorf("chartimg: series “%s”: %w", s.Name, err)
		}
		col := palette[i%len(palette)]
		l.Color, l.Width = col, vg.Points(1.5)
		sc.Color, sc.Shape, sc.Radius = col, draw.CircleGlyph{}, vg.Points(2)
		p.Add(l, sc)
	}
	return nil
}

// slant tells whether the category labels are too wide for their slots
// and are to be drawn at an angle.
func slant(c Chart, r *Renderer, st text.Style, area draw.Canvas) bool {
	slot := (area.Max.X - area.Min.X - 18*vg.Millimeter) / vg.Length(len(c.Categories))
	for _, name := range c.Categories {
		if st.Width(name) > slot*0.95 {
			return true
		}
	}
	return false
}

// intTicks marks the value axis at four to six round numbers (1, 2, 5
// times a power of ten), every one labelled; an axis of counts gets no
// fractional ticks.
type intTicks struct{}

func (intTicks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	if span <= 0 {
		span = 1
	}
	raw := span / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if max >= 4 && step < 1 {
		step = 1
	}
	var out []plot.Tick
	for v := math.Ceil(min/step) * step; v <= max+step*1e-9; v += step {
		out = append(out, plot.Tick{Value: v, Label: number(v)})
	}
	return out
}

// number formats a value without needless decimals: 3, 2.5, 11.9.
func number(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func reversedValues(s []float64) plotter.Values {
	out := make(plotter.Values, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// AltText describes c in words for the picture's alt text: the kind,
// then each series with its values ("柱状图。活动：1月3次，2月5次。").
func AltText(c Chart, caption string) string {
	var b strings.Builder
	if caption != "" {
		b.WriteString(caption + "。")
	} else if c.Title != "" {
		b.WriteString(c.Title + "。")
	}
	b.WriteString([...]string{"柱状图", "堆叠柱状图", "折线图"}[min(max(int(c.Kind), 0), 2)] + "。")
	for _, s := range c.Series {
		if s.Name != "" {
			b.WriteString(s.Name + "：")
		}
		v := c.values(s)
		for j, name := range c.Categories {
			if j > 0 {
				b.WriteString("，")
			}
			b.WriteString(name + number(v[j]) + c.Unit)
		}
		b.WriteString("。")
	}
	return b.String()
}
