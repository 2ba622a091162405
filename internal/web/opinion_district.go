package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/store"
)

// opDistrict is the supervisor's view across units: per unit the items,
// negative items, events, incidents and those handled within their time
// limits. Aggregates only: no item, author or text of a unit is shown here.
func (s *Server) opDistrict(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	days, from, to := s.opPeriod(r)
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	figs, err := s.st.UnitOpinionCounts(ctx, c.scope, ids, from, to)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	incs, err := s.st.Incidents(ctx, c.scope, store.IncidentFilter{From: from, To: to})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	now := s.now().Unix()
	for _, in := range incs {
		f := figs[in.UnitID]
		if f == nil {
			continue
		}
		f.Incidents++
		settled := true
		for _, d := range in.Deadlines() {
			if d.Done == 0 && !d.Overdue(now) {
				settled = false
			}
		}
		if settled {
			f.Settled++
			if in.OnTime() {
				f.OnTime++
			}
		}
	}
	type row struct {
		Name string
		ID   int64
		store.UnitOpinionFigures
	}
	var rows []row
	var total store.UnitOpinionFigures
	ch := Chart{ID: chartID("op", "district"), Kind: ChartHBar, Title: fmt.Sprintf("近%d天各单位信息量", days), Unit: "条"}
	var items, neg []int
	var links []string
	for _, u := range units {
		f := figs[u.ID]
		if f == nil {
			continue
		}
		rows = append(rows, row{Name: u.Name, ID: u.ID, UnitOpinionFigures: *f})
		total.Items += f.Items
		total.Negative += f.Negative
		total.Events += f.Events
		total.Incidents += f.Incidents
		total.Settled += f.Settled
		total.OnTime += f.OnTime
		ch.Categories = append(ch.Categories, u.Name)
		items, neg = append(items, f.Items), append(neg, f.Negative)
		links = append(links, fmt.Sprintf("/opinion?unit=%d&days=%d", u.ID, days))
	}
	ch.AddSeries("信息量", "", items, links)
	ch.AddSeries("负面", colorRed, neg, links)
	s.render(w, r, c, "opinion_district", map[string]any{"Title": "舆情多单位汇总", "Nav": "opinion", "Rows": rows, "Total": total, "Days": days,
		"Periods": opPeriods, "Charts": map[string]Chart{"district": ch}})
}
