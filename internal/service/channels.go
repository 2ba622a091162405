package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// The 阵地 registry's use cases (issue 18): register and edit channels with
// their 报备 history, unit update rules, manual checks of platform accounts.
// A change that needed 报备 and has none becomes a finding with its
// rectification item.

// CreateChannel registers a channel in a unit the scope manages and sets
// c.ID; an opening of a site or account without a 报备 record is flagged.
func (s *Service) CreateChannel(ctx context.Context, actor store.Actor, sc access.Scope, c *channel.Channel) error {
	if !supervise.CanManage(sc, c.UnitID) {
		return apperr.ErrNotFound
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.st.CreateChannel(ctx, actor, sc, c); err != nil {
		return err
	}
	ev := channel.OpenEvent(*c, c.FilingDate)
	ev.ChannelKind = c.Kind
	return s.flagUnfiled(ctx, *c, []channel.Event{ev})
}

// UpdateChannel saves an edit of channel id; a rename or a status change is
// recorded as an event with the 报备 given in f (flagged when it needed one
// and has none).
func (s *Service) UpdateChannel(ctx context.Context, actor store.Actor, sc access.Scope, id int64, in channel.Channel, f channel.Filing) (channel.Channel, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	if err := f.Validate(); err != nil {
		return in, err
	}
	today := cntime.Date(s.now())
	var evs []channel.Event
	saved, err := s.st.UpdateChannel(ctx, actor, sc, id, func(cur *channel.Channel) ([]channel.Event, error) {
		before := *cur
		next := in
		// What the checks and manual checks record is theirs, not the form's.
		next.ID, next.UnitID = before.ID, before.UnitID
		next.LastUpdate, next.Items, next.LastCheckAt, next.LastCheckOK, next.CheckedBy = before.LastUpdate, before.Items, before.LastCheckAt, before.LastCheckOK, before.CheckedBy
		next.CreatedAt = before.CreatedAt
		next.MessageRule = before.MessageRule // set on the channel page (SaveMessageRule)
		*cur = next
		evs = channel.Changes(before, next, f, today)
		for i := range evs {
			evs[i].ChannelKind = next.Kind
		}
		return evs, nil
	})
	if err != nil {
		return saved, err
	}
	return saved, s.flagUnfiled(ctx, saved, evs)
}

// flagUnfiled opens a 未报备 finding (and its rectification item) for each
// event that needed a 报备 record and has none.
func (s *Service) flagUnfiled(ctx context.Context, c channel.Channel, evs []channel.Event) error {
	for _, e := range channel.UnfiledEvents(evs) {
		f := channel.NewFinding(c, channel.FUnfiled, "", "",
			fmt.Sprintf("%s%s“%s”未报备（%s），依照%s，政府网站和政务新媒体开设、更名、关停须报备", e.Day, e.Kind.Label(), c.Name, c.Kind.Label(), channel.SrcIndicators), false)
		f.Key = fmt.Sprintf("unfiled|%s|%s", e.Kind, e.Day)
		if _, err := s.st.RecordFinding(ctx, c, f); err != nil {
			return fmt.Errorf("flag unfiled change: %w", err)
		}
	}
	return nil
}

// FileChannelEvent records the 报备 of an event made later.
func (s *Service) FileChannelEvent(ctx context.Context, actor store.Actor, sc access.Scope, eventID int64, no, date string) error {
	f := channel.Filing{No: no, Date: date}
	if err := f.Validate(); err != nil {
		return err
	}
	if no == "" || date == "" {
		return apperr.Field("报备编号", "报备编号和报备日期都须填写")
	}
	return s.st.FileChannelEvent(ctx, actor, sc, eventID, no, date)
}

// RecordManualCheck stores a person's check of a channel zhendi does not
// fetch (a platform account, a board): the last update seen and, for an
// interaction column, the oldest unanswered message. The responsible person
// or the unit's writers may record it; who and when are kept.
func (s *Service) RecordManualCheck(ctx context.Context, actor store.Actor, sc access.Scope, id int64, lastUpdate, unanswered string) (channel.Channel, error) {
	today := cntime.Date(s.now())
	var errs apperr.Errors
	for _, d := range []struct{ name, v string }{{"最近更新日期", lastUpdate}, {"最早未回复留言日期", unanswered}} {
		if d.v == "" {
			continue
		}
		if _, err := cntime.ParseDate(d.v); err != nil {
			errs = append(errs, apperr.Field(d.name, "日期格式应为 2024-01-31"))
		} else if d.v > today {
			errs = append(errs, apperr.Field(d.name, "不能晚于今天"))
		}
	}
	if lastUpdate == "" {
		errs = append(errs, apperr.Field("最近更新日期", "请填写检查时看到的最近一条信息的日期"))
	}
	if err := errs.OrNil(); err != nil {
		return channel.Channel{}, err
	}
	c, err := s.st.RecordManualCheck(ctx, actor, sc, id, lastUpdate, unanswered)
	if err != nil {
		return c, err
	}
	rules, err := s.st.ChannelRules(ctx, c.UnitID)
	if err != nil {
		return c, err
	}
	if f := channel.StaleFinding(c, channel.Judge(c, rules, today)); f != nil {
		if _, err := s.st.RecordFinding(ctx, c, *f); err != nil {
			return c, err
		}
	}
	return c, nil
}

// AddChannelRule starts a unit's own version of an update rule.
func (s *Service) AddChannelRule(ctx context.Context, actor store.Actor, sc access.Scope, r *channel.Rule) error {
	if !supervise.CanManage(sc, r.UnitID) {
		return apperr.ErrNotFound
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.st.AddChannelRule(ctx, actor, sc, r)
}
