package infosub

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
)

const wfUnit, wfDept = 10, 11

var (
	wfNow    = time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone)
	wfClerk  = []access.Grant{{Role: access.Clerk, OrgID: wfUnit, UnitID: wfUnit, Kind: "unit"}}
	wfHead   = []access.Grant{{Role: access.DeptHead, OrgID: wfDept, UnitID: wfUnit, Kind: "department"}}
	wfLeader = []access.Grant{{Role: access.DirectResp, OrgID: wfUnit, UnitID: wfUnit, Kind: "unit"}}
)

func wfFacts(grants []access.Grant, cycle ...Decision) Facts {
	return Facts{Config: DefaultConfig(), Cycle: cycle, Grants: grants, Now: wfNow}
}

// wfDraft is author 1's draft of the department, as a status.
func wfDraft(st Status, step int) Draft {
	d := Draft{ID: 5, UnitID: wfUnit, OrgID: wfDept, AuthorID: 1, Title: "标题", Body: "<p>正文禁词</p>", BodyText: "正文禁词", Status: st, Step: step}
	if st != StatusDraft {
		d.Chain, d.Cycle, d.Version = DefaultChain(), 1, 1
	}
	return d
}

func blockWord(title, text string) []string {
	if strings.Contains(title+text, "禁词") {
		return []string{"禁词"}
	}
	return nil
}

func wantUserErr(t *testing.T, err error, has string) {
	t.Helper()
	if err == nil || !apperr.IsUser(err) || !strings.Contains(err.Error(), has) {
		t.Fatalf("error %v, want a user error with %q", err, has)
	}
}

func TestErrBlockedIsAUserError(t *testing.T) {
	err := Blocked(wfDraft(StatusDraft, 0), blockWord, nil)
	wrapped := fmt.Errorf("submit draft 5: %w", err)
	var b *ErrBlocked
	if !errors.As(wrapped, &b) || !slices.Equal(b.Terms, []string{"禁词"}) {
		t.Fatalf("not an ErrBlocked: %v", wrapped)
	}
	if !apperr.IsUser(wrapped) || apperr.Message(wrapped) != "筛查发现阻断性问题：禁词。请修改，或由审核人填写理由后放行" {
		t.Fatalf("message %q", apperr.Message(wrapped))
	}
	if err := Blocked(wfDraft(StatusDraft, 0), blockWord, []string{"禁词"}); err != nil {
		t.Fatalf("passed term still blocks: %v", err)
	}
	if err := Blocked(wfDraft(StatusDraft, 0), nil, nil); err != nil {
		t.Fatalf("no checker blocks: %v", err)
	}
}

func TestSubmit(t *testing.T) {
	d := wfDraft(StatusDraft, 0)
	if _, err := Submit(&d, wfFacts(nil), 2, "", nil); err == nil || err.Error() != "只有撰写人可以提交" {
		t.Fatalf("other user: %v", err)
	}
	if _, err := Submit(&d, wfFacts(nil), 1, "", blockWord); !errors.As(err, new(*ErrBlocked)) {
		t.Fatalf("blocked: %v", err)
	}
	empty := d
	empty.BodyText = " "
	if _, err := Submit(&empty, wfFacts(nil), 1, "", nil); err == nil || err.Error() != "正文：不能为空" {
		t.Fatalf("empty body: %v", err)
	}
	f := wfFacts(nil)
	f.Passed = []string{"禁词"}
	ch, err := Submit(&d, f, 1, "请审核", blockWord)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusReview || d.Step != 0 || d.Cycle != 1 || d.Version != 1 || len(d.Chain) != 3 || d.SubmittedDate != "2023-07-05" ||
		d.SubmittedAt != wfNow.Unix() || d.StepDue != wfNow.Unix()+2*86400 {
		t.Fatalf("submitted draft %+v", d)
	}
	if !ch.Save || ch.VersionNote != "提交" || ch.Decision.Action != ActSubmit || ch.Decision.StepName != "初审" || ch.Decision.Version != 1 ||
		ch.Decision.Cycle != 1 || ch.Decision.Comment != "请审核" {
		t.Fatalf("change %+v", ch)
	}
	if _, err := Submit(&d, f, 1, "", nil); err == nil || err.Error() != "信息审核中，不能提交" {
		t.Fatalf("second submit: %v", err)
	}
	// A returned draft keeps its first submission date and starts cycle 2.
	r := wfDraft(StatusReturned, 1)
	r.SubmittedDate, r.SubmittedAt = "2023-06-01", 100
	ch, err = Submit(&r, wfFacts(nil), 1, "", nil)
	if err != nil || r.Cycle != 2 || r.Version != 2 || r.SubmittedDate != "2023-06-01" || r.SubmittedAt != 100 || ch.VersionNote != "退回后重新提交" {
		t.Fatalf("resubmit: %v %+v %+v", err, r, ch)
	}
}

