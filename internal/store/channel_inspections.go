package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
)

// 网络安全排查 and 阵地检查: a unit's checklists, inspections with their items
// and evidence files, signatures, and the rectification items of failed
// items with their automatic re-check.

// Checklist returns a unit's checklist of a kind: its own items, or the
// defaults (unsaved, ID 0) while it has none.
func (s *Store) Checklist(ctx context.Context, unitID int64, kind channel.InspKind) ([]channel.ChecklistItem, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, text, auto, sort FROM channel_checklist WHERE unit_id = $1 AND kind = $2 AND retired = 0 ORDER BY sort, id", unitID, string(kind))
	if err != nil {
		return nil, fmt.Errorf("list checklist: %w", err)
	}
	defer rows.Close()
	var out []channel.ChecklistItem
	for rows.Next() {
		it := channel.ChecklistItem{UnitID: unitID, Kind: kind}
		var auto string
		if err := rows.Scan(&it.ID, &it.Text, &auto, &it.Sort); err != nil {
			return nil, fmt.Errorf("read checklist: %w", err)
		}
		it.Kinds, it.Auto = channel.ParseAutoField(auto)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM channel_checklist WHERE unit_id = $1 AND kind = $2", unitID, string(kind)).Scan(&n); err != nil {
			return nil, fmt.Errorf("count checklist: %w", err)
		}
		if n == 0 {
			return channel.DefaultChecklist(kind), nil
		}
	}
	return out, nil
}

// ensureChecklist stores the defaults for a unit's kind the first time it
// edits its checklist, so the edit applies to its own copy.
func (s *Store) ensureChecklist(ctx context.Context, tx *sql.Tx, unitID int64, kind channel.InspKind) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM channel_checklist WHERE unit_id = $1 AND kind = $2", unitID, string(kind)).Scan(&n); err != nil {
		return fmt.Errorf("count checklist: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, it := range channel.DefaultChecklist(kind) {
		if _, err := tx.ExecContext(ctx, "INSERT INTO channel_checklist (unit_id, kind, text, auto, sort) VALUES ($1,$2,$3,$4,$5)",
			unitID, string(kind), it.Text, it.AutoField(), it.Sort); err != nil {
			return fmt.Errorf("copy default checklist: %w", err)
		}
	}
	return nil
}

