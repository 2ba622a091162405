package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// scopeParams are the request parameters that name a unit, a node or a
// person, with what each names (see scopeparams.go).
var scopeParams = map[string]string{"unit": "unit", "org": "node", "dept": "node", "person": "user", "lead": "user",
	"speaker": "user", "subject": "user", "owner": "user", "lead_id": "user"}

// TestScopeParamsOnEveryRoute: on every route of the table, a parameter
// naming another unit, one of its departments or one of its people — in
// the query string or a posted form — is answered 404 and shows nothing
// of that unit (GET /ledger?unit=2 used to fill the filters with unit 2's
// roster). The same parameters naming the caller's own unit work.
func TestScopeParamsOnEveryRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		b := e.client()
		b.mustLogin("clerkb")
		tok := b.csrf()
		other := map[string]string{"unit": strconv.FormatInt(f.unitA.ID, 10), "node": strconv.FormatInt(f.deptA.ID, 10),
			"user": strconv.FormatInt(f.memberA.ID, 10)}
		probed := 0
		for _, rt := range routesOf(t, st) {
			if rt.Public || strings.Contains(rt.Pattern, "{") || rt.Pattern == "POST /logout" {
				continue
			}
			method, path, _ := strings.Cut(rt.Pattern, " ")
			path = strings.TrimSuffix(path, "{$}")
			for name, kind := range scopeParams {
				q := url.Values{name: {other[kind]}}
				var code int
				var body string
				if method == http.MethodGet {
					code, body = b.get(path + "?" + q.Encode())
				} else {
					q.Set("csrf", tok)
					code, body, _ = b.post(path, q)
				}
				probed++
				if code != http.StatusNotFound || strings.Contains(body, "甲局") || strings.Contains(body, "王党员") || strings.Contains(body, "张专干") {
					t.Errorf("%s with %s=%s (unit A's %s) as unit B: %d, want 404 showing nothing of unit A", rt.Pattern, name, other[kind], kind, code)
				}
			}
		}
		if probed < 300 {
			t.Fatalf("only %d probes: the route table was not read", probed)
		}
		// The example of the issue, and the same filters on one's own unit.
		a := e.client()
		a.mustLogin("clerka")
		if code, body := a.get(fmt.Sprintf("/ledger?unit=%d&person=%d&org=%d", f.unitA.ID, f.memberA.ID, f.deptA.ID)); code != 200 || !strings.Contains(body, "王党员") {
			t.Fatalf("own unit's filters: %d", code)
		}
		if code, body := a.get(fmt.Sprintf("/ledger?unit=%d", f.unitB.ID)); code != http.StatusNotFound || strings.Contains(body, "李专干") {
			t.Fatalf("GET /ledger?unit=<other unit>: %d", code)
		}
	})
}
