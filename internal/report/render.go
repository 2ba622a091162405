package report

import (
	"fmt"
	"io"

	"zhendi/internal/chartimg"
	"zhendi/internal/docx"
)

// Doc turns the report into a GB/T 9704 document without its charts;
// the tables that carry the charts' figures stay. DocCharts draws them.
func (r *Report) Doc() docx.Doc {
	d, _ := r.DocCharts(nil)
	return d
}

// DocCharts turns the report into a GB/T 9704 document with every chart
// block drawn by charts as a picture above its table. A nil charts (no
// CJK font on the server, see chartimg) leaves the charts out and is not
// an error; a chart that cannot be drawn is.
func (r *Report) DocCharts(charts *chartimg.Renderer) (docx.Doc, error) {
	d := docx.Doc{Title: r.Title, Subtitle: r.Subtitle, Keep: []string{r.UnitName}}
	for _, b := range r.Blocks {
		switch b.Style {
		case "chart":
			if b.Chart == nil || charts == nil {
				continue
			}
			img, err := charts.Image(*b.Chart, r.Plain(b.Text))
			if err != nil {
				return d, fmt.Errorf("report chart %s: %w", b.Key, err)
			}
			d.Blocks = append(d.Blocks, img)
		case "h1":
			d.Blocks = append(d.Blocks, docx.Heading{Level: 1, Text: r.Plain(b.Text)})
		case "h2":
			d.Blocks = append(d.Blocks, docx.Heading{Level: 2, Text: r.Plain(b.Text)})
		case "h3":
			d.Blocks = append(d.Blocks, docx.Heading{Level: 3, Text: r.Plain(b.Text)})
		case "table":
			if len(b.Rows) == 0 {
				continue
			}
			t := docx.Table{Header: b.Rows[0]}
			for _, row := range b.Rows[1:] {
				cells := make([]string, len(row))
				for i, c := range row {
					cells[i] = r.Plain(c)
				}
				t.Rows = append(t.Rows, cells)
			}
			t.Widths = columnWidths(append([][]string{t.Header}, t.Rows...))
			d.Blocks = append(d.Blocks, t)
		default:
			d.Blocks = append(d.Blocks, docx.Para{Text: r.Plain(b.Text)})
		}
	}
	return d, nil
}

// WriteDocx writes the report as a .docx file without its charts.
func (r *Report) WriteDocx(w io.Writer) error { return docx.Write(w, r.Doc()) }

// columnWidths sizes table columns by their longest cell in characters (a
// Latin letter or digit is half), between 3 and 14, plus one for padding.
func columnWidths(rows [][]string) []int {
	var w []int
	for _, row := range rows {
		for i, c := range row {
			n := 0
			for _, r := range c {
				if r < 0x2000 {
					n++
				} else {
					n += 2
				}
			}
			n = min(max((n+1)/2, 3), 14) + 1 // a character of cell padding
			if i >= len(w) {
				w = append(w, n)
			} else {
				w[i] = max(w[i], n)
			}
		}
	}
	return w
}
