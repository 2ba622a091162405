package infosub

import (
	"fmt"
	"strings"
	"testing"

	"zhendi/internal/access"
)

var allStatuses = []Status{StatusDraft, StatusReview, StatusReturned, StatusApproved, StatusPublished, StatusWithdrawn}
var allActions = []Action{ActSubmit, ActApprove, ActReturn, ActEdit, ActProof, ActOverride, ActWithdraw, ActPublish, ActAdopt}

// TestAllowedTable lists every (status, action) pair: the allowed ones
// explicitly, everything else forbidden.
func TestAllowedTable(t *testing.T) {
	allowed := map[string]bool{
		"draft/submit": true, "returned/submit": true,
		"review/approve": true, "review/return": true, "review/edit": true, "review/proof": true,
		"draft/override": true, "returned/override": true, "review/override": true,
		"draft/withdraw": true, "review/withdraw": true, "returned/withdraw": true,
		"approved/publish": true, "published/publish": true, "published/adopt": true,
	}
	n := 0
	for _, s := range allStatuses {
		for _, a := range allActions {
			key := string(s) + "/" + string(a)
			if got := Allowed(s, a); got != allowed[key] {
				t.Errorf("Allowed(%s) = %v, want %v", key, got, allowed[key])
			}
			n++
		}
	}
	if n != 54 {
		t.Fatalf("checked %d pairs", n)
	}
}

func TestCanReview(t *testing.T) {
	const unit, dept, otherDept = 10, 11, 12
	clerk := []access.Grant{{Role: access.Clerk, OrgID: unit, UnitID: unit, Kind: "unit"}}
	head := []access.Grant{{Role: access.DeptHead, OrgID: dept, UnitID: unit, Kind: "department"}}
	otherHead := []access.Grant{{Role: access.DeptHead, OrgID: otherDept, UnitID: unit, Kind: "department"}}
	leader := []access.Grant{{Role: access.DirectResp, OrgID: unit, UnitID: unit, Kind: "unit"}}
	foreignClerk := []access.Grant{{Role: access.Clerk, OrgID: 20, UnitID: 20, Kind: "unit"}}
	member := []access.Grant{{Role: access.Member, OrgID: unit, UnitID: unit, Kind: "unit"}}
	both := append(append([]access.Grant{}, clerk...), leader...)
	proofs := []Decision{{Action: ActProof}, {Action: ActProof}, {Action: ActProof}}
	st := func(step int, cyc ...Decision) ReviewState {
		return ReviewState{Status: StatusReview, Step: step, Chain: DefaultChain(), AuthorID: 1, UnitID: unit, OrgID: dept, Cycle: cyc, ProofRounds: 3}
	}
	cases := []struct {
		name   string
		st     ReviewState
		user   int64
		grants []access.Grant
		act    Action
		errHas string // "" = allowed
	}{
		{"clerk approves 初审", st(0), 2, clerk, ActApprove, ""},
		{"clerk returns at 初审", st(0), 2, clerk, ActReturn, ""},
		{"clerk edits at 初审", st(0), 2, clerk, ActEdit, ""},
		{"author reviews own draft", st(0), 1, clerk, ActApprove, "本人"},
		{"author proofreads own draft", st(1), 1, clerk, ActProof, "本人"},
		{"skip: head approves at 初审", st(0), 3, head, ActApprove, "越级"},
		{"skip: leader approves at 初审", st(0), 4, leader, ActApprove, "越级"},
		{"skip: leader returns at 复审", st(1), 4, leader, ActReturn, "越级"},
		{"head of the department approves 复审", st(1), 3, head, ActApprove, ""},
		{"head of another department", st(1), 5, otherHead, ActApprove, "越级"},
		{"clerk of another unit", st(0), 6, foreignClerk, ActApprove, "越级"},
		{"member cannot proofread", st(0), 7, member, ActProof, "不是本单位信息审核人"},
		{"终审 without 三校", st(2), 4, leader, ActApprove, "三校"},
		{"终审 after 三校", st(2, proofs...), 4, leader, ActApprove, ""},
		{"one person approves two levels", st(2, append(proofs, Decision{Action: ActApprove, UserID: 8, StepName: "初审"})...), 8, both, ActApprove, "两级"},
		{"leader proofreads at 复审", st(1), 4, leader, ActProof, ""},
		{"override by reviewer", st(0), 3, head, ActOverride, ""},
		{"submit is not a review action", st(0), 2, clerk, ActSubmit, "不能"},
		{"approve a returned draft", ReviewState{Status: StatusReturned, Chain: DefaultChain(), AuthorID: 1, UnitID: unit, OrgID: dept}, 2, clerk, ActApprove, "不能"},
		{"approve an approved draft", ReviewState{Status: StatusApproved, Step: 2, Chain: DefaultChain(), AuthorID: 1, UnitID: unit, OrgID: dept}, 4, leader, ActApprove, "不能"},
		{"return a withdrawn draft", ReviewState{Status: StatusWithdrawn, Chain: DefaultChain(), AuthorID: 1, UnitID: unit, OrgID: dept}, 2, clerk, ActReturn, "不能"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CanReview(c.st, c.user, c.grants, c.act)
			switch {
			case c.errHas == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.errHas != "" && err == nil:
				t.Fatal("allowed, want refusal")
			case c.errHas != "" && !strings.Contains(err.Error(), c.errHas):
				t.Fatalf("error %q does not mention %q", err, c.errHas)
			}
		})
	}
}

