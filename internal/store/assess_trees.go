package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/assess"
)

// Indicator trees (考核细则) and the assessments scored against them. Who
// may edit a tree or move an assessment is assess's rule; the service
// passes it in as a function run on the locked row.

const treeCols = `id, org_id, year, name, status, weight, bonus_cap, published_at`

func scanTree(r interface{ Scan(...any) error }) (assess.Tree, error) {
	var t assess.Tree
	err := r.Scan(&t.ID, &t.OrgID, &t.Year, &t.Name, &t.Status, &t.Weight, &t.BonusCap, &t.PublishedAt)
	return t, err
}

const indCols = `id, tree_id, sort, category, name, points, method, scorer, param, rule, required, per, cap, veto, bonus, evidence, source`

func scanInd(r interface{ Scan(...any) error }) (assess.Indicator, error) {
	var i assess.Indicator
	var veto, bonus int
	err := r.Scan(&i.ID, &i.TreeID, &i.Sort, &i.Category, &i.Name, &i.Points, &i.Method, &i.Scorer, &i.Param, &i.Rule, &i.Required, &i.Per, &i.Cap, &veto, &bonus, &i.Evidence, &i.Source)
	i.Veto, i.Bonus = veto == 1, bonus == 1
	return i, err
}

// treeReadable: a tree is read by its district's supervisors and by the
// units under that district (their own assessment is scored against it).
func (s *Store) treeReadable(ctx context.Context, sc access.Scope, orgID int64) (bool, error) {
	if len(sc.ReadUnits) == 0 {
		return false, nil
	}
	var a args
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs WHERE (id = "+a.add(orgID)+" OR parent_id = "+a.add(orgID)+") AND id IN ("+a.in(sc.ReadUnits)+")", a...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check tree scope: %w", err)
	}
	return n > 0, nil
}

