package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"zhendi/internal/audit"
)

// ErrBackupNeedsSQLite: BackupTo copies SQLite databases only; PostgreSQL
// is backed up with its own tools (pg_dump) and the files folder copied.
var ErrBackupNeedsSQLite = errors.New("backup: the database is PostgreSQL, not SQLite")

// Backup writes a consistent copy of the SQLite database to dest while the
// server keeps running, using VACUUM INTO. ErrBackupNeedsSQLite on
// PostgreSQL; an error wrapping fs.ErrExist when dest exists (a backup is
// never written over another).
func (s *Store) Backup(ctx context.Context, dest string) error {
	if s.dialect != SQLite {
		return ErrBackupNeedsSQLite
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup %s: %w", dest, fs.ErrExist)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO $1", dest); err != nil {
		return fmt.Errorf("vacuum into %s: %w", dest, err)
	}
	return nil
}

// BackupTo writes a complete backup into dir: a consistent copy of the
// SQLite database (VACUUM INTO, safe while the server runs) and every
// attachment file. Attachments are named by content and never rewritten, so
// copying them after the database copy captures every file it refers to.
// It returns the number of attachment files copied.
func (s *Store) BackupTo(ctx context.Context, dir string) (int, error) {
	if s.dialect != SQLite {
		return 0, ErrBackupNeedsSQLite
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, fmt.Errorf("create backup folder: %w", err)
	}
	if err := s.Backup(ctx, filepath.Join(dir, "zhendi.db")); err != nil {
		return 0, err
	}
	if err := s.checkpointCopy(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, AuditCheckpointFile)); err != nil {
		return 0, err
	}
	if s.blobDir == "" {
		return 0, nil
	}
	n := 0
	err := filepath.WalkDir(s.blobDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(s.blobDir, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, "files", rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o750)
		}
		if filepath.Base(path)[0] == '.' { // an upload still being written
			return nil
		}
		n++
		return copyFile(path, target)
	})
	if err != nil {
		return n, fmt.Errorf("copy attachments: %w", err)
	}
	return n, nil
}

// checkpointCopy writes, for the database copy at dbPath, the checkpoint
// of its audit chains signed with this store's key, so the copy verifies on
// its own (with the key, which is backed up separately) and restore can
// check it before putting it back.
func (s *Store) checkpointCopy(ctx context.Context, dbPath, cpPath string) error {
	s.aud.mu.Lock()
	key := s.aud.key
	s.aud.mu.Unlock()
	if key == nil {
		return nil
	}
	c, err := Open(ctx, dbPath, "")
	if err != nil {
		return fmt.Errorf("open backup copy: %w", err)
	}
	defer c.Close()
	heads, err := c.auditHeads(ctx)
	if err != nil {
		return err
	}
	cp := audit.Checkpoint{AtMicro: s.Now().UnixMicro(), Heads: heads}
	if err := c.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&cp.MaxID); err != nil {
		return fmt.Errorf("read backup max id: %w", err)
	}
	cp.Sign(key)
	return writeFileAtomic(cpPath, cp)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o640)
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
