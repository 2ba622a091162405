package service

import (
	"context"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/store"
)

// SaveDocSettings validates and saves how a unit's documents are finished
// (落款, 主送机关, 版记). The unit-wide writers (意识形态专干, unit
// leaders) may change them; anyone else gets apperr.ErrNotFound. A field
// that is too long is a user error naming it.
func (s *Service) SaveDocSettings(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, d org.DocSettings) error {
	if !sc.SetsDocs(unitID) {
		return apperr.ErrNotFound
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.st.SetDocSettings(ctx, actor, sc, unitID, d)
}

// DocSettingsOf is the document settings of an issuing node with the
// defaults of its level filled in: a unit's issuing body is its party
// group (org.DocSettings.IssuerOf); a district's — which issues the
// district 督导通报 and 月通报 — is its propaganda department,
// "中共" + district + "委宣传部", which also prints them.
func (s *Service) DocSettingsOf(ctx context.Context, nodeID int64) (org.Node, org.DocSettings, error) {
	n, err := s.st.Node(ctx, nodeID)
	if err != nil {
		return n, org.DocSettings{}, fmt.Errorf("issuing node %d: %w", nodeID, err)
	}
	ds, err := s.st.DocSettings(ctx, nodeID)
	if err != nil {
		return n, ds, err
	}
	if n.Kind == org.District {
		if ds.Issuer == "" {
			ds.Issuer = org.DistrictIssuer(n.Name)
		}
		if ds.Printer == "" {
			ds.Printer = ds.Issuer
		}
	}
	return n, ds, nil
}

// FinishDoc adds to d the 主送机关, 落款 and 版记 that f asks for, from the
// document settings of the issuing node (a unit, or a district), dated
// date ("2006-01-02", the 成文日期 the user chose; "" for today). The web
// downloads and `zhendi report` both finish documents here, so a file
// from the command line ends as the one from the page.
func (s *Service) FinishDoc(ctx context.Context, d *docx.Doc, f report.Finishing, nodeID int64, date string) error {
	n, ds, err := s.DocSettingsOf(ctx, nodeID)
	if err != nil {
		return err
	}
	if date == "" {
		date = cntime.Date(s.now())
	}
	d.Keep = append(d.Keep, n.Name)
	report.Finish(d, f, ds, n.Name, date)
	return nil
}

// IssueDoc numbers a document of a node when it is issued (印发): the
// next 发文字号 of the node in the current year, with the node's
// 发文机关代字. A document already numbered keeps its number. The node
// must have a 代字 in its 公文设置 (a user error says so); who may issue
// is who may set the node's 公文设置.
func (s *Service) IssueDoc(ctx context.Context, actor store.Actor, sc access.Scope, nodeID int64, kind, subject, title string) (org.DocNumber, error) {
	if !sc.SetsDocs(nodeID) {
		return org.DocNumber{}, apperr.ErrNotFound
	}
	if n, err := s.st.DocNumberOf(ctx, sc, nodeID, kind, subject); err == nil {
		return n, nil
	} else if !errors.Is(err, apperr.ErrNotFound) {
		return n, err
	}
	ds, err := s.st.DocSettings(ctx, nodeID)
	if err != nil {
		return org.DocNumber{}, err
	}
	if ds.Prefix == "" {
		return org.DocNumber{}, apperr.Field("发文机关代字", "尚未设置，请先在公文设置中填写（如“农发”），再编发文字号")
	}
	n := org.DocNumber{NodeID: nodeID, Year: s.now().In(cntime.Zone).Year(), Prefix: ds.Prefix, Kind: kind, Subject: subject, Title: title}
	if err := s.st.IssueDocNumber(ctx, actor, sc, &n); err != nil {
		return org.DocNumber{}, err
	}
	return n, nil
}
