package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/notify"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
	"zhendi/internal/supervise"
)

// rectUnit is a unit with a clerk (writer) and a member owning one item.
type rectUnit struct {
	unit          org.Node
	clerk, member org.User
	sc            access.Scope
	actor         store.Actor
	item          supervise.Rect
}

func seedRectUnit(t *testing.T, st *store.Store) rectUnit {
	t.Helper()
	ctx := context.Background()
	var f rectUnit
	f.unit = org.Node{Kind: org.Unit, Name: "甲局"}
	if err := st.CreateNode(ctx, store.System, &f.unit); err != nil {
		t.Fatal(err)
	}
	f.clerk = org.User{OrgID: f.unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.unit.ID}}}
	f.member = org.User{OrgID: f.unit.ID, Username: "member", Name: "王党员", Grants: []access.Grant{{Role: access.Member, OrgID: f.unit.ID}}}
	for _, u := range []*org.User{&f.clerk, &f.member} {
		if err := svcOf(st).CreateUser(ctx, store.System, u, "Kx7m-Lp2q9"); err != nil {
			t.Fatal(err)
		}
	}
	f.sc = access.Scope{UserID: f.clerk.ID, HomeUnit: f.unit.ID, ReadUnits: []int64{f.unit.ID}, WriteUnits: []int64{f.unit.ID}}
	f.actor = store.Actor{UserID: f.clerk.ID, Name: f.clerk.Name}
	f.item = supervise.Rect{UnitID: f.unit.ID, Title: "栏目两周未更新", Source: "inspection", OwnerID: f.member.ID, Deadline: "2023-07-31"}
	if err := st.CreateRect(ctx, f.actor, f.sc, &f.item); err != nil {
		t.Fatal(err)
	}
	return f
}

// evidence counts an item's evidence rows and their audit entries.
func evidence(t *testing.T, st *store.Store, f rectUnit) (files, audited int) {
	t.Helper()
	r, err := st.Rect(context.Background(), f.sc, f.item.ID)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := st.History(context.Background(), "rect", f.item.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range hist {
		if e.Action == "rect.file" {
			audited++
		}
	}
	return len(r.Files), audited
}

// TestRectEvidenceAllOrNothing: evidence files are written before the
// transaction that links them, so a file that cannot be written links none
// of the upload, and a refused upload links nothing either.
func TestRectEvidenceAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := seedRectUnit(t, st)
		check := func(r supervise.Rect) error { return supervise.CheckEvidence(f.sc, r) }
		added, err := st.AddRectFiles(ctx, f.actor, f.sc, f.item.ID, []store.RectUpload{
			{Name: "整改说明.txt", Mime: "text/plain", Data: []byte("栏目已更新")},
			{Name: "制度.txt", Mime: "text/plain", Data: []byte("周更新制度")}}, check)
		if err != nil {
			t.Fatal(err)
		}
		if len(added) != 2 || added[0].ID == 0 || added[1].Size != int64(len("周更新制度")) {
			t.Fatalf("added %+v", added)
		}
		if files, audited := evidence(t, st, f); files != 2 || audited != 2 {
			t.Fatalf("after upload: %d files, %d audit entries; want 2 and 2", files, audited)
		}

		// The second file's folder is taken by a plain file, so it cannot
		// be written (a full or broken disk): the first is not linked either.
		blocked := []byte("无法写入的文件")
		sum := sha256.Sum256(blocked)
		hexSum := hex.EncodeToString(sum[:])
		if err := os.MkdirAll(st.BlobDir(), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(st.BlobDir(), hexSum[:2]), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err = st.AddRectFiles(ctx, f.actor, f.sc, f.item.ID, []store.RectUpload{
			{Name: "照片说明.txt", Mime: "text/plain", Data: []byte("新的佐证")},
			{Name: "坏文件.txt", Mime: "text/plain", Data: blocked}}, check)
		if err == nil || apperr.IsUser(err) {
			t.Fatalf("unwritable file: %v, want a server error", err)
		}
		if files, audited := evidence(t, st, f); files != 2 || audited != 2 {
			t.Fatalf("after a failed upload: %d files, %d audit entries; want 2 and 2", files, audited)
		}

		// Refused on the locked item: nothing linked.
		_, err = st.AddRectFiles(ctx, f.actor, f.sc, f.item.ID, []store.RectUpload{{Name: "迟到.txt", Mime: "text/plain", Data: []byte("迟到")}},
			func(supervise.Rect) error { return supervise.ErrRectClosedFiles })
		if !errors.Is(err, supervise.ErrRectClosedFiles) {
			t.Fatalf("refused upload: %v", err)
		}
		if files, _ := evidence(t, st, f); files != 2 {
			t.Fatalf("refused upload linked files: %d", files)
		}
	})
}

