package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// infoFix is a unit with one department, its 信息员 (author), 科室负责人,
// the unit's 专干 and leader, and a second unit's clerk.
type infoFix struct {
	fixture
	dept2                         org.Node
	author, head, leader, author2 org.User
	scAuthor, scHead, scLeader    access.Scope
}

func (f infoFix) actor(u org.User) store.Actor { return store.Actor{UserID: u.ID, Name: u.Name} }

func setupInfo(t *testing.T, s *store.Store) infoFix {
	t.Helper()
	ctx := context.Background()
	f := infoFix{fixture: setup(t, s)}
	f.dept2 = org.Node{Kind: org.Department, Name: "规划科", ParentID: f.unitA.ID}
	mk := func(u *org.User) {
		t.Helper()
		if err := s.CreateUser(ctx, store.System, u, "password123"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateNode(ctx, store.System, &f.dept2); err != nil {
		t.Fatal(err)
	}
	f.author = org.User{OrgID: f.deptA.ID, Username: "xinxi", Name: "唐信息", Grants: []access.Grant{{Role: access.InfoOfficer, OrgID: f.deptA.ID}}}
	mk(&f.author)
	f.author2 = org.User{OrgID: f.dept2.ID, Username: "xinxi2", Name: "钱信息", Grants: []access.Grant{{Role: access.InfoOfficer, OrgID: f.dept2.ID}}}
	mk(&f.author2)
	f.head = org.User{OrgID: f.deptA.ID, Username: "kezhang", Name: "高科长", Grants: []access.Grant{{Role: access.DeptHead, OrgID: f.deptA.ID}}}
	mk(&f.head)
	f.leader = org.User{OrgID: f.unitA.ID, Username: "lingdao", Name: "刘局长", Grants: []access.Grant{{Role: access.DirectResp, OrgID: f.unitA.ID}}}
	mk(&f.leader)
	f.scAuthor, f.scHead, f.scLeader = scopeOf(t, s, f.author.ID), scopeOf(t, s, f.head.ID), scopeOf(t, s, f.leader.ID)
	return f
}

func noBlock(string, string) []string { return nil }

// newDraft creates and submits a draft of the author's department.
func (f infoFix) newDraft(t *testing.T, title string, submit bool) infosub.Draft {
	t.Helper()
	ctx := context.Background()
	d := infosub.Draft{OrgID: f.deptA.ID, Title: title, Body: "<p>正文</p>", BodyText: "正文" + title, Category: "工作动态"}
	if err := f.s.CreateDraft(ctx, f.actor(f.author), f.scAuthor, &d); err != nil {
		t.Fatal(err)
	}
	if submit {
		if err := f.s.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, "", noBlock); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// approveAll takes a submitted draft through 初审, 三校, 复审 and 终审.
func (f infoFix) approveAll(t *testing.T, id int64) {
	t.Helper()
	ctx := context.Background()
	steps := []struct {
		u  org.User
		sc access.Scope
		a  infosub.Action
	}{
		{f.clerkA, f.scA, infosub.ActApprove},
		{f.head, f.scHead, infosub.ActApprove},
		{f.clerkA, f.scA, infosub.ActProof}, {f.head, f.scHead, infosub.ActProof}, {f.leader, f.scLeader, infosub.ActProof},
		{f.leader, f.scLeader, infosub.ActApprove},
	}
	for i, st := range steps {
		if err := f.s.ReviewDraft(ctx, f.actor(st.u), st.sc, id, store.Review{Action: st.a, Comment: "同意"}, noBlock); err != nil {
			t.Fatalf("step %d (%s by %s): %v", i, st.a, st.u.Name, err)
		}
	}
}

func TestInfoFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		day := func(d string) {
			tm, _ := time.ParseInLocation("2006-01-02 15:04", d+" 10:00", time.FixedZone("CST", 8*3600))
			s.Now = func() time.Time { return tm }
		}
		day("2023-03-01")
		d1 := f.newDraft(t, "春耕备耕工作有序推进", true) // written in H1, published + adopted
		f.approveAll(t, d1.ID)
		day("2023-03-05")
		pub := func(id int64, level, date string) {
			t.Helper()
			if err := s.AddPublication(ctx, f.actor(f.clerkA), f.scA, &infosub.Publication{DraftID: id, Level: level, Date: date, Outlet: "区融媒体中心"}); err != nil {
				t.Fatal(err)
			}
		}
		pub(d1.ID, "portal", "2023-03-04")
		pub(d1.ID, "city", "2023-03-05")
		d2 := f.newDraft(t, "高标准农田建设", true) // written, published on the portal only
		f.approveAll(t, d2.ID)
		pub(d2.ID, "wechat", "2023-03-05")
		d3 := f.newDraft(t, "撤回的信息", true) // withdrawn: not counted
		if err := s.WithdrawDraft(ctx, f.actor(f.author), f.scAuthor, d3.ID, "重复"); err != nil {
			t.Fatal(err)
		}
		f.newDraft(t, "未提交的草稿", false) // never submitted: not counted
		day("2023-07-02")
		d5 := f.newDraft(t, "下半年的信息", true) // outside H1
		f.approveAll(t, d5.ID)
		pub(d5.ID, "province", "2023-07-02")
		// Unit B's draft never counts for unit A.
		scB := f.scB
		dB := infosub.Draft{OrgID: f.unitB.ID, Title: "乙局信息", BodyText: "乙局", Body: "乙局"}
		if err := s.CreateDraft(ctx, store.Actor{UserID: f.clerkB.ID, Name: "李专干"}, scB, &dB); err != nil {
			t.Fatal(err)
		}

		got, err := s.InfoFigures(ctx, f.scA, f.unitA.ID, "2023-01-01", "2023-06-30")
		if err != nil {
			t.Fatal(err)
		}
		want := store.InfoFigures{Written: 2, Published: 2, Adopted: 1, WrittenIDs: []int64{d1.ID, d2.ID}, PublishedIDs: []int64{d1.ID, d2.ID}}
		if got.Written != want.Written || got.Published != want.Published || got.Adopted != want.Adopted ||
			!slices.Equal(got.WrittenIDs, want.WrittenIDs) || !slices.Equal(got.PublishedIDs, want.PublishedIDs) {
			t.Fatalf("H1 figures = %+v, want %+v", got, want)
		}
		h2, err := s.InfoFigures(ctx, f.scA, f.unitA.ID, "2023-07-01", "2023-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if h2.Written != 1 || h2.Published != 1 || h2.Adopted != 1 {
			t.Fatalf("H2 figures = %+v", h2)
		}
		// Another unit's clerk sees nothing of unit A.
		other, err := s.InfoFigures(ctx, f.scB, f.unitA.ID, "2023-01-01", "2023-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if other.Written != 0 || other.Published != 0 {
			t.Fatalf("out-of-scope figures = %+v", other)
		}
		if _, err := s.Draft(ctx, f.scB, d1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other unit reads draft: %v", err)
		}
	})
}

var _ = strings.Contains
