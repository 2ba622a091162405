package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/infosub"
	"zhendi/internal/report"
)

// The monthly bulletin (信息编发月通报): page, Word and Excel.

func (s *Server) bulletinFor(r *http.Request, c *reqCtx) (infosub.Bulletin, error) {
	month := r.URL.Query().Get("month")
	unitID := s.infoUnit(c, r)
	if month == "" {
		// On the 1st the clerk publishes last month's bulletin — unless
		// the unit has recorded nothing this year or last (a dormant
		// install or the 2023 demo): then the month of its newest record,
		// as the home page, 督导 and 学习计划 open on its latest period.
		now := s.now().In(cntime.Zone)
		month = now.AddDate(0, -1, 0).Format("2006-01")
		if latest, err := s.st.LatestActivityDate(r.Context(), c.scope, unitID); err == nil && len(latest) >= 7 && latest[:4] < strconv.Itoa(now.Year()-1) {
			month = latest[:7]
		}
	}
	if r.URL.Query().Get("unit") == "all" && (len(c.scope.ReadUnits) > 1 || c.user.UnitID == 0) {
		unitID = 0
	}
	return s.st.InfoBulletin(r.Context(), c.scope, unitID, month)
}

func (s *Server) infoBulletin(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		if apperr.IsUser(err) { // a bad month
			s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "error", map[string]any{"Title": "月份无效", "Message": apperr.Message(err)})
			return
		}
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(r.Context(), c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	unit := r.URL.Query().Get("unit")
	charts, year, err := s.bulletinCharts(r, c, b)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// The download links carry the month and unit of the page. They are
	// built here as whole URLs: html/template escapes a query string
	// interpolated after "?" as one query value, which turned "&" and "="
	// into %26 and %3d and made the server fall back to its default month.
	q := url.Values{"month": {b.Month}}
	if unit != "" {
		q.Set("unit", unit)
	}
	s.render(w, r, c, "info_bulletin", map[string]any{"Title": "信息编发月通报", "Nav": "info", "B": b, "Charts": charts, "YearData": year, "Units": units, "Unit": unit,
		"DocxURL": "/info/bulletin.docx?" + q.Encode(), "XlsxURL": "/info/bulletin.xlsx?" + q.Encode(),
		"District": len(c.scope.ReadUnits) > 1 || c.user.UnitID == 0})
}

func (s *Server) infoBulletinDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// A unit's bulletin is issued by the unit; the district roll-up by the
	// supervisor's own node.
	issuer := s.infoUnit(c, r)
	if b.District {
		issuer = c.user.OrgID
	}
	d, err := b.DocCharts(s.svc.Charts())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.finishDoc(r.Context(), &d, report.FinishingOf(report.InfoMonthly), issuer); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, bulletinUnit(r, c), "info.bulletin.export", "bulletin", 0,
		map[string]any{"title": b.Scope + "信息编发月通报", "month": b.Month, "format": "docx", "rows": len(b.Rows)}) {
		return
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.download(w, b.Scope+"信息编发月通报"+b.Month+".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buf.Bytes())
}

func (s *Server) infoBulletinXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, bulletinUnit(r, c), "info.bulletin.export", "bulletin", 0,
		map[string]any{"title": b.Scope + "信息编发月通报", "month": b.Month, "format": "xlsx", "rows": len(b.Rows)}) {
		return
	}
	data, err := b.XLSX()
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.download(w, b.Scope+"信息编发月通报"+b.Month+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
}

func (s *Server) download(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// bulletinUnit is the unit whose bulletin is downloaded, for its log entry
// (0, the user's own unit, for a district roll-up).
func bulletinUnit(r *http.Request, c *reqCtx) int64 {
	if u := formID(r.URL.Query().Get("unit")); u != 0 && c.scope.CanRead(u, 0) {
		return u
	}
	return 0
}
