package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/assess"
)

// Module 8 (考核问责): 分管, the responsibility list, 五个纳入 and 述职
// records. Who may change them is assess's rule (CanSelfAssess); the
// service checks it, and every method here also requires the unit to be
// readable by the scope, so an id of another unit is not found.

// assessUnit refuses a unit the scope cannot read.
func assessUnit(sc access.Scope, unitID int64) error {
	if unitID == 0 || !slices.Contains(sc.ReadUnits, unitID) && !slices.Contains(sc.AdminUnits, unitID) {
		return ErrNotFound
	}
	return nil
}

// Fenguan lists the 分管 of a unit's leaders.
func (s *Store) Fenguan(ctx context.Context, sc access.Scope, unitID int64) ([]assess.Fenguan, error) {
	if err := assessUnit(sc, unitID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT user_id, org_id FROM org_fenguan WHERE unit_id = $1 ORDER BY user_id, org_id", unitID)
	if err != nil {
		return nil, fmt.Errorf("list fenguan: %w", err)
	}
	defer rows.Close()
	var out []assess.Fenguan
	for rows.Next() {
		var f assess.Fenguan
		if err := rows.Scan(&f.UserID, &f.OrgID); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetFenguan replaces the departments a leader of unitID is in charge of.
// The leader and the departments must belong to the unit (user errors).
func (s *Store) SetFenguan(ctx context.Context, actor Actor, sc access.Scope, unitID, userID int64, orgIDs []int64) error {
	if err := assessUnit(sc, unitID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		in, err := userInUnit(ctx, tx, userID, unitID, false)
		if err != nil {
			return err
		}
		if !in {
			return ErrNotFound
		}
		for _, o := range orgIDs {
			ok, err := orgInUnit(ctx, tx, o, unitID)
			if err != nil {
				return err
			}
			if !ok || o == unitID {
				return assess.ErrFenguanOrg
			}
		}
		before, err := queryIDs(ctx, tx, "SELECT org_id FROM org_fenguan WHERE user_id = $1 ORDER BY org_id", userID)
		if err != nil {
			return fmt.Errorf("read fenguan: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM org_fenguan WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("clear fenguan: %w", err)
		}
		for _, o := range orgIDs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO org_fenguan (user_id, org_id, unit_id) VALUES ($1,$2,$3)", userID, o, unitID); err != nil {
				return fmt.Errorf("save fenguan: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "org.fenguan", "user", userID, map[string]any{"orgs": before}, map[string]any{"orgs": orgIDs})
	})
}

const dutyCols = `d.id, d.unit_id, COALESCE(d.user_id,0), COALESCE(u.name,''), d.role, COALESCE(d.org_id,0), COALESCE(o.name,''), d.gen_key, d.what, d.freq, d.due, d.evidence, d.source, d.sort`
const dutyFrom = ` FROM assess_duties d LEFT JOIN users u ON u.id = d.user_id LEFT JOIN orgs o ON o.id = d.org_id`

func scanDuty(r interface{ Scan(...any) error }) (assess.Duty, error) {
	var d assess.Duty
	err := r.Scan(&d.ID, &d.UnitID, &d.UserID, &d.UserName, &d.Role, &d.OrgID, &d.OrgName, &d.Key, &d.What, &d.Freq, &d.Due, &d.Evidence, &d.Source, &d.Sort)
	return d, err
}

// Duties lists a unit's responsibility list; userID != 0 keeps one person's.
func (s *Store) Duties(ctx context.Context, sc access.Scope, unitID, userID int64) ([]assess.Duty, error) {
	if err := assessUnit(sc, unitID); err != nil {
		return nil, err
	}
	var a args
	q := "SELECT " + dutyCols + dutyFrom + " WHERE d.unit_id = " + a.add(unitID)
	if userID != 0 {
		q += " AND d.user_id = " + a.add(userID)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY d.sort, d.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list duties: %w", err)
	}
	defer rows.Close()
	var out []assess.Duty
	for rows.Next() {
		d, err := scanDuty(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Duty returns one item in scope.
func (s *Store) Duty(ctx context.Context, sc access.Scope, id int64) (assess.Duty, error) {
	var a args
	var w string
	if len(sc.ReadUnits) == 0 {
		return assess.Duty{}, ErrNotFound
	}
	w = " AND d.unit_id IN (" + a.in(sc.ReadUnits) + ")"
	d, err := scanDuty(s.db.QueryRowContext(ctx, "SELECT "+dutyCols+dutyFrom+" WHERE d.id = "+a.add(id)+w, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("read duty %d: %w", id, err)
	}
	return d, nil
}

func dutySnap(d assess.Duty) map[string]any {
	return map[string]any{"user": d.UserID, "role": d.Role, "org": d.OrgID, "what": d.What, "freq": d.Freq, "due": d.Due, "evidence": d.Evidence}
}

// checkDutyPeople requires the person and department to belong to the unit.
func checkDutyPeople(ctx context.Context, tx *sql.Tx, d assess.Duty) error {
	if d.UserID != 0 {
		in, err := userInUnit(ctx, tx, d.UserID, d.UnitID, false)
		if err != nil {
			return err
		}
		if !in {
			return assess.ErrPersonNotInUnit
		}
	}
	if d.OrgID != 0 {
		in, err := orgInUnit(ctx, tx, d.OrgID, d.UnitID)
		if err != nil {
			return err
		}
		if !in {
			return assess.ErrOrgNotInUnit
		}
	}
	return nil
}

// AddDuties inserts items into a unit's list in one transaction (one audit
// entry per item).
func (s *Store) AddDuties(ctx context.Context, actor Actor, sc access.Scope, unitID int64, ds []assess.Duty) error {
	if err := assessUnit(sc, unitID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var top int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(sort),0) FROM assess_duties WHERE unit_id = $1", unitID).Scan(&top); err != nil {
			return fmt.Errorf("duty order: %w", err)
		}
		for i := range ds {
			d := &ds[i]
			d.UnitID = unitID
			if err := checkDutyPeople(ctx, tx, *d); err != nil {
				return err
			}
			if d.Sort == 0 || top > 0 {
				d.Sort = top + i + 1
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO assess_duties (unit_id, user_id, role, org_id, gen_key, what, freq, due, evidence, source, sort)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`, unitID, nullID(d.UserID), d.Role, nullID(d.OrgID), d.Key, d.What, d.Freq, d.Due,
				d.Evidence, d.Source, d.Sort).Scan(&d.ID)
			if err != nil {
				return fmt.Errorf("insert duty: %w", err)
			}
			if err := s.appendAudit(ctx, tx, actor, unitID, "assess.duty.create", "duty", d.ID, nil, dutySnap(*d)); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateDuty saves an item's fields (the unit and generator key stay).
func (s *Store) UpdateDuty(ctx context.Context, actor Actor, sc access.Scope, d assess.Duty) error {
	cur, err := s.Duty(ctx, sc, d.ID)
	if err != nil {
		return err
	}
	d.UnitID = cur.UnitID
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkDutyPeople(ctx, tx, d); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE assess_duties SET user_id=$1, role=$2, org_id=$3, what=$4, freq=$5, due=$6, evidence=$7 WHERE id=$8 AND unit_id=$9`,
			nullID(d.UserID), d.Role, nullID(d.OrgID), d.What, d.Freq, d.Due, d.Evidence, d.ID, cur.UnitID)
		if err != nil {
			return fmt.Errorf("update duty: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.appendAudit(ctx, tx, actor, cur.UnitID, "assess.duty.update", "duty", d.ID, dutySnap(cur), dutySnap(d))
	})
}

// DeleteDuty removes an item.
func (s *Store) DeleteDuty(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	cur, err := s.Duty(ctx, sc, id)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM assess_duties WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete duty: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, cur.UnitID, "assess.duty.delete", "duty", id, dutySnap(cur), nil)
	})
}

// Inclusions lists the 五个纳入 entries of units for a year, by unit.
func (s *Store) Inclusions(ctx context.Context, sc access.Scope, unitIDs []int64, year int) (map[int64][]assess.Inclusion, error) {
	var ok []int64
	for _, u := range unitIDs {
		if assessUnit(sc, u) == nil {
			ok = append(ok, u)
		}
	}
	out := map[int64][]assess.Inclusion{}
	if len(ok) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, i.unit_id, i.year, i.item, i.done, i.evidence, COALESCE(i.activity_id,0), COALESCE(i.confirmed_by,0), COALESCE(u.name,''), i.confirmed_at
		FROM assess_inclusions i LEFT JOIN users u ON u.id = i.confirmed_by WHERE i.year = `+a.add(year)+` AND i.unit_id IN (`+a.in(ok)+`) ORDER BY i.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("list inclusions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in assess.Inclusion
		var done int
		if err := rows.Scan(&in.ID, &in.UnitID, &in.Year, &in.Key, &done, &in.Evidence, &in.ActivityID, &in.ConfirmedBy, &in.Confirmer, &in.ConfirmedAt); err != nil {
			return nil, err
		}
		in.Done = done == 1
		out[in.UnitID] = append(out[in.UnitID], in)
	}
	return out, rows.Err()
}

// SaveInclusion writes one 五个纳入 entry; confirming records who and when.
// An evidencing ledger entry must be one of the unit's.
func (s *Store) SaveInclusion(ctx context.Context, actor Actor, sc access.Scope, in assess.Inclusion) error {
	if err := assessUnit(sc, in.UnitID); err != nil {
		return err
	}
	now := s.Now().Unix()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if in.ActivityID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM activities WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", in.ActivityID, in.UnitID).Scan(&n); err != nil {
				return fmt.Errorf("check activity: %w", err)
			}
			if n == 0 {
				return assess.ErrActivityNotUnit
			}
		}
		var by any
		at := int64(0)
		if in.Done {
			by, at = actor.UserID, now
		}
		res, err := tx.ExecContext(ctx, `UPDATE assess_inclusions SET done=$1, evidence=$2, activity_id=$3, confirmed_by=$4, confirmed_at=$5 WHERE unit_id=$6 AND year=$7 AND item=$8`,
			b2i(in.Done), in.Evidence, nullID(in.ActivityID), by, at, in.UnitID, in.Year, in.Key)
		if err != nil {
			return fmt.Errorf("update inclusions: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assess_inclusions (unit_id, year, item, done, evidence, activity_id, confirmed_by, confirmed_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
				in.UnitID, in.Year, in.Key, b2i(in.Done), in.Evidence, nullID(in.ActivityID), by, at); err != nil {
				return fmt.Errorf("insert inclusions: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, in.UnitID, "assess.inclusion", "inclusion", int64(in.Year), nil,
			map[string]any{"item": in.Key, "done": in.Done, "evidence": in.Evidence, "activity": in.ActivityID})
	})
}

const debriefCols = `d.id, d.unit_id, d.user_id, u.name, d.year, d.held_on, d.meeting, d.body, d.good, d.fair, d.average, d.poor, d.follow_ups`

func scanDebrief(r interface{ Scan(...any) error }) (assess.Debrief, error) {
	var d assess.Debrief
	err := r.Scan(&d.ID, &d.UnitID, &d.UserID, &d.UserName, &d.Year, &d.Date, &d.Meeting, &d.Text, &d.Good, &d.Fair, &d.Average, &d.Poor, &d.FollowUps)
	return d, err
}

// Debriefs lists the 述职 records of units for a year (0: all years).
func (s *Store) Debriefs(ctx context.Context, sc access.Scope, unitIDs []int64, year int) ([]assess.Debrief, error) {
	var ok []int64
	for _, u := range unitIDs {
		if assessUnit(sc, u) == nil {
			ok = append(ok, u)
		}
	}
	if len(ok) == 0 {
		return nil, nil
	}
	var a args
	q := "SELECT " + debriefCols + " FROM assess_debriefs d JOIN users u ON u.id = d.user_id WHERE d.unit_id IN (" + a.in(ok) + ")"
	if year != 0 {
		q += " AND d.year = " + a.add(year)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY d.year DESC, d.held_on, d.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list debrief: %w", err)
	}
	defer rows.Close()
	var out []assess.Debrief
	for rows.Next() {
		d, err := scanDebrief(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Debrief returns one record in scope.
func (s *Store) Debrief(ctx context.Context, sc access.Scope, id int64) (assess.Debrief, error) {
	if len(sc.ReadUnits) == 0 {
		return assess.Debrief{}, ErrNotFound
	}
	var a args
	d, err := scanDebrief(s.db.QueryRowContext(ctx, "SELECT "+debriefCols+" FROM assess_debriefs d JOIN users u ON u.id = d.user_id WHERE d.id = "+a.add(id)+
		" AND d.unit_id IN ("+a.in(sc.ReadUnits)+")", a...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	} else if err != nil {
		return d, fmt.Errorf("read debrief %d: %w", id, err)
	}
	return d, nil
}

func debriefSnap(d assess.Debrief) map[string]any {
	return map[string]any{"user": d.UserID, "year": d.Year, "date": d.Date, "meeting": d.Meeting, "good": d.Good, "fair": d.Fair, "average": d.Average, "poor": d.Poor,
		"follow_ups": d.FollowUps, "text_len": len([]rune(d.Text))}
}

// SaveDebrief creates (ID 0) or updates a 述职 record; the leader must be
// of the unit, and one record per leader and year.
func (s *Store) SaveDebrief(ctx context.Context, actor Actor, sc access.Scope, d *assess.Debrief) error {
	if d.ID != 0 {
		cur, err := s.Debrief(ctx, sc, d.ID)
		if err != nil {
			return err
		}
		d.UnitID = cur.UnitID
	}
	if err := assessUnit(sc, d.UnitID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		in, err := userInUnit(ctx, tx, d.UserID, d.UnitID, false)
		if err != nil {
			return err
		}
		if !in {
			return assess.ErrDebriefPerson
		}
		var dup int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM assess_debriefs WHERE user_id = $1 AND year = $2 AND id <> $3", d.UserID, d.Year, d.ID).Scan(&dup); err != nil {
			return fmt.Errorf("check debrief: %w", err)
		}
		if dup > 0 {
			return assess.ErrDebriefDup
		}
		action := "assess.debrief.update"
		if d.ID == 0 {
			action = "assess.debrief.create"
			err = tx.QueryRowContext(ctx, `INSERT INTO assess_debriefs (unit_id, user_id, year, held_on, meeting, body, good, fair, average, poor, follow_ups)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`, d.UnitID, d.UserID, d.Year, d.Date, d.Meeting, d.Text, d.Good, d.Fair, d.Average, d.Poor, d.FollowUps).Scan(&d.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE assess_debriefs SET user_id=$1, year=$2, held_on=$3, meeting=$4, body=$5, good=$6, fair=$7, average=$8, poor=$9, follow_ups=$10 WHERE id=$11`,
				d.UserID, d.Year, d.Date, d.Meeting, d.Text, d.Good, d.Fair, d.Average, d.Poor, d.FollowUps, d.ID)
		}
		if err != nil {
			return fmt.Errorf("save debrief: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, d.UnitID, action, "debrief", d.ID, nil, debriefSnap(*d))
	})
}
