package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

// DocSettings reads how a unit's documents are finished; a unit that has
// saved none gets empty settings (the defaults of org.DocSettings).
func (s *Store) DocSettings(ctx context.Context, unitID int64) (org.DocSettings, error) {
	return docSettings(ctx, s.db, unitID)
}

func docSettings(ctx context.Context, q rowQueryer, unitID int64) (org.DocSettings, error) {
	var d org.DocSettings
	err := q.QueryRowContext(ctx, `SELECT issuer, recipient, cc, printer, doc_prefix FROM doc_settings WHERE unit_id = $1`, unitID).
		Scan(&d.Issuer, &d.Recipient, &d.CC, &d.Printer, &d.Prefix)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	} else if err != nil {
		return d, fmt.Errorf("read doc settings of unit %d: %w", unitID, err)
	}
	return d, nil
}

// SetDocSettings saves a unit's or a district's document settings
// (validated by the caller) with their audit entry. ErrNotFound when the
// scope may not set them (access.Scope.SetsDocs).
func (s *Store) SetDocSettings(ctx context.Context, actor Actor, sc access.Scope, unitID int64, d org.DocSettings) error {
	if !sc.SetsDocs(unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := docSettings(ctx, tx, unitID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO doc_settings (unit_id, issuer, recipient, cc, printer, doc_prefix, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT (unit_id) DO UPDATE SET issuer = excluded.issuer, recipient = excluded.recipient, cc = excluded.cc,
			printer = excluded.printer, doc_prefix = excluded.doc_prefix, updated_at = excluded.updated_at`,
			unitID, d.Issuer, d.Recipient, d.CC, d.Printer, d.Prefix, s.Now().Unix())
		if err != nil {
			return fmt.Errorf("save doc settings of unit %d: %w", unitID, err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "doc.settings", "unit", unitID, before, d)
	})
}
