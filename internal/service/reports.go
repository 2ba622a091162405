package service

import (
	"context"
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// ReportSource is the store as the reader of scope sees it, in the shape
// package report asks for (report.Source): every count and list is
// filtered by the scope, and a unit the scope cannot read in full is not
// found.
func (s *Service) ReportSource(sc access.Scope) report.Source {
	return reportSource{st: s.st, sc: sc, svc: s}
}

// BuildReport generates a report from the ledger as it is now, as the
// scope sees it, in the unit's own wording; LateDays defaults to the
// service's setting. apperr.ErrNotFound when the scope cannot read the unit
// in full; a period that does not suit the kind or a 述职 subject who is not
// a leader of the unit is a user error.
func (s *Service) BuildReport(ctx context.Context, sc access.Scope, req report.Request) (*report.Report, error) {
	if req.LateDays <= 0 {
		req.LateDays = s.cfg.LateDays
	}
	return report.Build(ctx, s.ReportSource(sc), req)
}

// BuildReports builds req's report for each unit, as BuildReport does, with
// a few workers (the district batch); each is called, one at a time, with
// the unit's index and report as soon as it is built. The reports come back
// in the order of units; the first error stops the batch (report.Batch).
func (s *Service) BuildReports(ctx context.Context, sc access.Scope, req report.Request, units []int64, workers int,
	each func(i int, r *report.Report) error) ([]*report.Report, error) {
	if req.LateDays <= 0 {
		req.LateDays = s.cfg.LateDays
	}
	return report.Batch(ctx, s.ReportSource(sc), req, units, workers, each)
}

// LoadReportAnnex fills r.Annex with the ledger entries of the report's
// period as the scope sees them (the Excel annex).
func (s *Service) LoadReportAnnex(ctx context.Context, sc access.Scope, r *report.Report) error {
	return r.LoadAnnex(ctx, s.ReportSource(sc))
}

// SavedReport is one saved version of a report: the draft (one per unit,
// kind, period and subject), the version and its decoded text and figures.
type SavedReport struct {
	Draft   store.ReportDraft
	Version store.ReportVersion
	Report  *report.Report
}

// SavedReport reads a draft and one of its versions (0: the latest).
// apperr.ErrNotFound when the draft is out of scope or the version does not
// exist.
func (s *Service) SavedReport(ctx context.Context, sc access.Scope, draftID int64, version int) (SavedReport, error) {
	d, err := s.st.ReportDraft(ctx, sc, draftID)
	if err != nil {
		return SavedReport{}, err
	}
	v, err := s.st.ReportVersion(ctx, sc, draftID, version)
	if err != nil {
		return SavedReport{}, err
	}
	r, err := report.Decode(v.Body)
	if err != nil {
		return SavedReport{}, fmt.Errorf("report %d version %d: %w", draftID, v.Version, err)
	}
	return SavedReport{Draft: d, Version: v, Report: r}, nil
}

// SaveReport stores r as a new version of its draft (creating the draft on
// the first save) and, in the same transaction, wording as the unit's own
// text of those template paragraphs (report.ApplyEdit returns it). It
// returns the draft id and the version number. apperr.ErrNotFound when the
// scope cannot write the unit.
func (s *Service) SaveReport(ctx context.Context, actor store.Actor, sc access.Scope, r *report.Report, note string, wording map[string]string) (int64, int, error) {
	body, err := r.Encode()
	if err != nil {
		return 0, 0, err
	}
	d := store.ReportDraft{UnitID: r.UnitID, Kind: string(r.Kind), Period: r.Period.Key, SubjectID: r.SubjectID, Title: r.Title}
	id, version, err := s.st.SaveReportVersion(ctx, actor, sc, d, body, note, wording)
	if err != nil {
		return id, version, err
	}
	// Every saved version waits for a 第一责任人 or 直接责任人: tell them.
	s.notifyReportApprovers(ctx, r.UnitID, id, version, r.Title, actor.UserID)
	return id, version, nil
}

// ApproveReport records the actor's approval of one version of a draft.
// report.ErrNotApprover when the actor is not 第一责任人 or 直接责任人 of the
// unit, report.ErrSelfApproval for a version the actor saved,
// apperr.ErrNotFound when the draft is out of scope or the version does not
// exist.
func (s *Service) ApproveReport(ctx context.Context, actor store.Actor, sc access.Scope, draftID int64, version int) error {
	d, err := s.st.ReportDraft(ctx, sc, draftID)
	if err != nil {
		return err
	}
	u, err := s.st.User(ctx, actor.UserID)
	if err != nil {
		return fmt.Errorf("approver: %w", err)
	}
	// A non-approver is told so whichever version they name; the whole
	// rule, with the version's author, runs inside the transaction.
	if err := report.CheckApprover(u, d.UnitID); err != nil {
		return err
	}
	return s.st.ApproveReport(ctx, actor, sc, draftID, version, func(author int64) error {
		return report.CheckApproval(u, d.UnitID, author)
	})
}

// ResetReportWording returns one paragraph of a report kind to the
// template's wording for the unit. apperr.ErrNotFound when the scope
// cannot write the unit.
func (s *Service) ResetReportWording(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, kind report.Kind, key string) error {
	return s.st.SetReportWording(ctx, actor, sc, unitID, string(kind), map[string]string{key: ""})
}

// reportSource binds the store to one scope (see ReportSource).
type reportSource struct {
	st  *store.Store
	sc  access.Scope
	svc *Service
}

func (r reportSource) Unit(ctx context.Context, id int64) (org.Node, error) {
	if !slices.Contains(r.sc.ReadUnits, id) {
		return org.Node{}, apperr.ErrNotFound
	}
	return r.st.Node(ctx, id)
}

func (r reportSource) Nodes(ctx context.Context, unitID int64) ([]org.Node, error) {
	return r.st.Nodes(ctx, []int64{unitID}, false)
}

func (r reportSource) Users(ctx context.Context, unitID int64) ([]org.User, error) {
	return r.st.Users(ctx, []int64{unitID}, true)
}

func (r reportSource) Rules(ctx context.Context, unitID int64) ([]supervise.Rule, error) {
	rules, err := r.st.EffectiveRules(ctx, []int64{unitID})
	if err != nil {
		return nil, err
	}
	return rules[unitID], nil
}

func (r reportSource) Wording(ctx context.Context, unitID int64, kind report.Kind) (map[string]string, error) {
	return r.st.ReportWording(ctx, unitID, string(kind))
}

func (r reportSource) ActivityIDs(ctx context.Context, f ledger.Filter) ([]int64, error) {
	return r.st.ActivityIDs(ctx, r.sc, f)
}

func (r reportSource) CountByType(ctx context.Context, f ledger.Filter) (map[string]int, error) {
	return r.st.CountByType(ctx, r.sc, f)
}

func (r reportSource) CountByOrgType(ctx context.Context, f ledger.Filter) (map[int64]map[string]int, error) {
	return r.st.CountByOrgType(ctx, r.sc, f)
}

func (r reportSource) Activities(ctx context.Context, f ledger.Filter) ([]ledger.Activity, error) {
	f.PerPage = 0 // every entry, not a page
	acts, _, err := r.st.ListActivities(ctx, r.sc, f)
	return acts, err
}

func (r reportSource) PlanItems(ctx context.Context, unitID int64, year int) ([]ledger.PlanItem, error) {
	return r.st.PlanItems(ctx, r.sc, unitID, year)
}

func (r reportSource) InfoFigures(ctx context.Context, unitID int64, from, to string) (report.InfoCounts, error) {
	f, err := r.st.InfoFigures(ctx, r.sc, unitID, from, to)
	if err != nil {
		return report.InfoCounts{}, err
	}
	return report.InfoCounts{Written: f.Written, Published: f.Published, WrittenIDs: f.WrittenIDs, PublishedIDs: f.PublishedIDs}, nil
}

func (r reportSource) ChannelFigures(ctx context.Context, unitID int64, from, to string) (report.ChannelCounts, error) {
	chs, finds, fixed, ins, err := r.st.ChannelFigures(ctx, r.sc, unitID, from, to)
	if err != nil {
		return report.ChannelCounts{}, err
	}
	return report.ChannelCounts{Channels: len(chs), Findings: len(finds), Fixed: len(fixed), Inspections: len(ins),
		ChannelIDs: chs, FindingIDs: finds, InspectionIDs: ins}, nil
}

func (r reportSource) InfoBulletin(ctx context.Context, unitID int64, month string) (infosub.Bulletin, error) {
	return r.st.InfoBulletin(ctx, r.sc, unitID, month)
}

func (r reportSource) Region(ctx context.Context, unitID int64) (string, error) {
	if !slices.Contains(r.sc.ReadUnits, unitID) {
		return "", apperr.ErrNotFound
	}
	u, err := r.st.Node(ctx, unitID)
	if err != nil || u.ParentID == 0 {
		return "", err
	}
	p, err := r.st.Node(ctx, u.ParentID)
	if err != nil {
		return "", fmt.Errorf("report region: %w", err)
	}
	return p.Name, nil
}

func (r reportSource) Compliance(ctx context.Context, unitID int64, year int, day string) (*supervise.UnitCompliance, error) {
	byYear, err := r.svc.complianceYears(ctx, r.sc, []int64{unitID}, []int{year}, day)
	if err != nil {
		return nil, err
	}
	uc := byYear[year][unitID]
	if uc == nil {
		return nil, apperr.ErrNotFound
	}
	return uc, nil
}

func (r reportSource) Rects(ctx context.Context, unitID int64) ([]supervise.Rect, error) {
	return r.st.Rects(ctx, r.sc, store.RectFilter{UnitID: unitID})
}

func (r reportSource) ScreenPublished(ctx context.Context, unitID int64, from, to string) (report.ScreenSummary, error) {
	sum := report.ScreenSummary{ByCategory: map[string]int{}}
	figs, err := r.st.InfoFigures(ctx, r.sc, unitID, from, to)
	if err != nil {
		return sum, err
	}
	if len(figs.PublishedIDs) == 0 {
		return sum, nil
	}
	screener, err := r.svc.InfoScreener(ctx, unitID)
	if err != nil {
		return sum, fmt.Errorf("screen published: %w", err)
	}
	for _, id := range figs.PublishedIDs {
		d, err := r.st.Draft(ctx, r.sc, id)
		if err != nil {
			return sum, fmt.Errorf("screen published draft %d: %w", id, err)
		}
		sum.Drafts++
		// Punctuation and number formats are editing matters, not a risk
		// of what was said; the 研判 counts the wording findings.
		found := slices.DeleteFunc(screener.Screen(d.Title+"\n"+d.BodyText), func(f infosub.Finding) bool {
			return f.Category == infosub.CatPunct || f.Category == infosub.CatNumber
		})
		if len(found) > 0 {
			sum.WithFindings++
		}
		for _, f := range found {
			sum.ByCategory[f.Category]++
			if f.Blocking() {
				sum.Blocking++
			}
		}
	}
	return sum, nil
}
