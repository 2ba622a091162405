package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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

// appendAudit adds one entry inside tx to the chain of unit orgID (0:
// installation-wide). It takes that chain's head row lock only, so
// transactions of different units append in parallel on PostgreSQL; the
// lock is held until tx ends, which keeps positions in a chain consecutive
// (a rolled-back append gives its position back with its row). Ids come
// from a counter that never goes back (a sequence on PostgreSQL, the head
// row -1 on SQLite), so an id is never given twice.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, actor Actor, orgID int64, action, objType string, objID int64, before, after any) error {
	key, err := s.auditKey(ctx, tx)
	if err != nil {
		return err
	}
	e := audit.Entry{
		Version: audit.V2, Chain: orgID, AtMicro: s.Now().UnixMicro(), ActorID: actor.UserID, ActorName: actor.Name,
		OrgID: orgID, Action: action, ObjectType: objType, ObjectID: objID,
		Before: audit.Snapshot(before), After: audit.Snapshot(after), IP: actor.IP,
	}
	prev, err := s.claimPosition(ctx, tx, &e)
	if err != nil {
		return err
	}
	e.Seal(key, prev)
	const insert = `INSERT INTO audit_log
		(id, v, chain, seq, at_us, actor_id, actor_name, org_id, action, object_type, object_id, before_json, after_json, ip, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`
	vals := []any{e.ID, e.Version, e.Chain, e.Seq, e.AtMicro, nullID(e.ActorID), e.ActorName, nullID(e.OrgID), e.Action, e.ObjectType, nullID(e.ObjectID),
		e.Before, e.After, e.IP, e.PrevHash, e.Hash}
	if s.dialect == Postgres {
		// One round trip for the row and the head: the chain's lock is
		// held until commit, so every round trip saved is time other
		// writers of the unit do not wait.
		_, err = tx.ExecContext(ctx, "WITH e AS ("+insert+" RETURNING chain, hash) UPDATE audit_heads h SET hash = e.hash FROM e WHERE h.chain = e.chain", vals...)
		if err != nil {
			return fmt.Errorf("append audit entry: %w", err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, insert, vals...); err != nil {
			return fmt.Errorf("append audit entry: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE audit_heads SET hash = $1 WHERE chain = $2", e.Hash, e.Chain); err != nil {
			return fmt.Errorf("move audit head: %w", err)
		}
	}
	s.aud.appends.Add(1)
	return nil
}

// claimPosition locks the head of e.Chain, advances it and gives e its Seq
// and ID; it returns the previous hash. A chain's first append creates its
// head row (two first appends at once: ON CONFLICT makes the second wait
// for the first and then advance the row it made).
func (s *Store) claimPosition(ctx context.Context, tx *sql.Tx, e *audit.Entry) (string, error) {
	bump := "UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash"
	if s.dialect == Postgres {
		bump = "UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash, nextval('audit_ids')"
	}
	var prev string
	for range 2 {
		var err error
		if s.dialect == Postgres {
			err = tx.QueryRowContext(ctx, bump, e.Chain).Scan(&e.Seq, &prev, &e.ID)
		} else {
			err = tx.QueryRowContext(ctx, bump, e.Chain).Scan(&e.Seq, &prev)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("lock audit chain %d: %w", e.Chain, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING", e.Chain, audit.Genesis); err != nil {
			return "", fmt.Errorf("start audit chain %d: %w", e.Chain, err)
		}
	}
	if e.Seq == 0 {
		return "", fmt.Errorf("lock audit chain %d: head row missing", e.Chain)
	}
	if s.dialect == SQLite {
		if err := tx.QueryRowContext(ctx, "UPDATE audit_heads SET seq = seq + 1 WHERE chain = -1 RETURNING seq").Scan(&e.ID); err != nil {
			return "", fmt.Errorf("next audit id: %w", err)
		}
	}
	return prev, nil
}

// Audit records an event that changes nothing else (login, logout, export).
func (s *Store) Audit(ctx context.Context, actor Actor, orgID int64, action, objType string, objID int64, detail any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.appendAudit(ctx, tx, actor, orgID, action, objType, objID, nil, detail)
	})
}

