package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"zhendi/internal/feed"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Opinion intake: every way an item arrives (feed polling, the push API, a
// file import, a NATS consumer) ends in IngestItems, which prepares each
// item without the database — normalised text, exact keys, SimHash,
// negativity, the unit's schemes in one scan — and stores a batch in one
// transaction (store.IntakeBatch), where duplicates are folded and hits are
// clustered into events.

// IntakeBatchSize is how many items one intake transaction stores.
const IntakeBatchSize = 4000

// opinionState caches per unit what intake needs and rarely changes.
type opinionState struct {
	mu      sync.Mutex
	schemes map[int64]*schemeCache
	lexicon *opinion.Lexicon
	// unitLex caches each unit's joined lexicon (unitLexicon).
	unitLex map[int64]lexCache
	// bus is set in NATS mode (SetOpinionBus).
	bus OpinionBus
	// importing: one opinion import per unit at a time.
	importing unitLocks
	// fetcher reads feeds (nil: defaults; tests set their own limits).
	fetcher *feed.Fetcher
}

type schemeCache struct {
	version string
	set     *opinion.SchemeSet
	checked time.Time
}

// schemeSet returns the unit's compiled enabled schemes, recompiled when
// they changed (one cheap query per intake call tells).
func (s *Service) schemeSet(ctx context.Context, unitID int64) (*opinion.SchemeSet, error) {
	s.op.mu.Lock()
	if s.op.schemes == nil {
		s.op.schemes = map[int64]*schemeCache{}
	}
	c := s.op.schemes[unitID]
	s.op.mu.Unlock()
	now := time.Now()
	v, err := s.st.SchemesVersion(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if c != nil && c.version == v {
		s.op.mu.Lock()
		c.checked = now
		s.op.mu.Unlock()
		return c.set, nil
	}
	rows, err := s.st.EnabledSchemes(ctx, unitID)
	if err != nil {
		return nil, err
	}
	schemes := make([]opinion.Scheme, len(rows))
	for i, r := range rows {
		schemes[i] = domainScheme(r)
	}
	set, err := opinion.CompileSchemes(schemes)
	if err != nil {
		return nil, fmt.Errorf("compile schemes of unit %d: %w", unitID, err)
	}
	s.op.mu.Lock()
	s.op.schemes[unitID] = &schemeCache{version: v, set: set, checked: now}
	s.op.mu.Unlock()
	return set, nil
}

// domainScheme is a stored scheme as the opinion package sees it.
func domainScheme(r store.OpinionScheme) opinion.Scheme {
	sc := opinion.Scheme{ID: r.ID, Name: r.Name, Rule: r.Rule, SourceIDs: r.SourceIDs}
	switch r.Scope {
	case "title":
		sc.Fields = opinion.FieldTitle
	case "text":
		sc.Fields = opinion.FieldText
	}
	if r.ActiveFrom != 0 {
		sc.From = time.Unix(r.ActiveFrom, 0)
	}
	if r.ActiveUntil != 0 {
		sc.Until = time.Unix(r.ActiveUntil, 0)
	}
	return sc
}

func (s *Service) lexicon() *opinion.Lexicon {
	s.op.mu.Lock()
	defer s.op.mu.Unlock()
	if s.op.lexicon == nil {
		s.op.lexicon = opinion.DefaultLexicon()
	}
	return s.op.lexicon
}

// URLKey is the exact-duplicate key of a link: scheme and host lower-cased,
// the fragment and a trailing slash dropped. "" when there is no link.
func URLKey(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		u.Scheme = strings.ToLower(u.Scheme)
		u.Host = strings.ToLower(u.Host)
		u.Fragment = ""
		u.Path = strings.TrimSuffix(u.Path, "/")
		raw = u.String()
	}
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:16])
}

// extKey is an item's idempotency key within its source: the source's id
// for it, else its link, else its exact text key.
func extKey(it opinion.Item, textKey string) string {
	switch {
	case strings.TrimSpace(it.ExtID) != "":
		return strings.TrimSpace(it.ExtID)
	case strings.TrimSpace(it.URL) != "":
		return "url:" + strings.TrimSpace(it.URL)
	}
	return "text:" + textKey
}

