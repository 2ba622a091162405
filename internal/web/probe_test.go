package web_test

// The probe suite: the real router, a real database (SQLite, and
// PostgreSQL when ZHENDI_TEST_PG is set), driven as an attacker would.
// Every probe that takes a route takes it from the route table
// (Server.Routes), so a route added to routes.go is probed without anyone
// remembering to list it; a route whose path takes an id of a kind the
// fixture does not know fails TestProbeCrossUnitIDs until its victim is
// added to victimIDs.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	pngenc "image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/perf"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// probe is the demo unit (the victim) with one record of every kind a
// route can name, and attackers from another unit.
type probe struct {
	e      *env
	st     *store.Store
	unit   int64 // the victim unit
	victim *client
	// ids are the victim's records by the route path up to its last
	// wildcard: "/ledger/{id}/files/{fid}" -> [activity id, attachment id].
	ids map[string][]string
	// query adds parameters to a route's probe (the report figure and
	// fresh exports name their report by query).
	query map[string]string
	// attackers are logged in to unit B: its 意识形态专干 and its 系统管理员.
	attackers map[string]*client
}

const victimName = "示范区农业农村局"

var testPDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"

func pngBytes(t *testing.T) string {
	var b bytes.Buffer
	if err := pngenc.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// one is the first value of a query (as text), failing when there is none.
func one(t *testing.T, st *store.Store, q string, args ...any) []string {
	t.Helper()
	rows, err := st.DB().QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		t.Fatalf("fixture has no row for %s", q)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprint(v)
	}
	return out
}

