package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/notify"
	"zhendi/internal/supervise"
)

// ---- rules ----

const ruleCols = `id, unit_id, rule_key, name, subject, type, topic, count, period, per_plan, due_month, grace_days, remind_days,
	COALESCE(resp_user_id,0), valid_from, valid_to, note`

func scanRule(r interface{ Scan(...any) error }) (supervise.Rule, error) {
	var x supervise.Rule
	var perPlan int
	err := r.Scan(&x.ID, &x.UnitID, &x.Key, &x.Name, &x.Subject, &x.Type, &x.Topic, &x.Count, &x.Period, &perPlan, &x.DueMonth,
		&x.GraceDays, &x.RemindDays, &x.RespUserID, &x.ValidFrom, &x.ValidTo, &x.Note)
	x.PerPlan = perPlan == 1
	return x, err
}

// RuleVersions returns every stored rule version of the units, by unit, in
// rule order. Units without stored rules are absent: they use the presets.
func (s *Store) RuleVersions(ctx context.Context, unitIDs []int64) (map[int64][]supervise.Rule, error) {
	out := map[int64][]supervise.Rule{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT "+ruleCols+" FROM supervise_rules WHERE unit_id IN ("+a.in(unitIDs)+") ORDER BY unit_id, id", a...)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, err
		}
		out[r.UnitID] = append(out[r.UnitID], r)
	}
	return out, rows.Err()
}

