package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/web"
)

// forwarding adds the headers a reverse proxy (or a forger) sends.
type forwarding struct {
	xff, proto string
}

func (f *forwarding) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if f.xff != "" {
		r.Header.Set("X-Forwarded-For", f.xff)
	}
	if f.proto != "" {
		r.Header.Set("X-Forwarded-Proto", f.proto)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// newProxyEnv is newEnv with --trust-proxy set; the test's requests come
// from 127.0.0.1, so trusting 127.0.0.1 makes the test client the proxy.
func newProxyEnv(t *testing.T, st *store.Store, trusted ...string) (*env, *forwarding) {
	t.Helper()
	e := &env{t: t, st: st, now: time.Date(2023, 7, 5, 10, 0, 0, 0, cntime.Zone)}
	st.Now = func() time.Time { return e.now }
	var proxies []netip.Prefix
	for _, p := range trusted {
		proxies = append(proxies, netip.MustParsePrefix(p))
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(web.Config{TrustedProxies: proxies}, service.New(st, service.Config{}, log), log)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetClock(func() time.Time { return e.now })
	e.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(e.srv.Close)
	return e, &forwarding{}
}

func (e *env) clientVia(rt http.RoundTripper) *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar, Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// lastLoginFailureIP is the address the audit log recorded for the latest
// refused login.
func lastLoginFailureIP(t *testing.T, st *store.Store) string {
	t.Helper()
	es, err := st.ListAudit(context.Background(), store.AuditFilter{Global: true, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Action == "auth.login_failed" {
			return e.IP
		}
	}
	t.Fatalf("no login entry in the audit log (%d entries)", len(es))
	return ""
}

// TestForwardedForTrustedProxiesOnly: the audit log and the rate limit key
// on the client address; X-Forwarded-For counts only from a configured
// proxy, read from the right so a client cannot put words in its mouth.
func TestForwardedForTrustedProxiesOnly(t *testing.T) {
	cases := []struct {
		name    string
		trusted []string
		xff     string
		want    string
	}{
		{"no proxy configured: header ignored", nil, "203.0.113.7", "127.0.0.1"},
		{"peer is not a configured proxy: header ignored", []string{"10.0.0.0/8"}, "203.0.113.7", "127.0.0.1"},
		{"trusted proxy: its client", []string{"127.0.0.1/32"}, "203.0.113.7", "203.0.113.7"},
		// The client sent "X-Forwarded-For: 198.51.100.1" itself; nginx
		// appended the address it saw. The forged one stays unbelieved.
		{"trusted proxy appended to a forged header", []string{"127.0.0.1/32"}, "198.51.100.1, 203.0.113.7", "203.0.113.7"},
		// Two proxies of ours: the first (10.1.2.3) saw the client.
		{"chain of trusted proxies", []string{"127.0.0.1/32", "10.0.0.0/8"}, "198.51.100.1, 203.0.113.7, 10.1.2.3", "203.0.113.7"},
		{"garbage from the client stops the walk", []string{"127.0.0.1/32"}, "<script>, 203.0.113.7", "203.0.113.7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.SQLite(t)
			e, fw := newProxyEnv(t, st, tc.trusted...)
			fw.xff = tc.xff
			c := e.clientVia(fw)
			// An unknown name: its failure is logged installation-wide.
			if code, _ := c.login("nosuchuser", "wrong-password"); code == http.StatusSeeOther {
				t.Fatal("wrong password accepted")
			}
			if got := lastLoginFailureIP(t, st); got != tc.want {
				t.Errorf("audit log records %q, want %q", got, tc.want)
			}
		})
	}
}

// TestForgedForwardedForDoesNotDodgeRateLimit: a client rotating forged
// X-Forwarded-For addresses is still one address to the login limit.
func TestForgedForwardedForDoesNotDodgeRateLimit(t *testing.T) {
	st := storetest.SQLite(t)
	e, fw := newProxyEnv(t, st, "10.0.0.0/8") // the test client is not a proxy
	c := e.clientVia(fw)
	limited := false
	for i := 0; i < 40 && !limited; i++ {
		fw.xff = "198.51.100." + strconv.Itoa(i+1)
		code, body := c.login("nosuchuser", "wrong-password")
		limited = code == http.StatusTooManyRequests && strings.Contains(body, "登录尝试过于频繁")
	}
	if !limited {
		t.Fatal("40 refused logins with rotating forged X-Forwarded-For were never rate limited")
	}
}

// TestSecureCookieAndHSTSBehindProxy: X-Forwarded-Proto: https from the
// configured proxy turns on Secure cookies and HSTS; the same header from
// anyone else, or plain HTTP, turns on neither.
func TestSecureCookieAndHSTSBehindProxy(t *testing.T) {
	cases := []struct {
		name    string
		trusted []string
		proto   string
		secure  bool
	}{
		{"plain HTTP", nil, "", false},
		{"https claimed by a non-proxy", []string{"10.0.0.0/8"}, "https", false},
		{"trusted proxy says https", []string{"127.0.0.1/32"}, "https", true},
		{"trusted proxy says http", []string{"127.0.0.1/32"}, "http", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.SQLite(t)
			e, fw := newProxyEnv(t, st, tc.trusted...)
			fw.proto = tc.proto
			resp, err := (&http.Client{Transport: fw}).Get(e.srv.URL + "/login")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			hsts := resp.Header.Get("Strict-Transport-Security")
			if tc.secure != (hsts != "") {
				t.Errorf("Strict-Transport-Security = %q, want present: %v", hsts, tc.secure)
			}
			if tc.secure && !strings.Contains(hsts, "max-age=31536000") {
				t.Errorf("Strict-Transport-Security = %q, want max-age of a year", hsts)
			}
			cks := resp.Cookies()
			if len(cks) == 0 {
				t.Fatal("login page set no cookie")
			}
			for _, ck := range cks {
				if ck.Secure != tc.secure {
					t.Errorf("cookie %s Secure = %v, want %v", ck.Name, ck.Secure, tc.secure)
				}
			}
		})
	}
}
