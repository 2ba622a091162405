package demo

import (
	"context"
	"errors"
	"fmt"

	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/ledger"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// loadAssess gives the demo bureau what the 考核问责 pages show: 分管 of
// the leaders, the responsibility list generated from them, 2023's 五个纳入
// (four of five confirmed), three leaders' 述职 with 测评, one decided
// accountability case, and the district's 2023 考核细则 published with the
// bureau's self-assessment submitted for review. Idempotent: it does
// nothing once the bureau has a responsibility list.
func loadAssess(ctx context.Context, s *store.Store, ids map[string]int64, users map[string]int64, unitID, districtID int64) error {
	svc := service.New(s, service.Config{}, nil)
	who := func(username string) (store.Actor, assess.Actor, error) {
		u, err := s.User(ctx, users[username])
		if err != nil {
			return store.Actor{}, assess.Actor{}, fmt.Errorf("demo user %s: %w", username, err)
		}
		sc, err := svc.ScopeOf(ctx, u)
		if err != nil {
			return store.Actor{}, assess.Actor{}, err
		}
		return store.Actor{UserID: u.ID, Name: u.Name}, service.AssessActor(u, sc), nil
	}
	cAct, clerk, err := who(uClerk)
	if err != nil {
		return err
	}
	have, err := s.Duties(ctx, clerk.Scope, unitID, 0)
	if err != nil || len(have) > 0 {
		return err
	}
	fenguan := map[string][]string{
		uDirect:    {"demo-bgs", "demo-zcfg"},
		uDeputy2:   {"demo-cyfz", "demo-shsy"},
		uDiscip:    {"demo-zfdd"},
		uDeputy3:   {"demo-jhcw", "demo-ntjs"},
		uSecretary: nil,
	}
	for user, codes := range fenguan {
		var orgs []int64
		for _, c := range codes {
			orgs = append(orgs, ids[c])
		}
		if err := svc.SetFenguan(ctx, cAct, clerk, unitID, users[user], orgs); err != nil {
			return fmt.Errorf("demo fenguan %s: %w", user, err)
		}
	}
	if _, err := svc.GenerateDuties(ctx, cAct, clerk, unitID); err != nil {
		return fmt.Errorf("demo duties: %w", err)
	}
	// 五个纳入: the 专题研究 entry evidences 重要议事; 文明创建 is left open.
	topic, err := s.AssessActivities(ctx, clerk.Scope, []int64{unitID}, 2023, []string{ledger.TopicStudy})
	if err != nil {
		return err
	}
	var topicID int64
	if list := topic[unitID]; len(list) > 0 {
		topicID = list[0].ID
	}
	for _, in := range []assess.Inclusion{
		{Key: assess.InAgenda, Done: true, Evidence: "党组会议专题研究意识形态工作", ActivityID: topicID},
		{Key: assess.InPartyBuild, Done: true, Evidence: "《2023年党建工作要点》（农党组〔2023〕3号）第二部分"},
		{Key: assess.InTargets, Done: true, Evidence: "《2023年度目标绩效考核方案》（农党组〔2023〕5号），意识形态工作占10分"},
		{Key: assess.InDiscipline, Done: true, Evidence: "2023年党风廉政建设责任书，派驻纪检组监督检查计划第4项"},
		{Key: assess.InCivility, Evidence: ""},
	} {
		in.UnitID, in.Year = unitID, 2023
		if err := svc.SaveInclusion(ctx, cAct, clerk, in); err != nil {
			return fmt.Errorf("demo inclusions: %w", err)
		}
	}
	for _, d := range []assess.Debrief{
		{UserID: users[uSecretary], Good: 36, Fair: 5, Average: 1, Text: "一年来，我履行意识形态工作第一责任人职责，主持党组会议专题研究意识形态工作，为全局干部讲授党课。",
			FollowUps: "下半年中心组学习未按计划全部开展，2024年按月落实\n推动文明创建方案写入意识形态工作内容"},
		{UserID: users[uDirect], Good: 32, Fair: 8, Average: 2, Text: "我协助党组书记抓意识形态工作的统筹协调，组织开展分析研判，审核信息稿件。",
			FollowUps: "办公室信息报送任务完成率偏低，逐月通报"},
		{UserID: users[uDeputy2], Good: 30, Fair: 9, Average: 3, Text: "我按照“一岗双责”抓好分管的产业发展科和农村社会事业科的意识形态工作。"},
	} {
		d.UnitID, d.Year, d.Date, d.Meeting = unitID, 2023, "2024-01-18", "2023年度领导班子民主生活会暨述职会议"
		if err := svc.SaveDebrief(ctx, cAct, clerk, &d); err != nil {
			return fmt.Errorf("demo debriefs: %w", err)
		}
	}
	fAct, first, err := who(uSecretary)
	if err != nil {
		return err
	}
	cs := assess.Case{UnitID: unitID, Year: 2023, Title: "机关第二党支部第三季度党小组会未按期召开", Situation: "duty",
		Facts: "机关第二党支部7月至9月未召开党小组会，督导提醒后仍未补开，经调查属实。", Evidence: "督导看板“党小组会”7—9月未完成；支部会议记录本",
		Persons: []assess.CasePerson{{UserID: users["xujianjun"], Resp: "直接责任"}},
		Dates:   [5]string{"2023-10-09", "2023-10-16", "2023-10-18", "2023-10-20", "2023-10-27"},
		Method:  "批评教育", Body: "中共示范区农业农村局党组", ResultUse: "记入支部书记年度考核材料", InAssessment: true}
	if err := svc.SaveCase(ctx, fAct, first, &cs); err != nil {
		return fmt.Errorf("demo case: %w", err)
	}
	// The district's 2023 tree, published; the bureau self-assesses and submits.
	dAct, district, err := who("ducha")
	if err != nil {
		return err
	}
	t, err := svc.CreateDefaultTree(ctx, dAct, district, districtID, 2023)
	if errors.Is(err, assess.ErrTreeExists) {
		return nil
	} else if err != nil {
		return fmt.Errorf("demo tree: %w", err)
	}
	if t, err = svc.PublishTree(ctx, dAct, district, t.ID); err != nil {
		return fmt.Errorf("demo tree publish: %w", err)
	}
	scores, err := svc.ScoreUnits(ctx, clerk.Scope, t, []int64{unitID})
	if err != nil {
		return err
	}
	as := scores[unitID].Assessment
	self := map[string][2]string{
		"每半年向上级党委报告意识形态工作":    {"5", "上半年总结（农党组〔2023〕18号，7月5日报区委宣传部）；全年总结（农党组〔2024〕2号）"},
		"宣传思想阵地管理":            {"4", "阵地登记表；第三季度网络安全排查发现公众号1周未更新，已整改"},
		"意识形态领域发生重大问题造成严重影响":  {"0", "全年未发生"},
		"经验做法被上级推广或信息被市级以上采用": {"2", "《农民日报》2023年9月采用信息1篇"},
	}
	for _, ind := range t.Indicators {
		v, ok := self[ind.Name]
		if ind.Method != assess.Manual || !ok {
			continue
		}
		var score float64
		fmt.Sscan(v[0], &score)
		if err := svc.SelfAssess(ctx, cAct, clerk, as.ID, ind.ID, score, false, "", v[1]); err != nil {
			return fmt.Errorf("demo self-assessment %s: %w", ind.Name, err)
		}
	}
	if _, err := svc.StepAssessment(ctx, cAct, clerk, as.ID, assess.ActSubmit, ""); err != nil && !apperr.IsUser(err) {
		return fmt.Errorf("demo submit: %w", err)
	}
	return nil
}
