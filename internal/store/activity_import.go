package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"zhendi/internal/audit"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// ImportBatch is one uploaded import file: previewed first (status
// "preview"), then imported under the same id (status "done"). The file
// itself is a content-addressed blob (SHA256).
type ImportBatch struct {
	ID       int64
	UnitID   int64
	FileName string
	SHA256   string
	Size     int64
	Status   string // "preview" or "done"
	// Kind is "ledger" (the default) or "opinion": what the file imports.
	Kind      string
	Rows      int   // data rows in the file
	Created   int   // entries created (done batches)
	Skipped   int   // rows already imported earlier
	History   int   // created entries that are imported history
	CreatedAt int64 // unix seconds
	CreatedBy int64
}

// ImportResult says what an import did, or (preview) would do.
type ImportResult struct {
	Created int
	Skipped int // already imported (same import key)
	// History counts the created entries dated before the unit's first
	// entry recorded in the system (Since): imported history, not 补记.
	History int
	// Since is the day (YYYY-MM-DD) the unit first recorded an entry in the
	// system, "" when it has none yet (then every imported entry is history).
	Since string
	IDs   []int64 // the created entries (empty for a preview)
	Skip  []int   // indexes into the activities of the rows skipped
}

// errPreview rolls back a preview's transaction.
var errPreview = errors.New("preview only")

// ImportActivities stores validated entries of one unit in a single
// transaction: all or nothing. Entries whose ImportKey already exists in the
// unit (live or deleted) are skipped, so importing a file twice adds nothing.
// check (typically ledger.Activity.ResolveImport with the importer's scope)
// judges each new entry with its row number (1-based) and references; its
// first error aborts the import.
//
// Each created entry records batch and its Import.Row, Import.Claimed, and
// whether it is history (dated before the unit's first entry recorded in
// the system). With commit false nothing is written: the same checks run
// and the result says what an import would do (the preview). With commit
// true the batch (which must be the unit's, still "preview") is marked done
// in the same transaction, with its audit entry naming the created ids; a
// batch already done is a user error, so a second click imports nothing.
func (s *Store) ImportActivities(ctx context.Context, actor Actor, unitID, batchID int64, acts []ledger.Activity,
	check func(row int, a *ledger.Activity, r ledger.Refs) error, commit bool) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if commit {
			var status string
			// Under the row lock: two nodes confirming the same batch at once
			// (the per-unit guard is per process) import it once.
			err := tx.QueryRowContext(ctx, "SELECT status FROM import_batches WHERE id = $1 AND unit_id = $2 AND kind = 'ledger'"+s.forUpdate(), batchID, unitID).Scan(&status)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("read import batch %d: %w", batchID, err)
			}
			if status != "preview" {
				return ErrBatchDone
			}
		}
		var since sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT MIN(created_at) FROM activities WHERE unit_id = $1 AND import_batch_id IS NULL", unitID).Scan(&since); err != nil {
			return fmt.Errorf("read first recorded entry: %w", err)
		}
		if since.Valid {
			res.Since = time.Unix(since.Int64, 0).In(cntime.Zone).Format(cntime.DateLayout)
		}
		docs := make([]searchDoc, 0, len(acts))
		for i := range acts {
			a := &acts[i]
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM activities WHERE unit_id = $1 AND import_key = $2", unitID, a.ImportKey).Scan(&n); err != nil {
				return fmt.Errorf("check import key: %w", err)
			}
			if n > 0 {
				res.Skipped++
				res.Skip = append(res.Skip, i)
				continue
			}
			r, err := activityRefs(ctx, tx, a)
			if err != nil {
				return fmt.Errorf("import row %d: %w", i+1, err)
			}
			// History first: the check requires a 补记 reason of the
			// other rows only.
			a.Import.History = res.Since == "" || a.Date < res.Since
			if a.Import.History {
				a.LateReason = ""
			}
			if err := check(i+1, a, r); err != nil {
				return err
			}
			a.Import.BatchID = batchID
			if a.Import.History {
				res.History++
			}
			res.Created++
			if !commit {
				continue
			}
			if err := s.insertActivity(ctx, tx, actor, a); err != nil {
				return fmt.Errorf("import row %d: %w", i+1, err)
			}
			res.IDs = append(res.IDs, a.ID)
			docs = append(docs, searchDoc{a.ID, a.SearchText()})
		}
		if !commit {
			return errPreview
		}
		if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET status = 'done', created = $1, skipped = $2, history = $3, done_at = $4
			WHERE id = $5`, res.Created, res.Skipped, res.History, s.Now().Unix(), batchID); err != nil {
			return fmt.Errorf("close import batch %d: %w", batchID, err)
		}
		if err := s.appendAudit(ctx, tx, actor, unitID, "activity.import", "import_batch", batchID, nil,
			map[string]any{"created": res.Created, "skipped": res.Skipped, "history": res.History, "ids": audit.IDRanges(res.IDs)}); err != nil {
			return err
		}
		return s.indexActivities(ctx, tx, docs, false)
	})
	if errors.Is(err, errPreview) {
		res.IDs = nil
		return res, nil
	}
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// ErrBatchDone is the error of confirming a batch that is already
// imported (a second click, a reloaded page): nothing is imported again.
var ErrBatchDone = errors.New("import batch already imported")

// CreateImportBatch records a previewed upload (status "preview") of unit
// b.UnitID whose file is already stored as blob b.SHA256, with its audit
// entry; b.ID and b.CreatedAt are set.
func (s *Store) CreateImportBatch(ctx context.Context, actor Actor, b *ImportBatch) error {
	b.Status, b.CreatedAt, b.CreatedBy = "preview", s.Now().Unix(), actor.UserID
	action := "activity.import_preview"
	switch b.Kind {
	case "", "ledger":
		b.Kind = "ledger"
	case "opinion":
		action = "opinion.import_preview"
	default:
		return fmt.Errorf("import batch of unknown kind %q", b.Kind)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO import_batches (unit_id, file_name, sha256, size, status, rows, created_at, created_by, kind)
			VALUES ($1,$2,$3,$4,'preview',$5,$6,$7,$8) RETURNING id`,
			b.UnitID, b.FileName, b.SHA256, b.Size, b.Rows, b.CreatedAt, nullID(actor.UserID), b.Kind).Scan(&b.ID)
		if err != nil {
			return fmt.Errorf("insert import batch: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, b.UnitID, action, "import_batch", b.ID, nil,
			map[string]any{"file": b.FileName, "sha256": b.SHA256, "rows": b.Rows})
	})
}

