package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Importing an opinion file from the web page: the upload is read with the
// command's parser (JSONL, CSV including WPS and GBK exports) and checked
// whole; the user sees what it holds (OpinionImportPreview) and confirms
// (ConfirmOpinionImport), which stores the same kept file in one intake
// transaction that also closes the batch — all or nothing, and once.

// Limits of a file imported from the web page: one intake transaction
// stores it whole, so it is bounded well below the command's limits
// (opinion.DefaultMaxRows); larger exports go through
// `zhendi opinion import`.
const (
	WebImportMaxRows  = 20_000
	WebImportMaxBytes = 16 << 20
)

// NamedN is a count with a name (a scheme's hits in a preview).
type NamedN struct {
	Name string
	N    int
}

// OpinionImportPreview is what an uploaded file holds and would import.
type OpinionImportPreview struct {
	Batch store.ImportBatch // zero when the file has errors
	// Errors are the rows' errors ("第 3 行" / "标题：…"); nothing can be
	// imported while there are any.
	Errors apperr.Errors
	Rows   int
	// Before: rows imported from a file before (same id, link or text),
	// which confirming skips.
	Before  int
	NoTime  int // rows without a date: dated when imported
	WithURL int
	// First and Last are the earliest and latest dates in the file.
	First, Last time.Time
	Negative    int // rows the lexicon scores negative
	Schemes     []NamedN
}

// New is how many rows confirming would store at most (copies of each
// other or of stored items are folded, not stored).
func (p *OpinionImportPreview) New() int { return p.Rows - p.Before }

// Span is the file's dates as the page shows them: "2023年3月1日 至
// 2023年3月9日" in China time ("" when no row has a date).
func (p *OpinionImportPreview) Span() string {
	if p.First.IsZero() {
		return ""
	}
	const layout = "2006年1月2日"
	return p.First.In(cntime.Zone).Format(layout) + " 至 " + p.Last.In(cntime.Zone).Format(layout)
}

// webImportOptions are the parser's bounds for a web import.
func (s *Service) webImportOptions() opinion.ParseOptions {
	return opinion.ParseOptions{Ref: s.now(), MaxRows: WebImportMaxRows, MaxBytes: WebImportMaxBytes}
}

// PreviewOpinionImport reads an uploaded file for unitID, which the scope
// must write, and says what it holds, writing nothing but the kept file
// and its batch (audited). A file that cannot be read at all is a user
// error; rows with problems come back in Errors, with no batch.
func (s *Service) PreviewOpinionImport(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, name string, data []byte) (*OpinionImportPreview, error) {
	if !sc.CanWrite(unitID, unitID) {
		return nil, store.ErrNotFound
	}
	unlock, ok := s.op.importing.lock(unitID)
	if !ok {
		return nil, ErrImportBusy
	}
	defer unlock()
	pv := &OpinionImportPreview{}
	items, err := opinion.Parse(name, bytes.NewReader(data), s.webImportOptions())
	var rowErrs apperr.Errors
	if errors.As(err, &rowErrs) {
		pv.Errors = rowErrs
		return pv, nil
	}
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.Field("文件", "文件中没有信息")
	}
	set, err := s.schemeSet(ctx, unitID)
	if err != nil {
		return nil, err
	}
	lex, err := s.unitLexicon(ctx, unitID)
	if err != nil {
		return nil, err
	}
	hits := map[int64]int{}
	keys := make([]string, 0, len(items))
	pv.Rows = len(items)
	for _, it := range items {
		it.UnitID = unitID
		p := s.prepare(it, set, lex)
		keys = append(keys, p.ExtKey)
		if it.When().IsZero() {
			pv.NoTime++
		} else {
			w := it.When()
			if pv.First.IsZero() || w.Before(pv.First) {
				pv.First = w
			}
			if w.After(pv.Last) {
				pv.Last = w
			}
		}
		if p.URL != "" {
			pv.WithURL++
		}
		if p.Negativity > 0 {
			pv.Negative++
		}
		for _, h := range p.Hits {
			hits[h.SchemeID]++
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if pv.Before, err = s.st.ImportedBefore(ctx, unitID, keys); err != nil {
		return nil, err
	}
	if len(hits) > 0 {
		schemes, err := s.st.EnabledSchemes(ctx, unitID)
		if err != nil {
			return nil, err
		}
		for _, c := range schemes {
			if n := hits[c.ID]; n > 0 {
				pv.Schemes = append(pv.Schemes, NamedN{c.Name, n})
			}
		}
	}
	sum, err := s.st.PutBlob(data)
	if err != nil {
		return nil, fmt.Errorf("preview opinion import into unit %d: %w", unitID, err)
	}
	pv.Batch = store.ImportBatch{UnitID: unitID, Kind: "opinion", FileName: name, SHA256: sum, Size: int64(len(data)), Rows: len(items)}
	if err := s.st.CreateImportBatch(ctx, actor, &pv.Batch); err != nil {
		return nil, fmt.Errorf("preview opinion import into unit %d: %w", unitID, err)
	}
	return pv, nil
}

// ConfirmOpinionImport stores the file of a previewed batch of unitID in
// one intake transaction that also marks the batch done: all rows or none,
// and a second confirmation is a user error. It stores in this process
// also in NATS mode: the page waits for the answer, and one transaction is
// what makes the import whole.
func (s *Service) ConfirmOpinionImport(ctx context.Context, actor store.Actor, sc access.Scope, unitID, batchID int64) (store.IntakeResult, error) {
	if !sc.CanWrite(unitID, unitID) {
		return store.IntakeResult{}, store.ErrNotFound
	}
	unlock, ok := s.op.importing.lock(unitID)
	if !ok {
		return store.IntakeResult{}, ErrImportBusy
	}
	defer unlock()
	b, err := s.st.OpinionImportBatch(ctx, unitID, batchID)
	if err != nil {
		return store.IntakeResult{}, fmt.Errorf("confirm opinion import %d: %w", batchID, err)
	}
	if b.Status != "preview" {
		return store.IntakeResult{}, errAlreadyImported
	}
	data, err := s.st.ImportBatchFile(b, WebImportMaxBytes+1)
	if err != nil {
		return store.IntakeResult{}, fmt.Errorf("confirm opinion import %d: %w", batchID, err)
	}
	items, err := opinion.Parse(b.FileName, bytes.NewReader(data), s.webImportOptions())
	if err != nil {
		return store.IntakeResult{}, err
	}
	src, err := s.st.ImportSource(ctx, actor, unitID)
	if err != nil {
		return store.IntakeResult{}, store.Classify(err)
	}
	set, err := s.schemeSet(ctx, unitID)
	if err != nil {
		return store.IntakeResult{}, err
	}
	lex, err := s.unitLexicon(ctx, unitID)
	if err != nil {
		return store.IntakeResult{}, err
	}
	opts, err := s.intakeOptions(ctx, unitID)
	if err != nil {
		return store.IntakeResult{}, err
	}
	opts.ImportBatch = b.ID
	now := s.now()
	batch := make([]store.IntakeItem, len(items))
	for i, it := range items {
		it.UnitID, it.SourceID, it.Fetched = unitID, src.ID, now
		batch[i] = s.prepare(it, set, lex)
	}
	res, err := s.st.IntakeBatch(ctx, actor, unitID, batch, opts)
	if errors.Is(err, store.ErrBatchDone) {
		return res, errAlreadyImported
	}
	if err != nil {
		return res, fmt.Errorf("import opinion batch %d into unit %d: %w", batchID, unitID, store.Classify(err))
	}
	return res, nil
}
