package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

// Changes to ledger entries. Each runs in one transaction with its audit
// entries; who may make the change and what the entry's references must be
// are rules of the ledger package, passed in as check and called inside the
// transaction with the rows as they are there.

// activityRefs reads what the database says about a's references (see
// ledger.Refs). A missing row is a zero in Refs, for the rule to judge; any
// other failure is returned.
func activityRefs(ctx context.Context, tx *sql.Tx, a *ledger.Activity) (ledger.Refs, error) {
	var r ledger.Refs
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0) FROM orgs WHERE id = $1 AND deleted_at IS NULL", a.OrgID).Scan(&r.OrgUnitID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("read organising node %d: %w", a.OrgID, err)
	}
	if ids := a.People(); len(ids) > 0 && r.OrgUnitID != 0 {
		var ar args
		rows, err := tx.QueryContext(ctx, "SELECT id, name FROM users WHERE unit_id = "+ar.add(r.OrgUnitID)+" AND id IN ("+ar.in(ids)+")", ar...)
		if err != nil {
			return r, fmt.Errorf("read people: %w", err)
		}
		defer rows.Close()
		r.Staff = map[int64]string{}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				return r, fmt.Errorf("read people: %w", err)
			}
			r.Staff[id] = n
		}
		if err := rows.Err(); err != nil {
			return r, fmt.Errorf("read people: %w", err)
		}
	}
	if a.PlanItemID != 0 {
		err := tx.QueryRowContext(ctx, "SELECT unit_id FROM plan_items WHERE id = $1 AND deleted_at IS NULL", a.PlanItemID).Scan(&r.PlanUnitID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return r, fmt.Errorf("read plan item %d: %w", a.PlanItemID, err)
		}
	}
	return r, nil
}

