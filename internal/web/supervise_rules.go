package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
	"zhendi/internal/supervise"
	"zhendi/internal/web/form"
)

// supRules is the rules page (督导规则): the obligations in force, their
// history, and the form for a new version.
func (s *Server) supRules(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.rulesPage(w, r, c, http.StatusOK, "", supervise.Rule{})
}

// rulesPage renders the rules page of the unit chosen (or the draft's unit)
// with status and, after a refused save, the message and the draft.
func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string, draft supervise.Rule) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	unitID := unitChoice(c, r)
	if draft.UnitID != 0 {
		unitID = draft.UnitID
	}
	eff, err := s.st.EffectiveRules(ctx, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	stored, err := s.st.RuleVersions(ctx, []int64{unitID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	today := s.today()
	var current []supervise.Rule
	for _, rl := range eff[unitID] {
		if rl.InForce(today) {
			current = append(current, rl)
		}
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if draft.Subject == "" {
		draft = supervise.Rule{Subject: supervise.SubjectUnit, Type: ledger.TopicStudy, Count: 1, Period: supervise.Yearly, GraceDays: 15, RemindDays: 30}
	}
	names := map[int64]string{}
	for _, u := range staff {
		names[u.ID] = u.Name
	}
	s.renderStatus(w, r, c, status, "supervise_rules", map[string]any{"Title": "督导规则", "Nav": "supervise", "UnitID": unitID, "Units": units,
		"Current": current, "History": stored[unitID], "Presets": len(stored[unitID]) == 0, "Staff": staff, "Names": names,
		"CanWrite": supervise.CanManage(c.scope, unitID), "Types": ledger.Types, "Topics": ledger.RequiredTopics, "Draft": draft, "Error": errMsg,
		"Subjects": []string{supervise.SubjectUnit, supervise.SubjectDepartment, supervise.SubjectBranch, supervise.SubjectLeader},
		"Periods":  []string{supervise.Monthly, supervise.Quarterly, supervise.HalfYear, supervise.Yearly}, "Today": today})
}

// supRuleSave stores a new version of a rule, in force from today.
func (s *Server) supRuleSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	rl := form.Rule(r.PostForm)
	if !supervise.CanManage(c.scope, rl.UnitID) {
		s.httpError(w, r, c, apperr.ErrNotFound)
		return
	}
	if _, err := s.svc.SaveRule(r.Context(), c.actor(), c.scope, rl); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.rulesPage(w, r, c, http.StatusUnprocessableEntity, msg, rl)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rules?unit=%d&ok=saved", rl.UnitID))
}

// supRuleRetire ends an obligation from today.
func (s *Server) supRuleRetire(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID, key := form.RuleRetire(r.PostForm)
	if err := s.svc.RetireRule(r.Context(), c.actor(), c.scope, unitID, key); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/rules?unit=%d&ok=retired", unitID))
}
