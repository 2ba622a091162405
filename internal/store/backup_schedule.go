package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/audit"
)

// BackupSettings reads the automatic backup schedule (audit.DefaultBackup
// for missing keys).
func (s *Store) BackupSettings(ctx context.Context) (audit.Backup, error) {
	b := audit.DefaultBackup
	for key, dst := range map[string]*int{"backup.every_hours": &b.EveryHours, "backup.keep_days": &b.KeepDays} {
		v, ok, err := s.setting(ctx, key)
		if err != nil {
			return b, err
		}
		if n, err := strconv.Atoi(v); ok && err == nil {
			*dst = n
		}
	}
	return b, nil
}

// SetBackupSettings saves the schedule (validated by the caller), logged as
// settings.backup.
func (s *Store) SetBackupSettings(ctx context.Context, actor Actor, b audit.Backup) error {
	before, err := s.BackupSettings(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for key, v := range map[string]int{"backup.every_hours": b.EveryHours, "backup.keep_days": b.KeepDays} {
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1,$2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, strconv.Itoa(v))
			if err != nil {
				return fmt.Errorf("save setting %s: %w", key, err)
			}
		}
		return s.appendAudit(ctx, tx, actor, 0, "settings.backup", "settings", 0, before, b)
	})
}

// BackupInfo is one backup folder.
type BackupInfo struct {
	Name string    // folder name: auto-20230705-020000 for automatic ones
	Path string    // full path
	At   time.Time // when it was taken (from the name; folder time for others)
	Auto bool      // made by the schedule (only these are ever removed)
	Size int64     // bytes of the database copy
}

const autoPrefix = "auto-"
const autoLayout = "20060102-150405"

// Backups lists the backup folders in dir (those holding a zhendi.db),
// newest first. A missing dir is an empty list.
func Backups(dir string) ([]BackupInfo, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []BackupInfo
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		st, err := os.Stat(filepath.Join(p, "zhendi.db"))
		if err != nil {
			continue
		}
		b := BackupInfo{Name: e.Name(), Path: p, At: st.ModTime(), Size: st.Size()}
		if t, err := time.ParseInLocation(autoLayout, strings.TrimPrefix(e.Name(), autoPrefix), time.Local); err == nil && strings.HasPrefix(e.Name(), autoPrefix) {
			b.At, b.Auto = t, true
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b BackupInfo) int { return b.At.Compare(a.At) })
	return out, nil
}

// AutoBackup makes an automatic backup in dir/auto-<time>: written under a
// hidden name first and renamed when complete, so a folder with the auto-
// name is always a whole backup. It is logged as system.backup.
func (s *Store) AutoBackup(ctx context.Context, dir string, now time.Time) (BackupInfo, error) {
	name := autoPrefix + now.Format(autoLayout)
	final := filepath.Join(dir, name)
	tmp := filepath.Join(dir, "."+name+".partial")
	os.RemoveAll(tmp)
	n, err := s.BackupTo(ctx, tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return BackupInfo{}, err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return BackupInfo{}, fmt.Errorf("finish backup: %w", err)
	}
	if err := s.Audit(ctx, System, 0, "system.backup", "backup", 0, map[string]any{"name": name, "files": n}); err != nil {
		return BackupInfo{}, err
	}
	return BackupInfo{Name: name, Path: final, At: now, Auto: true}, nil
}

// PruneAutoBackups removes automatic backups older than keepDays, never the
// newest automatic one and never a backup made by hand. It returns the
// names removed.
func PruneAutoBackups(dir string, keepDays int, now time.Time) ([]string, error) {
	all, err := Backups(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	newest := true
	for _, b := range all {
		if !b.Auto {
			continue
		}
		if newest {
			newest = false
			continue
		}
		if now.Sub(b.At) > time.Duration(keepDays)*24*time.Hour {
			if err := os.RemoveAll(b.Path); err != nil {
				return removed, fmt.Errorf("remove old backup %s: %w", b.Name, err)
			}
			removed = append(removed, b.Name)
		}
	}
	return removed, nil
}

// CheckFiles checks that every file the database names (attachments,
// rectification evidence, information images) is in filesDir with the
// content its name promises. It returns how many were checked and an
// error naming the first missing or damaged one.
func (s *Store) CheckFiles(ctx context.Context, filesDir string) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sha256 FROM attachments UNION SELECT sha256 FROM rectification_files UNION SELECT sha256 FROM info_images`)
	if err != nil {
		return 0, fmt.Errorf("list files: %w", err)
	}
	var sums []string
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			rows.Close()
			return 0, fmt.Errorf("list files: %w", err)
		}
		sums = append(sums, sum)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("list files: %w", err)
	}
	for i, sum := range sums {
		if len(sum) < 3 {
			return i, fmt.Errorf("附件记录中的文件名“%s”无效", sum)
		}
		got, err := fileSum(filepath.Join(filesDir, sum[:2], sum))
		if errors.Is(err, fs.ErrNotExist) {
			return i, fmt.Errorf("缺少附件文件 %s", filepath.Join("files", sum[:2], sum))
		} else if err != nil {
			return i, err
		}
		if got != sum {
			return i, fmt.Errorf("附件文件 %s 内容已损坏", filepath.Join("files", sum[:2], sum))
		}
	}
	return len(sums), nil
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CopyFilesFrom copies into this store's files folder every file of
// srcDir it does not have yet (files are named by content, so a file
// already there is the same file). It returns how many were copied.
func (s *Store) CopyFilesFrom(srcDir string) (int, error) {
	n := 0
	err := filepath.WalkDir(srcDir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == srcDir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, err := filepath.Rel(srcDir, path)
		if err != nil {
			return err
		}
		target := filepath.Join(s.blobDir, rel)
		if _, err := os.Stat(target); err == nil {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
			return err
		}
		n++
		return copyFile(path, target)
	})
	if err != nil {
		return n, fmt.Errorf("copy files: %w", err)
	}
	return n, nil
}
