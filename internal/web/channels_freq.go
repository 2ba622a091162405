package web

import (
	"fmt"
	"strings"
	"time"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/service"
)

// Update-frequency charts as the indicator judges them (issue 18): per
// channel, days since the last update against its limit and the items of
// each 2-week period; per unit, each column's days since its last update
// beside its limit and its items in the last 2 weeks.

// freqPeriods is how many 2-week periods a channel's chart shows (half a
// year: the 通知公告 limit fits in it).
const freqPeriods = 13

// channelFreqCharts are a channel's two charts: items per 2-week period,
// and days since the last update at each period's end with the limit.
func channelFreqCharts(c channel.Channel, pub map[string]int, f channel.Fresh, today string) (items, since Chart) {
	ps := channel.UpdateFreq(pub, today, freqPeriods)
	items = Chart{ID: chartID("channel", fmt.Sprint(c.ID), "items"), Kind: ChartBar, Title: "每2周发布信息条数", Unit: "条"}
	since = Chart{ID: chartID("channel", fmt.Sprint(c.ID), "since"), Kind: ChartLine, Title: "每2周末距上次更新天数（与期限对照）", Unit: "天"}
	n, d, lim := make([]int, len(ps)), make([]int, len(ps)), make([]int, len(ps))
	limit := f.LimitDays(today)
	for i, p := range ps {
		label := strings.TrimPrefix(p.To[5:], "0")
		items.Categories = append(items.Categories, label)
		since.Categories = append(since.Categories, label)
		n[i] = p.Items
		d[i] = max(p.DaysSince, 0)
		lim[i] = limit
	}
	items.AddSeries("发布信息", "", n, nil)
	since.AddSeries("距上次更新", "", d, nil)
	if limit > 0 {
		since.AddSeries("更新期限", "#c0392b", lim, nil)
	}
	return items, since
}

// unitFreqCharts are a unit's columns, sites and accounts judged by an
// update rule: days since the last update beside the limit, and items in
// the last 2 weeks.
func unitFreqCharts(b *service.ChannelBoard, pub map[int64]map[string]int, today string) (since, recent Chart) {
	since = Chart{ID: chartID("channel", "unit", "since"), Kind: ChartHBar, Title: "各阵地距上次更新天数与更新期限", Unit: "天"}
	recent = Chart{ID: chartID("channel", "unit", "recent"), Kind: ChartHBar, Title: "各阵地近2周发布信息条数", Unit: "条"}
	t, _ := cntime.ParseDate(today)
	from := cntime.Date(t.AddDate(0, 0, 1-channel.PeriodDays))
	var days, limits, items []int
	var links []string
	for _, row := range b.Rows {
		limit := row.Fresh.LimitDays(today)
		if row.Status != channel.Running || limit == 0 {
			continue
		}
		since.Categories = append(since.Categories, row.Name)
		recent.Categories = append(recent.Categories, row.Name)
		days = append(days, max(row.Fresh.Days, 0))
		limits = append(limits, limit)
		n := 0
		for d, k := range pub[row.ID] {
			if d >= from && d <= today {
				n += k
			}
		}
		items = append(items, n)
		links = append(links, fmt.Sprintf("/channels/%d", row.ID))
	}
	since.AddSeries("距上次更新", "", days, links)
	since.AddSeries("更新期限", "#c0392b", limits, links)
	recent.AddSeries("近2周发布", "", items, links)
	return since, recent
}

// pubFrom is the first publication day the charts need: the first
// period's start less a year, so its days-since are known.
func pubFrom(now time.Time) string {
	return cntime.Date(now.AddDate(-1, 0, -channel.PeriodDays*freqPeriods))
}
