package report

import (
	"io"

	"zhendi/internal/docx"
)

// Doc turns the report into a GB/T 9704 document.
func (r *Report) Doc() docx.Doc {
	d := docx.Doc{Title: r.Title, Subtitle: r.Subtitle, Keep: []string{r.UnitName}}
	for _, b := range r.Blocks {
		switch b.Style {
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
	return d
}

// WriteDocx writes the report as a .docx file.
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
