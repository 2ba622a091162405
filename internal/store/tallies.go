package store

import (
	"context"
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/supervise"
)

// What service.Compliance judges: the ledger reduced to monthly counts and
// the units described as subjects with their responsible people.

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
		// Counted: an 分析研判 without its document does not meet a rule.
		where := s.filterWhere(sc, ledger.Filter{From: from, To: to, Types: types, Counted: true}, &a) + " AND a.unit_id IN (" + a.in(unitIDs) + ")" + extra
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