// AddChecklistItem adds an item to a unit's checklist (its own copy of the
// defaults is made first).
func (s *Store) AddChecklistItem(ctx context.Context, actor Actor, sc access.Scope, it *channel.ChecklistItem) error {
	if !slices.Contains(sc.WriteUnits, it.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureChecklist(ctx, tx, it.UnitID, it.Kind); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO channel_checklist (unit_id, kind, text, auto, sort)
			VALUES ($1,$2,$3,$4,(SELECT COALESCE(MAX(sort),0)+1 FROM channel_checklist WHERE unit_id = $1 AND kind = $2)) RETURNING id`,
			it.UnitID, string(it.Kind), it.Text, it.AutoField()).Scan(&it.ID)
		if err != nil {
			return fmt.Errorf("insert checklist item: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, it.UnitID, "channel.checklist", "unit", it.UnitID, nil, map[string]any{"kind": it.Kind, "add": it.Text})
	})
}

// RetireChecklistItem takes an item off a unit's checklist (inspections
// made keep their copy). text identifies a default item not yet copied.
func (s *Store) RetireChecklistItem(ctx context.Context, actor Actor, sc access.Scope, unitID int64, kind channel.InspKind, id int64, text string) error {
	if !slices.Contains(sc.WriteUnits, unitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureChecklist(ctx, tx, unitID, kind); err != nil {
			return err
		}
		var res sql.Result
		var err error
		if id != 0 {
			res, err = tx.ExecContext(ctx, "UPDATE channel_checklist SET retired = 1 WHERE id = $1 AND unit_id = $2 AND kind = $3", id, unitID, string(kind))
		} else {
			res, err = tx.ExecContext(ctx, "UPDATE channel_checklist SET retired = 1 WHERE unit_id = $1 AND kind = $2 AND text = $3", unitID, string(kind), text)
		}
		if err != nil {
			return fmt.Errorf("retire checklist item: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.appendAudit(ctx, tx, actor, unitID, "channel.checklist", "unit", unitID, map[string]any{"kind": kind, "remove": text, "id": id}, nil)
	})
}

const inspCols = `i.id, i.unit_id, i.kind, i.period, i.due, COALESCE(i.inspector_id,0), COALESCE(iu.name,''), i.inspector_at, COALESCE(i.resp_id,0),
	COALESCE(ru.name,''), i.resp_at, i.note, i.created_at`

const inspFrom = ` FROM channel_inspections i LEFT JOIN users iu ON iu.id = i.inspector_id LEFT JOIN users ru ON ru.id = i.resp_id`

func scanInsp(row interface{ Scan(...any) error }) (channel.Inspection, error) {
	var in channel.Inspection
	err := row.Scan(&in.ID, &in.UnitID, &in.Kind, &in.Period, &in.Due, &in.InspectorID, &in.InspectorName, &in.InspectorAt, &in.RespID,
		&in.RespName, &in.RespAt, &in.Note, &in.CreatedAt)
	return in, err
}

// Inspections lists the inspections of units in scope, newest period first.
func (s *Store) Inspections(ctx context.Context, sc access.Scope, unitIDs []int64) ([]channel.Inspection, error) {
	units := slices.DeleteFunc(slices.Clone(unitIDs), func(id int64) bool { return !slices.Contains(sc.ReadUnits, id) })
	if len(units) == 0 {
		return nil, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT "+inspCols+inspFrom+" WHERE i.unit_id IN ("+a.in(units)+") ORDER BY i.period DESC, i.kind, i.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list inspections: %w", err)
	}
	defer rows.Close()
	var out []channel.Inspection
	for rows.Next() {
		in, err := scanInsp(rows)
		if err != nil {
			return nil, fmt.Errorf("read inspection: %w", err)
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Items, err = inspItems(ctx, s.db, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func inspItems(ctx context.Context, q queryer, id int64) ([]channel.InspItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT it.id, it.inspection_id, COALESCE(it.channel_id,0), COALESCE(c.name,''), it.text, it.auto, it.sort, it.result, it.note,
		COALESCE(it.rect_id,0), it.recheck, it.recheck_at FROM channel_inspection_items it LEFT JOIN channels c ON c.id = it.channel_id
		WHERE it.inspection_id = $1 ORDER BY it.sort, it.id`, id)
	if err != nil {
		return nil, fmt.Errorf("list inspection items: %w", err)
	}
	defer rows.Close()
	var out []channel.InspItem
	for rows.Next() {
		var it channel.InspItem
		if err := rows.Scan(&it.ID, &it.InspectionID, &it.ChannelID, &it.ChannelName, &it.Text, &it.Auto, &it.Sort, &it.Result, &it.Note,
			&it.RectID, &it.Recheck, &it.RecheckAt); err != nil {
			return nil, fmt.Errorf("read inspection item: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Inspection returns one inspection in scope with its items and files.
func (s *Store) Inspection(ctx context.Context, sc access.Scope, id int64) (channel.Inspection, error) {
	return s.readInspection(ctx, s.db, sc, id)
}

// inspQueryer reads rows and single rows (the database or a transaction).
type inspQueryer interface {
	queryer
	rowQueryer
}

func (s *Store) readInspection(ctx context.Context, q inspQueryer, sc access.Scope, id int64) (channel.Inspection, error) {
	if len(sc.ReadUnits) == 0 {
		return channel.Inspection{}, ErrNotFound
	}
	var a args
	in, err := scanInsp(q.QueryRowContext(ctx, "SELECT "+inspCols+inspFrom+" WHERE i.id = "+a.add(id)+" AND i.unit_id IN ("+a.in(sc.ReadUnits)+")", a...))
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrNotFound
	} else if err != nil {
		return in, fmt.Errorf("read inspection %d: %w", id, err)
	}
	if in.Items, err = inspItems(ctx, q, id); err != nil {
		return in, err
	}
	rows, err := q.QueryContext(ctx, "SELECT id, inspection_id, COALESCE(item_id,0), name, mime, size, sha256, created_at FROM channel_inspection_files WHERE inspection_id = $1 ORDER BY id", id)
	if err != nil {
		return in, fmt.Errorf("list inspection files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f channel.InspFile
		if err := rows.Scan(&f.ID, &f.InspectionID, &f.ItemID, &f.Name, &f.Mime, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return in, fmt.Errorf("read inspection file: %w", err)
		}
		in.Files = append(in.Files, f)
	}
	return in, rows.Err()
}

// ErrInspectionExists is a second inspection of a kind in one period.
var ErrInspectionExists = apperr.Field("检查期间", "本期已有同类检查，请打开原记录继续")

// CreateInspection starts an inspection with its items in a unit the
// scope writes; the inspector and responsible person must be its members.
func (s *Store) CreateInspection(ctx context.Context, actor Actor, sc access.Scope, in *channel.Inspection) error {
	if !slices.Contains(sc.WriteUnits, in.UnitID) {
		return ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, p := range []struct {
			id    int64
			field string
		}{{in.InspectorID, "检查人"}, {in.RespID, "责任人"}} {
			ok, err := userInUnit(ctx, tx, p.id, in.UnitID, true)
			if err != nil {
				return err
			}
			if !ok {
				return apperr.Field(p.field, "不是本单位人员")
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM channel_inspections WHERE unit_id = $1 AND kind = $2 AND period = $3",
			in.UnitID, string(in.Kind), in.Period).Scan(&n); err != nil {
			return fmt.Errorf("check inspection period: %w", err)
		}
		if n > 0 {
			return ErrInspectionExists
		}
		in.CreatedAt = s.Now().Unix()
		err := tx.QueryRowContext(ctx, `INSERT INTO channel_inspections (unit_id, kind, period, due, inspector_id, resp_id, note, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, in.UnitID, string(in.Kind), in.Period, in.Due, in.InspectorID, in.RespID, in.Note,
			in.CreatedAt, nullID(actor.UserID)).Scan(&in.ID)
		if err != nil {
			return fmt.Errorf("insert inspection: %w", err)
		}
		for i := range in.Items {
			it := &in.Items[i]
			it.InspectionID = in.ID
			err := tx.QueryRowContext(ctx, `INSERT INTO channel_inspection_items (inspection_id, unit_id, channel_id, text, auto, sort) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
				in.ID, in.UnitID, nullID(it.ChannelID), it.Text, it.Auto, it.Sort).Scan(&it.ID)
			if err != nil {
				return fmt.Errorf("insert inspection item: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, in.UnitID, "channel.inspection.create", "channel_inspection", in.ID, nil,
			map[string]any{"kind": in.Kind, "period": in.Period, "items": len(in.Items), "inspector": in.InspectorID, "resp": in.RespID})
	})
}

// lockInspection reads an inspection the scope writes, inside tx.
func (s *Store) lockInspection(ctx context.Context, tx *sql.Tx, sc access.Scope, id int64) (channel.Inspection, error) {
	in, err := s.readInspection(ctx, tx, sc, id)
	if err != nil {
		return in, err
	}
	return in, nil
}

// SetInspectionResult records an item's result and note while the
// inspection is open; a failed item gets a rectification item (owned by
// its channel's responsible person, or the inspector) with the channel
// named. Writers of the unit and the inspector may record.
func (s *Store) SetInspectionResult(ctx context.Context, actor Actor, sc access.Scope, inspID, itemID int64, result, note string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		in, err := s.lockInspection(ctx, tx, sc, inspID)
		if err != nil {
			return err
		}
		if !slices.Contains(sc.WriteUnits, in.UnitID) && in.InspectorID != sc.UserID {
			return ErrNotFound
		}
		if !in.CanRecord() {
			return apperr.Rule("检查人已签字，结果不能再修改")
		}
		i := slices.IndexFunc(in.Items, func(it channel.InspItem) bool { return it.ID == itemID })
		if i < 0 {
			return ErrNotFound
		}
		it := in.Items[i]
		if _, err := tx.ExecContext(ctx, "UPDATE channel_inspection_items SET result = $1, note = $2 WHERE id = $3", result, note, itemID); err != nil {
			return fmt.Errorf("record inspection result: %w", err)
		}
		if result == channel.ResultFail && it.RectID == 0 {
			if err := s.inspItemRect(ctx, tx, in, it, note); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, actor, in.UnitID, "channel.inspection.result", "channel_inspection", in.ID,
			map[string]any{"item": itemID, "result": it.Result, "note": it.Note}, map[string]any{"item": itemID, "result": result, "note": note})
	})
}

func (s *Store) inspItemRect(ctx context.Context, tx *sql.Tx, in channel.Inspection, it channel.InspItem, note string) error {
	owner, orgID := in.InspectorID, int64(0)
	title := "【" + in.Kind.Label() + "】" + channel.PeriodLabel(in.Period) + "："
	if it.ChannelID != 0 {
		var resp, org sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT responsible_id, org_id FROM channels WHERE id = $1", it.ChannelID).Scan(&resp, &org); err != nil {
			return fmt.Errorf("read inspected channel: %w", err)
		}
		if resp.Valid {
			owner = resp.Int64
		}
		orgID = org.Int64
		title += "“" + it.ChannelName + "”"
	}
	title += it.Text + "——不合格"
	if note != "" {
		title += "：" + note
	}
	if r := []rune(title); len(r) > 500 {
		title = string(r[:500])
	}
	rect := supervise.Rect{UnitID: in.UnitID, OrgID: orgID, Title: title, Source: "inspection", SourceRef: "channel-inspection-item:" + strconv.FormatInt(it.ID, 10) + ":" + strconv.FormatInt(s.Now().Unix(), 10),
		OwnerID: owner, Deadline: cntime.AddDays(cntime.Date(s.Now()), 15), Status: supervise.RectOpen}
	if err := s.insertRect(ctx, tx, System, &rect); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE channel_inspection_items SET rect_id = $1 WHERE id = $2", rect.ID, it.ID); err != nil {
		return fmt.Errorf("link inspection item to rectification: %w", err)
	}
	return nil
}

// AddInspectionFiles stores evidence files and photos of an inspection
// (of one item when itemID is set): files first, then one transaction.
func (s *Store) AddInspectionFiles(ctx context.Context, actor Actor, sc access.Scope, inspID, itemID int64, files []RectUpload) error {
	out := make([]channel.InspFile, len(files))
	for i, f := range files {
		sum, err := s.PutBlob(f.Data)
		if err != nil {
			return err
		}
		out[i] = channel.InspFile{InspectionID: inspID, ItemID: itemID, Name: f.Name, Mime: f.Mime, Size: int64(len(f.Data)), SHA256: sum}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		in, err := s.lockInspection(ctx, tx, sc, inspID)
		if err != nil {
			return err
		}
		if !slices.Contains(sc.WriteUnits, in.UnitID) && in.InspectorID != sc.UserID {
			return ErrNotFound
		}
		if itemID != 0 && !slices.ContainsFunc(in.Items, func(it channel.InspItem) bool { return it.ID == itemID }) {
			return ErrNotFound
		}
		now := s.Now().Unix()
		for _, f := range out {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO channel_inspection_files (inspection_id, item_id, name, mime, size, sha256, created_at, created_by)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, inspID, nullID(itemID), f.Name, f.Mime, f.Size, f.SHA256, now, nullID(actor.UserID)).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert inspection file: %w", err)
			}
			if err := s.appendAudit(ctx, tx, actor, in.UnitID, "channel.inspection.file", "channel_inspection", inspID, nil,
				map[string]any{"file": id, "item": itemID, "name": f.Name, "sha256": f.SHA256, "size": f.Size}); err != nil {
				return err
			}
		}
		return nil
	})
}