// prepare turns a received item into what the store keeps: redacted,
// normalised, keyed, fingerprinted, scored and matched.
func (s *Service) prepare(it opinion.Item, set *opinion.SchemeSet, lex *opinion.Lexicon) store.IntakeItem {
	it.Title = opinion.RedactHandles(it.Title)
	it.Text = opinion.RedactHandles(it.Text)
	norm := opinion.Normalize(it.Title + "\n" + it.Text)
	textKey := opinion.ExactKey(it.Title, it.Text)
	if textKey == "" {
		// Nothing left after normalising (only emoji or links): such posts
		// are not copies of each other; key them by their own id.
		textKey = "x:" + extKey(it, "")
	}
	when := it.When()
	fetched := it.Fetched
	if fetched.IsZero() {
		fetched = s.now()
	}
	if when.IsZero() {
		when = fetched
	}
	out := store.IntakeItem{
		SourceID: it.SourceID, ExtKey: extKey(it, textKey), Title: it.Title, Body: it.Text, URL: strings.TrimSpace(it.URL), Norm: norm,
		PublishedAt: when.Unix(), FetchedAt: fetched.Unix(), URLKey: URLKey(it.URL), TextKey: textKey,
		SimHash: fingerprint(it.Title, it.Text), Negativity: -lex.Score(it.Title + "。" + it.Text).Score,
	}
	if set != nil && set.Len() > 0 {
		for _, h := range set.Eval(it) {
			hit := store.IntakeHit{SchemeID: h.SchemeID}
			for _, sp := range h.Spans {
				hit.Spans = append(hit.Spans, [3]int{int(sp.Field), sp.Start, sp.End})
			}
			out.Hits = append(out.Hits, hit)
		}
	}
	return out
}

// fingerprint is the SimHash of an item's text, or of its title and text
// when the text is short: a repost often gets a new title ("转：…", a
// headline of its own) over the same text, and the title would push the
// copies apart.
func fingerprint(title, text string) uint64 {
	if n := opinion.Normalize(text); utf8.RuneCountInString(n) >= 20 {
		return opinion.SimHash(n)
	}
	return opinion.SimHash(title + "\n" + text)
}

// intakeOptions are the opinion package's clustering and heat rules in
// the store's terms. An event's State is its representative fingerprint.
func (s *Service) intakeOptions(ctx context.Context, unitID int64) (store.IntakeOptions, error) {
	weights, err := s.st.SourceWeights(ctx, unitID)
	if err != nil {
		return store.IntakeOptions{}, err
	}
	cfg := opinion.DefaultClusterConfig()
	return store.IntakeOptions{
		EventWindow: int64(cfg.Window / time.Second),
		Now:         s.now().Unix(),
		SourceWeight: func(id int64) float64 {
			if w, ok := weights[id]; ok && w > 0 {
				return w
			}
			return 1
		},
		Assign: func(schemeID int64, open []*store.EventState, it store.StoredItem) *store.EventState {
			states := make([]opinion.EventState, len(open))
			for i, e := range open {
				h, _ := strconv.ParseUint(e.State, 10, 64)
				states[i] = opinion.EventState{ID: e.ID, SchemeID: e.SchemeID, First: time.Unix(e.FirstAt, 0), Last: time.Unix(e.LastAt, 0), SimHash: h, Count: e.Items}
			}
			item := opinion.Item{ID: it.ID, SourceID: it.SourceID, Title: it.Title, Text: it.Body, Published: time.Unix(it.PublishedAt, 0)}
			if i, ok := opinion.Assign(states, item, it.SimHash, schemeID, cfg); ok {
				return open[i]
			}
			return &store.EventState{Title: eventTitle(it.Title, it.Body), RepItemID: it.ID, State: strconv.FormatUint(it.SimHash, 10)}
		},
		Heat: eventHeat,
	}, nil
}

