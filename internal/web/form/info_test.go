package form

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
)

func TestParseInfoDraft(t *testing.T) {
	v := url.Values{"org": {"12"}, "title": {" 标题 "}, "category": {"工作动态"}, "activity": {"x"},
		"body": {"第一段\r\n\r\n<b>第二段</b>"}, "then": {"submit"}, "comment": {" 请审核 "}}
	f := ParseInfoDraft(v)
	d := f.Draft
	if d.OrgID != 12 || d.Title != " 标题 " || d.Category != "工作动态" || d.ActivityID != 0 || !f.ThenSubmit || f.Comment != "请审核" {
		t.Fatalf("parsed %+v", f)
	}
	// HTML is sanitised as it is (the tag survives, no paragraphs added).
	if d.Body != "第一段\n\n<b>第二段</b>" || !strings.Contains(d.BodyText, "第二段") {
		t.Errorf("html body %q / %q", d.Body, d.BodyText)
	}
	// Plain text (no tag) becomes one escaped paragraph per line.
	d = ParseInfoDraft(url.Values{"body": {"甲 & 乙\n\n  丙  "}}).Draft
	if d.Body != "<p>甲 &amp; 乙</p><p>丙</p>" || d.BodyText != "甲 & 乙\n丙" {
		t.Errorf("text body %q / %q", d.Body, d.BodyText)
	}
	if f := ParseInfoDraft(url.Values{"then": {"save"}}); f.ThenSubmit {
		t.Error("save read as submit")
	}
	// Scripts never survive.
	if d := ParseInfoDraft(url.Values{"body": {`<p onclick="x()">a<script>alert(1)</script></p>`}}).Draft; strings.Contains(d.Body, "script") || strings.Contains(d.Body, "onclick") {
		t.Errorf("unsafe body kept: %q", d.Body)
	}
}

func TestParseInfoReview(t *testing.T) {
	approve := ParseInfoReview(url.Values{"action": {"approve"}, "comment": {"同意"}, "title": {"改"}, "body": {"<p>改</p>"}})
	if approve.Action != infosub.ActApprove || approve.Comment != "同意" || approve.Title != "" || approve.Body != "" {
		t.Errorf("approve %+v", approve)
	}
	edit := ParseInfoReview(url.Values{"action": {"edit"}, "title": {"新标题"}, "body": {"新正文"}})
	if edit.Action != infosub.ActEdit || edit.Title != "新标题" || edit.Body != "<p>新正文</p>" || edit.BodyText != "新正文" {
		t.Errorf("edit %+v", edit)
	}
}

func TestParseInfoReplaceAndPublication(t *testing.T) {
	r := ParseInfoReplace(url.Values{"at": {"１２"}, "old": {"截止目前"}, "new": {"截至目前"}})
	if r != (InfoReplace{At: 12, Old: "截止目前", New: "截至目前"}) {
		t.Errorf("replace %+v", r)
	}
	p := ParseInfoPublication(url.Values{"level": {"city"}, "outlet": {" 市委信息 "}, "url": {"https://x"}, "date": {" ２０２３-07-05 "}}, 9)
	if p.DraftID != 9 || p.Level != "city" || p.Outlet != " 市委信息 " || p.URL != "https://x" || p.Date != "2023-07-05" {
		t.Errorf("publication %+v", p)
	}
}

func TestParseInfoTerm(t *testing.T) {
	term := ParseInfoTerm(url.Values{"term": {"某词"}, "category": {"禁用词"}, "severity": {"２"}, "suggest": {"另词"}, "note": {"说明"}})
	if term != (infosub.Term{Term: "某词", Category: "禁用词", Severity: 2, Suggest: "另词", Note: "说明"}) {
		t.Errorf("term %+v", term)
	}
}

func TestParseInfoConfig(t *testing.T) {
	v := url.Values{"quota": {"3"}, "proof_rounds": {"2"}, "step_days": {"５"},
		"step0_name": {" 初审 "}, "step0_roles": {"clerk"},
		"step1_name": {""}, "step1_roles": {"dept_head"}, // no name: dropped
		"step2_name": {"复审"}, "step2_roles": {"dept_head", "info_officer"}, "step2_dept": {"1"},
		"step5_name":  {"第六级"}, // beyond the form's rows
		"points_city": {"20"}}
	c := ParseInfoConfig(v)
	if c.Quota != 3 || c.ProofRounds != 2 || c.StepDays != 5 {
		t.Errorf("numbers %+v", c)
	}
	if len(c.Chain) != 2 || c.Chain[0].Name != "初审" || c.Chain[0].Dept || !slices.Equal(c.Chain[0].Roles, []access.Role{access.Clerk}) ||
		c.Chain[1].Name != "复审" || !c.Chain[1].Dept || len(c.Chain[1].Roles) != 2 {
		t.Errorf("chain %+v", c.Chain)
	}
	if len(c.Points) != len(infosub.Levels) || c.Points["city"] != 20 || c.Points["portal"] != 0 {
		t.Errorf("points %v", c.Points)
	}
}

func TestParseInfoQuota(t *testing.T) {
	for _, c := range []struct {
		monthly string
		want    int
		bad     bool
	}{{"", -1, false}, {"  ", -1, false}, {"４", 4, false}, {"0", 0, false}, {"-1", 0, true}, {"三", 0, true}} {
		org, n, err := ParseInfoQuota(url.Values{"org": {"7"}, "monthly": {c.monthly}})
		if c.bad {
			if !apperr.IsUser(err) || err.Error() != "每月任务数：应为 0 到 100 的整数" {
				t.Errorf("%q: %v", c.monthly, err)
			}
			continue
		}
		if err != nil || org != 7 || n != c.want {
			t.Errorf("%q: org %d monthly %d %v", c.monthly, org, n, err)
		}
	}
}

func TestParseInfoFilter(t *testing.T) {
	f := ParseInfoFilter(url.Values{"org": {"3"}, "status": {"review"}, "month": {"2023-13"}, "pub": {"2023-06"}, "adopted": {"1"},
		"q": {" 农田 "}, "mine": {"1"}, "counted": {"1"}, "page": {"0"}}, 5, 50)
	if f.UnitID != 5 || f.OrgID != 3 || f.Status != "review" || f.Month != "" || f.PubMonth != "2023-06" || !f.Adopted ||
		f.Q != "农田" || !f.Mine || !f.Counted || f.Page != 1 || f.PerPage != 50 {
		t.Errorf("filter %+v", f)
	}
}