// Tree returns a tree with its indicators, when the scope reads it.
func (s *Store) Tree(ctx context.Context, sc access.Scope, id int64) (assess.Tree, error) {
	t, err := scanTree(s.db.QueryRowContext(ctx, "SELECT "+treeCols+" FROM assess_trees WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	} else if err != nil {
		return t, fmt.Errorf("read tree %d: %w", id, err)
	}
	ok, err := s.treeReadable(ctx, sc, t.OrgID)
	if err != nil {
		return t, err
	}
	if !ok {
		return assess.Tree{}, ErrNotFound
	}
	t.Indicators, err = indicators(ctx, s.db, id)
	return t, err
}

func indicators(ctx context.Context, q queryer, treeID int64) ([]assess.Indicator, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+indCols+" FROM assess_indicators WHERE tree_id = $1 ORDER BY sort, id", treeID)
	if err != nil {
		return nil, fmt.Errorf("list indicators: %w", err)
	}
	defer rows.Close()
	var out []assess.Indicator
	for rows.Next() {
		i, err := scanInd(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Trees lists the trees of a district node (newest year first), when the
// scope reads it.
func (s *Store) Trees(ctx context.Context, sc access.Scope, orgID int64) ([]assess.Tree, error) {
	ok, err := s.treeReadable(ctx, sc, orgID)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+treeCols+" FROM assess_trees WHERE org_id = $1 ORDER BY year DESC", orgID)
	if err != nil {
		return nil, fmt.Errorf("list trees: %w", err)
	}
	defer rows.Close()
	var out []assess.Tree
	for rows.Next() {
		t, err := scanTree(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TreeOf finds the tree of the district above a unit (or of the unit
// itself, in an installation without a district) for a year; published
// only unless drafts is set. ErrNotFound when there is none.
func (s *Store) TreeOf(ctx context.Context, sc access.Scope, unitID int64, year int, drafts bool) (assess.Tree, error) {
	if !slices.Contains(sc.ReadUnits, unitID) {
		return assess.Tree{}, ErrNotFound
	}
	q := `SELECT t.id FROM assess_trees t JOIN orgs u ON u.id = $1 WHERE t.year = $2 AND (t.org_id = u.parent_id OR t.org_id = u.id)`
	if !drafts {
		q += " AND t.status = 'published'"
	}
	var id int64
	err := s.db.QueryRowContext(ctx, q+" ORDER BY t.org_id = u.id LIMIT 1", unitID, year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return assess.Tree{}, ErrNotFound
	} else if err != nil {
		return assess.Tree{}, fmt.Errorf("find tree: %w", err)
	}
	return s.Tree(ctx, sc, id)
}

// CreateTree stores a new tree with its indicators (ErrTreeExists when the
// node has one for the year). The caller checked who may.
func (s *Store) CreateTree(ctx context.Context, actor Actor, t *assess.Tree) error {
	now := s.Now().Unix()
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM assess_trees WHERE org_id = $1 AND year = $2", t.OrgID, t.Year).Scan(&n); err != nil {
			return fmt.Errorf("check tree: %w", err)
		}
		if n > 0 {
			return assess.ErrTreeExists
		}
		t.Status = assess.TreeDraft
		err := tx.QueryRowContext(ctx, `INSERT INTO assess_trees (org_id, year, name, status, weight, bonus_cap, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
			t.OrgID, t.Year, t.Name, t.Status, t.Weight, t.BonusCap, now).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("insert tree: %w", err)
		}
		for i := range t.Indicators {
			t.Indicators[i].TreeID = t.ID
			if err := insertInd(ctx, tx, &t.Indicators[i]); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, t.OrgID, "assess.tree.create", "tree", t.ID, nil, map[string]any{"year": t.Year, "name": t.Name, "items": len(t.Indicators)})
	})
}

func insertInd(ctx context.Context, tx *sql.Tx, i *assess.Indicator) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO assess_indicators (tree_id, sort, category, name, points, method, scorer, param, rule, required, per, cap, veto, bonus, evidence, source)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING id`, i.TreeID, i.Sort, i.Category, i.Name, i.Points, i.Method, i.Scorer, i.Param, i.Rule,
		i.Required, i.Per, i.Cap, b2i(i.Veto), b2i(i.Bonus), i.Evidence, i.Source).Scan(&i.ID)
	if err != nil {
		return fmt.Errorf("insert indicator: %w", err)
	}
	return nil
}

// lockTree reads a tree for change.
func (s *Store) lockTree(ctx context.Context, tx *sql.Tx, id int64) (assess.Tree, error) {
	t, err := scanTree(tx.QueryRowContext(ctx, "SELECT "+treeCols+" FROM assess_trees WHERE id = $1"+s.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	} else if err != nil {
		return t, fmt.Errorf("lock tree %d: %w", id, err)
	}
	t.Indicators, err = indicators(ctx, tx, id)
	return t, err
}

// ChangeTree applies fn to the locked tree (with its indicators) and
// saves the tree's fields and every indicator as fn leaves them: changed
// ones updated, new ones (ID 0) inserted, missing ones deleted. fn decides
// whether the change is allowed (assess rules: a draft, the district's
// own); publish is a change of Status.
func (s *Store) ChangeTree(ctx context.Context, actor Actor, id int64, action string, fn func(*assess.Tree) error) (assess.Tree, error) {
	var out assess.Tree
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.lockTree(ctx, tx, id)
		if err != nil {
			return err
		}
		t := cur
		t.Indicators = slices.Clone(cur.Indicators)
		if err := fn(&t); err != nil {
			return err
		}
		if t.Status == assess.TreePublished && cur.Status != assess.TreePublished {
			t.PublishedAt = s.Now().Unix()
		}
		if _, err := tx.ExecContext(ctx, "UPDATE assess_trees SET name=$1, status=$2, weight=$3, bonus_cap=$4, published_at=$5 WHERE id=$6",
			t.Name, t.Status, t.Weight, t.BonusCap, t.PublishedAt, id); err != nil {
			return fmt.Errorf("update tree: %w", err)
		}
		keep := map[int64]bool{}
		for i := range t.Indicators {
			ind := &t.Indicators[i]
			ind.TreeID = id
			if ind.ID == 0 {
				if err := insertInd(ctx, tx, ind); err != nil {
					return err
				}
			} else if _, err := tx.ExecContext(ctx, `UPDATE assess_indicators SET sort=$1, category=$2, name=$3, points=$4, method=$5, scorer=$6, param=$7, rule=$8,
				required=$9, per=$10, cap=$11, veto=$12, bonus=$13, evidence=$14, source=$15 WHERE id=$16 AND tree_id=$17`, ind.Sort, ind.Category, ind.Name, ind.Points,
				ind.Method, ind.Scorer, ind.Param, ind.Rule, ind.Required, ind.Per, ind.Cap, b2i(ind.Veto), b2i(ind.Bonus), ind.Evidence, ind.Source, ind.ID, id); err != nil {
				return fmt.Errorf("update indicator: %w", err)
			}
			keep[ind.ID] = true
		}
		for _, old := range cur.Indicators {
			if !keep[old.ID] {
				if _, err := tx.ExecContext(ctx, "DELETE FROM assess_items WHERE indicator_id = $1", old.ID); err != nil {
					return fmt.Errorf("delete indicator items: %w", err)
				}
				if _, err := tx.ExecContext(ctx, "DELETE FROM assess_indicators WHERE id = $1", old.ID); err != nil {
					return fmt.Errorf("delete indicator: %w", err)
				}
			}
		}
		out = t
		return s.appendAudit(ctx, tx, actor, t.OrgID, action, "tree", id, treeSnap(cur), treeSnap(t))
	})
	return out, err
}

func treeSnap(t assess.Tree) map[string]any {
	names := make([]string, len(t.Indicators))
	for i, ind := range t.Indicators {
		names[i] = fmt.Sprintf("%s %s分 %s", ind.Name, assess.Num(ind.Points), ind.Describe())
	}
	return map[string]any{"name": t.Name, "status": t.Status, "weight": t.Weight, "bonus_cap": t.BonusCap, "items": names}
}

// --- assessments ---

const asCols = `a.id, a.tree_id, a.unit_id, o.name, a.year, a.state, a.frozen_at, a.frozen_total, a.submitted_at, COALESCE(a.submitted_by,0), COALESCE(a.reviewed_by,0), a.return_note`

func scanAs(r interface{ Scan(...any) error }) (assess.Assessment, error) {
	var a assess.Assessment
	err := r.Scan(&a.ID, &a.TreeID, &a.UnitID, &a.UnitName, &a.Year, &a.State, &a.FrozenAt, &a.FrozenTotal, &a.SubmittedAt, &a.SubmittedBy, &a.ReviewedBy, &a.ReturnNote)
	return a, err
}

// Assessments lists the assessments of a tree for the units the scope
// reads, creating a 自评中 one for each unit that has none (a unit's
// assessment exists as soon as its tree is published). Missing rows are
// made in one transaction without audit entries of their own: opening is
// not a change anyone made.
func (s *Store) Assessments(ctx context.Context, sc access.Scope, treeID int64, unitIDs []int64) ([]assess.Assessment, error) {
	var ok []int64
	for _, u := range unitIDs {
		if slices.Contains(sc.ReadUnits, u) {
			ok = append(ok, u)
		}
	}
	if len(ok) == 0 {
		return nil, nil
	}
	t, err := s.Tree(ctx, sc, treeID)
	if err != nil {
		return nil, err
	}
	list := func() ([]assess.Assessment, error) {
		var a args
		rows, err := s.db.QueryContext(ctx, "SELECT "+asCols+" FROM assessments a JOIN orgs o ON o.id = a.unit_id WHERE a.tree_id = "+a.add(treeID)+
			" AND a.unit_id IN ("+a.in(ok)+") ORDER BY o.sort, o.id", a...)
		if err != nil {
			return nil, fmt.Errorf("list assessments: %w", err)
		}
		defer rows.Close()
		var out []assess.Assessment
		for rows.Next() {
			as, err := scanAs(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, as)
		}
		return out, rows.Err()
	}
	out, err := list()
	if err != nil || len(out) == len(ok) {
		return out, err
	}
	// Units under the tree's node only.
	var a args
	under, err := queryIDs(ctx, s.db, "SELECT id FROM orgs WHERE kind = 'unit' AND deleted_at IS NULL AND (id = "+a.add(t.OrgID)+" OR parent_id = "+a.add(t.OrgID)+
		") AND id IN ("+a.in(ok)+")", a...)
	if err != nil {
		return nil, fmt.Errorf("units of tree: %w", err)
	}
	have := map[int64]bool{}
	for _, as := range out {
		have[as.UnitID] = true
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, u := range under {
			if have[u] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessments (tree_id, unit_id, year, state) VALUES ($1,$2,$3,'self') ON CONFLICT (tree_id, unit_id) DO NOTHING`,
				treeID, u, t.Year); err != nil {
				return fmt.Errorf("open assessment: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return list()
}

// Assessment returns one assessment the scope reads.
func (s *Store) Assessment(ctx context.Context, sc access.Scope, id int64) (assess.Assessment, error) {
	if len(sc.ReadUnits) == 0 {
		return assess.Assessment{}, ErrNotFound
	}
	var a args
	as, err := scanAs(s.db.QueryRowContext(ctx, "SELECT "+asCols+" FROM assessments a JOIN orgs o ON o.id = a.unit_id WHERE a.id = "+a.add(id)+
		" AND a.unit_id IN ("+a.in(sc.ReadUnits)+")", a...))
	if errors.Is(err, sql.ErrNoRows) {
		return as, ErrNotFound
	} else if err != nil {
		return as, fmt.Errorf("read assessment %d: %w", id, err)
	}
	return as, nil
}

// AssessItems reads the self-assessment and review of the assessments'
// items: assessment id → indicator id → item.
func (s *Store) AssessItems(ctx context.Context, ids []int64) (map[int64]map[int64]assess.Item, error) {
	out := map[int64]map[int64]assess.Item{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT assessment_id, indicator_id, self_score, self_veto, self_note, evidence, review_score, review_veto, reason, COALESCE(reviewed_by,0)
		FROM assess_items WHERE assessment_id IN (`+a.in(ids)+`)`, a...)
	if err != nil {
		return nil, fmt.Errorf("read assessment items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid, iid int64
		var self, rev sql.NullFloat64
		var selfVeto int
		var revVeto sql.NullInt64
		var it assess.Item
		if err := rows.Scan(&aid, &iid, &self, &selfVeto, &it.SelfNote, &it.Evidence, &rev, &revVeto, &it.Reason, &it.ReviewerID); err != nil {
			return nil, err
		}
		if self.Valid {
			it.Self = &self.Float64
		}
		if rev.Valid {
			it.Review = &rev.Float64
		}
		if revVeto.Valid {
			v := revVeto.Int64 == 1
			it.ReviewVeto = &v
		}
		it.SelfVeto = selfVeto == 1
		if out[aid] == nil {
			out[aid] = map[int64]assess.Item{}
		}
		out[aid][iid] = it
	}
	return out, rows.Err()
}

// FrozenResult reads the numbers kept when the assessment was frozen.
func (s *Store) FrozenResult(ctx context.Context, id int64) (assess.Result, error) {
	var js string
	var r assess.Result
	if err := s.db.QueryRowContext(ctx, "SELECT frozen_json FROM assessments WHERE id = $1", id).Scan(&js); err != nil {
		return r, fmt.Errorf("read frozen assessment %d: %w", id, err)
	}
	if js == "" {
		return r, fmt.Errorf("assessment %d frozen without numbers", id)
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		return r, fmt.Errorf("decode frozen assessment %d: %w", id, err)
	}
	return r, nil
}

func (s *Store) lockAs(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (assess.Assessment, error) {
	if len(sc.ReadUnits) == 0 {
		return assess.Assessment{}, ErrNotFound
	}
	var a args
	as, err := scanAs(tx.QueryRowContext(ctx, "SELECT "+asCols+" FROM assessments a JOIN orgs o ON o.id = a.unit_id WHERE a.id = "+a.add(id)+
		" AND a.unit_id IN ("+a.in(sc.ReadUnits)+")"+s.forUpdateOf("a"), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return as, ErrNotFound
	} else if err != nil {
		return as, fmt.Errorf("lock assessment %d: %w", id, err)
	}
	return as, nil
}

// SaveAssessItem changes one item of an assessment: fn gets the locked
// assessment and the item as stored and applies the rule (assess.Check,
// ValidateSelf / ValidateReview) and the change.
func (s *Store) SaveAssessItem(ctx context.Context, actor Actor, sc access.Scope, id, indicatorID int64, action string, fn func(assess.Assessment, *assess.Item) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		as, err := s.lockAs(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM assess_indicators WHERE id = $1 AND tree_id = $2", indicatorID, as.TreeID).Scan(&n); err != nil {
			return fmt.Errorf("check indicator: %w", err)
		}
		if n == 0 {
			return ErrNotFound
		}
		items, err := assessItemsTx(ctx, tx, id, indicatorID)
		if err != nil {
			return err
		}
		before := items
		it := before
		if err := fn(as, &it); err != nil {
			return err
		}
		var revVeto any
		if it.ReviewVeto != nil {
			revVeto = b2i(*it.ReviewVeto)
		}
		var self, rev any
		if it.Self != nil {
			self = *it.Self
		}
		if it.Review != nil {
			rev = *it.Review
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM assess_items WHERE assessment_id = $1 AND indicator_id = $2", id, indicatorID); err != nil {
			return fmt.Errorf("replace item: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO assess_items (assessment_id, indicator_id, self_score, self_veto, self_note, evidence, review_score, review_veto, reason, reviewed_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`, id, indicatorID, self, b2i(it.SelfVeto), it.SelfNote, it.Evidence, rev, revVeto, it.Reason, nullID(it.ReviewerID)); err != nil {
			return fmt.Errorf("save item: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, as.UnitID, action, "assessment", id, itemSnap(indicatorID, before), itemSnap(indicatorID, it))
	})
}

func assessItemsTx(ctx context.Context, tx *sql.Tx, id, indicatorID int64) (assess.Item, error) {
	var it assess.Item
	var self, rev sql.NullFloat64
	var selfVeto int
	var revVeto sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT self_score, self_veto, self_note, evidence, review_score, review_veto, reason, COALESCE(reviewed_by,0)
		FROM assess_items WHERE assessment_id = $1 AND indicator_id = $2`, id, indicatorID).Scan(&self, &selfVeto, &it.SelfNote, &it.Evidence, &rev, &revVeto, &it.Reason, &it.ReviewerID)
	if errors.Is(err, sql.ErrNoRows) {
		return it, nil
	} else if err != nil {
		return it, fmt.Errorf("read item: %w", err)
	}
	if self.Valid {
		it.Self = &self.Float64
	}
	if rev.Valid {
		it.Review = &rev.Float64
	}
	if revVeto.Valid {
		v := revVeto.Int64 == 1
		it.ReviewVeto = &v
	}
	it.SelfVeto = selfVeto == 1
	return it, nil
}

func itemSnap(ind int64, it assess.Item) map[string]any {
	m := map[string]any{"indicator": ind, "self_note": it.SelfNote, "evidence": it.Evidence, "reason": it.Reason, "self_veto": it.SelfVeto}
	if it.Self != nil {
		m["self"] = *it.Self
	}
	if it.Review != nil {
		m["review"] = *it.Review
	}
	if it.ReviewVeto != nil {
		m["review_veto"] = *it.ReviewVeto
	}
	return m
}

// StepAssessment moves an assessment: fn checks the rule on the locked row
// and sets the new state; frozen, when not nil, is the result kept with a
// freeze (its numbers no longer follow the records).
func (s *Store) StepAssessment(ctx context.Context, actor Actor, sc access.Scope, id int64, action string, fn func(*assess.Assessment) error, frozen func(assess.Assessment) (*assess.Result, error)) (assess.Assessment, error) {
	var out assess.Assessment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.lockAs(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		as := cur
		if err := fn(&as); err != nil {
			return err
		}
		js, total := "", 0.0
		if frozen != nil {
			r, err := frozen(as)
			if err != nil {
				return err
			}
			b, err := json.Marshal(r)
			if err != nil {
				return fmt.Errorf("encode frozen result: %w", err)
			}
			js, total = string(b), r.Total
			as.FrozenAt, as.FrozenTotal = s.Now().Unix(), total
		}
		if as.State == assess.StateSubmitted && cur.State != assess.StateSubmitted {
			as.SubmittedAt, as.SubmittedBy = s.Now().Unix(), actor.UserID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessments SET state=$1, submitted_at=$2, submitted_by=$3, reviewed_by=$4, return_note=$5, frozen_at=$6, frozen_total=$7,
			frozen_json=CASE WHEN $8 = '' THEN frozen_json ELSE $8 END WHERE id=$9`, as.State, as.SubmittedAt, nullID(as.SubmittedBy), nullID(as.ReviewedBy), as.ReturnNote,
			as.FrozenAt, as.FrozenTotal, js, id); err != nil {
			return fmt.Errorf("update assessment: %w", err)
		}
		out = as
		return s.appendAudit(ctx, tx, actor, as.UnitID, action, "assessment", id, map[string]any{"state": cur.State},
			map[string]any{"state": as.State, "note": as.ReturnNote, "frozen_total": as.FrozenTotal})
	})
	return out, err
}

// forUpdate locks the rows read on PostgreSQL; SQLite has one writer at a
// time and no row locks.
func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forUpdateOf locks only the rows of one table of a join.
func (s *Store) forUpdateOf(alias string) string {
	if s.dialect == Postgres {
		return " FOR UPDATE OF " + alias
	}
	return ""
}
