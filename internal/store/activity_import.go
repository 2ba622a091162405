package store

import (
	"context"
	"database/sql"
	"fmt"

	"zhendi/internal/ledger"
)

// ImportResult says what an import did.
type ImportResult struct {
	Created int
	Skipped int // already imported (same import key)
}

// ImportActivities stores validated entries of one unit in a single
// transaction: all or nothing. Entries whose ImportKey already exists in the
// unit (live or deleted) are skipped, so importing a file twice adds nothing.
// check (typically ledger.Activity.ResolveImport with the importer's scope)
// judges each new entry with its row number (1-based) and references; its
// first error aborts the import.
func (s *Store) ImportActivities(ctx context.Context, actor Actor, unitID int64, acts []ledger.Activity,
	check func(row int, a *ledger.Activity, r ledger.Refs) error) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		docs := make([]searchDoc, 0, len(acts))
		for i := range acts {
			a := &acts[i]
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM activities WHERE unit_id = $1 AND import_key = $2", unitID, a.ImportKey).Scan(&n); err != nil {
				return fmt.Errorf("check import key: %w", err)
			}
			if n > 0 {
				res.Skipped++
				continue
			}
			r, err := activityRefs(ctx, tx, a)
			if err != nil {
				return fmt.Errorf("import row %d: %w", i+1, err)
			}
			if err := check(i+1, a, r); err != nil {
				return err
			}
			if err := s.insertActivity(ctx, tx, actor, a); err != nil {
				return fmt.Errorf("import row %d: %w", i+1, err)
			}
			docs = append(docs, searchDoc{a.ID, a.SearchText()})
			res.Created++
		}
		if err := s.appendAudit(ctx, tx, actor, unitID, "activity.import", "unit", unitID, nil,
			map[string]int{"created": res.Created, "skipped": res.Skipped}); err != nil {
			return err
		}
		return s.indexActivities(ctx, tx, docs, false)
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}