// EffectiveRules is RuleVersions with the presets filled in for units that
// have not stored rules of their own.
func (s *Store) EffectiveRules(ctx context.Context, unitIDs []int64) (map[int64][]supervise.Rule, error) {
	out, err := s.RuleVersions(ctx, unitIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range unitIDs {
		if len(out[id]) == 0 {
			out[id] = supervise.Presets(id, supervise.PresetValidFrom)
		}
	}
	return out, nil
}

func canManageRules(sc access.Scope, unitID int64) bool {
	return slices.Contains(sc.WriteUnits, unitID)
}

// adoptPresets stores the presets for a unit that has no rules yet, valid
// from the beginning of time, so later versions have a history to close.
func (s *Store) adoptPresets(ctx context.Context, tx *sql.Tx, actor Actor, unitID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM supervise_rules WHERE unit_id = $1", unitID).Scan(&n); err != nil {
		return fmt.Errorf("count rules: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, r := range supervise.Presets(unitID, supervise.PresetValidFrom) {
		if err := s.insertRule(ctx, tx, actor, &r); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertRule(ctx context.Context, tx *sql.Tx, actor Actor, r *supervise.Rule) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO supervise_rules (unit_id, rule_key, name, subject, type, topic, count, period, per_plan,
		due_month, grace_days, remind_days, resp_user_id, valid_from, valid_to, note, created_at, created_by)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`,
		r.UnitID, r.Key, r.Name, r.Subject, r.Type, r.Topic, r.Count, r.Period, b2i(r.PerPlan), r.DueMonth, r.GraceDays, r.RemindDays,
		nullID(r.RespUserID), r.ValidFrom, r.ValidTo, r.Note, s.Now().Unix(), nullID(actor.UserID)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert rule: %w", err)
	}
	return s.appendAudit(ctx, tx, actor, r.UnitID, "rule.create", "rule", r.ID, nil, r)
}

// SaveRule stores a new version of a rule taking effect on today: the
// version in force is closed the day before (or replaced when it only began
// today), so periods already judged keep their rules. An empty Key creates
// a new obligation.
func (s *Store) SaveRule(ctx context.Context, actor Actor, sc access.Scope, r supervise.Rule, today string) (supervise.Rule, error) {
	if !canManageRules(sc, r.UnitID) {
		return r, ErrNotFound
	}
	r.ValidFrom, r.ValidTo = today, ""
	if err := r.Validate(); err != nil {
		return r, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.adoptPresets(ctx, tx, actor, r.UnitID); err != nil {
			return err
		}
		if r.RespUserID != 0 {
			var n int
			tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = $1 AND unit_id = $2", r.RespUserID, r.UnitID).Scan(&n)
			if n == 0 {
				return &ledger.FieldError{Field: "提醒对象", Msg: "不是本单位人员"}
			}
		}
		if r.Key == "" {
			r.Key = fmt.Sprintf("custom-%d", s.Now().UnixNano())
		}
		cur, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+` FROM supervise_rules WHERE unit_id = $1 AND rule_key = $2
			AND valid_to = '' ORDER BY id DESC LIMIT 1`, r.UnitID, r.Key))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read rule: %w", err)
		case cur.ValidFrom >= today:
			if _, err := tx.ExecContext(ctx, "DELETE FROM supervise_rules WHERE id = $1", cur.ID); err != nil {
				return fmt.Errorf("replace rule: %w", err)
			}
			r.ValidFrom = cur.ValidFrom
			if err := s.appendAudit(ctx, tx, actor, r.UnitID, "rule.replace", "rule", cur.ID, cur, nil); err != nil {
				return err
			}
		default:
			prev := dayBefore(today)
			if _, err := tx.ExecContext(ctx, "UPDATE supervise_rules SET valid_to = $1 WHERE id = $2", prev, cur.ID); err != nil {
				return fmt.Errorf("close rule version: %w", err)
			}
			if err := s.appendAudit(ctx, tx, actor, r.UnitID, "rule.close", "rule", cur.ID, cur, map[string]string{"valid_to": prev}); err != nil {
				return err
			}
		}
		return s.insertRule(ctx, tx, actor, &r)
	})
	return r, err
}

// RetireRule ends an obligation: its version in force is closed yesterday.
func (s *Store) RetireRule(ctx context.Context, actor Actor, sc access.Scope, unitID int64, key, today string) error {
	if !canManageRules(sc, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.adoptPresets(ctx, tx, actor, unitID); err != nil {
			return err
		}
		cur, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM supervise_rules WHERE unit_id = $1 AND rule_key = $2 AND valid_to = ''", unitID, key))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read rule: %w", err)
		}
		prev := dayBefore(today)
		if cur.ValidFrom > prev {
			prev = cur.ValidFrom
		}
		if _, err := tx.ExecContext(ctx, "UPDATE supervise_rules SET valid_to = $1 WHERE id = $2", prev, cur.ID); err != nil {
			return fmt.Errorf("retire rule: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "rule.retire", "rule", cur.ID, cur, map[string]string{"valid_to": prev})
	})
}

func dayBefore(d string) string {
	t, err := parseDate(d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, -1).Format(cntime.DateLayout)
}

// ---- ledger tallies ----

// SuperviseTallies reduces the ledger of the units for a year to monthly
// counts (by organising node, with topics when a rule needs them, and by
// lead person), plus the study plan. At most three grouped queries cover any
// number of units and read only the types the rules count; the scope limits
// what is counted exactly as on the ledger pages.
func (s *Store) SuperviseTallies(ctx context.Context, sc access.Scope, unitIDs []int64, year int, need supervise.Needs) (map[int64]*supervise.Tally, error) {
	out := map[int64]*supervise.Tally{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	for _, id := range unitIDs {
		out[id] = supervise.NewTally(year)
	}
	from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	month := "CAST(substr(a.date, 6, 2) AS INTEGER)"
	if s.dialect == Postgres {
		month = "CAST(substr(a.date, 6, 2) AS BIGINT)"
	}
	topics := "''"
	if need.Topics {
		topics = "a.required_topics"
	}
	tally := func(col string, types []string, extra string) error {
		if len(types) == 0 {
			return nil
		}
		var a args
		where := s.filterWhere(sc, ledger.Filter{From: from, To: to, Types: types}, &a) + " AND a.unit_id IN (" + a.in(unitIDs) + ")" + extra
		group := " GROUP BY a.unit_id, " + col + ", a.type, " + month
		if need.Topics {
			group += ", a.required_topics"
		}
		q := "SELECT a.unit_id, " + col + ", a.type, " + month + ", " + topics + ", COUNT(*) FROM activities a WHERE " + where + group
		rows, err := s.db.QueryContext(ctx, q, a...)
		if err != nil {
			return fmt.Errorf("tally ledger: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var unit, id int64
			var typ, tp string
			var m, n int
			if err := rows.Scan(&unit, &id, &typ, &m, &tp, &n); err != nil {
				return err
			}
			if t := out[unit]; t != nil {
				if col == "a.lead_id" {
					t.Add(0, id, typ, m, splitCodes(tp), n)
				} else {
					t.Add(id, 0, typ, m, splitCodes(tp), n)
				}
			}
		}
		return rows.Err()
	}
	if err := tally("a.org_id", need.OrgTypes, ""); err != nil {
		return nil, err
	}
	if err := tally("a.lead_id", need.LeadTypes, " AND a.lead_id IS NOT NULL"); err != nil {
		return nil, err
	}
	if need.Info {
		if err := s.tallyInfo(ctx, sc, unitIDs, from, to, out); err != nil {
			return nil, err
		}
	}
	if !need.Plan {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT unit_id, form, month, COUNT(*) FROM plan_items WHERE deleted_at IS NULL AND year = `+a.add(year)+
		` AND form <> '' AND unit_id IN (`+a.in(unitIDs)+`) GROUP BY unit_id, form, month`, a...)
	if err != nil {
		return nil, fmt.Errorf("tally plan: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		var form string
		var m, n int
		if err := rows.Scan(&unit, &form, &m, &n); err != nil {
			return nil, err
		}
		if t := out[unit]; t != nil {
			t.Plan[supervise.Key{Type: form, Month: m}] += n
		}
	}
	return out, rows.Err()
}

// tallyInfo counts information drafts submitted per department and month
// (withdrawn ones left out, as in InfoFigures) and reads the quotas.
func (s *Store) tallyInfo(ctx context.Context, sc access.Scope, unitIDs []int64, from, to string, out map[int64]*supervise.Tally) error {
	month := "CAST(substr(d.submitted_date, 6, 2) AS INTEGER)"
	if s.dialect == Postgres {
		month = "CAST(substr(d.submitted_date, 6, 2) AS BIGINT)"
	}
	var a args
	q := `SELECT d.unit_id, d.org_id, ` + month + `, COUNT(*) FROM info_drafts d WHERE d.deleted_at IS NULL AND d.status <> 'withdrawn'
		AND d.submitted_date >= ` + a.add(from) + ` AND d.submitted_date <= ` + a.add(to) + ` AND d.unit_id IN (` + a.in(unitIDs) + `)
		AND ` + infoReadScope(sc, &a) + ` GROUP BY d.unit_id, d.org_id, ` + month
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("tally information drafts: %w", err)
	}
	for rows.Next() {
		var unit, orgID int64
		var m, n int
		if err := rows.Scan(&unit, &orgID, &m, &n); err != nil {
			rows.Close()
			return err
		}
		if t := out[unit]; t != nil {
			t.Add(orgID, 0, supervise.InfoType, m, nil, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// A unit that never saved information settings works to the same
	// default quota its monthly bulletin uses.
	for _, t := range out {
		t.QuotaDefault = infosub.DefaultConfig().Quota
	}
	a = nil
	rows, err = s.db.QueryContext(ctx, `SELECT unit_id, quota FROM info_config WHERE unit_id IN (`+a.in(unitIDs)+`)`, a...)
	if err != nil {
		return fmt.Errorf("read information quotas: %w", err)
	}
	for rows.Next() {
		var unit int64
		var n int
		if err := rows.Scan(&unit, &n); err != nil {
			rows.Close()
			return err
		}
		if t := out[unit]; t != nil {
			t.QuotaDefault = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	a = nil
	rows, err = s.db.QueryContext(ctx, `SELECT unit_id, org_id, monthly FROM info_quotas WHERE unit_id IN (`+a.in(unitIDs)+`)`, a...)
	if err != nil {
		return fmt.Errorf("read information quotas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit, orgID int64
		var n int
		if err := rows.Scan(&unit, &orgID, &n); err != nil {
			return err
		}
		if t := out[unit]; t != nil {
			t.Quota[orgID] = n
		}
	}
	return rows.Err()
}

// SuperviseUnits describes the units for Evaluate: departments, branches,
// leaders and who is reminded (department and branch heads, the unit's
// 意识形态专干).
func (s *Store) SuperviseUnits(ctx context.Context, unitIDs []int64) (map[int64]supervise.Unit, error) {
	out := map[int64]supervise.Unit{}
	nodes, err := s.Nodes(ctx, unitIDs, false)
	if err != nil {
		return nil, err
	}
	heads := map[int64][]int64{}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT r.org_id, r.user_id, r.role, o.kind, COALESCE(o.unit_id,0) FROM user_roles r JOIN orgs o ON o.id = r.org_id
		JOIN users u ON u.id = r.user_id WHERE u.disabled = 0 AND o.unit_id IN (`+a.in(unitIDs)+`) ORDER BY r.user_id`, a...)
	if err != nil {
		return nil, fmt.Errorf("read responsible people: %w", err)
	}
	clerks := map[int64][]int64{}
	leaders := map[int64][]int64{}
	for rows.Next() {
		var orgID, userID, unitID int64
		var role, kind string
		if err := rows.Scan(&orgID, &userID, &role, &kind, &unitID); err != nil {
			rows.Close()
			return nil, err
		}
		switch access.Role(role) {
		case access.DeptHead:
			heads[orgID] = append(heads[orgID], userID)
		case access.Clerk:
			if kind == "unit" {
				clerks[unitID] = append(clerks[unitID], userID)
			}
		case access.FirstResp, access.DirectResp, access.LeaderMember:
			if kind == "unit" && !slices.Contains(leaders[unitID], userID) {
				leaders[unitID] = append(leaders[unitID], userID)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var leaderIDs []int64
	for _, ids := range leaders {
		leaderIDs = append(leaderIDs, ids...)
	}
	names, err := s.userNames(ctx, leaderIDs)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		u := out[n.UnitID]
		switch n.Kind {
		case "unit":
			u.ID, u.Name, u.Resp = n.ID, n.Name, clerks[n.ID]
			for _, id := range leaders[n.ID] {
				u.Leaders = append(u.Leaders, supervise.Subject{Kind: supervise.SubjectLeader, ID: id, Name: names[id], Resp: []int64{id}})
			}
		case "department":
			u.Departments = append(u.Departments, supervise.Subject{Kind: supervise.SubjectDepartment, ID: n.ID, Name: n.Name, Resp: heads[n.ID]})
		case "branch":
			u.Branches = append(u.Branches, supervise.Subject{Kind: supervise.SubjectBranch, ID: n.ID, Name: n.Name, Resp: heads[n.ID]})
		}
		out[n.UnitID] = u
	}
	return out, nil
}

func (s *Store) userNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT id, name FROM users WHERE id IN ("+a.in(ids)+")", a...)
	if err != nil {
		return nil, fmt.Errorf("read names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// ---- late records (补记) ----

// LateRow is one person's (or the unit's) recording punctuality.
type LateRow struct {
	UserID int64
	Name   string
	Total  int
	Late   int // recorded LateDays or more after the activity
	Rushed int // late entries recorded in the week before a report deadline
	Edited int // changed LateDays or more after the activity (and after the day of recording)
}

// LateStats counts, per recording person, the unit's live entries dated in
// [from, to]: all, those recorded lateDays or more after the day, those late
// ones recorded in the 7 days up to a report deadline (deadlines are
// YYYY-MM-DD days, end of day China time), and those edited long after.
// The unit total is the last row with UserID 0.
func (s *Store) LateStats(ctx context.Context, sc access.Scope, unitID int64, from, to string, lateDays int, deadlines []string) ([]LateRow, error) {
	var a args
	where := s.filterWhere(sc, ledger.Filter{UnitID: unitID, From: from, To: to}, &a)
	gap := "a.created_at - " + s.dateEpoch("a.date")
	lim := a.add(int64(lateDays) * 86400)
	rush := "1=0"
	var parts []string
	for _, d := range deadlines {
		end := a.add(dateEpochGo(d) + 86400)
		parts = append(parts, "(a.created_at >= "+end+" - 604800 AND a.created_at < "+end+")")
	}
	if len(parts) > 0 {
		rush = "(" + strings.Join(parts, " OR ") + ")"
	}
	edited := "(a.updated_at - " + s.dateEpoch("a.date") + " >= " + lim + " AND a.updated_at - a.created_at >= 86400)"
	q := `SELECT COALESCE(a.created_by,0), COALESCE(MAX(u.name),''), COUNT(*),
		SUM(CASE WHEN ` + gap + ` >= ` + lim + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + gap + ` >= ` + lim + ` AND ` + rush + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + edited + ` THEN 1 ELSE 0 END)
		FROM activities a LEFT JOIN users u ON u.id = a.created_by WHERE ` + where + ` GROUP BY COALESCE(a.created_by,0) ORDER BY 4 DESC, 3 DESC`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("late stats: %w", err)
	}
	defer rows.Close()
	var out []LateRow
	var total LateRow
	for rows.Next() {
		var r LateRow
		if err := rows.Scan(&r.UserID, &r.Name, &r.Total, &r.Late, &r.Rushed, &r.Edited); err != nil {
			return nil, err
		}
		if r.UserID == 0 {
			r.Name = "系统导入/示例数据"
		}
		total.Total += r.Total
		total.Late += r.Late
		total.Rushed += r.Rushed
		total.Edited += r.Edited
		out = append(out, r)
	}
	total.Name = "合计"
	return append(out, total), rows.Err()
}

// dateEpochGo is dateEpoch for a Go value: 00:00 China time of a day.
func dateEpochGo(d string) int64 {
	t, err := parseDate(d)
	if err != nil {
		return 0
	}
	return t.Unix() - 8*3600
}

// LateEntries lists the late entries of a unit dated in [from, to] (the list
// behind the figure), newest recording first, at most limit.
func (s *Store) LateEntries(ctx context.Context, sc access.Scope, unitID int64, from, to string, lateDays, limit int) ([]ledger.Activity, error) {
	var a args
	where := s.filterWhere(sc, ledger.Filter{UnitID: unitID, From: from, To: to, Late: lateDays}, &a)
	rows, err := s.db.QueryContext(ctx, "SELECT "+activityCols+activityFrom+" WHERE "+where+" ORDER BY a.created_at DESC, a.id DESC LIMIT "+a.add(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("late entries: %w", err)
	}
	defer rows.Close()
	var out []ledger.Activity
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, act)
	}
	return out, rows.Err()
}

// ---- channels ----

// NotifySettings reads a unit's channels (defaults: in-app only).
func (s *Store) NotifySettings(ctx context.Context, unitID int64) (notify.Settings, error) {
	ns := notify.Settings{UnitID: unitID, InApp: true, SMTPPort: 25}
	var inapp, email int
	err := s.db.QueryRowContext(ctx, `SELECT inapp, email, smtp_host, smtp_port, smtp_user, smtp_pass, smtp_from, wecom_url, dingtalk_url, dingtalk_secret, updated_at
		FROM notify_settings WHERE unit_id = $1`, unitID).Scan(&inapp, &email, &ns.SMTPHost, &ns.SMTPPort, &ns.SMTPUser, &ns.SMTPPass, &ns.SMTPFrom,
		&ns.WeComURL, &ns.DingTalkURL, &ns.DingTalkSecret, &ns.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return ns, nil
	} else if err != nil {
		return ns, fmt.Errorf("read channel settings: %w", err)
	}
	ns.InApp, ns.Email = inapp == 1, email == 1
	return ns, nil
}

// SaveNotifySettings stores a unit's channels; secrets are left out of the audit entry.
func (s *Store) SaveNotifySettings(ctx context.Context, actor Actor, sc access.Scope, ns notify.Settings) error {
	if !slices.Contains(sc.WriteUnits, ns.UnitID) {
		return ErrNotFound
	}
	if err := ns.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notify_settings (unit_id, inapp, email, smtp_host, smtp_port, smtp_user, smtp_pass, smtp_from,
			wecom_url, dingtalk_url, dingtalk_secret, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
			ON CONFLICT (unit_id) DO UPDATE SET inapp = excluded.inapp, email = excluded.email, smtp_host = excluded.smtp_host,
			smtp_port = excluded.smtp_port, smtp_user = excluded.smtp_user, smtp_pass = excluded.smtp_pass, smtp_from = excluded.smtp_from,
			wecom_url = excluded.wecom_url, dingtalk_url = excluded.dingtalk_url, dingtalk_secret = excluded.dingtalk_secret, updated_at = excluded.updated_at`,
			ns.UnitID, b2i(ns.InApp), b2i(ns.Email), ns.SMTPHost, ns.SMTPPort, ns.SMTPUser, ns.SMTPPass, ns.SMTPFrom, ns.WeComURL, ns.DingTalkURL,
			ns.DingTalkSecret, s.Now().Unix())
		if err != nil {
			return fmt.Errorf("save channel settings: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, ns.UnitID, "notify.settings", "unit", ns.UnitID, nil, map[string]any{
			"inapp": ns.InApp, "email": ns.Email, "smtp_host": ns.SMTPHost, "smtp_port": ns.SMTPPort, "smtp_from": ns.SMTPFrom,
			"wecom": ns.WeComURL != "", "dingtalk": ns.DingTalkURL != "", "dingtalk_signed": ns.DingTalkSecret != ""})
	})
}

// ContactEmails returns the reminder e-mail addresses of users.
func (s *Store) ContactEmails(ctx context.Context, userIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT user_id, email FROM notify_contacts WHERE user_id IN ("+a.in(userIDs)+")", a...)
	if err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, rows.Err()
}

// SaveContactEmails sets the reminder addresses of a unit's users ("" removes).
func (s *Store) SaveContactEmails(ctx context.Context, actor Actor, sc access.Scope, unitID int64, emails map[int64]string) error {
	if !slices.Contains(sc.WriteUnits, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for id, e := range emails {
			var n int
			tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = $1 AND unit_id = $2", id, unitID).Scan(&n)
			if n == 0 {
				return ErrNotFound
			}
			e = strings.TrimSpace(e)
			if e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " \r\n<>,;")) {
				return apperr.Rule(fmt.Sprintf("邮件地址 %q: 格式不正确", e))
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM notify_contacts WHERE user_id = $1", id); err != nil {
				return fmt.Errorf("clear contact: %w", err)
			}
			if e != "" {
				if _, err := tx.ExecContext(ctx, "INSERT INTO notify_contacts (user_id, email) VALUES ($1,$2)", id, e); err != nil {
					return fmt.Errorf("save contact: %w", err)
				}
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "notify.contacts", "unit", unitID, nil, map[string]int{"users": len(emails)})
	})
}

// ---- reminder log and notifications ----

// Delivery is one row of the reminder log.
type Delivery struct {
	ID         int64
	IdemKey    string
	Channel    string
	UnitID     int64
	Title      string
	Body       string
	Link       string
	Recipients string
	Status     string
	Attempts   int
	NextAt     int64
	LastError  string
	CreatedAt  int64
	SentAt     int64
}

// ClaimDelivery inserts a pending delivery unless one with the same key and
// channel exists; it reports whether this caller owns it now. The unique key
// is what makes a reminder go out once, whoever runs the scheduler.
func (s *Store) ClaimDelivery(ctx context.Context, d *Delivery) (bool, error) {
	now := s.Now().Unix()
	err := s.db.QueryRowContext(ctx, `INSERT INTO reminder_log (idem_key, channel, unit_id, title, body, link, recipients, status, attempts, next_at, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,'pending',0,$8,$9) ON CONFLICT (idem_key, channel) DO NOTHING RETURNING id`,
		d.IdemKey, d.Channel, d.UnitID, d.Title, d.Body, d.Link, d.Recipients, now+300, now).Scan(&d.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("claim delivery: %w", err)
	}
	d.Status, d.CreatedAt, d.NextAt = "pending", now, now+300
	return true, nil
}

// RetryableDeliveries are failed (or abandoned pending) deliveries due for
// another attempt; taking one pushes its next attempt out (a lease), so two
// schedulers do not retry it at once.
func (s *Store) RetryableDeliveries(ctx context.Context, maxAttempts int, lease int64) ([]Delivery, error) {
	now := s.Now().Unix()
	rows, err := s.db.QueryContext(ctx, `SELECT id, idem_key, channel, unit_id, title, body, link, recipients, status, attempts, next_at, last_error, created_at
		FROM reminder_log WHERE status IN ('pending','failed') AND attempts < $1 AND next_at <= $2 ORDER BY id LIMIT 200`, maxAttempts, now)
	if err != nil {
		return nil, fmt.Errorf("read retries: %w", err)
	}
	var cand []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.IdemKey, &d.Channel, &d.UnitID, &d.Title, &d.Body, &d.Link, &d.Recipients, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		cand = append(cand, d)
	}
	rows.Close()
	var out []Delivery
	for _, d := range cand {
		res, err := s.db.ExecContext(ctx, "UPDATE reminder_log SET next_at = $1 WHERE id = $2 AND next_at = $3 AND status IN ('pending','failed')", now+lease, d.ID, d.NextAt)
		if err != nil {
			return nil, fmt.Errorf("lease delivery: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// FinishDelivery records an attempt: sent, or failed with the next attempt time.
func (s *Store) FinishDelivery(ctx context.Context, id int64, sendErr error, nextAt int64) error {
	now := s.Now().Unix()
	var err error
	if sendErr == nil {
		_, err = s.db.ExecContext(ctx, "UPDATE reminder_log SET status = 'sent', attempts = attempts + 1, sent_at = $1, last_error = '' WHERE id = $2", now, id)
	} else {
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		_, err = s.db.ExecContext(ctx, "UPDATE reminder_log SET status = 'failed', attempts = attempts + 1, next_at = $1, last_error = $2 WHERE id = $3", nextAt, msg, id)
	}
	if err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}

// Deliveries lists the reminder log of units, newest first.
func (s *Store) Deliveries(ctx context.Context, unitIDs []int64, limit int) ([]Delivery, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT id, idem_key, channel, unit_id, title, body, link, recipients, status, attempts, next_at, last_error, created_at, COALESCE(sent_at,0)
		FROM reminder_log WHERE unit_id IN (`+a.in(unitIDs)+`) ORDER BY id DESC LIMIT `+a.add(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("read reminder log: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.IdemKey, &d.Channel, &d.UnitID, &d.Title, &d.Body, &d.Link, &d.Recipients, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &d.SentAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Notification is one in-app message.
type Notification struct {
	ID        int64
	Title     string
	Body      string
	Link      string
	CreatedAt int64
	ReadAt    int64
}

// Notify adds in-app notifications (once per user and key).
func (s *Store) Notify(ctx context.Context, unitID int64, userIDs []int64, key, title, body, link string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, u := range userIDs {
			_, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, unit_id, title, body, link, idem_key, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
				ON CONFLICT (user_id, idem_key) DO NOTHING`, u, unitID, title, body, link, key, s.Now().Unix())
			if err != nil {
				return fmt.Errorf("add notification: %w", err)
			}
		}
		return nil
	})
}

// UnreadNotifications counts a user's unread notifications (the badge in
// the top bar on every page).
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var unread int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL", userID).Scan(&unread); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return unread, nil
}

