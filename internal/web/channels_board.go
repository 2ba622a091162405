package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"time"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/service"
)

// 阵地 pages (issue 18). Everything here is the module of a unit's channels
// — its site, columns, accounts, groups and boards. The reminder delivery
// settings (提醒渠道) are supervise_channels.go, a different thing.

// channelsBoard is the 阵地 dashboard and registry of one unit: each channel
// with its light and "距上次更新 N 天" against its limit, the single-veto
// indicators as an inspection today would judge them, and the update
// frequency chart.
func (s *Server) channelsBoard(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	unitID := unitChoice(c, r)
	if !slices.Contains(c.scope.ReadUnits, unitID) && len(c.scope.ReadOrgs) == 0 && c.user.UnitID == 0 {
		s.forbidden(w, r, c)
		return
	}
	boards, err := s.svc.ChannelBoards(ctx, c.scope, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	b := boards[unitID]
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	chart, err := s.channelFreqChart(r, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	pub, err := s.st.PubDays(ctx, []int64{unitID}, cntime.Date(s.now().AddDate(0, 0, -channel.PeriodDays)))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	since, recent := unitFreqCharts(b, pub, cntime.Date(s.now()))
	names := map[int64]string{}
	for _, row := range b.Rows {
		names[row.ID] = row.Name
	}
	s.render(w, r, c, "channels_board", map[string]any{
		"Title": "阵地管理", "Nav": "channels", "Board": b, "UnitID": unitID, "Units": units, "Names": names,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID), "Charts": map[string]Chart{"freq": chart, "since": since, "recent": recent},
		"Today": cntime.Date(s.now()), "Periods": recentQuarters(s.now(), 4),
	})
}

// channelFreqChart is the items published per month over the last twelve
// months on the units' channels, web and new media apart (the checks and
// manual checks record the publication days they see).
func (s *Server) channelFreqChart(r *http.Request, unitIDs []int64) (Chart, error) {
	now := s.now().In(cntime.Zone)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, cntime.Zone).AddDate(0, -11, 0)
	counts, err := s.st.PubMonths(r.Context(), unitIDs, cntime.Date(first))
	if err != nil {
		return Chart{}, err
	}
	ch := Chart{ID: chartID("channel", "freq"), Kind: ChartLine, Title: "近12个月各阵地发布信息条数", Unit: "条"}
	web, media, other := make([]int, 12), make([]int, 12), make([]int, 12)
	for i := 0; i < 12; i++ {
		m := first.AddDate(0, i, 0)
		ch.Categories = append(ch.Categories, fmt.Sprintf("%d年%d月", m.Year(), m.Month()))
		for k, n := range counts[m.Format("2006-01")] {
			switch {
			case k.Web():
				web[i] += n
			case k.NewMedia():
				media[i] += n
			default:
				other[i] += n
			}
		}
	}
	ch.AddSeries("网站及栏目", "", web, nil)
	ch.AddSeries("政务新媒体", "", media, nil)
	if slices.ContainsFunc(other, func(n int) bool { return n > 0 }) {
		ch.AddSeries("其他阵地", "", other, nil)
	}
	return ch, nil
}

// districtRow is one unit on the supervisor's 阵地 overview.
type districtRow struct {
	UnitID  int64
	Name    string
	Board   *service.ChannelBoard
	Failing []channel.Veto
}

// channelsDistrict is the supervisor's view: every unit's channels by
// light and the single-veto items each unit would fail today.
func (s *Server) channelsDistrict(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	boards, err := s.svc.ChannelBoards(ctx, c.scope, ids)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var rows []districtRow
	failing := 0
	for _, u := range units {
		b := boards[u.ID]
		row := districtRow{UnitID: u.ID, Name: u.Name, Board: b, Failing: channel.Failing(b.Vetoes)}
		if len(row.Failing) > 0 {
			failing++
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if len(rows[i].Failing) != len(rows[j].Failing) {
			return len(rows[i].Failing) > len(rows[j].Failing)
		}
		return rows[i].Board.Red > rows[j].Board.Red
	})
	chart, err := s.channelFreqChart(r, ids)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "channels_district", map[string]any{
		"Title": "阵地多单位汇总", "Nav": "channels", "Rows": rows, "FailingUnits": failing, "Charts": map[string]Chart{"freq": chart},
	})
}

// recentQuarters are this quarter and the n-1 before it ("2024Q1"), newest
// first.
func recentQuarters(now time.Time, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		p, _ := channel.Quarter(now.AddDate(0, -3*i, 0))
		out = append(out, p)
	}
	return out
}
