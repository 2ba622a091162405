package service

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// OpinionImport is what importing one file did.
type OpinionImport struct {
	store.IntakeResult
	Elapsed time.Duration
}

// PerSecond is items read per second, end to end.
func (r OpinionImport) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Read) / r.Elapsed.Seconds()
}

// ImportOpinion imports a JSONL or CSV export (by the file name's
// extension) into unitID, whose records the scope must be able to write.
// The file is checked whole first: any bad row fails the import with every
// row's error and nothing is stored. The items then go through intake under
// the unit's import source; items imported before (same id, or same link,
// or same text when a row has neither) are skipped, so importing a file
// twice stores it once.
func (s *Service) ImportOpinion(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, name string, r io.Reader) (OpinionImport, error) {
	start := time.Now()
	if !sc.CanWrite(unitID, unitID) {
		return OpinionImport{}, store.ErrNotFound
	}
	unlock, ok := s.op.importing.lock(unitID)
	if !ok {
		return OpinionImport{}, ErrImportBusy
	}
	defer unlock()
	opt := opinion.ParseOptions{Ref: s.now()}
	var items []opinion.Item
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".json", ".ndjson":
		items, err = opinion.ParseJSONL(r, opt)
	case ".csv", ".tsv", ".txt":
		items, err = opinion.ParseCSV(r, opt)
	default:
		return OpinionImport{}, apperr.Field("文件", "只能导入 .jsonl 或 .csv 文件")
	}
	if err != nil {
		return OpinionImport{}, err
	}
	src, err := s.st.ImportSource(ctx, actor, unitID)
	if err != nil {
		return OpinionImport{}, store.Classify(err)
	}
	now := s.now()
	for i := range items {
		items[i].UnitID, items[i].SourceID, items[i].Fetched = unitID, src.ID, now
	}
	res, err := s.deliverOpinion(ctx, actor, unitID, items)
	out := OpinionImport{IntakeResult: res, Elapsed: time.Since(start)}
	out.Read = len(items)
	if err != nil {
		return out, fmt.Errorf("import %s: %w", name, err)
	}
	s.rec.Imported("opinion", out.Stored)
	return out, nil
}

// deliverOpinion hands received items to processing: stored here at once, or, in
// NATS mode, published to the stream for the consumers (then the result
// counts them as read only).
func (s *Service) deliverOpinion(ctx context.Context, actor store.Actor, unitID int64, items []opinion.Item) (store.IntakeResult, error) {
	if bus := s.opinionBus(); bus != nil {
		if err := bus.Publish(ctx, unitID, items); err != nil {
			return store.IntakeResult{}, fmt.Errorf("publish opinion items: %w", err)
		}
		return store.IntakeResult{Read: len(items)}, nil
	}
	return s.IngestItems(ctx, actor, unitID, items)
}

// OpinionBus carries raw items between intake and processing in NATS mode
// (internal/opbus implements it over JetStream).
type OpinionBus interface {
	Publish(ctx context.Context, unitID int64, items []opinion.Item) error
}

// SetOpinionBus switches the service to NATS mode: fetchers, the push API
// and imports publish to bus, and processing runs where the bus's
// consumers call IngestItems. nil returns to in-process mode.
func (s *Service) SetOpinionBus(bus OpinionBus) {
	s.op.mu.Lock()
	s.op.bus = bus
	s.op.mu.Unlock()
}

func (s *Service) opinionBus() OpinionBus {
	s.op.mu.Lock()
	defer s.op.mu.Unlock()
	return s.op.bus
}

// PushResult is what one push request did; Queued in NATS mode, where the
// items are stored by a consumer after the answer.
type PushResult struct {
	store.IntakeResult
	Queued bool
}

// PushOpinion takes a push API batch (JSONL, one item a line) for the
// token's source: all or nothing on row errors, idempotent by item id.
func (s *Service) PushOpinion(ctx context.Context, actor store.Actor, src store.OpinionSource, r io.Reader) (PushResult, error) {
	items, err := opinion.ParseJSONL(r, opinion.ParseOptions{Ref: s.now(), MaxRows: 1000})
	if err != nil {
		return PushResult{}, err
	}
	now := s.now()
	for i := range items {
		items[i].UnitID, items[i].SourceID, items[i].Fetched = src.UnitID, src.ID, now
	}
	res, err := s.deliverOpinion(ctx, actor, src.UnitID, items)
	return PushResult{IntakeResult: res, Queued: s.opinionBus() != nil}, err
}
