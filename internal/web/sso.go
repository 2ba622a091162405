package web

import (
	"fmt"
	"net/http"
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/auth"
	"zhendi/internal/org"
	"zhendi/internal/sso"
)

// Sign-on through 企业微信, 钉钉 and OpenID Connect (issue 22 part 7): the
// login page's buttons, the round trip to the platform, the 安全保密管理员's
// settings page and the system administrator's binding of accounts.

const ssoCookie = "zhendi_sso"

// ssoRedirect is the callback address the platform sends the browser back
// to; it must be registered with the platform (the settings page shows it).
func (s *Server) ssoRedirect(r *http.Request, id int64) string {
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return fmt.Sprintf("%s://%s/sso/%d/callback", scheme, r.Host, id)
}

// ssoStart sends the browser to the platform with a fresh state, kept in
// a short-lived cookie with where to go after signing on.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) {
	id := formID(r.PathValue("id"))
	state := auth.NewToken()
	u, err := s.svc.SSOAuthURL(r.Context(), id, s.ssoRedirect(r, id), state)
	if err != nil {
		s.httpError(w, r, nil, err)
		return
	}
	next := r.URL.Query().Get("next")
	if !safeNext(next) {
		next = "/"
	}
	// Lax, not Strict: the platform's redirect back is a cross-site
	// top-level navigation, which must carry the cookie.
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: state + "|" + next, Path: "/sso/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: 600})
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// ssoCallback finishes the sign-on: the state must be the one this browser
// was sent with, then the code is exchanged and the bound account's
// session starts.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) {
	id := formID(r.PathValue("id"))
	ck, err := r.Cookie(ssoCookie)
	state, next, _ := strings.Cut(func() string {
		if err != nil {
			return ""
		}
		return ck.Value
	}(), "|")
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/sso/", MaxAge: -1})
	q := r.URL.Query()
	if state == "" || q.Get("state") != state {
		s.renderLogin(w, r, http.StatusForbidden, "", "登录已过期或来源不明，请重新点击登录按钮。")
		return
	}
	token, err := s.svc.SSOLogin(r.Context(), id, s.ssoRedirect(r, id), q.Get("code"), state, s.clientIP(r), r.UserAgent())
	if err != nil {
		if apperr.IsUser(err) {
			s.renderLogin(w, r, http.StatusUnauthorized, "", apperr.Message(err))
			return
		}
		s.log.Error("sign-on", "provider", id, "err", err)
		s.renderLogin(w, r, http.StatusBadGateway, "", "无法与登录平台通信，请稍后再试或使用账号密码登录。")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	if !safeNext(next) {
		next = "/"
	}
	redirect(w, r, next)
}

// ssoPage is the 安全保密管理员's list of sign-on platforms.
func (s *Server) ssoPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderSSO(w, r, c, sso.Provider{Kind: sso.WeCom, Enabled: true}, http.StatusOK, "")
}

func (s *Server) renderSSO(w http.ResponseWriter, r *http.Request, c *reqCtx, edit sso.Provider, status int, errMsg string) {
	if !c.scope.Security {
		s.forbidden(w, r, c)
		return
	}
	list, err := s.st.SSOProviders(r.Context(), false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if id := formID(r.URL.Query().Get("edit")); id != 0 && edit.ID == 0 {
		for _, p := range list {
			if p.ID == id {
				edit = p
			}
		}
	}
	edit.Secret = "" // never sent back to the browser
	redirects := map[int64]string{}
	for _, p := range list {
		redirects[p.ID] = s.ssoRedirect(r, p.ID)
	}
	ids, err := s.st.AllUnitIDs(r.Context())
	var nodes []org.Node
	if err == nil {
		nodes, err = s.st.Nodes(r.Context(), ids, false)
	}
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units := map[int64]string{}
	var unitList []org.Node
	for _, n := range nodes {
		if n.Kind == org.Unit {
			units[n.ID] = n.Name
			unitList = append(unitList, n)
		}
	}
	s.renderStatus(w, r, c, status, "admin_sso", map[string]any{"Title": "第三方登录", "Nav": "admin", "List": list, "P": edit,
		"Kinds": []sso.Kind{sso.WeCom, sso.DingTalk, sso.OIDC}, "Redirects": redirects, "Edit": c.scope.InstallSecurity, "Error": errMsg,
		"Units": unitList, "UnitNames": units})
}

func (s *Server) ssoSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	f := r.PostForm
	p := sso.Provider{ID: formID(f.Get("id")), Kind: sso.Kind(f.Get("kind")), Name: f.Get("name"), ClientID: f.Get("client_id"),
		AgentID: f.Get("agent_id"), Secret: strings.TrimSpace(f.Get("secret")), AuthBase: f.Get("auth_base"), APIBase: f.Get("api_base"),
		Issuer: f.Get("issuer"), Enabled: f.Get("enabled") == "1", MsgBase: f.Get("msg_base"), BindUnitID: formID(f.Get("bind_unit"))}
	if err := s.svc.SaveSSOProvider(r.Context(), c.actor(), c.scope, &p); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderSSO(w, r, c, p, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, "/admin/sso?ok=saved")
}

// userSSO binds a user's platform accounts, one field per platform.
func (s *Server) userSSO(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	u, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	list, err := s.st.SSOProviders(r.Context(), false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	for _, p := range list {
		v, present := r.PostForm[fmt.Sprintf("sso_%d", p.ID)]
		if !present {
			continue
		}
		if err := s.svc.BindSSO(r.Context(), c.actor(), c.scope, u.ID, p.ID, v[0]); err != nil {
			msg, ok := s.userMessage(w, r, c, err)
			if !ok {
				return
			}
			s.userForm(w, r, c, u, http.StatusUnprocessableEntity, msg)
			return
		}
	}
	redirect(w, r, fmt.Sprintf("/admin/users/%d?ok=saved", u.ID))
}
