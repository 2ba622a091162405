package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/service"
)

const (
	sessionCookie = "zhendi_session"
	preCookie     = "zhendi_pre" // double-submit CSRF token for the login form
	maxFormBytes  = 1 << 20
)

// authed wraps a handler: it loads the session, enforces the idle timeout,
// checks the CSRF token on every state-changing request, and computes the
// caller's scope.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, *reqCtx)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ck, err := r.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			s.toLogin(w, r)
			return
		}
		ip := s.clientIP(r)
		sess, err := s.svc.Authenticate(ctx, ck.Value, ip)
		if errors.Is(err, service.ErrNoSession) {
			s.clearSession(w, r)
			s.toLogin(w, r)
			return
		} else if err != nil {
			s.httpError(w, r, nil, err)
			return
		}
		user, sec := sess.User, sess.Security
		c := &reqCtx{user: user, csrf: sess.CSRF, token: ck.Value, ip: ip}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, int64(sec.MaxUploadMB)<<20+maxFormBytes)
			token := r.Header.Get("X-CSRF-Token")
			if token == "" {
				token = r.FormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(token), []byte(c.csrf)) != 1 {
				s.renderStatus(w, r, c, http.StatusForbidden, "error", map[string]any{"Title": "请求已失效",
					"Message": "页面已过期或请求来源不明（CSRF 校验失败）。请返回刷新页面后重试。"})
				return
			}
		}
		if user.MustChange && r.URL.Path != "/password" && r.URL.Path != "/logout" {
			redirect(w, r, "/password")
			return
		}
		if c.scope, err = s.svc.ScopeOf(ctx, user); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		h(w, r, c)
	})
}

func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
		return
	}
	http.Error(w, "请先登录", http.StatusUnauthorized)
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, username, msg string) {
	token := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: token, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r), MaxAge: 3600})
	next := r.FormValue("next")
	if !safeNext(next) {
		next = "/"
	}
	s.renderStatus(w, r, nil, status, "login", map[string]any{"Title": "登录", "PreCSRF": token, "Username": username, "Error": msg, "Next": next})
}

// safeNext accepts only local paths, so the login form cannot redirect away.
func safeNext(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\")
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if !s.readForm(w, r, nil) {
		return
	}
	ck, err := r.Cookie(preCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.FormValue("csrf"))) != 1 || ck.Value == "" {
		s.renderLogin(w, r, http.StatusForbidden, r.FormValue("username"), "页面已过期，请重新登录（CSRF 校验失败）。")
		return
	}
	ip := s.clientIP(r)
	username := strings.TrimSpace(r.FormValue("username"))
	password := r.FormValue("password")
	if !s.ipLimit.allow(ip, s.now()) {
		s.renderLogin(w, r, http.StatusTooManyRequests, username, "登录尝试过于频繁，请稍后再试。")
		return
	}
	token, err := s.svc.Login(ctx, username, password, ip, r.UserAgent())
	var refused *access.LoginError
	if errors.As(err, &refused) {
		status := http.StatusUnauthorized
		if refused.Locked {
			status = http.StatusForbidden
		}
		s.renderLogin(w, r, status, username, refused.Msg)
		return
	} else if err != nil {
		s.httpError(w, r, nil, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: "", Path: "/login", MaxAge: -1})
	next := r.FormValue("next")
	if !safeNext(next) {
		next = "/"
	}
	redirect(w, r, next)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := s.svc.Logout(r.Context(), c.actor(), c.user.UnitID, c.token); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.clearSession(w, r)
	redirect(w, r, "/login")
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.render(w, r, c, "password", map[string]any{"Title": "修改密码", "Must": c.user.MustChange})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	f := r.PostForm
	token, err := s.svc.ChangePassword(r.Context(), c.actor(), c.user, f.Get("old"), f.Get("new"), f.Get("confirm"), c.ip, r.UserAgent())
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "password", map[string]any{"Title": "修改密码", "Error": msg, "Must": c.user.MustChange})
		return
	}
	// The change ended every session; the service started a fresh one for this browser.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	redirect(w, r, "/?ok=password")
}
