package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"zhendi/internal/metrics"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/web"
)

// opsServer serves the router with metrics behind the token "s3cret" and
// the allow-list allow.
func opsServer(t *testing.T, st *store.Store, allow string, minFree uint64) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, service.Config{}, log)
	m := metrics.New(st.DB())
	svc.SetRecorder(m)
	g, err := metrics.NewGuard("s3cret", allow)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Metrics: m, MetricsGuard: g, DataDir: t.TempDir(), MinFreeBytes: minFree}, svc, log)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs
}

func opsFetch(t *testing.T, hs *httptest.Server, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", hs.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHealthReadyMetrics: /healthz and /readyz answer without a session;
// /metrics is refused without the token (or from outside the allow-list)
// and, with it, counts requests by route pattern, never by path.
func TestHealthReadyMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		hs := opsServer(t, st, "", 1)
		if code, body := opsFetch(t, hs, "/healthz", ""); code != 200 || body != "ok" {
			t.Fatalf("/healthz: %d %q", code, body)
		}
		if code, body := opsFetch(t, hs, "/readyz", ""); code != 200 || !strings.Contains(body, "ready") {
			t.Fatalf("/readyz: %d %q", code, body)
		}
		opsFetch(t, hs, "/ledger/98765", "") // no session: sent to the login page
		for _, tok := range []string{"", "wrong", "s3cre", "s3cret2"} {
			if code, body := opsFetch(t, hs, "/metrics", tok); code != http.StatusForbidden || strings.Contains(body, "zhendi_") {
				t.Errorf("/metrics with token %q: %d, want 403 without metrics", tok, code)
			}
		}
		code, body := opsFetch(t, hs, "/metrics", "s3cret")
		if code != 200 {
			t.Fatalf("/metrics with the token: %d", code)
		}
		for _, want := range []string{
			`zhendi_http_requests_total{code="200",route="GET /healthz"} 1`,
			`zhendi_http_requests_total{code="303",route="GET /ledger/{id}"} 1`,
			`zhendi_http_request_duration_seconds_bucket{route="GET /readyz"`,
			`go_sql_max_open_connections{db_name="zhendi"}`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(body, "98765") {
			t.Error("a raw path (with its id) reached the metrics labels")
		}
	})
}

// TestMetricsAllowList: an allowed address needs no token; a list that
// does not name the client still refuses.
func TestMetricsAllowList(t *testing.T) {
	st := storetest.SQLite(t)
	if code, _ := opsFetch(t, opsServer(t, st, "10.0.0.0/8, 192.168.1.5", 1), "/metrics", ""); code != http.StatusForbidden {
		t.Errorf("client outside the allow-list: %d, want 403", code)
	}
	if code, body := opsFetch(t, opsServer(t, st, "127.0.0.0/8", 1), "/metrics", ""); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Errorf("client in the allow-list: %d", code)
	}
	if _, err := metrics.NewGuard("", "10.0.0.300"); err == nil || !strings.Contains(err.Error(), "10.0.0.300") {
		t.Errorf("bad allow-list entry: %v", err)
	}
}

// TestReadyzNotReady: /readyz answers 503 with the reason when the schema
// is behind the program, the disk is below the threshold, or the database
// is gone — and /healthz still answers.
func TestReadyzNotReady(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		if code, body := opsFetch(t, opsServer(t, st, "", 1<<62), "/readyz", ""); code != 503 || !strings.Contains(body, "可用空间") {
			t.Errorf("disk below threshold: %d %q", code, body)
		}
		hs := opsServer(t, st, "", 1)
		ctx := context.Background()
		if _, err := st.DB().ExecContext(ctx, "DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)"); err != nil {
			t.Fatal(err)
		}
		if code, body := opsFetch(t, hs, "/readyz", ""); code != 503 || !strings.Contains(body, "数据库结构版本") {
			t.Errorf("schema behind: %d %q", code, body)
		}
		st.DB().Close() // the database is gone
		if code, body := opsFetch(t, hs, "/readyz", ""); code != 503 || !strings.Contains(body, "数据库") {
			t.Errorf("database down: %d %q", code, body)
		}
		if code, _ := opsFetch(t, hs, "/healthz", ""); code != 200 {
			t.Errorf("/healthz with the database down: %d, want 200 (the process is up)", code)
		}
	})
}

// TestPublicRoutes: the routes served without a session are exactly
// these; a new one must be added here on purpose (and is then outside
// login and CSRF).
func TestPublicRoutes(t *testing.T) {
	st := storetest.SQLite(t)
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, nil), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"GET /static/{hash}/{name}": true, "GET /login": true, "POST /login": true, "GET /sso/{id}/start": true,
		"GET /sso/{id}/callback": true, "GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "POST /api/opinion/push": true}
	for _, rt := range srv.Routes() {
		if rt.Public && !want[rt.Pattern] {
			t.Errorf("%s is public but not in the list", rt.Pattern)
		}
		delete(want, rt.Pattern)
	}
	for p := range want {
		t.Errorf("%s is listed but not served", p)
	}
}
