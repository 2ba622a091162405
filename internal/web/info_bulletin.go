package web

import (
	"bytes"
	"net/http"
	"net/url"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/infosub"
)

// The monthly bulletin (信息编发月通报): page, Word and Excel.

func (s *Server) bulletinFor(r *http.Request, c *reqCtx) (infosub.Bulletin, error) {
	month := r.URL.Query().Get("month")
	if month == "" {
		// On the 1st the clerk publishes last month's bulletin.
		month = s.now().In(cntime.Zone).AddDate(0, -1, 0).Format("2006-01")
	}
	unitID := s.infoUnit(c, r)
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
	s.render(w, r, c, "info_bulletin", map[string]any{"Title": "信息编发月通报", "Nav": "info", "B": b, "Charts": charts, "YearData": year, "Units": units, "Unit": unit,
		"Query": "month=" + url.QueryEscape(b.Month) + "&unit=" + url.QueryEscape(unit), "District": len(c.scope.ReadUnits) > 1 || c.user.UnitID == 0})
}

func (s *Server) infoBulletinDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !s.recordDownload(w, r, c, bulletinUnit(r, c), "info.bulletin.export", "bulletin", 0,
		map[string]any{"title": b.Scope + "信息编发月通报", "month": b.Month, "format": "docx", "rows": len(b.Rows)}) {
		return
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, b.Doc()); err != nil {
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
