package web

import (
	"errors"
	"net/http"

	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/org"
	"zhendi/internal/web/form"
)

// 信息报送 settings of a unit: review chain, points, quotas, time limits.

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
	// Up to five chain rows; empty ones are dropped on save.
	steps := append(infosub.Chain{}, cfg.Chain...)
	for len(steps) < 5 {
		steps = append(steps, infosub.Step{})
	}
	s.renderStatus(w, r, c, status, "info_settings", map[string]any{"Title": "信息报送设置", "Nav": "info", "Cfg": cfg, "Steps": steps,
		"Roles": infosub.ReviewRoles, "Levels": infosub.Levels, "Depts": depts, "Error": errMsg,
		"CanManage": infosub.CanManage(c.scope, unitID)})
}

// settingsError answers a failed settings change: not allowed 403, a user
// error on the settings page with 422, anything else its own page. cfg is
// the configuration as posted, nil to show the saved one.
func (s *Server) settingsError(w http.ResponseWriter, r *http.Request, c *reqCtx, cfg *infosub.Config, err error) {
	if errors.Is(err, apperr.ErrNotFound) {
		s.forbidden(w, r, c)
		return
	}
	if s.unlessUserError(w, r, c, err) {
		return
	}
	s.renderSettings(w, r, c, cfg, err.Error(), http.StatusUnprocessableEntity)
}

func (s *Server) infoSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	cfg := form.ParseInfoConfig(r.PostForm)
	if err := s.svc.SaveInfoConfig(r.Context(), c.actor(), c.scope, unitID, cfg); err != nil {
		s.settingsError(w, r, c, &cfg, err)
		return
	}
	redirect(w, r, "/info/settings?ok=saved")
}

func (s *Server) infoQuotaSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	orgID, monthly, err := form.ParseInfoQuota(r.PostForm)
	if err == nil {
		err = s.svc.SetInfoQuota(r.Context(), c.actor(), c.scope, unitID, orgID, monthly)
	}
	if err != nil {
		s.settingsError(w, r, c, nil, err)
		return
	}
	redirect(w, r, "/info/settings?ok=saved")
}
