package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"zhendi/internal/channel"
	"zhendi/internal/chartimg"
	"zhendi/internal/docx"
	"zhendi/internal/report"
	"zhendi/internal/store"
)

// chartRenderer opens the chart drawer for Word documents once; nil (which
// draws nothing) when the machine has no CJK font.
func (s *Server) chartRenderer() *chartimg.Renderer {
	s.chartsOnce.Do(func() {
		r, err := chartimg.Open("")
		if err != nil {
			s.log.Warn("charts in Word documents are left out", "err", err)
			return
		}
		s.charts = r
	})
	return s.charts
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func sendDOCX(w http.ResponseWriter, name string, data []byte) {
	w.Header().Set("Content-Type", docxType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// inspectionReport downloads an inspection's report as GB/T 9704 Word
// (with the unit's 落款) or its checklist as Excel.
func (s *Server) inspectionReport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	id := formID(r.PathValue("id"))
	in, err := s.st.Inspection(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	format := r.PathValue("format")
	if format != "docx" && format != "xlsx" {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	n, err := s.st.Node(ctx, in.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, in.UnitID, "channel.report.export", "channel_inspection", in.ID, map[string]any{"format": format, "period": in.Period}) {
		return
	}
	name := n.Name + channel.PeriodLabel(in.Period) + in.Kind.Label()
	var buf bytes.Buffer
	if format == "xlsx" {
		if err := channel.InspectionXLSX(&buf, n.Name, in); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		sendXLSX(w, name+"检查表.xlsx", buf.Bytes())
		return
	}
	d := channel.InspectionReport(n.Name, in, s.today())
	if err := s.finishDoc(ctx, r, &d, report.Finishing{Signature: true}, in.UnitID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := docx.Write(&buf, d); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendDOCX(w, name+"报告.docx", buf.Bytes())
}

// channelsQuarterReport downloads the quarterly 阵地 report (?period=2024Q1)
// as Word (report.docx) or Excel (report.xlsx).
func (s *Server) channelsQuarterReport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	unitID := unitChoice(c, r)
	format := "docx"
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		format = "xlsx"
	}
	period := r.URL.Query().Get("period")
	if period == "" {
		period, _ = channel.Quarter(s.now())
	}
	q, err := s.svc.ChannelQuarter(ctx, c.scope, unitID, period)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, unitID, "channel.report.export", "unit", unitID, map[string]any{"format": format, "period": period}) {
		return
	}
	name := q.UnitName + channel.PeriodLabel(period) + "阵地管理情况报告"
	var buf bytes.Buffer
	if format == "xlsx" {
		if err := channel.QuarterXLSX(&buf, q); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		sendXLSX(w, name+".xlsx", buf.Bytes())
		return
	}
	if len(q.MonthItems) > 0 {
		vals := make([]float64, len(q.MonthItems))
		for i, n := range q.MonthItems {
			vals[i] = float64(n)
		}
		img, err := s.chartRenderer().Image(chartimg.Chart{Kind: chartimg.Line, Categories: q.Months, Unit: "条",
			Series: []chartimg.Series{{Name: "发布信息", Values: vals}}}, "图1　近12个月各月发布信息条数")
		if err == nil {
			q.Chart = &img
		} else if !errors.Is(err, chartimg.ErrNoCJKFont) {
			s.httpError(w, r, c, err)
			return
		}
	}
	if rows := q.FreqRows(); len(rows) > 0 {
		ch := chartimg.Chart{Kind: chartimg.Bar, Horizontal: true, Unit: "天", Series: []chartimg.Series{{Name: "距上次更新"}, {Name: "更新期限"}}}
		for _, row := range rows {
			ch.Categories = append(ch.Categories, row.Name)
			ch.Series[0].Values = append(ch.Series[0].Values, float64(max(row.Days, 0)))
			ch.Series[1].Values = append(ch.Series[1].Values, float64(row.Limit))
		}
		img, err := s.chartRenderer().Image(ch, "图2　各阵地距上次更新天数与更新期限")
		if err == nil {
			q.FreqChart = &img
		} else if !errors.Is(err, chartimg.ErrNoCJKFont) {
			s.httpError(w, r, c, err)
			return
		}
	}
	d := channel.QuarterReport(q)
	if err := s.finishDoc(ctx, r, &d, report.Finishing{Signature: true}, unitID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := docx.Write(&buf, d); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendDOCX(w, name+".docx", buf.Bytes())
}
