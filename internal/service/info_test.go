package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// infoFix is two units: 甲局 with 办公室 and 规划科, its 专干 (clerk), a
// 信息员 (author) and 科室负责人 of 办公室, a leader, a 信息员 of 规划科; and
// 乙局 with its clerk.
type infoFix struct {
	s                                               *store.Store
	svc                                             *service.Service
	unitA, unitB, deptA, dept2                      org.Node
	clerkA, clerkB, author, author2, head, leader   org.User
	scA, scB, scAuthor, scAuthor2, scHead, scLeader access.Scope
}

func fixedNow() time.Time { return time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone) }

func (f infoFix) actor(u org.User) store.Actor { return store.Actor{UserID: u.ID, Name: u.Name} }

func setupInfo(t *testing.T, s *store.Store) infoFix {
	t.Helper()
	ctx := context.Background()
	f := infoFix{s: s, svc: service.New(s, service.Config{}, nil)}
	f.svc.SetClock(fixedNow)
	node := func(n *org.Node, kind, name string, parent int64) {
		t.Helper()
		*n = org.Node{Kind: kind, Name: name, ParentID: parent}
		if err := s.CreateNode(ctx, store.System, n); err != nil {
			t.Fatal(err)
		}
	}
	node(&f.unitA, org.Unit, "甲局", 0)
	node(&f.unitB, org.Unit, "乙局", 0)
	node(&f.deptA, org.Department, "办公室", f.unitA.ID)
	node(&f.dept2, org.Department, "规划科", f.unitA.ID)
	user := func(u *org.User, orgID int64, username, name string, role access.Role) access.Scope {
		t.Helper()
		*u = org.User{OrgID: orgID, Username: username, Name: name, Grants: []access.Grant{{Role: role, OrgID: orgID}}}
		if err := service.New(s, service.Config{}, nil).CreateUser(ctx, store.System, u, "Kx7m-Lp2q9"); err != nil {
			t.Fatal(err)
		}
		return scopeOf(t, s, u.ID)
	}
	f.scA = user(&f.clerkA, f.unitA.ID, "clerka", "张专干", access.Clerk)
	f.scB = user(&f.clerkB, f.unitB.ID, "clerkb", "李专干", access.Clerk)
	f.scAuthor = user(&f.author, f.deptA.ID, "xinxi", "唐信息", access.InfoOfficer)
	f.scAuthor2 = user(&f.author2, f.dept2.ID, "xinxi2", "钱信息", access.InfoOfficer)
	f.scHead = user(&f.head, f.deptA.ID, "kezhang", "高科长", access.DeptHead)
	f.scLeader = user(&f.leader, f.unitA.ID, "lingdao", "刘局长", access.DirectResp)
	return f
}

func scopeOf(t *testing.T, s *store.Store, userID int64) access.Scope {
	return storetest.Scope(t, s, userID)
}

