package report

import (
	"fmt"
	"strconv"

	"zhendi/internal/docx"
	"zhendi/internal/infosub"
)

// bulletin makes the 信息编发月通报 report: the very blocks of the
// information module's monthly bulletin (infosub.Bulletin.Content), the one
// the 信息编发月通报 page shows and downloads, so the page, the 报告 menu
// and `zhendi report --kind info-monthly` give one document with the same
// exact counts. The totals of the opening paragraph are figures, locked in
// the editor like every other report figure.
func (b *builder) bulletin() error {
	bl, err := b.src.InfoBulletin(b.ctx, b.req.UnitID, b.req.Period.Key)
	if err != nil {
		return fmt.Errorf("monthly bulletin: %w", err)
	}
	b.r.Title, b.r.Subtitle = bl.Title(), bl.Subtitle()
	b.r.Template = "info-bulletin"
	totals := bl.Totals()
	for _, f := range bulletinFigureDefs() {
		b.add(&Figure{Key: f.Key, Label: f.Label, Unit: f.Unit, Value: totals[f.i], Display: strconv.Itoa(totals[f.i]), Source: "info",
			Def: fmt.Sprintf("%s%s：%s", bl.Label, bl.Scope, f.Def), IDs: []int64{}})
	}
	token := func(key string, _ int) string { return "{" + key + "}" }
	for i, blk := range bl.Content(token) {
		key := fmt.Sprintf("bulletin.%d", i+1)
		switch x := blk.(type) {
		case docx.Heading:
			b.r.Blocks = append(b.r.Blocks, Block{Key: key, Style: fmt.Sprintf("h%d", x.Level), Text: x.Text})
		case docx.Para:
			b.r.Blocks = append(b.r.Blocks, Block{Key: key, Style: "p", Text: x.Text})
		case docx.Table:
			if len(bl.Rows) > 0 {
				ch := bl.RankingChart()
				b.r.Blocks = append(b.r.Blocks, Block{Key: key + ".chart", Style: "chart", Text: bl.RankingCaption(), Chart: &ch})
			}
			rows := append([][]string{x.Header}, x.Rows...)
			b.r.Blocks = append(b.r.Blocks, Block{Key: key, Style: "table", Rows: rows})
		}
	}
	return nil
}

type bulletinFig struct {
	i                     int
	Key, Label, Unit, Def string
}

func bulletinFigureDefs() []bulletinFig {
	var out []bulletinFig
	for i, f := range infosub.BulletinFigures {
		out = append(out, bulletinFig{i, f.Key, f.Label, f.Unit, f.Def})
	}
	return out
}
