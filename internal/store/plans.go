package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
)

const planCols = `id, unit_id, year, month, topic, required_topics, form, COALESCE(speaker_id,0), speaker_name, note`

func scanPlan(r interface{ Scan(...any) error }) (ledger.PlanItem, error) {
	var p ledger.PlanItem
	var topics string
	err := r.Scan(&p.ID, &p.UnitID, &p.Year, &p.Month, &p.Topic, &topics, &p.Form, &p.SpeakerID, &p.SpeakerName, &p.Note)
	p.RequiredTopics = splitCodes(topics)
	return p, err
}

// PlanItems lists a unit's plan for a year, by month, each item with
// the entries recorded as carrying it out (Done, see PlanActuals).
func (s *Store) PlanItems(ctx context.Context, sc access.Scope, unitID int64, year int) ([]ledger.PlanItem, error) {
	if !sc.CanRead(unitID, unitID) && !sc.OwnRecords {
		return nil, ErrNotFound
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+planCols+` FROM plan_items WHERE unit_id = $1 AND year = $2 AND deleted_at IS NULL
		ORDER BY month, id`, unitID, year)
	if err != nil {
		return nil, fmt.Errorf("list plan: %w", err)
	}
	defer rows.Close()
	var out []ledger.PlanItem
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// Plan against actual: the entries recorded as carrying out each item.
	done, err := s.PlanActuals(ctx, sc, unitID, year)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Done = done[out[i].ID]
	}
	return out, nil
}

// PlanItem returns one plan item of a unit the scope may read.
func (s *Store) PlanItem(ctx context.Context, sc access.Scope, id int64) (ledger.PlanItem, error) {
	p, err := scanPlan(s.db.QueryRowContext(ctx, "SELECT "+planCols+" FROM plan_items WHERE id = $1 AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanRead(p.UnitID, p.UnitID) && !sc.OwnRecords) {
		return p, ErrNotFound
	} else if err != nil {
		return p, fmt.Errorf("read plan item %d: %w", id, err)
	}
	return p, nil
}

// SavePlanItem creates (ID 0) or updates a validated plan item of
// p.UnitID; an update of an item that is not the unit's live item is
// ErrNotFound. The speaker's name is read from the unit's people; check
// (typically ledger.PlanItem.SetSpeaker) is given that name and whether the
// speaker belongs to the unit, inside the transaction.
func (s *Store) SavePlanItem(ctx context.Context, actor Actor, p *ledger.PlanItem, check func(speaker string, found bool) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var speaker string
		found := false
		if p.SpeakerID != 0 {
			err := tx.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1 AND unit_id = $2", p.SpeakerID, p.UnitID).Scan(&speaker)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("read speaker %d: %w", p.SpeakerID, err)
			}
			found = err == nil
		}
		if err := check(speaker, found); err != nil {
			return err
		}
		if p.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO plan_items (unit_id, year, month, topic, required_topics, form, speaker_id, speaker_name, note, created_at, created_by)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`, p.UnitID, p.Year, p.Month, p.Topic, joinCodes(p.RequiredTopics),
				p.Form, nullID(p.SpeakerID), p.SpeakerName, p.Note, s.Now().Unix(), nullID(actor.UserID)).Scan(&p.ID)
			if err != nil {
				return fmt.Errorf("insert plan item: %w", err)
			}
			return s.appendAudit(ctx, tx, actor, p.UnitID, "plan.create", "plan_item", p.ID, nil, p)
		}
		before, err := scanPlan(tx.QueryRowContext(ctx, "SELECT "+planCols+" FROM plan_items WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", p.ID, p.UnitID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read plan item %d: %w", p.ID, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE plan_items SET year=$1, month=$2, topic=$3, required_topics=$4, form=$5, speaker_id=$6, speaker_name=$7, note=$8 WHERE id=$9`,
			p.Year, p.Month, p.Topic, joinCodes(p.RequiredTopics), p.Form, nullID(p.SpeakerID), p.SpeakerName, p.Note, p.ID)
		if err != nil {
			return fmt.Errorf("update plan item: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, p.UnitID, "plan.update", "plan_item", p.ID, before, p)
	})
}

// DeletePlanItem removes a plan item (soft); linked activities keep their
// link. check (typically ledger.CanWritePlan as an error) is given the item.
func (s *Store) DeletePlanItem(ctx context.Context, actor Actor, id int64, check func(ledger.PlanItem) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := scanPlan(tx.QueryRowContext(ctx, "SELECT "+planCols+" FROM plan_items WHERE id = $1 AND deleted_at IS NULL", id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read plan item %d: %w", id, err)
		}
		if err := check(p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE plan_items SET deleted_at = $1 WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("delete plan item: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, p.UnitID, "plan.delete", "plan_item", id, p, nil)
	})
}

// PlanActuals returns, per plan item id, the live activities linked to it.
func (s *Store) PlanActuals(ctx context.Context, sc access.Scope, unitID int64, year int) (map[int64][]ledger.Activity, error) {
	var a args
	q := "SELECT " + activityCols + activityFrom + " WHERE a.deleted_at IS NULL AND a.unit_id = " + a.add(unitID) +
		" AND a.plan_item_id IN (SELECT id FROM plan_items WHERE unit_id = " + a.add(unitID) + " AND year = " + a.add(year) + ")" +
		" AND " + readScope(sc, &a) + " ORDER BY a.date"
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("plan actuals: %w", err)
	}
	defer rows.Close()
	out := map[int64][]ledger.Activity{}
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out[act.PlanItemID] = append(out[act.PlanItemID], act)
	}
	return out, rows.Err()
}
