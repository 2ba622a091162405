package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/store"
)

// Evidence files on accountability cases and 干部考察 records: as private
// as the cases (assess.CanSeeCases), every read audited by the store.

// AddCaseEvidence stores evidence files on a case (the upload checks —
// type, size — are the caller's, through internal/upload).
func (s *Service) AddCaseEvidence(ctx context.Context, actor store.Actor, a assess.Actor, id int64, files []store.CaseUpload) ([]assess.CaseFile, error) {
	return s.st.AddCaseFiles(ctx, actor, id, files, func(u int64) bool { return assess.CanManageCases(a, u) })
}

// CadreRecords lists a unit's 干部考察 records (audited).
func (s *Service) CadreRecords(ctx context.Context, actor store.Actor, a assess.Actor, unitID int64, year int) ([]assess.CadreRecord, error) {
	return s.st.CadreRecords(ctx, actor, unitID, year, func(u int64) bool { return assess.CanSeeCases(a, u) })
}

// RecordCadre writes a leader's 干部考察 record for the year from what the
// records give now: the unit's assessment total (and, when the district
// records it, the unit's rank in the district — a unit does not see the
// ranking), the leader's 述职 and 测评, and the decided cases naming the
// leader; useNote says how the result was used.
func (s *Service) RecordCadre(ctx context.Context, actor store.Actor, a assess.Actor, unitID, userID int64, year int, useNote string) (assess.CadreRecord, error) {
	r := assess.CadreRecord{UnitID: unitID, UserID: userID, Year: year, UseNote: useNote}
	if !assess.CanManageCases(a, unitID) {
		return r, store.ErrNotFound
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	leaders, err := s.st.AssessLeaders(ctx, []int64{unitID})
	if err != nil {
		return r, err
	}
	if !slices.Contains(leaders[unitID], userID) {
		return r, assess.ErrCadrePerson
	}
	t, err := s.st.TreeOf(ctx, a.Scope, unitID, year, false)
	switch {
	case err == nil:
		m, err := s.ScoreUnits(ctx, a.Scope, t, []int64{unitID})
		if err != nil {
			return r, err
		}
		if us := m[unitID]; us != nil {
			total := us.Result.Total
			r.UnitTotal, r.Frozen = &total, us.Frozen
		}
		if a.District(unitID) {
			ranked, _, err := s.Ranking(ctx, a.Scope, t)
			if err != nil {
				return r, err
			}
			for _, u := range ranked {
				if u.UnitID == unitID {
					r.UnitRank = u.Rank
				}
			}
		}
	case !errors.Is(err, apperr.ErrNotFound):
		return r, err
	}
	ds, err := s.st.Debriefs(ctx, a.Scope, []int64{unitID}, year)
	if err != nil {
		return r, err
	}
	for _, d := range ds {
		if d.UserID == userID {
			r.DebriefID, r.Good, r.Fair, r.Average, r.Poor = d.ID, d.Good, d.Fair, d.Average, d.Poor
		}
	}
	cs, err := s.st.CasesForScoring(ctx, []int64{unitID}, year)
	if err != nil {
		return r, err
	}
	var lines []string
	for _, c := range cs {
		if !c.Decided() {
			continue
		}
		for _, p := range c.Persons {
			if p.UserID == userID {
				lines = append(lines, fmt.Sprintf("%s（%s决定，%s）", c.Method, c.Dates[4], p.Resp))
			}
		}
	}
	r.Cases = strings.Join(lines, "\n")
	return r, s.st.SaveCadreRecord(ctx, actor, &r, func(u int64) bool { return assess.CanManageCases(a, u) })
}

// UnitSituationList is the district's 问责情形 as the unit adopts them.
func (s *Service) UnitSituationList(ctx context.Context, unitID int64) ([]assess.UnitSituation, error) {
	ch, err := s.st.UnitSituations(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return assess.UnitSituations(ch), nil
}

// SaveUnitSituation adopts (or not) one situation of the district's list
// for the unit, with the unit's detail: its 第一责任人, 直接责任人 or 专干.
func (s *Service) SaveUnitSituation(ctx context.Context, actor store.Actor, a assess.Actor, unitID int64, u assess.UnitSituation) error {
	if !assess.CanSelfAssess(a, unitID) {
		return apperr.ErrNotFound
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.st.SaveUnitSituation(ctx, actor, unitID, u)
}

// checkSituation refuses a case put on grounds its unit does not adopt
// (a case kept on grounds adopted before keeps them).
func (s *Service) checkSituation(ctx context.Context, unitID int64, code, before string) error {
	if code == before {
		return nil
	}
	ch, err := s.st.UnitSituations(ctx, unitID)
	if err != nil {
		return err
	}
	if c, ok := ch[code]; ok && !c.Enabled {
		return assess.ErrSituationOff
	}
	return nil
}
