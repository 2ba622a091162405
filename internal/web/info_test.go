package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	pngenc "image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

var draftLocRE = regexp.MustCompile(`^/info/(\d+)\?`)

// TestInfoFlowThroughPages drives a draft through the real handler: a
// pasted body with script payloads, screening with one-click replace, a
// blocked submission, a reviewer's override, level checks and scoping.
func TestInfoFlowThroughPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		two := seedTwoUnits(t, st)
		_ = two
		author := e.client()
		author.demoLogin("tangjing") // 信息员, 政策法规科
		tok := author.csrf()
		pasted := `<p class=MsoNormal style='mso-bidi-font-size:10.5pt'>截止目前，我科开展普法宣传12场。<script>alert('x')</script></p>` +
			`<p><img src=x onerror=alert(1)><a href="javascript:alert(2)">点此</a>会上发现法 轮·功传单。</p>` +
			`<p onclick="steal()">第三段<svg onload=alert(3)></svg></p>`
		code, body, loc := author.post("/info", url.Values{"csrf": {tok}, "title": {"政策法规科开展“八五”普法宣传<script>x</script>"},
			"org": {""}, "category": {"工作动态"}, "body": {pasted}, "then": {"save"}})
		if code == http.StatusUnprocessableEntity && strings.Contains(body, "报送科室") {
			// The form pre-selects the officer's department; find its id on the form.
			_, form := author.get("/info/new")
			m := regexp.MustCompile(`<select name="org" required><option value="(\d+)"`).FindStringSubmatch(form)
			if m == nil {
				t.Fatalf("no department on the form")
			}
			code, body, loc = author.post("/info", url.Values{"csrf": {tok}, "title": {"政策法规科开展“八五”普法宣传<script>x</script>"},
				"org": {m[1]}, "category": {"工作动态"}, "body": {pasted}, "then": {"save"}})
		}
		m := draftLocRE.FindStringSubmatch(loc)
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %s %.400s", code, loc, body)
		}
		id := m[1]
		_, page := author.get("/info/" + id)
		for _, bad := range []string{"<script>alert", "onerror=", "javascript:", "onclick=", "<svg", "mso-", "onload="} {
			if strings.Contains(page, bad) {
				t.Errorf("draft page contains %q", bad)
			}
		}
		for _, want := range []string{"截止目前", "第三段", "发布前筛查", `<mark class="f-hint"`, `<mark class="f-block"`, "截至目前", "阻断"} {
			if !strings.Contains(page, want) {
				t.Errorf("draft page lacks %q", want)
			}
		}
		// Images: a real PNG is stored and inserted; HTML named .png is refused.
		var png bytes.Buffer
		img := image.NewRGBA(image.Rect(0, 0, 2, 2))
		if err := pngenc.Encode(&png, img); err != nil {
			t.Fatal(err)
		}
		code, _, _ = author.postMultipart("/info/"+id+"/img", url.Values{"csrf": {tok}}, map[string][2]string{"image": {"现场.png", png.String()}})
		if code != http.StatusSeeOther {
			t.Fatalf("image upload: %d", code)
		}
		code, body, _ = author.postMultipart("/info/"+id+"/img", url.Values{"csrf": {tok}}, map[string][2]string{"image": {"x.png", "<html><script>alert(1)</script>"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "x.png") {
			t.Fatalf("fake image: %d", code)
		}
		_, page = author.get("/info/" + id)
		im := regexp.MustCompile(`<img src="(/info/` + id + `/img/\d+)" alt="现场.png">`).FindStringSubmatch(page)
		if im == nil {
			t.Fatalf("image not in body")
		}
		resp, err := author.hc.Get(e.srv.URL + im[1])
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Content-Security-Policy") != "sandbox" {
			t.Fatalf("image download: %v %+v", err, resp)
		}
		resp.Body.Close()
		// A blocked draft cannot be submitted.
		code, body, _ = author.post("/info/"+id+"/submit", url.Values{"csrf": {tok}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "阻断性问题") || !strings.Contains(body, "法轮功") {
			t.Fatalf("blocked submit: %d %.300s", code, body)
		}
		// One-click replace of 截止目前 at its offset.
		code, _, _ = author.post("/info/"+id+"/replace", url.Values{"csrf": {tok}, "at": {"0"}, "old": {"截止目前"}, "new": {"截至目前"}})
		if code != http.StatusSeeOther {
			t.Fatalf("replace: %d", code)
		}
		_, page = author.get("/info/" + id)
		if strings.Contains(page, "截止目前，我科") || !strings.Contains(page, "截至目前，我科") {
			t.Errorf("replace did not change the body")
		}
		// The clerk (初审) lets the finding pass with a reason.
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		ctok := clerk.csrf()
		if code, _, _ := clerk.post("/info/"+id+"/review", url.Values{"csrf": {ctok}, "action": {"override"}, "comment": {""}}); code != http.StatusUnprocessableEntity {
			t.Errorf("override without reason: %d", code)
		}
		if code, _, _ := clerk.post("/info/"+id+"/review", url.Values{"csrf": {ctok}, "action": {"override"}, "comment": {"反邪教宣传内容，引用必要"}}); code != http.StatusSeeOther {
			t.Fatalf("override: %d", code)
		}
		if code, body, _ := author.post("/info/"+id+"/submit", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("submit after override: %d %.300s", code, body)
		}
		// The 初审 reviewers get an in-app notification; the author does not.
		cu, _ := st.UserByUsername(context.Background(), "zhuangan")
		notes, _, err := st.Notifications(context.Background(), cu.ID, 10)
		if err != nil || len(notes) == 0 || !strings.Contains(notes[0].Title, "政策法规科开展") || notes[0].Link != "/info/"+id {
			t.Errorf("clerk's notifications: %+v %v", notes, err)
		}
		// 复审 (department head) cannot skip 初审; the clerk's queue lists it.
		head := e.client()
		head.demoLogin("gaoyuan")
		code, body, _ = head.post("/info/"+id+"/review", url.Values{"csrf": {head.csrf()}, "action": {"approve"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "越级") {
			t.Fatalf("skip level: %d %.300s", code, body)
		}
		_, queue := clerk.get("/info/queue")
		if !strings.Contains(queue, `href="/info/`+id+`"`) {
			t.Errorf("clerk's queue lacks the draft")
		}
		if code, _, _ := clerk.post("/info/"+id+"/review", url.Values{"csrf": {ctok}, "action": {"approve"}, "comment": {"同意"}}); code != http.StatusSeeOther {
			t.Fatalf("初审：%d", code)
		}
		_, queue = head.get("/info/queue")
		if !strings.Contains(queue, `href="/info/`+id+`"`) {
			t.Errorf("head's queue lacks the draft after 初审")
		}
		// 复审 edits the text: a new version, and the diff shows the change.
		htok := head.csrf()
		if code, body, _ := head.post("/info/"+id+"/review", url.Values{"csrf": {htok}, "action": {"edit"}, "title": {"政策法规科开展“八五”普法宣传"},
			"body": {"<p>截至目前，我科开展普法宣传十二场。</p><p>会上发现法 轮·功传单。</p><p>第三段</p>"}, "comment": {"数字改为汉字"}}); code != http.StatusSeeOther {
			t.Fatalf("复审 edit: %d %.300s", code, body)
		}
		_, diff := head.get("/info/" + id + "/diff?from=1&to=2")
		if !strings.Contains(diff, "<del>12</del><ins>十二</ins>") || !strings.Contains(diff, "<del>点此</del>") {
			t.Errorf("diff page: %.800s", diff)
		}
		_, page = author.get("/info/" + id)
		for _, want := range []string{"放行", "反邪教宣传内容，引用必要", "李晓雯", "复审</span>"} {
			if !strings.Contains(page, want) {
				t.Errorf("history lacks %q", want)
			}
		}
		// Another unit's clerk gets 404 for the draft, its diff and images.
		other := e.client()
		other.mustLogin("clerkb")
		for _, p := range []string{"/info/" + id, "/info/" + id + "/diff?from=1&to=1", "/info/" + id + "/img/1", "/info/" + id + "/edit"} {
			if code, _ := other.get(p); code != http.StatusNotFound {
				t.Errorf("other unit GET %s: %d", p, code)
			}
		}
		if code, _, _ := other.post("/info/"+id+"/review", url.Values{"csrf": {other.csrf()}, "action": {"approve"}}); code != http.StatusNotFound {
			t.Errorf("other unit review: %d", code)
		}
	})
}

func TestInfoBulletinPagesAndDownloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		code, page := c.get("/info/bulletin?month=2023-03")
		if code != 200 || !strings.Contains(page, "2023年3月") || !strings.Contains(page, "零报送：</strong>计划财务科") {
			t.Fatalf("bulletin: %d %.500s", code, page)
		}
		// Every linked figure equals the number of drafts its list shows.
		links := regexp.MustCompile(`<a href="(/info\?org=\d+&amp;(?:month=2023-03&amp;counted=1|pub=2023-03(?:&amp;adopted=1)?))">(\d+)</a>`).FindAllStringSubmatch(page, -1)
		if len(links) < 15 {
			t.Fatalf("bulletin has %d figure links", len(links))
		}
		for _, l := range links {
			_, list := c.get(strings.ReplaceAll(l[1], "&amp;", "&"))
			if m := totalRE.FindStringSubmatch(list); m == nil || m[1] != l[2] {
				t.Errorf("%s: bulletin shows %s, list shows %v", l[1], l[2], m)
			}
		}
		for _, p := range []string{"/info/bulletin.docx?month=2023-03", "/info/bulletin.xlsx?month=2023-03"} {
			if code, _ := e.client().get(p); code != http.StatusSeeOther { // no session: sent to login
				t.Errorf("%s without login: %d", p, code)
			}
			code, data := c.get(p)
			if code != 200 || !strings.HasPrefix(data, "PK") {
				t.Fatalf("%s: %d", p, code)
			}
			zr, err := zip.NewReader(bytes.NewReader([]byte(data)), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				all.Write(b)
			}
			if !strings.Contains(all.String(), "计划财务科") || !strings.Contains(all.String(), "零报送") {
				t.Errorf("%s lacks the 零报送 department", p)
			}
		}
		if code, _ := c.get("/info/bulletin?month=2023-13"); code != http.StatusUnprocessableEntity {
			t.Errorf("bad month: %d", code)
		}
	})
}

func TestInfoLexiconImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		tok := c.csrf()
		bad := "张三副局长\t过时称谓\t1\t张三局长\t2023年任局长\n坏行\t不存在的类别\t1\t\t\n"
		code, body, _ := c.postMultipart("/info/lexicon/import", url.Values{"csrf": {tok}}, map[string][2]string{"file": {"terms.tsv", bad}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "第 2 行") {
			t.Fatalf("bad import: %d %.300s", code, body)
		}
		if _, page := c.get("/info/lexicon"); strings.Contains(page, "张三副局长") {
			t.Fatal("half of a failed import was saved")
		}
		good := "# 词\t类别\n张三副局长\t过时称谓\t1\t张三局长\t2023年任局长\n"
		if code, _, _ := c.postMultipart("/info/lexicon/import", url.Values{"csrf": {tok}}, map[string][2]string{"file": {"terms.tsv", good}}); code != http.StatusSeeOther {
			t.Fatalf("good import: %d", code)
		}
		_, page := c.get("/info/lexicon?test=" + url.QueryEscape("张三副局长出席会议"))
		if !strings.Contains(page, "「张三副局长」第 1 字 · 过时称谓") {
			t.Errorf("imported term not used in screening: %.600s", page)
		}
		code, tsv := c.get("/info/lexicon/export.tsv")
		if code != 200 || !strings.Contains(tsv, "张三副局长\t过时称谓\t1\t张三局长") {
			t.Errorf("export: %d %q", code, tsv)
		}
		// A 信息员 can read but not change the lexicon.
		o := e.client()
		o.demoLogin("tangjing")
		if code, _, _ := o.post("/info/lexicon", url.Values{"csrf": {o.csrf()}, "term": {"某词"}, "category": {"禁用词"}, "severity": {"1"}}); code != http.StatusForbidden {
			t.Errorf("信息员 added a term: %d", code)
		}
	})
}