const auditCols = `id, v, COALESCE(chain,0), COALESCE(seq,0), at_us, COALESCE(actor_id,0), actor_name, COALESCE(org_id,0), action, object_type, COALESCE(object_id,0), before_json, after_json, ip, prev_hash, hash`

func scanAudit(rows interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.ID, &e.Version, &e.Chain, &e.Seq, &e.AtMicro, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID,
		&e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash)
	return e, err
}

// AuditCheck is the outcome of a whole-log verification.
type AuditCheck struct {
	Entries    int                  // entries checked
	Legacy     int64                // of which in the old unkeyed format
	Chains     map[int64]audit.Head // chains and their heads as verified
	KeyID      string               // the key's id ("" in legacy-only mode)
	Checkpoint *audit.Checkpoint    // the checkpoint the log was held to (nil: none configured)
	LegacyOnly bool                 // no key file and no keyed entry yet: only the old chain was checked
}

// VerifyAudit walks the whole log. It returns the number of entries and,
// when the log does not hold, an *audit.Break naming the first bad entry
// (or, with ID 0, what is missing). See VerifyAuditReport.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	r, err := s.VerifyAuditReport(ctx)
	return r.Entries, err
}

// VerifyAuditReport checks every entry in id order (audit.Verifier), then
// the heads kept in the database and the checkpoint file (when the audit
// files are configured: a missing or forged checkpoint fails). With no key
// loaded in read-only mode and no keyed entry in the log, only the old
// unkeyed chain is checked and LegacyOnly is set; an empty log fails.
func (s *Store) VerifyAuditReport(ctx context.Context) (AuditCheck, error) {
	var r AuditCheck
	key, legacyOnly, err := s.verifyKey(ctx)
	if err != nil {
		return r, err
	}
	r.LegacyOnly = legacyOnly
	if !legacyOnly {
		r.KeyID = key.ID()
		cp, err := s.readCheckpoint(key)
		if err != nil {
			return r, err
		}
		r.Checkpoint = cp
	}
	v := audit.NewVerifier(key, r.Checkpoint)
	rows, err := s.db.QueryContext(ctx, "SELECT "+auditCols+" FROM audit_log ORDER BY id")
	if err != nil {
		return r, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return r, fmt.Errorf("read audit entry: %w", err)
		}
		if err := v.Next(e); err != nil {
			r.Entries = v.Count()
			return r, err
		}
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("read audit log: %w", err)
	}
	r.Entries, r.Legacy, r.Chains = v.Count(), v.LegacyCount(), v.Heads()
	if legacyOnly {
		if r.Entries == 0 {
			return r, &audit.Break{Reason: "日志为空"}
		}
		return r, nil
	}
	heads, err := s.auditHeads(ctx)
	if err != nil {
		return r, err
	}
	return r, v.Finish(heads)
}

// auditHeads reads every chain's head as the database keeps it.
func (s *Store) auditHeads(ctx context.Context) (map[int64]audit.Head, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT chain, seq, hash FROM audit_heads WHERE chain >= 0")
	if err != nil {
		return nil, fmt.Errorf("read audit heads: %w", err)
	}
	defer rows.Close()
	out := map[int64]audit.Head{}
	for rows.Next() {
		var c int64
		var h audit.Head
		if err := rows.Scan(&c, &h.Seq, &h.Hash); err != nil {
			return nil, fmt.Errorf("read audit heads: %w", err)
		}
		out[c] = h
	}
	return out, rows.Err()
}