func newProbe(t *testing.T, st *store.Store) *probe {
	t.Helper()
	e := newEnv(t, st)
	info := loadDemo(t, st)
	f := seedTwoUnits(t, st)
	adminB := org.User{OrgID: f.unitB.ID, Username: "adminb", Name: "乙局管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitB.ID}}}
	if err := svcOf(st).CreateUser(context.Background(), store.System, &adminB, pw); err != nil {
		t.Fatal(err)
	}
	p := &probe{e: e, st: st, unit: info.UnitID, ids: map[string][]string{}, query: map[string]string{}, attackers: map[string]*client{}}
	u := info.UnitID
	v := e.client()
	v.demoLogin("zhuangan")
	p.victim = v
	tok := v.csrf()
	must := func(what string, code int, body string) {
		t.Helper()
		if code != http.StatusSeeOther {
			t.Fatalf("fixture %s: %d %.400s", what, code, body)
		}
	}
	act := one(t, st, "SELECT id FROM activities WHERE unit_id = $1 ORDER BY id LIMIT 1", u)[0]
	code, body, _ := v.postMultipart("/ledger/"+act+"/files", url.Values{"csrf": {tok}}, map[string][2]string{"files": {"纪要.pdf", testPDF}})
	must("attachment", code, body)
	rect := one(t, st, "SELECT id FROM rectifications WHERE unit_id = $1 ORDER BY id LIMIT 1", u)[0]
	code, body, _ = v.postMultipart("/supervise/rect/"+rect+"/files", url.Values{"csrf": {tok}}, map[string][2]string{"files": {"整改说明.txt", "栏目已更新。"}})
	must("rectification evidence", code, body)
	code, body, _ = v.postMultipart("/info/lexicon/import", url.Values{"csrf": {tok}}, map[string][2]string{"file": {"terms.tsv", "张三副局长\t过时称谓\t1\t张三局长\t2023年任局长\n"}})
	must("lexicon term", code, body)
	_, page := v.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H1&unit=%d", u))
	rf := editForm(t, page)
	rf.Set("csrf", tok)
	rf.Set("action", "save")
	code, body, _ = v.post("/reports/save", rf)
	must("report", code, body)
	// A draft with an image, written by the demo's 信息员.
	w := e.client()
	w.demoLogin("tangjing")
	_, nf := w.get("/info/new")
	om := regexp.MustCompile(`<select name="org" required><option value="(\d+)"`).FindStringSubmatch(nf)
	if om == nil {
		t.Fatal("fixture: no department on the draft form")
	}
	wtok := w.csrf()
	code, body, loc := w.post("/info", url.Values{"csrf": {wtok}, "title": {"探针稿件"}, "org": {om[1]}, "category": {"工作动态"}, "body": {"<p>正文。</p>"}, "then": {"save"}})
	must("draft", code, body)
	draft := draftLocRE.FindStringSubmatch(loc)[1]
	code, body, _ = w.postMultipart("/info/"+draft+"/img", url.Values{"csrf": {wtok}}, map[string][2]string{"image": {"现场.png", pngBytes(t)}})
	must("draft image", code, body)

	// An Excel import previewed and not yet confirmed, where the import
	// takes two steps (the preview is a batch the confirmation names).
	hasConfirm := false
	for _, rt := range routesOf(t, st) {
		hasConfirm = hasConfirm || rt.Pattern == "POST /ledger/import/{id}/confirm"
	}
	var batch string
	if hasConfirm {
		_, _, tmpl := v.getBytes("/ledger/template.xlsx")
		_, body, _ := v.postMultipart("/ledger/import", url.Values{"csrf": {tok}}, map[string][2]string{"file": {"台账.xlsx", string(fillTemplate(t, tmpl, 1, nil))}})
		m := regexp.MustCompile(`/ledger/import/(\d+)/confirm`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("fixture: import preview offers no confirmation: %s", pageMessage(body))
		}
		batch = m[1]
	}

	seedOpinionVictim(t, st, u)
	// 舆情 (opweb): a sample of items and an event, an incident with an
	// evidence file.
	opx, err := perf.OpinionSample(context.Background(), st, u, e.now)
	if err != nil {
		t.Fatal(err)
	}
	// An opinion file previewed and not yet confirmed (导入舆情信息).
	_, body, _ = v.postMultipart("/opinion/import", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(u)}},
		map[string][2]string{"file": {"舆情.jsonl", `{"id":"p1","title":"探针导入","text":"化工园区起火","published":"2023-07-04 09:00"}` + "\n"}})
	opBatch := regexp.MustCompile(`/opinion/import/(\d+)/confirm`).FindStringSubmatch(body)
	if opBatch == nil {
		t.Fatalf("fixture: opinion import preview offers no confirmation: %s", pageMessage(body))
	}
	zg := one(t, st, "SELECT id FROM users WHERE username = 'zhuangan'")[0]
	code, body, loc = v.post("/opinion/incidents", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(u)}, "title": {"探针舆情"}, "level": {"general"},
		"found_at": {"2023-07-05T08:00"}, "owner": {zg}})
	must("incident", code, body)
	incident := regexp.MustCompile(`/opinion/incidents/(\d+)`).FindStringSubmatch(loc)[1]
	code, body, _ = v.postMultipart("/opinion/incidents/"+incident+"/files", url.Values{"csrf": {tok}, "step": {"collect"}}, map[string][2]string{"files": {"截图说明.txt", "网帖截图说明。"}})
	must("incident evidence", code, body)
	code, body, _ = v.post("/opinion/alerts", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(u)}, "scheme": {fmt.Sprint(opx.SchemeID)}, "kind": {"2"}, "threshold": {"60"}})
	must("alert rule", code, body)
	// A meeting announced for tomorrow, with a photo (issue 22).
	staff := one(t, st, "SELECT id FROM users WHERE unit_id = $1 ORDER BY id LIMIT 1", u)[0]
	code, body, loc = v.post("/meetings", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(u)}, "type": {"central_group"}, "org_id": {fmt.Sprint(u)},
		"title": {"探针会议"}, "date": {e.now.AddDate(0, 0, 1).Format("2006-01-02")}, "start": {"09:00"}, "end": {"10:00"}, "attendees": {staff}})
	must("meeting", code, body)
	meetingID := regexp.MustCompile(`^/meetings/(\d+)`).FindStringSubmatch(loc)[1]
	code, body, _ = v.postMultipart("/meetings/"+meetingID+"/photos", url.Values{"csrf": {tok}}, map[string][2]string{"photo": {"会场.png", pngBytes(t)}})
	must("meeting photo", code, body)

	q := func(sql string) []string { return one(t, st, sql, u) }
	report := q("SELECT id FROM report_drafts WHERE unit_id = $1")[0]
	p.ids = map[string][]string{
		"/ledger/{id}":                     {act},
		"/ledger/{id}/files/{fid}":         one(t, st, "SELECT activity_id, id FROM attachments WHERE activity_id = $1", act),
		"/plan/{id}":                       q("SELECT id FROM plan_items WHERE unit_id = $1 ORDER BY id"),
		"/admin/org/{id}":                  q("SELECT id FROM orgs WHERE unit_id = $1 AND kind <> 'unit' ORDER BY id"),
		"/admin/users/{id}":                q("SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.unit_id = $1 ORDER BY u.id"),
		"/reports/{id}":                    {report},
		"/reports/{id}/{format}":           {report, "docx"},
		"/reports/figure/{key}":            {"central_group"},
		"/reports/fresh/{format}":          {"docx"},
		"/info/lexicon/{tid}":              q("SELECT id FROM info_terms WHERE unit_id = $1"),
		"/info/{id}":                       {draft},
		"/info/{id}/publications/{pid}":    q("SELECT draft_id, id FROM info_publications WHERE unit_id = $1 ORDER BY id"),
		"/info/{id}/img/{iid}":             q("SELECT draft_id, id FROM info_images WHERE unit_id = $1"),
		"/supervise/rect/{id}":             {rect},
		"/supervise/rect/{id}/files/{fid}": one(t, st, "SELECT rect_id, id FROM rectification_files WHERE rect_id = $1", rect),
		// Opinion pipeline (issue 17, oppipe).
		"/opinion/sources/{id}": q("SELECT id FROM opinion_sources WHERE unit_id = $1 AND kind = 'feed' ORDER BY id"),
		"/opinion/items/{id}":   q("SELECT id FROM opinion_items WHERE unit_id = $1 ORDER BY id"),
		"/opinion/schemes/{id}": q("SELECT id FROM opinion_schemes WHERE unit_id = $1 ORDER BY id"),
		// opweb
		"/opinion/events/{id}":                 {fmt.Sprint(opx.EventID)},
		"/opinion/events/{id}/report/{format}": {fmt.Sprint(opx.EventID), "docx"},
		"/opinion/reports/{format}":            {"docx"},
		"/opinion/alerts/{id}":                 one(t, st, "SELECT id FROM opinion_alert_rules WHERE unit_id = $1", u),
		"/opinion/incidents/{id}":              {incident},
		"/opinion/incidents/{id}/steps/{step}": {incident, "collect"},
		"/opinion/incidents/{id}/files/{fid}":  one(t, st, "SELECT incident_id, id FROM opinion_incident_files WHERE incident_id = $1", incident),
		"/meetings/{id}":                       {meetingID},
		"/meetings/{id}/photos/{pid}":          q("SELECT meeting_id, id FROM meeting_photos WHERE unit_id = $1"),
		"/m/meetings/{id}":                     {meetingID},
	}
	if batch != "" {
		p.ids["/ledger/import/{id}"] = []string{batch}
	}
	p.ids["/opinion/import/{id}"] = []string{opBatch[1]}
	// 阵地 (issue 18): the demo's channels, their 报备 events, its
	// inspection with an item and an evidence photo, the reports.
	p.ids["/channels/{id}"] = q("SELECT id FROM channels WHERE unit_id = $1 ORDER BY id")
	p.ids["/channels/events/{id}"] = q("SELECT id FROM channel_events WHERE unit_id = $1 ORDER BY id")
	p.ids["/findings/{id}"] = q("SELECT id FROM channel_findings WHERE unit_id = $1 ORDER BY id")
	insp := q("SELECT id FROM channel_inspections WHERE unit_id = $1 ORDER BY id")[0]
	code, body, _ = v.postMultipart("/inspections/"+insp+"/files", url.Values{"csrf": {tok}}, map[string][2]string{"files": {"宣传栏.png", pngBytes(t)}})
	must("inspection evidence", code, body)
	p.ids["/inspections/{id}"] = []string{insp}
	p.ids["/inspections/{id}/items/{iid}"] = one(t, st, "SELECT inspection_id, id FROM channel_inspection_items WHERE inspection_id = $1 ORDER BY id", insp)
	p.ids["/inspections/{id}/files/{fid}"] = one(t, st, "SELECT inspection_id, id FROM channel_inspection_files WHERE inspection_id = $1", insp)
	p.ids["/inspections/{id}/report/{format}"] = []string{insp, "docx"}
	// 考核问责 (issue 19): the demo's assessment, tree, list item, 述职 and case.
	for k, v := range map[string][]string{
		"/assess/a/{id}":                      q("SELECT id FROM assessments WHERE unit_id = $1"),
		"/assess/trees/{id}":                  one(t, st, "SELECT id FROM assess_trees ORDER BY id LIMIT 1"),
		"/assess/trees/{id}/indicators/{iid}": one(t, st, "SELECT tree_id, id FROM assess_indicators ORDER BY id LIMIT 1"),
		"/assess/duties/{id}":                 q("SELECT id FROM assess_duties WHERE unit_id = $1 ORDER BY id"),
		"/assess/debriefs/{id}":               q("SELECT id FROM assess_debriefs WHERE unit_id = $1 ORDER BY id"),
		"/assess/cases/{id}":                  q("SELECT id FROM assess_cases WHERE unit_id = $1 ORDER BY id"),
	} {
		p.ids[k] = v
	}
	// An evidence file on the demo's case (only its 第一责任人 uploads, so
	// straight through the store).
	caseID := p.ids["/assess/cases/{id}"][0]
	caseN, _ := strconv.ParseInt(caseID, 10, 64)
	if _, err := st.AddCaseFiles(context.Background(), store.System, caseN, []store.CaseUpload{{Name: "决定书.pdf", Mime: "application/pdf", Data: []byte(testPDF)}},
		func(int64) bool { return true }); err != nil {
		t.Fatal(err)
	}
	p.ids["/assess/cases/{id}/files/{fid}"] = one(t, st, "SELECT case_id, id FROM assess_case_files WHERE case_id = $1", caseID)
	p.query = map[string]string{
		"/opinion/reports/{format}": fmt.Sprintf("unit=%d&period=2023-07", u),
		"/reports/figure/{key}":     "id=" + report,
		"/reports/fresh/{format}":   fmt.Sprintf("kind=half-year&period=2023H1&unit=%d", u),
	}
	for _, name := range []string{"clerkb", "adminb"} {
		c := e.client()
		c.mustLogin(name)
		p.attackers[name] = c
	}
	return p
}

