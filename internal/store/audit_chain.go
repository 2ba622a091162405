package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"zhendi/internal/audit"
)

// AuditFiles says where the audit key and the checkpoint live, outside the
// database. On several nodes sharing one PostgreSQL every node must use the
// same key (the same file, or identical copies); each node writes the
// checkpoint at CheckpointPath, merging with what is there.
type AuditFiles struct {
	KeyPath        string // audit.key: 64 hex digits, mode 0600
	CheckpointPath string // audit.checkpoint: JSON, signed with the key
	// Create lets OpenAudit create the key (first start) and write the
	// genesis entry. verify-audit and restore leave it off: they never
	// write to the log.
	Create bool
}

// Key and checkpoint file names in the data directory.
const (
	AuditKeyFile        = "audit.key"
	AuditCheckpointFile = "audit.checkpoint"
)

// DefaultAuditFiles are the audit files in data directory dir.
func DefaultAuditFiles(dir string) AuditFiles {
	return AuditFiles{KeyPath: filepath.Join(dir, AuditKeyFile), CheckpointPath: filepath.Join(dir, AuditCheckpointFile), Create: true}
}

// Errors of OpenAudit.
var (
	// ErrAuditKeyMissing: the log has keyed entries but the key file is not
	// there (lost, not copied to this node, wrong --data or --audit-key).
	ErrAuditKeyMissing = errors.New("审计密钥文件不存在，而审计日志已使用密钥：请从备份或其他节点复制 audit.key，或用 --audit-key 指定它的位置")
	// ErrAuditKeyMismatch: the key file is not the one the log was started with.
	ErrAuditKeyMismatch = errors.New("审计密钥与审计日志不符：请使用本安装的 audit.key（多个节点须使用同一个密钥文件）")
)

// auditState is the store's audit key and checkpoint bookkeeping.
type auditState struct {
	mu        sync.Mutex
	ready     atomic.Bool
	key       audit.Key
	files     AuditFiles
	ephemeral bool         // key made up in memory: a store used without OpenAudit (tests, benchmarks)
	appends   atomic.Int64 // entries appended by this process
	anchored  atomic.Int64 // appends covered by the last checkpoint written
}

// OpenAudit loads the audit key (creating it when missing, if f.Create and
// the log has no keyed entry yet), writes the genesis entry that seals the
// old unkeyed chain when there is none, and writes the checkpoint when it
// does not exist yet. Without f.Create nothing is written: a missing key
// then leaves the store able to verify the old chain only.
func (s *Store) OpenAudit(ctx context.Context, f AuditFiles) error {
	s.aud.mu.Lock()
	defer s.aud.mu.Unlock()
	keyed, err := s.hasKeyedEntries(ctx)
	if err != nil {
		return err
	}
	key, err := loadKey(f.KeyPath)
	switch {
	case errors.Is(err, fs.ErrNotExist) && keyed:
		return fmt.Errorf("%w（%s）", ErrAuditKeyMissing, f.KeyPath)
	case errors.Is(err, fs.ErrNotExist) && f.Create:
		if key, err = createKey(f.KeyPath); err != nil {
			return err
		}
	case errors.Is(err, fs.ErrNotExist):
		s.aud.files = f
		return nil // read-only, legacy log: VerifyAuditReport checks the old chain
	case err != nil:
		return err
	}
	s.aud.key, s.aud.files, s.aud.ephemeral = key, f, false
	if !f.Create {
		if keyed {
			return s.checkGenesisKey(ctx, key)
		}
		return nil
	}
	if err := s.writeGenesis(ctx, key); err != nil {
		return err
	}
	s.aud.ready.Store(true)
	if _, err := os.Stat(f.CheckpointPath); errors.Is(err, fs.ErrNotExist) {
		// First start, or the file was removed: the heads as they are now
		// become the anchor. A removal is itself logged, so the auditor
		// sees that the anchor was lost and when.
		if keyed {
			if err := s.appendOutside(ctx, "audit.checkpoint_missing", map[string]string{"path": f.CheckpointPath}); err != nil {
				return err
			}
		}
		return s.writeCheckpointLocked(ctx)
	}
	return nil
}

