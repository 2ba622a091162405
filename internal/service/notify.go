package service

import (
	"context"
	"maps"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/notify"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// Channels is a change of a unit's reminder channels as posted: the
// settings, whether an empty password or signing-secret field clears the
// stored one (otherwise it keeps it: secrets are never sent back to the
// browser), and the reminder addresses of the unit's people by user id.
type Channels struct {
	Settings    notify.Settings
	ClearPass   bool
	ClearSecret bool
	Emails      map[int64]string
}

// SaveChannels stores a unit's reminder channels and its people's
// addresses together. It returns the settings as checked — stored secrets
// filled in — so a refused form can be shown again; apperr.ErrNotFound when
// the scope may not manage the unit or an address is for someone outside
// it; a host the 安全保密管理员 has not allowed, invalid settings and a
// malformed address are user errors, and then nothing is saved.
func (s *Service) SaveChannels(ctx context.Context, actor store.Actor, sc access.Scope, ch Channels) (notify.Settings, error) {
	ns := ch.Settings
	if !supervise.CanManage(sc, ns.UnitID) {
		return ns, apperr.ErrNotFound
	}
	old, err := s.st.NotifySettings(ctx, ns.UnitID)
	if err != nil {
		return ns, err
	}
	if ns.SMTPPass == "" && !ch.ClearPass {
		ns.SMTPPass = old.SMTPPass
	}
	if ns.DingTalkSecret == "" && !ch.ClearSecret {
		ns.DingTalkSecret = old.DingTalkSecret
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return ns, err
	}
	if err := ns.CheckHosts(sec.ReminderHosts()); err != nil {
		return ns, err
	}
	if err := ns.CheckLiteral(notify.Guard{Relays: sec.RelayHosts()}); err != nil {
		return ns, err
	}
	checked := ns
	if err := checked.Validate(); err != nil {
		return ns, err
	}
	for _, id := range slices.Sorted(maps.Keys(ch.Emails)) {
		if err := notify.CheckEmail(ch.Emails[id]); err != nil {
			return ns, err
		}
	}
	return ns, s.st.SaveChannels(ctx, actor, sc, checked, ch.Emails)
}

// MarkNotificationsRead marks all of a user's in-app notifications read.
func (s *Service) MarkNotificationsRead(ctx context.Context, userID int64) error {
	return s.st.MarkNotificationsRead(ctx, userID)
}
