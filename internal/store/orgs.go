package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"zhendi/internal/org"
)

const nodeCols = `id, COALESCE(parent_id,0), COALESCE(unit_id,0), kind, name, COALESCE(code,''), sort, path`

func scanNode(r interface{ Scan(...any) error }) (org.Node, error) {
	var n org.Node
	err := r.Scan(&n.ID, &n.ParentID, &n.UnitID, &n.Kind, &n.Name, &n.Code, &n.Sort, &n.Path)
	return n, err
}

// CreateNode adds a validated node (org.ValidateNode) under n.ParentID (0
// for a root) and fills n.ID, n.UnitID and n.Path. A parent that does not
// exist is org.ErrNoParent; a kind the tree does not allow under the
// parent's is refused by org.CheckChild, since the node's unit and path
// follow from the kinds.
func (s *Store) CreateNode(ctx context.Context, actor Actor, n *org.Node) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		parentPath, parentKind, parentUnit := "/", "", int64(0)
		if n.ParentID != 0 {
			err := tx.QueryRowContext(ctx, "SELECT path, kind, COALESCE(unit_id,0) FROM orgs WHERE id = $1 AND deleted_at IS NULL", n.ParentID).
				Scan(&parentPath, &parentKind, &parentUnit)
			if errors.Is(err, sql.ErrNoRows) {
				return org.ErrNoParent
			} else if err != nil {
				return fmt.Errorf("read parent node: %w", err)
			}
		}
		if err := org.CheckChild(parentKind, n.Kind); err != nil {
			return err
		}
		var code any
		if n.Code != "" {
			code = n.Code
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO orgs (parent_id, kind, name, code, sort, created_at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, nullID(n.ParentID), n.Kind, n.Name, code, n.Sort, s.Now().Unix()).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("insert node: %w", err)
		}
		n.Path = parentPath + strconv.FormatInt(n.ID, 10) + "/"
		switch n.Kind {
		case org.Unit:
			n.UnitID = n.ID
		case org.District:
			n.UnitID = 0
		default:
			n.UnitID = parentUnit
		}
		if _, err := tx.ExecContext(ctx, "UPDATE orgs SET path = $1, unit_id = $2 WHERE id = $3", n.Path, nullID(n.UnitID), n.ID); err != nil {
			return fmt.Errorf("set node path: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, n.UnitID, "org.create", "org", n.ID, nil, n)
	})
}

// RenameNode changes a node's name and sort order (validated by the
// caller); ErrNotFound when the node does not exist.
func (s *Store) RenameNode(ctx context.Context, actor Actor, id int64, name string, sort int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanNode(tx.QueryRowContext(ctx, "SELECT "+nodeCols+" FROM orgs WHERE id = $1 AND deleted_at IS NULL", id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read node: %w", err)
		}
		after := before
		after.Name, after.Sort = name, sort
		if _, err := tx.ExecContext(ctx, "UPDATE orgs SET name = $1, sort = $2 WHERE id = $3", after.Name, after.Sort, id); err != nil {
			return fmt.Errorf("rename node: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, before.UnitID, "org.update", "org", id, before, after)
	})
}

// Node returns one live node.
func (s *Store) Node(ctx context.Context, id int64) (org.Node, error) {
	n, err := scanNode(s.db.QueryRowContext(ctx, "SELECT "+nodeCols+" FROM orgs WHERE id = $1 AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	} else if err != nil {
		return n, fmt.Errorf("read node: %w", err)
	}
	return n, nil
}

// NodeByCode finds a node by its external code.
func (s *Store) NodeByCode(ctx context.Context, code string) (org.Node, error) {
	n, err := scanNode(s.db.QueryRowContext(ctx, "SELECT "+nodeCols+" FROM orgs WHERE code = $1 AND deleted_at IS NULL", code))
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	} else if err != nil {
		return n, fmt.Errorf("read node: %w", err)
	}
	return n, nil
}

// Nodes lists the live nodes of the given units (and, with districts, the
// district nodes themselves), ordered as a tree.
func (s *Store) Nodes(ctx context.Context, unitIDs []int64, withDistricts bool) ([]org.Node, error) {
	if len(unitIDs) == 0 && !withDistricts {
		return nil, nil
	}
	var a args
	cond := "1=0"
	if len(unitIDs) > 0 {
		cond = "unit_id IN (" + a.in(unitIDs) + ")"
	}
	if withDistricts {
		cond += " OR kind = 'district'"
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+nodeCols+" FROM orgs WHERE deleted_at IS NULL AND ("+cond+") ORDER BY path", a...)
	if err != nil {
		return nil, fmt.Errorf("list nodes: %w", err)
	}
	defer rows.Close()
	var out []org.Node
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return nil, err
		}
		for _, c := range n.Path {
			if c == '/' {
				n.Depth++
			}
		}
		n.Depth -= 2
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return sortTree(out), nil
}

// sortTree orders nodes depth-first, siblings by sort then id; path order
// alone would compare ids as text.
func sortTree(nodes []org.Node) []org.Node {
	present := map[int64]bool{}
	children := map[int64][]org.Node{}
	for _, n := range nodes {
		present[n.ID] = true
	}
	var roots []org.Node
	for _, n := range nodes {
		if present[n.ParentID] {
			children[n.ParentID] = append(children[n.ParentID], n)
		} else {
			roots = append(roots, n)
		}
	}
	less := func(a, b org.Node) int {
		if a.Sort != b.Sort {
			return a.Sort - b.Sort
		}
		return int(a.ID - b.ID)
	}
	out := make([]org.Node, 0, len(nodes))
	var walk func([]org.Node)
	walk = func(level []org.Node) {
		slices.SortFunc(level, less)
		for _, n := range level {
			out = append(out, n)
			walk(children[n.ID])
		}
	}
	walk(roots)
	return out
}

// UnitsUnder lists the ids of units below a district (or the unit itself).
func (s *Store) UnitsUnder(ctx context.Context, nodeID int64) ([]int64, error) {
	ids, err := queryIDs(ctx, s.db, `SELECT id FROM orgs WHERE kind = 'unit' AND deleted_at IS NULL
		AND (id = $1 OR parent_id = $1) ORDER BY sort, id`, nodeID)
	if err != nil {
		return nil, fmt.Errorf("units under %d: %w", nodeID, err)
	}
	return ids, nil
}

// AllUnitIDs lists every live unit of the installation.
func (s *Store) AllUnitIDs(ctx context.Context) ([]int64, error) {
	ids, err := queryIDs(ctx, s.db, "SELECT id FROM orgs WHERE kind = 'unit' AND deleted_at IS NULL ORDER BY sort, id")
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return ids, nil
}
