package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/audit"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func fixedNow() time.Time { return time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone) }

type fixture struct {
	s              *store.Store
	unitA, unitB   org.Node
	deptA          org.Node
	clerkA, clerkB org.User
	scA, scB       access.Scope
}

func setup(t *testing.T, s *store.Store) fixture {
	t.Helper()
	ctx := context.Background()
	s.Now = fixedNow
	f := fixture{s: s}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.unitA = org.Node{Kind: org.Unit, Name: "甲局"}
	must(s.CreateNode(ctx, store.System, &f.unitA))
	f.unitB = org.Node{Kind: org.Unit, Name: "乙局"}
	must(s.CreateNode(ctx, store.System, &f.unitB))
	f.deptA = org.Node{Kind: org.Department, Name: "办公室", ParentID: f.unitA.ID}
	must(s.CreateNode(ctx, store.System, &f.deptA))
	f.clerkA = org.User{OrgID: f.deptA.ID, Username: "clerka", Name: "张专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.unitA.ID}}}
	must(svcOf(s).CreateUser(ctx, store.System, &f.clerkA, "Kx7m-Lp2q9"))
	f.clerkB = org.User{OrgID: f.unitB.ID, Username: "clerkb", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: f.unitB.ID}}}
	must(svcOf(s).CreateUser(ctx, store.System, &f.clerkB, "Kx7m-Lp2q9"))
	f.scA = scopeOf(t, s, f.clerkA.ID)
	f.scB = scopeOf(t, s, f.clerkB.ID)
	return f
}

// svcOf is the service on s: accounts are created through it, since the
// store takes password hashes only.
func svcOf(s *store.Store) *service.Service { return service.New(s, service.Config{}, nil) }

// The ledger's rules, as the service passes them to the store.
func resolve(sc access.Scope) func(*ledger.Activity, ledger.Refs) error {
	return func(a *ledger.Activity, r ledger.Refs) error { return a.Resolve(sc, r) }
}

func resolveUpdate(sc access.Scope) func(ledger.Activity, *ledger.Activity, ledger.Refs) error {
	return func(before ledger.Activity, a *ledger.Activity, r ledger.Refs) error {
		return a.ResolveUpdate(sc, before, r)
	}
}

func writable(sc access.Scope) func(ledger.Activity) error {
	return func(a ledger.Activity) error { return ledger.CheckWrite(sc, a) }
}

func importRule(sc access.Scope, unitID int64) func(int, *ledger.Activity, ledger.Refs) error {
	return func(row int, a *ledger.Activity, r ledger.Refs) error { return a.ResolveImport(sc, unitID, row, r) }
}

func scopeOf(t *testing.T, s *store.Store, userID int64) access.Scope {
	return storetest.Scope(t, s, userID)
}

func TestMigrateAndRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		a := ledger.Activity{OrgID: f.unitA.ID, Type: ledger.CentralGroup, Title: "学习党的二十大精神", Date: "2023-03-10",
			LeadID: f.clerkA.ID, Content: "纪要", RequiredTopics: []string{"ershida"}, Tags: []string{"中心组"},
			Attendance: []ledger.Attendance{{UserID: f.clerkA.ID, Status: "present", Speaker: true}}}
		if err := s.CreateActivity(ctx, store.Actor{UserID: f.clerkA.ID, Name: "张专干"}, &a, nil, resolve(f.scA)); err != nil {
			t.Fatal(err)
		}
		got, err := s.Activity(ctx, f.scA, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != a.Title || got.Date != "2023-03-10" || got.LeadName != "张专干" || len(got.Attendance) != 1 || !got.Attendance[0].Speaker ||
			got.RequiredTopics[0] != "ershida" || got.Tags[0] != "中心组" || got.CreatedAt != fixedNow().Unix() {
			t.Fatalf("round trip mismatch: %+v", got)
		}
		// Unit B cannot see or change unit A's entry.
		if _, err := s.Activity(ctx, f.scB, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unit B read unit A's activity: %v", err)
		}
		if err := s.DeleteActivity(ctx, store.Actor{UserID: f.clerkB.ID}, f.scB, a.ID, writable(f.scB)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unit B deleted unit A's activity: %v", err)
		}
		// Search by two characters.
		list, total, err := s.ListActivities(ctx, f.scA, ledger.Filter{Q: "二十"})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("search 二十：%d %v", total, err)
		}
		if n, _ := s.CountActivities(ctx, f.scB, ledger.Filter{Q: "二十"}); n != 0 {
			t.Fatalf("unit B search sees %d", n)
		}
		// Soft delete and restore.
		if err := s.DeleteActivity(ctx, store.Actor{UserID: f.clerkA.ID}, f.scA, a.ID, writable(f.scA)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountActivities(ctx, f.scA, ledger.Filter{}); n != 0 {
			t.Fatalf("deleted entry still listed")
		}
		if n, _ := s.CountActivities(ctx, f.scA, ledger.Filter{Deleted: true}); n != 1 {
			t.Fatalf("recycle bin has %d", n)
		}
		if err := s.RestoreActivity(ctx, store.Actor{UserID: f.clerkA.ID}, f.scA, a.ID, writable(f.scA)); err != nil {
			t.Fatal(err)
		}
		// Late filter: recorded 2023-07-05, happened 2023-03-10.
		if n, _ := s.CountActivities(ctx, f.scA, ledger.Filter{Late: 7}); n != 1 {
			t.Fatalf("late filter found %d", n)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n < 7 {
			t.Fatalf("verify audit: %d %v", n, err)
		}
	})
}

func TestAuditTamperDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		setup(t, s)
		n, err := s.VerifyAudit(ctx)
		if err != nil || n == 0 {
			t.Fatalf("clean chain: %d %v", n, err)
		}
		// Someone with database access edits row 3 by hand.
		disable := "DROP TRIGGER audit_log_no_update"
		if s.Dialect() == store.Postgres {
			disable = "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"
		}
		if _, err := s.DB().Exec("UPDATE audit_log SET actor_name = 'x' WHERE id = 3"); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := s.DB().Exec(disable); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec("UPDATE audit_log SET actor_name = 'x' WHERE id = 3"); err != nil {
			t.Fatal(err)
		}
		_, err = s.VerifyAudit(ctx)
		var br *audit.Break
		if !errors.As(err, &br) || br.ID != 3 {
			t.Fatalf("want break at 3, got %v", err)
		}
		if !strings.Contains(err.Error(), "第 3 条") {
			t.Fatalf("message does not name the entry: %v", err)
		}
	})
}

func TestImportAllOrNothingAndIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		var acts []ledger.Activity
		for i := range 20 {
			acts = append(acts, ledger.Activity{OrgID: f.deptA.ID, Type: ledger.BusinessLecture, Title: fmt.Sprintf("业务讲座%d", i),
				Date: "2023-02-01", LeadName: "外请专家", ImportKey: fmt.Sprintf("k%d", i)})
		}
		actor := store.Actor{UserID: f.clerkA.ID}
		batch := func() int64 { return previewBatch(t, s, actor, f.unitA.ID, len(acts)) }
		res, err := s.ImportActivities(ctx, actor, f.unitA.ID, batch(), acts, importRule(f.scA, f.unitA.ID), true)
		if err != nil || res.Created != 20 {
			t.Fatalf("import: %+v %v", res, err)
		}
		res, err = s.ImportActivities(ctx, actor, f.unitA.ID, batch(), acts, importRule(f.scA, f.unitA.ID), true)
		if err != nil || res.Created != 0 || res.Skipped != 20 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		if n, _ := s.CountActivities(ctx, f.scA, ledger.Filter{}); n != 20 {
			t.Fatalf("after re-import %d entries", n)
		}
		// A row pointing at another unit's department fails the whole batch.
		bad := append([]ledger.Activity{}, acts...)
		for i := range bad {
			bad[i].ImportKey += "-new"
			bad[i].ID = 0
		}
		bad[10].OrgID = f.unitB.ID
		if _, err := s.ImportActivities(ctx, actor, f.unitA.ID, batch(), bad, importRule(f.scA, f.unitA.ID), true); err == nil || !strings.Contains(err.Error(), "第 11 行") {
			t.Fatalf("want row 11 error, got %v", err)
		}
		if n, _ := s.CountActivities(ctx, f.scA, ledger.Filter{}); n != 20 {
			t.Fatalf("failed import left %d entries", n)
		}
	})
}

func TestBackupWhileOpen(t *testing.T) {
	s := storetest.SQLite(t)
	f := setup(t, s)
	_ = f
	bdir := t.TempDir()
	if _, err := s.BackupTo(context.Background(), bdir); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(context.Background(), filepath.Join(bdir, "zhendi.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// The copy verifies with the live key (backed up separately) and the
	// checkpoint written beside it.
	if err := b.OpenAudit(context.Background(), store.AuditFiles{KeyPath: s.AuditFilesInUse().KeyPath, CheckpointPath: filepath.Join(bdir, store.AuditCheckpointFile)}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.CountUsers(context.Background()); err != nil || n != 2 {
		t.Fatalf("backup has %d users: %v", n, err)
	}
	if _, err := b.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestClassifyFileErrors: a file operation that fails (a files folder that
// cannot be written) is not a database outage, while a network error is.
func TestClassifyFileErrors(t *testing.T) {
	file := fmt.Errorf("store file: %w", &fs.PathError{Op: "mkdir", Path: "/data/files", Err: syscall.ENOTDIR})
	if err := store.Classify(file); errors.Is(err, apperr.ErrUnavailable) || errors.Is(err, apperr.ErrStorageFull) {
		t.Errorf("file error classified as %v", err)
	}
	full := fmt.Errorf("store file: %w", &fs.PathError{Op: "write", Path: "/data/files/x", Err: syscall.ENOSPC})
	if !errors.Is(store.Classify(full), apperr.ErrStorageFull) {
		t.Error("a full disk is not ErrStorageFull")
	}
	net := fmt.Errorf("query: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ETIMEDOUT})
	if !errors.Is(store.Classify(net), apperr.ErrUnavailable) {
		t.Error("a network error is not ErrUnavailable")
	}
}

// previewBatch records an uploaded file of rows rows as a previewed import
// batch of unit, ready to be confirmed by ImportActivities.
func previewBatch(t *testing.T, s *store.Store, actor store.Actor, unit int64, rows int) int64 {
	t.Helper()
	b := store.ImportBatch{UnitID: unit, FileName: "台账.xlsx", SHA256: "00", Size: 1, Rows: rows}
	if err := s.CreateImportBatch(context.Background(), actor, &b); err != nil {
		t.Fatal(err)
	}
	return b.ID
}
