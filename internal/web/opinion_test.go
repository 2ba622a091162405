package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// push posts a push API request and decodes the answer.
func push(t *testing.T, e *env, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/opinion/push", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("push answer is not JSON: %d %s", resp.StatusCode, b)
	}
	return resp.StatusCode, out
}

var tokenRE = regexp.MustCompile(`<code class="token">(zd_[A-Za-z0-9_-]+)</code>`)

func TestOpinionPagesAndPush(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		a := e.client()
		a.mustLogin("clerka")
		tok := a.csrf()
		unit := fmt.Sprint(f.unitA.ID)

		// A feed with a bad address: 422, the reason beside the form.
		code, body, _ := a.post("/opinion/sources", url.Values{"csrf": {tok}, "unit": {unit}, "kind": {"feed"}, "name": {"区新闻网"}, "url": {"ftp://x"}, "interval_min": {"15"}, "weight": {"1"}, "enabled": {"1"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "订阅地址：应为 http:// 或 https:// 开头") {
			t.Fatalf("bad feed: %d %s", code, pageMessage(body))
		}
		// A push source: its token is shown once.
		code, body, _ = a.post("/opinion/sources", url.Values{"csrf": {tok}, "unit": {unit}, "kind": {"push"}, "name": {"合作系统"}, "weight": {"1"}, "enabled": {"1"}})
		m := tokenRE.FindStringSubmatch(body)
		if code != http.StatusOK || m == nil {
			t.Fatalf("push source: %d, no token shown: %s", code, pageMessage(body))
		}
		token := m[1]
		_, list := a.get("/opinion/sources")
		if !strings.Contains(list, "合作系统") || strings.Contains(list, token) {
			t.Errorf("source list: missing the source or showing its token")
		}

		// The push API: auth, idempotency, all-or-nothing rows.
		batch := `{"items":[{"id":"a1","title":"化工园区起火","text":"化工园区今晨起火，@张三 称火势已控制。","url":"https://x.cn/1","published":"2023-07-01 08:00"},
			{"id":"a2","title":"春耕培训","text":"区农业农村局举办春耕技术培训。","published":"2023-07-02 09:00"}]}`
		if code, ans := push(t, e, "", batch); code != http.StatusUnauthorized || !strings.Contains(fmt.Sprint(ans["error"]), "令牌") {
			t.Errorf("no token: %d %v", code, ans)
		}
		if code, _ := push(t, e, token+"x", batch); code != http.StatusUnauthorized {
			t.Errorf("wrong token: %d", code)
		}
		code, ans := push(t, e, token, batch)
		if code != http.StatusOK || ans["stored"] != 2.0 || ans["received"] != 2.0 {
			t.Fatalf("push: %d %v", code, ans)
		}
		code, ans = push(t, e, token, batch)
		if code != http.StatusOK || ans["stored"] != 0.0 || ans["already"] != 2.0 {
			t.Errorf("repeat push: %d %v", code, ans)
		}
		code, ans = push(t, e, token, `{"items":[{"id":"b1","title":"好的一条","text":"正文"},{"id":"b2","title":"","text":""}]}`)
		if code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(ans["errors"]), "第 2 行") {
			t.Errorf("bad row: %d %v", code, ans)
		}
		if code, _ := push(t, e, token, `{"items":[`); code != http.StatusBadRequest {
			t.Errorf("broken JSON: %d", code)
		}
		if n := count(t, st, "SELECT count(*) FROM opinion_items"); n != 2 {
			t.Errorf("%d items stored, want 2 (the bad batch stores nothing)", n)
		}
		if n := count(t, st, "SELECT count(*) FROM opinion_items WHERE body LIKE '%张三%'"); n != 0 {
			t.Errorf("an @handle was stored")
		}

		// Scheme editor: a parse error in place, 试运行, save.
		code, body, _ = a.post("/opinion/schemes", url.Values{"csrf": {tok}, "unit": {unit}, "name": {"化工"}, "rule": {"(化工园区 & 起火"}, "scope": {"all"}, "enabled": {"1"}, "action": {"save"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "规则：") || !strings.Contains(body, "(化工园区 &amp; 起火") {
			t.Errorf("bad rule: %d %s", code, pageMessage(body))
		}
		code, body, _ = a.post("/opinion/schemes", url.Values{"csrf": {tok}, "unit": {unit}, "name": {"化工"}, "rule": {"(化工厂 | 化工园区) & 起火 & !演练"}, "scope": {"all"}, "enabled": {"1"}, "action": {"trial"}})
		if code != http.StatusOK || !strings.Contains(body, "读取 2 条，命中 1 条") || !strings.Contains(body, "化工园区起火") {
			t.Errorf("trial: %d %s", code, pageMessage(body))
		}
		if n := count(t, st, "SELECT count(*) FROM opinion_schemes"); n != 0 {
			t.Errorf("trial saved the scheme")
		}
		code, _, loc := a.post("/opinion/schemes", url.Values{"csrf": {tok}, "unit": {unit}, "name": {"化工"}, "rule": {"(化工厂 | 化工园区) & 起火 & !演练"}, "scope": {"all"}, "enabled": {"1"}, "action": {"save"}})
		if code != http.StatusSeeOther || !strings.Contains(loc, "ok=saved") {
			t.Fatalf("save scheme: %d %s", code, loc)
		}
		// New items are matched on intake and highlighted.
		push(t, e, token, `{"items":[{"id":"a3","title":"化工厂起火后续","text":"化工厂起火原因正在调查。","published":"2023-07-03 10:00"}]}`)
		_, items := a.get("/opinion/items?q=" + url.QueryEscape("起火"))
		if !strings.Contains(items, "化工厂起火后续") || !strings.Contains(items, "化工园区起火") || strings.Contains(items, "春耕培训") {
			t.Errorf("search: %s", pageMessage(items))
		}
		id := one(t, st, "SELECT id FROM opinion_items WHERE title = $1", "化工厂起火后续")[0]
		_, page := a.get("/opinion/items/" + id)
		if !strings.Contains(page, "<mark>化工厂</mark>") || !strings.Contains(page, "<mark>起火</mark>") {
			t.Errorf("item page without highlighted hits: %s", page)
		}
		if n := count(t, st, "SELECT count(*) FROM opinion_events"); n != 1 {
			t.Errorf("%d events, want 1", n)
		}

		// Another unit: 404 on every record, its own (empty) lists.
		b := e.client()
		b.mustLogin("clerkb")
		src := one(t, st, "SELECT id FROM opinion_sources WHERE unit_id = $1", f.unitA.ID)[0]
		sch := one(t, st, "SELECT id FROM opinion_schemes WHERE unit_id = $1", f.unitA.ID)[0]
		for _, p := range []string{"/opinion/items/" + id, "/opinion/sources/" + src, "/opinion/schemes/" + sch} {
			if code, _ := b.get(p); code != http.StatusNotFound {
				t.Errorf("unit B %s: %d, want 404", p, code)
			}
		}
		if _, list := b.get("/opinion/items?unit=" + unit); strings.Contains(list, "化工") {
			t.Error("unit B sees unit A's items")
		}
		// A member reads no unit's opinion records.
		mb := e.client()
		mb.mustLogin("membera")
		if code, _ := mb.get("/opinion/items"); code != http.StatusForbidden {
			t.Errorf("member: %d, want 403", code)
		}
	})
}
