package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "zhendi.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// testFlags is a flag set shaped like serve's, including a flag added
// later by someone else (metrics-token): the file needs no code for it.
func testFlags() (*flag.FlagSet, map[string]any) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	v := map[string]any{
		"addr":             fs.String("addr", env("ZHENDI_ADDR", "127.0.0.1:8080"), ""),
		"demo":             fs.Bool("demo", envBool("ZHENDI_DEMO"), ""),
		"late-days":        fs.Int("late-days", 7, ""),
		"shutdown-timeout": fs.Duration("shutdown-timeout", 30*time.Second, ""),
		"trust-proxy":      fs.String("trust-proxy", env("ZHENDI_TRUST_PROXY", ""), ""),
		"metrics-token":    fs.String("metrics-token", "", ""),
	}
	return fs, v
}

func TestConfigFileSetsFlags(t *testing.T) {
	p := writeConfig(t, `
addr = "0.0.0.0:9000"
demo = true
late-days = 10
shutdown-timeout = "45s"
trust-proxy = ["127.0.0.1", "10.0.0.0/24"]
metrics-token = "s3cret"
`)
	fs, v := testFlags()
	if err := parseFlags(fs, []string{"--config", p}, true); err != nil {
		t.Fatal(err)
	}
	if got := *v["addr"].(*string); got != "0.0.0.0:9000" {
		t.Errorf("addr = %q", got)
	}
	if !*v["demo"].(*bool) {
		t.Error("demo not set")
	}
	if got := *v["late-days"].(*int); got != 10 {
		t.Errorf("late-days = %d", got)
	}
	if got := *v["shutdown-timeout"].(*time.Duration); got != 45*time.Second {
		t.Errorf("shutdown-timeout = %s", got)
	}
	if got := *v["trust-proxy"].(*string); got != "127.0.0.1,10.0.0.0/24" {
		t.Errorf("trust-proxy = %q", got)
	}
	if got := *v["metrics-token"].(*string); got != "s3cret" {
		t.Errorf("metrics-token = %q", got)
	}
}

// Command line beats environment beats file beats default.
func TestConfigPrecedence(t *testing.T) {
	p := writeConfig(t, "addr = \"0.0.0.0:9000\"\nlate-days = 10\ntrust-proxy = \"10.0.0.1\"\n")
	t.Setenv("ZHENDI_TRUST_PROXY", "192.168.0.1")
	fs, v := testFlags()
	if err := parseFlags(fs, []string{"--config", p, "--addr", "127.0.0.1:7000"}, true); err != nil {
		t.Fatal(err)
	}
	if got := *v["addr"].(*string); got != "127.0.0.1:7000" {
		t.Errorf("addr = %q, want the command line's", got)
	}
	if got := *v["trust-proxy"].(*string); got != "192.168.0.1" {
		t.Errorf("trust-proxy = %q, want the environment's", got)
	}
	if got := *v["late-days"].(*int); got != 10 {
		t.Errorf("late-days = %d, want the file's", got)
	}
	// ZHENDI_CONFIG names the file when --config is absent.
	t.Setenv("ZHENDI_CONFIG", p)
	fs, v = testFlags()
	if err := parseFlags(fs, nil, true); err != nil {
		t.Fatal(err)
	}
	if got := *v["addr"].(*string); got != "0.0.0.0:9000" {
		t.Errorf("addr = %q via ZHENDI_CONFIG", got)
	}
}

func TestConfigErrorsInChinese(t *testing.T) {
	cases := []struct{ file, want string }{
		{"adress = \"0.0.0.0:80\"\n", "未知的配置项“adress”"},
		{"[server]\naddr = \"x\"\n", "未知的配置项“server”"},
		{"late-days = \"many\"\n", "“late-days”的值“many”无效"},
		{"shutdown-timeout = 30\n", "“shutdown-timeout”的值“30”无效"},
		{"addr = \n", "第 1 行格式错误"},
		{"config = \"/etc/other.toml\"\n", "未知的配置项“config”"},
	}
	for _, tc := range cases {
		fs, _ := testFlags()
		err := parseFlags(fs, []string{"--config", writeConfig(t, tc.file)}, true)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.file, err, tc.want)
		}
	}
	// The administrative commands skip serve-only keys but still name a
	// broken value.
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	data := fs.String("data", "data", "")
	if err := parseFlags(fs, []string{"--config", writeConfig(t, "addr = \"x\"\ndata = \"/srv/zd\"\n")}, false); err != nil {
		t.Fatalf("lenient: %v", err)
	}
	if *data != "/srv/zd" {
		t.Errorf("data = %q", *data)
	}
}

