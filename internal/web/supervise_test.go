package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/supervise"
)

// district is a district with two units, a clerk and a member in the first,
// a clerk in the second and a district supervisor.
type district struct {
	d, a, b                 org.Node
	clerkA, clerkB, memberA org.User
	supervisor              org.User
	scA                     access.Scope
}

func seedDistrict(t *testing.T, st *store.Store) district {
	t.Helper()
	ctx := context.Background()
	var f district
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.d = org.Node{Kind: org.District, Name: "示范区"}
	must(st.CreateNode(ctx, store.System, &f.d))
	f.a = org.Node{Kind: org.Unit, Name: "甲局", ParentID: f.d.ID}
	must(st.CreateNode(ctx, store.System, &f.a))
	f.b = org.Node{Kind: org.Unit, Name: "乙局", ParentID: f.d.ID}
	must(st.CreateNode(ctx, store.System, &f.b))
	f.clerkA = org.User{OrgID: f.a.ID, Username: "clerka", Name: "张专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.a.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.clerkA, pw))
	f.memberA = org.User{OrgID: f.a.ID, Username: "membera", Name: "王党员", Grants: []access.Grant{{Role: access.Member, OrgID: f.a.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.memberA, pw))
	f.clerkB = org.User{OrgID: f.b.ID, Username: "clerkb", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.b.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.clerkB, pw))
	f.supervisor = org.User{OrgID: f.d.ID, Username: "ducha", Name: "黄督查", Grants: []access.Grant{{Role: access.Supervisor, OrgID: f.d.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &f.supervisor, pw))
	f.scA = access.Scope{UserID: f.clerkA.ID, HomeUnit: f.a.ID, ReadUnits: []int64{f.a.ID}, WriteUnits: []int64{f.a.ID}, OwnRecords: true}
	return f
}

func record(t *testing.T, st *store.Store, f district, typ, title, date string) ledger.Activity {
	t.Helper()
	a := ledger.Activity{UnitID: f.a.ID, OrgID: f.a.ID, Type: typ, Title: title, Date: date, LeadName: "张专干", Agenda: "研究意识形态工作", LateReason: "测试数据补录"}
	if err := svcOf(st).CreateActivity(context.Background(), store.Actor{UserID: f.clerkA.ID, Name: f.clerkA.Name}, f.scA, &a, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSuperviseDashboardScope: the dashboard counts the ledger live and
// links to the records; a unit's clerk sees only their unit, the district
// supervisor sees both.
func TestSuperviseDashboardScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // 2023-07-05
		f := seedDistrict(t, st)
		ca := e.client()
		ca.mustLogin("clerka")
		_, body := ca.get("/supervise?year=2023")
		if !strings.Contains(body, "专题研究意识形态工作") || !strings.Contains(body, `<span class="sum">0/2</span>`) {
			t.Fatalf("dashboard before recording: %.2000s", body)
		}
		record(t, st, f, ledger.TopicStudy, "专题研究上半年意识形态工作", "2023-07-04")
		_, body = ca.get("/supervise?year=2023")
		if !strings.Contains(body, `<span class="sum">1/2</span>`) {
			t.Fatalf("dashboard not updated after a ledger change")
		}
		link := ledger.Filter{UnitID: f.a.ID, From: "2023-01-01", To: "2023-12-31", Types: []string{ledger.TopicStudy}}.URL()
		if !strings.Contains(body, `href="`+html.EscapeString(link)+`"`) {
			t.Fatalf("no drill-down link %s", link)
		}
		// The linked ledger page lists exactly the entry counted.
		_, list := ca.get(link)
		if !strings.Contains(list, "专题研究上半年意识形态工作") || !strings.Contains(list, "共 1 条") {
			t.Fatalf("drill-down list does not show the counted entry")
		}
		// Another unit's id is ignored for a unit clerk; the roll-up shows only their unit.
		_, body = ca.get(fmt.Sprintf("/supervise?unit=%d&year=2023", f.b.ID))
		if strings.Contains(body, "乙局") || !strings.Contains(body, "甲局") {
			t.Fatal("clerk of 甲局 sees 乙局's obligations")
		}
		_, body = ca.get("/supervise/district?year=2023")
		if strings.Contains(body, "乙局") {
			t.Fatal("clerk of 甲局 sees 乙局 in the roll-up")
		}
		if _, body := ca.get(fmt.Sprintf("/supervise/channels?unit=%d", f.b.ID)); strings.Contains(body, fmt.Sprintf(`name="unit" value="%d"`, f.b.ID)) ||
			strings.Contains(body, "李专干") {
			t.Fatalf("clerk of 甲局 could open 乙局's channels")
		}

		_, circ := ca.get(fmt.Sprintf("/supervise/circular?unit=%d&year=2023", f.a.ID))
		docxLink := fmt.Sprintf(`href="/supervise/circular.docx?unit=%d&amp;year=2023"`, f.a.ID)
		if !strings.Contains(circ, "关于甲局2023年度意识形态工作责任制落实情况的通报") || !strings.Contains(circ, "科室（支部）") || strings.Contains(circ, "局机关") || !strings.Contains(circ, docxLink) {
			t.Fatalf("unit circular: %.3000s", circ)
		}
		sv := e.client()
		sv.mustLogin("ducha")
		_, body = sv.get("/supervise/district?year=2023")
		if !strings.Contains(body, "甲局") || !strings.Contains(body, "乙局") {
			t.Fatal("district supervisor does not see both units")
		}
		_, body = sv.get(fmt.Sprintf("/supervise?unit=%d&year=2023", f.b.ID))
		if !strings.Contains(body, "乙局 2023年意识形态工作责任制落实情况") {
			t.Fatal("supervisor cannot open 乙局's dashboard")
		}
		code, circ := sv.get("/supervise/circular?year=2023")
		if code != 200 || !strings.Contains(circ, "关于2023年度意识形态工作责任制落实情况的通报") || !strings.Contains(circ, "乙局") {
			t.Fatalf("circular: %d", code)
		}
		resp, err := sv.hc.Get(e.srv.URL + "/supervise/circular.docx?year=2023")
		if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("circular docx: %v %v", err, resp)
		}
		resp.Body.Close()
		resp, err = sv.hc.Get(e.srv.URL + "/supervise/district.xlsx?year=2023")
		if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("roll-up xlsx: %v %v", err, resp)
		}
		resp.Body.Close()
	})
}

