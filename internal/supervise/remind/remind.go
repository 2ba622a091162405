// Package remind is the supervision scheduler that runs inside the server
// (no external cron): on every tick it judges every unit's obligations,
// sends reminders before deadlines and when they are overdue, opens
// rectification items for missed obligations and reminds owners of overdue
// rectification items. Each delivery is claimed in the store's reminder log
// under an idempotency key before it is sent, so a reminder goes out once
// per channel even when the server restarts or two instances run; failed
// deliveries are retried with back-off.
package remind

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/notify"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// cntime.Zone is China Standard Time, in which deadlines fall.

// Scheduler checks obligations periodically.
type Scheduler struct {
	St     *store.Store
	Sender notify.Sender
	// Now is the clock (tests inject one; nil means time.Now).
	Now func() time.Time
	// Interval between ticks (default 10 minutes).
	Interval time.Duration
	Log      *slog.Logger
	// BaseURL prefixes links in messages (e.g. http://10.1.2.3:8080).
	BaseURL string
}

// AutoRectWindow is how many days after an obligation turns missed the
// scheduler still opens a rectification item for it. Older misses stay
// visible on the dashboard but are not turned into items, so a new unit (or a
// new installation with years of ledger) is not flooded with problems from
// before it used the system.
const AutoRectWindow = 30

