package service

import (
	"bytes"
	"context"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// ExportChannels writes a unit's 阵地台账 as Excel, logged as an export
// before the file is made.
func (s *Service) ExportChannels(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64) ([]byte, error) {
	if !slices.Contains(sc.ReadUnits, unitID) {
		return nil, apperr.ErrNotFound
	}
	cs, err := s.st.Channels(ctx, sc, store.ChannelFilter{UnitID: unitID})
	if err != nil {
		return nil, err
	}
	rules, err := s.st.ChannelRules(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if err := s.RecordExport(ctx, actor, unitID, "channel.export", "unit", map[string]any{"rows": len(cs)}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	today := cntime.Date(s.now())
	if err := channel.Export(&buf, "阵地台账（"+today+"）", cs, rules, today); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ImportChannels registers the channels of an Excel registry (an exported
// one edited in Excel or WPS, or the template) in a unit the scope manages:
// all rows or, when any row has an error, none — the row errors are
// returned for the page to list. It returns how many were imported.
func (s *Service) ImportChannels(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, data []byte) (int, []channel.RowError, error) {
	if !supervise.CanManage(sc, unitID) {
		return 0, nil, apperr.ErrNotFound
	}
	staff, err := s.st.Users(ctx, []int64{unitID}, false)
	if err != nil {
		return 0, nil, err
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return 0, nil, err
	}
	p := channel.People{Users: map[string]int64{}, Orgs: map[string]int64{}, Ambiguous: map[string]bool{}}
	for _, u := range staff {
		if u.Disabled {
			continue
		}
		if _, dup := p.Users[u.Name]; dup {
			p.Ambiguous[u.Name] = true
		}
		p.Users[u.Name] = u.ID
	}
	for _, n := range nodes {
		if n.ID != unitID {
			p.Orgs[n.Name] = n.ID
		}
	}
	cs, rows, rowErrs, err := channel.Read(data, unitID, p)
	if err != nil || len(rowErrs) > 0 {
		return 0, rowErrs, err
	}
	if err := s.st.ImportChannels(ctx, actor, sc, unitID, cs, func(i int) int { return rows[i] }); err != nil {
		return 0, nil, err
	}
	s.rec.Imported("channels", len(cs))
	for _, c := range cs {
		ev := channel.OpenEvent(c, c.FilingDate)
		ev.ChannelKind = c.Kind
		if err := s.flagUnfiled(ctx, c, []channel.Event{ev}); err != nil {
			return len(cs), nil, err
		}
	}
	return len(cs), nil, nil
}
