package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// infoFix is a unit with one department, its 信息员 (author), 科室负责人,
// the unit's 专干 and leader, and a second unit's clerk. Drafts are made
// and reviewed through the service, which applies the workflow rules; the
// tests here check the store's counts.
type infoFix struct {
	fixture
	svc                           *service.Service
	dept2                         org.Node
	author, head, leader, author2 org.User
	scAuthor, scHead, scLeader    access.Scope
}

func (f infoFix) actor(u org.User) store.Actor { return store.Actor{UserID: u.ID, Name: u.Name} }

func setupInfo(t *testing.T, s *store.Store) infoFix {
	t.Helper()
	ctx := context.Background()
	f := infoFix{fixture: setup(t, s)}
	f.svc = service.New(s, service.Config{}, nil)
	f.svc.SetClock(fixedNow)
	f.dept2 = org.Node{Kind: org.Department, Name: "规划科", ParentID: f.unitA.ID}
	mk := func(u *org.User) {
		t.Helper()
		if err := svcOf(s).CreateUser(ctx, store.System, u, "password123"); err != nil {
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

// newDraft creates and submits a draft of the author's department.
func (f infoFix) newDraft(t *testing.T, title string, submit bool) infosub.Draft {
	t.Helper()
	ctx := context.Background()
	d := infosub.Draft{OrgID: f.deptA.ID, Title: title, Body: "<p>正文</p>", BodyText: "正文" + title, Category: "工作动态"}
	if err := f.svc.CreateDraft(ctx, f.actor(f.author), f.scAuthor, &d); err != nil {
		t.Fatal(err)
	}
	if submit {
		if err := f.svc.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, ""); err != nil {
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
		if err := f.svc.ReviewDraft(ctx, f.actor(st.u), st.sc, id, infosub.Review{Action: st.a, Comment: "同意"}); err != nil {
			t.Fatalf("step %d (%s by %s): %v", i, st.a, st.u.Name, err)
		}
	}
}

// day sets the clock of the service and the store to 10:00 on day d.
func (f infoFix) day(d string) {
	tm, _ := time.ParseInLocation("2006-01-02 15:04", d+" 10:00", cntime.Zone)
	f.svc.SetClock(func() time.Time { return tm })
}

func TestInfoFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		day := f.day
		day("2023-03-01")
		d1 := f.newDraft(t, "春耕备耕工作有序推进", true) // written in H1, published + adopted
		f.approveAll(t, d1.ID)
		day("2023-03-05")
		pub := func(id int64, level, date string) {
			t.Helper()
			if err := f.svc.AddPublication(ctx, f.actor(f.clerkA), f.scA, &infosub.Publication{DraftID: id, Level: level, Date: date, Outlet: "区融媒体中心"}); err != nil {
				t.Fatal(err)
			}
		}
		pub(d1.ID, "portal", "2023-03-04")
		pub(d1.ID, "city", "2023-03-05")
		d2 := f.newDraft(t, "高标准农田建设", true) // written, published on the portal only
		f.approveAll(t, d2.ID)
		pub(d2.ID, "wechat", "2023-03-05")
		d3 := f.newDraft(t, "撤回的信息", true) // withdrawn: not counted
		if err := f.svc.WithdrawDraft(ctx, f.actor(f.author), f.scAuthor, d3.ID, "重复"); err != nil {
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
		if err := f.svc.CreateDraft(ctx, store.Actor{UserID: f.clerkB.ID, Name: "李专干"}, scB, &dB); err != nil {
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

// TestInfoBulletin checks the bulletin against counts made draft by draft
// from ListDrafts and Publications (a different path than the bulletin's
// grouped SQL), and that departments with no drafts appear as 零报送.
func TestInfoBulletin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		day := f.day
		empty := org.Node{Kind: org.Department, Name: "财务科", ParentID: f.unitA.ID}
		if err := s.CreateNode(ctx, store.System, &empty); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetInfoQuota(ctx, f.actor(f.clerkA), f.scA, f.unitA.ID, f.deptA.ID, 3); err != nil {
			t.Fatal(err)
		}
		day("2023-05-03")
		for i := range 4 {
			d := f.newDraft(t, fmt.Sprintf("五月信息%d", i), true)
			if i < 3 {
				f.approveAll(t, d.ID)
			}
			if i < 2 {
				if err := f.svc.AddPublication(ctx, f.actor(f.clerkA), f.scA, &infosub.Publication{DraftID: d.ID, Level: "portal", Date: "2023-05-03"}); err != nil {
					t.Fatal(err)
				}
			}
			if i == 0 {
				if err := f.svc.AddPublication(ctx, f.actor(f.clerkA), f.scA, &infosub.Publication{DraftID: d.ID, Level: "province", Date: "2023-05-03"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// 规划科 submits one draft in May, one withdrawn.
		for i, title := range []string{"规划科信息", "规划科撤回"} {
			d := infosub.Draft{OrgID: f.dept2.ID, Title: title, BodyText: "正文", Body: "正文"}
			if err := f.svc.CreateDraft(ctx, f.actor(f.author2), scopeOf(t, s, f.author2.ID), &d); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.SubmitDraft(ctx, f.actor(f.author2), scopeOf(t, s, f.author2.ID), d.ID, ""); err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				if err := f.svc.WithdrawDraft(ctx, f.actor(f.author2), scopeOf(t, s, f.author2.ID), d.ID, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		day("2023-06-02")
		f.newDraft(t, "六月信息", true)

		b, err := s.InfoBulletin(ctx, f.scA, f.unitA.ID, "2023-05")
		if err != nil {
			t.Fatal(err)
		}
		// Independent counts.
		all, _, err := s.ListDrafts(ctx, f.scA, store.DraftFilter{UnitID: f.unitA.ID})
		if err != nil {
			t.Fatal(err)
		}
		type cnt struct{ sub, pub, adopt, points int }
		want := map[string]*cnt{}
		for _, r := range b.Rows {
			want[r.Name] = &cnt{}
		}
		for _, d := range all {
			c := want[d.OrgName]
			if d.Status != infosub.StatusWithdrawn && strings.HasPrefix(d.SubmittedDate, "2023-05") {
				c.sub++
			}
			ps, err := s.Publications(ctx, f.scA, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			var published, adopted bool
			for _, p := range ps {
				if strings.HasPrefix(p.Date, "2023-05") {
					published = true
					adopted = adopted || p.Kind == "adopt"
					c.points += p.Points
				}
			}
			if published {
				c.pub++
			}
			if adopted {
				c.adopt++
			}
		}
		for _, r := range b.Rows {
			w := want[r.Name]
			if r.Submitted != w.sub || r.Published != w.pub || r.Adopted != w.adopt || r.Points != w.points {
				t.Errorf("%s: bulletin %+v, independent %+v", r.Name, r, *w)
			}
		}
		if b.Rows[0].Name != "办公室" || b.Rows[0].Submitted != 4 || b.Rows[0].Approved != 3 || b.Rows[0].Points != 32 || b.Rows[0].Rank != 1 {
			t.Errorf("first row %+v", b.Rows[0])
		}
		if z := b.ZeroNames(); fmt.Sprint(z) != "[财务科]" {
			t.Errorf("零报送 = %v", z)
		}
		if !b.Rows[0].QuotaMet() {
			t.Errorf("quota 3 with 4 submitted not met")
		}
		if !strings.Contains(b.Summary(), "共报送信息5条，终审通过3条") {
			t.Errorf("summary %q", b.Summary())
		}
		if _, err := s.InfoBulletin(ctx, f.scB, f.unitA.ID, "2023-05"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("other unit read the bulletin: %v", err)
		}
	})
}