// TestLateRecordFlagged: an entry recorded 34 days after it happened is
// flagged; one recorded the same day is not.
func TestLateRecordFlagged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // 2023-07-05
		f := seedDistrict(t, st)
		record(t, st, f, ledger.CentralGroup, "六月集中学习(补记)", "2023-06-01")
		record(t, st, f, ledger.CentralGroup, "七月集中学习(当天登记)", "2023-07-05")
		c := e.client()
		c.mustLogin("clerka")
		_, body := c.get("/supervise/late?period=2023")
		m := regexp.MustCompile(`(?s)<h2>补记记录.*</section>`).FindString(body)
		if !strings.Contains(m, "六月集中学习(补记)") || !strings.Contains(m, "补记 34 天") {
			t.Fatalf("late entry not flagged: %.3000s", m)
		}
		if strings.Contains(m, "七月集中学习(当天登记)") {
			t.Fatal("entry recorded the same day flagged as late")
		}
		if !strings.Contains(body, "补记率 50.0%") {
			t.Fatal("late share missing")
		}
	})
}

// TestRectificationNotVerifiedByOwner walks an item through the flow: the
// owner cannot verify their own item, someone else can; another unit gets 404.
func TestRectificationNotVerifiedByOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedDistrict(t, st)
		ca := e.client()
		ca.mustLogin("clerka")
		tok := ca.csrf()
		code, body, _ := ca.post("/supervise/rect", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.a.ID)}, "title": {""}, "source": {"inspection"},
			"owner": {fmt.Sprint(f.memberA.ID)}, "deadline": {"2023-07-31"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "问题描述：不能为空") {
			t.Fatalf("empty problem accepted: %d", code)
		}
		code, _, loc := ca.post("/supervise/rect", url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.a.ID)}, "title": {"门户网站栏目两周未更新"},
			"source": {"inspection"}, "owner": {fmt.Sprint(f.memberA.ID)}, "deadline": {"2023-07-31"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		path := strings.SplitN(loc, "?", 2)[0]
		m := e.client()
		m.mustLogin("membera")
		mt := m.csrf()
		if code, body, _ := m.post(path+"/step", url.Values{"csrf": {mt}, "step": {"submit"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "佐证材料") {
			t.Fatalf("submit without evidence: %d", code)
		}
		if code, _, _ := m.postMultipart(path+"/files", url.Values{"csrf": {mt}}, map[string][2]string{"files": {"整改说明.txt", "栏目已更新, 建立周更新制度。"}}); code != http.StatusSeeOther {
			t.Fatalf("upload evidence: %d", code)
		}
		if code, _, _ := m.post(path+"/step", url.Values{"csrf": {mt}, "step": {"submit"}}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d", code)
		}
		code, body, _ = m.post(path+"/step", url.Values{"csrf": {mt}, "step": {"verify"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不能验收该事项") {
			t.Fatalf("owner verified own item: %d", code)
		}
		cb := e.client()
		cb.mustLogin("clerkb")
		if code, _ := cb.get(path); code != http.StatusNotFound {
			t.Fatalf("other unit reads the item: %d", code)
		}
		if code, _, _ := cb.post(path+"/step", url.Values{"csrf": {cb.csrf()}, "step": {"verify"}}); code != http.StatusNotFound {
			t.Fatalf("other unit verifies the item: %d", code)
		}
		if code, _, _ := ca.post(path+"/step", url.Values{"csrf": {tok}, "step": {"verify"}, "note": {"已核实"}}); code != http.StatusSeeOther {
			t.Fatalf("clerk verify: %d", code)
		}
		_, body = ca.get(path)
		if !strings.Contains(body, "已销号") || !strings.Contains(body, "张专干 于") || !strings.Contains(body, "整改说明.txt") {
			t.Fatalf("closed item page: %.2000s", body)
		}
		resp, err := ca.hc.Get(e.srv.URL + "/supervise/rect.xlsx")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("export: %v", err)
		}
		resp.Body.Close()
	})
}

// TestRuleEditKeepsHistory: raising a requirement applies from today; the
// old version stays in the history.
func TestRuleEditKeepsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedDistrict(t, st)
		c := e.client()
		c.mustLogin("clerka")
		tok := c.csrf()
		form := url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.a.ID)}, "key": {"topic_study"}, "name": {"专题研究意识形态工作"}, "subject": {"unit"},
			"type": {ledger.TopicStudy}, "count": {"3"}, "period": {"year"}, "grace_days": {"15"}, "remind_days": {"30"}}
		if code, _, _ := c.post("/supervise/rules", form); code != http.StatusSeeOther {
			t.Fatalf("save rule: %d", code)
		}
		_, body := c.get("/supervise/rules")
		if !strings.Contains(body, "本单位每年专题研究意识形态工作不少于3次") || !strings.Contains(body, "预置 至 2023年7月4日") {
			t.Fatalf("rules page after change: %.3000s", body)
		}
		form.Set("count", "0")
		if code, body, _ := c.post("/supervise/rules", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "次数：应为 1 到 366") {
			t.Fatalf("invalid count: %d", code)
		}
		cb := e.client()
		cb.mustLogin("clerkb")
		form.Set("csrf", cb.csrf())
		form.Set("count", "1")
		if code, _, _ := cb.post("/supervise/rules", form); code != http.StatusNotFound {
			t.Fatalf("clerk of 乙局 changed 甲局's rule: %d", code)
		}
	})
}

