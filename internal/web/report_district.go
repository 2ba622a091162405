package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
)

// reportDistrict compares the units the caller reads in full (the district
// supervisor's view): the key figures of one report kind and period per
// unit, each linked to its records, and the summary workbook.
func (s *Server) reportDistrict(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	q := r.URL.Query()
	if q.Get("kind") == "" {
		q.Set("kind", string(report.HalfYear))
	}
	if q.Get("period") == "" {
		q.Set("period", ledger.HalfYearOf(s.now().In(cntime.Zone)).Key)
	}
	kind, err := report.ParseKind(q.Get("kind"))
	if err == nil && kind == report.Shuzhi {
		err = apperr.Rule("述职报告按人生成，没有各单位汇总")
	}
	var p ledger.Period
	if err == nil {
		p, err = ledger.ParsePeriod(q.Get("period"))
	}
	if err == nil {
		err = kind.PeriodOK(p)
	}
	if err != nil {
		s.badRequest(w, r, c, err)
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
	req := report.Request{Kind: kind, Period: p, LateDays: s.lateDays()}
	reps, err := s.svc.BuildReports(ctx, c.scope, req, ids, 2, nil)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if r.URL.Query().Get("format") == "xlsx" {
		var buf bytes.Buffer
		title := fmt.Sprintf("%s各单位%s汇总", p.Label, kind.Label())
		if err := report.WriteSummary(&buf, title, reps); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		reportDownload(w, title+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
		return
	}
	var head []string
	for _, k := range report.SummaryKeys {
		if f := reps[0].Figure(k); f != nil {
			head = append(head, f.Label)
		}
	}
	type cell struct {
		Text, Link, Title string
		Missing           bool
	}
	type row struct {
		Unit  string
		Open  string
		Cells []cell
	}
	var rows []row
	for _, rep := range reps {
		open := url.Values{"kind": {string(kind)}, "period": {p.Key}, "unit": {strconv.FormatInt(rep.UnitID, 10)}}
		rw := row{Unit: rep.UnitName, Open: "/reports/new?" + open.Encode()}
		for _, k := range report.SummaryKeys {
			if f := rep.Figure(k); f != nil {
				rw.Cells = append(rw.Cells, cell{Text: f.Text(), Link: f.Link, Title: f.Def, Missing: f.Missing})
			}
		}
		rows = append(rows, rw)
	}
	s.render(w, r, c, "report_district", map[string]any{"Title": "各单位汇总", "Nav": "reports", "Kind": kind, "Kinds": report.Kinds,
		"Period": p, "Head": head, "Rows": rows, "XLSX": "/reports/district?" + url.Values{"kind": {string(kind)}, "period": {p.Key}, "format": {"xlsx"}}.Encode()})
}