func (s *Store) insertActivity(ctx context.Context, tx *sql.Tx, actor Actor, a *ledger.Activity) error {
	now := s.Now().Unix()
	a.CreatedAt, a.UpdatedAt, a.CreatedBy, a.UpdatedBy = now, now, actor.UserID, actor.UserID
	var key any
	if a.ImportKey != "" {
		key = a.ImportKey
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO activities (unit_id, org_id, type, title, date, start_time, duration_min, place,
		lead_id, lead_name, host_id, audience_type, audience_count, agenda, content, tags, required_topics, plan_item_id,
		import_key, search_text, created_at, created_by, updated_at, updated_by, import_batch_id, import_row, claimed_recorded, history, late_reason)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$21,$22,$23,$24,$25,$26,$27) RETURNING id`,
		a.UnitID, a.OrgID, a.Type, a.Title, a.Date, a.StartTime, a.DurationMin, a.Place,
		nullID(a.LeadID), a.LeadName, nullID(a.HostID), a.AudienceType, a.AudienceCount, a.Agenda, a.Content,
		strings.Join(a.Tags, ","), joinCodes(a.RequiredTopics), nullID(a.PlanItemID), key, a.SearchText(), now, nullID(actor.UserID),
		nullID(a.Import.BatchID), a.Import.Row, a.Import.Claimed, b2i(a.Import.History), a.LateReason).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert activity: %w", err)
	}
	return insertAttendance(ctx, tx, a)
}

// CreateActivity stores a new, validated entry with its attendance and the
// attachments whose files are already stored (PutBlob), together with the
// audit entries, in one transaction: the entry never exists without its
// files. check (typically ledger.Activity.Resolve with the writer's scope)
// sees the entry's references as the transaction reads them and may fill
// the entry; its error aborts everything. a.ID and the attachments' ids are
// set.
func (s *Store) CreateActivity(ctx context.Context, actor Actor, a *ledger.Activity, files []ledger.Attachment,
	check func(*ledger.Activity, ledger.Refs) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := activityRefs(ctx, tx, a)
		if err != nil {
			return err
		}
		if err := check(a, r); err != nil {
			return err
		}
		if err := s.insertActivity(ctx, tx, actor, a); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, actor, a.UnitID, "activity.create", "activity", a.ID, nil, snapshot(*a)); err != nil {
			return err
		}
		if err := s.insertAttachments(ctx, tx, actor, *a, files); err != nil {
			return err
		}
		return s.indexActivities(ctx, tx, []searchDoc{{a.ID, a.SearchText()}}, false)
	})
}

// snapshot is the audit view of an activity (search text and timestamps left out).
func snapshot(a ledger.Activity) map[string]any {
	att := make([]string, 0, len(a.Attendance))
	for _, t := range a.Attendance {
		s := fmt.Sprintf("%d:%s", t.UserID, t.Status)
		if t.Reason != "" {
			s += ":" + t.Reason
		}
		if t.Speaker {
			s += "：发言"
		}
		att = append(att, s)
	}
	return map[string]any{
		"org": a.OrgID, "type": a.Type, "title": a.Title, "date": a.Date, "start": a.StartTime, "duration": a.DurationMin,
		"place": a.Place, "lead": a.LeadID, "lead_name": a.LeadName, "host": a.HostID, "audience": a.AudienceType,
		"audience_count": a.AudienceCount, "agenda": a.Agenda, "content": a.Content, "tags": a.Tags,
		"topics": a.RequiredTopics, "plan_item": a.PlanItemID, "attendance": att,
	}
}

// lockActivity reads an entry the scope may read, with its attendance,
// inside tx; ErrNotFound when there is none.
func (s *Store) lockActivity(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (ledger.Activity, error) {
	var a args
	q := "SELECT " + activityCols + activityFrom + " WHERE a.id = " + a.add(id) + " AND " + readScope(sc, &a)
	act, err := scanActivity(tx.QueryRowContext(ctx, q, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return act, ErrNotFound
	} else if err != nil {
		return act, fmt.Errorf("read activity %d: %w", id, err)
	}
	act.Attendance, err = readAttendance(ctx, tx, id)
	return act, err
}

// UpdateActivity replaces a validated entry's fields and attendance. check
// (typically ledger.Activity.ResolveUpdate) sees the entry as stored and the
// new references; it decides whether the change is allowed and keeps what
// never changes (type, unit, recording time).
func (s *Store) UpdateActivity(ctx context.Context, actor Actor, sc access.Scope, a *ledger.Activity,
	check func(before ledger.Activity, a *ledger.Activity, r ledger.Refs) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockActivity(ctx, tx, sc, a.ID)
		if err != nil {
			return err
		}
		r, err := activityRefs(ctx, tx, a)
		if err != nil {
			return err
		}
		if err := check(before, a, r); err != nil {
			return err
		}
		a.UpdatedAt, a.UpdatedBy = s.Now().Unix(), actor.UserID
		_, err = tx.ExecContext(ctx, `UPDATE activities SET org_id=$1, title=$2, date=$3, start_time=$4, duration_min=$5, place=$6,
			lead_id=$7, lead_name=$8, host_id=$9, audience_type=$10, audience_count=$11, agenda=$12, content=$13, tags=$14,
			required_topics=$15, plan_item_id=$16, search_text=$17, updated_at=$18, updated_by=$19,
			late_reason = CASE WHEN $21 <> '' THEN $21 ELSE late_reason END WHERE id=$20`,
			a.OrgID, a.Title, a.Date, a.StartTime, a.DurationMin, a.Place, nullID(a.LeadID), a.LeadName, nullID(a.HostID),
			a.AudienceType, a.AudienceCount, a.Agenda, a.Content, strings.Join(a.Tags, ","), joinCodes(a.RequiredTopics),
			nullID(a.PlanItemID), a.SearchText(), a.UpdatedAt, nullID(actor.UserID), a.ID, a.LateReason)
		if err != nil {
			return fmt.Errorf("update activity: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM attendance WHERE activity_id = $1", a.ID); err != nil {
			return fmt.Errorf("clear attendance: %w", err)
		}
		if err := insertAttendance(ctx, tx, a); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, actor, a.UnitID, "activity.update", "activity", a.ID, snapshot(before), snapshot(*a)); err != nil {
			return err
		}
		return s.indexActivities(ctx, tx, []searchDoc{{a.ID, a.SearchText()}}, true)
	})
}

// DeleteActivity moves an entry to the recycle bin; check (typically
// ledger.CheckWrite with the scope) decides whether the caller may.
func (s *Store) DeleteActivity(ctx context.Context, actor Actor, sc access.Scope, id int64, check func(ledger.Activity) error) error {
	return s.setDeleted(ctx, actor, sc, id, true, check)
}

// RestoreActivity brings an entry back from the recycle bin; check as for
// DeleteActivity.
func (s *Store) RestoreActivity(ctx context.Context, actor Actor, sc access.Scope, id int64, check func(ledger.Activity) error) error {
	return s.setDeleted(ctx, actor, sc, id, false, check)
}

func (s *Store) setDeleted(ctx context.Context, actor Actor, sc access.Scope, id int64, del bool, check func(ledger.Activity) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		act, err := s.lockActivity(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := check(act); err != nil {
			return err
		}
		if (act.DeletedAt != 0) == del {
			return nil
		}
		action := "activity.restore"
		var at, by any
		if del {
			action = "activity.delete"
			at, by = s.Now().Unix(), nullID(actor.UserID)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE activities SET deleted_at = $1, deleted_by = $2 WHERE id = $3", at, by, id); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		return s.appendAudit(ctx, tx, actor, act.UnitID, action, "activity", id, nil, map[string]any{"title": act.Title, "date": act.Date})
	})
}