// TestSuperviseFormsUnreadable: a supervision form that cannot be parsed is
// answered 400 by every supervision action, and nothing is changed.
func TestSuperviseFormsUnreadable(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	f := seedDistrict(t, st)
	it := supervise.Rect{UnitID: f.a.ID, Title: "栏目两周未更新", Source: "inspection", OwnerID: f.memberA.ID, Deadline: "2023-07-31"}
	if err := st.CreateRect(context.Background(), store.Actor{UserID: f.clerkA.ID}, f.scA, &it); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.mustLogin("clerka")
	paths := []string{"/supervise/rules", "/supervise/rules/retire", "/supervise/channels", "/supervise/rect",
		fmt.Sprintf("/supervise/rect/%d", it.ID), fmt.Sprintf("/supervise/rect/%d/step", it.ID)}
	for _, path := range paths {
		if !c.postBroken(path, fmt.Sprintf("unit=%d&step=start&v=%%zz", f.a.ID)) {
			t.Errorf("POST %s with a broken form was not refused with 400", path)
		}
	}
	var n int
	st.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'rule.%' OR action LIKE 'notify.%'
		OR (action LIKE 'rect.%' AND action <> 'rect.create')`).Scan(&n)
	if n != 0 {
		t.Errorf("%d supervision audit entries after refused forms", n)
	}
}