// OpenInspectionFile returns an evidence file of an inspection in scope.
func (s *Store) OpenInspectionFile(ctx context.Context, sc access.Scope, inspID, fileID int64) (channel.InspFile, io.ReadSeekCloser, error) {
	in, err := s.Inspection(ctx, sc, inspID)
	if err != nil {
		return channel.InspFile{}, nil, err
	}
	for _, f := range in.Files {
		if f.ID == fileID {
			fh, err := s.openBlob(f.SHA256)
			return f, fh, err
		}
	}
	return channel.InspFile{}, nil, ErrNotFound
}

// SignInspection records the caller's signature; sign (channel.Inspection.Sign
// as the service passes it) decides which one on the locked record.
func (s *Store) SignInspection(ctx context.Context, actor Actor, sc access.Scope, id int64, sign func(channel.Inspection) (string, error)) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		in, err := s.lockInspection(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		who, err := sign(in)
		if err != nil {
			return err
		}
		col := "inspector_at"
		if who == "resp" {
			col = "resp_at"
		}
		if _, err := tx.ExecContext(ctx, "UPDATE channel_inspections SET "+col+" = $1 WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("sign inspection: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, in.UnitID, "channel.inspection.sign", "channel_inspection", id, nil, map[string]any{"as": who})
	})
}