// TestInfoPagesRender opens every page as the people who use it and checks
// what they see; settings changes are validated and take effect.
func TestInfoPagesRender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		clerk := e.client()
		clerk.demoLogin("zhuangan")
		pages := []struct{ path, want string }{
			{"/info", "信息报送"},
			{"/info?status=returned", "农田建设管理科推进高标准农田建设"},
			{"/info/queue", "待我审核"},
			{"/info/new", "保存并提交审核"},
			{"/info/lexicon", "规范表述"},
			{"/info/settings", "初审"},
			{"/info/bulletin?month=2023-06", "信息编发月通报"},
		}
		for _, p := range pages {
			code, body := clerk.get(p.path)
			if code != 200 || !strings.Contains(body, p.want) {
				t.Errorf("GET %s: %d, lacks %q", p.path, code, p.want)
			}
		}
		// An unsent demo draft with findings: the screening panel lists them.
		_, list := clerk.get("/info?q=" + url.QueryEscape("质量安全追溯"))
		m := regexp.MustCompile(`href="/info/(\d+)">产业发展科推进农产品质量安全追溯`).FindStringSubmatch(list)
		if m == nil {
			t.Fatal("demo draft with findings not listed")
		}
		_, page := clerk.get("/info/" + m[1])
		for _, want := range []string{"截止目前", "一带一路战略", "生态环境局", "2023年7月15日", "阻断"} {
			if !strings.Contains(page, want) {
				t.Errorf("screening panel lacks %q", want)
			}
		}
		// Settings: a step without roles is refused with the step named.
		tok := clerk.csrf()
		form := url.Values{"csrf": {tok}, "step0_name": {"初审"}, "step0_roles": {"clerk"}, "step1_name": {"终审"},
			"proof_rounds": {"2"}, "step_days": {"3"}, "quota": {"3"}}
		for _, l := range []string{"portal", "wechat", "unit", "district", "city", "province", "national"} {
			form.Set("points_"+l, "5")
		}
		code, body, _ := clerk.post("/info/settings", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "审核流程第 2 级（终审）：至少选择一个审核角色") {
			t.Fatalf("invalid chain: %d %.300s", code, body)
		}
		form.Set("step1_roles", "first_resp")
		if code, _, _ := clerk.post("/info/settings", form); code != http.StatusSeeOther {
			t.Fatalf("save settings: %d", code)
		}
		_, page = clerk.get("/info/settings")
		if !strings.Contains(page, `name="step1_name" value="终审"`) || strings.Contains(page, `name="step2_name" value="终审"`) {
			t.Errorf("saved chain not shown")
		}
		// The district supervisor sees every unit's roll-up, read-only.
		sup := e.client()
		sup.demoLogin("ducha")
		code, body = sup.get("/info/bulletin?month=2023-03&unit=all")
		if code != 200 || !strings.Contains(body, "示范区农业农村局") || !strings.Contains(body, "各单位信息编发月通报") {
			t.Errorf("district bulletin: %d %.300s", code, body)
		}
		if code, _ := sup.get("/info/new"); code != http.StatusForbidden {
			t.Errorf("supervisor may write: %d", code)
		}
	})
}

// TestInfoPostsReadTheirForm: every information post reads its form and
// answers 400 when the body cannot be parsed, instead of acting on empty
// values. (The token comes in the header, so the session check does not
// parse the body first.)
func TestInfoPostsReadTheirForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		for _, p := range []string{"/info", "/info/1", "/info/1/submit", "/info/1/withdraw", "/info/1/delete", "/info/1/review",
			"/info/1/replace", "/info/1/publications", "/info/1/publications/1/delete", "/info/1/img", "/info/lexicon",
			"/info/lexicon/import", "/info/lexicon/1/delete", "/info/settings", "/info/settings/quota"} {
			if !c.postBroken(p, "comment=%zz&title=%") {
				t.Errorf("POST %s with a broken form was not refused with 400", p)
			}
		}
	})
}
