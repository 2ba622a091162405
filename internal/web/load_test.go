package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestWriteLoad is the load test of issue 15 item 5: 20 writers spread over
// 5 units create ledger entries through the real router for
// ZHENDI_LOAD_SECONDS seconds, first on SQLite, then (with ZHENDI_TEST_PG)
// on PostgreSQL in the same run, and the audit log must verify afterwards.
// It prints requests, requests per second and the 95th percentile; it
// asserts no timing (run it on an idle machine to compare figures):
//
//	ZHENDI_LOAD_SECONDS=60 ZHENDI_TEST_PG=postgres://... go test ./internal/web -run TestWriteLoad -v
func TestWriteLoad(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("ZHENDI_LOAD_SECONDS"))
	if secs <= 0 {
		t.Skip("set ZHENDI_LOAD_SECONDS to run the write load test")
	}
	type result struct {
		n        int
		errs     int
		rps, p95 float64
	}
	run := func(t *testing.T, st *store.Store) result {
		ctx := context.Background()
		e := newEnv(t, st)
		e.now = time.Now() // real clock: sessions must not time out during the run
		var users [5]string
		for u := range 5 {
			unit := org.Node{Kind: org.Unit, Name: fmt.Sprintf("负载单位%d", u)}
			if err := st.CreateNode(ctx, store.System, &unit); err != nil {
				t.Fatal(err)
			}
			clerk := org.User{OrgID: unit.ID, Username: fmt.Sprintf("load%d", u), Name: fmt.Sprintf("专干%d", u), Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
			if err := svcOf(st).CreateUser(ctx, store.System, &clerk, pw); err != nil {
				t.Fatal(err)
			}
			users[u] = clerk.Username + "|" + strconv.FormatInt(unit.ID, 10)
		}
		type writer struct {
			c      *client
			csrf   string
			unitID string
		}
		ws := make([]writer, 20)
		for i := range ws {
			c := e.client()
			var name, unit string
			fmt.Sscanf(users[i%5], "%s", &name)
			name, unit = users[i%5][:len("load0")], users[i%5][len("load0")+1:]
			c.mustLogin(name)
			ws[i] = writer{c: c, csrf: c.csrf(), unitID: unit}
		}
		var mu sync.Mutex
		var lat []time.Duration
		errs := 0
		stop := time.Now().Add(time.Duration(secs) * time.Second)
		start := time.Now()
		var wg sync.WaitGroup
		for i, w := range ws {
			wg.Go(func() {
				for n := 0; time.Now().Before(stop); n++ {
					var buf bytes.Buffer
					mw := multipart.NewWriter(&buf)
					for k, v := range map[string]string{"csrf": w.csrf, "type": "central_group", "title": fmt.Sprintf("负载测试 %d-%d", i, n),
						"date": "2023-06-20", "org": w.unitID, "content": "学习"} {
						mw.WriteField(k, v)
					}
					mw.Close()
					req, _ := http.NewRequest("POST", e.srv.URL+"/ledger", &buf)
					req.Header.Set("Content-Type", mw.FormDataContentType())
					req.Header.Set("Origin", e.srv.URL)
					t0 := time.Now()
					resp, err := w.c.hc.Do(req)
					d := time.Since(t0)
					ok := err == nil && resp.StatusCode == http.StatusSeeOther
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
					mu.Lock()
					if ok {
						lat = append(lat, d)
					} else {
						errs++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		el := time.Since(start).Seconds()
		slices.Sort(lat)
		r := result{n: len(lat), errs: errs, rps: float64(len(lat)) / el}
		if len(lat) > 0 {
			r.p95 = float64(lat[len(lat)*95/100].Microseconds()) / 1000
		}
		vr, err := st.VerifyAuditReport(ctx)
		if err != nil {
			t.Fatalf("audit log after the load: %v", err)
		}
		t.Logf("%s: %d entries created in %.0f s by 20 writers over 5 units: %.0f req/s, p95 %.1f ms, %d failed; audit log verifies (%d entries, %d chains)",
			st.Dialect(), r.n, el, r.rps, r.p95, r.errs, vr.Entries, len(vr.Chains))
		if errs > 0 {
			t.Errorf("%d requests failed", errs)
		}
		return r
	}
	var lite, pg result
	t.Run("sqlite", func(t *testing.T) { lite = run(t, storetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		s := storetest.Postgres(t)
		if s == nil {
			t.Skip("ZHENDI_TEST_PG not set")
		}
		pg = run(t, s)
	})
	if lite.n > 0 && pg.n > 0 {
		t.Logf("PostgreSQL / SQLite: %.2f × the requests", float64(pg.n)/float64(lite.n))
	}
}
