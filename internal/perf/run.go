package perf

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

// Page is one page measured, as one user.
type Page struct {
	Name string
	User string // login name
	Path string
	Want string // text the page must contain
}

// Pages are the measured pages: the first unit's clerk on the home page and
// the filtered ledger list, and the district supervisor on the home page
// (with the comparison of every unit) and the all-units ledger list.
func Pages(ds Dataset) []Page {
	period := fmt.Sprintf("%dH1", max(ds.FirstYear, ds.EndYear-2)) // 2023H1 for the default range
	person := strconv.FormatInt(ds.PersonID, 10)
	return []Page{
		{"clerk home " + period, ds.Clerk, "/?period=" + period, "半年总结数据"},
		{"clerk home (default period)", ds.Clerk, "/", "半年总结数据"},
		{"clerk ledger type+period", ds.Clerk, "/ledger?type=central_group&period=" + period, "共 "},
		{"clerk ledger q=学习", ds.Clerk, "/ledger?q=" + url.QueryEscape("学习"), " 条"},
		{"clerk ledger person", ds.Clerk, "/ledger?person=" + person, "共 "},
		{"clerk ledger page 3", ds.Clerk, "/ledger?page=3", "第 3 / "},
		{"supervisor home " + period, ds.Supervisor, "/?period=" + period, "各单位对比"},
		{"supervisor home (default period)", ds.Supervisor, "/", "各单位对比"},
		{"supervisor ledger all units", ds.Supervisor, "/ledger", "共 "},
		{"supervisor ledger type+period", ds.Supervisor, "/ledger?type=preach&period=" + period, "共 "},
		{"supervisor ledger q=学习", ds.Supervisor, "/ledger?q=" + url.QueryEscape("学习"), " 条"},
		{"supervisor ledger q=安全生产", ds.Supervisor, "/ledger?q=" + url.QueryEscape("安全生产"), " 条"},
	}
}

// RunOptions say how often each page is requested.
type RunOptions struct {
	Requests int    // measured requests per page (default 200)
	Warmup   int    // unmeasured requests first (default 10)
	Only     string // when set, only the pages whose name contains it
}

// Result is the timing of one page.
type Result struct {
	Page
	Requests      int
	P50, P95, Max time.Duration
	Bytes         int
	Body          string // the last response, for checks
}

// Run logs in through the login form and requests every page of Pages
// through the real handler, sequentially, and reports the latency of each.
// A page that does not answer 200 with its expected text is an error.
func Run(ctx context.Context, st *store.Store, ds Dataset, opt RunOptions, progress func(string)) ([]Result, error) {
	if opt.Requests <= 0 {
		opt.Requests = 200
	}
	if opt.Warmup <= 0 {
		opt.Warmup = 10
	}
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	h := srv.Handler()
	sessions := map[string]*http.Cookie{}
	var results []Result
	for _, p := range Pages(ds) {
		if opt.Only != "" && !strings.Contains(p.Name, opt.Only) {
			continue
		}
		ck := sessions[p.User]
		if ck == nil {
			if ck, err = login(h, p.User, ds.Password); err != nil {
				return nil, err
			}
			sessions[p.User] = ck
		}
		res := Result{Page: p, Requests: opt.Requests}
		times := make([]time.Duration, 0, opt.Requests)
		for i := 0; i < opt.Warmup+opt.Requests; i++ {
			if err := ctx.Err(); err != nil {
				return results, err
			}
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, p.Path, nil)
			req.AddCookie(ck)
			rec := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(rec, req)
			d := time.Since(start)
			if i == 0 || i == opt.Warmup+opt.Requests-1 {
				body := rec.Body.String()
				if rec.Code != http.StatusOK || !strings.Contains(body, p.Want) {
					return results, fmt.Errorf("%s: %s answered %d without %q", p.Name, p.Path, rec.Code, p.Want)
				}
				res.Body, res.Bytes = body, len(body)
			}
			if i >= opt.Warmup {
				times = append(times, d)
			}
		}
		slices.Sort(times)
		res.P50, res.P95, res.Max = percentile(times, 50), percentile(times, 95), times[len(times)-1]
		results = append(results, res)
		if progress != nil {
			progress(fmt.Sprintf("%-36s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms", p.Name, ms(res.P50), ms(res.P95), ms(res.Max)))
		}
	}
	return results, nil
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login signs in through the login form (with its double-submit CSRF
// cookie) and returns the session cookie.
func login(h http.Handler, username, password string) (*http.Cookie, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if m == nil {
		return nil, fmt.Errorf("login page has no CSRF field")
	}
	form := url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}, "next": {"/"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "zhendi_session" && c.Value != "" {
			return &http.Cookie{Name: c.Name, Value: c.Value}, nil
		}
	}
	return nil, fmt.Errorf("login as %s failed: status %d", username, rec.Code)
}

// Table writes the results as a Markdown table.
func Table(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| page | requests | p50 ms | p95 ms | max ms | KB |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s `%s` | %d | %.1f | %.1f | %.1f | %d |\n", r.Name, r.Path, r.Requests, ms(r.P50), ms(r.P95), ms(r.Max), r.Bytes/1024)
	}
}