// Report says what one tick did.
type Report struct {
	Reminders int // deliveries claimed and attempted
	Sent      int
	Failed    int
	Skipped   int // already sent earlier (by this or another instance)
	Rects     int // rectification items opened
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Run ticks until ctx ends. Errors of a tick are logged, not fatal.
func (s *Scheduler) Run(ctx context.Context) error {
	iv := s.Interval
	if iv <= 0 {
		iv = 10 * time.Minute
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		if rep, err := s.Tick(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.logger().Error("supervision tick", "err", err)
		} else if rep.Reminders > 0 || rep.Rects > 0 {
			s.logger().Info("supervision tick", "reminders", rep.Reminders, "sent", rep.Sent, "failed", rep.Failed, "rects", rep.Rects)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// reminder is one message to the responsible people of one unit.
type reminder struct {
	key    string
	unitID int64
	users  []int64
	msg    notify.Message
}

// Tick runs one round.
func (s *Scheduler) Tick(ctx context.Context) (Report, error) {
	var rep Report
	now := s.now().In(cntime.Zone)
	today := now.Format(cntime.DateLayout)
	units, err := s.St.AllUnitIDs(ctx)
	if err != nil {
		return rep, err
	}
	if len(units) == 0 {
		return rep, nil
	}
	sc := access.Scope{ReadUnits: units}
	rules, err := s.St.EffectiveRules(ctx, units)
	if err != nil {
		return rep, err
	}
	orgs, err := s.St.SuperviseUnits(ctx, units)
	if err != nil {
		return rep, err
	}
	years := []int{now.Year()}
	if now.Month() <= 3 { // grace periods of last year's obligations reach into the new year
		years = append(years, now.Year()-1)
	}
	var rems []reminder
	for _, year := range years {
		tallies, err := s.St.SuperviseTallies(ctx, sc, units, year, supervise.NeedsOf(rules))
		if err != nil {
			return rep, err
		}
		for _, id := range units {
			u := orgs[id]
			for _, res := range supervise.Evaluate(u, rules[id], tallies[id], today) {
				r, ok := s.reminderFor(u, res, today)
				if ok {
					rems = append(rems, r)
				}
				if res.Status == supervise.Missed && addDays(res.Deadline, res.Rule.GraceDays+AutoRectWindow) >= today {
					created, err := s.autoRect(ctx, u, res, now)
					if err != nil {
						return rep, err
					}
					if created {
						rep.Rects++
					}
				}
			}
		}
	}
	rects, err := s.St.Rects(ctx, sc, store.RectFilter{})
	if err != nil {
		return rep, err
	}
	for _, r := range rects {
		if r.Overdue(today) {
			rems = append(rems, reminder{key: fmt.Sprintf("rect/%d/overdue/%s", r.ID, r.Deadline), unitID: r.UnitID, users: []int64{r.OwnerID},
				msg: notify.Message{Title: "【整改逾期】" + truncate(r.Title, 40),
					Body: fmt.Sprintf("整改时限 %s 已过, 当前状态: %s。请尽快完成整改并上传佐证材料。", ledger.FormatDate(r.Deadline), r.StatusLabel()),
					Link: s.BaseURL + fmt.Sprintf("/supervise/rect/%d", r.ID)}})
		}
	}
	// Information drafts whose review step is past its deadline: the
	// step's reviewers are reminded once per step and round.
	drafts, err := s.St.OverdueReviews(ctx, now.Unix())
	if err != nil {
		return rep, err
	}
	for _, d := range drafts {
		ids, err := s.St.StepReviewers(ctx, d)
		if err != nil {
			return rep, err
		}
		if len(ids) == 0 {
			continue
		}
		step := d.Chain[d.Step]
		rems = append(rems, reminder{key: fmt.Sprintf("info/%d/%d/%d/overdue", d.ID, d.Cycle, d.Step), unitID: d.UnitID, users: ids,
			msg: notify.Message{Title: "【审核逾期】" + truncate(d.Title, 40),
				Body: fmt.Sprintf("%s报送的信息「%s」%s已超过处理期限 (%s), 请尽快审核。", d.OrgName, truncate(d.Title, 40), step.Name,
					time.Unix(d.StepDue, 0).In(cntime.Zone).Format("2006年1月2日 15:04")),
				Link: s.BaseURL + fmt.Sprintf("/info/%d", d.ID)}})
	}
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

// reminderFor decides whether a result calls for a reminder: within the
// reminder window before the deadline, and once when it becomes overdue.
func (s *Scheduler) reminderFor(u supervise.Unit, res supervise.Result, today string) (reminder, bool) {
	kind := ""
	switch {
	case res.Status == supervise.AtRisk && res.DaysLeft >= 0 && res.DaysLeft <= res.Rule.RemindDays:
		kind = "due"
	case res.Status == supervise.Overdue:
		kind = "overdue"
	default:
		return reminder{}, false
	}
	users := res.Subject.Resp
	if res.Rule.RespUserID != 0 && res.Subject.Kind == supervise.SubjectUnit {
		users = []int64{res.Rule.RespUserID}
	}
	if len(users) == 0 {
		users = u.Resp
	}
	unit := res.Unit()
	who := res.Subject.Name
	title := "【督导提醒】" + res.Rule.Name
	body := fmt.Sprintf("%s %s: %s应完成%d%s, 已完成%d%s, 截止%s。", u.Name, who, res.Period.Label, res.Required, unit, res.Count, unit, ledger.FormatDate(res.Deadline))
	if kind == "overdue" {
		title = "【督导逾期】" + res.Rule.Name
		body += fmt.Sprintf("已逾期, 请于%s前补登记, 逾期将列入问题清单。", ledger.FormatDate(addDays(res.Deadline, res.Rule.GraceDays)))
	} else {
		body += fmt.Sprintf("还有%d天, 请抓紧落实。", res.DaysLeft)
	}
	return reminder{key: res.IdemKey() + "/" + kind, unitID: u.ID, users: users,
		msg: notify.Message{Title: title, Body: body, Link: s.BaseURL + fmt.Sprintf("/supervise?unit=%d&year=%s", u.ID, res.Period.From[:4])}}, true
}

func addDays(d string, n int) string {
	t, err := time.Parse(cntime.DateLayout, d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, n).Format(cntime.DateLayout)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// autoRect opens a rectification item for a missed obligation.
func (s *Scheduler) autoRect(ctx context.Context, u supervise.Unit, res supervise.Result, now time.Time) (bool, error) {
	owner := int64(0)
	if len(res.Subject.Resp) > 0 {
		owner = res.Subject.Resp[0]
	} else if res.Rule.RespUserID != 0 {
		owner = res.Rule.RespUserID
	} else if len(u.Resp) > 0 {
		owner = u.Resp[0]
	}
	if owner == 0 {
		return false, nil
	}
	unit := res.Unit()
	r := supervise.Rect{UnitID: u.ID, Source: "compliance", SourceRef: res.IdemKey(), OwnerID: owner,
		Title: fmt.Sprintf("%s %s未完成“%s”: 应%d%s, 实际%d%s(截止%s)", res.Subject.Name, res.Period.Label, res.Rule.Name,
			res.Required, unit, res.Count, unit, ledger.FormatDate(res.Deadline)),
		Deadline: now.AddDate(0, 0, 30).Format(cntime.DateLayout)}
	if res.Subject.Kind == supervise.SubjectDepartment || res.Subject.Kind == supervise.SubjectBranch {
		r.OrgID = res.Subject.ID
	}
	return s.St.EnsureAutoRect(ctx, store.Actor{Name: "系统(督导)"}, &r)
}

// deliver claims and sends a reminder on every channel the unit has on.
func (s *Scheduler) deliver(ctx context.Context, r reminder, rep *Report) error {
	ns, err := s.St.NotifySettings(ctx, r.unitID)
	if err != nil {
		return err
	}
	type ch struct {
		name, recipients string
	}
	var chans []ch
	if ns.InApp && len(r.users) > 0 {
		chans = append(chans, ch{notify.InApp, joinIDs(r.users)})
	}
	if ns.Email && ns.SMTPHost != "" {
		emails, err := s.St.ContactEmails(ctx, r.users)
		if err != nil {
			return err
		}
		var to []string
		for _, u := range r.users {
			if e := emails[u]; e != "" {
				to = append(to, e)
			}
		}
		if len(to) > 0 {
			chans = append(chans, ch{notify.Email, strings.Join(to, ",")})
		}
	}
	if ns.WeComURL != "" {
		chans = append(chans, ch{notify.WeCom, ""})
	}
	if ns.DingTalkURL != "" {
		chans = append(chans, ch{notify.DingTalk, ""})
	}
	for _, c := range chans {
		d := store.Delivery{IdemKey: r.key, Channel: c.name, UnitID: r.unitID, Title: r.msg.Title, Body: r.msg.Body, Link: r.msg.Link, Recipients: c.recipients}
		ok, err := s.St.ClaimDelivery(ctx, &d)
		if err != nil {
			return err
		}
		if !ok {
			rep.Skipped++
			continue
		}
		rep.Reminders++
		if err := s.attempt(ctx, ns, d, rep); err != nil {
			return err
		}
	}
	return nil
}

// attempt sends one claimed delivery and records the outcome.
func (s *Scheduler) attempt(ctx context.Context, ns notify.Settings, d store.Delivery, rep *Report) error {
	msg := notify.Message{Title: d.Title, Body: d.Body, Link: d.Link}
	var err error
	if d.Channel != notify.InApp {
		// The allow-list may have shrunk since the unit saved its channels.
		sec, serr := s.St.SecuritySettings(ctx)
		if serr != nil {
			return serr
		}
		err = ns.CheckHosts(sec.AllowedHosts())
	}
	switch {
	case err != nil:
	case d.Channel == notify.InApp:
		err = s.St.Notify(ctx, d.UnitID, splitIDs(d.Recipients), d.IdemKey, d.Title, d.Body, strings.TrimPrefix(d.Link, s.BaseURL))
	case d.Channel == notify.Email:
		err = s.Sender.SendMail(ctx, ns, strings.Split(d.Recipients, ","), msg)
	case d.Channel == notify.WeCom:
		err = s.Sender.SendWeCom(ctx, ns.WeComURL, msg)
	case d.Channel == notify.DingTalk:
		err = s.Sender.SendDingTalk(ctx, ns.DingTalkURL, ns.DingTalkSecret, msg)
	default:
		err = fmt.Errorf("unknown channel %s", d.Channel)
	}
	if err != nil {
		rep.Failed++
		s.logger().Warn("reminder delivery failed", "channel", d.Channel, "key", d.IdemKey, "attempt", d.Attempts+1, "err", err)
	} else {
		rep.Sent++
	}
	return s.St.FinishDelivery(ctx, d.ID, err, s.now().Add(notify.Backoff(d.Attempts+1)).Unix())
}

// retry re-attempts failed deliveries whose back-off has passed.
func (s *Scheduler) retry(ctx context.Context, rep *Report) error {
	ds, err := s.St.RetryableDeliveries(ctx, notify.MaxAttempts, 600)
	if err != nil {
		return err
	}
	for _, d := range ds {
		ns, err := s.St.NotifySettings(ctx, d.UnitID)
		if err != nil {
			return err
		}
		rep.Reminders++
		if err := s.attempt(ctx, ns, d, rep); err != nil {
			return err
		}
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		var id int64
		if _, err := fmt.Sscan(p, &id); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}
