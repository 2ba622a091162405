package service

import (
	"context"
	"fmt"

	"zhendi/internal/store"
)

// RecordExport writes the audit entry for data leaving the system — a
// download of a table or a document — under the unit of the person
// exporting (action such as "rect.export", objType the kind of thing
// exported, detail what was asked for and how much). The caller sends the
// file only when this returns nil: an export that cannot be logged is not
// made.
func (s *Service) RecordExport(ctx context.Context, actor store.Actor, unitID int64, action, objType string, detail map[string]any) error {
	if err := s.st.Audit(ctx, actor, unitID, action, objType, 0, detail); err != nil {
		return fmt.Errorf("log export %s: %w", action, err)
	}
	return nil
}

// RecordDownload is RecordExport for a download of one object (an
// attachment of activity objID, a saved report): the entry names it, so
// the audit page links to the object's history.
func (s *Service) RecordDownload(ctx context.Context, actor store.Actor, unitID int64, action, objType string, objID int64, detail map[string]any) error {
	if err := s.st.Audit(ctx, actor, unitID, action, objType, objID, detail); err != nil {
		return fmt.Errorf("log download %s: %w", action, err)
	}
	return nil
}