// TestProbes runs the probe suite on one fixture per database (loading
// the demo unit is most of a probe's cost): first the probes that must
// change nothing, then those that add records, the XSS crawler last as it
// rewrites every free-text field it can reach.
func TestProbes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProbe(t, st)
		parent := t
		for _, pr := range []struct {
			name string
			fn   func(*testing.T, *probe)
		}{
			{"NoStore", probeNoStore},
			{"CrossUnitIDs", probeCrossUnitIDs},
			{"CSRFEveryRoute", probeCSRFEveryRoute},
			{"OversizeUpload", probeOversizeUpload},
			{"XLSXBombs", probeXLSXBombs},
			{"UploadFileNames", probeUploadFileNames},
			{"SelfApproval", probeSelfApproval},
			{"StoredXSS", probeStoredXSS},
		} {
			t.Run(pr.name, func(t *testing.T) {
				p.e.t = t // the clients report to the running probe
				defer func() { p.e.t = parent }()
				pr.fn(t, p)
			})
		}
	})
}

// wildcardRE finds the {name} segments of a pattern.
var wildcardRE = regexp.MustCompile(`\{[^}]+\}`)

// path fills a route pattern's wildcards with the victim's ids; ok is
// false when the fixture does not know the pattern's kind of id.
func (p *probe) path(pattern string) (method, path, key string, ok bool) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	locs := wildcardRE.FindAllStringIndex(path, -1)
	if len(locs) == 0 {
		return method, path, "", true
	}
	key = path[:locs[len(locs)-1][1]]
	vals, ok := p.ids[key]
	if !ok || len(vals) < len(locs) {
		return method, path, key, false
	}
	i := 0
	path = wildcardRE.ReplaceAllStringFunc(path, func(string) string { i++; return vals[i-1] })
	if q := p.query[key]; q != "" {
		path += "?" + q
	}
	return method, path, key, true
}

