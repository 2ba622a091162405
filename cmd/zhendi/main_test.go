package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhendi/internal/store"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestFreshInstallAdminBackupVerify: a fresh install creates its first
// administrator without the demo, backs up, and verify-audit catches a
// hand-edited audit row, naming it.
func TestFreshInstallAdminBackupVerify(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := "--data=" + dir
	var out bytes.Buffer
	err := user(ctx, quiet(), []string{"create", data, "--username", "admin", "--name", "管理员", "--role", "sysadmin",
		"--unit-name", "测试局", "--password", "Kx7m-Lp2q9-a"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "已创建单位「测试局」") || !strings.Contains(out.String(), "已创建用户 admin") {
		t.Fatalf("output: %s", out.String())
	}
	out.Reset()
	if err := user(ctx, quiet(), []string{"reset", data, "--username", "admin"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "初始密码：") {
		t.Fatalf("reset did not print the generated password: %s", out.String())
	}
	out.Reset()
	if err := verifyAudit(ctx, quiet(), []string{data}, &out); err != nil || !strings.Contains(out.String(), "审计日志完整") {
		t.Fatalf("verify clean log: %v %s", err, out.String())
	}
	// Backup while the database is in use by another connection.
	s, err := store.Open(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bdir := filepath.Join(t.TempDir(), "b1")
	out.Reset()
	if err := backup(ctx, quiet(), []string{data, "--out", bdir}, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(bdir, "zhendi.db")); err != nil {
		t.Fatalf("backup has no database: %v", err)
	}
	// Tamper with entry 2 by hand, as someone with file access could.
	if _, err := s.DB().Exec("DROP TRIGGER audit_log_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("UPDATE audit_log SET after_json = '{}' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	err = verifyAudit(ctx, quiet(), []string{data}, &out)
	if err == nil || !strings.Contains(err.Error(), "第 2 条") {
		t.Fatalf("tampered log: %v", err)
	}
	// The backup taken before the tampering still verifies.
	out.Reset()
	if err := verifyAudit(ctx, quiet(), []string{"--data", bdir, "--audit-key", filepath.Join(dir, "audit.key")}, &out); err != nil {
		t.Fatalf("backup copy: %v", err)
	}
}
