package audit

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/infosub"
	"zhendi/internal/supervise"
)

// TestEveryActionLabelled reads every Go file of the project and checks that
// each action and object type written to the audit log has a Chinese label,
// so the audit page never shows a raw code. Actions built from a prefix
// ("info."+decision, "rect."+step) are checked over every decision and step.
func TestEveryActionLabelled(t *testing.T) {
	call := regexp.MustCompile(`(appendAudit|\.Audit|RecordExport|recordDownload)\([^"]*"([a-z_]+\.[a-z_.]*)"(?:\s*\+[^,]*)?(?:,\s*"([a-z_]*)")?`)
	assign := regexp.MustCompile(`action\s*:?=\s*"([a-z_]+\.[a-z_.]+)"`)
	found := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bench" || d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			found++
			if act := m[2]; !strings.HasSuffix(act, ".") && !KnownAction(act) {
				t.Errorf("%s: action %q has no label in audit.actions", path, act)
			}
			if obj := m[3]; obj != "" && !KnownObject(obj) {
				t.Errorf("%s: object type %q has no label", path, obj)
			}
		}
		for _, m := range assign.FindAllStringSubmatch(string(b), -1) {
			found++
			if !KnownAction(m[1]) {
				t.Errorf("%s: action %q has no label in audit.actions", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 40 {
		t.Fatalf("found only %d audit calls: is the pattern still right?", found)
	}
	for _, a := range []infosub.Action{infosub.ActSubmit, infosub.ActApprove, infosub.ActReturn, infosub.ActEdit, infosub.ActProof,
		infosub.ActOverride, infosub.ActWithdraw, infosub.ActPublish, infosub.ActAdopt} {
		if !KnownAction("info." + string(a)) {
			t.Errorf("info.%s has no label", a)
		}
	}
	for _, s := range []supervise.Step{supervise.StepStart, supervise.StepSubmit, supervise.StepVerify, supervise.StepReject} {
		if !KnownAction("rect." + string(s)) {
			t.Errorf("rect.%s has no label", s)
		}
	}
}

func TestLabels(t *testing.T) {
	if got := ActionLabel("info.approve"); got != "审核通过" {
		t.Fatal(got)
	}
	if got := ActionLabel("x.y"); got != "其他操作（x.y）" {
		t.Fatal(got)
	}
	e := Entry{ObjectType: "activity", ObjectID: 7, After: `{"Title":"中心组学习","Date":"2023-03-01"}`}
	if got := e.ObjectName(); got != "台账 中心组学习" {
		t.Fatal(got)
	}
	e = Entry{ObjectType: "user", ObjectID: 42}
	if got := e.ObjectName(); got != "用户（编号 42）" {
		t.Fatal(got)
	}
	if got := MaskName("zhangsan123"); got != "z***（共 11 字）" {
		t.Fatal(got)
	}
}

func TestIDRanges(t *testing.T) {
	if got := IDRanges([]int64{155, 101, 102, 103, 7, 150}); got != "7,101-103,150,155" {
		t.Fatal(got)
	}
	if got := IDRanges(nil); got != "" {
		t.Fatal(got)
	}
}

func TestBackupValidate(t *testing.T) {
	if err := DefaultBackup.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Backup{EveryHours: -1, KeepDays: 0}).Validate(); err == nil || !strings.Contains(err.Error(), "备份间隔") || !strings.Contains(err.Error(), "备份保留天数") {
		t.Fatal(err)
	}
}