// changes counts the audit entries and the rows of every content table,
// so a probe can show that a refused request changed nothing.
func (p *probe) changes(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range []string{"audit_log", "activities", "attendance", "attachments", "plan_items", "orgs", "users", "user_roles",
		"report_drafts", "report_versions", "report_wording", "supervise_rules", "notify_settings", "rectifications", "rectification_files",
		"info_drafts", "info_versions", "info_decisions", "info_publications", "info_images", "info_terms", "settings", "sessions",
		"channels", "channel_events", "channel_rules", "channel_findings", "channel_checklist", "channel_inspections", "channel_inspection_items",
		"channel_inspection_files", "channel_probe_days",
		"opinion_sources", "opinion_items", "opinion_schemes", "opinion_hits", "opinion_events", "opinion_seen", "import_batches", "opinion_day_counts", "opinion_scheme_days",
		"org_fenguan", "assess_duties", "assess_inclusions", "assess_trees", "assess_indicators", "assessments", "assess_items", "assess_debriefs",
		"assess_cases", "assess_case_persons", "assess_case_files", "assess_cadre_records",
		"opinion_incidents", "opinion_incident_steps", "opinion_incident_files", "opinion_event_items", "opinion_alert_rules",
		"meetings", "meeting_attendees", "meeting_settings", "sso_bindings"} {
		out[tb] = count(t, p.st, "SELECT count(*) FROM "+tb)
	}
	return out
}

