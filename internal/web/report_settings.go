package web

import (
	"net/http"
	"slices"

	"zhendi/internal/org"
	"zhendi/internal/web/form"
)

// 公文设置: how a unit's documents are finished — the issuing body of the
// 落款, the 主送机关 and the 版记's 抄送 and 印发机关. Everyone who reads the
// whole unit sees them; the unit-wide writers change them.

func (s *Server) reportSettings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderDocSettings(w, r, c, nil, "", http.StatusOK)
}

func (s *Server) renderDocSettings(w http.ResponseWriter, r *http.Request, c *reqCtx, ds *org.DocSettings, errMsg string, status int) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	unit, err := s.st.Node(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if ds == nil {
		got, err := s.st.DocSettings(r.Context(), unitID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		ds = &got
	}
	s.renderStatus(w, r, c, status, "report_settings", map[string]any{"Title": "公文设置", "Nav": "reports", "S": ds, "Unit": unit,
		"DefaultIssuer": ds.IssuerOf(unit.Name), "DefaultPrinter": ds.PrinterOf(unit.Name), "Error": errMsg,
		"CanManage": slices.Contains(c.scope.WriteUnits, unitID)})
}

func (s *Server) reportSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	ds := form.ParseDocSettings(r.PostForm)
	if err := s.svc.SaveDocSettings(r.Context(), c.actor(), c.scope, unitID, ds); err != nil {
		s.manageError(w, r, c, err, func(msg string) { s.renderDocSettings(w, r, c, &ds, msg, http.StatusUnprocessableEntity) })
		return
	}
	http.Redirect(w, r, "/reports/settings", http.StatusSeeOther)
}