// eventHeat is opinion.Heat over the event's hours up to its last item
// (the heat an event had when last active; a live event's last item is
// the current hour) with the mean source weight of its items.
func eventHeat(ev *store.EventState, _ int, hours map[int64]int, nowHour int64) float64 {
	ref := min(nowHour, ev.LastAt/3600)
	hourly := make([]int, 72)
	for h, n := range hours {
		if i := len(hourly) - 1 - int(ref-h); i >= 0 && i < len(hourly) {
			hourly[i] = n
		}
	}
	w := 1.0
	if ev.Items > 0 && ev.Weight > 0 {
		w = ev.Weight / float64(ev.Items)
	}
	return opinion.Heat(hourly, w)
}

// EventHeat is the heat function the store's merge and split use.
func EventHeat() store.HeatFunc { return eventHeat }

// eventTitle is a new event's title: the item's title, else the start of
// its text.
func eventTitle(title, text string) string {
	t := strings.TrimSpace(title)
	if t == "" {
		t = strings.TrimSpace(text)
	}
	if r := []rune(t); len(r) > 60 {
		t = string(r[:60]) + "…"
	}
	return t
}

// IngestItems stores one unit's received items in batches of
// IntakeBatchSize, each one transaction: the common end of every intake
// path. Items must already be valid (opinion.Item.Validate) and carry
// their source. It returns the summed counts; on an error the batches
// before it stay stored (each is whole), and running it again stores
// nothing twice.
func (s *Service) IngestItems(ctx context.Context, actor store.Actor, unitID int64, items []opinion.Item) (store.IntakeResult, error) {
	var total store.IntakeResult
	set, err := s.schemeSet(ctx, unitID)
	if err != nil {
		return total, err
	}
	lex, err := s.unitLexicon(ctx, unitID)
	if err != nil {
		return total, err
	}
	opts, err := s.intakeOptions(ctx, unitID)
	if err != nil {
		return total, err
	}
	// Batches are prepared on a second goroutine while the previous one is
	// stored: preparing is CPU work without the database, storing mostly
	// the database's.
	type prepared struct {
		start int
		batch []store.IntakeItem
	}
	ready := make(chan prepared, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(ready)
		for start := 0; start < len(items); start += IntakeBatchSize {
			part := items[start:min(len(items), start+IntakeBatchSize)]
			batch := make([]store.IntakeItem, len(part))
			for i, it := range part {
				batch[i] = s.prepare(it, set, lex)
			}
			select {
			case ready <- prepared{start, batch}:
			case <-stop:
				return
			}
		}
	}()
	for p := range ready {
		opts.Now = s.now().Unix()
		res, err := s.st.IntakeBatch(ctx, actor, unitID, p.batch, opts)
		if err != nil {
			return total, fmt.Errorf("store opinion items %d–%d: %w", p.start+1, p.start+len(p.batch), store.Classify(err))
		}
		total.Add(res)
	}
	return total, nil
}

// unitLexicon is the lexicon that scores unitID's items: the seed lexicon
// joined with the unit's own (its terms add to the seed's and, for the
// same word, override it), compiled once per version of the unit's file.
func (s *Service) unitLexicon(ctx context.Context, unitID int64) (*opinion.Lexicon, error) {
	v, err := s.st.OpinionLexiconVersion(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if v == 0 {
		return s.lexicon(), nil
	}
	s.op.mu.Lock()
	c, ok := s.op.unitLex[unitID]
	s.op.mu.Unlock()
	if ok && c.version == v {
		return c.lex, nil
	}
	row, err := s.st.UnitOpinionLexicon(ctx, unitID)
	if errors.Is(err, store.ErrNotFound) {
		return s.lexicon(), nil
	}
	if err != nil {
		return nil, err
	}
	own, err := opinion.ParseLexicon(strings.NewReader(row.Body))
	if err != nil {
		return nil, fmt.Errorf("parse the stored lexicon of unit %d: %w", unitID, err)
	}
	lex, err := opinion.Combine(s.lexicon(), own)
	if err != nil {
		return nil, fmt.Errorf("join the lexicon of unit %d: %w", unitID, err)
	}
	s.op.mu.Lock()
	if s.op.unitLex == nil {
		s.op.unitLex = map[int64]lexCache{}
	}
	s.op.unitLex[unitID] = lexCache{version: row.UpdatedAt, lex: lex}
	s.op.mu.Unlock()
	return lex, nil
}

type lexCache struct {
	version int64
	lex     *opinion.Lexicon
}
