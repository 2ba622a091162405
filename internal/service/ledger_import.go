package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/ledgerxlsx"
	"zhendi/internal/store"
)

// Importing a ledger from Excel (issue 13 A): the upload is read and
// checked, and the user sees what the import will do (ImportPreview)
// before confirming it (ConfirmImport), which imports the same stored file
// under the previewed batch, all or nothing, skipping rows imported before.

// unitLocks lets one import run per unit at a time: reading a file is
// bounded (ledgerxlsx limits), and two at once for one unit would only
// race for the same import keys. The zero value is ready.
type unitLocks struct{ m sync.Map }

// lock takes unitID's lock, or reports that an import is running.
func (l *unitLocks) lock(unitID int64) (unlock func(), ok bool) {
	v, _ := l.m.LoadOrStore(unitID, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	if !mu.TryLock() {
		return nil, false
	}
	return mu.Unlock, true
}

// ErrImportBusy is the user error of an import started while another one
// of the same unit is running.
var ErrImportBusy = apperr.Rule("本单位正在导入另一份文件，请等它完成后再试。")

// TypeCount is how many rows of one activity type an import creates.
type TypeCount struct {
	Label string
	N     int
}

// ImportPreview is what an uploaded file would import.
type ImportPreview struct {
	Batch store.ImportBatch // zero when the file has errors
	File  *ledgerxlsx.Result
	// Result counts what confirming would create, skip (imported before)
	// and keep as history; zero when the file has errors.
	Result   store.ImportResult
	ByType   []TypeCount // rows to create, per type, in ledger.Types order
	Warnings []string    // the file's warnings, then the service's
	// Late counts the rows to create that will be 补记 (not history, dated
	// LateDays or more before now): confirming needs a reason.
	Late int
}

// PreviewImport reads an uploaded ledger file for unitID (the importer's
// unit) and says what importing it would do, writing nothing but the
// stored file and its batch (status "preview", audited). A file that
// cannot be read is a user error with the reason; rows with problems come
// back in File.Errors (and no batch). Returns ErrImportBusy while another
// import of the unit runs.
func (s *Service) PreviewImport(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, fileName string, data []byte) (*ImportPreview, error) {
	unlock, ok := s.importing.lock(unitID)
	if !ok {
		return nil, ErrImportBusy
	}
	defer unlock()
	file, err := s.readImport(ctx, unitID, data)
	if err != nil {
		return nil, err
	}
	pv := &ImportPreview{File: file, Warnings: file.Warnings}
	if len(file.Errors) > 0 {
		return pv, nil
	}
	res, err := s.st.ImportActivities(ctx, actor, unitID, 0, file.Acts, importCheck(sc, unitID), false)
	if err != nil {
		return nil, fmt.Errorf("preview import into unit %d: %w", unitID, err)
	}
	pv.Result = res
	pv.ByType = countTypes(file.Acts, res.Skip)
	pv.Late = s.lateRows(file.Acts, res)
	pv.Warnings = append(pv.Warnings, s.historyWarnings(file.Acts, res)...)
	sum, err := s.st.PutBlob(data)
	if err != nil {
		return nil, fmt.Errorf("preview import into unit %d: %w", unitID, err)
	}
	pv.Batch = store.ImportBatch{UnitID: unitID, FileName: fileName, SHA256: sum, Size: int64(len(data)), Rows: file.Rows}
	if err := s.st.CreateImportBatch(ctx, actor, &pv.Batch); err != nil {
		return nil, fmt.Errorf("preview import into unit %d: %w", unitID, err)
	}
	return pv, nil
}

// ConfirmImport imports the file of a previewed batch of unitID, all or
// nothing, skipping rows imported before; a batch already imported is a
// user error, another unit's batch apperr.ErrNotFound. The file is read
// again against today's staff list, so a change since the preview shows
// as row errors (returned as apperr.Errors) rather than a different import.
//
// Rows that will be 补记 (dated LateDays or more before now and not
// history) need lateReason, which they keep as their 补记原因.
func (s *Service) ConfirmImport(ctx context.Context, actor store.Actor, sc access.Scope, unitID, batchID int64, lateReason string) (store.ImportResult, error) {
	unlock, ok := s.importing.lock(unitID)
	if !ok {
		return store.ImportResult{}, ErrImportBusy
	}
	defer unlock()
	b, err := s.st.ImportBatchOf(ctx, unitID, batchID)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("confirm import %d: %w", batchID, err)
	}
	if b.Status != "preview" {
		return store.ImportResult{}, errAlreadyImported
	}
	data, err := s.st.ImportBatchFile(b, ledgerxlsx.MaxFileSize+1)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("confirm import %d: %w", batchID, err)
	}
	file, err := s.readImport(ctx, unitID, data)
	if err != nil {
		return store.ImportResult{}, err
	}
	if len(file.Errors) > 0 {
		var errs apperr.Errors
		for _, e := range file.Errors {
			errs = append(errs, apperr.Rule(e.Error()))
		}
		return store.ImportResult{}, errs
	}
	now := s.now()
	check := importCheck(sc, unitID)
	for i := range file.Acts {
		file.Acts[i].LateReason = lateReason
	}
	res, err := s.st.ImportActivities(ctx, actor, unitID, batchID, file.Acts, func(row int, a *ledger.Activity, r ledger.Refs) error {
		if err := check(row, a, r); err != nil {
			return err
		}
		if err := a.CheckLateReason(now, cntime.Zone, s.cfg.LateDays); err != nil {
			if a.Import.Row > 0 {
				row = a.Import.Row // the sheet's row, as the other row errors name it
			}
			return apperr.Field("补记原因", fmt.Sprintf("第%d行等活动日期已过%d天及以上，导入后记为补记，确认导入时须写明补记原因", row, s.cfg.LateDays))
		}
		return nil
	}, true)
	if errors.Is(err, store.ErrBatchDone) {
		return res, errAlreadyImported
	}
	if err != nil {
		return res, fmt.Errorf("import into unit %d: %w", unitID, err)
	}
	s.rec.Imported("ledger", res.Created)
	return res, nil
}

