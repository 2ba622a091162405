package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

var incidentLocRE = regexp.MustCompile(`/opinion/incidents/(\d+)`)

// TestIncidentWorkflow drives 舆情处置 through the real router: the form
// with its basis cited, 422 beside the fields, the steps in order, the
// response text screened before 回应 may be done, the 5-hour and 24-hour
// limits of a 重大 incident, a step owner from outside the unit's writers,
// and another unit's clerk refused with 404.
func TestIncidentWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // 2023-07-05 10:00
		f := seedTwoUnits(t, st)
		a := e.client()
		a.mustLogin("clerka")
		tok := a.csrf()

		code, body := a.get(fmt.Sprintf("/opinion/incidents/new?unit=%d", f.unitA.ID))
		if code != http.StatusOK || !strings.Contains(body, "国办发〔2016〕61号") || !strings.Contains(body, "5小时内发布权威信息") {
			t.Fatalf("new incident form: %d %s", code, pageMessage(body))
		}
		form := url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.unitA.ID)}, "title": {""}, "level": {"major"}, "found_at": {"2023-07-05T09:00"},
			"owner": {fmt.Sprint(f.clerkA.ID)}, "summary": {"化工园区起火的网帖。"}}
		code, body, _ = a.post("/opinion/incidents", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "舆情标题：不能为空") || !strings.Contains(body, `name="found_at" value="2023-07-05T09:00"`) {
			t.Fatalf("empty title: %d %s", code, pageMessage(body))
		}
		form.Set("title", "化工园区起火")
		form.Set("found_at", "2023-07-05T11:00")
		if code, body, _ = a.post("/opinion/incidents", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "发现时间：不能晚于当前时间") {
			t.Fatalf("future time: %d %s", code, pageMessage(body))
		}
		form.Set("found_at", "2023-07-05T09:00")
		code, body, loc := a.post("/opinion/incidents", form)
		if code != http.StatusSeeOther {
			t.Fatalf("start: %d %s", code, pageMessage(body))
		}
		id := incidentLocRE.FindStringSubmatch(loc)[1]
		page := "/opinion/incidents/" + id
		_, body = a.get(page)
		for _, want := range []string{"发布权威信息", "2023年7月5日 14:00", "剩余 4小时", "举行新闻发布会", "2023年7月6日 09:00", "剩余 23小时", "国办发〔2016〕80号"} {
			if !strings.Contains(body, want) {
				t.Errorf("incident page lacks %q", want)
			}
		}

		// Past the 5-hour limit the 督导 dashboard shows it overdue.
		e.now = e.now.Add(4*time.Hour + time.Minute)
		a = e.client() // the session has timed out meanwhile
		a.mustLogin("clerka")
		tok = a.csrf()
		if _, body = a.get(fmt.Sprintf("/supervise?unit=%d&year=2023", f.unitA.ID)); !strings.Contains(body, "舆情处置逾期 1 件") || !strings.Contains(body, "发布权威信息已逾期 1分钟") {
			t.Errorf("the 督导 dashboard does not show the overdue incident: %s", pageMessage(body))
		}

		step := func(key string, v url.Values) (int, string) {
			t.Helper()
			v.Set("csrf", tok)
			code, body, _ := a.post(page+"/steps/"+key, v)
			return code, body
		}
		if code, body = step("consult", url.Values{"action": {"done"}, "note": {"会商"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "前一环节尚未完成") {
			t.Fatalf("consult before collect: %d %s", code, pageMessage(body))
		}
		for _, k := range []string{"collect", "consult", "judge"} {
			if code, body = step(k, url.Values{"action": {"done"}, "note": {k + "办理情况"}, "done_at": {"2023-07-05T09:30"}}); code != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", k, code, pageMessage(body))
			}
		}
		// A response with a blocking term is saved but cannot complete 回应.
		bad := url.Values{"action": {"done"}, "text": {"网传屌丝言论不实，我局已核查。"}, "authority_at": {"2023-07-05T09:40"}}
		if code, body = step("respond", bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, "回应口径：发布前审查发现须修改的表述：“屌丝”") {
			t.Fatalf("blocked response: %d %s", code, pageMessage(body))
		}
		if n := count(t, st, "SELECT count(*) FROM opinion_incident_steps WHERE step = 'respond' AND done_at <> 0"); n != 0 {
			t.Fatalf("blocked response completed the step")
		}
		if code, _ = step("respond", url.Values{"action": {"save"}, "text": bad["text"]}); code != http.StatusSeeOther {
			t.Fatalf("save response: %d", code)
		}
		if _, body = a.get(page); !strings.Contains(body, "1 处须修改") {
			t.Errorf("the page does not show the screening of the saved response: %s", pageMessage(body))
		}
		good := url.Values{"action": {"done"}, "text": {"网传信息不实，我局已核查并发布通报。"}}
		if code, body = step("respond", good); code != http.StatusUnprocessableEntity || !strings.Contains(body, "权威信息发布时间：特别重大/重大舆情完成回应前须填写") {
			t.Fatalf("major response without authority time: %d %s", code, pageMessage(body))
		}
		good.Set("authority_at", "2023-07-05T09:40")
		good.Set("done_at", "2023-07-05T09:45")
		if code, body = step("respond", good); code != http.StatusSeeOther {
			t.Fatalf("respond: %d %s", code, pageMessage(body))
		}
		_, body = a.get(page)
		if !strings.Contains(body, "按时完成") || !strings.Contains(body, "发布前审查：未发现问题") {
			t.Errorf("after the response the page should show the 5-hour limit met and a clean screening: %s", pageMessage(body))
		}

		// The 评估 step goes to a member, who may then see and do it.
		if code, body = step("assess", url.Values{"action": {"save"}, "owner": {fmt.Sprint(f.memberA.ID)}}); code != http.StatusSeeOther {
			t.Fatalf("assign assess: %d %s", code, pageMessage(body))
		}
		m := e.client()
		m.mustLogin("membera")
		if code, _ := m.get(page); code != http.StatusOK {
			t.Fatalf("the 评估 owner cannot open the incident: %d", code)
		}
		mtok := m.csrf()
		if code, _, _ := m.post(page+"/steps/respond", url.Values{"csrf": {mtok}, "action": {"save"}, "text": {"改"}}); code != http.StatusNotFound {
			t.Errorf("the 评估 owner changed the 回应 step: %d", code)
		}
		if code, body, _ := m.post(page+"/steps/assess", url.Values{"csrf": {mtok}, "action": {"done"}, "note": {"舆情平息"}}); code != http.StatusSeeOther {
			t.Fatalf("assess by its owner: %d %s", code, pageMessage(body))
		}
		if _, body = a.get(page); !strings.Contains(body, "已办结") {
			t.Errorf("incident not closed after 评估")
		}
		if code, body = step("assess", url.Values{"action": {"save"}, "note": {"再改"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "已办结") {
			t.Errorf("closed incident changed: %d %s", code, pageMessage(body))
		}

		// Another unit's clerk sees nothing of it.
		b := e.client()
		b.mustLogin("clerkb")
		if code, body := b.get(page); code != http.StatusNotFound || strings.Contains(body, "化工园区") {
			t.Errorf("another unit's clerk opened the incident: %d", code)
		}
		if code, body := b.get("/opinion/incidents"); code != http.StatusOK || strings.Contains(body, "化工园区") {
			t.Errorf("another unit's list shows the incident: %d", code)
		}
		if code, _, _ := b.post(page+"/steps/collect", url.Values{"csrf": {b.csrf()}, "action": {"save"}, "note": {"x"}}); code != http.StatusNotFound {
			t.Errorf("another unit's clerk changed a step: %d", code)
		}
		if _, body = a.get("/opinion/incidents"); !strings.Contains(body, "化工园区起火") {
			t.Errorf("the list lacks the incident")
		}
	})
}