func sameChanges(t *testing.T, what string, before, after map[string]int) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed %s: %d rows -> %d", what, k, v, after[k])
		}
	}
}

// attackForm is what a probe posts: every field a form of zhendi might
// read, with values that would pass if the record were the caller's.
func attackForm(tok string) url.Values {
	return url.Values{"csrf": {tok}, "title": {"乙局篡改"}, "name": {"乙局篡改"}, "date": {"2023-06-01"}, "type": {"central_group"},
		"action": {"approve"}, "step": {"verify"}, "v": {"1"}, "comment": {"同意"}, "note": {"同意"}, "body": {"<p>篡改</p>"},
		"kind": {"publish"}, "level": {"portal"}, "sort": {"1"}, "username": {"evil"}, "password": {"Evil-passw0rd!"}}
}

// probeCrossUnitIDs: every route that takes an id, with the ids of
// another unit's records, as that unit's clerk and its system
// administrator: GET and POST are answered 404 (or 403 where the role has
// no such page at all), show nothing of the victim, and change nothing.
func probeCrossUnitIDs(t *testing.T, p *probe) {
	st := p.st
	before := p.changes(t)
	probed := map[string]bool{}
	for _, rt := range routesOf(t, st) {
		if rt.Public || !strings.Contains(strings.TrimSuffix(rt.Pattern, "{$}"), "{") {
			continue
		}
		method, path, key, ok := p.path(rt.Pattern)
		if !ok {
			t.Errorf("route %s takes an id of a kind the probe has no victim for: add %q to victimIDs in newProbe", rt.Pattern, key)
			continue
		}
		probed[key] = true
		for name, c := range p.attackers {
			var code int
			var body string
			switch method {
			case http.MethodGet:
				code, body = c.get(path)
			default:
				form := attackForm(c.csrf())
				code, body, _ = c.post(path, form)
				if code == http.StatusNotFound || code == http.StatusForbidden {
					// The same as a multipart upload with a file.
					code, body, _ = c.postMultipart(path, form, map[string][2]string{"files": {"x.pdf", testPDF}, "image": {"x.png", pngBytes(t)}})
				}
			}
			if (code != http.StatusNotFound && code != http.StatusForbidden) || strings.Contains(body, victimName) {
				t.Errorf("%s %s as %s: %d (want 404 or 403, nothing of the victim shown): %s", method, path, name, code, pageMessage(body))
			}
		}
	}
	for key := range p.ids {
		if !probed[key] {
			t.Errorf("victim ids for %s but no route takes them (stale entry)", key)
		}
	}
	sameChanges(t, "cross-unit requests", before, p.changes(t))
}

