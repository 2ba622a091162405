package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

// readsNode reports whether the scope reads a node's documents: a unit it
// reads in full, or a district where it is 上级督查.
func readsNode(sc access.Scope, nodeID int64) bool {
	return slices.Contains(sc.ReadUnits, nodeID) || slices.Contains(sc.SuperviseDistricts, nodeID)
}

const docNumberCols = `n.id, n.node_id, n.year, n.seq, n.prefix, n.kind, n.subject, n.title, n.issued_at, COALESCE(n.issued_by, 0), COALESCE(u.name, '')`

func scanDocNumber(r interface{ Scan(...any) error }) (org.DocNumber, error) {
	var n org.DocNumber
	err := r.Scan(&n.ID, &n.NodeID, &n.Year, &n.Seq, &n.Prefix, &n.Kind, &n.Subject, &n.Title, &n.IssuedAt, &n.IssuedBy, &n.IssuerName)
	return n, err
}

// IssueDocNumber gives the document n names (NodeID, Kind, Subject) its
// 发文字号 in n.Year with n.Prefix, the next number of the node's year,
// with its audit entry; a document already numbered keeps its number
// (n is filled with it and nothing is written). ErrNotFound when the
// scope may not issue the node's documents (access.Scope.SetsDocs).
// Numbers are never reused: register rows are never deleted.
func (s *Store) IssueDocNumber(ctx context.Context, actor Actor, sc access.Scope, n *org.DocNumber) error {
	if !sc.SetsDocs(n.NodeID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		got, err := scanDocNumber(tx.QueryRowContext(ctx, "SELECT "+docNumberCols+` FROM doc_numbers n LEFT JOIN users u ON u.id = n.issued_by
			WHERE n.node_id = $1 AND n.kind = $2 AND n.subject = $3`, n.NodeID, n.Kind, n.Subject))
		if err == nil {
			*n = got
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read doc number: %w", err)
		}
		// Serialise numbering per node: the settings row is locked (the
		// caller made sure it exists, as it holds the prefix).
		if _, err := tx.ExecContext(ctx, "UPDATE doc_settings SET updated_at = updated_at WHERE unit_id = $1", n.NodeID); err != nil {
			return fmt.Errorf("lock doc numbering: %w", err)
		}
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM doc_numbers WHERE node_id = $1 AND year = $2", n.NodeID, n.Year).Scan(&n.Seq); err != nil {
			return fmt.Errorf("next doc number: %w", err)
		}
		n.IssuedAt, n.IssuedBy, n.IssuerName = s.Now().Unix(), actor.UserID, actor.Name
		err = tx.QueryRowContext(ctx, `INSERT INTO doc_numbers (node_id, year, seq, prefix, kind, subject, title, issued_at, issued_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, n.NodeID, n.Year, n.Seq, n.Prefix, n.Kind, n.Subject, n.Title, n.IssuedAt, nullID(n.IssuedBy)).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("save doc number: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, n.NodeID, "doc.number", "doc_number", n.ID, nil,
			map[string]any{"number": n.String(), "title": n.Title, "subject": n.Subject})
	})
}

// DocNumberOf is the 发文字号 of one document, ErrNotFound when it has
// none yet or the scope does not read the node.
func (s *Store) DocNumberOf(ctx context.Context, sc access.Scope, nodeID int64, kind, subject string) (org.DocNumber, error) {
	if !readsNode(sc, nodeID) {
		return org.DocNumber{}, ErrNotFound
	}
	n, err := scanDocNumber(s.db.QueryRowContext(ctx, "SELECT "+docNumberCols+` FROM doc_numbers n LEFT JOIN users u ON u.id = n.issued_by
		WHERE n.node_id = $1 AND n.kind = $2 AND n.subject = $3`, nodeID, kind, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	}
	if err != nil {
		return n, fmt.Errorf("read doc number: %w", err)
	}
	return n, nil
}

// DocNumbers is a node's 发文字号 register, newest first.
func (s *Store) DocNumbers(ctx context.Context, sc access.Scope, nodeID int64) ([]org.DocNumber, error) {
	if !readsNode(sc, nodeID) {
		return nil, ErrNotFound
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+docNumberCols+` FROM doc_numbers n LEFT JOIN users u ON u.id = n.issued_by
		WHERE n.node_id = $1 ORDER BY n.year DESC, n.seq DESC`, nodeID)
	if err != nil {
		return nil, fmt.Errorf("list doc numbers: %w", err)
	}
	defer rows.Close()
	var out []org.DocNumber
	for rows.Next() {
		n, err := scanDocNumber(rows)
		if err != nil {
			return nil, fmt.Errorf("list doc numbers: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