// appendOutside appends one installation-wide entry in its own transaction
// while aud.mu is held (so without going through ensureAudit).
func (s *Store) appendOutside(ctx context.Context, action string, detail any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := s.appendAudit(ctx, tx, System, 0, action, "audit", 0, nil, detail); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *Store) hasKeyedEntries(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_heads WHERE chain >= 0").Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read audit heads: %w", err)
	}
	if n > 0 {
		return true, nil
	}
	err = s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE v = 2").Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read audit log: %w", err)
	}
	return n > 0, nil
}

func loadKey(path string) (audit.Key, error) {
	if path == "" {
		return nil, fs.ErrNotExist
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	k, err := audit.ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s：%w", path, err)
	}
	return k, nil
}

// createKey writes a new random key with O_EXCL, so two nodes starting at
// once on a shared path end up with the same key (the second reads the
// first's).
func createKey(path string) (audit.Key, error) {
	if path == "" {
		return nil, errors.New("audit key path not configured")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create audit key folder: %w", err)
	}
	k := make(audit.Key, audit.KeySize)
	rand.Read(k)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadKey(path)
	} else if err != nil {
		return nil, fmt.Errorf("create audit key: %w", err)
	}
	if _, err := f.WriteString(k.String()); err != nil {
		f.Close()
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	return k, f.Close()
}

// writeGenesis appends chain 0's first entry in its own transaction when
// the chain is empty; when chain 0 already has entries it checks that they
// were made with key.
func (s *Store) writeGenesis(ctx context.Context, key audit.Key) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var seq int64
	err = tx.QueryRowContext(ctx, "SELECT seq FROM audit_heads WHERE chain = 0").Scan(&seq)
	if err == nil && seq > 0 {
		tx.Rollback()
		return s.checkGenesisKey(ctx, key)
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read audit genesis: %w", err)
	}
	if err := s.genesisInTx(ctx, tx, key); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit audit genesis: %w", err)
	}
	return nil
}

