package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The -X values from build/release.sh are what `zhendi version` prints.
func TestVersionFromLdflags(t *testing.T) {
	defer func(v, c, b string) { version, commit, buildTime = v, c, b }(version, commit, buildTime)
	version, commit, buildTime = "1.2.0", "0123456789abcdef0123456789abcdef01234567", "2026-12-08T01:00:00Z"
	var out bytes.Buffer
	if err := versionCmd(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"zhendi 1.2.0", "提交：0123456789abcdef0123456789abcdef01234567", "构建时间：2026-12-08T01:00:00Z", "Go 版本：go1.", "SQLite", "PostgreSQL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("version output lacks %q:\n%s", want, out.String())
		}
	}
}

// Without -X (go run, go build) the output still says it is a development
// build rather than printing empty fields.
func TestVersionFallback(t *testing.T) {
	defer func(v, c, b string) { version, commit, buildTime = v, c, b }(version, commit, buildTime)
	version, commit, buildTime = "", "", ""
	var out bytes.Buffer
	versionCmd(&out)
	if !strings.Contains(out.String(), "zhendi 开发版") || !strings.Contains(out.String(), "构建时间：") {
		t.Errorf("fallback output:\n%s", out.String())
	}
}

// The journal format drops the timestamp (journald has its own) and puts
// the syslog priority in front, so `journalctl -p warning` works.
func TestJournalLogFormat(t *testing.T) {
	var buf bytes.Buffer
	p := &priorityWriter{w: &buf}
	for _, line := range []string{"level=INFO msg=a\n", "level=WARN msg=b\n", "level=ERROR msg=c\n"} {
		if _, err := p.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := buf.String(), "<6>level=INFO msg=a\n<4>level=WARN msg=b\n<3>level=ERROR msg=c\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	log, err := newLogger(f, "journal")
	if err != nil {
		t.Fatal(err)
	}
	log.Warn("backup failed", "dir", "/var/lib/zhendi/backups")
	f.Close()
	got, _ := os.ReadFile(f.Name())
	if want := "<4>level=WARN msg=\"backup failed\" dir=/var/lib/zhendi/backups\n"; string(got) != want {
		t.Errorf("journal line %q, want %q", got, want)
	}
	if _, err := newLogger(nil, "xml"); err == nil || !strings.Contains(err.Error(), "未知的日志格式“xml”") {
		t.Errorf("bad format: %v", err)
	}
}
