package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	iofs "io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhendi/internal/demo"
	"zhendi/internal/service"
	"zhendi/internal/web"
)

// The upgrade fixture (testdata/upgrade-00018) is the demo installation as
// the previous release leaves it: main at 8a21235 (schema 00018), made with
//
//	zhendi serve --demo --data DIR --addr 127.0.0.1:18082   # stopped with SIGTERM once "zhendi listening"
//	gzip -9 -c DIR/zhendi.db > testdata/upgrade-00018/zhendi.db.gz
//	cp -r DIR/audit.key DIR/audit.checkpoint DIR/files testdata/upgrade-00018/
//
// (its audit key is a test key and guards nothing). Regenerate it with the
// release before a schema change, keeping the old one as another folder.
const upgradeFixture = "testdata/upgrade-00018"

// unpackFixture copies the fixture into a fresh data directory.
func unpackFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(upgradeFixture, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(upgradeFixture, p)
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o750)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "zhendi.db.gz" {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return err
			}
			if b, err = io.ReadAll(zr); err != nil {
				return err
			}
			dst = filepath.Join(dir, "zhendi.db")
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestUpgradeFromPreviousRelease: the previous release's database is
// listed with the new migration pending, migrated by this code, passes
// verify-audit with its old key and checkpoint, and serves its pages to
// its users.
func TestUpgradeFromPreviousRelease(t *testing.T) {
	ctx := context.Background()
	dir := unpackFixture(t)
	d := dbFlags{data: dir}
	var out bytes.Buffer
	if err := migrateStatus(ctx, &d, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "已应用  00018  00018_opinion_incidents.sql") || !strings.Contains(s, "待应用  00019  00019_nodes.sql") ||
		!strings.Contains(s, "个待应用") {
		t.Fatalf("status before the upgrade:\n%s", s)
	}
	if err := migrate(ctx, quiet(), []string{"--data", dir}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := migrateStatus(ctx, &d, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "已应用  00019  00019_nodes.sql") || !strings.Contains(s, "全部已应用") || strings.Contains(s, "待应用  ") {
		t.Fatalf("status after the upgrade:\n%s", s)
	}
	out.Reset()
	if err := verifyAudit(ctx, quiet(), []string{"--data", dir}, &out); err != nil {
		t.Fatalf("verify-audit after the upgrade: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "审计日志完整") {
		t.Fatalf("verify-audit: %s", out.String())
	}

	// The upgraded installation serves its users: the clerk logs in and
	// sees the demo unit's ledger, supervision and audit pages.
	s, err := d.open(ctx, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv, err := web.New(web.Config{}, service.New(s, service.Config{}, quiet()), quiet())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	n := &node{st: s, srv: hs}
	b := newBrowser(t)
	if code, body := b.login(n, "zhuangan", demo.Password); code != http.StatusSeeOther {
		t.Fatalf("demo clerk login after upgrade: %d %.300s", code, body)
	}
	for path, want := range map[string]string{"/": "李晓雯", "/ledger": "台账", "/supervise": "督导"} {
		code, body := b.get(n, path)
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s after upgrade: %d, want 200 with %q (%.200s)", path, code, want, body)
		}
	}
	if code, body := b.get(n, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after upgrade: %d %s", code, body)
	}
}