// configEnv gives the administrative commands the file's database settings
// through the variables their flags default to, without overriding a
// variable already set.
func TestConfigEnvForCommands(t *testing.T) {
	p := writeConfig(t, "data = \"/srv/zhendi\"\naudit-key = \"/etc/zhendi/audit.key\"\naddr = \"0.0.0.0:1\"\n")
	t.Setenv("ZHENDI_DATA", "")
	t.Setenv("ZHENDI_AUDIT_KEY", "/kept.key")
	rest, err := configEnv([]string{"--username", "admin", "--config", p, "--name", "管理员"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rest, " ") != "--username admin --name 管理员" {
		t.Errorf("args left: %q", rest)
	}
	if got := os.Getenv("ZHENDI_DATA"); got != "/srv/zhendi" {
		t.Errorf("ZHENDI_DATA = %q", got)
	}
	if got := os.Getenv("ZHENDI_AUDIT_KEY"); got != "/kept.key" {
		t.Errorf("ZHENDI_AUDIT_KEY = %q, the environment must win", got)
	}
	if _, err := configEnv([]string{"--config"}); err == nil {
		t.Error("--config without a path accepted")
	}
}

// TestPackagedConfigStarts: the default configuration the package installs
// is read by serve itself (strictly, so a key serve does not know fails
// here), with the data directory and address moved into the test.
func TestPackagedConfigStarts(t *testing.T) {
	var logs syncBuffer
	addr := startServe(t, &logs, "--config", "../../build/package/zhendi.toml", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	if addr == "" {
		t.Fatal("no address")
	}
	if !strings.Contains(logs.String(), "zhendi starting") {
		t.Errorf("no start line: %s", logs.String())
	}
}

// TestUnitFileVerifies runs systemd-analyze verify on the packaged unit
// (skipped where systemd is not installed). verify checks that ExecStart
// exists, so the test points it at a copy of this test binary.
func TestUnitFileVerifies(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	unit, err := os.ReadFile("../../build/package/zhendi.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/zhendi", "PrivateTmp=yes", "ProtectHome=yes",
		"Restart=on-failure", "User=zhendi", "ExecReload=/bin/kill -HUP $MAINPID", "--config /etc/zhendi/zhendi.toml"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("unit lacks %s", want)
		}
	}
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "zhendi")
	if err := os.Symlink(self, bin); err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(unit), "/usr/bin/zhendi", bin)
	p := filepath.Join(dir, "zhendi.service")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(sa, "verify", "--man=no", p).CombinedOutput()
	// verify reports problems of other units on the machine too; only
	// lines about ours count.
	var ours []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "zhendi") {
			ours = append(ours, l)
		}
	}
	if err != nil || len(ours) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// The graceful stop must fit in the unit's stop timeout.
func TestUnitStopTimeoutCoversShutdown(t *testing.T) {
	unit, err := os.ReadFile("../../build/package/zhendi.service")
	if err != nil {
		t.Fatal(err)
	}
	var stop time.Duration
	for _, l := range strings.Split(string(unit), "\n") {
		if v, ok := strings.CutPrefix(l, "TimeoutStopSec="); ok {
			if stop, err = time.ParseDuration(v + "s"); err != nil {
				t.Fatal(err)
			}
		}
	}
	fs, v := testFlags()
	if err := parseFlags(fs, []string{"--config", "../../build/package/zhendi.toml"}, false); err != nil {
		t.Fatal(err)
	}
	if sd := *v["shutdown-timeout"].(*time.Duration); stop < sd+10*time.Second {
		t.Errorf("TimeoutStopSec=%s leaves no room after shutdown-timeout %s", stop, sd)
	}
}
