package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestInfoReplaceAllAndFinalReview: 全部替换 of one kind of finding through
// the page (only the findings' positions change: the dots of a web address
// stay), another unit cannot use it on this draft, and the final step's
// reviewer sees every finding still open.
func TestInfoReplaceAllAndFinalReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		seedTwoUnits(t, st)
		// One review step (终审 by the 意识形态专干), no proofreading, so
		// that a submitted draft is at its final step.
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		form := url.Values{"csrf": {clerk.csrf()}, "step0_name": {"终审"}, "step0_roles": {"clerk"}, "proof_rounds": {"0"}, "step_days": {"3"}, "quota": {"3"}}
		for _, l := range []string{"portal", "wechat", "unit", "district", "city", "province", "national"} {
			form.Set("points_"+l, "5")
		}
		if code, body, _ := clerk.post("/info/settings", form); code != http.StatusSeeOther {
			t.Fatalf("settings: %d %.300s", code, body)
		}
		author := e.client()
		author.demoLogin("tangjing")
		tok := author.csrf()
		_, newForm := author.get("/info/new")
		om := regexp.MustCompile(`<select name="org" required><option value="(\d+)"`).FindStringSubmatch(newForm)
		if om == nil {
			t.Fatal("no department on the form")
		}
		body := "<p>会议顺利召开.会议要求各支部认真学习.详见https://www.example.gov.cn/a.html</p><p>截止目前,已完成.</p>"
		code, page, loc := author.post("/info", url.Values{"csrf": {tok}, "title": {"会议召开"}, "org": {om[1]}, "category": {"工作动态"},
			"body": {body}, "then": {"save"}})
		m := draftLocRE.FindStringSubmatch(loc)
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %s %.300s", code, loc, page)
		}
		id := m[1]
		_, page = author.get("/info/" + id)
		if !strings.Contains(page, "标点：「.」→「。」（3 处）") || !strings.Contains(page, "规范表述：「截止目前」→「截至目前」（1 处）") {
			t.Fatalf("replace-all buttons missing: %.2000s", page[strings.Index(page, "发布前筛查"):])
		}
		// A body that cannot be parsed is refused, not acted on.
		if !author.postBroken("/info/"+id+"/replace-all", "category=%zz&old=%") {
			t.Errorf("replace-all with a broken form was not refused with 400")
		}
		// Another unit's clerk: not found.
		other := e.client()
		other.mustLogin("clerkb")
		if code, _, _ := other.post("/info/"+id+"/replace-all", url.Values{"csrf": {other.csrf()}, "category": {"标点"}, "old": {"."}, "new": {"。"}}); code != http.StatusNotFound {
			t.Errorf("other unit replace-all: %d", code)
		}
		// The author replaces every half-width full stop at once.
		if code, body, _ := author.post("/info/"+id+"/replace-all", url.Values{"csrf": {tok}, "category": {"标点"}, "old": {"."}, "new": {"。"}}); code != http.StatusSeeOther {
			t.Fatalf("replace-all: %d %.300s", code, body)
		}
		_, page = author.get("/info/" + id)
		for _, want := range []string{"会议顺利召开。会议要求各支部认真学习。详见https://www.example.gov.cn/a.html", "已完成。"} {
			if !strings.Contains(page, want) {
				t.Errorf("after replace-all the page lacks %q", want)
			}
		}
		if strings.Contains(page, "「.」→「。」") {
			t.Errorf("the replace-all button for . is still offered")
		}
		// Nothing left of that kind: a user error, not a silent success.
		if code, body, _ := author.post("/info/"+id+"/replace-all", url.Values{"csrf": {tok}, "category": {"标点"}, "old": {"."}, "new": {"。"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "无法全部替换") {
			t.Errorf("replace-all with nothing to replace: %d", code)
		}
		// Submitted, the draft is at its final step: the reviewer sees the
		// open findings listed before 终审.
		if code, body, _ := author.post("/info/"+id+"/submit", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d %.300s", code, body)
		}
		_, page = clerk.get("/info/" + id)
		if !strings.Contains(page, "终审前仍未处理的筛查问题（2 处）") || !strings.Contains(page, "规范表述：「截止目前」 → 截至目前") ||
			!strings.Contains(page, "标点：「,」 → ，") {
			i := strings.Index(page, "审核")
			t.Errorf("final reviewer's list missing: %.1500s", page[i:])
		}
		// The author does not get the reviewer's list.
		if _, page = author.get("/info/" + id); strings.Contains(page, "终审前仍未处理") {
			t.Errorf("author sees the final review list")
		}
	})
}
