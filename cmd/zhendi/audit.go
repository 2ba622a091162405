package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"zhendi/internal/audit"
	"zhendi/internal/cntime"
)

// verifyAudit checks the audit log against its key and checkpoint and
// prints what it checked, the checkpoint included. It never creates a
// database, a key or a checkpoint.
func verifyAudit(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("verify-audit", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	fs.Parse(args)
	s, err := d.openExisting(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.VerifyAuditReport(ctx)
	var br *audit.Break
	if errors.As(err, &br) {
		return fmt.Errorf("审计日志校验失败：已校验 %d 条，%w", r.Entries, br)
	}
	if err != nil {
		return err
	}
	if r.LegacyOnly {
		fmt.Fprintf(out, "审计日志完整：%d 条旧格式记录，哈希链无断裂。尚未启用密钥链（启动一次 zhendi serve 后启用）。\n", r.Entries)
		return nil
	}
	fmt.Fprintf(out, "审计日志完整：%d 条记录（其中旧格式 %d 条），%d 条链，哈希链无断裂，密钥编号 %s。\n", r.Entries, r.Legacy, len(r.Chains), r.KeyID)
	printCheckpoint(out, r.Checkpoint)
	return nil
}

// printCheckpoint prints the anchor the log was held to.
func printCheckpoint(out io.Writer, cp *audit.Checkpoint) {
	if cp == nil {
		return
	}
	at := time.UnixMicro(cp.AtMicro).In(cntime.Zone)
	fmt.Fprintf(out, "检查点（%s，最大编号 %d，签名有效）：\n", at.Format("2006-01-02 15:04:05"), cp.MaxID)
	var parts []string
	for _, c := range cp.Chains() {
		h := cp.Heads[c]
		name := fmt.Sprintf("单位 %d", c)
		if c == 0 {
			name = "全局"
		}
		parts = append(parts, fmt.Sprintf("  %s：%d 项，链头 %s", name, h.Seq, h.Hash[:16]))
	}
	fmt.Fprintln(out, strings.Join(parts, "\n"))
}
