// Package metrics is zhendi's Prometheus instrumentation (issue 20 part 4),
// through the official client library: requests by route pattern, the
// database pool, background jobs, reminder deliveries and imports. Each
// server owns its registry (no global registry), and every label is a
// route pattern, job name, channel, outcome or import kind — never a path
// with ids in it, a user name, an address or anything a user typed.
//
// Access is guarded (Guard): a bearer token compared in constant time
// against its SHA-256, and/or an allow-list of client networks.
package metrics

import (
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds one server's registry and its collectors. It implements
// service.Recorder.
type Metrics struct {
	reg *prometheus.Registry

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	jobRounds      *prometheus.CounterVec
	jobFailures    *prometheus.CounterVec
	jobSkipped     *prometheus.CounterVec
	jobLastRun     *prometheus.GaugeVec
	jobLastSuccess *prometheus.GaugeVec
	jobDuration    *prometheus.HistogramVec

	deliveries *prometheus.CounterVec
	imports    *prometheus.CounterVec
	importRows *prometheus.CounterVec
}

// New makes the registry with the Go runtime, process and database pool
// collectors (db may be nil in tests of the HTTP part only).
func New(db *sql.DB) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_http_requests_total",
		Help: "HTTP requests by route pattern (the ServeMux pattern, not the path) and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "zhendi_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route"})
	m.jobRounds = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_job_rounds_total",
		Help: "Background job rounds run on this node.",
	}, []string{"job"})
	m.jobFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_job_failures_total",
		Help: "Background job rounds that failed on this node.",
	}, []string{"job"})
	m.jobSkipped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_job_skipped_total",
		Help: "Background job ticks left to another node (it held the job's lease or ran it within the interval).",
	}, []string{"job"})
	m.jobLastRun = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "zhendi_job_last_run_timestamp_seconds",
		Help: "When this node last started a round of the job (unix time).",
	}, []string{"job"})
	m.jobLastSuccess = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "zhendi_job_last_success_timestamp_seconds",
		Help: "When a round of the job that succeeded on this node started (unix time).",
	}, []string{"job"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "zhendi_job_duration_seconds",
		Help:    "Background job round duration.",
		Buckets: []float64{.01, .1, .5, 1, 5, 15, 60, 300, 1800},
	}, []string{"job"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_reminder_deliveries_total",
		Help: "Reminder delivery attempts by channel and result (sent, failed).",
	}, []string{"channel", "result"})
	m.imports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_imports_total",
		Help: "Finished imports by kind (ledger, opinion, channels).",
	}, []string{"kind"})
	m.importRows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhendi_import_rows_total",
		Help: "Rows written by finished imports, by kind.",
	}, []string{"kind"})
	m.reg.MustRegister(m.requests, m.latency, m.jobRounds, m.jobFailures, m.jobSkipped, m.jobLastRun, m.jobLastSuccess,
		m.jobDuration, m.deliveries, m.imports, m.importRows,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, "zhendi"))
	}
	return m
}

// Registry is the server's registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format. It does not
// check access: Guard does.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// JobRound records one round of job run on this node.
func (m *Metrics) JobRound(job string, start time.Time, took time.Duration, err error) {
	m.jobRounds.WithLabelValues(job).Inc()
	m.jobLastRun.WithLabelValues(job).Set(float64(start.Unix()))
	m.jobDuration.WithLabelValues(job).Observe(took.Seconds())
	if err != nil {
		m.jobFailures.WithLabelValues(job).Inc()
		return
	}
	m.jobFailures.WithLabelValues(job).Add(0) // the series exists before the first failure
	m.jobLastSuccess.WithLabelValues(job).Set(float64(start.Unix()))
}

// JobSkipped records a tick of job left to another node.
func (m *Metrics) JobSkipped(job string) { m.jobSkipped.WithLabelValues(job).Inc() }

// Delivered records one reminder delivery attempt.
func (m *Metrics) Delivered(channel string, err error) {
	result := "sent"
	if err != nil {
		result = "failed"
	}
	m.deliveries.WithLabelValues(channel, result).Inc()
}

// Imported records one finished import.
func (m *Metrics) Imported(kind string, rows int) {
	m.imports.WithLabelValues(kind).Inc()
	m.importRows.WithLabelValues(kind).Add(float64(rows))
}

// Instrument counts the requests next serves by their route pattern. next
// must be the ServeMux itself (or pass the request on unchanged): the mux
// sets r.Pattern on the request it is given, and Instrument reads it after
// next returns. Requests that match no route are counted under
// "unmatched", so a scan of random paths adds one series, not one per path.
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines of long exports).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Guard decides who may read /metrics: a request with the bearer token, or
// from an allowed network. With neither configured nobody may.
type Guard struct {
	tokenSum [sha256.Size]byte
	hasToken bool
	allow    []netip.Prefix
}

// NewGuard takes the token ("" for none) and a comma-separated list of
// networks or addresses ("10.0.0.0/8,127.0.0.1"). Only the token's SHA-256
// is kept.
func NewGuard(token, allow string) (*Guard, error) {
	g := &Guard{}
	if token != "" {
		g.tokenSum, g.hasToken = sha256.Sum256([]byte(token)), true
	}
	for part := range strings.SplitSeq(allow, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("监控地址白名单中的“%s”不是 IP 地址或网段", part)
			}
			g.allow = append(g.allow, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("监控地址白名单中的“%s”不是 IP 地址或网段", part)
		}
		g.allow = append(g.allow, p.Masked())
	}
	return g, nil
}

// Configured reports whether anyone at all may read the metrics.
func (g *Guard) Configured() bool { return g.hasToken || len(g.allow) > 0 }

// Allow reports whether r, coming from client address ip, may read the
// metrics. The token is hashed and compared in constant time, so neither
// its length nor its prefix leaks through timing.
func (g *Guard) Allow(r *http.Request, ip string) bool {
	if g.hasToken {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			sum := sha256.Sum256([]byte(strings.TrimSpace(tok)))
			if subtle.ConstantTimeCompare(sum[:], g.tokenSum[:]) == 1 {
				return true
			}
		}
	}
	if a, err := netip.ParseAddr(ip); err == nil {
		a = a.Unmap()
		for _, p := range g.allow {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}
