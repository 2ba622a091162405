package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/opinion"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// Alert rules per scheme and the alerts they fired, with each alert's
// deliveries from the reminder log.

// opAlerts is a unit's alert page.
func (s *Server) opAlerts(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.opAlertsPage(w, r, c, http.StatusOK, "", store.OpinionAlertRule{})
}

func (s *Server) opAlertsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, in store.OpinionAlertRule) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	if in.UnitID != 0 {
		unitID = in.UnitID
	}
	rules, err := s.st.AlertRules(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	schemes, err := s.st.OpinionSchemes(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	alerts, err := s.st.Alerts(ctx, c.scope, unitID, 50)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	log, err := s.st.Deliveries(ctx, []int64{unitID}, 500)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	byKey := map[string][]store.Delivery{}
	for _, d := range log {
		if strings.HasPrefix(d.IdemKey, "opinion-alert:") {
			byKey[d.IdemKey] = append(byKey[d.IdemKey], d)
		}
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ruleText := map[int64]string{}
	for _, ru := range rules {
		ruleText[ru.ID] = service.RuleText(ru.AlertRule)
	}
	if in.Kind == 0 {
		in.Kind, in.Threshold = opinion.AlertHeat, 60
	}
	s.renderStatus(w, r, c, status, "opinion_alerts", map[string]any{"Title": "舆情预警", "Nav": "opinion", "UnitID": unitID, "Units": units, "Rules": rules,
		"RuleText": ruleText, "Schemes": schemes, "Alerts": alerts, "Log": byKey, "Kinds": opinion.AlertKinds, "In": in,
		"CanWrite": c.scope.CanWrite(unitID, unitID), "Error": errMsg})
}

// opAlertCreate adds a rule.
func (s *Server) opAlertCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	v := r.PostForm
	in := store.OpinionAlertRule{UnitID: form.ID(v, "unit")}
	in.SchemeID = form.ID(v, "scheme")
	kind, _ := strconv.Atoi(v.Get("kind"))
	in.Kind = opinion.AlertKind(kind)
	var errs apperr.Errors
	th, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(form.HalfWidthDigits(v.Get("threshold")), "%")), 64)
	if err != nil {
		errs = append(errs, apperr.Field("阈值", "应为数字"))
	}
	if in.Kind == opinion.AlertNegative && th > 1 {
		th /= 100 // entered as a percentage
	}
	in.Threshold = th
	for _, q := range []struct {
		key, field string
		dst        *opinion.Clock
	}{{"quiet_from", "免打扰开始", &in.QuietFrom}, {"quiet_to", "免打扰结束", &in.QuietTo}} {
		if strings.TrimSpace(v.Get(q.key)) == "" {
			continue
		}
		c, err := opinion.ParseClock(form.HalfWidthDigits(v.Get(q.key)))
		if err != nil {
			errs = append(errs, apperr.Field(q.field, "应为“时：分”的形式，如 22:00"))
		}
		*q.dst = c
	}
	if in.SchemeID == 0 {
		errs = append(errs, apperr.Field("监测方案", "请选择"))
	}
	err = errs.OrNil()
	if err == nil {
		err = s.svc.CreateAlertRule(r.Context(), c.actor(), c.scope, &in)
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.opAlertsPage(w, r, c, http.StatusUnprocessableEntity, msg, in)
		return
	}
	redirect(w, r, "/opinion/alerts?ok=saved&unit="+strconv.FormatInt(in.UnitID, 10))
}

// opAlertDelete removes a rule.
func (s *Server) opAlertDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	if err := s.svc.DeleteAlertRule(r.Context(), c.actor(), c.scope, formID(r.PathValue("id"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/opinion/alerts?ok=deleted_rule")
}
