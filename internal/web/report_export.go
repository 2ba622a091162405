package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/docx"
	"zhendi/internal/report"
)

// Downloads of a report: the GB/T 9704 DOCX, the Excel workbook of figures
// with the ledger annex, and the print page — of a saved version
// (/reports/{id}/{format}) or of current data (/reports/fresh/{format}).

func (s *Server) reportExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	v, err := s.loadSaved(r, c, formID(r.PathValue("id")), formInt(r.URL.Query().Get("v")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.exportReport(w, r, c, v)
}

func (s *Server) reportFreshExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	req, err := s.reportRequest(c, r.URL.Query())
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	rep, err := s.svc.BuildReport(r.Context(), c.scope, req)
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	s.exportReport(w, r, c, reportView{Rep: rep, Req: req})
}

// exportReport writes the DOCX, the Excel workbook or the print page.
func (s *Server) exportReport(w http.ResponseWriter, r *http.Request, c *reqCtx, v reportView) {
	rep := v.Rep
	name := rep.Title
	if v.Version != nil {
		name = fmt.Sprintf("%s（第%d版）", rep.Title, v.Version.Version)
	}
	var buf bytes.Buffer
	format := r.PathValue("format")
	if format == "docx" || format == "xlsx" || format == "print" {
		var draftID int64
		detail := map[string]any{"title": name, "kind": string(v.Req.Kind), "period": v.Req.Period.Key, "format": format}
		if v.Version != nil {
			draftID = v.Version.DraftID
			detail["version"] = v.Version.Version
		}
		if !s.recordDownload(w, r, c, v.Req.UnitID, "report.export", "report", draftID, detail) {
			return
		}
	}
	switch format {
	case "docx":
		d, err := rep.DocCharts(s.svc.Charts())
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		if err := s.finishDoc(r.Context(), &d, report.FinishingOf(rep.Kind), rep.UnitID); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		if err := docx.Write(&buf, d); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		reportDownload(w, name+".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buf.Bytes())
	case "xlsx":
		if err := s.svc.LoadReportAnnex(r.Context(), c.scope, rep); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		scheme := "http://"
		if s.secure(r) {
			scheme = "https://"
		}
		if err := rep.WriteXlsx(&buf, scheme+r.Host); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		reportDownload(w, name+"-数据及台账附表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	case "print":
		type pblock struct {
			Style string
			Text  string
			Rows  [][]string
			Chart *Chart
		}
		var blocks []pblock
		for i, b := range rep.Blocks {
			pb := pblock{Style: b.Style, Text: rep.Plain(b.Text)}
			if b.Style == "chart" {
				if b.Chart == nil {
					continue
				}
				pb.Chart = reportChart(i, *b.Chart, pb.Text)
			}
			for _, row := range b.Rows {
				var cells []string
				for _, cell := range row {
					cells = append(cells, rep.Plain(cell))
				}
				pb.Rows = append(pb.Rows, cells)
			}
			blocks = append(blocks, pb)
		}
		data := map[string]any{"Title": rep.Title, "Nav": "reports", "R": rep, "Blocks": blocks}
		for _, b := range blocks {
			if b.Chart != nil {
				data["Charts"] = true // loads ECharts
			}
		}
		s.render(w, r, c, "report_print", data)
	default:
		s.httpError(w, r, c, apperr.ErrNotFound)
	}
}

// reportDownload sends a file with a UTF-8 file name (RFC 5987).
func reportDownload(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
