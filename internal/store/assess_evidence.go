package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"zhendi/internal/assess"
)

// Evidence files of accountability cases and the 干部考察 records. Both
// are as private as the cases: who may see them is passed in as see
// (assess.CanSeeCases), a unit it refuses is not found, and every read is
// audited.

// CaseUpload is an evidence file to store on a case.
type CaseUpload struct {
	Name string
	Mime string
	Data []byte
}

// AddCaseFiles stores evidence files on a case: the content-addressed
// files first (a leftover file is harmless), then in one transaction a
// row and an audit entry per file, when manage allows the case's unit.
func (s *Store) AddCaseFiles(ctx context.Context, actor Actor, id int64, files []CaseUpload, manage func(unitID int64) bool) ([]assess.CaseFile, error) {
	out := make([]assess.CaseFile, len(files))
	for i, f := range files {
		sum, err := s.PutBlob(f.Data)
		if err != nil {
			return nil, err
		}
		out[i] = assess.CaseFile{CaseID: id, Name: f.Name, Mime: f.Mime, Size: int64(len(f.Data)), SHA256: sum}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var unit int64
		err := tx.QueryRowContext(ctx, "SELECT unit_id FROM assess_cases WHERE id = $1", id).Scan(&unit)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read case %d: %w", id, err)
		}
		if !manage(unit) {
			return ErrNotFound
		}
		now := s.Now().Unix()
		for i := range out {
			f := &out[i]
			f.CreatedAt = now
			err = tx.QueryRowContext(ctx, `INSERT INTO assess_case_files (case_id, name, mime, size, sha256, created_at, created_by)
				VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, id, f.Name, f.Mime, f.Size, f.SHA256, now, nullID(actor.UserID)).Scan(&f.ID)
			if err != nil {
				return fmt.Errorf("insert case file: %w", err)
			}
			if err := s.appendAudit(ctx, tx, actor, unit, "assess.case.file", "case", id, nil,
				map[string]any{"file": f.ID, "name": f.Name, "sha256": f.SHA256, "size": f.Size}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func caseFiles(ctx context.Context, q queryer, id int64) ([]assess.CaseFile, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, case_id, name, mime, size, sha256, created_at FROM assess_case_files WHERE case_id = $1 ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("case files: %w", err)
	}
	defer rows.Close()
	var out []assess.CaseFile
	for rows.Next() {
		var f assess.CaseFile
		if err := rows.Scan(&f.ID, &f.CaseID, &f.Name, &f.Mime, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// OpenCaseFile returns an evidence file of a case see allows, with the
// case's unit (for the caller's audited download entry).
func (s *Store) OpenCaseFile(ctx context.Context, id, fileID int64, see func(unitID int64) bool) (assess.CaseFile, int64, io.ReadSeekCloser, error) {
	unit, err := s.CaseUnit(ctx, id)
	if err != nil {
		return assess.CaseFile{}, 0, nil, err
	}
	if !see(unit) {
		return assess.CaseFile{}, 0, nil, ErrNotFound
	}
	files, err := caseFiles(ctx, s.db, id)
	if err != nil {
		return assess.CaseFile{}, 0, nil, err
	}
	for _, f := range files {
		if f.ID == fileID {
			fh, err := s.openBlob(f.SHA256)
			return f, unit, fh, err
		}
	}
	return assess.CaseFile{}, 0, nil, ErrNotFound
}

const cadreCols = `r.id, r.unit_id, r.user_id, u.name, r.year, r.unit_total, r.unit_rank, r.frozen, COALESCE(r.debrief_id,0), r.good, r.fair, r.average, r.poor,
	r.cases, r.use_note, r.recorded_at, COALESCE(r.recorded_by,0)`

// CadreRecords lists a unit's 干部考察 records of a year (0: all years)
// when see allows the unit, and audits the view.
func (s *Store) CadreRecords(ctx context.Context, actor Actor, unitID int64, year int, see func(unitID int64) bool) ([]assess.CadreRecord, error) {
	if !see(unitID) {
		return nil, ErrNotFound
	}
	var a args
	q := "SELECT " + cadreCols + " FROM assess_cadre_records r JOIN users u ON u.id = r.user_id WHERE r.unit_id = " + a.add(unitID)
	if year != 0 {
		q += " AND r.year = " + a.add(year)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY r.year DESC, u.sort, u.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list cadre records: %w", err)
	}
	defer rows.Close()
	var out []assess.CadreRecord
	for rows.Next() {
		var r assess.CadreRecord
		var total sql.NullFloat64
		var frozen int
		if err := rows.Scan(&r.ID, &r.UnitID, &r.UserID, &r.UserName, &r.Year, &total, &r.UnitRank, &frozen, &r.DebriefID, &r.Good, &r.Fair, &r.Average, &r.Poor,
			&r.Cases, &r.UseNote, &r.RecordedAt, &r.RecordedBy); err != nil {
			return nil, err
		}
		if total.Valid {
			v := total.Float64
			r.UnitTotal = &v
		}
		r.Frozen = frozen == 1
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, actor, unitID, "assess.cadre.view", "unit", unitID, map[string]any{"year": year}); err != nil {
		return nil, err
	}
	return out, nil
}

// SaveCadreRecord writes (or rewrites) a leader's record for the year when
// manage allows the unit; the leader must belong to it.
func (s *Store) SaveCadreRecord(ctx context.Context, actor Actor, r *assess.CadreRecord, manage func(unitID int64) bool) error {
	if !manage(r.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		in, err := userInUnit(ctx, tx, r.UserID, r.UnitID, false)
		if err != nil {
			return err
		}
		if !in {
			return assess.ErrCadrePerson
		}
		r.RecordedAt, r.RecordedBy = s.Now().Unix(), actor.UserID
		var total any
		if r.UnitTotal != nil {
			total = *r.UnitTotal
		}
		var before map[string]any
		var old int64
		err = tx.QueryRowContext(ctx, "SELECT id FROM assess_cadre_records WHERE user_id = $1 AND year = $2", r.UserID, r.Year).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, `INSERT INTO assess_cadre_records (unit_id, user_id, year, unit_total, unit_rank, frozen, debrief_id, good, fair, average, poor,
				cases, use_note, recorded_at, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING id`,
				r.UnitID, r.UserID, r.Year, total, r.UnitRank, b2i(r.Frozen), nullID(r.DebriefID), r.Good, r.Fair, r.Average, r.Poor, r.Cases, r.UseNote,
				r.RecordedAt, nullID(actor.UserID)).Scan(&r.ID)
		case err == nil:
			r.ID, before = old, map[string]any{"id": old}
			_, err = tx.ExecContext(ctx, `UPDATE assess_cadre_records SET unit_id=$1, unit_total=$2, unit_rank=$3, frozen=$4, debrief_id=$5, good=$6, fair=$7, average=$8,
				poor=$9, cases=$10, use_note=$11, recorded_at=$12, recorded_by=$13 WHERE id=$14`, r.UnitID, total, r.UnitRank, b2i(r.Frozen), nullID(r.DebriefID),
				r.Good, r.Fair, r.Average, r.Poor, r.Cases, r.UseNote, r.RecordedAt, nullID(actor.UserID), old)
		}
		if err != nil {
			return fmt.Errorf("save cadre record: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, r.UnitID, "assess.cadre.save", "user", r.UserID, before, map[string]any{"year": r.Year, "unit_total": total,
			"rank": r.UnitRank, "debrief": r.DebriefID, "cases": r.Cases, "use": r.UseNote})
	})
}
