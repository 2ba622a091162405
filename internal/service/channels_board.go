package service

import (
	"context"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
)

// ChannelRow is one channel on the dashboard.
type ChannelRow struct {
	channel.Channel
	Fresh channel.Fresh
	// Open and Serious count its open findings.
	Open, Serious int
}

// ChannelBoard is a unit's 阵地 dashboard: every channel with its light and
// the single-veto indicators as an inspection today would judge them.
type ChannelBoard struct {
	UnitID  int64
	Rows    []ChannelRow
	Vetoes  []channel.Veto
	Failing int
	// Avail is each running site's availability as the indicator judges
	// it today.
	Avail                   map[int64]channel.Availability
	Green, Amber, Red, Grey int
	OpenFindings            int
}

// ChannelBoards builds the dashboards of units in scope (a supervisor's
// district at once: four queries whatever the number of units).
func (s *Service) ChannelBoards(ctx context.Context, sc access.Scope, unitIDs []int64) (map[int64]*ChannelBoard, error) {
	now := s.now()
	today := cntime.Date(now)
	out := map[int64]*ChannelBoard{}
	for _, id := range unitIDs {
		out[id] = &ChannelBoard{UnitID: id}
	}
	if len(unitIDs) == 0 {
		return out, nil
	}
	chs, err := s.st.BoardChannels(ctx, sc, unitIDs)
	if err != nil {
		return nil, err
	}
	rules, err := s.st.UnitsChannelRules(ctx, unitIDs)
	if err != nil {
		return nil, err
	}
	t, _ := cntime.ParseDate(today)
	avail, err := s.st.ProbeDays(ctx, unitIDs, cntime.Date(t.AddDate(0, 0, -channel.AvailWindowDays)), today)
	if err != nil {
		return nil, err
	}
	// Counts, not the findings: the board shows how many, and the wording
	// veto needs only which channels have a serious one open.
	counts, err := s.st.OpenFindingCounts(ctx, sc, unitIDs)
	if err != nil {
		return nil, err
	}
	byUnitF := map[int64][]channel.Finding{}
	byUnit := map[int64][]channel.Channel{}
	fresh := make(map[int64]channel.Fresh, len(chs))
	for _, c := range chs {
		b := out[c.UnitID]
		if b == nil {
			continue
		}
		fr := channel.Judge(c, rules[c.UnitID], today)
		fresh[c.ID] = fr
		n := counts[c.ID]
		b.Rows = append(b.Rows, ChannelRow{Channel: c, Fresh: fr, Open: n.Open, Serious: n.Serious})
		if n.SeriousWording > 0 {
			byUnitF[c.UnitID] = append(byUnitF[c.UnitID], channel.Finding{ChannelID: c.ID, UnitID: c.UnitID, Kind: channel.FWording, Serious: true, Status: "open"})
		}
		switch fr.Light {
		case channel.Green:
			b.Green++
		case channel.Amber:
			b.Amber++
		case channel.Red:
			b.Red++
		default:
			b.Grey++
		}
		b.OpenFindings += n.Open
		byUnit[c.UnitID] = append(byUnit[c.UnitID], c)
	}
	for id, b := range out {
		b.Vetoes = channel.Evaluate(channel.Input{Today: today, Channels: byUnit[id], Rules: rules[id], Avail: avail, Findings: byUnitF[id], Fresh: fresh})
		b.Failing = len(channel.Failing(b.Vetoes))
		b.Avail = map[int64]channel.Availability{}
		for _, c := range byUnit[id] {
			if c.Kind == channel.Portal {
				b.Avail[c.ID] = channel.JudgeAvailability(avail[c.ID], today)
			}
		}
	}
	return out, nil
}
