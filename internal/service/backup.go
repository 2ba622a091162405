package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/audit"
	"zhendi/internal/store"
)

// BackupStatus is what the backup settings page shows.
type BackupStatus struct {
	Settings audit.Backup
	Dir      string             // where automatic backups go ("" when off)
	Backups  []store.BackupInfo // newest first
	SQLite   bool               // automatic backups need SQLite (PostgreSQL: pg_dump)
}

// BackupStatus reads the schedule and the backups made so far. Only an
// installation-level administrator may (Scope.InstallAdmin).
func (s *Service) BackupStatus(ctx context.Context, sc access.Scope) (BackupStatus, error) {
	if !sc.InstallAdmin {
		return BackupStatus{}, apperr.ErrNotFound
	}
	b, err := s.st.BackupSettings(ctx)
	if err != nil {
		return BackupStatus{}, err
	}
	list, err := store.Backups(s.cfg.BackupDir)
	if err != nil {
		return BackupStatus{}, err
	}
	return BackupStatus{Settings: b, Dir: s.cfg.BackupDir, Backups: list, SQLite: s.st.Dialect() == store.SQLite}, nil
}

// SetBackupSettings changes the schedule (audit.Backup.Validate).
func (s *Service) SetBackupSettings(ctx context.Context, actor store.Actor, sc access.Scope, b audit.Backup) error {
	if !sc.InstallAdmin {
		return apperr.ErrNotFound
	}
	if err := b.Validate(); err != nil {
		return err
	}
	return s.st.SetBackupSettings(ctx, actor, b)
}

// BackupRound is the automatic backup job (every 10 minutes from zhendi
// serve): when the newest automatic backup is older than the schedule's
// interval it makes one (store.AutoBackup, logged as system.backup), then
// removes automatic backups past the retention. Idempotent: a round soon
// after another finds a fresh backup and does nothing. SQLite only; on
// PostgreSQL the database is backed up with pg_dump and the round does
// nothing.
func (s *Service) BackupRound(ctx context.Context) error {
	if s.cfg.BackupDir == "" || s.st.Dialect() != store.SQLite {
		return nil
	}
	b, err := s.st.BackupSettings(ctx)
	if err != nil {
		return err
	}
	if b.EveryHours == 0 {
		return nil
	}
	now := s.now()
	list, err := store.Backups(s.cfg.BackupDir)
	if err != nil {
		return err
	}
	due := true
	for _, bk := range list {
		if bk.Auto {
			due = now.Sub(bk.At).Hours() >= float64(b.EveryHours)
			break
		}
	}
	if due {
		made, err := s.st.AutoBackup(ctx, s.cfg.BackupDir, now)
		if err != nil {
			return fmt.Errorf("automatic backup: %w", err)
		}
		s.log.Info("automatic backup made", "path", made.Path)
	}
	removed, err := store.PruneAutoBackups(s.cfg.BackupDir, b.KeepDays, now)
	if len(removed) > 0 {
		s.log.Info("old automatic backups removed", "names", removed)
	}
	return err
}
