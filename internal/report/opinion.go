package report

import (
	"context"
	"fmt"
	"strconv"

	"zhendi/internal/ledger"
)

// The opinion module's figures for the reports (the half-year summary
// cites the period's 舆情 work): a Source that knows them implements
// OpinionSource. A report never writes "0" of them as an achievement: the
// template's sentence stands only when the figures are above zero.

// OpinionSource is a Source that also counts a unit's opinion work.
type OpinionSource interface {
	// OpinionFigures counts the unit's opinion work between from and to
	// ("2006-01-02", inclusive).
	OpinionFigures(ctx context.Context, unitID int64, from, to string) (OpinionCounts, error)
}

// OpinionCounts are a period's opinion figures with the records behind
// them: items collected, events formed, incidents started and those whose
// national time limits were all met.
type OpinionCounts struct {
	Items       int
	EventIDs    []int64
	IncidentIDs []int64
	OnTimeIDs   []int64
}

// opinionFigures adds opinion_items, opinion_events, opinion_incidents and
// opinion_ontime when the source knows them.
func (b *builder) opinionFigures() error {
	src, ok := b.src.(OpinionSource)
	if !ok {
		return nil
	}
	p := b.req.Period
	oc, err := src.OpinionFigures(b.ctx, b.req.UnitID, p.From, p.To)
	if err != nil {
		return fmt.Errorf("opinion figures: %w", err)
	}
	span := fmt.Sprintf("%s至%s", ledger.FormatDate(p.From), ledger.FormatDate(p.To))
	b.add(&Figure{Key: "opinion_items", Label: "舆情监测采集信息", Unit: "条", Value: oc.Items, Display: fmt.Sprint(oc.Items), Source: "opinion",
		Def: "舆情监测中" + span + "发布的信息（转载、重复信息合并计算）", Link: fmt.Sprintf("/opinion?unit=%d", b.req.UnitID), IDs: []int64{}})
	b.add(&Figure{Key: "opinion_events", Label: "形成舆情事件", Unit: "个", Value: len(oc.EventIDs), Display: fmt.Sprint(len(oc.EventIDs)), Source: "opinion",
		Def: "舆情监测中" + span + "首次出现的舆情事件（不含已合并的）", IDs: nonNil(oc.EventIDs)})
	b.add(&Figure{Key: "opinion_incidents", Label: "启动舆情处置", Unit: "件", Value: len(oc.IncidentIDs), Display: fmt.Sprint(len(oc.IncidentIDs)),
		Source: "incident", Def: span + "发现并启动处置的舆情", IDs: nonNil(oc.IncidentIDs)})
	b.add(&Figure{Key: "opinion_ontime", Label: "在规定时限内完成处置", Unit: "件", Value: len(oc.OnTimeIDs), Display: fmt.Sprint(len(oc.OnTimeIDs)),
		Source: "incident", Def: "其中各项时限（国办发〔2016〕61号等规定）均按时完成的", IDs: nonNil(oc.OnTimeIDs)})
	return nil
}

// OpinionEventSource is a Source that also lists a unit's opinion events
// with how each was handled, for 二、舆情及热点 of the 研判报告.
type OpinionEventSource interface {
	// OpinionEvents lists the unit's events with items between from and
	// to ("2006-01-02", inclusive), hottest first.
	OpinionEvents(ctx context.Context, unitID int64, from, to string) ([]OpinionEvent, error)
}

// OpinionEvent is one 舆情事件 as the 研判报告 cites it.
type OpinionEvent struct {
	ID         int64
	Title      string
	FirstDate  string  // "2006-01-02", China time
	Items      int     // related items (reposts folded)
	Heat       float64 // the highest heat in the period, 0–100 (opinion.HeatFormula)
	Negativity float64 // mean negativity, −1 (positive) to 1 (negative)
	// Incident is the 舆情处置 started from the event; nil when none.
	Incident *OpinionIncident
}

// OpinionIncident is the handling of an event: its level, the steps done
// of the five, the step now open ("" when all are done), whether it is
// closed, and whether its national time limits were met (Late: one was
// missed; Pending: one is still running).
type OpinionIncident struct {
	ID        int64
	Level     string // 特别重大, 重大, 一般
	StepsDone int
	Current   string // 收集, 会商, 研判, 回应, 评估
	Closed    bool
	Late      bool
	Pending   bool
}

// maxEvents is how many events 二、舆情及热点 names; the rest are counted.
const maxEvents = 10

