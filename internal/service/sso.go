package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/org"
	"zhendi/internal/sso"
	"zhendi/internal/store"
)

// Sign-on through 企业微信, 钉钉 and OpenID Connect (issue 22 part 7).

// SaveSSOProvider creates or changes a sign-on platform; only the
// installation's 安全保密管理员 may. An empty secret on a change keeps the
// stored one (the page never shows it).
func (s *Service) SaveSSOProvider(ctx context.Context, actor store.Actor, sc access.Scope, p *sso.Provider) error {
	if !sc.InstallSecurity {
		return apperr.ErrNotFound
	}
	if p.ID != 0 && p.Secret == "" {
		old, err := s.st.SSOProvider(ctx, p.ID)
		if err != nil {
			return fmt.Errorf("save sign-on platform: %w", err)
		}
		p.Secret = old.Secret
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.BindUnitID != 0 {
		n, err := s.st.Node(ctx, p.BindUnitID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && n.Kind != org.Unit) {
			return apperr.Field("按手机号绑定的单位", "不是本系统中的单位")
		} else if err != nil {
			return fmt.Errorf("save sign-on platform: %w", err)
		}
	}
	if err := s.st.SaveSSOProvider(ctx, actor, p); err != nil {
		return fmt.Errorf("save sign-on platform: %w", err)
	}
	return nil
}

// SSOAuthURL is where the browser goes to sign on with platform id; the
// platform must be enabled.
func (s *Service) SSOAuthURL(ctx context.Context, id int64, redirect, state string) (string, error) {
	p, err := s.st.SSOProvider(ctx, id)
	if err == nil && !p.Enabled {
		err = apperr.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	return s.sso.AuthURL(ctx, p, redirect, state)
}

// SSOLogin finishes a sign-on: the code is exchanged with the platform and
// the platform account must be bound to an enabled zhendi account, whose
// session starts (its cookie token is returned). An unbound account is a
// user error that names the platform id to give the administrator, and is
// logged.
func (s *Service) SSOLogin(ctx context.Context, id int64, redirect, code, state, ip, userAgent string) (string, error) {
	p, err := s.st.SSOProvider(ctx, id)
	if err == nil && !p.Enabled {
		err = apperr.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	who, err := s.sso.Exchange(ctx, p, redirect, code, state)
	if err != nil {
		return "", fmt.Errorf("sign on with %s: %w", p.Kind, err)
	}
	uid, err := s.st.SSOUser(ctx, id, who.Subject)
	if errors.Is(err, store.ErrNotFound) && p.BindUnitID != 0 {
		// First sign-on: the platform's verified mobile binds the account
		// when it is exactly one active user's of the platform's unit.
		if m, ok := org.NormalizeMobile(who.Mobile); ok && m != "" {
			bound, berr := s.st.BindByMobile(ctx, id, p.BindUnitID, who.Subject, who.UserID, m)
			if berr != nil {
				return "", fmt.Errorf("sign on with %s: %w", p.Kind, berr)
			}
			if bound != 0 {
				uid, err = bound, nil
			}
		}
	}
	if err == nil && who.UserID != "" {
		// The userid personal messages go to (DingTalk's differs from the
		// unionId bound); kept fresh at every sign-on.
		if uerr := s.st.SetSSOUserID(ctx, id, who.Subject, who.UserID); uerr != nil {
			s.log.Warn("record platform userid", "err", uerr)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		if err := s.st.Audit(ctx, store.Actor{IP: ip, Name: p.Kind.Label() + "：" + who.Subject}, 0, "auth.sso_unbound", "sso_provider", id, nil); err != nil {
			s.log.Warn("log unbound sign-on", "err", err)
		}
		return "", apperr.Field("登录", fmt.Sprintf("您的%s账号（%s）尚未绑定本系统账号：请将此编号告知本单位系统管理员，绑定后即可登录", p.Kind.Label(), who.Subject))
	} else if err != nil {
		return "", err
	}
	u, err := s.st.User(ctx, uid)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", apperr.Field("登录", "该账号已停用，请联系系统管理员")
	}
	return s.startSession(ctx, store.Actor{UserID: u.ID, Name: u.Name, IP: ip}, u.UnitID, ip, userAgent)
}

// BindSSO binds a user's platform account (subject "" unbinds); the
// administrator must administer the user's unit.
func (s *Service) BindSSO(ctx context.Context, actor store.Actor, sc access.Scope, userID, providerID int64, subject string) error {
	subject = strings.TrimSpace(subject)
	if utf8.RuneCountInString(subject) > 128 {
		return apperr.Field("平台账号", "不能超过128个字符")
	}
	if _, err := s.st.SSOProvider(ctx, providerID); err != nil {
		return err
	}
	err := s.st.BindSSO(ctx, actor, userID, providerID, subject, func(unitID int64) error {
		if !sc.CanAdmin(unitID) {
			return apperr.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bind sign-on account: %w", err)
	}
	return nil
}
