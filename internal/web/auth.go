package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/org"
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
		c := &reqCtx{user: user, csrf: sess.CSRF, token: ck.Value, ip: ip, security: sec}
		// Nothing the server sends behind a login (pages, attachments,
		// exports) may be kept by a browser or proxy cache.
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// The whole form is read first (see parseBody): an over-size
			// file must not take the token with it.
			if err := parseBody(w, r, max(int64(sec.MaxUploadMB)<<20, minFileCap)); err != nil {
				s.renderStatus(w, r, c, http.StatusBadRequest, "error", map[string]any{"Title": "无法读取表单", "Message": "表单过大或格式错误，请检查后重新提交。"})
				return
			}
			token := csrfToken(r)
			if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(c.csrf)) != 1 {
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
		if err := s.checkScopeParams(ctx, r, c); err != nil {
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
	// The sign-on buttons: a login page without them still works when the
	// list cannot be read.
	providers, err := s.st.SSOProviders(r.Context(), true)
	if err != nil {
		s.log.Warn("list sign-on platforms", "err", err)
	}
	s.renderStatus(w, r, nil, status, "login", map[string]any{"Title": "登录", "PreCSRF": token, "Username": username, "Error": msg, "Next": next,
		"SSO": providers})
}

// safeNext accepts only a path on this server, so the login form cannot
// send the browser to another host. Browsers and URL parsers disagree on
// much (they read "\\" as "/", drop tabs and newlines, and some decode
// "%2F" before resolving), so anything beyond plain printable ASCII
// without a backslash, and any encoded slash, backslash or control
// character, is refused rather than interpreted; the caller then uses "/".
func safeNext(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
		if c == '%' {
			if i+2 >= len(p) {
				return false
			}
			enc := strings.ToLower(p[i+1 : i+3])
			if enc == "2f" || enc == "5c" || enc[0] == '0' || enc[0] == '1' || enc == "7f" || enc == "20" {
				return false
			}
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if !s.readForm(w, r, nil) {
		return
	}
	ck, err := r.Cookie(preCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.PostFormValue("csrf"))) != 1 || ck.Value == "" {
		s.renderLogin(w, r, http.StatusForbidden, r.FormValue("username"), "页面已过期，请重新登录（CSRF 校验失败）。")
		return
	}
	ip := s.clientIP(r)
	username := strings.TrimSpace(r.FormValue("username"))
	password := r.FormValue("password")
	// The address's refused attempts are counted in the database, so the
	// limit holds across nodes (service.LoginAddressAllowed).
	if allowed, err := s.svc.LoginAddressAllowed(ctx, ip); err != nil {
		s.httpError(w, r, nil, err)
		return
	} else if !allowed {
		s.renderLogin(w, r, http.StatusTooManyRequests, username, "登录尝试过于频繁，请稍后再试。")
		return
	}
	token, err := s.svc.Login(ctx, username, password, ip, r.UserAgent())
	var refused *access.LoginError
	if errors.As(err, &refused) {
		// Only refused attempts count towards the address's limit, so a
		// shared office address is not shut out by its own users' logins.
		if err := s.svc.LoginAddressRefused(ctx, ip); err != nil {
			s.httpError(w, r, nil, err)
			return
		}
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
	s.render(w, r, c, "password", s.passwordData(c, ""))
}

// passwordData is the password page's: why a change is required (a new
// account, a reset, the periodic change) and the policy in force.
func (s *Server) passwordData(c *reqCtx, errMsg string) map[string]any {
	d := map[string]any{"Title": "修改密码", "Error": errMsg, "Hint": org.PasswordHint(c.security.MinPasswordLen), "MinLen": max(c.security.MinPasswordLen, org.MinPasswordLen)}
	if c.user.MustChange {
		d["Must"] = c.user.MustChangeNote()
	}
	return d
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
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "password", s.passwordData(c, msg))
		return
	}
	// The change ended every session; the service started a fresh one for this browser.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	redirect(w, r, "/?ok=password")
}
