package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/audit"
)

// Actor is who makes a change, for the audit log.
type Actor struct {
	UserID int64
	Name   string
	IP     string
}

// System is the actor of changes made by zhendi itself (demo loading, CLI).
var System = Actor{Name: "系统"}

// auditLockKey serialises appends on PostgreSQL; SQLite's immediate
// transactions already hold the write lock.
const auditLockKey = 7263001

// appendAudit adds one entry to the chain inside tx. It reads the last entry
// and writes the next id explicitly so ids have no gaps (PostgreSQL sequences
// skip values on rollback, which verify would take for a deleted row).
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, actor Actor, orgID int64, action, objType string, objID int64, before, after any) error {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", auditLockKey); err != nil {
			return fmt.Errorf("lock audit log: %w", err)
		}
	}
	var lastID int64
	prev := audit.Genesis
	err := tx.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&lastID, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read audit head: %w", err)
	}
	e := audit.Entry{
		ID: lastID + 1, AtMicro: s.Now().UnixMicro(), ActorID: actor.UserID, ActorName: actor.Name,
		OrgID: orgID, Action: action, ObjectType: objType, ObjectID: objID,
		Before: audit.Snapshot(before), After: audit.Snapshot(after), IP: actor.IP,
	}
	e.Seal(prev)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(id, at_us, actor_id, actor_name, org_id, action, object_type, object_id, before_json, after_json, ip, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
		e.ID, e.AtMicro, nullID(e.ActorID), e.ActorName, nullID(e.OrgID), e.Action, e.ObjectType, nullID(e.ObjectID),
		e.Before, e.After, e.IP, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// Audit records an event that changes nothing else (login, logout, export).
func (s *Store) Audit(ctx context.Context, actor Actor, orgID int64, action, objType string, objID int64, detail any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.appendAudit(ctx, tx, actor, orgID, action, objType, objID, nil, detail)
	})
}

const auditCols = `id, at_us, COALESCE(actor_id,0), actor_name, COALESCE(org_id,0), action, object_type, COALESCE(object_id,0), before_json, after_json, ip, prev_hash, hash`

func scanAudit(rows interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.ID, &e.AtMicro, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID,
		&e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash)
	return e, err
}

// VerifyAudit walks the whole chain. It returns the number of entries and,
// when the chain is broken, an *audit.Break naming the first bad entry.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+auditCols+" FROM audit_log ORDER BY id")
	if err != nil {
		return 0, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count(), fmt.Errorf("read audit entry: %w", err)
		}
		if err := v.Next(e); err != nil {
			return v.Count(), err
		}
	}
	return v.Count(), rows.Err()
}

// AuditFilter selects audit entries for the audit page.
type AuditFilter struct {
	OrgIDs   []int64 // entries of these units; entries with no unit are shown to installation-wide auditors only
	Global   bool    // include entries without a unit (logins of unknown users, settings)
	Action   string
	ActorID  int64
	BeforeID int64 // paging: entries with id < BeforeID
	Limit    int
}

// ListAudit returns entries newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var a args
	where := []string{}
	scope := "1=0"
	if len(f.OrgIDs) > 0 {
		scope = "org_id IN (" + a.in(f.OrgIDs) + ")"
	}
	if f.Global {
		scope = "(" + scope + " OR org_id IS NULL)"
	}
	where = append(where, scope)
	if f.Action != "" {
		where = append(where, "action = "+a.add(f.Action))
	}
	if f.ActorID != 0 {
		where = append(where, "actor_id = "+a.add(f.ActorID))
	}
	if f.BeforeID > 0 {
		where = append(where, "id < "+a.add(f.BeforeID))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := "SELECT " + auditCols + " FROM audit_log WHERE " + joinAnd(where) + " ORDER BY id DESC LIMIT " + a.add(f.Limit)
	out, err := s.queryAudit(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return out, nil
}

func (s *Store) queryAudit(ctx context.Context, q string, args ...any) ([]audit.Entry, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func joinAnd(parts []string) string {
	if len(parts) == 0 {
		return "1=1"
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += " AND " + p
	}
	return out
}

// History lists the audit entries about one object, oldest first. The caller
// must already have checked that the user may read the object.
func (s *Store) History(ctx context.Context, objType string, objID int64) ([]audit.Entry, error) {
	out, err := s.queryAudit(ctx, "SELECT "+auditCols+" FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id LIMIT 200", objType, objID)
	if err != nil {
		return nil, fmt.Errorf("history of %s %d: %w", objType, objID, err)
	}
	return out, nil
}
