package web

import (
	"fmt"
	"net/http"
	"strconv"

	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/supervise"
)

// Charts of the 五个带头, 督导 and 信息报送 pages, built from the figures the
// page's table shows so the two always agree.

// fiveLeadsChart puts each leader's five counts side by side: one series
// per lead, one group of bars per leader; a bar opens its records.
func fiveLeadsChart(year int, rows []ledger.FiveLeads) Chart {
	c := Chart{ID: chartID("leads"), Kind: ChartBar, Title: fmt.Sprintf("%d年班子成员“五个带头”", year), Unit: "次"}
	for _, r := range rows {
		c.Categories = append(c.Categories, r.Name)
	}
	for i, label := range ledger.FiveLeadLabels {
		values := make([]int, len(rows))
		links := make([]string, len(rows))
		for j, r := range rows {
			values[j], links[j] = r.Counts[i], r.Links[i]
		}
		c.AddSeries(label, "", values, links)
	}
	return c
}

// complianceChart counts, per obligation, the subject-periods done, on
// track, at risk and overdue (逾期 and 未完成 together) so far this year.
func complianceChart(uc *supervise.UnitCompliance, year int) Chart {
	c := Chart{ID: chartID("compliance"), Kind: ChartHBar, Title: fmt.Sprintf("%d年各项义务完成情况（按期次）", year), Stacked: true, Unit: "期"}
	var done, track, risk, late []int
	var links []string
	for _, l := range uc.Lines {
		if len(l.Results) == 0 {
			continue
		}
		c.Categories = append(c.Categories, l.Name)
		var d, t, r, o int
		for _, res := range l.Results {
			switch res.Status {
			case supervise.Done:
				d++
			case supervise.OnTrack:
				t++
			case supervise.AtRisk:
				r++
			case supervise.Overdue, supervise.Missed:
				o++
			}
		}
		done, track, risk, late = append(done, d), append(track, t), append(risk, r), append(late, o)
		links = append(links, fmt.Sprintf("/supervise?unit=%d&year=%d#%s", uc.Unit.ID, year, l.Key))
	}
	c.AddSeries("已完成", colorGreen, done, links)
	c.AddSeries("进行中", "#7cb342", track, links)
	c.AddSeries("有风险", colorAmber, risk, links)
	c.AddSeries("已逾期/未完成", colorRed, late, links)
	return c
}

// complianceByMonthChart counts the results whose deadline falls in each
// month of the year: done against not done (at risk, overdue or missed),
// so a leader sees which months were kept.
func complianceByMonthChart(uc *supervise.UnitCompliance, year int) Chart {
	c := Chart{ID: chartID("compliance-months"), Kind: ChartBar, Title: fmt.Sprintf("%d年各月到期的义务", year), Stacked: true, Unit: "期", Categories: monthLabels()}
	done := make([]int, 12)
	behind := make([]int, 12)
	open := make([]int, 12)
	y := strconv.Itoa(year)
	for _, res := range uc.Results {
		if len(res.Deadline) < 7 || res.Deadline[:4] != y || res.Status == supervise.Upcoming {
			continue
		}
		m, err := strconv.Atoi(res.Deadline[5:7])
		if err != nil || m < 1 || m > 12 {
			continue
		}
		switch {
		case res.Status == supervise.Done:
			done[m-1]++
		case res.Status.Behind():
			behind[m-1]++
		default:
			open[m-1]++
		}
	}
	c.AddSeries("已完成", colorGreen, done, nil)
	c.AddSeries("进行中", "#7cb342", open, nil)
	c.AddSeries("有风险或逾期", colorRed, behind, nil)
	return c
}

// districtHeatmap is the district matrix as a heat map: one row per unit
// (in the page's order), one column per obligation, the colour the worst
// status so far; a cell opens the unit's dashboard.
func districtHeatmap(ro supRollup) Chart {
	c := Chart{ID: chartID("district-heat"), Kind: ChartHeatmap, Title: fmt.Sprintf("%d年各单位落实情况", ro.Year),
		Levels: []HeatLevel{{"本年无要求", colorGrey}, {"已完成/进行中", colorGreen}, {"有风险", colorAmber}, {"已逾期/未完成", colorRed}}}
	for _, k := range ro.Keys {
		c.Categories = append(c.Categories, ro.Names[k])
	}
	for y, uc := range ro.Units {
		c.Rows = append(c.Rows, uc.Unit.Name)
		for x, k := range ro.Keys {
			l := uc.Cell(k)
			level, text := 0, ""
			if len(l.Results) > 0 {
				text = l.Summary()
				switch l.Worst.Color() {
				case "red":
					level = 3
				case "amber":
					level = 2
				default:
					level = 1
				}
			}
			c.Cells = append(c.Cells, HeatCell{X: x, Y: y, Level: level, Text: text,
				Link: fmt.Sprintf("/supervise?unit=%d&year=%d#%s", uc.Unit.ID, ro.Year, k)})
		}
	}
	return c
}

