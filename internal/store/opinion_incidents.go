package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/incident"
)

// 舆情处置: incidents, their five steps and evidence files. Who may change
// what and how a step completes are incident's rules (Edit, SaveStep,
// CheckEvidence): the service passes them in and they run here on the
// locked rows.

const incidentCols = `i.id, i.unit_id, COALESCE(i.event_id,0), i.title, i.level, i.found_at, i.summary, i.status, i.authority_at, i.presser_at,
	COALESCE(i.created_by,0), COALESCE(cu.name,''), i.created_at, i.updated_at, i.closed_at`

const incidentFrom = ` FROM opinion_incidents i LEFT JOIN users cu ON cu.id = i.created_by`

func scanIncident(row interface{ Scan(...any) error }) (incident.Incident, error) {
	var in incident.Incident
	err := row.Scan(&in.ID, &in.UnitID, &in.EventID, &in.Title, &in.Level, &in.FoundAt, &in.Summary, &in.Status, &in.AuthorityAt, &in.PresserAt,
		&in.CreatedBy, &in.CreatorName, &in.CreatedAt, &in.UpdatedAt, &in.ClosedAt)
	return in, err
}

// incidentScope: the unit's readers see its incidents; anyone else the
// incidents with a step they answer for.
func incidentScope(sc access.Scope, a *args) string {
	var or []string
	if len(sc.ReadUnits) > 0 {
		or = append(or, "i.unit_id IN ("+a.in(sc.ReadUnits)+")")
	}
	if sc.UserID != 0 {
		or = append(or, "EXISTS (SELECT 1 FROM opinion_incident_steps os WHERE os.incident_id = i.id AND os.owner_id = "+a.add(sc.UserID)+")")
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	UnitID  int64
	Status  string
	Level   string
	EventID int64
	// From and To bound the discovery time (unix seconds, To exclusive; 0
	// open).
	From, To int64
	Limit    int
}

// Incidents lists incidents in scope, newest found first, with their steps
// (the list shows the current step and the time limits).
func (s *Store) Incidents(ctx context.Context, sc access.Scope, f IncidentFilter) ([]incident.Incident, error) {
	var a args
	w := []string{incidentScope(sc, &a)}
	if f.UnitID != 0 {
		w = append(w, "i.unit_id = "+a.add(f.UnitID))
	}
	if f.Status != "" {
		w = append(w, "i.status = "+a.add(f.Status))
	}
	if f.Level != "" {
		w = append(w, "i.level = "+a.add(f.Level))
	}
	if f.EventID != 0 {
		w = append(w, "i.event_id = "+a.add(f.EventID))
	}
	if f.From != 0 {
		w = append(w, "i.found_at >= "+a.add(f.From))
	}
	if f.To != 0 {
		w = append(w, "i.found_at < "+a.add(f.To))
	}
	q := "SELECT " + incidentCols + incidentFrom + " WHERE " + joinAnd(w) + " ORDER BY i.found_at DESC, i.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	var out []incident.Incident
	for rows.Next() {
		in, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	steps, err := incidentSteps(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Steps = steps[out[i].ID]
	}
	return out, nil
}

// incidentSteps reads the steps of incidents, in workflow order.
func incidentSteps(ctx context.Context, q queryer, ids []int64) (map[int64][]incident.Step, error) {
	out := map[int64][]incident.Step{}
	for chunk := range slices.Chunk(ids, 500) {
		var a args
		rows, err := q.QueryContext(ctx, `SELECT s.incident_id, s.step, COALESCE(s.owner_id,0), COALESCE(ou.name,''), s.note, s.text, s.done_at, COALESCE(s.done_by,0), COALESCE(du.name,'')
			FROM opinion_incident_steps s LEFT JOIN users ou ON ou.id = s.owner_id LEFT JOIN users du ON du.id = s.done_by
			WHERE s.incident_id IN (`+a.in(chunk)+`)`, a...)
		if err != nil {
			return nil, fmt.Errorf("read incident steps: %w", err)
		}
		for rows.Next() {
			var id int64
			var st incident.Step
			if err := rows.Scan(&id, &st.Key, &st.OwnerID, &st.OwnerName, &st.Note, &st.Text, &st.DoneAt, &st.DoneBy, &st.DoneName); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for id, sts := range out {
		slices.SortFunc(sts, func(x, y incident.Step) int {
			return slices.Index(incident.Steps, x.Key) - slices.Index(incident.Steps, y.Key)
		})
		out[id] = sts
	}
	return out, nil
}

// Incident returns one incident in scope with its steps and files.
func (s *Store) Incident(ctx context.Context, sc access.Scope, id int64) (incident.Incident, error) {
	return s.readIncident(ctx, s.db, sc, id)
}

func (s *Store) readIncident(ctx context.Context, q dbOrTx, sc access.Scope, id int64) (incident.Incident, error) {
	var a args
	in, err := scanIncident(q.QueryRowContext(ctx, "SELECT "+incidentCols+incidentFrom+" WHERE i.id = "+a.add(id)+" AND "+incidentScope(sc, &a), a...))
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrNotFound
	} else if err != nil {
		return in, fmt.Errorf("read incident %d: %w", id, err)
	}
	steps, err := incidentSteps(ctx, q, []int64{id})
	if err != nil {
		return in, err
	}
	in.Steps = steps[id]
	rows, err := q.QueryContext(ctx, "SELECT id, incident_id, step, name, mime, size, sha256, created_at FROM opinion_incident_files WHERE incident_id = $1 ORDER BY id", id)
	if err != nil {
		return in, fmt.Errorf("list incident files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f incident.File
		if err := rows.Scan(&f.ID, &f.IncidentID, &f.Step, &f.Name, &f.Mime, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return in, err
		}
		in.Files = append(in.Files, f)
	}
	return in, rows.Err()
}

// CreateIncident starts an incident in a unit with its five steps, all
// assigned to owner. The caller has checked who may (incident.CanManage)
// and the fields (Validate); the store requires the unit to be writable
// by the scope (else ErrNotFound) and the owner to be an enabled member
// of it (incident.ErrOwnerNotUnit).
func (s *Store) CreateIncident(ctx context.Context, actor Actor, sc access.Scope, in *incident.Incident) error {
	if !slices.Contains(sc.WriteUnits, in.UnitID) {
		return ErrNotFound
	}
	in.Status = incident.StatusOpen
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, st := range in.Steps {
			if err := checkIncidentOwner(ctx, tx, st.OwnerID, in.UnitID); err != nil {
				return err
			}
		}
		now := s.Now().Unix()
		err := tx.QueryRowContext(ctx, `INSERT INTO opinion_incidents (unit_id, event_id, title, level, found_at, summary, status, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
			in.UnitID, nullID(in.EventID), in.Title, in.Level, in.FoundAt, in.Summary, in.Status, nullID(actor.UserID), now, now).Scan(&in.ID)
		if err != nil {
			return fmt.Errorf("insert incident: %w", err)
		}
		in.CreatedAt, in.UpdatedAt, in.CreatedBy = now, now, actor.UserID
		for _, st := range in.Steps {
			_, err := tx.ExecContext(ctx, "INSERT INTO opinion_incident_steps (incident_id, step, owner_id) VALUES ($1,$2,$3)", in.ID, st.Key, nullID(st.OwnerID))
			if err != nil {
				return fmt.Errorf("insert incident step: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, in.UnitID, "incident.create", "incident", in.ID, nil, incidentSnap(*in))
	})
}

func checkIncidentOwner(ctx context.Context, tx *sql.Tx, owner, unitID int64) error {
	if owner == 0 {
		return incident.ErrNoOwner
	}
	in, err := userInUnit(ctx, tx, owner, unitID, true)
	if err != nil {
		return err
	}
	if !in {
		return incident.ErrOwnerNotUnit
	}
	return nil
}

func incidentSnap(in incident.Incident) map[string]any {
	m := map[string]any{"title": in.Title, "level": in.Level, "found_at": in.FoundAt, "summary": in.Summary, "status": in.Status, "event": in.EventID,
		"authority_at": in.AuthorityAt, "presser_at": in.PresserAt}
	for _, st := range in.Steps {
		m["step."+st.Key] = map[string]any{"owner": st.OwnerID, "note": st.Note, "text": st.Text, "done_at": st.DoneAt}
	}
	return m
}

// lockIncident reads an incident in scope for change (ErrNotFound when
// missing or out of scope). On PostgreSQL the row is locked.
func (s *Store) lockIncident(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (incident.Incident, error) {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT id FROM opinion_incidents WHERE id = $1 FOR UPDATE", id); err != nil {
			return incident.Incident{}, fmt.Errorf("lock incident %d: %w", id, err)
		}
	}
	return s.readIncident(ctx, tx, sc, id)
}

// UpdateIncident changes an incident: change (incident.Edit or
// incident.SaveStep, as the service passes it) turns the locked incident
// into the new one or refuses. Step owners must be enabled members of the
// unit. action names the audit entry ("incident.update",
// "incident.step"). It returns the incident as saved.
func (s *Store) UpdateIncident(ctx context.Context, actor Actor, sc access.Scope, id int64, action string, change func(*incident.Incident) error) (incident.Incident, error) {
	var in incident.Incident
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockIncident(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		in = before
		in.Steps = slices.Clone(before.Steps)
		if err := change(&in); err != nil {
			return err
		}
		in.ID, in.UnitID = before.ID, before.UnitID
		in.UpdatedAt = s.Now().Unix()
		_, err = tx.ExecContext(ctx, `UPDATE opinion_incidents SET title=$1, level=$2, found_at=$3, summary=$4, status=$5, authority_at=$6, presser_at=$7,
			updated_at=$8, closed_at=$9 WHERE id=$10`,
			in.Title, in.Level, in.FoundAt, in.Summary, in.Status, in.AuthorityAt, in.PresserAt, in.UpdatedAt, in.ClosedAt, in.ID)
		if err != nil {
			return fmt.Errorf("update incident: %w", err)
		}
		for i, st := range in.Steps {
			if i < len(before.Steps) && st == before.Steps[i] {
				continue
			}
			if i >= len(before.Steps) || st.OwnerID != before.Steps[i].OwnerID {
				if err := checkIncidentOwner(ctx, tx, st.OwnerID, in.UnitID); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, "UPDATE opinion_incident_steps SET owner_id=$1, note=$2, text=$3, done_at=$4, done_by=$5 WHERE incident_id=$6 AND step=$7",
				nullID(st.OwnerID), st.Note, st.Text, st.DoneAt, nullID(st.DoneBy), in.ID, st.Key)
			if err != nil {
				return fmt.Errorf("update incident step: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, in.UnitID, action, "incident", in.ID, incidentSnap(before), incidentSnap(in))
	})
	return in, err
}

// dbOrTx is a database or a transaction.
type dbOrTx interface {
	queryer
	rowQueryer
}

// IncidentUpload is an evidence file to store.
type IncidentUpload struct {
	Name string
	Mime string
	Data []byte
}

// AddIncidentFiles stores evidence files on a step: the content-addressed
// files first, then in one transaction check (incident.CheckEvidence) on
// the locked incident and a row and an audit entry per file.
func (s *Store) AddIncidentFiles(ctx context.Context, actor Actor, sc access.Scope, id int64, step string, files []IncidentUpload, check func(incident.Incident) error) ([]incident.File, error) {
	out := make([]incident.File, len(files))
	for i, f := range files {
		sum, err := s.PutBlob(f.Data)
		if err != nil {
			return nil, err
		}
		out[i] = incident.File{IncidentID: id, Step: step, Name: f.Name, Mime: f.Mime, Size: int64(len(f.Data)), SHA256: sum}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		in, err := s.lockIncident(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := check(in); err != nil {
			return err
		}
		now := s.Now().Unix()
		for i := range out {
			f := &out[i]
			f.CreatedAt = now
			err = tx.QueryRowContext(ctx, `INSERT INTO opinion_incident_files (incident_id, step, name, mime, size, sha256, created_at, created_by)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, id, step, f.Name, f.Mime, f.Size, f.SHA256, now, nullID(actor.UserID)).Scan(&f.ID)
			if err != nil {
				return fmt.Errorf("insert incident file: %w", err)
			}
			err = s.appendAudit(ctx, tx, actor, in.UnitID, "incident.file", "incident", id, nil,
				map[string]any{"file": f.ID, "step": step, "name": f.Name, "sha256": f.SHA256, "size": f.Size})
			if err != nil {
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

// OpenIncidentFile returns an evidence file of an incident in scope.
func (s *Store) OpenIncidentFile(ctx context.Context, sc access.Scope, id, fileID int64) (incident.File, io.ReadSeekCloser, error) {
	in, err := s.Incident(ctx, sc, id)
	if err != nil {
		return incident.File{}, nil, err
	}
	for _, f := range in.Files {
		if f.ID == fileID {
			fh, err := s.openBlob(f.SHA256)
			return f, fh, err
		}
	}
	return incident.File{}, nil, ErrNotFound
}

// OpenIncidents lists every open incident of the given units (the
// reminder round, which answers for every unit).
func (s *Store) OpenIncidents(ctx context.Context, unitIDs []int64) ([]incident.Incident, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	return s.Incidents(ctx, access.Scope{ReadUnits: unitIDs}, IncidentFilter{Status: incident.StatusOpen})
}