// ImportBatchOf returns the ledger import batch id of unit unitID;
// ErrNotFound for another unit's batch, an opinion batch, or none.
func (s *Store) ImportBatchOf(ctx context.Context, unitID, id int64) (ImportBatch, error) {
	return s.importBatch(ctx, "ledger", unitID, id)
}

// OpinionImportBatch returns the opinion import batch id of unit unitID;
// ErrNotFound for another unit's batch, a ledger batch, or none.
func (s *Store) OpinionImportBatch(ctx context.Context, unitID, id int64) (ImportBatch, error) {
	return s.importBatch(ctx, "opinion", unitID, id)
}

func (s *Store) importBatch(ctx context.Context, kind string, unitID, id int64) (ImportBatch, error) {
	var b ImportBatch
	err := s.db.QueryRowContext(ctx, `SELECT id, unit_id, file_name, sha256, size, status, kind, rows, created, skipped, history, created_at, COALESCE(created_by,0)
		FROM import_batches WHERE id = $1 AND unit_id = $2 AND kind = $3`, id, unitID, kind).Scan(&b.ID, &b.UnitID, &b.FileName, &b.SHA256, &b.Size, &b.Status,
		&b.Kind, &b.Rows, &b.Created, &b.Skipped, &b.History, &b.CreatedAt, &b.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	if err != nil {
		return b, fmt.Errorf("read import batch %d: %w", id, err)
	}
	return b, nil
}

// ImportBatchFile reads the stored file of batch b, at most limit bytes.
func (s *Store) ImportBatchFile(b ImportBatch, limit int64) ([]byte, error) {
	f, err := s.openBlob(b.SHA256)
	if err != nil {
		return nil, fmt.Errorf("open file of import batch %d: %w", b.ID, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("read file of import batch %d: %w", b.ID, err)
	}
	return data, nil
}
