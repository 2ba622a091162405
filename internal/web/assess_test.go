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

// TestAssessCaseFilesAndCadre: the 第一责任人 attaches evidence to a case
// (a file of the wrong type is refused beside the form) and downloads it,
// audited; records a leader's 干部考察 result from the assessment and the
// 述职测评; a clerk, a member and another unit get 404 or 403 on all of it.
func TestAssessCaseFilesAndCadre(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		seedTwoUnits(t, st)
		caseID := one(t, st, "SELECT id FROM assess_cases WHERE unit_id = $1 ORDER BY id LIMIT 1", info.UnitID)[0]
		first := e.client()
		first.demoLogin("wangjianguo")
		code, body, _ := first.postMultipart("/assess/cases/"+caseID+"/files", url.Values{"csrf": {first.csrf()}}, map[string][2]string{"files": {"程序.exe", "MZ\x90\x00\x03\x00\x00\x00"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "程序.exe") {
			t.Errorf("an executable as evidence: %d %s", code, pageMessage(body))
		}
		code, body, _ = first.postMultipart("/assess/cases/"+caseID+"/files", url.Values{"csrf": {first.csrf()}}, map[string][2]string{"files": {"问责决定书.pdf", testPDF}})
		if code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", code, pageMessage(body))
		}
		fid := one(t, st, "SELECT id FROM assess_case_files WHERE case_id = $1", caseID)[0]
		_, body = first.get("/assess/cases/" + caseID)
		if !strings.Contains(body, fmt.Sprintf(`href="/assess/cases/%s/files/%s">问责决定书.pdf</a>`, caseID, fid)) {
			t.Errorf("case page does not list the file")
		}
		code, h, data := first.getBytes("/assess/cases/" + caseID + "/files/" + fid)
		if code != http.StatusOK || string(data) != testPDF || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %q", code, h.Get("Content-Disposition"))
		}
		if n := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assess.case.file.download' AND object_id = "+caseID); n != 1 {
			t.Errorf("%d download entries, want 1", n)
		}

		// 干部考察: the 第一责任人 records the bureau's 直接责任人 — the
		// assessment total and the 测评 counts come from the records.
		direct := one(t, st, "SELECT id FROM users WHERE username = 'wangjianguo'")[0]
		code, body, _ = first.post("/assess/cadre", url.Values{"csrf": {first.csrf()}, "unit": {fmt.Sprint(info.UnitID)}, "year": {"2023"}, "person": {direct}, "use": {"年度考核评定为优秀的参考"}})
		if code != http.StatusSeeOther {
			t.Fatalf("cadre record: %d %s", code, pageMessage(body))
		}
		code, body = first.get(fmt.Sprintf("/assess/cadre?unit=%d&year=2023", info.UnitID))
		if code != http.StatusOK || !strings.Contains(body, "36/5/1/0") || !strings.Contains(body, "年度考核评定为优秀的参考") || !strings.Contains(body, "记录时未冻结") {
			t.Fatalf("cadre page: %d %s", code, pageMessage(body))
		}
		total := one(t, st, "SELECT unit_total FROM assess_cadre_records WHERE user_id = $1 AND year = 2023", direct)[0]
		if total == "" || total == "0" {
			t.Errorf("cadre record keeps no assessment total: %q", total)
		}
		// A person who is not on the 班子 is refused beside the field.
		member := one(t, st, "SELECT id FROM users WHERE username = 'xujianjun'")[0]
		code, body, _ = first.post("/assess/cadre", url.Values{"csrf": {first.csrf()}, "unit": {fmt.Sprint(info.UnitID)}, "year": {"2023"}, "person": {member}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "班子成员：须是本单位的班子成员") {
			t.Errorf("cadre record for a non-leader: %d %s", code, pageMessage(body))
		}
		if n := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assess.cadre.view'"); n < 1 {
			t.Error("cadre view not audited")
		}

		// Nobody else: the clerk, a member and another unit's clerk.
		for _, who := range []string{"zhuangan", "gaoyuan", "clerkb"} {
			c := e.client()
			if who == "clerkb" {
				c.mustLogin(who)
			} else {
				c.demoLogin(who)
			}
			if code, _ := c.get("/assess/cases/" + caseID + "/files/" + fid); code != http.StatusNotFound {
				t.Errorf("%s downloads case evidence: %d", who, code)
			}
			if code, body := c.get(fmt.Sprintf("/assess/cadre?unit=%d&year=2023", info.UnitID)); (code != http.StatusNotFound && code != http.StatusForbidden) || strings.Contains(body, "36/5/1/0") {
				t.Errorf("%s sees cadre records: %d", who, code)
			}
			code, _, _ := c.post("/assess/cadre", url.Values{"csrf": {c.csrf()}, "unit": {fmt.Sprint(info.UnitID)}, "year": {"2023"}, "person": {direct}})
			if code != http.StatusNotFound {
				t.Errorf("%s records a cadre result: %d", who, code)
			}
			code, _, _ = c.postMultipart("/assess/cases/"+caseID+"/files", url.Values{"csrf": {c.csrf()}}, map[string][2]string{"files": {"x.pdf", testPDF}})
			if code != http.StatusNotFound {
				t.Errorf("%s uploads case evidence: %d", who, code)
			}
		}
		if n := count(t, st, "SELECT count(*) FROM assess_case_files"); n != 1 {
			t.Errorf("%d case files, want 1", n)
		}
	})
}

