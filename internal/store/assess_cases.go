package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/assess"
)

// Accountability cases (问责). Who sees them is assess.CanSeeCases, passed
// in as see: a unit it refuses is out of scope (not found), whatever the
// scope reads otherwise. Every read of a case is audited (assess.case.view),
// because a case names persons and their responsibility.

const caseCols = `id, unit_id, year, title, situation, facts, evidence, investigated, determined, notified, defended, decided, method, body, result_use, in_assessment, created_at, updated_at`

func scanCase(r interface{ Scan(...any) error }) (assess.Case, error) {
	var c assess.Case
	var in int
	err := r.Scan(&c.ID, &c.UnitID, &c.Year, &c.Title, &c.Situation, &c.Facts, &c.Evidence, &c.Dates[0], &c.Dates[1], &c.Dates[2], &c.Dates[3], &c.Dates[4],
		&c.Method, &c.Body, &c.ResultUse, &in, &c.CreatedAt, &c.UpdatedAt)
	c.InAssessment = in == 1
	return c, err
}

func casePersons(ctx context.Context, q queryer, ids []int64) (map[int64][]assess.CasePerson, error) {
	out := map[int64][]assess.CasePerson{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	rows, err := q.QueryContext(ctx, "SELECT p.case_id, p.user_id, u.name, p.resp FROM assess_case_persons p JOIN users u ON u.id = p.user_id WHERE p.case_id IN ("+a.in(ids)+") ORDER BY p.case_id, u.sort, u.id", a...)
	if err != nil {
		return nil, fmt.Errorf("case persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var p assess.CasePerson
		if err := rows.Scan(&cid, &p.UserID, &p.Name, &p.Resp); err != nil {
			return nil, err
		}
		out[cid] = append(out[cid], p)
	}
	return out, rows.Err()
}

// Cases lists the cases of the units see allows, for a year (0: all), and
// records the listing in the audit log of each unit listed.
func (s *Store) Cases(ctx context.Context, actor Actor, unitIDs []int64, year int, see func(unitID int64) bool) ([]assess.Case, error) {
	var ok []int64
	for _, u := range unitIDs {
		if see(u) {
			ok = append(ok, u)
		}
	}
	if len(ok) == 0 {
		return nil, nil
	}
	var a args
	q := "SELECT " + caseCols + " FROM assess_cases WHERE unit_id IN (" + a.in(ok) + ")"
	if year != 0 {
		q += " AND year = " + a.add(year)
	}
	out, err := s.queryCases(ctx, q+" ORDER BY year DESC, id DESC", a...)
	if err != nil {
		return nil, err
	}
	for _, u := range ok {
		if err := s.Audit(ctx, actor, u, "assess.case.list", "unit", u, map[string]any{"year": year}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) queryCases(ctx context.Context, q string, args ...any) ([]assess.Case, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	var out []assess.Case
	var ids []int64
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ps, err := casePersons(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Persons = ps[out[i].ID]
	}
	return out, nil
}

// CasesForScoring reads the cases of units for a year without an audit
// entry: the "cases" scorer counts them into the assessment, and the
// assessment page shows only the count and links (opening one is audited).
func (s *Store) CasesForScoring(ctx context.Context, unitIDs []int64, year int) ([]assess.Case, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	return s.queryCases(ctx, "SELECT "+caseCols+" FROM assess_cases WHERE year = "+a.add(year)+" AND unit_id IN ("+a.in(unitIDs)+") ORDER BY id", a...)
}

// Case returns one case when see allows its unit, and audits the view.
func (s *Store) Case(ctx context.Context, actor Actor, id int64, see func(unitID int64) bool) (assess.Case, error) {
	c, err := s.caseQ(ctx, s.db, id)
	if err != nil {
		return c, err
	}
	if !see(c.UnitID) {
		return assess.Case{}, ErrNotFound
	}
	if err := s.Audit(ctx, actor, c.UnitID, "assess.case.view", "case", id, nil); err != nil {
		return c, err
	}
	return c, nil
}

func (s *Store) caseQ(ctx context.Context, q caseQueryer, id int64) (assess.Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, "SELECT "+caseCols+" FROM assess_cases WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	} else if err != nil {
		return c, fmt.Errorf("read case %d: %w", id, err)
	}
	ps, err := casePersons(ctx, q, []int64{id})
	if err != nil {
		return c, err
	}
	c.Persons = ps[id]
	c.Files, err = caseFiles(ctx, q, id)
	return c, err
}

func caseSnap(c assess.Case) map[string]any {
	return map[string]any{"title": c.Title, "situation": c.Situation, "facts": c.Facts, "evidence": c.Evidence, "dates": c.Dates, "method": c.Method,
		"body": c.Body, "result_use": c.ResultUse, "in_assessment": c.InAssessment, "persons": c.Persons}
}

// SaveCase creates (ID 0) or updates a case when manage allows its unit;
// the persons must belong to the unit.
func (s *Store) SaveCase(ctx context.Context, actor Actor, c *assess.Case, manage func(unitID int64) bool) error {
	now := s.Now().Unix()
	return s.tx(ctx, func(tx *sql.Tx) error {
		var before map[string]any
		if c.ID != 0 {
			cur, err := s.caseQ(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			if !manage(cur.UnitID) {
				return ErrNotFound
			}
			c.UnitID, c.CreatedAt = cur.UnitID, cur.CreatedAt
			before = caseSnap(cur)
		} else if !manage(c.UnitID) {
			return ErrNotFound
		}
		for _, p := range c.Persons {
			in, err := userInUnit(ctx, tx, p.UserID, c.UnitID, false)
			if err != nil {
				return err
			}
			if !in {
				return assess.ErrCasePerson
			}
		}
		var err error
		action := "assess.case.update"
		if c.ID == 0 {
			action = "assess.case.create"
			c.CreatedAt = now
			err = tx.QueryRowContext(ctx, `INSERT INTO assess_cases (unit_id, year, title, situation, facts, evidence, investigated, determined, notified, defended, decided,
				method, body, result_use, in_assessment, created_at, created_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`,
				c.UnitID, c.Year, c.Title, c.Situation, c.Facts, c.Evidence, c.Dates[0], c.Dates[1], c.Dates[2], c.Dates[3], c.Dates[4], c.Method, c.Body, c.ResultUse,
				b2i(c.InAssessment), now, nullID(actor.UserID), now).Scan(&c.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE assess_cases SET year=$1, title=$2, situation=$3, facts=$4, evidence=$5, investigated=$6, determined=$7, notified=$8, defended=$9,
				decided=$10, method=$11, body=$12, result_use=$13, in_assessment=$14, updated_at=$15 WHERE id=$16`, c.Year, c.Title, c.Situation, c.Facts, c.Evidence,
				c.Dates[0], c.Dates[1], c.Dates[2], c.Dates[3], c.Dates[4], c.Method, c.Body, c.ResultUse, b2i(c.InAssessment), now, c.ID)
		}
		if err != nil {
			return fmt.Errorf("save case: %w", err)
		}
		c.UpdatedAt = now
		if _, err := tx.ExecContext(ctx, "DELETE FROM assess_case_persons WHERE case_id = $1", c.ID); err != nil {
			return fmt.Errorf("clear case persons: %w", err)
		}
		for _, p := range c.Persons {
			if _, err := tx.ExecContext(ctx, "INSERT INTO assess_case_persons (case_id, user_id, resp) VALUES ($1,$2,$3)", c.ID, p.UserID, p.Resp); err != nil {
				return fmt.Errorf("save case person: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, c.UnitID, action, "case", c.ID, before, caseSnap(*c))
	})
}

// caseQueryer is a database or a transaction.
type caseQueryer interface {
	queryer
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// CaseUnit is the unit of a case, for the caller's permission check before
// anything else is said about it (no audit entry: nothing is shown).
func (s *Store) CaseUnit(ctx context.Context, id int64) (int64, error) {
	var u int64
	err := s.db.QueryRowContext(ctx, "SELECT unit_id FROM assess_cases WHERE id = $1", id).Scan(&u)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	} else if err != nil {
		return 0, fmt.Errorf("read case %d: %w", id, err)
	}
	return u, nil
}

// UnitSituations reads a unit's choices of 问责情形, by code.
func (s *Store) UnitSituations(ctx context.Context, unitID int64) (map[string]assess.UnitSituation, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT code, enabled, detail FROM assess_unit_situations WHERE unit_id = $1", unitID)
	if err != nil {
		return nil, fmt.Errorf("unit situations: %w", err)
	}
	defer rows.Close()
	out := map[string]assess.UnitSituation{}
	for rows.Next() {
		var u assess.UnitSituation
		var on int
		if err := rows.Scan(&u.Code, &on, &u.Detail); err != nil {
			return nil, err
		}
		u.Enabled = on == 1
		out[u.Code] = u
	}
	return out, rows.Err()
}

// SaveUnitSituation writes a unit's choice for one situation, audited.
// The caller has checked who may (assess.CanSelfAssess) and the fields.
func (s *Store) SaveUnitSituation(ctx context.Context, actor Actor, unitID int64, u assess.UnitSituation) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var before map[string]any
		var on int
		var detail string
		err := tx.QueryRowContext(ctx, "SELECT enabled, detail FROM assess_unit_situations WHERE unit_id = $1 AND code = $2", unitID, u.Code).Scan(&on, &detail)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, "INSERT INTO assess_unit_situations (unit_id, code, enabled, detail, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6)",
				unitID, u.Code, b2i(u.Enabled), u.Detail, s.Now().Unix(), nullID(actor.UserID))
		case err == nil:
			before = map[string]any{"enabled": on == 1, "detail": detail}
			_, err = tx.ExecContext(ctx, "UPDATE assess_unit_situations SET enabled = $1, detail = $2, updated_at = $3, updated_by = $4 WHERE unit_id = $5 AND code = $6",
				b2i(u.Enabled), u.Detail, s.Now().Unix(), nullID(actor.UserID), unitID, u.Code)
		}
		if err != nil {
			return fmt.Errorf("save unit situation: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "assess.situation.save", "unit", unitID, before,
			map[string]any{"code": u.Code, "enabled": u.Enabled, "detail": u.Detail})
	})
}

// CaseSituation is a case's 问责情形 code, for the service's check of a
// changed one (no audit entry: nothing is shown).
func (s *Store) CaseSituation(ctx context.Context, id int64) (string, error) {
	var code string
	err := s.db.QueryRowContext(ctx, "SELECT situation FROM assess_cases WHERE id = $1", id).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	} else if err != nil {
		return "", fmt.Errorf("read case %d: %w", id, err)
	}
	return code, nil
}
