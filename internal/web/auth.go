package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/store"
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
		sess, err := s.st.SessionByToken(ctx, ck.Value)
		if errors.Is(err, store.ErrNotFound) {
			s.clearSession(w, r)
			s.toLogin(w, r)
			return
		} else if err != nil {
			s.httpError(w, r, nil, err)
			return
		}
		sec, err := s.st.SecuritySettings(ctx)
		if err != nil {
			s.httpError(w, r, nil, err)
			return
		}
		now := s.now()
		user, err := s.st.User(ctx, sess.UserID)
		if err != nil {
			s.httpError(w, r, nil, err)
			return
		}
		c := &reqCtx{user: user, csrf: sess.CSRF, token: ck.Value, ip: s.clientIP(r)}
		if now.Unix()-sess.LastSeen > int64(sec.IdleMinutes)*60 {
			s.st.DeleteSession(ctx, c.actor(), user.UnitID, ck.Value, "auth.timeout")
			s.clearSession(w, r)
			s.toLogin(w, r)
			return
		}
		if now.Unix()-sess.LastSeen >= 60 { // one write a minute at most
			if err := s.st.TouchSession(ctx, ck.Value); err != nil {
				s.log.Warn("touch session", "err", err)
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, int64(sec.MaxUploadMB)<<20+maxFormBytes)
			token := r.Header.Get("X-CSRF-Token")
			if token == "" {
				token = r.FormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
				s.renderStatus(w, r, c, http.StatusForbidden, "error", map[string]any{"Title": "请求已失效",
					"Message": "页面已过期或请求来源不明 (CSRF 校验失败)。请返回刷新页面后重试。"})
				return
			}
		}
		if user.MustChange && r.URL.Path != "/password" && r.URL.Path != "/logout" {
			redirect(w, r, "/password")
			return
		}
		c.scope = access.Build(user.ID, user.UnitID, user.Grants, func(id int64) []int64 {
			ids, err := s.st.UnitsUnder(ctx, id)
			if err != nil {
				s.log.Error("units under", "err", err)
			}
			return ids
		})
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
	ck, err := r.Cookie(preCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.FormValue("csrf"))) != 1 || ck.Value == "" {
		s.renderLogin(w, r, http.StatusForbidden, r.FormValue("username"), "页面已过期, 请重新登录 (CSRF 校验失败)。")
		return
	}
	ip := s.clientIP(r)
	username := strings.TrimSpace(r.FormValue("username"))
	password := r.FormValue("password")
	if !s.ipLimit.allow(ip, s.now()) {
		s.renderLogin(w, r, http.StatusTooManyRequests, username, "登录尝试过于频繁, 请稍后再试。")
		return
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		s.httpError(w, r, nil, err)
		return
	}
	st, err := s.st.LoginStateOf(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.httpError(w, r, nil, err)
		return
	}
	const wrong = "用户名或密码错误。"
	now := s.now().Unix()
	if st.UserID != 0 && st.LockedUntil > now {
		mins := (st.LockedUntil - now + 59) / 60
		s.st.Audit(ctx, store.Actor{IP: ip, Name: username}, st.UnitID, "auth.login_locked", "user", st.UserID, nil)
		s.renderLogin(w, r, http.StatusForbidden, username, "账户因连续登录失败已锁定, 请 "+strconv.Itoa(int(mins))+" 分钟后再试或联系管理员解锁。")
		return
	}
	ok := false
	if st.UserID != 0 && !st.Disabled {
		ok, err = auth.CheckPassword(st.Hash, password)
		if err != nil {
			s.log.Error("check password", "user", st.UserID, "err", err)
		}
	} else {
		// Spend the same time on unknown names so timing does not reveal accounts.
		auth.CheckPassword(s.dummyHash, password)
	}
	if !ok {
		_, locked, err := s.st.RecordLoginFailure(ctx, store.Actor{IP: ip, Name: username}, st, sec.MaxFailures, int64(sec.LockMinutes)*60, username)
		if err != nil {
			s.httpError(w, r, nil, err)
			return
		}
		msg := wrong
		if locked {
			msg = "连续登录失败次数过多, 账户已锁定 " + strconv.Itoa(sec.LockMinutes) + " 分钟。"
		}
		s.renderLogin(w, r, http.StatusUnauthorized, username, msg)
		return
	}
	token, _, err := s.st.CreateSession(ctx, store.Actor{UserID: st.UserID, Name: st.Name, IP: ip}, st.UnitID, ip, r.UserAgent())
	if err != nil {
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
	if err := s.st.DeleteSession(r.Context(), c.actor(), c.user.UnitID, c.token, "auth.logout"); err != nil {
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
	ctx := r.Context()
	fail := func(msg string) {
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "password", map[string]any{"Title": "修改密码", "Error": msg, "Must": c.user.MustChange})
	}
	st, err := s.st.LoginStateOf(ctx, c.user.Username)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if ok, _ := auth.CheckPassword(st.Hash, r.FormValue("old")); !ok {
		fail("原密码: 不正确")
		return
	}
	if r.FormValue("new") != r.FormValue("confirm") {
		fail("确认密码: 与新密码不一致")
		return
	}
	if r.FormValue("new") == r.FormValue("old") {
		fail("新密码: 不能与原密码相同")
		return
	}
	if err := s.st.SetPassword(ctx, c.actor(), c.user.ID, r.FormValue("new"), false); err != nil {
		fail(err.Error())
		return
	}
	// SetPassword ended every session; start a fresh one for this browser.
	token, _, err := s.st.CreateSession(ctx, c.actor(), c.user.UnitID, c.ip, r.UserAgent())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	redirect(w, r, "/?ok=password")
}
