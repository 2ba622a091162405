package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
)

const activityCols = `a.id, a.unit_id, a.org_id, o.name, a.type, a.title, a.date, a.start_time, a.duration_min, a.place,
	COALESCE(a.lead_id,0), a.lead_name, COALESCE(a.host_id,0), a.audience_type, a.audience_count, a.agenda, a.content, a.tags,
	a.required_topics, COALESCE(a.plan_item_id,0), COALESCE(a.import_key,''), a.created_at, COALESCE(a.created_by,0),
	COALESCE(cu.name,''), a.updated_at, COALESCE(a.updated_by,0), COALESCE(a.deleted_at,0)`

const activityFrom = ` FROM activities a JOIN orgs o ON o.id = a.org_id LEFT JOIN users cu ON cu.id = a.created_by`

func scanActivity(r interface{ Scan(...any) error }) (ledger.Activity, error) {
	var a ledger.Activity
	var tags, topics string
	err := r.Scan(&a.ID, &a.UnitID, &a.OrgID, &a.OrgName, &a.Type, &a.Title, &a.Date, &a.StartTime, &a.DurationMin, &a.Place,
		&a.LeadID, &a.LeadName, &a.HostID, &a.AudienceType, &a.AudienceCount, &a.Agenda, &a.Content, &tags,
		&topics, &a.PlanItemID, &a.ImportKey, &a.CreatedAt, &a.CreatedBy, &a.CreatedByName, &a.UpdatedAt, &a.UpdatedBy, &a.DeletedAt)
	a.Tags = splitCodes(tags)
	a.RequiredTopics = splitCodes(topics)
	return a, err
}

// joinCodes stores a list as ",a,b," so one element can be matched with LIKE '%,a,%'.
func joinCodes(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return "," + strings.Join(list, ",") + ","
}