func TestScreenCategories(t *testing.T) {
	s, err := NewScreener([]Term{{Term: "张三副局长", Category: CatOutdated, Severity: SevHint, Suggest: "张三局长"}})
	if err != nil {
		t.Fatal(err)
	}
	text := "截止目前，我局按照“一带一路战略”部署, 推进工作。小编获悉，市环保局与农业部门联合开展检查，" +
		"张三副局长出席。个别人员兴高彩列。会上传出法 轮·功传单，已报告。时间为2023.6.30。"
	got := s.Screen(text)
	want := []struct {
		cat, text, suggest string
		sev                int
	}{
		{CatWording, "截止目前", "截至目前", SevHint},
		{CatWording, "一带一路战略", "“一带一路”倡议", SevBlock},
		{CatPunct, ",", "，", SevHint},
		{CatBanned, "小编", "", SevHint},
		{CatOutdated, "环保局", "生态环境局", SevHint},
		{CatOutdated, "张三副局长", "张三局长", SevHint},
		{CatTypo, "兴高彩列", "兴高采烈", SevHint},
		{CatSensitive, "法 轮·功", "", SevBlock},
		{CatNumber, "2023.6.30", "2023年6月30日", SevHint},
	}
	find := func(cat, txt string) (Finding, bool) {
		for _, f := range got {
			if f.Category == cat && f.Text == txt {
				return f, true
			}
		}
		return Finding{}, false
	}
	for _, w := range want {
		f, ok := find(w.cat, w.text)
		if !ok {
			t.Errorf("%s %q not found in %+v", w.cat, w.text, got)
			continue
		}
		if text[f.Start:f.End] != w.text {
			t.Errorf("%q: byte offsets %d-%d give %q", w.text, f.Start, f.End, text[f.Start:f.End])
		}
		if rs := []rune(text); string(rs[f.RuneStart:f.RuneEnd]) != w.text {
			t.Errorf("%q: character offsets %d-%d wrong", w.text, f.RuneStart, f.RuneEnd)
		}
		if f.Suggest != w.suggest || f.Severity != w.sev {
			t.Errorf("%q: suggest %q severity %d, want %q %d", w.text, f.Suggest, f.Severity, w.suggest, w.sev)
		}
	}
	// 农业部门 is correct (例外) although it contains 农业部.
	for _, f := range got {
		if strings.Contains(f.Text, "农业部") {
			t.Errorf("false positive %+v", f)
		}
	}
	// The split term's character offsets: 法 轮·功 starts after 会上传出.
	f, _ := find(CatSensitive, "法 轮·功")
	if want := strings.Index(text, "法 轮"); f.Start != want {
		t.Errorf("split term at byte %d, want %d", f.Start, want)
	}
	blk := s.BlockingTerms("", text)
	if strings.Join(blk, ",") != "一带一路战略,法轮功" {
		t.Errorf("blocking terms = %v", blk)
	}
}