func TestWithdraw(t *testing.T) {
	d := wfDraft(StatusReview, 1)
	d.StepDue = 99
	if _, err := Withdraw(&d, 2, ""); err == nil || err.Error() != "只有撰写人可以撤回" {
		t.Fatalf("other user: %v", err)
	}
	ch, err := Withdraw(&d, 1, "重复")
	if err != nil || d.Status != StatusWithdrawn || d.StepDue != 0 || ch.Decision.StepName != "复审" || ch.Decision.Comment != "重复" || !ch.Save {
		t.Fatalf("withdraw: %v %+v %+v", err, d, ch)
	}
	a := wfDraft(StatusApproved, 2)
	if _, err := Withdraw(&a, 1, ""); err == nil || err.Error() != "信息终审通过待发布，不能撤回" {
		t.Fatalf("approved: %v", err)
	}
}

func TestDecide(t *testing.T) {
	proofs := func(n int) []Decision {
		var out []Decision
		for range n {
			out = append(out, Decision{Action: ActProof})
		}
		return out
	}
	t.Run("return needs a reason", func(t *testing.T) {
		d := wfDraft(StatusReview, 0)
		_, err := Decide(&d, wfFacts(wfClerk), 2, Review{Action: ActReturn, Comment: "  "}, nil)
		wantUserErr(t, err, "退回意见：不能为空")
		ch, err := Decide(&d, wfFacts(wfClerk), 2, Review{Action: ActReturn, Comment: " 请补充 "}, nil)
		if err != nil || d.Status != StatusReturned || ch.Decision.Comment != "请补充" || ch.Decision.StepName != "初审" {
			t.Fatalf("%v %+v %+v", err, d, ch)
		}
	})
	t.Run("approve moves on, then approves", func(t *testing.T) {
		d := wfDraft(StatusReview, 0)
		if _, err := Decide(&d, wfFacts(wfClerk), 2, Review{Action: ActApprove}, blockWord); !errors.As(err, new(*ErrBlocked)) {
			t.Fatalf("blocked approve: %v", err)
		}
		f := wfFacts(wfClerk)
		f.Passed = []string{"禁词"}
		ch, err := Decide(&d, f, 2, Review{Action: ActApprove}, blockWord)
		if err != nil || d.Step != 1 || d.StepDue != wfNow.Unix()+2*86400 || ch.Decision.StepName != "初审" || ch.Decision.Step != 0 {
			t.Fatalf("%v %+v %+v", err, d, ch)
		}
		last := wfDraft(StatusReview, 2)
		if _, err := Decide(&last, wfFacts(wfLeader, proofs(2)...), 4, Review{Action: ActApprove}, nil); err == nil {
			t.Fatal("终审 with two proofreading rounds")
		}
		if _, err := Decide(&last, wfFacts(wfLeader, proofs(3)...), 4, Review{Action: ActApprove}, nil); err != nil || last.Status != StatusApproved ||
			last.ApprovedAt != wfNow.Unix() || last.StepDue != 0 {
			t.Fatalf("终审：%v %+v", err, last)
		}
	})
	t.Run("edit makes a version", func(t *testing.T) {
		d := wfDraft(StatusReview, 1)
		_, err := Decide(&d, wfFacts(wfHead), 3, Review{Action: ActEdit, Title: " 标题 ", Body: d.Body, BodyText: d.BodyText}, nil)
		wantUserErr(t, err, "正文和标题都没有改动")
		_, err = Decide(&d, wfFacts(wfHead), 3, Review{Action: ActEdit, Title: "", Body: "<p>新</p>", BodyText: "新"}, nil)
		wantUserErr(t, err, "标题：不能为空")
		ch, err := Decide(&d, wfFacts(wfHead), 3, Review{Action: ActEdit, Title: "标题", Body: "<p>新</p>", BodyText: "新"}, nil)
		if err != nil || d.Version != 2 || d.Body != "<p>新</p>" || ch.VersionNote != "复审修改" || ch.Decision.Version != 2 || !ch.Save {
			t.Fatalf("%v %+v %+v", err, d, ch)
		}
	})
	t.Run("proofreading rounds are limited", func(t *testing.T) {
		d := wfDraft(StatusReview, 2)
		ch, err := Decide(&d, wfFacts(wfLeader, proofs(2)...), 4, Review{Action: ActProof}, nil)
		if err != nil || ch.Decision.Round != 3 || ch.Save {
			t.Fatalf("third round: %v %+v", err, ch)
		}
		_, err = Decide(&d, wfFacts(wfLeader, proofs(MaxProofRounds)...), 4, Review{Action: ActProof}, nil)
		wantUserErr(t, err, "本轮已完成全部 3 次校对，不再增加校次")
		// A unit requiring two rounds gets no third (the page offered a 第4校).
		two := wfFacts(wfLeader, proofs(2)...)
		two.Config.ProofRounds = 2
		_, err = Decide(&d, two, 4, Review{Action: ActProof}, nil)
		wantUserErr(t, err, "本轮已完成全部 2 次校对，不再增加校次")
		none := wfFacts(wfLeader)
		none.Config.ProofRounds = 0
		_, err = Decide(&d, none, 4, Review{Action: ActProof}, nil)
		wantUserErr(t, err, "本单位设置为终审前不要求校对")
	})
	t.Run("three rounds need three people unless the unit allows one", func(t *testing.T) {
		d := wfDraft(StatusReview, 2)
		mine := []Decision{{Action: ActProof, UserID: 4, Round: 1}}
		_, err := Decide(&d, wfFacts(wfLeader, mine...), 4, Review{Action: ActProof}, nil)
		wantUserErr(t, err, "您已完成本轮第 1 校；按本单位设置，每一校须由不同人员完成，请由其他审核人校对")
		ch, err := Decide(&d, wfFacts(wfLeader, mine...), 5, Review{Action: ActProof}, nil)
		if err != nil || ch.Decision.Round != 2 {
			t.Fatalf("another person's second round: %v %+v", err, ch)
		}
		same := wfFacts(wfLeader, mine...)
		same.Config.ProofDistinct = false
		if ch, err := Decide(&d, same, 4, Review{Action: ActProof}, nil); err != nil || ch.Decision.Round != 2 {
			t.Fatalf("one person, unit allows it: %v %+v", err, ch)
		}
	})
	t.Run("a draft never submitted is not withdrawn", func(t *testing.T) {
		d := wfDraft(StatusDraft, 0)
		_, err := Withdraw(&d, 1, "")
		wantUserErr(t, err, "草稿尚未提交，无需撤回；不需要时可以删除")
		sub := wfDraft(StatusReview, 0)
		if _, err := Withdraw(&sub, 1, ""); err != nil || sub.Status != StatusWithdrawn {
			t.Fatalf("submitted draft: %v %+v", err, sub)
		}
	})
	t.Run("override needs a reason and a finding", func(t *testing.T) {
		d := wfDraft(StatusDraft, 0) // not submitted: judged by the unit's chain
		_, err := Decide(&d, wfFacts(wfClerk), 2, Review{Action: ActOverride}, blockWord)
		wantUserErr(t, err, "放行理由：不能为空")
		clean := d
		clean.Title, clean.BodyText = "标题", "正文"
		_, err = Decide(&clean, wfFacts(wfClerk), 2, Review{Action: ActOverride, Comment: "理由"}, blockWord)
		wantUserErr(t, err, "当前文本没有需要放行的阻断性问题")
		ch, err := Decide(&d, wfFacts(wfClerk), 2, Review{Action: ActOverride, Comment: "理由"}, blockWord)
		if err != nil || !slices.Equal(ch.Terms, []string{"禁词"}) || ch.Save || ch.Decision.StepName != "" {
			t.Fatalf("%v %+v", err, ch)
		}
		_, err = Decide(&d, wfFacts(wfClerk), 1, Review{Action: ActOverride, Comment: "理由"}, blockWord)
		wantUserErr(t, err, "不能审核本人撰写的信息")
	})
	if err := (Review{Action: "nonsense"}).Validate(); err == nil || err.Error() != "请选择审核意见" {
		t.Errorf("unknown action: %v", err)
	}
}

