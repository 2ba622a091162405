package service

import (
	"bytes"
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// MaxLexiconBytes bounds a unit's lexicon file (50,000 terms of a few
// characters each fit in well under it).
const MaxLexiconBytes = 4 << 20

// ImportOpinionLexicon checks a unit's own negativity lexicon file
// (opinion.ParseLexicon: "类型<TAB>词<TAB>权重" lines with a required 许可
// line) and keeps it as the unit's lexicon, replacing any before: from then
// on the unit's new items are scored with the seed lexicon and these terms.
// Errors name the line ("第 3 行：…").
func (s *Service) ImportOpinionLexicon(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, data []byte) (store.OpinionLexicon, error) {
	if !sc.CanWrite(unitID, unitID) {
		return store.OpinionLexicon{}, store.ErrNotFound
	}
	if len(data) > MaxLexiconBytes {
		return store.OpinionLexicon{}, apperr.Field("文件", fmt.Sprintf("不能超过 %d MB", MaxLexiconBytes>>20))
	}
	text, err := opinion.DecodeText(data)
	if err != nil {
		return store.OpinionLexicon{}, err
	}
	lex, err := opinion.ParseLexicon(bytes.NewReader(text))
	if err != nil {
		return store.OpinionLexicon{}, err
	}
	name := lex.Name
	if name == "" {
		name = "本单位词表"
	}
	row := store.OpinionLexicon{UnitID: unitID, Name: name, Licence: lex.Licence, Body: string(text), Terms: len(lex.Terms())}
	if err := s.st.SaveOpinionLexicon(ctx, actor, sc, &row); err != nil {
		return row, fmt.Errorf("save the lexicon of unit %d: %w", unitID, err)
	}
	return row, nil
}

// DeleteOpinionLexicon removes the unit's own lexicon.
func (s *Service) DeleteOpinionLexicon(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64) error {
	return s.st.DeleteOpinionLexicon(ctx, actor, sc, unitID)
}
