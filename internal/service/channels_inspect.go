package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// 网络安全排查 and 阵地检查 use cases: checklists, inspections, results with
// evidence, signatures, and the automatic re-check of failed items.

// CreateInspection starts the unit's inspection of a kind for a period:
// its checklist expanded over the unit's channels (one item per channel of
// the types an item names).
func (s *Service) CreateInspection(ctx context.Context, actor store.Actor, sc access.Scope, in *channel.Inspection) error {
	if !supervise.CanManage(sc, in.UnitID) {
		return apperr.ErrNotFound
	}
	if err := in.Validate(); err != nil {
		return err
	}
	list, err := s.st.Checklist(ctx, in.UnitID, in.Kind)
	if err != nil {
		return err
	}
	chs, err := s.st.Channels(ctx, sc, store.ChannelFilter{UnitID: in.UnitID})
	if err != nil {
		return err
	}
	in.Items = channel.Expand(list, chs)
	if len(in.Items) == 0 {
		return apperr.Field("检查清单", "没有可检查的项目，请先维护检查清单或登记阵地")
	}
	return s.st.CreateInspection(ctx, actor, sc, in)
}

// SetInspectionResult records an item's result; a failure must say what
// is wrong and becomes a rectification item.
func (s *Service) SetInspectionResult(ctx context.Context, actor store.Actor, sc access.Scope, inspID, itemID int64, result, note string) error {
	note = strings.TrimSpace(note)
	switch result {
	case channel.ResultPass, channel.ResultNA:
	case channel.ResultFail:
		if note == "" {
			return apperr.Field("问题说明", "不合格时须写明存在的问题")
		}
	default:
		return apperr.Field("检查结果", "请选择合格、不合格或不适用")
	}
	if utf8.RuneCountInString(note) > 500 {
		return apperr.Field("问题说明", "不能超过500字")
	}
	return s.st.SetInspectionResult(ctx, actor, sc, inspID, itemID, result, note)
}

// AddInspectionFiles stores evidence files and photos of an inspection or
// one of its items.
func (s *Service) AddInspectionFiles(ctx context.Context, actor store.Actor, sc access.Scope, inspID, itemID int64, files []store.RectUpload) error {
	if len(files) == 0 {
		return apperr.Field("佐证材料", "请选择文件或照片")
	}
	if _, err := s.st.Inspection(ctx, sc, inspID); err != nil {
		return err
	}
	return s.st.AddInspectionFiles(ctx, actor, sc, inspID, itemID, files)
}

// SignInspection records the caller's signature (inspector, then the
// responsible person; see channel.Inspection.Sign).
func (s *Service) SignInspection(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	return s.st.SignInspection(ctx, actor, sc, id, func(in channel.Inspection) (string, error) { return in.Sign(actor.UserID) })
}

// AddChecklistItem adds an item to a unit's checklist.
func (s *Service) AddChecklistItem(ctx context.Context, actor store.Actor, sc access.Scope, it *channel.ChecklistItem) error {
	if !supervise.CanManage(sc, it.UnitID) {
		return apperr.ErrNotFound
	}
	if err := it.Validate(); err != nil {
		return err
	}
	return s.st.AddChecklistItem(ctx, actor, sc, it)
}

// RetireChecklistItem takes an item off a unit's checklist.
func (s *Service) RetireChecklistItem(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, kind channel.InspKind, id int64, text string) error {
	if !supervise.CanManage(sc, unitID) {
		return apperr.ErrNotFound
	}
	return s.st.RetireChecklistItem(ctx, actor, sc, unitID, kind, id, text)
}

// RecheckInspectionItems re-checks failed inspection items with an
// automatic check whose rectification item was closed, and records the
// result on both.
func (s *Service) RecheckInspectionItems(ctx context.Context, limit int) error {
	items, err := s.st.InspItemsToRecheck(ctx, limit)
	if err != nil {
		return err
	}
	var errs []error
	for _, it := range items {
		c, err := s.st.ChannelByID(ctx, it.ChannelID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if c.Status != channel.Running || !c.Method.Automatic() {
			errs = append(errs, s.st.RecordItemRecheck(ctx, it, true, "阵地已不在运行或改为人工检查，不再自动复查"))
			continue
		}
		rules, err := s.st.ChannelRules(ctx, c.UnitID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got := s.checkOne(ctx, s.channelFetcher(), c, rules, CheckOptions{}.withDefaults())
		if got.Err != nil {
			errs = append(errs, got.Err)
			continue
		}
		passed, note := got.Result.OK, ""
		switch it.Auto {
		case channel.AutoFresh:
			passed = passed && !got.Fresh.Stale
			note = got.Fresh.DaysText() + "，期限" + got.Fresh.Rule.LimitText()
		default:
			for _, f := range got.Result.Findings {
				if f.Kind == channel.FUnreachable || f.Kind == channel.FSlow || f.Kind == channel.FDeadLink {
					passed = false
					note = f.Detail
				}
			}
			if note == "" {
				note = fmt.Sprintf("页面可正常访问，用时 %d 毫秒", got.Result.Millis)
			}
		}
		if !got.Result.OK {
			note = "页面无法读取：" + got.Result.Error
		}
		errs = append(errs, s.st.RecordItemRecheck(ctx, it, passed, note))
	}
	return errors.Join(errs...)
}