func TestAuthorRulesAndRefs(t *testing.T) {
	d := wfDraft(StatusDraft, 0)
	if CanEdit(d, 1) != nil || CanDelete(d, 1) != nil || !Editable(d, 1) {
		t.Fatal("author may not edit or delete a new draft")
	}
	wantUserErr(t, CanEdit(d, 2), "只有撰写人可以修改草稿")
	rv := wfDraft(StatusReview, 0)
	wantUserErr(t, CanEdit(rv, 1), "信息审核中，不能修改")
	wantUserErr(t, CanDelete(rv, 1), "只有撰写人可以删除从未提交的草稿")
	ret := wfDraft(StatusReturned, 0)
	if CanEdit(ret, 1) != nil || CanDelete(ret, 1) == nil {
		t.Fatal("returned draft: editable, not deletable")
	}
	sc := access.Scope{UserID: 1, WriteOrgs: []int64{wfDept}}
	cases := []struct {
		unit, org int64 // the draft's unit so far (0: new) and department
		r         Refs
		act       int64
		want      string
	}{
		{0, wfDept, Refs{}, 0, "报送科室：不存在"},
		{0, wfDept, Refs{OrgUnitID: 7, OrgKind: org.District}, 0, "报送科室：不存在"},
		{0, 21, Refs{OrgUnitID: 20, OrgKind: org.Department}, 0, "报送科室：无权以该科室名义报送"},
		{wfUnit + 1, wfDept, Refs{OrgUnitID: wfUnit, OrgKind: org.Department}, 0, "报送科室：不能改到其他单位"},
		{0, wfDept, Refs{OrgUnitID: wfUnit, OrgKind: org.Department, ActivityUnitID: 20}, 3, "关联台账：所选活动不存在"},
		{0, wfDept, Refs{OrgUnitID: wfUnit, OrgKind: org.Department}, 3, "关联台账：所选活动不存在"},
		{0, wfDept, Refs{OrgUnitID: wfUnit, OrgKind: org.Department, ActivityUnitID: wfUnit}, 3, ""},
	}
	for i, c := range cases {
		d := Draft{UnitID: c.unit, OrgID: c.org, ActivityID: c.act}
		err := CheckRefs(&d, c.r, sc)
		if c.want == "" {
			if err != nil || d.UnitID != wfUnit {
				t.Errorf("case %d: %v, unit %d", i, err, d.UnitID)
			}
			continue
		}
		if err == nil || err.Error() != c.want {
			t.Errorf("case %d: %v, want %q", i, err, c.want)
		}
	}
}

