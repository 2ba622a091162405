package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/chartimg"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestAssessPages drives module 8 through the real router on the demo: the
// unit's assessment with the records behind its automatic scores, the
// district's review (a changed score needs its reason, shown beside the
// form with 422), the unit unable to review itself, the ranking with its
// chart, the 通报 in Word and the workbook read back, the responsibility
// list, and who sees accountability cases.
func TestAssessPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		seedTwoUnits(t, st)
		u := info.UnitID
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		code, body := clerk.get("/assess")
		if code != http.StatusOK || !strings.Contains(body, "2023年度意识形态工作考核") || !strings.Contains(body, "已提交待审核") {
			t.Fatalf("unit page: %d %s", code, pageMessage(body))
		}
		// The rule for units without records is on the page; 舆情, with no
		// incident in the year, shows 不适用 and why, and the base says it
		// was scaled; 阵地 is measured from the channel registry.
		for _, want := range []string{"每半年至少专题研究一次意识形态工作", `href="/ledger/`, "自动计分", "区委宣〔", "问责决定",
			`id="scoring-rule"`, "应当履行的义务没有记录的，按未完成计分", "<strong class=\"nowrap\">不适用</strong><br><small class=\"muted\">全年没有舆情处置事件</small>",
			"适用指标得", "登记阵地13个，检查1次；单项否决问题1个，检查发现未整改1个", "视频号：更新超期（单项否决指标，未整改）", `href="/inspections/`} {
			if want == "区委宣〔" {
				want = "农党组〔2023〕18号"
			}
			if !strings.Contains(body, want) {
				t.Errorf("unit page lacks %q", want)
			}
		}
		asID := one(t, st, "SELECT id FROM assessments WHERE unit_id = $1", u)[0]
		ind := one(t, st, "SELECT id, points FROM assess_indicators WHERE name = '每半年向上级党委报告意识形态工作'")
		// The unit may not change its submitted self-assessment, nor review itself.
		code, body, _ = clerk.post("/assess/a/"+asID+"/item", url.Values{"csrf": {clerk.csrf()}, "indicator": {ind[0]}, "score": {"5"}, "evidence": {"x"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "已提交待审核”时不能自评") {
			t.Errorf("clerk edits a submitted item: %d %s", code, pageMessage(body))
		}
		// The district reviews: a changed score without a reason is refused beside the form.
		dist := e.client()
		dist.demoLogin("ducha")
		code, body, _ = dist.post("/assess/a/"+asID+"/item", url.Values{"csrf": {dist.csrf()}, "indicator": {ind[0]}, "score": {"3"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "调整理由：调整得分须写明理由") || !strings.Contains(body, `name="reason"`) {
			t.Errorf("review without reason: %d %s", code, pageMessage(body))
		}
		code, body, _ = dist.post("/assess/a/"+asID+"/item", url.Values{"csrf": {dist.csrf()}, "indicator": {ind[0]}, "score": {"十"}, "reason": {"x"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "得分：须为数字") {
			t.Errorf("score not a number: %d %s", code, pageMessage(body))
		}
		code, _, _ = dist.post("/assess/a/"+asID+"/item", url.Values{"csrf": {dist.csrf()}, "indicator": {ind[0]}, "score": {"3"}, "reason": {"下半年报告晚报"}})
		if code != http.StatusSeeOther {
			t.Fatalf("review: %d", code)
		}
		_, body = dist.get(fmt.Sprintf("/assess?unit=%d", u))
		if !strings.Contains(body, "区级审核：3分；理由：下半年报告晚报") {
			t.Errorf("review not shown on the unit page")
		}
		code, body = dist.get("/assess/ranking")
		if code != http.StatusOK || !strings.Contains(body, "data-chart") || !strings.Contains(body, "示范区农业农村局") || !strings.Contains(body, "分项对比") {
			t.Fatalf("ranking: %d %s", code, pageMessage(body))
		}
		_, h, doc := dist.getBytes("/assess/ranking.docx")
		if !strings.Contains(h.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx content type %q", h.Get("Content-Type"))
		}
		text := docxText(t, doc)
		for _, want := range []string{"关于2023年度意识形态工作责任制考核结果的通报", "示范区农业农村局", "附表：各单位考核得分", "中共示范区委宣传部"} {
			if !strings.Contains(text, want) {
				t.Errorf("通报 lacks %q:\n%.600s", want, text)
			}
		}
		if _, err := chartimg.Open(""); err == nil && !bytes.Contains(doc, []byte("word/media/image1.png")) {
			t.Error("通报 has no ranking chart although a CJK font is installed")
		}
		_, _, xl := dist.getBytes("/assess/ranking.xlsx")
		rows := readXLSXRows(t, xl)
		if len(rows) < 3 || rows[1][0] != "名次" || rows[2][1] != "示范区农业农村局" {
			t.Fatalf("ranking sheet %v", rows)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xl))
		if err != nil {
			t.Fatal(err)
		}
		basis, _ := f.GetRows("计分依据")
		found := false
		for _, r := range basis {
			if len(r) > 5 && strings.Contains(r[5], "台账#") {
				found = true
			}
		}
		if !found {
			t.Error("计分依据 sheet names no ledger record ids")
		}
		f.Close()
		// A unit does not see the ranking before the district publishes it.
		_, body = clerk.get("/assess/ranking")
		if strings.Contains(body, `id="assess-ranking"`) && strings.Contains(body, "<td class=\"num\">1</td>") {
			t.Error("unit sees an unpublished ranking")
		}
		if code, _ := clerk.get("/assess/ranking.docx"); code != http.StatusNotFound {
			t.Errorf("unit downloads the district 通报: %d", code)
		}

		// 责任清单: generated from roles and 分管; a missing field is refused beside the form.
		_, body = clerk.get("/assess/duties")
		for _, want := range []string{"第一责任人", "王建国", "一岗双责", "产业发展科", "每半年至少专题研究一次意识形态工作"} {
			if !strings.Contains(body, want) {
				t.Errorf("duties page lacks %q", want)
			}
		}
		code, body, _ = clerk.post("/assess/duties", url.Values{"csrf": {clerk.csrf()}, "unit": {fmt.Sprint(u)}, "role": {"member"}, "person": {"0"}, "freq": {"每年"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "责任内容：不能为空") {
			t.Errorf("empty duty: %d %s", code, pageMessage(body))
		}
		_, _, dx := clerk.getBytes(fmt.Sprintf("/assess/duties.xlsx?unit=%d", u))
		if rows := readXLSXRows(t, dx); len(rows) < 10 || rows[0][0] != "意识形态工作责任清单" {
			t.Errorf("duties workbook %d rows", len(rows))
		}

		// Cases: the 第一责任人 and the district see them; a clerk, a member and another unit do not.
		caseID := one(t, st, "SELECT id FROM assess_cases WHERE unit_id = $1", u)[0]
		for _, who := range []string{"wangjianguo", "ducha"} {
			c := e.client()
			c.demoLogin(who)
			code, body := c.get("/assess/cases/" + caseID)
			if code != http.StatusOK || !strings.Contains(body, "批评教育") || !strings.Contains(body, "徐建军（直接责任）") {
				t.Errorf("%s opens the case: %d %s", who, code, pageMessage(body))
			}
		}
		for _, who := range []string{"zhuangan", "hezhiyong"} {
			c := e.client()
			c.demoLogin(who)
			if code, _ := c.get("/assess/cases/" + caseID); code != http.StatusNotFound {
				t.Errorf("%s opens a case: %d", who, code)
			}
			if code, body := c.get("/assess/cases"); code != http.StatusForbidden || strings.Contains(body, "党小组会未按期召开") {
				t.Errorf("%s lists cases: %d", who, code)
			}
		}
		other := e.client()
		other.mustLogin("clerkb")
		if code, _ := other.get("/assess/cases/" + caseID); code != http.StatusNotFound {
			t.Errorf("another unit opens a case: %d", code)
		}
		if n := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assess.case.view'"); n != 2 {
			t.Errorf("%d case views audited, want 2", n)
		}
	})
}

// TestAssessDutyEdit: an item of the list is changed in place; another
// unit's clerk cannot change it (404).
func TestAssessDutyEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		seedTwoUnits(t, st)
		row := one(t, st, "SELECT id, role, COALESCE(user_id,0), COALESCE(org_id,0) FROM assess_duties WHERE unit_id = $1 AND role = 'first' ORDER BY id LIMIT 1", info.UnitID)
		form := url.Values{"id": {row[0]}, "role": {row[1]}, "person": {row[2]}, "org": {row[3]}, "what": {"主持党组会议专题研究意识形态工作，每半年至少一次"}, "freq": {"每半年"}, "due": {"6月、12月"}}
		other := e.client()
		other.mustLogin("clerkb")
		form.Set("csrf", other.csrf())
		if code, _, _ := other.post("/assess/duties", form); code != http.StatusNotFound {
			t.Errorf("another unit edits a duty: %d", code)
		}
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		form.Set("csrf", clerk.csrf())
		if code, body, _ := clerk.post("/assess/duties", form); code != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", code, pageMessage(body))
		}
		if got := one(t, st, "SELECT what, freq FROM assess_duties WHERE id = $1", row[0]); got[0] != "主持党组会议专题研究意识形态工作，每半年至少一次" || got[1] != "每半年" {
			t.Errorf("saved %v", got)
		}
	})
}