var errAlreadyImported = apperr.Rule("这份文件已经导入，不会重复导入。")

// readImport reads data against unitID's nodes and staff; a file that
// cannot be read (or crosses a limit) is a user error with the reason.
func (s *Service) readImport(ctx context.Context, unitID int64, data []byte) (*ledgerxlsx.Result, error) {
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return nil, fmt.Errorf("import: read nodes of unit %d: %w", unitID, err)
	}
	staff, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		return nil, fmt.Errorf("import: read staff of unit %d: %w", unitID, err)
	}
	file, err := ledgerxlsx.Read(bytes.NewReader(data), ledgerxlsx.Input{UnitID: unitID, Nodes: nodes, Staff: staff, Today: s.now().In(cntime.Zone)})
	var fe *ledgerxlsx.FileError
	if errors.As(err, &fe) {
		return nil, apperr.Field("文件", fe.Msg)
	}
	if err != nil {
		return nil, fmt.Errorf("import: read file: %w", err)
	}
	return file, nil
}

// importCheck judges each new row like a form entry
// (ledger.Activity.ResolveImport), with errors naming the row.
//
// An import carries no files, so 分析研判 rows come without their report
// document: they are imported (the ledger is back-filled from existing
// sheets), shown 缺报告文档 and not counted until the document is uploaded
// on the entry's page (store: Filter.Counted), the same rule as every
// other way an entry can lack its document.
func importCheck(sc access.Scope, unitID int64) func(row int, a *ledger.Activity, r ledger.Refs) error {
	return func(row int, a *ledger.Activity, r ledger.Refs) error {
		return a.ResolveImport(sc, unitID, row, r)
	}
}

// countTypes counts the rows to create (all but the skipped indexes) per
// type, in ledger.Types order.
func countTypes(acts []ledger.Activity, skip []int) []TypeCount {
	skipped := map[int]bool{}
	for _, i := range skip {
		skipped[i] = true
	}
	n := map[string]int{}
	for i, a := range acts {
		if !skipped[i] {
			n[a.Type]++
		}
	}
	var out []TypeCount
	for _, t := range ledger.Types {
		if n[t.Code] > 0 {
			out = append(out, TypeCount{Label: t.Label, N: n[t.Code]})
		}
	}
	return out
}

// lateRows counts the rows an import would create that are 补记: not
// skipped, not history (dated on or after res.Since) and dated LateDays
// or more before now.
func (s *Service) lateRows(acts []ledger.Activity, res store.ImportResult) int {
	if res.Since == "" {
		return 0
	}
	skipped := map[int]bool{}
	for _, i := range res.Skip {
		skipped[i] = true
	}
	now := s.now()
	n := 0
	for i, a := range acts {
		if skipped[i] || a.Date < res.Since {
			continue
		}
		b := a
		b.LateReason = ""
		if b.CheckLateReason(now, cntime.Zone, s.cfg.LateDays) != nil {
			n++
		}
	}
	return n
}

// historyWarnings say how the rows to import will count in the late-record
// figures: as imported history (dated before the unit's first entry
// recorded in the system), or, when dated after it, as late records by
// their import time.
func (s *Service) historyWarnings(acts []ledger.Activity, res store.ImportResult) []string {
	var out []string
	if res.History > 0 {
		since := "本单位尚未在系统中登记台账"
		if res.Since != "" {
			since = "早于本单位在系统中登记第一条台账的日期（" + ledger.FormatDate(res.Since) + "）"
		}
		out = append(out, fmt.Sprintf("%d 条的活动日期%s，将作为“系统启用前导入”的历史记录，单独列出，不计入补记。", res.History, since))
	}
	if late := res.Created - res.History; late > 0 {
		out = append(out, fmt.Sprintf("%d 条的活动日期在本单位开始使用系统（%s）之后，导入后按导入时间判断是否补记（活动后 %d 天及以上登记的记为补记）。",
			late, ledger.FormatDate(res.Since), s.cfg.LateDays))
	}
	if res.Skipped > 0 {
		out = append(out, fmt.Sprintf("%d 条以前已经导入过，将跳过，不会重复。", res.Skipped))
	}
	return out
}