// opinionEvents drafts 二、舆情及热点 of the 研判报告 from the opinion
// module: the period's figures, then each event (hottest first) with its
// heat, negativity and handling, every number a figure citing the event or
// the incident. A module that holds nothing for the period is said to hold
// nothing; a source without the module says it is not in use.
func (b *builder) opinionEvents() ([]Block, error) {
	src, ok := b.src.(OpinionEventSource)
	if !ok {
		return []Block{{Key: "auto.opinion.none", Style: "p", Text: "本单位舆情监测模块尚未启用，" + b.fill("{期间}") + "没有系统记录的舆情信息。"}}, nil
	}
	p := b.req.Period
	events, err := src.OpinionEvents(b.ctx, b.req.UnitID, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("研判 opinion events: %w", err)
	}
	items := b.r.Figure("opinion_items")
	if len(events) == 0 && (items == nil || items.Value == 0) {
		return []Block{{Key: "auto.opinion.none", Style: "p", Text: b.fill("{期间}") + "，舆情监测没有采集到涉及本单位的信息，没有形成舆情事件。"}}, nil
	}
	lead := b.fill("{期间}") + "，舆情监测采集涉及本单位的信息{opinion_items}条，新形成舆情事件{opinion_events}个"
	if f := b.r.Figure("opinion_incidents"); f != nil && f.Value > 0 {
		lead += "，发现并启动舆情处置{opinion_incidents}件{?opinion_ontime:，其中各项时限均按时完成的{opinion_ontime}件}{!opinion_ontime:，尚无各项时限均按时完成的}"
	} else {
		lead += "，没有启动舆情处置"
	}
	if len(events) == 0 {
		lead += "；采集的信息没有形成需要研判的舆情事件。"
	} else if len(events) > maxEvents {
		lead += fmt.Sprintf("；期间有信息的舆情事件%d个，按期间最高热度排列前%d个如下：", len(events), maxEvents)
	} else {
		lead += fmt.Sprintf("；期间有信息的舆情事件%d个，按期间最高热度排列如下：", len(events))
	}
	out := []Block{{Key: "auto.opinion.lead", Style: "p", Text: lead}}
	for i, e := range events[:min(len(events), maxEvents)] {
		k := fmt.Sprintf("opinion_event_%d", e.ID)
		ids := []int64{e.ID}
		link := fmt.Sprintf("/opinion/events/%d", e.ID)
		b.add(&Figure{Key: k + "_items", Label: "事件“" + e.Title + "”相关信息", Unit: "条", Value: e.Items, Display: strconv.Itoa(e.Items),
			Source: "opinion", Link: link, Def: "该舆情事件的相关信息（转载、重复信息合并计算）", IDs: ids})
		b.add(&Figure{Key: k + "_heat", Label: "事件“" + e.Title + "”期间最高热度", Value: int(e.Heat + 0.5), Display: fmt.Sprintf("%.1f", e.Heat),
			Source: "opinion", Link: link, Def: "按事件页的热度公式（0至100）逐小时计算，取期间内的最高值", IDs: ids})
		b.add(&Figure{Key: k + "_neg", Label: "事件“" + e.Title + "”负面倾向", Value: int(e.Negativity * 100), Display: fmt.Sprintf("%.2f", e.Negativity),
			Source: "opinion", Link: link, Def: "相关信息的平均负面倾向（−1为正面，1为负面）", IDs: ids})
		s := fmt.Sprintf("%d．“%s”：%s首次出现，相关信息{%s_items}条，期间最高热度{%s_heat}，平均负面倾向{%s_neg}（%s）", i+1, e.Title, ledger.FormatDate(e.FirstDate), k, k, k, tone(e.Negativity))
		if in := e.Incident; in == nil {
			s += "；未启动舆情处置。"
		} else {
			ik := fmt.Sprintf("opinion_incident_%d_steps", in.ID)
			b.add(&Figure{Key: ik, Label: "事件“" + e.Title + "”已完成处置环节", Unit: "个", Value: in.StepsDone, Display: strconv.Itoa(in.StepsDone),
				Source: "incident", Link: fmt.Sprintf("/opinion/incidents/%d", in.ID), Def: "舆情处置收集、会商、研判、回应、评估五个环节中已完成的", IDs: []int64{in.ID}})
			s += fmt.Sprintf("；已按%s舆情启动处置，五个环节已完成{%s}个", in.Level, ik)
			switch {
			case in.Closed:
				s += "，已办结"
			case in.Current != "":
				s += "，正处于“" + in.Current + "”环节"
			}
			switch {
			case in.Late:
				s += "，有时限未按时完成。"
			case in.Pending:
				s += "，时限尚未届满。"
			default:
				s += "，各项时限均按时完成。"
			}
		}
		out = append(out, Block{Key: fmt.Sprintf("auto.opinion.event.%d", i+1), Style: "p", Text: s})
	}
	return out, nil
}

// tone words a mean negativity.
func tone(n float64) string {
	switch {
	case n >= 0.3:
		return "以负面为主"
	case n <= -0.3:
		return "以正面为主"
	}
	return "正负面交织"
}
