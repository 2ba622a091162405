package web

import (
	"net/http"
	"slices"
	"strconv"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/web/form"
)

// ruleRow is one kind (and column class) on the rules page: the default
// with its source, the unit's version in force today and its history.
type ruleRow struct {
	Default  channel.Rule
	Current  channel.Rule
	Versions []channel.Rule
}

// channelsRules shows the update rules: the national defaults with their
// sources beside each, and the unit's own versions.
func (s *Server) channelsRules(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.channelsRulesPage(w, r, c, unitChoice(c, r), http.StatusOK, "")
}

func (s *Server) channelsRulesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string) {
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	rules, err := s.st.ChannelRules(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	today := cntime.Date(s.now())
	var rows []ruleRow
	for _, d := range channel.RuleKeys() {
		row := ruleRow{Default: d, Current: channel.RuleAt(rules, d.Kind, d.Class, today)}
		for _, v := range rules {
			if v.Kind == d.Kind && v.Class == d.Class {
				row.Versions = append(row.Versions, v)
			}
		}
		rows = append(rows, row)
	}
	s.renderStatus(w, r, c, status, "channels_rules", map[string]any{
		"Title": "阵地更新规则", "Nav": "channels", "Rows": rows, "UnitID": unitID, "Today": today, "Error": errMsg,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID), "Indicators": channel.SrcIndicators, "Guide": channel.SrcGuide,
	})
}

// channelsRuleSave starts a unit's version of a rule.
func (s *Server) channelsRuleSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	rule := form.ChannelRule(r.PostForm)
	rule.UnitID = form.ID(r.PostForm, "unit")
	if err := s.svc.AddChannelRule(r.Context(), c.actor(), c.scope, &rule); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelsRulesPage(w, r, c, rule.UnitID, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, "/channels/rules?ok=saved&unit="+strconv.FormatInt(rule.UnitID, 10))
}