// Notifications lists a user's own notifications, newest first, and the unread count.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, int, error) {
	unread, err := s.UnreadNotifications(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, title, body, link, created_at, COALESCE(read_at,0) FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2", userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &n.ReadAt); err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// MarkNotificationsRead marks all of a user's notifications read.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL", s.Now().Unix(), userID)
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}

// ---- rectification ----

const rectCols = `r.id, r.unit_id, COALESCE(r.org_id,0), COALESCE(o.name,''), r.title, r.source, COALESCE(r.source_ref,''), r.owner_id, ou.name,
	r.measures, r.deadline, r.status, r.progress, COALESCE(r.verified_by,0), COALESCE(vu.name,''), COALESCE(r.verified_at,0), r.verify_note,
	r.created_at, COALESCE(r.created_by,0), r.updated_at`

const rectFrom = ` FROM rectifications r JOIN users ou ON ou.id = r.owner_id LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN users vu ON vu.id = r.verified_by`

func scanRect(row interface{ Scan(...any) error }) (supervise.Rect, error) {
	var r supervise.Rect
	err := row.Scan(&r.ID, &r.UnitID, &r.OrgID, &r.OrgName, &r.Title, &r.Source, &r.SourceRef, &r.OwnerID, &r.OwnerName, &r.Measures, &r.Deadline,
		&r.Status, &r.Progress, &r.VerifiedBy, &r.VerifierName, &r.VerifiedAt, &r.VerifyNote, &r.CreatedAt, &r.CreatedBy, &r.UpdatedAt)
	return r, err
}