// TestAssessUnitSituations: the unit's clerk adopts the district's 问责情形
// for the unit — drops one, spells one out — and the case form offers only
// what the unit adopts; a case on a dropped ground is refused beside the
// field; another unit cannot change the list (404); a ground outside the
// district's list is refused.
func TestAssessUnitSituations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		seedTwoUnits(t, st)
		unit := fmt.Sprint(info.UnitID)
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		code, body := clerk.get("/assess/situations")
		if code != http.StatusOK || !strings.Contains(body, "所管理的宣传思想阵地、网站和新媒体出现严重错误导向或管理失控") || !strings.Contains(body, `name="detail"`) {
			t.Fatalf("situations page: %d %s", code, pageMessage(body))
		}
		save := func(c *client, code, enabled, detail string) (int, string) {
			v := url.Values{"csrf": {c.csrf()}, "unit": {unit}, "code": {code}, "detail": {detail}}
			if enabled != "" {
				v.Set("enabled", enabled)
			}
			st, b, _ := c.post("/assess/situations", v)
			return st, b
		}
		if code, body := save(clerk, "mass", "", ""); code != http.StatusSeeOther {
			t.Fatalf("drop 群体性事件: %d %s", code, pageMessage(body))
		}
		if code, body := save(clerk, "position", "1", "公众号、视频号连续两周未更新且未报备"); code != http.StatusSeeOther {
			t.Fatalf("detail: %d %s", code, pageMessage(body))
		}
		if code, body := save(clerk, "invented", "1", "本单位自设情形"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "问责情形：不在上级规定的问责情形之内") {
			t.Errorf("a ground outside the list: %d %s", code, pageMessage(body))
		}
		other := e.client()
		other.mustLogin("clerkb")
		if code, _ := save(other, "duty", "", ""); code != http.StatusNotFound {
			t.Errorf("another unit changes the list: %d", code)
		}
		if n := count(t, st, "SELECT count(*) FROM assess_unit_situations WHERE code = 'duty'"); n != 0 {
			t.Errorf("another unit's change was stored")
		}
		first := e.client()
		first.demoLogin("wangjianguo")
		_, body = first.get("/assess/cases")
		if strings.Contains(body, `value="mass"`) || !strings.Contains(body, "（本单位：公众号、视频号连续两周未更新且未报备）") {
			t.Errorf("case form does not follow the unit's list")
		}
		code, body, _ = first.post("/assess/cases", url.Values{"csrf": {first.csrf()}, "unit": {unit}, "year": {"2023"}, "title": {"某事件"}, "situation": {"mass"}, "facts": {"经过"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "问责情形：本单位未采用此问责情形") {
			t.Errorf("case on a dropped ground: %d %s", code, pageMessage(body))
		}
		if n := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assess.situation.save'"); n != 2 {
			t.Errorf("%d audit entries for the list, want 2", n)
		}
	})
}
