package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// insertAttachments links files already stored with PutBlob (SHA256 and
// Size set) to the activity act inside tx, each with its audit entry, and
// sets their ids.
func (s *Store) insertAttachments(ctx context.Context, tx *sql.Tx, actor Actor, act ledger.Activity, files []ledger.Attachment) error {
	for i := range files {
		att := &files[i]
		att.ActivityID, att.CreatedAt = act.ID, s.Now().Unix()
		err := tx.QueryRowContext(ctx, `INSERT INTO attachments (activity_id, unit_id, name, mime, size, sha256, kind, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, act.ID, act.UnitID, att.Name, att.Mime, att.Size, att.SHA256, att.Kind,
			att.CreatedAt, nullID(actor.UserID)).Scan(&att.ID)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		err = s.appendAudit(ctx, tx, actor, act.UnitID, "attachment.add", "activity", act.ID, nil,
			map[string]any{"attachment": att.ID, "name": att.Name, "sha256": att.SHA256, "size": att.Size})
		if err != nil {
			return err
		}
	}
	return nil
}

// AddAttachments links files already stored with PutBlob to an activity the
// scope may read, all in one transaction. check (typically
// ledger.CheckWrite) decides whether the caller may change the activity.
func (s *Store) AddAttachments(ctx context.Context, actor Actor, sc access.Scope, activityID int64, files []ledger.Attachment,
	check func(ledger.Activity) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		act, err := s.lockActivity(ctx, tx, sc, activityID)
		if err != nil {
			return err
		}
		if err := check(act); err != nil {
			return err
		}
		return s.insertAttachments(ctx, tx, actor, act, files)
	})
}

// RemoveAttachment unlinks an attachment (the file stays for the audit
// trail); check as for AddAttachments.
func (s *Store) RemoveAttachment(ctx context.Context, actor Actor, sc access.Scope, activityID, attID int64, check func(ledger.Activity) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		act, err := s.lockActivity(ctx, tx, sc, activityID)
		if err != nil {
			return err
		}
		if err := check(act); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE attachments SET deleted_at = $1 WHERE id = $2 AND activity_id = $3 AND deleted_at IS NULL",
			s.Now().Unix(), attID, activityID)
		if err != nil {
			return fmt.Errorf("remove attachment: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("remove attachment: %w", err)
		} else if n == 0 {
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
	f, err := s.openBlob(a.SHA256)
	return a, f, err
}
