package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhendi/internal/assess"
	"zhendi/internal/cntime"
	"zhendi/internal/incident"
)

// opinionScorer: 舆情 incidents of the year handled within the national
// time limits (国办发〔2016〕61号: authoritative information within 5 h and
// a press conference within 24 h for 特别重大/重大, a response within 48 h
// for the rest; incident.Deadlines). An incident counts once all its
// limits are settled — met, met late, or passed with nothing done — and is
// on time when every limit was met. A year without incidents does not
// apply (assess.ScoringRule): there was nothing to respond to, which is
// neither a failure nor full marks.
type opinionScorer struct{ s *Service }

func (opinionScorer) Key() string { return assess.ScoreOpinion }
func (opinionScorer) Label() string {
	return "舆情按时处置（5小时、24小时、48小时时限）"
}
func (opinionScorer) ParamHint() string         { return "" }
func (opinionScorer) CheckParam(p string) error { return noParam(p) }

func (x opinionScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	all, err := x.s.st.AssessIncidents(ctx, run.Scope, run.Units, run.Year)
	if err != nil {
		return nil, err
	}
	now := x.s.now().Unix()
	out := map[int64]assess.Measure{}
	for _, u := range run.Units {
		m := assess.Measure{}
		pending := 0
		for _, in := range all[u] {
			settled, onTime := true, true
			var parts []string
			for _, d := range in.Deadlines() {
				if !d.Met() && !d.Late() && !d.Overdue(now) {
					settled = false
				}
				onTime = onTime && d.Met()
				parts = append(parts, d.Label+"："+d.State(now))
			}
			label := fmt.Sprintf("%s %s（%s；%s）", cntime.Date(time.Unix(in.FoundAt, 0)), in.Title, incident.LevelLabel(in.Level), strings.Join(parts, "，"))
			ref := assess.Ref{Kind: "incident", ID: in.ID, Label: label, Link: fmt.Sprintf("/opinion/incidents/%d", in.ID)}
			switch {
			case !settled:
				pending++
				ref.Label += "——尚在时限内，不计入"
			case onTime:
				m.Required++
				m.Count++
			default:
				m.Required++
				ref.Miss = true
			}
			m.Refs = append(m.Refs, ref)
		}
		switch {
		case len(all[u]) == 0:
			m.NA = "全年没有舆情处置事件"
			m.Note = m.NA + "，不适用"
		case m.Required == 0:
			m.NA = fmt.Sprintf("%d起舆情事件尚在处置时限内", pending)
			m.Note = m.NA + "，暂不适用"
		default:
			m.Note = fmt.Sprintf("已到时限的舆情事件%d起，按时处置%d起", m.Required, m.Count)
			if pending > 0 {
				m.Note += fmt.Sprintf("，另%d起尚在时限内", pending)
			}
		}
		out[u] = m
	}
	return out, nil
}