// rectReadable: unit-wide readers (and supervisors) see the unit's list;
// others see items they own.
func rectScope(sc access.Scope, a *args) string {
	var or []string
	if len(sc.ReadUnits) > 0 {
		or = append(or, "r.unit_id IN ("+a.in(sc.ReadUnits)+")")
	}
	if len(sc.ReadOrgs) > 0 {
		or = append(or, "r.org_id IN ("+a.in(sc.ReadOrgs)+")")
	}
	if sc.UserID != 0 {
		or = append(or, "r.owner_id = "+a.add(sc.UserID))
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// RectFilter selects rectification items.
type RectFilter struct {
	UnitID int64
	Status string
	Owner  int64
}

// Rects lists items in scope, open ones first by deadline.
func (s *Store) Rects(ctx context.Context, sc access.Scope, f RectFilter) ([]supervise.Rect, error) {
	var a args
	w := []string{rectScope(sc, &a)}
	if f.UnitID != 0 {
		w = append(w, "r.unit_id = "+a.add(f.UnitID))
	}
	if f.Status != "" {
		w = append(w, "r.status = "+a.add(f.Status))
	}
	if f.Owner != 0 {
		w = append(w, "r.owner_id = "+a.add(f.Owner))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+rectCols+rectFrom+" WHERE "+joinAnd(w)+
		" ORDER BY CASE r.status WHEN 'closed' THEN 1 ELSE 0 END, r.deadline, r.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list rectifications: %w", err)
	}
	defer rows.Close()
	var out []supervise.Rect
	for rows.Next() {
		r, err := scanRect(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Rect returns one item in scope, with its evidence files.
func (s *Store) Rect(ctx context.Context, sc access.Scope, id int64) (supervise.Rect, error) {
	var a args
	r, err := scanRect(s.db.QueryRowContext(ctx, "SELECT "+rectCols+rectFrom+" WHERE r.id = "+a.add(id)+" AND "+rectScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	} else if err != nil {
		return r, fmt.Errorf("read rectification %d: %w", id, err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, rect_id, name, mime, size, sha256, created_at FROM rectification_files WHERE rect_id = $1 ORDER BY id", id)
	if err != nil {
		return r, fmt.Errorf("list evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f supervise.RectFile
		if err := rows.Scan(&f.ID, &f.RectID, &f.Name, &f.Mime, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return r, err
		}
		r.Files = append(r.Files, f)
	}
	return r, rows.Err()
}

// checkRectPeople makes sure owner and department belong to the unit.
func checkRectPeople(ctx context.Context, tx *sql.Tx, r *supervise.Rect) error {
	var n int
	tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = $1 AND unit_id = $2 AND disabled = 0", r.OwnerID, r.UnitID).Scan(&n)
	if n == 0 {
		return &ledger.FieldError{Field: "责任人", Msg: "不是本单位人员"}
	}
	if r.OrgID != 0 {
		tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", r.OrgID, r.UnitID).Scan(&n)
		if n == 0 {
			return &ledger.FieldError{Field: "责任科室", Msg: "不是本单位的科室"}
		}
	}
	return nil
}

// CreateRect adds a problem to a unit's list (unit-wide writers and, for
// supervision visits, the supervisor of the unit).
func (s *Store) CreateRect(ctx context.Context, actor Actor, sc access.Scope, r *supervise.Rect) error {
	if !slices.Contains(sc.WriteUnits, r.UnitID) && !(r.Source == "supervision" && slices.Contains(sc.ReadUnits, r.UnitID)) {
		return ErrNotFound
	}
	r.Status = supervise.RectOpen
	if err := r.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkRectPeople(ctx, tx, r); err != nil {
			return err
		}
		return s.insertRect(ctx, tx, actor, r)
	})
}

func (s *Store) insertRect(ctx context.Context, tx *sql.Tx, actor Actor, r *supervise.Rect) error {
	now := s.Now().Unix()
	var ref any
	if r.SourceRef != "" {
		ref = r.SourceRef
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (unit_id, org_id, title, source, source_ref, owner_id, measures, deadline, status,
		created_at, created_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
		r.UnitID, nullID(r.OrgID), r.Title, r.Source, ref, r.OwnerID, r.Measures, r.Deadline, r.Status, now, nullID(actor.UserID), now).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert rectification: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = now, now
	return s.appendAudit(ctx, tx, actor, r.UnitID, "rect.create", "rect", r.ID, nil, rectSnap(*r))
}

func rectSnap(r supervise.Rect) map[string]any {
	return map[string]any{"title": r.Title, "source": r.Source, "ref": r.SourceRef, "org": r.OrgID, "owner": r.OwnerID, "measures": r.Measures,
		"deadline": r.Deadline, "status": r.Status, "progress": r.Progress, "verified_by": r.VerifiedBy, "note": r.VerifyNote}
}

// EnsureAutoRect creates an automatic item for a missed obligation unless
// one with the same source key exists; it reports whether it created one.
func (s *Store) EnsureAutoRect(ctx context.Context, actor Actor, r *supervise.Rect) (bool, error) {
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM rectifications WHERE unit_id = $1 AND source_ref = $2", r.UnitID, r.SourceRef).Scan(&n); err != nil {
			return fmt.Errorf("check rectification: %w", err)
		}
		if n > 0 {
			return nil
		}
		r.Status = supervise.RectOpen
		created = true
		return s.insertRect(ctx, tx, actor, r)
	})
	return created, err
}

// lockRect reads an item for change.
func (s *Store) lockRect(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (supervise.Rect, error) {
	var a args
	r, err := scanRect(tx.QueryRowContext(ctx, "SELECT "+rectCols+rectFrom+" WHERE r.id = "+a.add(id)+" AND "+rectScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	} else if err != nil {
		return r, fmt.Errorf("read rectification %d: %w", id, err)
	}
	return r, nil
}

// canVerify: unit-wide writers or the unit's supervisor.
func canVerifyRect(sc access.Scope, r supervise.Rect) bool {
	return slices.Contains(sc.WriteUnits, r.UnitID) || (slices.Contains(sc.ReadUnits, r.UnitID) && sc.HomeUnit != r.UnitID && !sc.OwnRecords)
}

// CanVerifyRect reports whether the scope may verify or send back the item
// (the owner is refused by the flow itself).
func CanVerifyRect(sc access.Scope, r supervise.Rect) bool { return canVerifyRect(sc, r) }

// CanEditRect reports whether the scope may change the item's fields.
func CanEditRect(sc access.Scope, r supervise.Rect) bool {
	return slices.Contains(sc.WriteUnits, r.UnitID) || r.OwnerID == sc.UserID
}

// UpdateRect changes an item's description, owner, measures, deadline and progress.
func (s *Store) UpdateRect(ctx context.Context, actor Actor, sc access.Scope, r *supervise.Rect) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockRect(ctx, tx, sc, r.ID)
		if err != nil {
			return err
		}
		if !CanEditRect(sc, before) {
			return ErrNotFound
		}
		if before.Status == supervise.RectClosed {
			return apperr.Rule("已销号的整改事项不能再修改")
		}
		r.UnitID, r.Status = before.UnitID, before.Status
		if !slices.Contains(sc.WriteUnits, before.UnitID) {
			// The owner reports progress; the assignment stays as it is.
			r.Title, r.Source, r.OwnerID, r.OrgID, r.Deadline = before.Title, before.Source, before.OwnerID, before.OrgID, before.Deadline
		}
		if err := checkRectPeople(ctx, tx, r); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE rectifications SET org_id=$1, title=$2, source=$3, owner_id=$4, measures=$5, deadline=$6, progress=$7, updated_at=$8 WHERE id=$9`,
			nullID(r.OrgID), r.Title, r.Source, r.OwnerID, r.Measures, r.Deadline, r.Progress, s.Now().Unix(), r.ID)
		if err != nil {
			return fmt.Errorf("update rectification: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, r.UnitID, "rect.update", "rect", r.ID, rectSnap(before), rectSnap(*r))
	})
}

// StepRect moves an item along 待整改 → 整改中 → 待验收 → 已销号. Starting and
// submitting is for the owner or unit writers; verifying and sending back
// for someone other than the owner with the right to verify.
func (s *Store) StepRect(ctx context.Context, actor Actor, sc access.Scope, id int64, step supervise.Step, note string) (supervise.Rect, error) {
	var r supervise.Rect
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = s.lockRect(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		before := r
		switch step {
		case supervise.StepStart, supervise.StepSubmit:
			if !CanEditRect(sc, r) {
				return ErrNotFound
			}
		default:
			if !canVerifyRect(sc, r) && r.OwnerID != sc.UserID {
				return ErrNotFound
			}
		}
		next, err := supervise.Next(r, step, sc.UserID, note)
		if err != nil {
			return err
		}
		if step == supervise.StepSubmit {
			var n int
			tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM rectification_files WHERE rect_id = $1", id).Scan(&n)
			if n == 0 && strings.TrimSpace(r.Progress) == "" {
				return apperr.Rule("提交验收前请填写整改进展或上传整改佐证材料")
			}
		}
		now := s.Now().Unix()
		r.Status = next
		switch step {
		case supervise.StepVerify:
			r.VerifiedBy, r.VerifiedAt, r.VerifyNote = sc.UserID, now, strings.TrimSpace(note)
			_, err = tx.ExecContext(ctx, "UPDATE rectifications SET status=$1, verified_by=$2, verified_at=$3, verify_note=$4, updated_at=$5 WHERE id=$6",
				next, sc.UserID, now, r.VerifyNote, now, id)
		case supervise.StepReject:
			r.VerifyNote = strings.TrimSpace(note)
			_, err = tx.ExecContext(ctx, "UPDATE rectifications SET status=$1, verify_note=$2, updated_at=$3 WHERE id=$4", next, r.VerifyNote, now, id)
		default:
			_, err = tx.ExecContext(ctx, "UPDATE rectifications SET status=$1, updated_at=$2 WHERE id=$3", next, now, id)
		}
		if err != nil {
			return fmt.Errorf("change rectification status: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, r.UnitID, "rect."+string(step), "rect", id, rectSnap(before), rectSnap(r))
	})
	return r, err
}

// AddRectFile stores an evidence file (content-addressed, like ledger
// attachments) on an item the scope may edit.
func (s *Store) AddRectFile(ctx context.Context, actor Actor, sc access.Scope, rectID int64, f *supervise.RectFile, data []byte) error {
	sum, err := s.putBlob(data)
	if err != nil {
		return err
	}
	f.SHA256, f.Size, f.RectID = sum, int64(len(data)), rectID
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.lockRect(ctx, tx, sc, rectID)
		if err != nil {
			return err
		}
		if !CanEditRect(sc, r) {
			return ErrNotFound
		}
		if r.Status == supervise.RectClosed {
			return apperr.Rule("已销号的整改事项不能再上传材料")
		}
		f.CreatedAt = s.Now().Unix()
		err = tx.QueryRowContext(ctx, `INSERT INTO rectification_files (rect_id, name, mime, size, sha256, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
			rectID, f.Name, f.Mime, f.Size, sum, f.CreatedAt, nullID(actor.UserID)).Scan(&f.ID)
		if err != nil {
			return fmt.Errorf("insert evidence: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, r.UnitID, "rect.file", "rect", rectID, nil, map[string]any{"file": f.ID, "name": f.Name, "sha256": sum, "size": f.Size})
	})
}

// OpenRectFile returns an evidence file of an item in scope.
func (s *Store) OpenRectFile(ctx context.Context, sc access.Scope, rectID, fileID int64) (supervise.RectFile, io.ReadSeekCloser, error) {
	r, err := s.Rect(ctx, sc, rectID)
	if err != nil {
		return supervise.RectFile{}, nil, err
	}
	for _, f := range r.Files {
		if f.ID == fileID {
			fh, err := os.Open(s.blobPath(f.SHA256))
			if err != nil {
				return f, nil, fmt.Errorf("open evidence file: %w", err)
			}
			return f, fh, nil
		}
	}
	return supervise.RectFile{}, nil, ErrNotFound
}

func parseDate(d string) (time.Time, error) { return time.Parse(cntime.DateLayout, d) }
