package metrics_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"zhendi/internal/metrics"
)

// TestRecorder: job rounds, failures, skips, deliveries and imports come
// out of the registry under their names and labels.
func TestRecorder(t *testing.T) {
	m := metrics.New(nil)
	start := time.Unix(1_700_000_000, 0)
	m.JobRound("supervision reminders", start, time.Second, nil)
	m.JobRound("supervision reminders", start.Add(time.Hour), time.Second, errors.New("database away"))
	m.JobSkipped("supervision reminders")
	m.Delivered("wecom", nil)
	m.Delivered("wecom", errors.New("robot unavailable"))
	m.Imported("ledger", 120)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`zhendi_job_rounds_total{job="supervision reminders"} 2`,
		`zhendi_job_failures_total{job="supervision reminders"} 1`,
		`zhendi_job_skipped_total{job="supervision reminders"} 1`,
		`zhendi_job_last_run_timestamp_seconds{job="supervision reminders"} 1.7000036e+09`,
		`zhendi_job_last_success_timestamp_seconds{job="supervision reminders"} 1.7e+09`,
		`zhendi_reminder_deliveries_total{channel="wecom",result="sent"} 1`,
		`zhendi_reminder_deliveries_total{channel="wecom",result="failed"} 1`,
		`zhendi_imports_total{kind="ledger"} 1`,
		`zhendi_import_rows_total{kind="ledger"} 120`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("missing %s", want)
		}
	}
}
