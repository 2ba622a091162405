package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// blobPath is where the file with this hash is kept. Files are named by
// content, written once and never changed, so copying the folder at any
// moment gives a consistent backup of every attachment the database names.
func (s *Store) blobPath(sum string) string {
	return filepath.Join(s.blobDir, sum[:2], sum)
}

// putBlob stores data under its SHA-256 and returns the hex sum.
func (s *Store) putBlob(data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	p := s.blobPath(sum)
	if _, err := os.Stat(p); err == nil {
		return sum, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", fmt.Errorf("create attachment folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return "", fmt.Errorf("create attachment file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write attachment: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("sync attachment: %w", err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), p); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	return sum, nil
}

// AddAttachment stores a checked file and links it to an activity the scope
// may change.
func (s *Store) AddAttachment(ctx context.Context, actor Actor, sc access.Scope, activityID int64, att *ledger.Attachment, data []byte) error {
	sum, err := s.putBlob(data)
	if err != nil {
		return err
	}
	att.SHA256, att.Size, att.ActivityID = sum, int64(len(data)), activityID
	return s.tx(ctx, func(tx *sql.Tx) error {
		act, err := s.lockActivity(ctx, tx, sc, activityID)
		if err != nil {
			return err
		}
		att.CreatedAt = s.Now().Unix()
		err = tx.QueryRowContext(ctx, `INSERT INTO attachments (activity_id, unit_id, name, mime, size, sha256, kind, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, activityID, act.UnitID, att.Name, att.Mime, att.Size, sum, att.Kind,
			att.CreatedAt, nullID(actor.UserID)).Scan(&att.ID)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, act.UnitID, "attachment.add", "activity", activityID, nil,
			map[string]any{"attachment": att.ID, "name": att.Name, "sha256": sum, "size": att.Size})
	})
}

// RemoveAttachment unlinks an attachment (the file stays for the audit trail).
func (s *Store) RemoveAttachment(ctx context.Context, actor Actor, sc access.Scope, activityID, attID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		act, err := s.lockActivity(ctx, tx, sc, activityID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE attachments SET deleted_at = $1 WHERE id = $2 AND activity_id = $3 AND deleted_at IS NULL",
			s.Now().Unix(), attID, activityID)
		if err != nil {
			return fmt.Errorf("remove attachment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.appendAudit(ctx, tx, actor, act.UnitID, "attachment.remove", "activity", activityID, map[string]any{"attachment": attID}, nil)
	})
}

func (s *Store) attachmentsOf(ctx context.Context, activityID int64) ([]ledger.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, activity_id, name, mime, size, sha256, kind, created_at FROM attachments
		WHERE activity_id = $1 AND deleted_at IS NULL ORDER BY id`, activityID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []ledger.Attachment
	for rows.Next() {
		var a ledger.Attachment
		if err := rows.Scan(&a.ID, &a.ActivityID, &a.Name, &a.Mime, &a.Size, &a.SHA256, &a.Kind, &a.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// OpenAttachment returns an attachment's metadata and file if the scope may
// read its activity.
func (s *Store) OpenAttachment(ctx context.Context, sc access.Scope, activityID, attID int64) (ledger.Attachment, io.ReadSeekCloser, error) {
	if _, err := s.Activity(ctx, sc, activityID); err != nil {
		return ledger.Attachment{}, nil, err
	}
	var a ledger.Attachment
	err := s.db.QueryRowContext(ctx, `SELECT id, activity_id, name, mime, size, sha256, kind, created_at FROM attachments
		WHERE id = $1 AND activity_id = $2 AND deleted_at IS NULL`, attID, activityID).
		Scan(&a.ID, &a.ActivityID, &a.Name, &a.Mime, &a.Size, &a.SHA256, &a.Kind, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, ErrNotFound
	} else if err != nil {
		return a, nil, fmt.Errorf("read attachment: %w", err)
	}
	f, err := os.Open(s.blobPath(a.SHA256))
	if err != nil {
		return a, nil, fmt.Errorf("open attachment file: %w", err)
	}
	return a, f, nil
}
