package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

var activityCols = `a.id, a.unit_id, a.org_id, o.name, a.type, a.title, a.date, a.start_time, a.duration_min, a.place,
	COALESCE(a.lead_id,0), a.lead_name, COALESCE(a.host_id,0), a.audience_type, a.audience_count, a.agenda, a.content, a.tags,
	a.required_topics, COALESCE(a.plan_item_id,0), COALESCE(a.import_key,''), a.created_at, COALESCE(a.created_by,0),
	COALESCE(cu.name,''), a.updated_at, COALESCE(a.updated_by,0), COALESCE(a.deleted_at,0),
	COALESCE(a.import_batch_id,0), a.import_row, a.claimed_recorded, a.history,
	COALESCE((SELECT ib.file_name FROM import_batches ib WHERE ib.id = a.import_batch_id),''),
	CASE WHEN ` + missingReport + ` THEN 1 ELSE 0 END, a.late_reason`

const activityFrom = ` FROM activities a JOIN orgs o ON o.id = a.org_id LEFT JOIN users cu ON cu.id = a.created_by`

// missingReport is the SQL condition of an entry of a report type
// (分析研判) without a live attachment: shown 缺报告文档 and left out of
// every figure (Filter.Counted). The codes are the ledger's constants, not
// user input.
var missingReport = func() string {
	q := make([]string, 0, 1)
	for _, c := range ledger.ReportTypes() {
		q = append(q, "'"+c+"'")
	}
	return "(a.type IN (" + strings.Join(q, ",") + ") AND NOT EXISTS (SELECT 1 FROM attachments mr WHERE mr.activity_id = a.id AND mr.deleted_at IS NULL))"
}()

func scanActivity(r interface{ Scan(...any) error }) (ledger.Activity, error) {
	var a ledger.Activity
	var tags, topics string
	var history, missing int
	err := r.Scan(&a.ID, &a.UnitID, &a.OrgID, &a.OrgName, &a.Type, &a.Title, &a.Date, &a.StartTime, &a.DurationMin, &a.Place,
		&a.LeadID, &a.LeadName, &a.HostID, &a.AudienceType, &a.AudienceCount, &a.Agenda, &a.Content, &tags,
		&topics, &a.PlanItemID, &a.ImportKey, &a.CreatedAt, &a.CreatedBy, &a.CreatedByName, &a.UpdatedAt, &a.UpdatedBy, &a.DeletedAt,
		&a.Import.BatchID, &a.Import.Row, &a.Import.Claimed, &history, &a.Import.FileName, &missing, &a.LateReason)
	a.Import.History, a.MissingReport = history != 0, missing != 0
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
		// Imported history was recorded before the system was in use:
		// its import time is no measure of punctuality.
		w = append(w, "a.history = 0 AND a.created_at - "+s.dateEpoch("a.date")+" >= "+a.add(int64(f.Late)*86400))
	}
	if f.History {
		w = append(w, "a.history = 1")
	}
	if f.AtSource {
		w = append(w, atSource)
	}
	if f.Counted {
		w = append(w, "NOT "+missingReport)
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

// CountByHalfYear counts the live entries the scope sees in a unit per
// half-year ("2023H1"), for the default period (ledger.DefaultHalfYear).
func (s *Store) CountByHalfYear(ctx context.Context, sc access.Scope, unitID int64) (map[string]int, error) {
	var a args
	q := "SELECT SUBSTR(a.date, 1, 4) || CASE WHEN SUBSTR(a.date, 6, 2) <= '06' THEN 'H1' ELSE 'H2' END AS h, COUNT(*) FROM activities a WHERE " +
		s.filterWhere(sc, ledger.Filter{UnitID: unitID}, &a) + " GROUP BY h"
	out, err := queryCounts[string](ctx, s.db, q, a...)
	if err != nil {
		return nil, fmt.Errorf("count by half-year: %w", err)
	}
	return out, nil
}
