package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
)

// Upload is a checked file from a form (type and size already verified),
// to be stored with an activity.
type Upload struct {
	Name string // file name as shown and downloaded
	Mime string
	Kind string // "report" for the report document of 分析研判, else ""
	Data []byte
}

// storeFiles writes the uploads' content-addressed files and returns their
// attachment records, ready for the transaction that names them. A file
// written here and then not recorded (the transaction fails) is harmless.
func (s *Service) storeFiles(files []Upload) ([]ledger.Attachment, error) {
	atts := make([]ledger.Attachment, 0, len(files))
	for _, f := range files {
		sum, err := s.st.PutBlob(f.Data)
		if err != nil {
			return nil, fmt.Errorf("store file %q: %w", f.Name, err)
		}
		atts = append(atts, ledger.Attachment{Name: f.Name, Mime: f.Mime, Kind: f.Kind, SHA256: sum, Size: int64(len(f.Data))})
	}
	return atts, nil
}

// CreateActivity records a new ledger entry with its attendance and files:
// an entry of a report type (分析研判) needs at least one file; the entry is
// validated against its type; the files are written; then the entry, its
// attendance, its attachments and their audit entries are saved in one
// transaction, where the organising node, the people and the plan item are
// checked against the database and the scope (ledger.Activity.Resolve).
// So a failure at any step leaves nothing behind but unreferenced files, and
// a retry cannot make a duplicate of a half-saved entry. a.ID is set.
func (s *Service) CreateActivity(ctx context.Context, actor store.Actor, sc access.Scope, a *ledger.Activity, files []Upload) error {
	t, _ := ledger.TypeByCode(a.Type)
	if err := t.CheckDocuments(len(files)); err != nil {
		return err
	}
	if err := a.Validate(s.now()); err != nil {
		return fmt.Errorf("create activity: %w", err)
	}
	if err := a.CheckLateReason(s.now(), cntime.Zone, s.cfg.LateDays); err != nil {
		return fmt.Errorf("create activity: %w", err)
	}
	atts, err := s.storeFiles(files)
	if err != nil {
		return fmt.Errorf("create activity: %w", err)
	}
	err = s.st.CreateActivity(ctx, actor, a, atts, func(a *ledger.Activity, r ledger.Refs) error { return a.Resolve(sc, r) })
	if err != nil {
		return fmt.Errorf("create activity: %w", err)
	}
	return nil
}

// UpdateActivity changes an entry the scope may write (see
// ledger.Activity.ResolveUpdate); its type, unit and recording time stay.
func (s *Service) UpdateActivity(ctx context.Context, actor store.Actor, sc access.Scope, a *ledger.Activity) error {
	if err := a.Validate(s.now()); err != nil {
		return fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	err := s.st.UpdateActivity(ctx, actor, sc, a, func(before ledger.Activity, a *ledger.Activity, r ledger.Refs) error {
		return a.ResolveUpdate(sc, before, r)
	})
	if err != nil {
		return fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	return nil
}

// writeCheck is the rule of the changes that only need write access.
func writeCheck(sc access.Scope) func(ledger.Activity) error {
	return func(a ledger.Activity) error { return ledger.CheckWrite(sc, a) }
}

// DeleteActivity moves an entry the scope may write to the recycle bin;
// apperr.ErrNotFound when it cannot see or change it.
func (s *Service) DeleteActivity(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	if err := s.st.DeleteActivity(ctx, actor, sc, id, writeCheck(sc)); err != nil {
		return fmt.Errorf("delete activity %d: %w", id, err)
	}
	return nil
}

// RestoreActivity brings an entry back from the recycle bin.
func (s *Service) RestoreActivity(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	if err := s.st.RestoreActivity(ctx, actor, sc, id, writeCheck(sc)); err != nil {
		return fmt.Errorf("restore activity %d: %w", id, err)
	}
	return nil
}

// AddAttachments stores files and links them to an entry the scope may
// write, all links in one transaction.
func (s *Service) AddAttachments(ctx context.Context, actor store.Actor, sc access.Scope, activityID int64, files []Upload) error {
	atts, err := s.storeFiles(files)
	if err != nil {
		return fmt.Errorf("attach to activity %d: %w", activityID, err)
	}
	if err := s.st.AddAttachments(ctx, actor, sc, activityID, atts, writeCheck(sc)); err != nil {
		return fmt.Errorf("attach to activity %d: %w", activityID, err)
	}
	return nil
}

// RemoveAttachment unlinks an attachment from an entry the scope may write.
func (s *Service) RemoveAttachment(ctx context.Context, actor store.Actor, sc access.Scope, activityID, attID int64) error {
	if err := s.st.RemoveAttachment(ctx, actor, sc, activityID, attID, writeCheck(sc)); err != nil {
		return fmt.Errorf("remove attachment %d of activity %d: %w", attID, activityID, err)
	}
	return nil
}

// ExportActivities returns every entry matching f that the scope sees, with
// attendance, for an Excel export, and logs the export (the filter and the
// number of rows) under unitID: data leaving the system is audited, and
// nothing is returned when the log entry cannot be written.
func (s *Service) ExportActivities(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, f ledger.Filter) ([]ledger.Activity, error) {
	f.Page, f.PerPage = 0, 0
	acts, _, err := s.st.ListActivities(ctx, sc, f)
	if err != nil {
		return nil, fmt.Errorf("export activities: %w", err)
	}
	if err := s.st.LoadAttendance(ctx, acts); err != nil {
		return nil, fmt.Errorf("export activities: %w", err)
	}
	detail := map[string]any{"filter": f.Values().Encode(), "rows": len(acts)}
	if err := s.RecordExport(ctx, actor, unitID, "activity.export", "ledger", detail); err != nil {
		return nil, err
	}
	return acts, nil
}
