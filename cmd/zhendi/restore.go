package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"zhendi/internal/audit"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
)

// restoreCmd puts a backup (zhendi backup, or an automatic one) back into
// the data directory. It runs only while no server holds the directory (it
// stops nothing itself), checks the backup first — its audit log against
// the key and the checkpoint written with it, and every file its records
// name — and refuses to replace a database with newer entries than the
// backup's unless --force. Nothing is deleted: the database it replaces is
// kept beside it as zhendi.db.before-restore-<time>.
func restoreCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	from := fs.String("from", "", "备份目录（含 zhendi.db 和 files/）")
	force := fs.Bool("force", false, "当前数据库比备份新时仍然恢复")
	fs.Parse(args)
	if *from == "" {
		return errors.New("须给出 --from 备份目录")
	}
	if d.postgres() {
		return errors.New("PostgreSQL 数据库请用 pg_restore 恢复；附件目录 files/ 请从备份复制回数据目录")
	}
	if d.db != "" {
		return errors.New("restore 只恢复到数据目录中的 zhendi.db，请用 --data 指定数据目录")
	}
	src := filepath.Join(*from, "zhendi.db")
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("备份目录 %s 中没有 zhendi.db", *from)
	}
	key := d.auditFiles(false).KeyPath
	if _, err := os.Stat(key); err != nil {
		return fmt.Errorf("找不到审计密钥 %s：恢复前须校验备份的审计日志，请用 --audit-key 指定密钥文件", key)
	}
	unlock, err := lockData(d.data)
	if err != nil {
		return err
	}
	defer unlock()

	// 1. Check a working copy of the backup (the backup itself is never
	// opened for writing).
	stamp := time.Now().In(cntime.Zone).Format("20060102-150405")
	live := filepath.Join(d.data, "zhendi.db")
	work := live + ".restoring-" + stamp
	if err := copyPlain(src, work); err != nil {
		return fmt.Errorf("复制备份：%w", err)
	}
	done := false
	defer func() {
		if !done {
			removeDB(work)
		}
	}()
	bk, err := store.Open(ctx, work, "")
	if err != nil {
		return err
	}
	check := func() (store.AuditCheck, time.Time, int, error) {
		defer bk.Close()
		if err := bk.Migrate(ctx, nil); err != nil {
			return store.AuditCheck{}, time.Time{}, 0, err
		}
		if err := bk.OpenAudit(ctx, store.AuditFiles{KeyPath: key, CheckpointPath: filepath.Join(*from, store.AuditCheckpointFile)}); err != nil {
			return store.AuditCheck{}, time.Time{}, 0, err
		}
		r, err := bk.VerifyAuditReport(ctx)
		var br *audit.Break
		if errors.As(err, &br) {
			return r, time.Time{}, 0, fmt.Errorf("备份的审计日志校验失败，未恢复：%w", br)
		} else if err != nil {
			return r, time.Time{}, 0, err
		}
		n, err := bk.CheckFiles(ctx, filepath.Join(*from, "files"))
		if err != nil {
			return r, time.Time{}, n, fmt.Errorf("备份的附件不完整，未恢复：%w", err)
		}
		latest, err := bk.LatestAuditTime(ctx)
		return r, latest, n, err
	}
	r, backupLatest, nfiles, err := check()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "备份校验通过：审计日志 %d 条完整，%d 个附件文件齐全。\n", r.Entries, nfiles)

	// 2. Newer live database: only with --force.
	if _, err := os.Stat(live); err == nil {
		cur, err := store.Open(ctx, live, "")
		if err != nil {
			return err
		}
		curLatest, err := cur.LatestAuditTime(ctx)
		cur.Close()
		if err != nil {
			return err
		}
		if curLatest.After(backupLatest) && !*force {
			return fmt.Errorf("当前数据库比备份新（当前最新记录 %s，备份最新记录 %s），未恢复；确要用这份备份覆盖，请加 --force",
				cntime.DateTime(curLatest), cntime.DateTime(backupLatest))
		}
	}

	// 3. Replace: the old database is kept, files are added (named by
	// content, so nothing the newer database had is lost), the backup's
	// checkpoint comes with it.
	kept := ""
	if _, err := os.Stat(live); err == nil {
		kept = live + ".before-restore-" + stamp
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(live+suffix, kept+suffix); err != nil && !errors.Is(err, iofs.ErrNotExist) {
				return fmt.Errorf("保留原数据库：%w", err)
			}
		}
	}
	removeDB(work + "-wal") // the check closed the copy cleanly
	if err := os.Rename(work, live); err != nil {
		return fmt.Errorf("替换数据库：%w", err)
	}
	done = true
	cpLive := filepath.Join(d.data, store.AuditCheckpointFile)
	if _, err := os.Stat(cpLive); err == nil {
		os.Rename(cpLive, cpLive+".before-restore-"+stamp)
	}
	if err := copyPlain(filepath.Join(*from, store.AuditCheckpointFile), cpLive); err != nil {
		return fmt.Errorf("复制检查点：%w", err)
	}
	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	copied, err := s.CopyFilesFrom(filepath.Join(*from, "files"))
	if err != nil {
		return err
	}
	if err := s.Audit(ctx, store.System, 0, "system.restore", "backup", 0, map[string]any{"from": *from, "backup_latest": cntime.DateTime(backupLatest),
		"previous_database": kept, "files_copied": copied, "forced": *force}); err != nil {
		return err
	}
	if err := s.WriteCheckpoint(ctx); err != nil {
		return err
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		return fmt.Errorf("恢复后审计日志校验失败：%w", err)
	}
	fmt.Fprintf(out, "已从 %s 恢复（复制附件 %d 个）。", *from, copied)
	if kept != "" {
		fmt.Fprintf(out, "原数据库保留为 %s。", kept)
	}
	fmt.Fprintln(out, "现在可以启动服务。")
	return nil
}

func removeDB(p string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(p + suffix)
	}
}

// copyPlain copies a file, replacing dst.
func copyPlain(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