// ChangeVersion is a number that grows with every committed change: the sum
// of the audit chains' lengths. Every change appends its audit entry in the
// change's own transaction (appendAudit), so a reader that took the version
// before reading sees a different version after any change it might have
// missed. Caches of derived figures key on it (service.Compliance).
func (s *Store) ChangeVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.QueryRowContext(ctx, "SELECT CAST(COALESCE(SUM(seq), 0) AS BIGINT) FROM audit_heads WHERE chain >= 0").Scan(&v); err != nil {
		return 0, fmt.Errorf("change version: %w", Classify(err))
	}
	return v, nil
}

// LatestAuditTime is when the newest entry was written (zero time for an
// empty log): restore compares it between a backup and the live database.
func (s *Store) LatestAuditTime(ctx context.Context) (time.Time, error) {
	var us sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT MAX(at_us) FROM audit_log").Scan(&us); err != nil {
		return time.Time{}, fmt.Errorf("latest audit entry: %w", err)
	}
	if !us.Valid {
		return time.Time{}, nil
	}
	return time.UnixMicro(us.Int64), nil
}

// AuditFilter selects audit entries for the audit page and its export.
type AuditFilter struct {
	OrgIDs     []int64 // entries of these units
	Global     bool    // also entries without a unit (logins of unknown names, installation settings): installation-level auditors only
	Action     string
	ActorID    int64
	ObjectType string // with ObjectID: the history of one object
	ObjectID   int64
	From, To   time.Time // at or after From, before To (zero: open)
	BeforeID   int64     // paging: entries with id < BeforeID
	Limit      int       // 1–500 for pages (default 100); ExportLimit for the export
}

// ExportLimit caps one audit export (rows).
const ExportLimit = 50000

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
	if f.ObjectType != "" {
		where = append(where, "object_type = "+a.add(f.ObjectType))
	}
	if f.ObjectID != 0 {
		where = append(where, "object_id = "+a.add(f.ObjectID))
	}
	if !f.From.IsZero() {
		where = append(where, "at_us >= "+a.add(f.From.UnixMicro()))
	}
	if !f.To.IsZero() {
		where = append(where, "at_us < "+a.add(f.To.UnixMicro()))
	}
	if f.BeforeID > 0 {
		where = append(where, "id < "+a.add(f.BeforeID))
	}
	if f.Limit <= 0 || (f.Limit > 500 && f.Limit != ExportLimit) {
		f.Limit = 100
	}
	q := "SELECT " + auditCols + " FROM audit_log WHERE " + joinAnd(where) + " ORDER BY id DESC LIMIT " + a.add(f.Limit)
	out, err := s.queryAudit(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return out, nil
}

// AuditActors lists the people who appear in the audit log of these units
// (and, with global, of the installation), for the operator filter: id and
// the name last logged.
func (s *Store) AuditActors(ctx context.Context, orgIDs []int64, global bool) ([]Actor, error) {
	var a args
	scope := "1=0"
	if len(orgIDs) > 0 {
		scope = "org_id IN (" + a.in(orgIDs) + ")"
	}
	if global {
		scope = "(" + scope + " OR org_id IS NULL)"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.name FROM users u WHERE u.id IN
		(SELECT DISTINCT actor_id FROM audit_log WHERE actor_id IS NOT NULL AND `+scope+`) ORDER BY u.name, u.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("audit actors: %w", err)
	}
	defer rows.Close()
	var out []Actor
	for rows.Next() {
		var ac Actor
		if err := rows.Scan(&ac.UserID, &ac.Name); err != nil {
			return nil, fmt.Errorf("audit actors: %w", err)
		}
		out = append(out, ac)
	}
	return out, rows.Err()
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

// CountTopLevelNodes counts organisation nodes without a parent (not
// deleted): one means a single-bureau or single-district installation,
// whose top node's auditor is installation-level (access.InstallationNode).
func (s *Store) CountTopLevelNodes(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs WHERE parent_id IS NULL AND deleted_at IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("count top-level nodes: %w", err)
	}
	return n, nil
}