// count runs a COUNT(*) query.
func (f infoFix) count(t *testing.T, q string, a ...any) int {
	t.Helper()
	var n int
	if err := f.s.DB().QueryRow(q, a...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInfoReviewFlow takes a draft through the whole review with the
// workflow rules as the service applies them: a blocked submission, a
// reviewer's override, forbidden decisions, return and resubmission, a
// reviewer's edit, 三校, 终审 and adoption. (Moved from the store's
// tests when the rules moved out of the store; the unit's own term "禁词"
// stands in for the checker the store test passed.)
func TestInfoReviewFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		if _, err := f.svc.SaveInfoTerms(ctx, f.actor(f.clerkA), f.scA, f.unitA.ID, []infosub.Term{{Term: "禁词", Category: infosub.CatBanned, Severity: infosub.SevBlock}}); err != nil {
			t.Fatal(err)
		}
		d := infosub.Draft{OrgID: f.deptA.ID, Title: "含禁词的信息", Body: "<p>这里有禁词</p>", BodyText: "这里有禁词"}
		if err := f.svc.CreateDraft(ctx, f.actor(f.author), f.scAuthor, &d); err != nil {
			t.Fatal(err)
		}
		var blocked *infosub.ErrBlocked
		if err := f.svc.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, ""); !errors.As(err, &blocked) {
			t.Fatalf("blocked draft submitted: %v", err)
		}
		// The author cannot let it pass; a reviewer must, with a reason.
		if err := f.svc.ReviewDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, infosub.Review{Action: infosub.ActOverride, Comment: "我说可以"}); err == nil {
			t.Fatal("author overrode own draft")
		}
		if err := f.svc.ReviewDraft(ctx, f.actor(f.clerkA), f.scA, d.ID, infosub.Review{Action: infosub.ActOverride}); err == nil {
			t.Fatal("override without a reason")
		}
		if err := f.svc.ReviewDraft(ctx, f.actor(f.clerkA), f.scA, d.ID, infosub.Review{Action: infosub.ActOverride, Comment: "反邪教宣传稿件，引用必要"}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, ""); err != nil {
			t.Fatalf("submit after override: %v", err)
		}
		// Forbidden: author approving, 复审 before 初审, other unit, second submit.
		try := func(name string, u store.Actor, sc access.Scope, a infosub.Action, wantOK bool) {
			t.Helper()
			err := f.svc.ReviewDraft(ctx, u, sc, d.ID, infosub.Review{Action: a, Comment: "意见"})
			if (err == nil) != wantOK {
				t.Fatalf("%s: err = %v, want ok=%v", name, err, wantOK)
			}
		}
		try("author approves", f.actor(f.author), f.scAuthor, infosub.ActApprove, false)
		try("head skips 初审", f.actor(f.head), f.scHead, infosub.ActApprove, false)
		try("leader skips to 终审", f.actor(f.leader), f.scLeader, infosub.ActApprove, false)
		try("other unit", store.Actor{UserID: f.clerkB.ID, Name: "李专干"}, f.scB, infosub.ActApprove, false)
		if err := f.svc.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, ""); err == nil {
			t.Fatal("submitted twice")
		}
		try("初审 returns", f.actor(f.clerkA), f.scA, infosub.ActReturn, true)
		if err := f.svc.ReviewDraft(ctx, f.actor(f.clerkA), f.scA, d.ID, infosub.Review{Action: infosub.ActApprove}); err == nil {
			t.Fatal("approved a returned draft")
		}
		// The author edits and resubmits: a new cycle starting at 初审.
		d.BodyText, d.Body = "这里有禁词，已修改", "<p>这里有禁词，已修改</p>"
		if err := f.svc.UpdateDraft(ctx, f.actor(f.author), f.scAuthor, &d); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, "已按意见修改"); err != nil {
			t.Fatal(err)
		}
		try("初审 approves", f.actor(f.clerkA), f.scA, infosub.ActApprove, true)
		// The reviewer edits at 复审: a new version, recorded with the step.
		if err := f.svc.ReviewDraft(ctx, f.actor(f.head), f.scHead, d.ID, infosub.Review{Action: infosub.ActEdit, Title: d.Title, Body: "<p>改后的禁词</p>", BodyText: "改后的禁词", Comment: "润色"}); err != nil {
			t.Fatal(err)
		}
		try("复审 approves", f.actor(f.head), f.scHead, infosub.ActApprove, true)
		try("终审 before 三校", f.actor(f.leader), f.scLeader, infosub.ActApprove, false)
		for _, u := range []org.User{f.clerkA, f.head, f.leader} {
			sc := scopeOf(t, s, u.ID)
			try("三校 by "+u.Name, f.actor(u), sc, infosub.ActProof, true)
		}
		try("第四校", f.actor(f.leader), f.scLeader, infosub.ActProof, false)
		try("终审 approves", f.actor(f.leader), f.scLeader, infosub.ActApprove, true)
		if err := f.svc.WithdrawDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, ""); err == nil {
			t.Fatal("withdrew an approved draft")
		}
		if err := f.svc.AddPublication(ctx, f.actor(f.author), f.scAuthor, &infosub.Publication{DraftID: d.ID, Level: "portal", Date: "2023-07-05"}); err == nil {
			t.Fatal("info officer recorded a publication")
		}
		if err := f.svc.AddPublication(ctx, f.actor(f.clerkA), f.scA, &infosub.Publication{DraftID: d.ID, Level: "portal", Date: "2023-07-09"}); err == nil {
			t.Fatal("publication dated in the future accepted")
		}
		if err := f.svc.AddPublication(ctx, f.actor(f.clerkA), f.scA, &infosub.Publication{DraftID: d.ID, Level: "city", Date: "2023-07-05", Outlet: "市委信息"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Draft(ctx, f.scA, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != infosub.StatusPublished || got.Version != 3 || got.Cycle != 2 {
			t.Fatalf("draft after flow: status %s version %d cycle %d", got.Status, got.Version, got.Cycle)
		}
		vs, ds, err := s.DraftHistory(ctx, f.scA, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var log []string
		for _, x := range ds {
			log = append(log, fmt.Sprintf("%s/%s/v%d/%s", x.Action, x.StepName, x.Version, x.UserName))
		}
		want := "override//v0/张专干 submit/初审/v1/唐信息 return/初审/v1/张专干 submit/初审/v2/唐信息 approve/初审/v2/张专干 " +
			"edit/复审/v3/高科长 approve/复审/v3/高科长 proof/终审/v3/张专干 proof/终审/v3/高科长 proof/终审/v3/刘局长 approve/终审/v3/刘局长 adopt//v3/张专干"
		if strings.Join(log, " ") != want {
			t.Fatalf("decisions:\n%s\nwant\n%s", strings.Join(log, " "), want)
		}
		if len(vs) != 3 || vs[2].BodyText != "改后的禁词" || vs[2].Note != "复审修改" {
			t.Fatalf("versions %+v", vs)
		}
	})
}

// TestCreateDraftDatabaseGone: when the database cannot be reached, the
// department lookup fails as the server failure it is (503 in the web),
// not as the user error "报送科室: 不存在" — which is what POST /info said
// when PostgreSQL dropped the connection.
func TestCreateDraftDatabaseGone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := setupInfo(t, s)
		s.DB().Close()
		d := infosub.Draft{OrgID: f.deptA.ID, Title: "数据库断开时的信息", Body: "<p>正文</p>", BodyText: "正文"}
		err := f.svc.CreateDraft(context.Background(), f.actor(f.author), f.scAuthor, &d)
		if err == nil || apperr.IsUser(err) || strings.Contains(err.Error(), "不存在") {
			t.Fatalf("create with the database gone: %v (user error: %v)", err, apperr.IsUser(err))
		}
		if !errors.Is(store.Classify(err), apperr.ErrUnavailable) {
			t.Fatalf("not classified as unavailable: %v", err)
		}
		if d.ID != 0 {
			t.Fatalf("draft got id %d", d.ID)
		}
	})
}

