package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"zhendi/internal/ledger"
)

// SeedActivities bulk-inserts entries for the demo unit and benchmark data.
// Unlike CreateActivity it keeps each entry's CreatedAt (so demo data can
// contain late records) and writes one audit entry for the whole batch.
// Entries must already be valid and carry UnitID, OrgID and resolved people.
func (s *Store) SeedActivities(ctx context.Context, actor Actor, unitID int64, acts []ledger.Activity) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO activities (unit_id, org_id, type, title, date, start_time, duration_min, place,
			lead_id, lead_name, host_id, audience_type, audience_count, agenda, content, tags, required_topics, plan_item_id,
			import_key, search_text, created_at, created_by, updated_at, updated_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$21,$22) RETURNING id`)
		if err != nil {
			return fmt.Errorf("prepare seed insert: %w", err)
		}
		defer ins.Close()
		var att []string
		var attArgs []any
		docs := make([]searchDoc, 0, len(acts))
		flush := func() error {
			if len(att) == 0 {
				return nil
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO attendance (activity_id, user_id, status, reason, speaker) VALUES "+strings.Join(att, ","), attArgs...)
			att, attArgs = att[:0], attArgs[:0]
			if err != nil {
				return fmt.Errorf("seed attendance: %w", err)
			}
			return nil
		}
		for i := range acts {
			a := &acts[i]
			if a.CreatedAt == 0 {
				a.CreatedAt = s.Now().Unix()
			}
			var key any
			if a.ImportKey != "" {
				key = a.ImportKey
			}
			by := a.CreatedBy
			if by == 0 {
				by = actor.UserID
			}
			err := ins.QueryRowContext(ctx, unitOr(a.UnitID, unitID), a.OrgID, a.Type, a.Title, a.Date, a.StartTime, a.DurationMin, a.Place,
				nullID(a.LeadID), a.LeadName, nullID(a.HostID), a.AudienceType, a.AudienceCount, a.Agenda, a.Content,
				strings.Join(a.Tags, ","), joinCodes(a.RequiredTopics), nullID(a.PlanItemID), key, a.SearchText(), a.CreatedAt, nullID(by)).Scan(&a.ID)
			if err != nil {
				return fmt.Errorf("seed activity %q: %w", a.Title, err)
			}
			docs = append(docs, searchDoc{a.ID, a.SearchText()})
			// Files already stored with PutBlob (a 分析研判's document).
			a.UnitID = unitOr(a.UnitID, unitID)
			if err := s.insertAttachments(ctx, tx, actor, *a, a.Attachments); err != nil {
				return fmt.Errorf("seed activity %q: %w", a.Title, err)
			}
			for _, t := range a.Attendance {
				n := len(attArgs)
				att = append(att, fmt.Sprintf("($%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+5))
				attArgs = append(attArgs, a.ID, t.UserID, t.Status, t.Reason, b2i(t.Speaker))
				if len(att) >= 200 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, actor, unitID, "activity.seed", "unit", unitID, nil, map[string]int{"created": len(acts)}); err != nil {
			return err
		}
		return s.indexActivities(ctx, tx, docs, false)
	})
}

func unitOr(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}
