package service_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/audit"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestBackupRound: the automatic backup makes a backup when the last one
// is older than the interval, not before; old automatic backups go after
// the retention (never the newest, never one made by hand); the settings
// are an installation administrator's and are validated.
func TestBackupRound(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	dir := filepath.Join(t.TempDir(), "backups")
	svc := service.New(st, service.Config{BackupDir: dir}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	now := time.Date(2023, 7, 1, 2, 0, 0, 0, time.Local)
	svc.SetClock(func() time.Time { return now })
	admin := access.Scope{InstallAdmin: true}
	if err := svc.SetBackupSettings(ctx, store.System, access.Scope{AdminUnits: []int64{1}}, audit.Backup{EveryHours: 24, KeepDays: 2}); err == nil {
		t.Fatal("a unit administrator changed the installation's backup schedule")
	}
	if err := svc.SetBackupSettings(ctx, store.System, admin, audit.Backup{EveryHours: 24, KeepDays: 0}); err == nil || !strings.Contains(err.Error(), "备份保留天数") {
		t.Fatalf("invalid retention: %v", err)
	}
	if err := svc.SetBackupSettings(ctx, store.System, admin, audit.Backup{EveryHours: 24, KeepDays: 2}); err != nil {
		t.Fatal(err)
	}
	count := func() (auto, all int) {
		list, err := store.Backups(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range list {
			if b.Auto {
				auto++
			}
		}
		return auto, len(list)
	}
	for _, step := range []struct {
		after    time.Duration
		wantAuto int
	}{{0, 1}, {time.Hour, 1}, {24 * time.Hour, 2}, {24 * time.Hour, 2}, {24 * time.Hour, 3}, {48 * time.Hour, 2}} {
		now = now.Add(step.after)
		if err := svc.BackupRound(ctx); err != nil {
			t.Fatal(err)
		}
		if auto, _ := count(); auto != step.wantAuto {
			t.Fatalf("at %s: %d automatic backups, want %d", now, auto, step.wantAuto)
		}
	}
	// A backup made by hand is never removed.
	if _, err := st.BackupTo(ctx, filepath.Join(dir, "manual")); err != nil {
		t.Fatal(err)
	}
	now = now.Add(30 * 24 * time.Hour)
	if err := svc.BackupRound(ctx); err != nil {
		t.Fatal(err)
	}
	if auto, all := count(); auto != 1 || all != 2 {
		t.Fatalf("after a month: %d automatic of %d", auto, all)
	}
	got, err := st.ListAudit(ctx, store.AuditFilter{Global: true, Action: "system.backup", Limit: 50})
	if err != nil || len(got) != 6 {
		t.Fatalf("backups logged: %d %v", len(got), err)
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