// TestMembershipLookupFailure: when the lookup of a person fails (here the
// users table is gone; in production a dropped connection), the store says
// so with a server error — never "不是本单位人员" or not-found, which would
// show a correct form as wrong.
func TestMembershipLookupFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := seedRectUnit(t, st)
		if _, err := st.DB().ExecContext(ctx, "ALTER TABLE users RENAME TO users_gone"); err != nil {
			t.Fatal(err)
		}
		serverError := func(what string, err error) {
			t.Helper()
			if err == nil || apperr.IsUser(err) || errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s with the lookup failing: %v, want a server error", what, err)
			}
		}
		r := supervise.Rect{UnitID: f.unit.ID, Title: "新问题", Source: "inspection", OwnerID: f.member.ID, Deadline: "2023-08-31"}
		serverError("CreateRect", st.CreateRect(ctx, f.actor, f.sc, &r))
		rule := supervise.Presets(f.unit.ID, "2023-01-01")[0]
		rule.RespUserID = f.clerk.ID
		_, err := st.SaveRule(ctx, f.actor, f.sc, rule, "2023-07-05")
		serverError("SaveRule", err)
		err = st.SaveChannels(ctx, f.actor, f.sc, notify.Settings{UnitID: f.unit.ID, InApp: true}, map[int64]string{f.member.ID: "m@example.gov.cn"})
		serverError("SaveChannels", err)
	})
}

// TestRectPeopleOutsideUnit: an owner or department of another unit is a
// user error naming the field, from the supervise domain.
func TestRectPeopleOutsideUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := seedRectUnit(t, st)
		other := org.Node{Kind: org.Unit, Name: "乙局"}
		if err := st.CreateNode(ctx, store.System, &other); err != nil {
			t.Fatal(err)
		}
		dept := org.Node{Kind: org.Department, Name: "乙局办公室", ParentID: other.ID}
		if err := st.CreateNode(ctx, store.System, &dept); err != nil {
			t.Fatal(err)
		}
		stranger := org.User{OrgID: other.ID, Username: "stranger", Name: "赵某", Grants: []access.Grant{{Role: access.Member, OrgID: other.ID}}}
		if err := svcOf(st).CreateUser(ctx, store.System, &stranger, "Kx7m-Lp2q9"); err != nil {
			t.Fatal(err)
		}
		r := supervise.Rect{UnitID: f.unit.ID, Title: "新问题", Source: "inspection", OwnerID: stranger.ID, Deadline: "2023-08-31"}
		if err := st.CreateRect(ctx, f.actor, f.sc, &r); err != supervise.ErrOwnerNotInUnit || err.Error() != "责任人：不是本单位人员" {
			t.Errorf("owner of another unit: %v", err)
		}
		r.OwnerID, r.OrgID = f.member.ID, dept.ID
		if err := st.CreateRect(ctx, f.actor, f.sc, &r); err != supervise.ErrOrgNotInUnit || err.Error() != "责任科室：不是本单位的科室" {
			t.Errorf("department of another unit: %v", err)
		}
		_, err := st.UpdateRect(ctx, f.actor, f.sc, f.item.ID, func(cur *supervise.Rect) error { cur.OwnerID = stranger.ID; return nil })
		if err != supervise.ErrOwnerNotInUnit {
			t.Errorf("update to an owner of another unit: %v", err)
		}
	})
}
