package service

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// 信息报送 screening: the lexicon a unit screens drafts with (the built-in
// terms and its own), and the changes to its own terms.

// InfoScreener returns the built-in lexicon compiled with the unit's own
// terms. Reading the terms is cheap, compiling them is not (0.27 s at 50k),
// so compiled screeners are kept per unit and reused while the unit's terms
// are unchanged; a changed list is seen on the next call.
func (s *Service) InfoScreener(ctx context.Context, unitID int64) (*infosub.Screener, error) {
	terms, err := s.st.InfoTerms(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return infosub.DefaultScreener(), nil
	}
	return s.screeners.get(unitID, terms)
}

// screenerCache holds one compiled screener per unit with the fingerprint
// of the terms it was built from. The zero value is ready to use.
type screenerCache struct {
	mu   sync.Mutex
	byID map[int64]cachedScreener
}

type cachedScreener struct {
	sum [32]byte
	scr *infosub.Screener
}

func (c *screenerCache) get(unitID int64, terms []infosub.Term) (*infosub.Screener, error) {
	h := sha256.New()
	for _, t := range terms {
		fmt.Fprintf(h, "%q\t%q\t%d\t%q\t%q\n", t.Term, t.Category, t.Severity, t.Suggest, t.Note)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	c.mu.Lock()
	hit, ok := c.byID[unitID]
	c.mu.Unlock()
	if ok && hit.sum == sum {
		return hit.scr, nil
	}
	scr, err := infosub.NewScreener(terms)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) >= 1000 { // bound memory: start over rather than track age
		c.byID = map[int64]cachedScreener{}
	}
	c.byID[unitID] = cachedScreener{sum: sum, scr: scr}
	return scr, nil
}

// SaveInfoTerms adds or replaces terms of a unit's own lexicon, all or
// none, and returns how many were saved. apperr.ErrNotFound when the scope
// may not manage the unit (checked before the terms, as the page expects);
// a user error names the first bad entry ("第 2 条").
func (s *Service) SaveInfoTerms(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, terms []infosub.Term) (int, error) {
	if !infosub.CanManage(sc, unitID) {
		return 0, apperr.ErrNotFound
	}
	if err := infosub.ValidateTerms(terms); err != nil {
		return 0, err
	}
	return s.st.SaveInfoTerms(ctx, actor, sc, unitID, terms)
}

// ImportInfoTerms reads a TSV file of terms (infosub.ParseTermsTSV) and
// saves them all, or none when any line is wrong.
func (s *Service) ImportInfoTerms(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, tsv []byte) (int, error) {
	terms, err := infosub.ParseTermsTSV(tsv)
	if err != nil {
		return 0, err
	}
	if len(terms) == 0 {
		return 0, apperr.Rule("文件中没有词条")
	}
	return s.SaveInfoTerms(ctx, actor, sc, unitID, terms)
}

// DeleteInfoTerm removes one of a unit's own terms; apperr.ErrNotFound when
// there is no such term or the scope may not manage the unit.
func (s *Service) DeleteInfoTerm(ctx context.Context, actor store.Actor, sc access.Scope, unitID, termID int64) error {
	return s.st.DeleteInfoTerm(ctx, actor, sc, unitID, termID)
}
