package demo

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// supervisionFrom is the day the demo unit's own rules take effect.
const supervisionFrom = "2023-01-01"

// demoRect is one item of the demo rectification list and how far it got.
type demoRect struct {
	Ref, Title, Source, Owner, Org, Measures, Deadline, Progress string
	Steps                                                        []supervise.Step
	Verifier                                                     string
}

var demoRects = []demoRect{
	{Ref: "demo:rect:portal", Title: "区政府门户网站本局政务公开栏目5月8日至5月26日超过两周未更新", Source: "inspection", Owner: "majun", Org: "demo-bgs",
		Measures: "明确专人每周更新栏目，建立栏目更新台账，纳入信息编发月通报。", Deadline: "2023-07-31",
		Progress: "已明确马骏负责栏目维护，6月起每周更新。", Steps: []supervise.Step{supervise.StepStart}},
	{Ref: "demo:rect:forms", Title: "上半年理论学习形式较为单一，以集中学习为主，专题研讨、现场教学较少", Source: "supervision", Owner: "zhouwenjing", Org: "demo-bgs",
		Measures: "下半年学习计划增加专题研讨2次、现场教学1次。", Deadline: "2023-08-31",
		Progress: "已修订下半年学习计划并报党组审定。", Steps: []supervise.Step{supervise.StepStart, supervise.StepSubmit}},
	{Ref: "demo:rect:wechat", Title: "工作微信群管理员职责不明确，群内转发未经审核的信息", Source: "inspection", Owner: "gaoyuan", Org: "demo-zcfg",
		Measures: "制定工作群管理规定，明确群主和管理员责任。", Deadline: "2023-06-30",
		Progress: "已印发《工作微信群管理规定》并在全局通报。", Steps: []supervise.Step{supervise.StepStart, supervise.StepSubmit, supervise.StepVerify}, Verifier: uClerk},
}

// loadSupervise stores the demo unit's rules (the presets, with the unit's
// own deadline of 30 November for the 研判报告 and a monthly 主题党日 per
// branch) and a short rectification list at different stages. It writes
// nothing when the unit already has rules.
func loadSupervise(ctx context.Context, s *store.Store, unitID int64, users map[string]int64) error {
	have, err := s.RuleVersions(ctx, []int64{unitID})
	if err != nil {
		return err
	}
	if len(have[unitID]) > 0 {
		return nil
	}
	scopeOf := func(username string) (access.Scope, store.Actor, error) {
		u, err := s.User(ctx, users[username])
		if err != nil {
			return access.Scope{}, store.Actor{}, fmt.Errorf("demo user %s: %w", username, err)
		}
		sc, err := service.New(s, service.Config{}, nil).ScopeOf(ctx, u)
		return sc, store.Actor{UserID: u.ID, Name: u.Name}, err
	}
	sc, actor, err := scopeOf(uClerk)
	if err != nil {
		return err
	}
	for _, p := range supervise.Presets(unitID, supervisionFrom) {
		if p.Key != "analysis_report" {
			continue
		}
		p.DueMonth, p.Note = 11, "本单位要求：每年11月30日前形成分析研判报告"
		if _, err := s.SaveRule(ctx, actor, sc, p, supervisionFrom); err != nil {
			return fmt.Errorf("demo rule: %w", err)
		}
	}
	themeDay := supervise.Rule{UnitID: unitID, Key: "theme_day", Name: "主题党日", Subject: supervise.SubjectBranch, Type: "theme_day",
		Count: 1, Period: supervise.Monthly, GraceDays: 5, RemindDays: 7, Note: "各支部每月开展1次主题党日"}
	if _, err := s.SaveRule(ctx, actor, sc, themeDay, supervisionFrom); err != nil {
		return fmt.Errorf("demo rule: %w", err)
	}
	nodes, err := s.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return err
	}
	orgByCode := map[string]int64{}
	for _, n := range nodes {
		orgByCode[n.Code] = n.ID
	}
	// Items are worked on as people would, through the service's rules.
	svc := service.New(s, service.Config{}, nil)
	svc.SetClock(s.Now)
	for _, d := range demoRects {
		r := supervise.Rect{UnitID: unitID, OrgID: orgByCode[d.Org], Title: d.Title, Source: d.Source, SourceRef: d.Ref, OwnerID: users[d.Owner],
			Measures: d.Measures, Deadline: d.Deadline}
		created, err := s.EnsureAutoRect(ctx, actor, &r)
		if err != nil {
			return fmt.Errorf("demo rectification: %w", err)
		}
		if !created {
			continue
		}
		osc, oactor, err := scopeOf(d.Owner)
		if err != nil {
			return err
		}
		r.Progress = d.Progress
		if _, err := svc.UpdateRect(ctx, oactor, osc, r.ID, r); err != nil {
			return fmt.Errorf("demo rectification progress: %w", err)
		}
		for _, st := range d.Steps {
			stepSc, stepActor := osc, oactor
			if st == supervise.StepVerify {
				if stepSc, stepActor, err = scopeOf(d.Verifier); err != nil {
					return err
				}
			}
			if st == supervise.StepSubmit {
				// 提交验收 needs 佐证材料 (supervise.TakeStep): the owner's note.
				ev := []store.RectUpload{{Name: "整改情况说明.txt", Mime: "text/plain; charset=utf-8", Data: []byte(r.Title + "\n" + d.Progress + "\n")}}
				if _, err := svc.AddRectEvidence(ctx, oactor, osc, r.ID, ev); err != nil {
					return fmt.Errorf("demo rectification evidence: %w", err)
				}
			}
			if _, err := svc.StepRect(ctx, stepActor, stepSc, r.ID, st, "整改到位，同意销号"); err != nil {
				return fmt.Errorf("demo rectification %s: %w", st, err)
			}
		}
	}
	return nil
}
