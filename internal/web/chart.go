package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"zhendi/internal/chartimg"
)

// Charts in pages are drawn by static/chart.js with Apache ECharts 6.1.0,
// vendored from the npm package "echarts" (dist/echarts.min.js, sha256
// b66b25ae…d0fd0; licence and notice in static/echarts.LICENSE.txt) and
// embedded like every other asset, so pages need no network. To update:
// `npm pack echarts`, copy package/dist/echarts.min.js and the LICENSE,
// NOTICE and licenses/ texts, and change the version above.
//
// A page never writes ECharts options: the handler builds a Chart (what
// to draw, every value, the list behind each value) and the template
// passes it to the "chart" partial, which puts it as JSON in a data-chart
// attribute (the content-security policy allows no inline script). The
// script turns that into ECharts options, so one place decides how every
// chart in zhendi looks, and the browser tests read the same JSON.

// Chart kinds.
const (
	ChartBar     = "bar"     // vertical bars, one per category and series
	ChartHBar    = "hbar"    // horizontal bars: long category names (units, departments, rankings)
	ChartLine    = "line"    // a value over time
	ChartHeatmap = "heatmap" // rows × categories, each cell a status
)

// Chart is one chart: categories along one axis, one or more series of
// values, and for every value the page a click opens. Every chart on a page
// has a table or list with the same figures beside it.
type Chart struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Categories []string `json:"categories"`
	Series     []Series `json:"series,omitempty"`
	Stacked    bool     `json:"stacked,omitempty"`
	// Unit names the value axis: "次", "篇", "%".
	Unit string `json:"unit,omitempty"`
	// Rows and Cells are the heat map's: Rows along the vertical axis,
	// each cell one row × category with a level from Levels.
	Rows   []string    `json:"rows,omitempty"`
	Cells  []HeatCell  `json:"cells,omitempty"`
	Levels []HeatLevel `json:"levels,omitempty"`
}

// Series is one set of values, one per category. Links[i] is the page
// behind Values[i] ("" when there is none).
type Series struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
	Links  []string  `json:"links,omitempty"`
	// Color is a CSS colour for series with a fixed meaning (green done,
	// red overdue); empty takes the palette's next.
	Color string `json:"color,omitempty"`
}

// HeatCell is one heat map cell: X indexes Categories, Y indexes Rows,
// Level indexes Levels; Text is shown in the cell and Link opened on click.
type HeatCell struct {
	X     int    `json:"x"`
	Y     int    `json:"y"`
	Level int    `json:"level"`
	Text  string `json:"text,omitempty"`
	Link  string `json:"link,omitempty"`
}

// HeatLevel is one value a heat map cell can take, with its legend label
// and colour.
type HeatLevel struct {
	Label string `json:"label"`
	Color string `json:"color"`
}

// Status colours shared by charts and the traffic lights in style.css.
const (
	colorGreen = "#2e7d32"
	colorAmber = "#e0a000"
	colorRed   = "#c62828"
	colorGrey  = "#b0b7bf"
)

// JSON is the chart for the data-chart attribute (html/template escapes
// it for the attribute).
func (c Chart) JSON() string {
	b, err := json.Marshal(c)
	if err != nil {
		// Only NaN or infinite values fail; they are a programming error.
		panic(fmt.Sprintf("chart %s: %v", c.ID, err))
	}
	return string(b)
}

// Empty reports whether the chart has nothing but zeros to show, so the
// page can say so instead of drawing empty axes.
func (c Chart) Empty() bool {
	if len(c.Cells) > 0 {
		return false
	}
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v != 0 {
				return false
			}
		}
	}
	return true
}

// AddSeries appends a series of counts with their links.
func (c *Chart) AddSeries(name, color string, values []int, links []string) {
	s := Series{Name: name, Color: color, Links: links, Values: make([]float64, len(values))}
	for i, v := range values {
		s.Values[i] = float64(v)
	}
	c.Series = append(c.Series, s)
}

// monthLabels are "1月" … "12月" for a year's months.
func monthLabels() []string {
	out := make([]string, 12)
	for i := range out {
		out[i] = fmt.Sprintf("%d月", i+1)
	}
	return out
}

// chartID makes a DOM id from a name ("home-months").
func chartID(parts ...string) string {
	return "chart-" + strings.Join(parts, "-")
}

// reportChart is a report's chart block (drawn as a picture in Word by
// chartimg) for the page: the same categories and values, drawn by
// ECharts; the caption is its title.
func reportChart(index int, c chartimg.Chart, caption string) *Chart {
	out := &Chart{ID: chartID("report", strconv.Itoa(index)), Kind: ChartBar, Title: caption, Categories: c.Categories, Unit: c.Unit,
		Stacked: c.Kind == chartimg.StackedBar}
	switch {
	case c.Kind == chartimg.Line:
		out.Kind = ChartLine
	case c.Horizontal:
		out.Kind = ChartHBar
	}
	for _, s := range c.Series {
		vals := make([]float64, len(c.Categories))
		copy(vals, s.Values)
		out.Series = append(out.Series, Series{Name: s.Name, Values: vals})
	}
	return out
}
