// Package web serves zhendi's pages: server-rendered HTML from embedded
// templates, every state change behind a session, a CSRF token and the
// caller's scope. Handlers parse the request (forms into typed values with
// package form), call the service for every change and the store for plain
// scoped reads, and render; they hold no SQL and no business rule. Every
// route is in routes.go; httpError answers a failure by its kind.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
	"zhendi/internal/chartimg"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/metrics"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

//go:embed templates static
var assets embed.FS

// Config holds what the server needs beyond the store.
type Config struct {
	// SecureCookies forces the Secure flag (behind a TLS-terminating proxy
	// that does not say X-Forwarded-Proto); under TLS, or behind a trusted
	// proxy saying https, cookies are Secure anyway.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see proxy.go); from anyone else the
	// headers are ignored.
	TrustedProxies []netip.Prefix
	// Metrics, when set, counts requests by route pattern and is served at
	// /metrics to the callers MetricsGuard lets in (ops.go).
	Metrics      *metrics.Metrics
	MetricsGuard *metrics.Guard
	// DataDir is checked by /readyz for at least MinFreeBytes free (0: no check).
	DataDir      string
	MinFreeBytes uint64
}

// Server is the HTTP application.
type Server struct {
	cfg Config
	// svc runs every change; st serves the single-query reads (see
	// service.Service.Store).
	svc      *service.Service
	st       *store.Store
	log      *slog.Logger
	pages    map[string]*template.Template
	static   map[string]staticFile // by hashed name
	assetURL map[string]string     // plain name -> /static/<hash>/<name>
	now      func() time.Time
	// charts draws the charts of Word documents (chartimg), opened on
	// first use; nil when the machine has no CJK font (the documents then
	// keep their tables only).
	charts     *chartimg.Renderer
	chartsOnce sync.Once
}

type staticFile struct {
	name  string
	data  []byte
	ctype string
}

// New prepares templates and assets.
func New(cfg Config, svc *service.Service, log *slog.Logger) (*Server, error) {
	s := &Server{cfg: cfg, svc: svc, st: svc.Store(), log: log, static: map[string]staticFile{}, assetURL: map[string]string{},
		now: time.Now}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// SetClock replaces the clock of the server and its service (tests).
func (s *Server) SetClock(now func() time.Time) {
	s.now = now
	s.svc.SetClock(now)
}

// lateDays is how many days after an activity its record counts as 补记.
func (s *Server) lateDays() int { return s.svc.Config().LateDays }

func (s *Server) loadStatic() error {
	return fs.WalkDir(assets, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assets.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(path, "static/")
		ctype := "application/octet-stream"
		switch {
		case strings.HasSuffix(name, ".css"):
			ctype = "text/css; charset=utf-8"
		case strings.HasSuffix(name, ".js"):
			ctype = "text/javascript; charset=utf-8"
		case strings.HasSuffix(name, ".svg"):
			ctype = "image/svg+xml"
		}
		key := hex.EncodeToString(sum[:6]) + "/" + name
		s.static[key] = staticFile{name: name, data: data, ctype: ctype}
		s.assetURL[name] = "/static/" + key
		return nil
	})
}

// Handler returns the router with every middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, rt.h)
	}

	// Browsers' Sec-Fetch-Site/Origin check refuses cross-site form posts
	// before they reach the token check: two independent CSRF defences.
	cop := http.NewCrossOriginProtection()
	var h http.Handler = mux
	if s.cfg.Metrics != nil {
		h = s.cfg.Metrics.Instrument(mux) // right around the mux: it reads the r.Pattern the mux sets
	}
	return s.logRequests(s.recoverer(s.securityHeaders(cop.Handler(h))))
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static[r.PathValue("hash")+"/"+r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.data)
}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		// HSTS only on a connection that is HTTPS end to end as far as we
		// can tell: a browser ignores it over plain HTTP anyway, and sending
		// it on a plain-HTTP intranet install would do nothing useful.
		if s.https(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// logRequests writes one structured line per request; static files are
// left out so the log shows what people did.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"ms", time.Since(start).Milliseconds(), "ip", s.clientIP(r))
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "path", r.URL.Path, "panic", v)
				http.Error(w, "服务器内部错误", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// reqCtx is what an authenticated handler knows about the caller.
type reqCtx struct {
	user  org.User
	scope access.Scope
	csrf  string
	token string
	ip    string
	flash string
	// security is the installation's settings, read with the session.
	security access.Security
}

func (c *reqCtx) actor() store.Actor {
	return store.Actor{UserID: c.user.ID, Name: c.user.Name, IP: c.ip}
}

// httpError answers a request that failed with the page its kind calls
// for (see errorPage).
func (s *Server) httpError(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	status, title, msg, ok := s.errorPage(r, err)
	if !ok {
		return
	}
	s.renderStatus(w, r, c, status, "error", map[string]any{"Title": title, "Message": msg})
}

// errorPage is the status, title and message for a failed request: not
// found or out of scope 404 (the two look the same), the database
// unreachable 503, the disk full 507, a user error 422 with its message,
// anything else 500 with the cause logged and not shown. ok is false when
// the client went away, which gets no answer.
func (s *Server) errorPage(r *http.Request, err error) (status int, title, msg string, ok bool) {
	err = store.Classify(err)
	status, title, msg = http.StatusInternalServerError, "出错了", "服务器处理请求时出错，请稍后再试或联系管理员。"
	switch {
	case errors.Is(err, context.Canceled):
		return 0, "", "", false
	case errors.Is(err, apperr.ErrNotFound):
		status, title, msg = http.StatusNotFound, "未找到", "记录不存在或无权访问。"
	case errors.Is(err, apperr.ErrUnavailable):
		s.log.Error("database unavailable", "path", r.URL.Path, "err", err)
		status, title, msg = http.StatusServiceUnavailable, "暂时无法处理", "数据库暂时不可用，请稍后再试。"
	case errors.Is(err, apperr.ErrStorageFull):
		s.log.Error("storage full", "path", r.URL.Path, "err", err)
		status, title, msg = http.StatusInsufficientStorage, "存储空间不足", "服务器存储空间不足，请联系管理员。"
	case apperr.IsUser(err):
		status, title, msg = http.StatusUnprocessableEntity, "无法完成", apperr.Message(err)
	default:
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	return status, title, msg, true
}

// userMessage answers every failure but a user error with its error page
// and returns ok false; for a user error it returns the message to show
// beside the form: the Chinese text of the field errors only, never the
// context a lower layer wrapped them in.
func (s *Server) userMessage(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) (msg string, ok bool) {
	if !apperr.IsUser(err) {
		s.httpError(w, r, c, err)
		return "", false
	}
	return apperr.Message(err), true
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderStatus(w, r, c, http.StatusForbidden, "error", map[string]any{"Title": "无权访问", "Message": "您的角色没有这项操作的权限。"})
}

func fmtUnix(sec int64) string {
	if sec == 0 {
		return ""
	}
	return cntime.LongMinute(time.Unix(sec, 0))
}