func TestPublication(t *testing.T) {
	for _, c := range []struct {
		p    Publication
		want string
	}{
		{Publication{Level: "moon", Date: "2023-07-01"}, "发布渠道/采用级别：无效"},
		{Publication{Level: "city", Date: "2023/07/01"}, "日期：格式应为 2023-06-30"},
		{Publication{Level: "city", Date: "2023-07-06"}, "日期：不能晚于今天"},
		{Publication{Level: "city", Date: "2023-07-05", URL: "ftp://x"}, "链接：应以 http:// 或 https:// 开头"},
		{Publication{Level: "city", Date: "2023-07-05", Outlet: strings.Repeat("刊", 61)}, "刊发媒体/链接：过长"},
	} {
		if err := c.p.Validate("2023-07-05"); err == nil || err.Error() != c.want {
			t.Errorf("%+v: %v, want %q", c.p, err, c.want)
		}
	}
	manager := access.Scope{UserID: 2, WriteUnits: []int64{wfUnit}}
	p := Publication{Level: "city", Date: "2023-07-05", Outlet: " 市委信息 "}
	if err := p.Validate("2023-07-05"); err != nil || p.Kind != "adopt" || p.Outlet != "市委信息" {
		t.Fatalf("validate: %v %+v", err, p)
	}
	d := wfDraft(StatusApproved, 2)
	_, err := Publish(&d, wfFacts(nil), access.Scope{UserID: 1, WriteOrgs: []int64{wfDept}}, &p)
	wantUserErr(t, err, "只有意识形态专干或单位领导可以登记发布和采用")
	rv := wfDraft(StatusReview, 1)
	_, err = Publish(&rv, wfFacts(nil), manager, &p)
	wantUserErr(t, err, "信息审核中，不能登记采用")
	// Adopting an approved draft publishes it, with the unit's points.
	ch, err := Publish(&d, wfFacts(nil), manager, &p)
	if err != nil || d.Status != StatusPublished || !ch.Save || p.Points != 20 || p.UnitID != wfUnit || p.DraftID != d.ID ||
		ch.Decision.Action != ActAdopt || ch.Decision.Comment != "市级媒体/信息刊物 市委信息" {
		t.Fatalf("adopt: %v %+v %+v %+v", err, d, p, ch)
	}
	// A further record on a published draft changes nothing on the draft.
	portal := Publication{Level: "portal", Date: "2023-07-05"}
	if err := portal.Validate("2023-07-05"); err != nil {
		t.Fatal(err)
	}
	if ch, err := Publish(&d, wfFacts(nil), manager, &portal); err != nil || ch.Save || portal.Kind != "publish" || ch.Decision.Action != ActPublish {
		t.Fatalf("publish again: %v %+v", err, ch)
	}
}

