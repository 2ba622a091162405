package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"time"
)

// Set at release build time by build/release.sh:
//
//	-ldflags "-X main.version=1.2.0 -X main.commit=<sha> -X main.buildTime=<RFC 3339>"
//
// They are variables, not constants, because -X can only set string
// variables; nothing writes them at run time.
var (
	version   = ""
	commit    = ""
	buildTime = ""
)

// buildInfo is what `zhendi version` prints and the startup log records,
// so an administrator can tell which build answers on a machine.
type buildInfo struct {
	Version   string
	Commit    string
	BuildTime string
	Modified  bool // built from a worktree with uncommitted changes
	GoVersion string
	Platform  string
}

// readBuildInfo takes the -X values and falls back on what the Go
// toolchain records in the binary (vcs.revision and vcs.time when built in
// a git checkout with VCS stamping on), so a plain `go build` still says
// which commit it is.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, BuildTime: buildTime,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.BuildTime == "" {
					b.BuildTime = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "开发版"
	}
	return b
}

// dialects are the databases this binary can open: both drivers are pure Go
// and always linked in.
var dialects = []string{"SQLite（内嵌，modernc.org/sqlite）", "PostgreSQL（pgx；测试在 PostgreSQL 15 上运行）"}

func versionCmd(out io.Writer) error {
	b := readBuildInfo()
	commit := b.Commit
	if commit == "" {
		commit = "未知（未用发行脚本构建，且构建时未记录 git 信息）"
	} else if b.Modified {
		commit += "（含未提交的修改）"
	}
	built := b.BuildTime
	if built == "" {
		built = "未知"
	} else if t, err := time.Parse(time.RFC3339, built); err == nil {
		built = t.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(out, "zhendi %s\n", b.Version)
	fmt.Fprintf(out, "提交：%s\n", commit)
	fmt.Fprintf(out, "构建时间：%s\n", built)
	fmt.Fprintf(out, "Go 版本：%s（%s）\n", b.GoVersion, b.Platform)
	fmt.Fprintln(out, "支持的数据库：")
	for _, d := range dialects {
		fmt.Fprintf(out, "  %s\n", d)
	}
	return nil
}