// probeCSRFEveryRoute: every state-changing route, posted by the
// victim on its own records, is refused with 403 without a token, with a
// forged one, and with the right token in the query string only; nothing
// changes.
func probeCSRFEveryRoute(t *testing.T, p *probe) {
	st := p.st
	tok := p.victim.csrf()
	before := p.changes(t)
	n := 0
	for _, rt := range routesOf(t, st) {
		method, path, key, ok := p.path(rt.Pattern)
		if method == http.MethodGet || method == http.MethodHead {
			continue
		}
		if !ok {
			t.Errorf("route %s: no victim for %s", rt.Pattern, key)
			continue
		}
		if rt.TokenAPI {
			// Authenticated by its bearer token instead: a browser's
			// session cookie and CSRF token give it nothing.
			code, body, _ := p.victim.post(path, attackForm(tok))
			if code != http.StatusUnauthorized || !strings.Contains(body, "令牌") {
				t.Errorf("%s %s with a session but no bearer token: %d, want 401", method, path, code)
			}
			continue
		}
		n++
		c := p.victim
		if rt.Public {
			c = p.e.client() // the login form, with no pre-session cookie
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		noTok := attackForm("")
		noTok.Del("csrf")
		forged := attackForm("forged-" + tok[:8])
		for what, try := range map[string]func() (int, string){
			"no token":     func() (int, string) { code, body, _ := c.post(path, noTok); return code, body },
			"forged token": func() (int, string) { code, body, _ := c.post(path, forged); return code, body },
			"token in URL": func() (int, string) { code, body, _ := c.post(path+sep+"csrf="+tok, noTok); return code, body },
			"multipart, no token": func() (int, string) {
				code, body, _ := c.postMultipart(path, noTok, map[string][2]string{"files": {"x.pdf", testPDF}})
				return code, body
			},
		} {
			code, body := try()
			if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("%s %s with %s: %d, want 403 CSRF", method, path, what, code)
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d state-changing routes probed", n)
	}
	sameChanges(t, "requests without a valid token", before, p.changes(t))
	// The probe can fail: the same form with the token in the body is accepted.
	if code, _, _ := p.victim.post("/plan", url.Values{"csrf": {tok}, "year": {"2023"}, "month": {"9"}, "topic": {"探针计划项"}, "form": {"集中学习"}}); code != http.StatusSeeOther && code != http.StatusUnprocessableEntity {
		t.Fatalf("a request with its token was refused: %d", code)
	}
	_ = strconv.Itoa
}
