package web

import (
	"errors"
	"net/http"

	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// 公文设置: how a unit's documents are finished — the issuing body of the
// 落款, the 主送机关 and the 版记's 抄送 and 印发机关. Everyone who reads the
// whole unit sees them; the unit-wide writers change them.

func (s *Server) reportSettings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	s.renderDocSettings(w, r, c, unitID, nil, "", http.StatusOK)
}

// renderDocSettings shows the 公文设置 of a unit or, for the district
// propaganda department, of its district (posted to /supervise/docsettings).
func (s *Server) renderDocSettings(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, ds *org.DocSettings, errMsg string, status int) {
	unit, dflt, err := s.svc.DocSettingsOf(r.Context(), unitID)
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
	register, err := s.st.DocNumbers(r.Context(), c.scope, unitID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.httpError(w, r, c, err)
		return
	}
	district := unit.Kind == org.District
	action, nav := "/reports/settings", "reports"
	if district {
		action, nav = "/supervise/docsettings", "supervise"
	}
	s.renderStatus(w, r, c, status, "report_settings", map[string]any{"Title": "公文设置", "Nav": nav, "S": ds, "Unit": unit,
		"DefaultIssuer": dflt.IssuerOf(unit.Name), "DefaultPrinter": dflt.PrinterOf(unit.Name), "Error": errMsg,
		"CanManage": c.scope.SetsDocs(unitID), "District": district, "Action": action, "Register": register})
}

func (s *Server) reportSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	s.saveDocSettings(w, r, c, unitID, "/reports/settings")
}

func (s *Server) saveDocSettings(w http.ResponseWriter, r *http.Request, c *reqCtx, nodeID int64, back string) {
	ds := form.ParseDocSettings(r.PostForm)
	if err := s.svc.SaveDocSettings(r.Context(), c.actor(), c.scope, nodeID, ds); err != nil {
		s.manageError(w, r, c, err, func(msg string) { s.renderDocSettings(w, r, c, nodeID, &ds, msg, http.StatusUnprocessableEntity) })
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// The district's 公文设置: its propaganda department (上级督查 at the
// district) issues the district 督导通报 and 月通报, so it sets their
// 落款, 主送机关 and 版记. Others at the district see them read-only.

// districtNode is the district whose settings the user sees: their own
// node when it is a district, or 403.
func (s *Server) districtNode(w http.ResponseWriter, r *http.Request, c *reqCtx) (int64, bool) {
	n, err := s.st.Node(r.Context(), c.user.OrgID)
	if err != nil {
		s.httpError(w, r, c, err)
		return 0, false
	}
	if n.Kind != org.District || len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return 0, false
	}
	return n.ID, true
}

func (s *Server) districtDocSettings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id, ok := s.districtNode(w, r, c)
	if !ok {
		return
	}
	s.renderDocSettings(w, r, c, id, nil, "", http.StatusOK)
}

func (s *Server) districtDocSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id, ok := s.districtNode(w, r, c)
	if !ok {
		return
	}
	s.saveDocSettings(w, r, c, id, "/supervise/docsettings")
}
