package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/store"
)

// TestVerifyAuditWrongDataFails: a wrong --data fails and creates nothing.
func TestVerifyAuditWrongDataFails(t *testing.T) {
	wrong := filepath.Join(t.TempDir(), "no-such-dir")
	var out bytes.Buffer
	err := verifyAudit(context.Background(), quiet(), []string{"--data", wrong}, &out)
	if err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("want an error naming the missing folder, got %v", err)
	}
	if _, err := os.Stat(wrong); !os.IsNotExist(err) {
		t.Fatal("verify-audit created the data folder")
	}
	empty := t.TempDir()
	if err := verifyAudit(context.Background(), quiet(), []string{"--data", empty}, &out); err == nil {
		t.Fatal("verify-audit of a folder without a database passed")
	}
	if _, err := os.Stat(filepath.Join(empty, "zhendi.db")); !os.IsNotExist(err) {
		t.Fatal("verify-audit created a database")
	}
}

// installWithFile makes a fresh install with one ledger entry that has an
// attachment, and returns its data folder.
func installWithFile(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	if err := user(ctx, quiet(), []string{"create", "--data", dir, "--username", "admin", "--name", "管理员", "--role", "sysadmin",
		"--unit-name", "测试局", "--password", "Kx7m-Lp2q9zz"}, &out); err != nil {
		t.Fatal(err)
	}
	d := dbFlags{data: dir}
	s, err := d.open(ctx, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum, err := s.PutBlob([]byte("%PDF-1.4 minutes"))
	if err != nil {
		t.Fatal(err)
	}
	units, _ := s.AllUnitIDs(ctx)
	a := ledger.Activity{UnitID: units[0], OrgID: units[0], Type: ledger.BusinessLecture, Title: "业务讲座", Date: "2023-03-01", LeadName: "专家"}
	files := []ledger.Attachment{{Name: "纪要.pdf", Mime: "application/pdf", Size: 16, SHA256: sum}}
	if err := s.CreateActivity(ctx, store.System, &a, files, func(*ledger.Activity, ledger.Refs) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRestore: restore checks the backup's audit log and files, refuses to
// go back past newer entries without --force, keeps the database it
// replaces, and leaves a log that verifies, with the restore in it.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := installWithFile(t)
	data := "--data=" + dir
	var out bytes.Buffer
	good := filepath.Join(t.TempDir(), "good")
	if err := backup(ctx, quiet(), []string{data, "--out", good}, &out); err != nil {
		t.Fatal(err)
	}
	// Newer entries after the backup.
	if err := user(ctx, quiet(), []string{"create", data, "--username", "later", "--name", "后来者", "--role", "clerk", "--org", "1", "--password", "Kx7m-Lp2q9yy"}, &out); err != nil {
		t.Fatal(err)
	}
	err := restoreCmd(ctx, quiet(), []string{data, "--from", good}, &out)
	if err == nil || !strings.Contains(err.Error(), "当前数据库比备份新") {
		t.Fatalf("restore over a newer database: %v", err)
	}

	// A backup whose audit log was edited is refused.
	bad := filepath.Join(t.TempDir(), "bad")
	if err := backup(ctx, quiet(), []string{data, "--out", bad}, &out); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, filepath.Join(bad, "zhendi.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	b.DB().Exec("DROP TRIGGER audit_log_no_update")
	if _, err := b.DB().Exec("UPDATE audit_log SET actor_name = 'x' WHERE id = (SELECT MAX(id) FROM audit_log)"); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if err := restoreCmd(ctx, quiet(), []string{data, "--from", bad, "--force"}, &out); err == nil || !strings.Contains(err.Error(), "审计日志校验失败") {
		t.Fatalf("tampered backup: %v", err)
	}
	// A backup missing an attachment file is refused.
	holes := filepath.Join(t.TempDir(), "holes")
	if err := backup(ctx, quiet(), []string{data, "--out", holes}, &out); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(holes, "files")); err != nil {
		t.Fatal(err)
	}
	if err := restoreCmd(ctx, quiet(), []string{data, "--from", holes, "--force"}, &out); err == nil || !strings.Contains(err.Error(), "缺少附件文件") {
		t.Fatalf("backup without files: %v", err)
	}

	// With --force the good backup comes back; the newer database is kept.
	out.Reset()
	if err := restoreCmd(ctx, quiet(), []string{data, "--from", good, "--force"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "备份校验通过") || !strings.Contains(out.String(), "原数据库保留为") {
		t.Fatalf("output: %s", out.String())
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "zhendi.db.before-restore-*"))
	if len(kept) == 0 {
		t.Fatal("the replaced database was not kept")
	}
	out.Reset()
	if err := verifyAudit(ctx, quiet(), []string{data}, &out); err != nil {
		t.Fatalf("verify after restore: %v", err)
	}
	d := dbFlags{data: dir}
	s, err := d.open(ctx, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UserByUsername(ctx, "later"); err == nil {
		t.Fatal("restored database still has the later user")
	}
	got, err := s.ListAudit(ctx, store.AuditFilter{Global: true, Action: "system.restore", Limit: 5})
	if err != nil || len(got) != 1 {
		t.Fatalf("restore not in the audit log: %v %v", got, err)
	}
}

// TestRestoreRefusedWhileServing: a running server's data folder is not
// restored into.
func TestRestoreRefusedWhileServing(t *testing.T) {
	dir := installWithFile(t)
	unlock, err := lockData(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	var out bytes.Buffer
	good := filepath.Join(t.TempDir(), "good")
	if err := backup(context.Background(), quiet(), []string{"--data", dir, "--out", good}, &out); err != nil {
		t.Fatal(err)
	}
	if err := restoreCmd(context.Background(), quiet(), []string{"--data", dir, "--from", good}, &out); err == nil || !strings.Contains(err.Error(), "请先停止服务") {
		t.Fatalf("restore while serving: %v", err)
	}
}