// TestCreateDraftRefs: a department that does not exist, one of another
// unit and an activity of another unit are user errors on their field.
func TestCreateDraftRefs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		for _, c := range []struct {
			org, activity int64
			want          string
		}{
			{f.deptA.ID + 1000, 0, "报送科室：不存在"},
			{f.unitB.ID, 0, "报送科室：无权以该科室名义报送"},
			{f.deptA.ID, 999999, "关联台账：所选活动不存在"},
		} {
			d := infosub.Draft{OrgID: c.org, ActivityID: c.activity, Title: "信息", Body: "<p>正文</p>", BodyText: "正文"}
			err := f.svc.CreateDraft(ctx, f.actor(f.author), f.scAuthor, &d)
			if !apperr.IsUser(err) || err.Error() != c.want {
				t.Errorf("org %d activity %d: %v, want %q", c.org, c.activity, err, c.want)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM info_drafts"); n != 0 {
			t.Fatalf("%d drafts stored", n)
		}
	})
}

func pngData(t *testing.T, w int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, 1))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDraftImagesAtomic: images are stored with the draft's new body in one
// transaction after their files: a failure writing a file, or a rule that
// refuses, leaves no image row, no audit entry and the body unchanged.
func TestDraftImagesAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		d := infosub.Draft{OrgID: f.deptA.ID, Title: "带图片的信息", Body: "<p>正文</p>", BodyText: "正文"}
		if err := f.svc.CreateDraft(ctx, f.actor(f.author), f.scAuthor, &d); err != nil {
			t.Fatal(err)
		}
		files := []infosub.ImageFile{{Name: "甲.png", Mime: "image/png", Data: pngData(t, 1)}, {Name: "乙.png", Mime: "image/png", Data: pngData(t, 2)}}
		unchanged := func(when string) {
			t.Helper()
			got, err := s.Draft(ctx, f.scAuthor, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Body != d.Body || f.count(t, "SELECT COUNT(*) FROM info_images") != 0 ||
				f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action IN ('info.image.add','info.update')") != 0 {
				t.Fatalf("%s: body %q, images or audit entries left", when, got.Body)
			}
		}
		// Not an image: refused before anything is written.
		bad := append(files[:1:1], infosub.ImageFile{Name: "x.png", Mime: "image/png", Data: []byte("<html>")})
		if err := f.svc.AddDraftImages(ctx, f.actor(f.author), f.scAuthor, d.ID, bad); !apperr.IsUser(err) || !strings.Contains(err.Error(), "x.png") {
			t.Fatalf("fake image: %v", err)
		}
		unchanged("fake image")
		// The files cannot be written (the folder is a file): nothing recorded.
		dir := s.BlobDir()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddDraftImages(ctx, f.actor(f.author), f.scAuthor, d.ID, files); err == nil || apperr.IsUser(err) {
			t.Fatalf("unwritable files: %v", err)
		}
		unchanged("unwritable files")
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
		// Someone else may not add images.
		if err := f.svc.AddDraftImages(ctx, f.actor(f.clerkA), f.scA, d.ID, files); err == nil || err.Error() != "只有撰写人可以插入图片" {
			t.Fatalf("clerk added images: %v", err)
		}
		unchanged("not the author")
		// Both images at once: two rows, both in the body, one update.
		if err := f.svc.AddDraftImages(ctx, f.actor(f.author), f.scAuthor, d.ID, files); err != nil {
			t.Fatal(err)
		}
		got, err := s.Draft(ctx, f.scAuthor, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.DB().Query("SELECT id FROM info_images WHERE draft_id = $1 ORDER BY id", d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) != 2 {
			t.Fatalf("image rows %v", ids)
		}
		for i, id := range ids {
			tag := fmt.Sprintf(`<img src="/info/%d/img/%d" alt="%s">`, d.ID, id, files[i].Name)
			if !strings.Contains(got.Body, tag) {
				t.Errorf("body %q lacks %s", got.Body, tag)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'info.update'"); n != 1 {
			t.Errorf("%d update entries", n)
		}
		// Once submitted, the author cannot add images either.
		if err := f.svc.SubmitDraft(ctx, f.actor(f.author), f.scAuthor, d.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddDraftImages(ctx, f.actor(f.author), f.scAuthor, d.ID, files); err == nil || err.Error() != "信息审核中，不能添加图片" {
			t.Fatalf("image added to a draft in review: %v", err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM info_images"); n != 2 {
			t.Fatalf("%d image rows after a refused upload", n)
		}
	})
}

// TestSetInfoQuota: the department must be one of the unit's; too high a
// quota is refused; only the unit's managers may set it.
func TestSetInfoQuota(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		cases := []struct {
			org     int64
			monthly int
			want    string
		}{
			{f.unitB.ID, 3, "科室：不属于本单位"},
			{f.unitA.ID, 3, "科室：不属于本单位"},
			{f.deptA.ID + 1000, 3, "科室：不属于本单位"},
			{f.deptA.ID, 101, "每月任务数：不能超过 100"},
		}
		for _, c := range cases {
			if err := f.svc.SetInfoQuota(ctx, f.actor(f.clerkA), f.scA, f.unitA.ID, c.org, c.monthly); !apperr.IsUser(err) || err.Error() != c.want {
				t.Errorf("org %d quota %d: %v, want %q", c.org, c.monthly, err, c.want)
			}
		}
		if err := f.svc.SetInfoQuota(ctx, f.actor(f.author), f.scAuthor, f.unitA.ID, f.deptA.ID, 3); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("信息员 set a quota: %v", err)
		}
		if err := f.svc.SetInfoQuota(ctx, f.actor(f.clerkA), f.scA, f.unitA.ID, f.dept2.ID, 5); err != nil {
			t.Fatal(err)
		}
		q, err := s.InfoQuotas(ctx, f.unitA.ID)
		if err != nil || len(q) != 1 || q[f.dept2.ID] != 5 {
			t.Fatalf("quotas %v %v", q, err)
		}
		if err := f.svc.SetInfoQuota(ctx, f.actor(f.clerkA), f.scA, f.unitA.ID, f.dept2.ID, -1); err != nil {
			t.Fatal(err)
		}
		if q, _ := s.InfoQuotas(ctx, f.unitA.ID); len(q) != 0 {
			t.Fatalf("quota not removed: %v", q)
		}
	})
}
