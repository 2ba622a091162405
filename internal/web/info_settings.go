package web

import (
	"errors"
	"net/http"
	"slices"

	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/org"
	"zhendi/internal/web/form"
)

// 信息报送 settings of a unit: review chain, points, quotas, time limits;
// and what the unit's management pages (settings, lexicon) share.

// manageUnit is the unit a settings or lexicon page is about; anyone who
// reads the whole unit may look, and the page offers changes to those who
// manage it (infosub.CanManage). It answers 403 itself when there is none.
func (s *Server) manageUnit(w http.ResponseWriter, r *http.Request, c *reqCtx) (int64, bool) {
	unitID := s.infoUnit(c, r)
	if unitID == 0 || !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return 0, false
	}
	return unitID, true
}

// manageForm reads a posted settings or lexicon form and its unit; it has
// answered itself when it returns false.
func (s *Server) manageForm(w http.ResponseWriter, r *http.Request, c *reqCtx) (int64, bool) {
	if !s.readForm(w, r, c) {
		return 0, false
	}
	return s.manageUnit(w, r, c)
}

// manageError answers a failed settings or lexicon change: 403 when the
// user may not manage the unit (the service says apperr.ErrNotFound), a
// user error shown by show (the page again, 422), anything else its own
// page.
func (s *Server) manageError(w http.ResponseWriter, r *http.Request, c *reqCtx, err error, show func(msg string)) {
	if errors.Is(err, apperr.ErrNotFound) {
		s.forbidden(w, r, c)
		return
	}
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	show(msg)
}

func (s *Server) infoSettings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderSettings(w, r, c, nil, "", http.StatusOK)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, c *reqCtx, cfg *infosub.Config, errMsg string, status int) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	if cfg == nil {
		got, err := s.st.InfoConfig(r.Context(), unitID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		cfg = &got
	}
	quotas, err := s.st.InfoQuotas(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, err := s.st.Nodes(r.Context(), []int64{unitID}, false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	type deptQuota struct {
		Node  org.Node
		Quota int
		Own   bool
	}
	var depts []deptQuota
	for _, n := range nodes {
		if n.Kind == org.Department {
			q, own := quotas[n.ID]
			if !own {
				q = cfg.Quota
			}
			depts = append(depts, deptQuota{n, q, own})
		}
	}
	// The form's chain rows; empty ones are dropped on save.
	steps := append(infosub.Chain{}, cfg.Chain...)
	for len(steps) < form.InfoChainRows {
		steps = append(steps, infosub.Step{})
	}
	s.renderStatus(w, r, c, status, "info_settings", map[string]any{"Title": "信息报送设置", "Nav": "info", "Cfg": cfg, "Steps": steps,
		"Roles": infosub.ReviewRoles, "Levels": infosub.Levels, "Depts": depts, "Error": errMsg,
		"CanManage": infosub.CanManage(c.scope, unitID)})
}

func (s *Server) infoSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	cfg := form.ParseInfoConfig(r.PostForm)
	if err := s.svc.SaveInfoConfig(r.Context(), c.actor(), c.scope, unitID, cfg); err != nil {
		s.manageError(w, r, c, err, func(msg string) { s.renderSettings(w, r, c, &cfg, msg, http.StatusUnprocessableEntity) })
		return
	}
	redirect(w, r, "/info/settings?ok=saved")
}

func (s *Server) infoQuotaSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	orgID, monthly, err := form.ParseInfoQuota(r.PostForm)
	if err == nil {
		err = s.svc.SetInfoQuota(r.Context(), c.actor(), c.scope, unitID, orgID, monthly)
	}
	if err != nil {
		s.manageError(w, r, c, err, func(msg string) { s.renderSettings(w, r, c, nil, msg, http.StatusUnprocessableEntity) })
		return
	}
	redirect(w, r, "/info/settings?ok=saved")
}
