package web

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Operations endpoints (issue 20 part 4), outside login, sessions and CSRF
// (they change nothing): /healthz answers while the process serves,
// /readyz while this node can do its work, /metrics for Prometheus behind
// its own guard.

// healthz: the process is up. It reads no database, so a database outage
// does not make the service manager restart a healthy process.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok"))
}

// readyz: the database answers, its schema is the one this program
// carries (not behind: a node started before another finished migrating,
// nor ahead: an old binary on an upgraded database), and the data
// directory has more free space than the threshold. Otherwise 503 with the
// reason, so the reverse proxy sends users to another node.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if reason := s.notReady(r.Context()); reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, reason)
		return
	}
	w.Write([]byte("ready\n"))
}

func (s *Server) notReady(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := s.st.DB().PingContext(ctx); err != nil {
		return "数据库无法连接：" + err.Error()
	}
	cur, newest, err := s.st.SchemaVersions(ctx)
	if err != nil {
		return "读取数据库结构版本失败：" + err.Error()
	}
	if cur != newest {
		return fmt.Sprintf("数据库结构版本为 %d，本程序需要 %d（迁移未完成或程序版本不符）", cur, newest)
	}
	if s.cfg.DataDir != "" && s.cfg.MinFreeBytes > 0 {
		free, ok, err := freeBytes(s.cfg.DataDir)
		if err != nil {
			return "读取数据目录可用空间失败：" + err.Error()
		}
		if ok && free < s.cfg.MinFreeBytes {
			return fmt.Sprintf("数据目录 %s 可用空间 %d MB，低于下限 %d MB", s.cfg.DataDir, free>>20, s.cfg.MinFreeBytes>>20)
		}
	}
	return ""
}

// metrics serves the Prometheus metrics to a caller the guard lets in
// (bearer token or allowed network); everyone else gets 403 and no hint of
// what is there. Without metrics configured the route is 404.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Metrics == nil {
		http.NotFound(w, r)
		return
	}
	if s.cfg.MetricsGuard == nil || !s.cfg.MetricsGuard.Allow(r, s.clientIP(r)) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="zhendi metrics"`)
		http.Error(w, "无权读取监控指标（需要令牌或白名单地址）", http.StatusForbidden)
		return
	}
	s.cfg.Metrics.Handler().ServeHTTP(w, r)
}
