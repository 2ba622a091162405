package service

import (
	"context"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/notify"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// The supervision reminder round. `zhendi serve` runs it every few minutes
// with RunEvery (closed networks have no cron to rely on) and `zhendi
// remind` runs one round by hand. A round judges every unit's obligations
// through the same pipeline as the dashboard (complianceYears), reminds the
// responsible people before deadlines and when obligations are overdue,
// opens rectification items for missed obligations, reminds owners of
// overdue items and reviewers of information drafts past their step's
// deadline, and retries failed deliveries. Every delivery and item is
// claimed under an idempotency key first (remind_deliver.go), so rounds may
// repeat, overlap across nodes or stop half-way without sending anything
// twice.

// systemActor is who the audit log names for what a round does.
var systemActor = store.Actor{Name: "系统（督导）"}

// RemindReport says what one round did.
type RemindReport struct {
	Reminders int // deliveries claimed and attempted
	Sent      int
	Failed    int
	Skipped   int // delivered earlier, by this or another node
	Rects     int // rectification items opened
}

// reminder is one message to people of one unit, delivered once per
// channel under key.
type reminder struct {
	key    string
	unitID int64
	users  []int64
	msg    notify.Message
	// personal: addressed to these people only, so never posted to a
	// unit's group robots (a meeting's notices).
	personal bool
}

// Remind runs one reminder round at the service clock's time and reports
// what it did. An error stops the round; what it had claimed stays claimed
// and failed deliveries are retried by a later round.
func (s *Service) Remind(ctx context.Context) (RemindReport, error) {
	var rep RemindReport
	now := s.now()
	units, err := s.st.AllUnitIDs(ctx)
	if err != nil || len(units) == 0 {
		return rep, err
	}
	// The round answers for every unit and counts their whole ledger.
	sc := access.Scope{ReadUnits: units}
	rems, err := s.obligationReminders(ctx, sc, units, now, &rep)
	if err != nil {
		return rep, err
	}
	more, err := s.rectReminders(ctx, sc, cntime.Date(now))
	if err != nil {
		return rep, err
	}
	rems = append(rems, more...)
	if more, err = s.reviewReminders(ctx, now); err != nil {
		return rep, err
	}
	rems = append(rems, more...)
	// 阵地: channels near their update limit, overdue inspections.
	if more, err = s.channelReminders(ctx, sc, units, cntime.Date(now)); err != nil {
		return rep, err
	}
	rems = append(rems, more...)
	// Meetings: notices, sign-in opening, minutes to confirm (meetings.go).
	if more, err = s.meetingReminders(ctx, now); err != nil {
		return rep, err
	}
	rems = append(rems, more...)
	// 舆情处置 time limits (opinion_incidents.go).
	if more, err = s.incidentReminders(ctx, units, now); err != nil {
		return rep, err
	}
	rems = append(rems, more...)
	for _, r := range rems {
		if err := s.deliver(ctx, r, &rep); err != nil {
			return rep, err
		}
	}
	if err := s.retry(ctx, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// RemindRound is Remind as a RunEvery round; it logs the rounds that did
// something.
func (s *Service) RemindRound(ctx context.Context) error {
	rep, err := s.Remind(ctx)
	if err != nil {
		return err
	}
	if rep.Reminders > 0 || rep.Rects > 0 {
		s.log.Info("supervision round", "reminders", rep.Reminders, "sent", rep.Sent, "failed", rep.Failed, "rects", rep.Rects)
	}
	return nil
}

// obligationReminders judges the units' obligations of the years a round
// looks at, returns the reminders due and opens the rectification items
// due (counted in rep).
func (s *Service) obligationReminders(ctx context.Context, sc access.Scope, units []int64, now time.Time, rep *RemindReport) ([]reminder, error) {
	today := cntime.Date(now)
	var rems []reminder
	years := supervise.RemindYears(now)
	byYear, err := s.complianceYears(ctx, sc, units, years, today)
	if err != nil {
		return nil, err
	}
	for _, year := range years {
		all := byYear[year]
		for _, id := range units {
			uc := all[id]
			if uc == nil {
				continue
			}
			for _, res := range uc.Results {
				if kind := res.ReminderKind(); kind != "" {
					rems = append(rems, s.obligationReminder(uc.Unit, res, kind))
				}
				if r, ok := supervise.AutoRect(uc.Unit, res, today); ok {
					created, err := s.st.EnsureAutoRect(ctx, systemActor, &r)
					if err != nil {
						return nil, err
					}
					if created {
						rep.Rects++
					}
				}
			}
		}
	}
	return rems, nil
}

// obligationReminder writes the reminder of a result: kind is
// supervise.RemindDue or RemindOverdue. The responsible people are
// reminded, or the unit's 意识形态专干 when nobody answers for the subject.
func (s *Service) obligationReminder(u supervise.Unit, res supervise.Result, kind string) reminder {
	users := res.Responsible()
	if len(users) == 0 {
		users = u.Resp
	}
	unit := res.Unit()
	title := "【督导提醒】" + res.Rule.Name
	// The unit's own obligations have the unit as subject: name it once.
	who := u.Name
	if res.Subject.Name != "" && res.Subject.Name != u.Name {
		who += " " + res.Subject.Name
	}
	body := fmt.Sprintf("%s：%s应完成%d%s，已完成%d%s，截止%s。", who, res.Period.Label, res.Required, unit, res.Count, unit,
		ledger.FormatDate(res.Deadline))
	if kind == supervise.RemindOverdue {
		title = "【督导逾期】" + res.Rule.Name
		body += fmt.Sprintf("已逾期，请于%s前补登记，逾期将列入问题清单。", ledger.FormatDate(cntime.AddDays(res.Deadline, res.Rule.GraceDays)))
	} else if res.DaysLeft == 0 {
		body += "今日截止，请抓紧落实。"
	} else {
		body += fmt.Sprintf("还有%d天，请抓紧落实。", res.DaysLeft)
	}
	return reminder{key: res.IdemKey() + "/" + kind, unitID: u.ID, users: users,
		msg: notify.Message{Title: title, Body: body, Link: s.cfg.BaseURL + fmt.Sprintf("/supervise?unit=%d&year=%s", u.ID, res.Period.From[:4])}}
}

// rectReminders remind the owners of rectification items open past their
// deadline, once per deadline.
func (s *Service) rectReminders(ctx context.Context, sc access.Scope, today string) ([]reminder, error) {
	rects, err := s.st.Rects(ctx, sc, store.RectFilter{})
	if err != nil {
		return nil, err
	}
	var rems []reminder
	for _, r := range rects {
		if !r.Overdue(today) {
			continue
		}
		rems = append(rems, reminder{key: fmt.Sprintf("rect/%d/overdue/%s", r.ID, r.Deadline), unitID: r.UnitID, users: []int64{r.OwnerID},
			msg: notify.Message{Title: "【整改逾期】" + clip(r.Title, 40),
				Body: fmt.Sprintf("整改时限 %s 已过，当前状态：%s。请尽快完成整改并上传佐证材料。", ledger.FormatDate(r.Deadline), r.StatusLabel()),
				Link: s.cfg.BaseURL + fmt.Sprintf("/supervise/rect/%d", r.ID)}})
	}
	return rems, nil
}

// reviewReminders remind the reviewers of information drafts whose review
// step is past its deadline, once per step and round of review.
func (s *Service) reviewReminders(ctx context.Context, now time.Time) ([]reminder, error) {
	drafts, err := s.st.OverdueReviews(ctx, now.Unix())
	if err != nil {
		return nil, err
	}
	var rems []reminder
	for _, d := range drafts {
		ids, err := s.st.StepReviewers(ctx, d)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			continue
		}
		step := d.Chain[d.Step]
		rems = append(rems, reminder{key: fmt.Sprintf("info/%d/%d/%d/overdue", d.ID, d.Cycle, d.Step), unitID: d.UnitID, users: ids,
			msg: notify.Message{Title: "【审核逾期】" + clip(d.Title, 40),
				Body: fmt.Sprintf("%s报送的信息「%s」%s已超过处理期限（%s），请尽快审核。", d.OrgName, clip(d.Title, 40), step.Name,
					cntime.LongMinute(time.Unix(d.StepDue, 0))),
				Link: s.cfg.BaseURL + fmt.Sprintf("/info/%d", d.ID)}})
	}
	return rems, nil
}

// clip shortens s to n characters, marking the cut with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
