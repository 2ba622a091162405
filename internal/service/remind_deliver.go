package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"zhendi/internal/notify"
	"zhendi/internal/sso"
	"zhendi/internal/store"
)

// Sender delivers reminders outside zhendi: e-mail and the group robots.
// notify.Sender is the real one; tests inject their own with SetSender.
type Sender interface {
	SendMail(ctx context.Context, cfg notify.Settings, to []string, m notify.Message) error
	SendWeCom(ctx context.Context, webhook string, m notify.Message) error
	SendDingTalk(ctx context.Context, webhook, secret string, m notify.Message) error
}

// SetSender replaces how reminders leave zhendi (tests); nil restores
// notify.Sender.
func (s *Service) SetSender(snd Sender) { s.send = snd }

// sender is the injected Sender, or notify.Sender guarding every
// connection with the installation's internal relays (read at send time,
// so a relay removed in the settings stops at the next attempt).
func (s *Service) sender(relays []string) Sender {
	if s.send == nil {
		return notify.Sender{Guard: notify.Guard{Relays: relays}}
	}
	return s.send
}

// deliver claims a reminder on every channel its unit has on and sends
// each claim it wins; a channel claimed before (by an earlier round or
// another node) is skipped.
func (s *Service) deliver(ctx context.Context, r reminder, rep *RemindReport) error {
	ns, err := s.st.NotifySettings(ctx, r.unitID)
	if err != nil {
		return err
	}
	type channel struct{ name, recipients string }
	var chans []channel
	if ns.InApp && len(r.users) > 0 {
		chans = append(chans, channel{notify.InApp, joinIDs(r.users)})
	}
	if ns.Email && ns.SMTPHost != "" {
		emails, err := s.st.ContactEmails(ctx, r.users)
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
			chans = append(chans, channel{notify.Email, strings.Join(to, ",")})
		}
	}
	if ns.WeComURL != "" && !r.personal {
		chans = append(chans, channel{notify.WeCom, ""})
	}
	if ns.DingTalkURL != "" && !r.personal {
		chans = append(chans, channel{notify.DingTalk, ""})
	}
	if (ns.WeComApp || ns.DingTalkApp) && len(r.users) > 0 {
		// Personal messages through each sign-on application the unit
		// turned on, to those of the people bound there.
		ps, err := s.st.SSOProviders(ctx, true)
		if err != nil {
			return err
		}
		for _, p := range ps {
			name := ""
			switch {
			case !p.CanMessage():
			case p.Kind == sso.WeCom && ns.WeComApp:
				name = notify.WeComApp
			case p.Kind == sso.DingTalk && ns.DingTalkApp:
				name = notify.DingTalkApp
			}
			if name == "" {
				continue
			}
			ids, err := s.st.SSOMessageIDs(ctx, p.ID, r.users)
			if err != nil {
				return err
			}
			var to []int64
			for _, u := range r.users {
				if ids[u] != "" {
					to = append(to, u)
				}
			}
			if len(to) > 0 {
				chans = append(chans, channel{name + ":" + strconv.FormatInt(p.ID, 10), joinIDs(to)})
			}
		}
	}
	for _, c := range chans {
		d := store.Delivery{IdemKey: r.key, Channel: c.name, UnitID: r.unitID, Title: r.msg.Title, Body: r.msg.Body, Link: r.msg.Link, Recipients: c.recipients}
		ok, err := s.st.ClaimDelivery(ctx, &d)
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

// attempt sends one claimed delivery and records the outcome: sent, or
// failed with the next attempt after notify.Backoff.
func (s *Service) attempt(ctx context.Context, ns notify.Settings, d store.Delivery, rep *RemindReport) error {
	msg := notify.Message{Title: d.Title, Body: d.Body, Link: d.Link}
	var err error
	var relays []string
	if d.Channel != notify.InApp && !personal(d.Channel) {
		// The allow-list may have shrunk since the unit saved its channels.
		sec, serr := s.st.SecuritySettings(ctx)
		if serr != nil {
			return serr
		}
		relays = sec.RelayHosts()
		err = ns.CheckHosts(sec.ReminderHosts())
	}
	switch {
	case err != nil:
	case d.Channel == notify.InApp:
		err = s.st.Notify(ctx, d.UnitID, splitIDs(d.Recipients), d.IdemKey, d.Title, d.Body, strings.TrimPrefix(d.Link, s.cfg.BaseURL))
	case d.Channel == notify.Email:
		err = s.sender(relays).SendMail(ctx, ns, strings.Split(d.Recipients, ","), msg)
	case d.Channel == notify.WeCom:
		err = s.sender(relays).SendWeCom(ctx, ns.WeComURL, msg)
	case d.Channel == notify.DingTalk:
		err = s.sender(relays).SendDingTalk(ctx, ns.DingTalkURL, ns.DingTalkSecret, msg)
	case strings.HasPrefix(d.Channel, notify.WeComApp+":") || strings.HasPrefix(d.Channel, notify.DingTalkApp+":"):
		err = s.sendPersonal(ctx, d, msg)
	default:
		err = fmt.Errorf("unknown channel %s", d.Channel)
	}
	s.rec.Delivered(d.Channel, err)
	if err != nil {
		rep.Failed++
		s.log.Warn("reminder delivery failed", "channel", d.Channel, "key", d.IdemKey, "attempt", d.Attempts+1, "err", err)
	} else {
		rep.Sent++
	}
	return s.st.FinishDelivery(ctx, d.ID, err, s.now().Add(notify.Backoff(d.Attempts+1)).Unix())
}

// retryLease is how long (seconds) a retry taken by one node is left to it
// before another may take it.
const retryLease = 600

// retry re-attempts failed deliveries whose back-off has passed.
func (s *Service) retry(ctx context.Context, rep *RemindReport) error {
	ds, err := s.st.RetryableDeliveries(ctx, notify.MaxAttempts, retryLease)
	if err != nil {
		return err
	}
	for _, d := range ds {
		ns, err := s.st.NotifySettings(ctx, d.UnitID)
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
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// personal reports whether a channel is a sign-on application's personal
// messages: its addresses are the platform's configured ones, set by the
// installation's 安全保密管理员, not a unit's webhooks.
func personal(channel string) bool {
	return strings.HasPrefix(channel, notify.WeComApp+":") || strings.HasPrefix(channel, notify.DingTalkApp+":")
}

// sendPersonal sends a claimed personal-message delivery through its
// platform to the recipients' platform userids, read at send time (a
// binding removed since the claim is left out). Userids the platform says
// it could not reach are logged, not retried: they are not members of the
// application's range.
func (s *Service) sendPersonal(ctx context.Context, d store.Delivery, msg notify.Message) error {
	_, idStr, _ := strings.Cut(d.Channel, ":")
	pid, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil {
		return fmt.Errorf("channel %s: %w", d.Channel, err)
	}
	p, err := s.st.SSOProvider(ctx, pid)
	if err != nil {
		return fmt.Errorf("platform %d: %w", pid, err)
	}
	if !p.Enabled || !p.CanMessage() {
		return fmt.Errorf("%s“%s”已停用或未设置应用 AgentId", p.Kind.Label(), p.Name)
	}
	ids, err := s.st.SSOMessageIDs(ctx, pid, splitIDs(d.Recipients))
	if err != nil {
		return err
	}
	var to []string
	for _, u := range splitIDs(d.Recipients) {
		if ids[u] != "" {
			to = append(to, ids[u])
		}
	}
	if len(to) == 0 {
		return nil
	}
	bad, err := s.sso.Send(ctx, p, to, sso.Message{Title: msg.Title, Body: msg.Body, Link: msg.Link})
	if len(bad) > 0 {
		s.log.Warn("personal message not delivered to some", "channel", d.Channel, "key", d.IdemKey, "userids", strings.Join(bad, ","))
	}
	return err
}
