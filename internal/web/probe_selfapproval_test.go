package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/store"
)

// probeSelfApproval: in every workflow with a second pair of eyes —
// report approval, the 三审 of information drafts, the verification of a
// rectification — the person whose work it is cannot pass it: the request
// is refused and no decision is recorded. Each refused case is followed by
// the same step by someone else succeeding, so the probe can fail.
func probeSelfApproval(t *testing.T, p *probe) {
	st := p.st
	e := p.e
	u := p.unit

	// Report: the 第一责任人 saves a version himself and may not approve it.
	leader := e.client()
	leader.demoLogin("wangjianguo")
	_, page := leader.get(fmt.Sprintf("/reports/new?kind=annual&period=2023&unit=%d", u))
	rf := editForm(t, page)
	rf.Set("csrf", leader.csrf())
	rf.Set("action", "save")
	code, body, loc := leader.post("/reports/save", rf)
	m := locIDRE.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("leader saves a report: %d %s", code, pageMessage(body))
	}
	approvals := func() int { return count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'report.approve'") }
	before := approvals()
	code, body, _ = leader.post("/reports/"+m[1]+"/approve", url.Values{"csrf": {leader.csrf()}, "v": {"1"}})
	if code == http.StatusSeeOther || approvals() != before {
		t.Errorf("the author approved his own report version: %d %s", code, pageMessage(body))
	}
	if _, page := leader.get("/reports/" + m[1]); strings.Contains(page, "本版已由") {
		t.Error("the report shows an approval by its author")
	}
	// The 直接责任人 may approve it (the probe can fail).
	direct := e.client()
	direct.demoLogin(directResp(t, st, u))
	if code, body, _ := direct.post("/reports/"+m[1]+"/approve", url.Values{"csrf": {direct.csrf()}, "v": {"1"}}); code != http.StatusSeeOther {
		t.Errorf("another leader approves: %d %s", code, pageMessage(body))
	}

	// Information: the 意识形态专干 (a 初审 reviewer) writes and submits a
	// draft and may not review it at any level.
	clerk := p.victim
	_, nf := clerk.get("/info/new")
	om := regexp.MustCompile(`<select name="org" required><option value="(\d+)"`).FindStringSubmatch(nf)
	if om == nil {
		t.Fatal("no department on the clerk's draft form")
	}
	tok := clerk.csrf()
	code, body, loc = clerk.post("/info", url.Values{"csrf": {tok}, "title": {"专干自写稿件"}, "org": {om[1]}, "category": {"工作动态"},
		"body": {"<p>本局召开理论学习中心组学习会。</p>"}, "then": {"save"}})
	dm := draftLocRE.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || dm == nil {
		t.Fatalf("clerk writes a draft: %d %s", code, pageMessage(body))
	}
	if code, body, _ := clerk.post("/info/"+dm[1]+"/submit", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", code, pageMessage(body))
	}
	decisions := func() int { return count(t, st, "SELECT count(*) FROM info_decisions WHERE draft_id = "+dm[1]) }
	before = decisions()
	for _, action := range []string{"approve", "override", "proof"} {
		code, body, _ := clerk.post("/info/"+dm[1]+"/review", url.Values{"csrf": {tok}, "action": {action}, "comment": {"本人审核"}})
		if code == http.StatusSeeOther || decisions() != before {
			t.Errorf("the author's %s of her own draft was accepted: %d %s", action, code, pageMessage(body))
		}
	}

	// Rectification: the person responsible may not verify the item.
	code, body, loc = clerk.post("/supervise/rect", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(u)}, "title": {"探针整改事项"},
		"source": {"inspection"}, "owner": {fmt.Sprint(clerkID(t, st))}, "deadline": {"2023-07-31"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create rectification: %d %s", code, pageMessage(body))
	}
	path := strings.SplitN(loc, "?", 2)[0]
	if code, _, _ := clerk.postMultipart(path+"/files", url.Values{"csrf": {tok}}, map[string][2]string{"files": {"整改说明.txt", "已整改。"}}); code != http.StatusSeeOther {
		t.Fatalf("evidence: %d", code)
	}
	if code, body, _ := clerk.post(path+"/step", url.Values{"csrf": {tok}, "step": {"submit"}}); code != http.StatusSeeOther {
		t.Fatalf("submit rectification: %d %s", code, pageMessage(body))
	}
	code, body, _ = clerk.post(path+"/step", url.Values{"csrf": {tok}, "step": {"verify"}, "note": {"本人验收"}})
	if code == http.StatusSeeOther || !strings.Contains(body, "不能验收该事项") {
		t.Errorf("the owner verified her own rectification: %d %s", code, pageMessage(body))
	}
	rectID := strings.TrimPrefix(path, "/supervise/rect/")
	if s := one(t, st, "SELECT status FROM rectifications WHERE id = "+rectID)[0]; s != "review" {
		t.Errorf("after the owner's own verification the item is %q, want still review", s)
	}
	if code, body, _ := leader.post(path+"/step", url.Values{"csrf": {leader.csrf()}, "step": {"verify"}, "note": {"已核实"}}); code != http.StatusSeeOther {
		t.Errorf("someone else verifies: %d %s", code, pageMessage(body))
	}
	if s := one(t, st, "SELECT status FROM rectifications WHERE id = "+rectID)[0]; s != "closed" {
		t.Errorf("after another's verification the item is %q, want closed", s)
	}
}

// clerkID is the demo 意识形态专干's user id.
func clerkID(t *testing.T, st *store.Store) string {
	return one(t, st, "SELECT id FROM users WHERE username = 'zhuangan'")[0]
}

// directResp is the username of a 直接责任人 of the unit.
func directResp(t *testing.T, st *store.Store, unit int64) string {
	return one(t, st, `SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id JOIN orgs o ON o.id = r.org_id
		WHERE r.role = 'direct_resp' AND o.unit_id = $1 ORDER BY u.id`, unit)[0]
}
