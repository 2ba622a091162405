package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/notify"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Opinion alerts. `zhendi serve` runs AlertRound every minute with
// RunEvery. A round reads every unit's enabled rules and the events of
// their schemes active in the last three days, asks each rule whether it
// fires on each event (opinion.AlertRule.Fires), and claims each firing
// under opinion.AlertKey(event, rule) — once, across rounds, restarts and
// nodes. An alert fired in the rule's quiet hours waits until they end
// (SendAt). Due alerts go out through the reminder channels (in-app, SMTP,
// 企业微信, 钉钉) with their delivery log; failed deliveries are retried by
// the reminder round.

// AlertReport says what one alert round did.
type AlertReport struct {
	Fired     int // alerts claimed this round
	Waiting   int // claimed alerts still in quiet hours
	Delivered int // alerts handed to the channels
	Channels  RemindReport
}

// alertWindow is how far back an event's last item may be for its rules
// to be asked.
const alertWindow = 72 * time.Hour

// AlertRound is RunAlerts as a RunEvery round.
func (s *Service) AlertRound(ctx context.Context) error {
	rep, err := s.RunAlerts(ctx)
	if err == nil && (rep.Fired > 0 || rep.Delivered > 0) {
		s.log.Info("opinion alerts", "fired", rep.Fired, "delivered", rep.Delivered, "waiting", rep.Waiting)
	}
	return err
}

// RunAlerts runs one alert round at the service clock's time.
func (s *Service) RunAlerts(ctx context.Context) (AlertReport, error) {
	var rep AlertReport
	now := s.now()
	rules, err := s.st.EnabledAlertRules(ctx)
	if err != nil {
		return rep, err
	}
	var schemes []int64
	for _, r := range rules {
		if !slices.Contains(schemes, r.SchemeID) {
			schemes = append(schemes, r.SchemeID)
		}
	}
	nowHour := now.Unix() / 3600
	events, err := s.st.RecentEvents(ctx, schemes, now.Add(-alertWindow).Unix(), nowHour-5)
	if err != nil {
		return rep, err
	}
	for _, ev := range events {
		snap := eventSnapshot(ev, nowHour)
		for _, r := range rules {
			if r.UnitID != ev.UnitID || !r.Fires(snap) {
				continue
			}
			a := store.OpinionAlert{Key: opinion.AlertKey(ev.ID, r.ID), UnitID: ev.UnitID, RuleID: r.ID, EventID: ev.ID,
				Title: "【舆情预警】" + clip(ev.Title, 40), Body: alertBody(r, ev, snap), FiredAt: now.Unix(), SendAt: r.SendAt(now).Unix()}
			ok, err := s.st.ClaimAlert(ctx, a)
			if err != nil {
				return rep, err
			}
			if ok {
				rep.Fired++
			}
		}
	}
	due, err := s.st.DueAlerts(ctx, now.Unix())
	if err != nil {
		return rep, err
	}
	for _, a := range due {
		users, err := s.alertRecipients(ctx, a.UnitID)
		if err != nil {
			return rep, err
		}
		rem := reminder{key: a.Key, unitID: a.UnitID, users: users,
			msg: notify.Message{Title: a.Title, Body: a.Body, Link: s.cfg.BaseURL + fmt.Sprintf("/opinion/events/%d", a.EventID)}}
		if err := s.deliver(ctx, rem, &rep.Channels); err != nil {
			return rep, err
		}
		if err := s.st.MarkAlertDelivered(ctx, a.Key, now.Unix()); err != nil {
			return rep, err
		}
		rep.Delivered++
	}
	rep.Waiting = rep.Fired - rep.Delivered
	if rep.Waiting < 0 {
		rep.Waiting = 0
	}
	return rep, nil
}

// eventSnapshot is an event's figures as the alert rules see them.
func eventSnapshot(ev store.EventFigures, nowHour int64) opinion.EventSnapshot {
	hourly := make([]int, 6)
	for h, n := range ev.Hours {
		if i := 5 - int(nowHour-h); i >= 0 && i < 6 {
			hourly[i] += n
		}
	}
	snap := opinion.EventSnapshot{EventID: ev.ID, SchemeID: ev.SchemeID, Count: ev.Items, Heat: ev.Heat, Growth: opinion.Growth(hourly)}
	if ev.Items > 0 {
		snap.NegativeShare = float64(ev.Negative) / float64(ev.Items)
	}
	return snap
}

// alertBody says what the event is and which rule it passed.
func alertBody(r store.OpinionAlertRule, ev store.EventFigures, snap opinion.EventSnapshot) string {
	return fmt.Sprintf("监测方案“%s”的事件“%s”：信息%d条，热度%.1f，负面占比%.0f%%，增长率%.1f。触发规则：%s。",
		r.SchemeName, clip(ev.Title, 40), ev.Items, ev.Heat, snap.NegativeShare*100, snap.Growth, RuleText(r.AlertRule))
}

// RuleText describes a rule in Chinese ("热度超过 60").
func RuleText(r opinion.AlertRule) string {
	switch r.Kind {
	case opinion.AlertNewEvent:
		return fmt.Sprintf("新事件（不少于%.0f条）", max(1, r.Threshold))
	case opinion.AlertNegative:
		return fmt.Sprintf("负面占比达到%.0f%%", r.Threshold*100)
	case opinion.AlertGrowth:
		return fmt.Sprintf("增长率达到%.1f", r.Threshold)
	}
	return fmt.Sprintf("%s%.0f", r.Kind, r.Threshold)
}

// alertRecipients are the unit's 意识形态专干 and its 第一责任人 and
// 直接责任人.
func (s *Service) alertRecipients(ctx context.Context, unitID int64) ([]int64, error) {
	users, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, u := range users {
		if u.Disabled {
			continue
		}
		for _, g := range u.Grants {
			if g.UnitID == unitID && (g.Role == access.Clerk || g.Role == access.FirstResp || g.Role == access.DirectResp) {
				out = append(out, u.ID)
				break
			}
		}
	}
	return out, nil
}

// CreateAlertRule adds an alert rule to a unit (its writers).
func (s *Service) CreateAlertRule(ctx context.Context, actor store.Actor, sc access.Scope, r *store.OpinionAlertRule) error {
	if !sc.CanWrite(r.UnitID, r.UnitID) {
		return apperr.ErrNotFound
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.st.CreateAlertRule(ctx, actor, sc, r)
}

// DeleteAlertRule removes an alert rule.
func (s *Service) DeleteAlertRule(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	return s.st.DeleteAlertRule(ctx, actor, sc, id)
}