func TestImagesAndReviewers(t *testing.T) {
	if err := CheckImage("x.png", "image/png", []byte("<html>")); err == nil || err.Error() != "「x.png」不是有效的图片，仅接受 PNG、JPEG、GIF" {
		t.Errorf("fake image: %v", err)
	}
	d := wfDraft(StatusDraft, 0)
	wantUserErr(t, AddImages(&d, 2, nil), "只有撰写人可以插入图片")
	rv := wfDraft(StatusReview, 0)
	wantUserErr(t, AddImages(&rv, 1, nil), "信息审核中，不能添加图片")
	if err := AddImages(&d, 1, []Image{{ID: 8, Name: `现"场".png`}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(d.Body, `<p><img src="/info/5/img/8" alt="现场.png"></p>`) {
		t.Errorf("body %q", d.Body)
	}
	users := []org.User{
		{ID: 1, Grants: wfClerk},                 // the author
		{ID: 2, Grants: wfClerk},                 // 初审
		{ID: 3, Grants: wfClerk, Disabled: true}, // disabled
		{ID: 4, Grants: wfHead},                  // 复审, not yet
	}
	if got := StepReviewers(wfDraft(StatusReview, 0), users); !slices.Equal(got, []int64{2}) {
		t.Errorf("初审 reviewers %v", got)
	}
	if got := StepReviewers(wfDraft(StatusReturned, 0), users); len(got) != 0 {
		t.Errorf("reviewers of a returned draft %v", got)
	}
}