func splitCodes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// readScope is the SQL condition for activities the scope may read.
func readScope(sc access.Scope, a *args) string {
	var or []string
	if len(sc.ReadUnits) > 0 {
		or = append(or, "a.unit_id IN ("+a.in(sc.ReadUnits)+")")
	}
	if len(sc.ReadOrgs) > 0 {
		or = append(or, "a.org_id IN ("+a.in(sc.ReadOrgs)+")")
	}
	// Users belong to one unit, so when that unit is readable in full the
	// personal checks (an EXISTS per row) can only repeat what it grants.
	ownCovered := sc.HomeUnit != 0 && slices.Contains(sc.ReadUnits, sc.HomeUnit)
	if sc.OwnRecords && sc.UserID != 0 && !ownCovered {
		me := a.add(sc.UserID)
		or = append(or, "a.lead_id = "+me, "a.created_by = "+me,
			"EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id AND t.user_id = "+me+")")
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// filterWhere turns a filter into SQL conditions (scope included).
func (s *Store) filterWhere(sc access.Scope, f ledger.Filter, a *args) string {
	w := []string{readScope(sc, a)}
	if f.Deleted {
		w = append(w, "a.deleted_at IS NOT NULL")
	} else {
		w = append(w, "a.deleted_at IS NULL")
	}
	if f.UnitID != 0 {
		w = append(w, "a.unit_id = "+a.add(f.UnitID))
	}
	if f.From != "" {
		w = append(w, "a.date >= "+a.add(f.From))
	}
	if f.To != "" {
		w = append(w, "a.date <= "+a.add(f.To))
	}
	if len(f.Types) == 1 {
		w = append(w, "a.type = "+a.add(f.Types[0]))
	} else if len(f.Types) > 1 {
		ph := make([]string, len(f.Types))
		for i, t := range f.Types {
			ph[i] = a.add(t)
		}
		w = append(w, "a.type IN ("+strings.Join(ph, ",")+")")
	}
	if f.OrgID != 0 {
		w = append(w, "a.org_id = "+a.add(f.OrgID))
	}
	if f.PersonID != 0 {
		p := a.add(f.PersonID)
		w = append(w, "(a.lead_id = "+p+" OR EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id AND t.user_id = "+p+" AND t.status = 'present'))")
	}
	if f.LeadID != 0 {
		w = append(w, "a.lead_id = "+a.add(f.LeadID))
	}
	if f.SpeakerID != 0 {
		p := a.add(f.SpeakerID)
		w = append(w, "(a.lead_id = "+p+" OR EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id AND t.user_id = "+p+" AND t.speaker = 1))")
	}
	if f.Topic != "" {
		w = append(w, "a.required_topics LIKE "+a.add("%,"+likeEscape(f.Topic)+",%")+` ESCAPE '\'`)
	}
	if f.AudienceType != "" {
		w = append(w, "a.audience_type = "+a.add(f.AudienceType))
	}
	if f.LeadIsLeader {
		// The leadership of the activity's own unit, as recorded now.
		w = append(w, `EXISTS (SELECT 1 FROM user_roles r JOIN users lu ON lu.id = r.user_id
			WHERE r.user_id = a.lead_id AND lu.unit_id = a.unit_id AND r.role IN ('first_resp','direct_resp','leader'))`)
	}
	if f.Late > 0 {
		// created_at is unix seconds; date is the day it happened, counted
		// from midnight China Standard Time (UTC+8, no daylight saving).
		w = append(w, "a.created_at - "+s.dateEpoch("a.date")+" >= "+a.add(int64(f.Late)*86400))
	}
	if f.Q != "" {
		// Within one unit (a few thousand entries in ten years) scanning the
		// text is fastest even for common words; across a district the
		// index avoids reading every entry.
		wide := f.UnitID == 0 && len(sc.ReadUnits) > 1
		w = append(w, s.searchCond(f.Q, wide, a))
	}
	return strings.Join(w, " AND ")
}

// dateEpoch converts a 'YYYY-MM-DD' column to unix seconds at 00:00 China
// Standard Time (UTC+8, no daylight saving), in SQL that works in both dialects.
func (s *Store) dateEpoch(col string) string {
	if s.dialect == Postgres {
		return "(CAST(EXTRACT(EPOCH FROM CAST(" + col + " AS DATE)) AS BIGINT) - 28800)"
	}
	return "(CAST(strftime('%s', " + col + ") AS INTEGER) - 28800)"
}

// CountActivities counts entries matching f within the scope.
func (s *Store) CountActivities(ctx context.Context, sc access.Scope, f ledger.Filter) (int, error) {
	var a args
	q := "SELECT COUNT(*) FROM activities a WHERE " + s.filterWhere(sc, f, &a)
	var n int
	if err := s.db.QueryRowContext(ctx, q, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count activities: %w", err)
	}
	return n, nil
}

// CountByType counts entries matching f per activity type in one query.
func (s *Store) CountByType(ctx context.Context, sc access.Scope, f ledger.Filter) (map[string]int, error) {
	var a args
	q := "SELECT a.type, COUNT(*) FROM activities a WHERE " + s.filterWhere(sc, f, &a) + " GROUP BY a.type"
	out, err := queryCounts[string](ctx, s.db, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count by type: %w", err)
	}
	return out, nil
}

// SearchCountCap bounds the total a text search counts for a list page:
// counting every entry that contains a common word across a district means
// reading all of them, while the page itself needs only the newest fifty.
// A total above the cap is reported as SearchCountCap+1 ("1000 条以上").
const SearchCountCap = 1000

// listTotal is the total for a list page: exact, except that a text search
// stops counting past SearchCountCap.
func (s *Store) listTotal(ctx context.Context, sc access.Scope, f ledger.Filter) (int, error) {
	if f.Q == "" || f.PerPage <= 0 {
		return s.CountActivities(ctx, sc, f)
	}
	var a args
	q := "SELECT COUNT(*) FROM (SELECT 1 FROM activities a WHERE " + s.filterWhere(sc, f, &a) + " LIMIT " + a.add(SearchCountCap+1) + ") capped"
	var n int
	if err := s.db.QueryRowContext(ctx, q, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count search results: %w", err)
	}
	return n, nil
}

// ListActivities returns one page of entries, newest first, and the total
// (for text searches at most SearchCountCap+1, see listTotal).
// perPage <= 0 returns every match (export).
func (s *Store) ListActivities(ctx context.Context, sc access.Scope, f ledger.Filter) ([]ledger.Activity, int, error) {
	total, err := s.listTotal(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	var a args
	const order = " ORDER BY a.date DESC, a.id DESC"
	where := s.filterWhere(sc, f, &a)
	q := "SELECT " + activityCols + activityFrom + " WHERE " + where + order
	if f.PerPage > 0 {
		// Pick the page's ids first and only then read their rows: when
		// the planner sorts (many units in scope, no date-ordered plan) it
		// sorts narrow (date, id) pairs from an index instead of whole
		// rows with their minutes and search text.
		page := max(f.Page, 1)
		q = "SELECT " + activityCols + activityFrom + " WHERE a.id IN (SELECT a.id FROM activities a WHERE " + where + order +
			" LIMIT " + a.add(f.PerPage) + " OFFSET " + a.add((page-1)*f.PerPage) + ")" + order
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, 0, fmt.Errorf("list activities: %w", err)
	}
	defer rows.Close()
	var out []ledger.Activity
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, act)
	}
	return out, total, rows.Err()
}

// LoadAttendance fills the attendance of the given activities (export, print).
func (s *Store) LoadAttendance(ctx context.Context, acts []ledger.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]int64, len(acts))
	for i, a := range acts {
		idx[a.ID] = i
		ids[i] = a.ID
	}
	// Chunk to stay under parameter limits on large exports.
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var a args
		rows, err := s.db.QueryContext(ctx, `SELECT t.activity_id, t.user_id, u.name, o.name, t.status, t.reason, t.speaker
			FROM attendance t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id
			WHERE t.activity_id IN (`+a.in(chunk)+`) ORDER BY t.activity_id, o.sort, o.id, u.sort, u.id`, a...)
		if err != nil {
			return fmt.Errorf("load attendance: %w", err)
		}
		for rows.Next() {
			var aid int64
			var at ledger.Attendance
			var spk int
			if err := rows.Scan(&aid, &at.UserID, &at.Name, &at.OrgName, &at.Status, &at.Reason, &spk); err != nil {
				rows.Close()
				return err
			}
			at.Speaker = spk == 1
			acts[idx[aid]].Attendance = append(acts[idx[aid]].Attendance, at)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Activity returns one entry with attendance and attachments, if the scope
// may read it; otherwise ErrNotFound. Deleted entries are returned too (the
// caller shows them as such).
func (s *Store) Activity(ctx context.Context, sc access.Scope, id int64) (ledger.Activity, error) {
	var a args
	q := "SELECT " + activityCols + activityFrom + " WHERE a.id = " + a.add(id) + " AND " + readScope(sc, &a)
	act, err := scanActivity(s.db.QueryRowContext(ctx, q, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return act, ErrNotFound
	} else if err != nil {
		return act, fmt.Errorf("read activity %d: %w", id, err)
	}
	list := []ledger.Activity{act}
	if err := s.LoadAttendance(ctx, list); err != nil {
		return act, err
	}
	act = list[0]
	act.Attachments, err = s.attachmentsOf(ctx, id)
	return act, err
}

// CanWriteActivity reports whether the scope may change this entry.
func CanWriteActivity(sc access.Scope, a ledger.Activity) bool {
	if sc.CanWrite(a.UnitID, a.OrgID) {
		return true
	}
	t, _ := ledger.TypeByCode(a.Type)
	return t.Personal() && sc.OwnRecords && (a.LeadID == sc.UserID || a.CreatedBy == sc.UserID)
}

// canCreate checks that the scope may create a in its organising node.
func (s *Store) canCreate(ctx context.Context, tx *sql.Tx, sc access.Scope, a *ledger.Activity) error {
	var unitID int64
	var kind string
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0), kind FROM orgs WHERE id = $1 AND deleted_at IS NULL", a.OrgID).Scan(&unitID, &kind)
	if err != nil || unitID == 0 {
		return &ledger.FieldError{Field: "组织部门", Msg: "不存在"}
	}
	a.UnitID = unitID
	if !CanWriteActivity(sc, *a) {
		return &ledger.FieldError{Field: "组织部门", Msg: "无权在该部门登记台账"}
	}
	return nil
}

// checkPeople makes sure the lead, host and attendees belong to the unit.
func checkPeople(ctx context.Context, tx *sql.Tx, a *ledger.Activity) error {
	ids := []int64{}
	if a.LeadID != 0 {
		ids = append(ids, a.LeadID)
	}
	if a.HostID != 0 {
		ids = append(ids, a.HostID)
	}
	for _, at := range a.Attendance {
		ids = append(ids, at.UserID)
	}
	if len(ids) == 0 {
		return nil
	}
	var ar args
	rows, err := tx.QueryContext(ctx, "SELECT id, name FROM users WHERE unit_id = "+ar.add(a.UnitID)+" AND id IN ("+ar.in(ids)+")", ar...)
	if err != nil {
		return fmt.Errorf("check people: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		names[id] = n
	}
	if a.LeadID != 0 {
		n, ok := names[a.LeadID]
		if !ok {
			return &ledger.FieldError{Field: "人员", Msg: "不是本单位人员"}
		}
		a.LeadName = n
	}
	if a.HostID != 0 && names[a.HostID] == "" {
		return &ledger.FieldError{Field: "主持人", Msg: "不是本单位人员"}
	}
	for i := range a.Attendance {
		n, ok := names[a.Attendance[i].UserID]
		if !ok {
			return &ledger.FieldError{Field: "参加人员", Msg: "包含非本单位人员"}
		}
		a.Attendance[i].Name = n
	}
	return rows.Err()
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
		import_key, search_text, created_at, created_by, updated_at, updated_by)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$21,$22) RETURNING id`,
		a.UnitID, a.OrgID, a.Type, a.Title, a.Date, a.StartTime, a.DurationMin, a.Place,
		nullID(a.LeadID), a.LeadName, nullID(a.HostID), a.AudienceType, a.AudienceCount, a.Agenda, a.Content,
		strings.Join(a.Tags, ","), joinCodes(a.RequiredTopics), nullID(a.PlanItemID), key, a.SearchText(), now, nullID(actor.UserID)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert activity: %w", err)
	}
	if err := s.indexActivity(ctx, tx, a.ID, a.SearchText(), false); err != nil {
		return err
	}
	return insertAttendance(ctx, tx, a)
}

func insertAttendance(ctx context.Context, tx *sql.Tx, a *ledger.Activity) error {
	for _, at := range a.Attendance {
		_, err := tx.ExecContext(ctx, `INSERT INTO attendance (activity_id, user_id, status, reason, speaker) VALUES ($1,$2,$3,$4,$5)`,
			a.ID, at.UserID, at.Status, at.Reason, b2i(at.Speaker))
		if err != nil {
			return fmt.Errorf("insert attendance: %w", err)
		}
	}
	return nil
}

// checkPlanItem makes sure a linked plan item is the unit's own.
func checkPlanItem(ctx context.Context, tx *sql.Tx, a *ledger.Activity) error {
	if a.PlanItemID == 0 {
		return nil
	}
	var unitID int64
	err := tx.QueryRowContext(ctx, "SELECT unit_id FROM plan_items WHERE id = $1 AND deleted_at IS NULL", a.PlanItemID).Scan(&unitID)
	if err != nil || unitID != a.UnitID {
		return &ledger.FieldError{Field: "学习计划", Msg: "所选计划项不存在"}
	}
	return nil
}

// CreateActivity validates and stores a new entry with its attendance.
func (s *Store) CreateActivity(ctx context.Context, actor Actor, sc access.Scope, a *ledger.Activity) error {
	if err := a.Validate(s.Now()); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.canCreate(ctx, tx, sc, a); err != nil {
			return err
		}
		if err := checkPeople(ctx, tx, a); err != nil {
			return err
		}
		if err := checkPlanItem(ctx, tx, a); err != nil {
			return err
		}
		if err := s.insertActivity(ctx, tx, actor, a); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, a.UnitID, "activity.create", "activity", a.ID, nil, snapshot(*a))
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
			s += ":发言"
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

// lockActivity reads an entry for change inside tx and checks write access.
func (s *Store) lockActivity(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (ledger.Activity, error) {
	var a args
	q := "SELECT " + activityCols + activityFrom + " WHERE a.id = " + a.add(id) + " AND " + readScope(sc, &a)
	act, err := scanActivity(tx.QueryRowContext(ctx, q, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return act, ErrNotFound
	} else if err != nil {
		return act, fmt.Errorf("read activity %d: %w", id, err)
	}
	if !CanWriteActivity(sc, act) {
		return act, ErrNotFound
	}
	rows, err := tx.QueryContext(ctx, "SELECT user_id, status, reason, speaker FROM attendance WHERE activity_id = $1 ORDER BY user_id", id)
	if err != nil {
		return act, fmt.Errorf("read attendance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at ledger.Attendance
		var spk int
		if err := rows.Scan(&at.UserID, &at.Status, &at.Reason, &spk); err != nil {
			return act, err
		}
		at.Speaker = spk == 1
		act.Attendance = append(act.Attendance, at)
	}
	return act, rows.Err()
}

// UpdateActivity replaces an entry's fields and attendance. The type, unit
// and recording time never change.
func (s *Store) UpdateActivity(ctx context.Context, actor Actor, sc access.Scope, a *ledger.Activity) error {
	if err := a.Validate(s.Now()); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockActivity(ctx, tx, sc, a.ID)
		if err != nil {
			return err
		}
		if before.DeletedAt != 0 {
			return apperr.Rule("该记录已删除, 请先恢复再修改")
		}
		a.Type, a.CreatedAt, a.CreatedBy = before.Type, before.CreatedAt, before.CreatedBy
		if err := s.canCreate(ctx, tx, sc, a); err != nil {
			return err
		}
		if a.UnitID != before.UnitID {
			return &ledger.FieldError{Field: "组织部门", Msg: "不能改到其他单位"}
		}
		if err := checkPeople(ctx, tx, a); err != nil {
			return err
		}
		if err := checkPlanItem(ctx, tx, a); err != nil {
			return err
		}
		a.UpdatedAt, a.UpdatedBy = s.Now().Unix(), actor.UserID
		_, err = tx.ExecContext(ctx, `UPDATE activities SET org_id=$1, title=$2, date=$3, start_time=$4, duration_min=$5, place=$6,
			lead_id=$7, lead_name=$8, host_id=$9, audience_type=$10, audience_count=$11, agenda=$12, content=$13, tags=$14,
			required_topics=$15, plan_item_id=$16, search_text=$17, updated_at=$18, updated_by=$19 WHERE id=$20`,
			a.OrgID, a.Title, a.Date, a.StartTime, a.DurationMin, a.Place, nullID(a.LeadID), a.LeadName, nullID(a.HostID),
			a.AudienceType, a.AudienceCount, a.Agenda, a.Content, strings.Join(a.Tags, ","), joinCodes(a.RequiredTopics),
			nullID(a.PlanItemID), a.SearchText(), a.UpdatedAt, nullID(actor.UserID), a.ID)
		if err != nil {
			return fmt.Errorf("update activity: %w", err)
		}
		if err := s.indexActivity(ctx, tx, a.ID, a.SearchText(), true); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM attendance WHERE activity_id = $1", a.ID); err != nil {
			return fmt.Errorf("clear attendance: %w", err)
		}
		if err := insertAttendance(ctx, tx, a); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, a.UnitID, "activity.update", "activity", a.ID, snapshot(before), snapshot(*a))
	})
}

// DeleteActivity moves an entry to the recycle bin.
func (s *Store) DeleteActivity(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	return s.setDeleted(ctx, actor, sc, id, true)
}

// RestoreActivity brings an entry back from the recycle bin.
func (s *Store) RestoreActivity(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	return s.setDeleted(ctx, actor, sc, id, false)
}

func (s *Store) setDeleted(ctx context.Context, actor Actor, sc access.Scope, id int64, del bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		act, err := s.lockActivity(ctx, tx, sc, id)
		if err != nil {
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

// ImportResult says what an import did.
type ImportResult struct {
	Created int
	Skipped int // already imported (same import key)
}

// ImportActivities stores validated entries of one unit in a single
// transaction: all or nothing. Entries whose ImportKey already exists in the
// unit (live or deleted) are skipped, so importing a file twice adds nothing.
func (s *Store) ImportActivities(ctx context.Context, actor Actor, sc access.Scope, unitID int64, acts []ledger.Activity) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := range acts {
			a := &acts[i]
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM activities WHERE unit_id = $1 AND import_key = $2", unitID, a.ImportKey).Scan(&n); err != nil {
				return fmt.Errorf("check import key: %w", err)
			}
			if n > 0 {
				res.Skipped++
				continue
			}
			if err := s.canCreate(ctx, tx, sc, a); err != nil {
				return apperr.Within(fmt.Sprintf("第 %d 行", i+1), err)
			}
			if a.UnitID != unitID {
				return apperr.Rule(fmt.Sprintf("第 %d 行: 组织部门不属于本单位", i+1))
			}
			if err := s.insertActivity(ctx, tx, actor, a); err != nil {
				return fmt.Errorf("import row %d: %w", i+1, err)
			}
			res.Created++
		}
		return s.appendAudit(ctx, tx, actor, unitID, "activity.import", "unit", unitID, nil,
			map[string]int{"created": res.Created, "skipped": res.Skipped})
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// CountByUnit counts entries matching f per unit in one query (district roll-up).
func (s *Store) CountByUnit(ctx context.Context, sc access.Scope, f ledger.Filter) (map[int64]int, error) {
	var a args
	q := "SELECT a.unit_id, COUNT(*) FROM activities a WHERE " + s.filterWhere(sc, f, &a) + " GROUP BY a.unit_id"
	out, err := queryCounts[int64](ctx, s.db, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count by unit: %w", err)
	}
	return out, nil
}

// LatestActivityDate is the date of the newest live entry the scope sees in
// a unit ("" when there is none).
func (s *Store) LatestActivityDate(ctx context.Context, sc access.Scope, unitID int64) (string, error) {
	var a args
	q := "SELECT COALESCE(MAX(a.date), '') FROM activities a WHERE " + s.filterWhere(sc, ledger.Filter{UnitID: unitID}, &a)
	var d string
	if err := s.db.QueryRowContext(ctx, q, a...).Scan(&d); err != nil {
		return "", fmt.Errorf("latest activity: %w", err)
	}
	return d, nil
}
