package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRemindCommand: one round on a fresh unit whose 意识形态专干 is the
// only person; a second round sends nothing again.
func TestRemindCommand(t *testing.T) {
	ctx := context.Background()
	data := "--data=" + t.TempDir()
	var out bytes.Buffer
	if err := user(ctx, quiet(), []string{"create", data, "--username", "clerk", "--name", "李专干", "--role", "clerk",
		"--unit-name", "测试局", "--password", "Kx7m-Lp2q9-c"}, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := remindCmd(ctx, quiet(), []string{data}, &out); err != nil {
		t.Fatal(err)
	}
	first := out.String()
	if !strings.Contains(first, "本轮发送提醒") {
		t.Fatalf("output: %s", first)
	}
	out.Reset()
	if err := remindCmd(ctx, quiet(), []string{data}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "本轮发送提醒 0 条") || !strings.Contains(out.String(), "新增整改事项 0 项") {
		t.Fatalf("second round repeated work: %s (first: %s)", out.String(), first)
	}
}
