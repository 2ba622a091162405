package service

import (
	"context"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Merging and splitting events by hand (the event page). The store moves
// the items and recounts; the heat is the opinion domain's formula.

// eventHeat scores an event by opinion.Heat from its hourly volume up to
// nowHour and the mean weight of its items' sources.
func eventHeat(ev *store.EventState, sources int, hours map[int64]int, nowHour int64) float64 {
	const span = 24
	hourly := make([]int, span)
	for h, n := range hours {
		if i := span - 1 - int(nowHour-h); i >= 0 && i < span {
			hourly[i] += n
		}
	}
	w := 1.0
	if ev.Items > 0 && ev.Weight > 0 {
		w = ev.Weight / float64(ev.Items)
	}
	return opinion.Heat(hourly, w)
}

// MergeOpinionEvents merges event from into event into (both of one unit
// the scope may write).
func (s *Service) MergeOpinionEvents(ctx context.Context, actor store.Actor, sc access.Scope, into, from int64) error {
	if from == 0 {
		return apperr.Field("合并到", "请选择要合并的事件")
	}
	return s.st.MergeEvents(ctx, actor, sc, into, from, eventHeat)
}

// SplitOpinionEvent moves the chosen items of an event into a new event
// titled title and returns its id.
func (s *Service) SplitOpinionEvent(ctx context.Context, actor store.Actor, sc access.Scope, id int64, items []int64, title string) (int64, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return 0, apperr.Field("新事件标题", "不能为空")
	}
	if len(items) == 0 {
		return 0, apperr.Field("拆分条目", "请勾选要拆分出去的条目")
	}
	newID, err := s.st.SplitEvent(ctx, actor, sc, id, items, title, eventHeat)
	if err == nil && newID == 0 {
		return 0, apperr.Field("拆分条目", "勾选的条目须是本事件的一部分，且不能是全部条目")
	}
	return newID, err
}