// InspItemsToRecheck lists failed items with an automatic check whose
// rectification item was closed since their last re-check.
func (s *Store) InspItemsToRecheck(ctx context.Context, limit int) ([]channel.InspItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT it.id, it.inspection_id, COALESCE(it.channel_id,0), '', it.text, it.auto, it.sort, it.result, it.note,
		COALESCE(it.rect_id,0), it.recheck, it.recheck_at FROM channel_inspection_items it JOIN rectifications r ON r.id = it.rect_id
		WHERE it.auto <> '' AND it.channel_id IS NOT NULL AND r.status = $1 AND r.updated_at > it.recheck_at ORDER BY it.id LIMIT `+strconv.Itoa(limit), supervise.RectClosed)
	if err != nil {
		return nil, fmt.Errorf("list inspection items to re-check: %w", err)
	}
	defer rows.Close()
	var out []channel.InspItem
	for rows.Next() {
		var it channel.InspItem
		if err := rows.Scan(&it.ID, &it.InspectionID, &it.ChannelID, &it.ChannelName, &it.Text, &it.Auto, &it.Sort, &it.Result, &it.Note,
			&it.RectID, &it.Recheck, &it.RecheckAt); err != nil {
			return nil, fmt.Errorf("read inspection item: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// RecordItemRecheck writes an automatic re-check on a failed inspection
// item and on its closed rectification item; a failure opens a new one.
func (s *Store) RecordItemRecheck(ctx context.Context, it channel.InspItem, passed bool, note string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res := "复查通过"
		if !passed {
			res = "复查未通过"
		}
		text := fmt.Sprintf("%s（%s 自动复查）：%s", res, cntime.LongMinute(now), note)
		if _, err := tx.ExecContext(ctx, "UPDATE rectifications SET progress = CASE WHEN progress = '' THEN $1 ELSE progress || $2 END, updated_at = $3 WHERE id = $4",
			text, "\n"+text, now.Unix(), it.RectID); err != nil {
			return fmt.Errorf("note re-check on rectification: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE channel_inspection_items SET recheck = $1, recheck_at = $2 WHERE id = $3", text, now.Unix(), it.ID); err != nil {
			return fmt.Errorf("record re-check: %w", err)
		}
		var in channel.Inspection
		err := tx.QueryRowContext(ctx, "SELECT id, unit_id, kind, period, COALESCE(inspector_id,0) FROM channel_inspections WHERE id = $1", it.InspectionID).
			Scan(&in.ID, &in.UnitID, &in.Kind, &in.Period, &in.InspectorID)
		if err != nil {
			return fmt.Errorf("read inspection: %w", err)
		}
		if !passed {
			if err := tx.QueryRowContext(ctx, "SELECT name FROM channels WHERE id = $1", it.ChannelID).Scan(&it.ChannelName); err != nil {
				return fmt.Errorf("read channel: %w", err)
			}
			if err := s.inspItemRect(ctx, tx, in, it, "复查未通过："+note); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, System, in.UnitID, "channel.recheck", "rect", it.RectID, nil, map[string]any{"item": it.ID, "passed": passed, "note": note})
	})
}

// OverdueInspections lists unsigned inspections past their due day, for
// the reminders.
func (s *Store) OverdueInspections(ctx context.Context, today string) ([]channel.Inspection, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+inspCols+inspFrom+" WHERE (i.inspector_at = 0 OR i.resp_at = 0) AND i.due < $1 ORDER BY i.id", today)
	if err != nil {
		return nil, fmt.Errorf("list overdue inspections: %w", err)
	}
	defer rows.Close()
	var out []channel.Inspection
	for rows.Next() {
		in, err := scanInsp(rows)
		if err != nil {
			return nil, fmt.Errorf("read inspection: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// RectChannel is the 阵地 a rectification item came from: the channel of
// its finding or inspection item, and the inspection.
type RectChannel struct {
	ChannelID    int64
	ChannelName  string
	InspectionID int64
}

// RectChannelOf finds the channel (and inspection) behind a rectification
// item, if any, within the unit's records.
func (s *Store) RectChannelOf(ctx context.Context, unitID, rectID int64) (RectChannel, bool, error) {
	var rc RectChannel
	err := s.db.QueryRowContext(ctx, `SELECT c.id, c.name, 0 FROM channel_findings f JOIN channels c ON c.id = f.channel_id WHERE f.rect_id = $1 AND f.unit_id = $2
		UNION ALL SELECT COALESCE(c.id,0), COALESCE(c.name,''), it.inspection_id FROM channel_inspection_items it LEFT JOIN channels c ON c.id = it.channel_id
		WHERE it.rect_id = $1 AND it.unit_id = $2 LIMIT 1`, rectID, unitID).Scan(&rc.ChannelID, &rc.ChannelName, &rc.InspectionID)
	if errors.Is(err, sql.ErrNoRows) {
		return rc, false, nil
	} else if err != nil {
		return rc, false, fmt.Errorf("read channel of rectification %d: %w", rectID, err)
	}
	return rc, true, nil
}