// genesisInTx writes chain 0's first entry inside tx: it records the old
// unkeyed chain (count, last id, last hash) and the key id. Two first
// appends racing: the second finds chain 0 started and fails (retry).
func (s *Store) genesisInTx(ctx context.Context, tx *sql.Tx, key audit.Key) error {
	e := audit.Entry{Version: audit.V2, Chain: 0, AtMicro: s.Now().UnixMicro(), ActorName: System.Name, Action: audit.GenesisAction, ObjectType: "audit"}
	prev, err := s.claimPosition(ctx, tx, &e)
	if err != nil {
		return err
	}
	if e.Seq != 1 {
		return errors.New("audit genesis written concurrently; retry")
	}
	g := audit.GenesisDetail{KeyID: key.ID(), LegacyHead: audit.Genesis}
	err = tx.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM audit_log WHERE v = 1").Scan(&g.LegacyCount, &g.LegacyLastID)
	if err != nil {
		return fmt.Errorf("read old audit chain: %w", err)
	}
	if g.LegacyLastID > 0 {
		if err := tx.QueryRowContext(ctx, "SELECT hash FROM audit_log WHERE id = $1", g.LegacyLastID).Scan(&g.LegacyHead); err != nil {
			return fmt.Errorf("read old audit head: %w", err)
		}
	}
	e.After = audit.Snapshot(g)
	e.Seal(key, prev)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(id, v, chain, seq, at_us, actor_id, actor_name, org_id, action, object_type, object_id, before_json, after_json, ip, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,NULL,$6,NULL,$7,$8,NULL,'',$9,'',$10,$11)`,
		e.ID, e.Version, e.Chain, e.Seq, e.AtMicro, e.ActorName, e.Action, e.ObjectType, e.After, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("write audit genesis: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE audit_heads SET hash = $1 WHERE chain = 0", e.Hash); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	s.aud.appends.Add(1)
	return nil
}

// checkGenesisKey compares key with the one named by the genesis entry.
func (s *Store) checkGenesisKey(ctx context.Context, key audit.Key) error {
	var after string
	err := s.db.QueryRowContext(ctx, "SELECT after_json FROM audit_log WHERE chain = 0 AND seq = 1").Scan(&after)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // verification reports the missing genesis
	} else if err != nil {
		return fmt.Errorf("read audit genesis: %w", err)
	}
	var g audit.GenesisDetail
	if json.Unmarshal([]byte(after), &g) == nil && g.KeyID != key.ID() {
		return fmt.Errorf("%w（日志的密钥编号 %s，密钥文件的编号 %s）", ErrAuditKeyMismatch, g.KeyID, key.ID())
	}
	return nil
}

// auditKey is the key for an append inside tx. A store used without
// OpenAudit (tests, benchmarks) gets a key made up in memory, whose log
// verifies in this process only; its genesis is written in the first
// appending transaction (and again by the next one should that roll back:
// ready is set only once a committed genesis is seen).
func (s *Store) auditKey(ctx context.Context, tx *sql.Tx) (audit.Key, error) {
	if s.aud.ready.Load() {
		return s.aud.key, nil
	}
	s.aud.mu.Lock()
	if !s.aud.files.Create && s.aud.files.KeyPath != "" {
		s.aud.mu.Unlock()
		return nil, errors.New("audit log opened read-only: no changes allowed")
	}
	if s.aud.key == nil && s.dialect == SQLite && s.aud.files.KeyPath == "" {
		// A SQLite store used without OpenAudit keeps its key beside the
		// database, so a command opened on the same folder later (which
		// does call OpenAudit) finds it.
		f := DefaultAuditFiles(filepath.Dir(s.dsn))
		if k, err := loadKey(f.KeyPath); err == nil {
			s.aud.key, s.aud.files = k, f
		} else if k, err := createKey(f.KeyPath); err == nil {
			s.aud.key, s.aud.files = k, f
		}
	}
	if s.aud.key == nil {
		k := make(audit.Key, audit.KeySize)
		rand.Read(k)
		s.aud.key, s.aud.ephemeral = k, true
	}
	key := s.aud.key
	s.aud.mu.Unlock()
	var seq int64
	err := tx.QueryRowContext(ctx, "SELECT seq FROM audit_heads WHERE chain = 0").Scan(&seq)
	switch {
	case err == nil && seq > 0:
		s.aud.ready.Store(true)
		return key, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("read audit genesis: %w", err)
	}
	if err := s.genesisInTx(ctx, tx, key); err != nil {
		return nil, err
	}
	return key, nil
}

// verifyKey is the key to verify with; legacyOnly when there is none and
// the log has no keyed entry.
func (s *Store) verifyKey(ctx context.Context) (audit.Key, bool, error) {
	s.aud.mu.Lock()
	key := s.aud.key
	s.aud.mu.Unlock()
	if key != nil {
		return key, false, nil
	}
	keyed, err := s.hasKeyedEntries(ctx)
	if err != nil {
		return nil, false, err
	}
	if keyed {
		return nil, false, ErrAuditKeyMissing
	}
	return nil, true, nil
}

// readCheckpoint reads and checks the checkpoint file. No checkpoint is
// configured: nil. Configured but missing or not signed by key: a Break.
func (s *Store) readCheckpoint(key audit.Key) (*audit.Checkpoint, error) {
	path := s.aud.files.CheckpointPath
	if path == "" || s.aud.ephemeral {
		return nil, nil
	}
	cp, err := ReadCheckpoint(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &audit.Break{Reason: "检查点文件 " + path + " 不存在（被删除，或数据目录不对）"}
	} else if err != nil {
		return nil, &audit.Break{Reason: err.Error()}
	}
	if err := cp.Check(key); err != nil {
		return nil, &audit.Break{Reason: "检查点 " + path + "：" + err.Error()}
	}
	return cp, nil
}

// ReadCheckpoint parses the checkpoint file at path (not checking its
// signature: Checkpoint.Check does). A missing file wraps fs.ErrNotExist.
func ReadCheckpoint(path string) (*audit.Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read audit checkpoint: %w", err)
	}
	var cp audit.Checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("检查点文件 %s 无法读取：%v", path, err)
	}
	return &cp, nil
}

// CheckpointIfChanged writes the checkpoint when this process appended
// since the last one: the background job calls it every second, so the
// anchor trails the log by at most about a second (one batch of appends).
func (s *Store) CheckpointIfChanged(ctx context.Context) error {
	if s.aud.appends.Load() == s.aud.anchored.Load() {
		return nil
	}
	return s.WriteCheckpoint(ctx)
}

// WriteCheckpoint signs the heads of every chain as the database has them
// now and writes them, merged with the checkpoint already there (another
// node's), to the checkpoint file: a temporary file synced and renamed, so
// a crash leaves the old or the new one. No-op without audit files.
func (s *Store) WriteCheckpoint(ctx context.Context) error {
	s.aud.mu.Lock()
	defer s.aud.mu.Unlock()
	return s.writeCheckpointLocked(ctx)
}

func (s *Store) writeCheckpointLocked(ctx context.Context) error {
	path := s.aud.files.CheckpointPath
	if path == "" || s.aud.ephemeral || s.aud.key == nil || !s.aud.files.Create {
		return nil
	}
	seen := s.aud.appends.Load()
	heads, err := s.auditHeads(ctx)
	if err != nil {
		return err
	}
	cp := audit.Checkpoint{AtMicro: s.Now().UnixMicro(), Heads: heads}
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&cp.MaxID); err != nil {
		return fmt.Errorf("read audit max id: %w", err)
	}
	if old, err := ReadCheckpoint(path); err == nil && old.Check(s.aud.key) == nil {
		cp = cp.Merge(*old)
		cp.AtMicro = s.Now().UnixMicro()
	}
	cp.Sign(s.aud.key)
	if err := writeFileAtomic(path, cp); err != nil {
		return err
	}
	s.aud.anchored.Store(seen)
	return nil
}

// ResetCheckpoint replaces the checkpoint with the heads of this database,
// without merging: restore uses it after putting an older database back
// (the entries past the backup are gone on purpose, and the restore itself
// is logged).
func (s *Store) ResetCheckpoint(ctx context.Context) error {
	s.aud.mu.Lock()
	defer s.aud.mu.Unlock()
	if path := s.aud.files.CheckpointPath; path != "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove old checkpoint: %w", err)
		}
	}
	return s.writeCheckpointLocked(ctx)
}

func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("create checkpoint folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".checkpoint-*")
	if err != nil {
		return fmt.Errorf("write audit checkpoint: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write audit checkpoint: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write audit checkpoint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write audit checkpoint: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write audit checkpoint: %w", err)
	}
	return nil
}

// AuditKeyID is the id of the loaded key ("" when none).
func (s *Store) AuditKeyID() string {
	s.aud.mu.Lock()
	defer s.aud.mu.Unlock()
	if s.aud.key == nil {
		return ""
	}
	return s.aud.key.ID()
}

// Path is the SQLite database file ("" on PostgreSQL).
func (s *Store) Path() string {
	if s.dialect != SQLite {
		return ""
	}
	return s.dsn
}

// AuditFilesInUse are the audit files given to OpenAudit.
func (s *Store) AuditFilesInUse() AuditFiles {
	s.aud.mu.Lock()
	defer s.aud.mu.Unlock()
	return s.aud.files
}
