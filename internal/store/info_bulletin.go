package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
)

// Counts of drafts and publications: the half-year report's 信息 figures
// and the monthly bulletin (信息编发月通报).

// InfoFigures are the half-year report's 信息 figures of one unit; the ids
// are the drafts behind each number (traceability). Definitions are in the
// infosub package doc.
type InfoFigures struct {
	Written, Published, Adopted int
	WrittenIDs, PublishedIDs    []int64
}

// InfoFigures counts a unit's drafts written and published in [from, to]
// (dates 'YYYY-MM-DD', inclusive) that the scope may read.
func (s *Store) InfoFigures(ctx context.Context, sc access.Scope, unitID int64, from, to string) (InfoFigures, error) {
	var f InfoFigures
	var a args
	q := `SELECT d.id FROM info_drafts d WHERE d.unit_id = ` + a.add(unitID) + ` AND d.deleted_at IS NULL
		AND d.submitted_date >= ` + a.add(from) + ` AND d.submitted_date <= ` + a.add(to) + `
		AND d.status <> 'withdrawn' AND ` + infoReadScope(sc, &a) + ` ORDER BY d.id`
	ids, err := queryIDs(ctx, s.db, q, a...)
	if err != nil {
		return f, fmt.Errorf("info written: %w", err)
	}
	f.WrittenIDs, f.Written = ids, len(ids)

	a = nil
	q = `SELECT d.id, MAX(CASE WHEN p.kind = 'adopt' THEN 1 ELSE 0 END) FROM info_publications p JOIN info_drafts d ON d.id = p.draft_id
		WHERE p.unit_id = ` + a.add(unitID) + ` AND p.deleted_at IS NULL AND d.deleted_at IS NULL
		AND p.date >= ` + a.add(from) + ` AND p.date <= ` + a.add(to) + ` AND ` + infoReadScope(sc, &a) + `
		GROUP BY d.id ORDER BY d.id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return f, fmt.Errorf("info published: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var adopted int
		if err := rows.Scan(&id, &adopted); err != nil {
			return f, err
		}
		f.PublishedIDs = append(f.PublishedIDs, id)
		f.Adopted += adopted
	}
	f.Published = len(f.PublishedIDs)
	return f, rows.Err()
}

// InfoBulletin computes the monthly bulletin of a unit (rows: its
// departments, plus the unit itself when it submitted drafts at unit level)
// or, with unitID 0, of every unit the scope reads in full (rows: units).
// Rows with no drafts are included: they are the 零报送. ErrNotFound when
// the scope may not read the unit's bulletin (infosub.CanReadBulletin) or,
// for the district, reads no unit in full.
func (s *Store) InfoBulletin(ctx context.Context, sc access.Scope, unitID int64, month string) (infosub.Bulletin, error) {
	from, to, label, err := infosub.MonthRange(month)
	if err != nil {
		return infosub.Bulletin{}, err
	}
	b := infosub.Bulletin{Month: month, From: from, To: to, Label: label, District: unitID == 0}
	var units []int64
	rows := map[int64]*infosub.BulletinRow{}
	var order []int64
	addRow := func(id int64, name string, quota int) {
		rows[id] = &infosub.BulletinRow{OrgID: id, Name: name, Quota: quota}
		order = append(order, id)
	}
	if unitID != 0 {
		if !infosub.CanReadBulletin(sc, unitID) {
			return b, ErrNotFound
		}
		units = []int64{unitID}
		cfg, err := s.InfoConfig(ctx, unitID)
		if err != nil {
			return b, err
		}
		quotas, err := s.InfoQuotas(ctx, unitID)
		if err != nil {
			return b, err
		}
		if err := s.db.QueryRowContext(ctx, "SELECT name FROM orgs WHERE id = $1", unitID).Scan(&b.Scope); err != nil {
			return b, fmt.Errorf("read unit: %w", err)
		}
		r, err := s.db.QueryContext(ctx, `SELECT id, name FROM orgs WHERE unit_id = $1 AND kind = 'department' AND deleted_at IS NULL ORDER BY sort, id`, unitID)
		if err != nil {
			return b, fmt.Errorf("list departments: %w", err)
		}
		for r.Next() {
			var id int64
			var name string
			if err := r.Scan(&id, &name); err != nil {
				r.Close()
				return b, err
			}
			q, ok := quotas[id]
			if !ok {
				q = cfg.Quota
			}
			addRow(id, name, q)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return b, err
		}
	} else {
		units = sc.ReadUnits
		if len(units) == 0 {
			return b, ErrNotFound
		}
		b.Scope = infosub.DistrictScope
		var a args
		r, err := s.db.QueryContext(ctx, `SELECT o.id, o.name, COALESCE(c.quota, $1) * (SELECT COUNT(*) FROM orgs dd WHERE dd.unit_id = o.id AND dd.kind = 'department' AND dd.deleted_at IS NULL)
			FROM orgs o LEFT JOIN info_config c ON c.unit_id = o.id WHERE o.id IN (`+func() string { a.add(infosub.DefaultConfig().Quota); return a.in(units) }()+`) ORDER BY o.sort, o.id`, a...)
		if err != nil {
			return b, fmt.Errorf("list units: %w", err)
		}
		for r.Next() {
			var id int64
			var name string
			var q int
			if err := r.Scan(&id, &name, &q); err != nil {
				r.Close()
				return b, err
			}
			addRow(id, name, q)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return b, err
		}
	}
	key := "d.org_id"
	if unitID == 0 {
		key = "d.unit_id"
	}
	// row is the bulletin row of id, added for drafts at unit level (or of
	// a department deleted since).
	row := func(id int64) (*infosub.BulletinRow, error) {
		if r, ok := rows[id]; ok {
			return r, nil
		}
		var name string
		err := s.db.QueryRowContext(ctx, "SELECT name FROM orgs WHERE id = $1", id).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("bulletin row %d: %w", id, err)
		}
		addRow(id, name, 0)
		return rows[id], nil
	}
	type q struct {
		sql string
		set func(r *infosub.BulletinRow, vals []int)
		n   int
	}
	var a args
	unitCond := func() string { return "d.unit_id IN (" + a.in(units) + ")" }
	queries := []q{
		{`SELECT ` + key + `, COUNT(*) FROM info_drafts d WHERE ` + unitCond() + ` AND d.deleted_at IS NULL AND d.status <> 'withdrawn'
			AND d.submitted_date >= ` + a.add(from) + ` AND d.submitted_date <= ` + a.add(to) + ` GROUP BY ` + key,
			func(r *infosub.BulletinRow, v []int) { r.Submitted = v[0] }, 1},
	}
	run := func(qq q, qa args) error {
		r, err := s.db.QueryContext(ctx, qq.sql, qa...)
		if err != nil {
			return fmt.Errorf("bulletin: %w", err)
		}
		defer r.Close()
		type counts struct {
			id   int64
			vals []int
		}
		var got []counts
		for r.Next() {
			c := counts{vals: make([]int, qq.n)}
			dst := []any{&c.id}
			for i := range c.vals {
				dst = append(dst, &c.vals[i])
			}
			if err := r.Scan(dst...); err != nil {
				return err
			}
			got = append(got, c)
		}
		if err := r.Err(); err != nil {
			return err
		}
		r.Close()
		for _, c := range got {
			br, err := row(c.id)
			if err != nil {
				return err
			}
			qq.set(br, c.vals)
		}
		return nil
	}
	if err := run(queries[0], a); err != nil {
		return b, err
	}
	a = nil
	approved := q{`SELECT ` + key + `, COUNT(*) FROM info_drafts d WHERE ` + unitCond() + ` AND d.deleted_at IS NULL
		AND d.status IN ('approved','published') AND d.approved_date >= ` + a.add(from) + ` AND d.approved_date <= ` + a.add(to) + ` GROUP BY ` + key,
		func(r *infosub.BulletinRow, v []int) { r.Approved = v[0] }, 1}
	if err := run(approved, a); err != nil {
		return b, err
	}
	a = nil
	pubKey := strings.Replace(key, "d.unit_id", "p.unit_id", 1)
	pubs := q{`SELECT ` + pubKey + `, COUNT(DISTINCT p.draft_id), COUNT(DISTINCT CASE WHEN p.kind = 'adopt' THEN p.draft_id END), COALESCE(SUM(p.points),0)
		FROM info_publications p JOIN info_drafts d ON d.id = p.draft_id
		WHERE p.unit_id IN (` + a.in(units) + `) AND p.deleted_at IS NULL AND d.deleted_at IS NULL
		AND p.date >= ` + a.add(from) + ` AND p.date <= ` + a.add(to) + ` GROUP BY ` + pubKey,
		func(r *infosub.BulletinRow, v []int) { r.Published, r.Adopted, r.Points = v[0], v[1], v[2] }, 3}
	if err := run(pubs, a); err != nil {
		return b, err
	}
	for _, id := range order {
		b.Rows = append(b.Rows, *rows[id])
	}
	b.Finish()
	return b, nil
}
