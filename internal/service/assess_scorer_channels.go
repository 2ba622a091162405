package service

import (
	"context"
	"fmt"

	"zhendi/internal/assess"
	"zhendi/internal/channel"
)

// channelScorer: 阵地 failures of the year — every finding under a
// single-veto indicator of the national site and new-media inspection
// (国办秘函〔2019〕19号: site unreachable or slow, homepage or account not
// updated, serious wording error), every failed inspection item of the
// year not yet put right, and a year without any inspection of registered
// channels. A unit with no channel registered has nothing judged, which
// the deduct rule scores as zero (assess.ScoringRule): every unit runs at
// least its site columns or a 宣传栏.
type channelScorer struct{ s *Service }

func (channelScorer) Key() string { return assess.ScoreChannels }
func (channelScorer) Label() string {
	return "阵地管理（单项否决问题、未整改的检查问题）"
}
func (channelScorer) ParamHint() string         { return "" }
func (channelScorer) CheckParam(p string) error { return noParam(p) }

func (x channelScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	all, err := x.s.st.AssessChannels(ctx, run.Scope, run.Units, run.Year)
	if err != nil {
		return nil, err
	}
	out := map[int64]assess.Measure{}
	for _, u := range run.Units {
		cm := all[u]
		m := assess.Measure{Required: cm.Channels}
		if cm.Channels == 0 {
			m.Note = "本单位未登记宣传思想阵地，阵地管理无从核对，按未完成计0分"
			m.Refs = append(m.Refs, assess.Ref{Kind: "channel", Label: m.Note, Link: "/channels", Miss: true})
			out[u] = m
			continue
		}
		for _, f := range cm.Findings {
			state := "已整改"
			if f.Open {
				state = "未整改"
			}
			m.Failures++
			m.Refs = append(m.Refs, assess.Ref{Kind: "finding", ID: f.ID, Miss: true, Link: fmt.Sprintf("/findings/%d", f.ID),
				Label: fmt.Sprintf("%s %s：%s（单项否决指标，%s）", f.FoundOn, f.ChannelName, channel.FindingKind(f.Kind).Label(), state)})
		}
		for _, it := range cm.Unresolved {
			m.Failures++
			what := it.Text
			if it.ChannelName != "" {
				what = it.ChannelName + "：" + what
			}
			m.Refs = append(m.Refs, assess.Ref{Kind: "inspection", ID: it.InspectionID, Miss: true, Link: fmt.Sprintf("/inspections/%d", it.InspectionID),
				Label: fmt.Sprintf("%s检查不合格未整改：%s", it.Period, what)})
		}
		for _, in := range cm.Inspections {
			m.Count++
			m.Refs = append(m.Refs, assess.Ref{Kind: "inspection", ID: in.ID, Link: fmt.Sprintf("/inspections/%d", in.ID),
				Label: fmt.Sprintf("%s %s", in.Period, channel.InspKind(in.Kind).Label())})
		}
		if len(cm.Inspections) == 0 {
			m.Failures++
			m.Refs = append(m.Refs, assess.Ref{Kind: "inspection", Label: fmt.Sprintf("%d年未开展阵地检查（网络安全排查）", run.Year), Link: "/inspections", Miss: true})
		}
		m.Note = fmt.Sprintf("登记阵地%d个，检查%d次；单项否决问题%d个，检查发现未整改%d个", cm.Channels, len(cm.Inspections), len(cm.Findings), len(cm.Unresolved))
		if len(cm.Inspections) == 0 {
			m.Note += "，全年未开展检查"
		}
		out[u] = m
	}
	return out, nil
}
