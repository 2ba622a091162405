package web

import (
	"fmt"
	"net/http"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/opreport"
	"zhendi/internal/service"
)

// The 舆情 reports: the periodic 舆情分析报告 of a unit (week, month,
// half-year) and an event's 研判报告, in Word (GB/T 9704, with the unit's
// 主送机关 and 落款 from 公文设置) and Excel.

// opReports is the report page: choose a period and download.
func (s *Server) opReports(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	now := s.now().In(cntime.Zone)
	y, wk := now.AddDate(0, 0, -7).ISOWeek()
	last := now.AddDate(0, -1, 0)
	half := fmt.Sprintf("%dH1", now.Year())
	if now.Month() < time.July {
		half = fmt.Sprintf("%dH2", now.Year()-1)
	}
	type choice struct{ Key, Label string }
	var choices []choice
	for _, k := range []string{fmt.Sprintf("%d-W%02d", y, wk), last.Format("2006-01"), now.Format("2006-01"), half} {
		p, err := opreport.ParsePeriod(k)
		if err == nil {
			choices = append(choices, choice{p.Key, p.Label})
		}
	}
	s.render(w, r, c, "opinion_reports", map[string]any{"Title": "舆情报告", "Nav": "opinion", "UnitID": unitID, "Units": units, "Choices": choices})
}

// opReportDownload downloads a unit's periodic report: ?unit=&period=.
func (s *Server) opReportDownload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	format := r.PathValue("format")
	if format != "docx" && format != "xlsx" {
		s.httpError(w, r, c, apperr.ErrNotFound)
		return
	}
	unitID := unitChoice(c, r)
	d, err := s.svc.OpinionPeriodReport(r.Context(), c.scope, unitID, r.URL.Query().Get("period"))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.opSendReport(w, r, c, unitID, format, d)
}

// opEventReport downloads an event's 研判报告.
func (s *Server) opEventReport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	format := r.PathValue("format")
	if format != "docx" && format != "xlsx" {
		s.httpError(w, r, c, apperr.ErrNotFound)
		return
	}
	d, unitID, err := s.svc.OpinionEventReport(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.opSendReport(w, r, c, unitID, format, d)
}

func (s *Server) opSendReport(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, format string, d opreport.Data) {
	data, err := s.svc.OpinionReportFile(r.Context(), unitID, d, format)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	name := service.OpinionReportName(d)
	if !s.recordDownload(w, r, c, unitID, "opinion.report.export", "opinion_report", 0, map[string]any{"title": name, "format": format, "items": d.Items}) {
		return
	}
	ctype := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == "docx" {
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	s.download(w, name+"."+format, ctype, data)
}
