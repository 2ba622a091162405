package web

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// monthRow is one month of the home page's year table: the figures behind
// the monthly charts, each with its ledger list.
type monthRow struct {
	Label     string
	Total     int
	Late      int
	Share     float64 // late share in percent, one decimal
	Link      string
	LateLink  string
	TypeCount map[string]int
}

// yearMonths counts a unit's entries of a year by month and type, and the
// late ones by month: the data of the home charts and of the table beside
// them. Two grouped queries whatever the year holds.
func (s *Server) yearMonths(ctx context.Context, sc access.Scope, unitID int64, year int) ([]monthRow, error) {
	y := strconv.Itoa(year)
	all := ledger.Filter{UnitID: unitID, From: y + "-01-01", To: y + "-12-31"}
	counts, err := s.st.CountByMonthType(ctx, sc, all)
	if err != nil {
		return nil, err
	}
	late := all
	late.Late = s.lateDays()
	lateCounts, err := s.st.CountByMonthType(ctx, sc, late)
	if err != nil {
		return nil, err
	}
	rows := make([]monthRow, 12)
	for m := 1; m <= 12; m++ {
		key := fmt.Sprintf("%s-%02d", y, m)
		p, _ := ledger.ParsePeriod(key)
		f := all
		f.From, f.To = p.From, p.To
		lf := f
		lf.Late = s.lateDays()
		r := monthRow{Label: fmt.Sprintf("%d月", m), Link: f.URL(), LateLink: lf.URL(), TypeCount: counts[key]}
		for _, n := range counts[key] {
			r.Total += n
		}
		for _, n := range lateCounts[key] {
			r.Late += n
		}
		if r.Total > 0 {
			r.Share = math.Round(float64(r.Late)*1000/float64(r.Total)) / 10
		}
		rows[m-1] = r
	}
	return rows, nil
}

// monthsByTypeChart is activities per month, one stacked series per
// category of type (ledger.Groups: 理论学习, 会议, 三会一课 …) recorded in
// the year, as the Word reports' 图1 draws it; each bar segment opens that
// month's entries of the category's types.
func monthsByTypeChart(unitID int64, year int, rows []monthRow) Chart {
	c := Chart{ID: chartID("months"), Kind: ChartBar, Title: fmt.Sprintf("%d年各月活动（按类别）", year), Categories: monthLabels(), Stacked: true, Unit: "次"}
	y := strconv.Itoa(year)
	for _, g := range ledger.Groups() {
		values := make([]int, 12)
		links := make([]string, 12)
		any := false
		for i, r := range rows {
			for _, code := range g.Types {
				values[i] += r.TypeCount[code]
			}
			if values[i] > 0 {
				any = true
				p, _ := ledger.ParsePeriod(fmt.Sprintf("%s-%02d", y, i+1))
				links[i] = ledger.Filter{UnitID: unitID, From: p.From, To: p.To, Types: g.Types}.URL()
			}
		}
		if any {
			c.AddSeries(g.Name, "", values, links)
		}
	}
	return c
}

// lateShareChart is the share of 补记 entries per month, in percent; a
// point opens the month's late entries.
func lateShareChart(year, lateDays int, rows []monthRow) Chart {
	c := Chart{ID: chartID("late"), Kind: ChartLine, Title: fmt.Sprintf("%d年各月补记比例（活动后 %d 天以上登记）", year, lateDays), Categories: monthLabels(), Unit: "%"}
	s := Series{Name: "补记比例", Color: colorRed}
	for _, r := range rows {
		s.Values = append(s.Values, r.Share)
		link := ""
		if r.Late > 0 {
			link = r.LateLink
		}
		s.Links = append(s.Links, link)
	}
	c.Series = []Series{s}
	return c
}

// coverageChart is how often each required topic was studied in the
// period; a bar opens the entries on that topic.
func coverageChart(periodLabel string, coverage []figure) Chart {
	c := Chart{ID: chartID("coverage"), Kind: ChartHBar, Title: periodLabel + "必修专题学习次数", Unit: "次"}
	var values []int
	var links []string
	for _, f := range coverage {
		c.Categories = append(c.Categories, f.Label)
		values = append(values, f.N)
		links = append(links, f.Link())
	}
	c.AddSeries("学习次数", colorGreen, values, links)
	return c
}