func TestScreenPunctuationAndDates(t *testing.T) {
	s := DefaultScreener()
	cases := []struct {
		text string
		want []string // "category:text:suggest"
	}{
		{"学习《条例》，深入“学", []string{"标点:“:"}},
		{"会议（一）要求)", []string{"标点:):）", "标点:):"}},
		{"2023年06月05日召开", []string{"数字日期:2023年06月:2023年6月", "数字日期:05日:5日"}},
		{"二〇二三年工作, 2023年计划", []string{"数字日期:二〇二三年:", "标点:,:，"}},
		{"上午9:30召开", nil},
		{"正常的句子，没有问题。", nil},
	}
	for _, c := range cases {
		var got []string
		for _, f := range s.Screen(c.text) {
			got = append(got, f.Category+":"+f.Text+":"+f.Suggest)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("Screen(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestDefaultLexicon(t *testing.T) {
	terms := DefaultTerms()
	count := map[string]int{}
	for _, t := range terms {
		count[t.Category]++
	}
	for _, c := range []string{CatWording, CatSensitive, CatBanned, CatTypo, CatOutdated, CatException} {
		if count[c] == 0 {
			t.Errorf("built-in lexicon has no %s", c)
		}
	}
	// The seed document itself is official text: only hints, never a block
	// (apart from its own web-page residue, which is a hint too).
	seed := "坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂,围绕中心、服务大局,坚决防范意识形态领域风险隐患。严格执行“三审三校”制度。形式主义、四风问题。"
	if b := DefaultScreener().BlockingTerms("", seed); len(b) != 0 {
		t.Errorf("official text blocked: %v", b)
	}
}

func TestSanitizeXSS(t *testing.T) {
	s := NewSanitizer()
	payloads := []string{
		`<p>正文<script>alert(1)</script></p>`,
		`<img src=x onerror=alert(1)>`,
		`<img src="/info/1/img/2" onerror="alert(1)">`,
		`<a href="javascript:alert(1)">链接</a>`,
		`<p style="background:url(javascript:alert(1))" onclick="x()">段落</p>`,
		`<svg><script>alert(1)</script></svg>`,
		`<iframe src="javascript:alert(1)"></iframe>`,
		`<img src="javascript:alert(1)">`,
		`<p><span lang=EN-US style='mso-bidi-font-size:10.5pt'>Word 段落</span><o:p></o:p></p>`,
	}
	for _, p := range payloads {
		body, text := s.Clean(p)
		low := strings.ToLower(body + text)
		for _, bad := range []string{"<script", "onerror", "javascript:", "onclick", "style=", "<iframe", "<svg", "mso-"} {
			if strings.Contains(low, bad) {
				t.Errorf("Clean(%q) = %q keeps %s", p, body, bad)
			}
		}
	}
	body, text := s.Clean(`<p>第一段<b>加粗</b></p><p>第二段<img src="/info/1/img/2"></p>`)
	if body != `<p>第一段<b>加粗</b></p><p>第二段<img src="/info/1/img/2"></p>` || text != "第一段加粗\n第二段" {
		t.Errorf("clean kept wrong: %q / %q", body, text)
	}
}

func TestReplaceInHTML(t *testing.T) {
	body := `<p>截止目前, 工作A。</p><p>截止目前, 工作B &amp; C。</p>`
	text := PlainText(body)
	second := strings.LastIndex(text, "截止目前")
	got, ok := ReplaceInHTML(body, len([]rune(text[:second])), "截止目前", "截至目前")
	if !ok || got != `<p>截止目前, 工作A。</p><p>截至目前, 工作B &amp; C。</p>` {
		t.Fatalf("replace = %q %v", got, ok)
	}
	if _, ok := ReplaceInHTML(`<p>截止<b>目前</b></p>`, 0, "截止目前", "截至目前"); ok {
		t.Fatal("replaced across nodes")
	}
	if _, ok := ReplaceInHTML(body, 3, "截止目前", "x"); ok {
		t.Fatal("replaced at a wrong offset")
	}
}

func TestDiff(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"截止目前工作进展顺利", "截至目前工作进展顺利", "=截 -止 +至 =目前工作进展顺利"},
		{"", "新增", "+新增"},
		{"删除", "", "-删除"},
		{"相同", "相同", "=相同"},
		{"我局召开会议", "我局党组召开专题会议", "=我局 +党组 =召开 +专题 =会议"},
	}
	for _, c := range cases {
		var parts []string
		for _, op := range Diff(c.a, c.b) {
			parts = append(parts, string(op.Kind)+op.Text)
		}
		if got := strings.Join(parts, " "); got != c.want {
			t.Errorf("Diff(%q,%q) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
	// Reconstruct both sides from a larger random-ish edit.
	a := strings.Repeat("意识形态工作责任制", 50)
	b := strings.ReplaceAll(a, "责任", "主体责任")
	var ra, rb strings.Builder
	for _, op := range Diff(a, b) {
		if op.Kind != '+' {
			ra.WriteString(op.Text)
		}
		if op.Kind != '-' {
			rb.WriteString(op.Text)
		}
	}
	if ra.String() != a || rb.String() != b {
		t.Fatal("diff does not reconstruct its inputs")
	}
	if d, i := DiffStats(Diff(a, b)); d != 0 || i != 100 {
		t.Fatalf("stats %d %d", d, i)
	}
}
