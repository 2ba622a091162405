package web

import (
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
	"zhendi/internal/web/form"
)

// channelShow is a channel's page: its registration, light against its
// rule (with the rule's source), 报备 history, findings with their
// rectification items, recent probes, and the manual check form.
func (s *Server) channelShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.channelPage(w, r, c, formID(r.PathValue("id")), http.StatusOK, "", nil)
}

func (s *Server) channelPage(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, status int, errMsg string, preview *service.RulePreview) {
	s.channelPageMsg(w, r, c, id, status, errMsg, preview, nil)
}

func (s *Server) channelPageMsg(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, status int, errMsg string, preview *service.RulePreview, msg *service.MessagePreview) {
	ctx := r.Context()
	ch, err := s.st.Channel(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	rules, err := s.st.ChannelRules(ctx, ch.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	events, err := s.st.ChannelEvents(ctx, c.scope, 0, ch.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	finds, err := s.st.Findings(ctx, c.scope, store.FindingFilter{ChannelID: ch.ID, Limit: 200})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	now := s.now()
	today := cntime.Date(now)
	samples, err := s.st.Samples(ctx, ch.ID, cntime.Date(now.AddDate(0, 0, -channel.AvailWindowDays)), 24)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	t, _ := cntime.ParseDate(today)
	days, err := s.st.ProbeDays(ctx, []int64{ch.UnitID}, cntime.Date(t.AddDate(0, 0, -channel.AvailWindowDays)), today)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	pub, err := s.st.PubDays(ctx, []int64{ch.UnitID}, pubFrom(now))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var parent channel.Channel
	if ch.ParentID != 0 {
		if parent, err = s.st.Channel(ctx, c.scope, ch.ParentID); err != nil && err != store.ErrNotFound {
			s.httpError(w, r, c, err)
			return
		}
	}
	canWrite := slices.Contains(c.scope.WriteUnits, ch.UnitID)
	fresh := channel.Judge(ch, rules, today)
	data := map[string]any{
		"Title": ch.Name, "Nav": "channels", "C": ch, "Parent": parent, "Fresh": fresh, "Events": events,
		"Findings": finds, "Samples": samples, "CanWrite": canWrite, "CanCheck": canWrite || ch.ResponsibleID == c.user.ID,
		"Error": errMsg, "Preview": preview, "Today": today, "RuleText": r.PostFormValue("date_rule"),
		"MsgRuleText": ch.MessageRule, "DefaultMessageRule": channel.DefaultMessageRule,
	}
	if ch.Kind == channel.Portal {
		data["Avail"] = channel.JudgeAvailability(days[ch.ID], today)
	}
	if fresh.Rule.Days > 0 || fresh.Rule.Months > 0 {
		items, since := channelFreqCharts(ch, pub[ch.ID], fresh, today)
		data["Charts"] = map[string]Chart{"items": items, "since": since}
		data["Periods"] = channel.UpdateFreq(pub[ch.ID], today, freqPeriods)
	}
	if msg != nil {
		data["MsgPreview"] = msg
		data["MsgRuleText"] = r.PostFormValue("message_rule")
	}
	s.renderStatus(w, r, c, status, "channels_show", data)
}

// channelCheckNow runs an automatic check of one channel at once.
func (s *Server) channelCheckNow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	if _, err := s.svc.CheckChannelNow(r.Context(), c.scope, id); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelPage(w, r, c, id, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/%d?ok=checked", id))
}

// channelManualCheck records a person's check of a channel zhendi does not
// fetch.
func (s *Server) channelManualCheck(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	_, err := s.svc.RecordManualCheck(r.Context(), c.actor(), c.scope, id, form.HalfWidthDigits(form.Text(r.PostForm, "last_update")),
		form.HalfWidthDigits(form.Text(r.PostForm, "unanswered_since")))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelPage(w, r, c, id, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/%d?ok=checked", id))
}

// channelPreview shows what a date-extraction rule reads from the
// channel's page now, beside the rule.
func (s *Server) channelPreview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	pv, err := s.svc.PreviewDateRule(r.Context(), c.scope, id, r.PostFormValue("date_rule"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelPage(w, r, c, id, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	s.channelPage(w, r, c, id, http.StatusOK, "", &pv)
}

// channelsCheckUnit runs a checking round of all the unit's automatic
// channels at once.
func (s *Server) channelsCheckUnit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if !supervise.CanManage(c.scope, unitID) {
		s.forbidden(w, r, c)
		return
	}
	if _, err := s.svc.RunChannelChecks(r.Context(), unitID, service.CheckOptions{}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels?unit=%d&ok=checked", unitID))
}

// channelFinding opens a finding's channel at its findings (the half-year
// report's figures link each finding).
func (s *Server) channelFinding(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id, err := s.st.FindingChannel(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/%d#findings", id))
}

// channelMessagePreview shows what a message rule reads from an
// interaction column's page now: each message, its state, and which are
// unanswered past the indicator's limit.
func (s *Server) channelMessagePreview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	pv, err := s.svc.PreviewMessageRule(r.Context(), c.scope, id, r.PostFormValue("message_rule"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelPageMsg(w, r, c, id, http.StatusUnprocessableEntity, msg, nil, &service.MessagePreview{})
		return
	}
	s.channelPageMsg(w, r, c, id, http.StatusOK, "", nil, &pv)
}

// channelMessageRule saves an interaction column's message rule.
func (s *Server) channelMessageRule(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	if err := s.svc.SaveMessageRule(r.Context(), c.actor(), c.scope, id, r.PostFormValue("message_rule")); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelPageMsg(w, r, c, id, http.StatusUnprocessableEntity, msg, nil, &service.MessagePreview{})
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/%d?ok=saved#messages", id))
}