// bulletinChart is the 月通报 ranking: departments (or units) by points,
// best first, with submissions beside; a bar opens the drafts behind it.
func bulletinChart(b infosub.Bulletin, unitID int64) Chart {
	c := Chart{ID: chartID("bulletin"), Kind: ChartHBar, Title: b.Label + "信息报送排名"}
	var points, submitted []int
	var pointLinks, subLinks []string
	for _, r := range b.Rows {
		c.Categories = append(c.Categories, r.Name)
		points = append(points, r.Points)
		submitted = append(submitted, r.Submitted)
		if b.District {
			pointLinks = append(pointLinks, fmt.Sprintf("/info/bulletin?month=%s&unit=%d", b.Month, r.OrgID))
			subLinks = append(subLinks, fmt.Sprintf("/info/bulletin?month=%s&unit=%d", b.Month, r.OrgID))
		} else {
			pointLinks = append(pointLinks, fmt.Sprintf("/info?unit=%d&org=%d&pub=%s", unitID, r.OrgID, b.Month))
			subLinks = append(subLinks, fmt.Sprintf("/info?unit=%d&org=%d&month=%s&counted=1", unitID, r.OrgID, b.Month))
		}
	}
	c.AddSeries("得分", colorRed, points, pointLinks)
	c.AddSeries("报送", "#3060a8", submitted, subLinks)
	return c
}

// bulletinYear is the bulletin's year up to its month, one bulletin per
// month: the data of the monthly charts and of the table under them.
type bulletinYear struct {
	Months []string // "1月" …
	Names  []string // departments (or units) in the latest month's order
	// Cells[i][m] is department i in month m.
	Cells [][]infosub.BulletinRow
}

// bulletinCharts builds the 信息报送 charts: the month's ranking and, for
// the year so far, submissions, adoptions and points per month stacked by
// department.
func (s *Server) bulletinCharts(r *http.Request, c *reqCtx, b infosub.Bulletin) (map[string]Chart, bulletinYear, error) {
	charts := map[string]Chart{"rank": bulletinChart(b, s.infoUnit(c, r))}
	year, month := b.Month[:4], 0
	if m, err := strconv.Atoi(b.Month[5:7]); err == nil {
		month = m
	}
	unitID := s.infoUnit(c, r)
	if b.District {
		unitID = 0
	}
	var by bulletinYear
	index := map[int64]int{}
	for _, row := range b.Rows {
		index[row.OrgID] = len(by.Names)
		by.Names = append(by.Names, row.Name)
	}
	by.Cells = make([][]infosub.BulletinRow, len(by.Names))
	for i := range by.Cells {
		by.Cells[i] = make([]infosub.BulletinRow, month)
	}
	for m := 1; m <= month; m++ {
		by.Months = append(by.Months, fmt.Sprintf("%d月", m))
		mb, err := s.st.InfoBulletin(r.Context(), c.scope, unitID, fmt.Sprintf("%s-%02d", year, m))
		if err != nil {
			return nil, by, err
		}
		for _, row := range mb.Rows {
			if i, ok := index[row.OrgID]; ok {
				by.Cells[i][m-1] = row
			}
		}
	}
	series := func(id, title, unit string, pick func(infosub.BulletinRow) int) Chart {
		ch := Chart{ID: chartID(id), Kind: ChartBar, Title: year + "年" + title, Categories: by.Months, Stacked: true, Unit: unit}
		for i, name := range by.Names {
			values := make([]int, month)
			for m := range month {
				values[m] = pick(by.Cells[i][m])
			}
			ch.AddSeries(name, "", values, nil)
		}
		return ch
	}
	charts["submitted"] = series("info-submitted", "各月报送（按"+map[bool]string{true: "单位", false: "科室"}[b.District]+"）", "篇", func(r infosub.BulletinRow) int { return r.Submitted })
	charts["adopted"] = series("info-adopted", "各月采用", "篇", func(r infosub.BulletinRow) int { return r.Adopted })
	charts["points"] = series("info-points", "各月得分", "分", func(r infosub.BulletinRow) int { return r.Points })
	return charts, by, nil
}
