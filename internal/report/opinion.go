package report

import (
	"context"
	"fmt"

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
