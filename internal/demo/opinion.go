package demo

import (
	"context"
	"fmt"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// Opinion demo (issue 17, oppipe): two schemes of the bureau's kind and a
// month of public items as an export file would bring them, with reposts,
// so the 舆情 pages show dedup groups, hits and events. Written for zhendi;
// the places and events are made up. Loaded once per unit.

var demoSchemes = []store.OpinionScheme{
	{Name: "农产品质量安全", Rule: "(农药残留 | 瘦肉精 | 农产品) & (超标 | 抽检不合格 | 中毒) & !演练", Scope: "all", Enabled: true},
	{Name: "动物疫病", Rule: "(非洲猪瘟 | 禽流感 | 口蹄疫) & (疫情 | 扑杀 | 封锁)", Scope: "all", Enabled: true},
	{Name: "农民工工资", Rule: "(农民工 | 务工人员) & (欠薪 | 讨薪 | 拖欠)", Scope: "all", Enabled: true},
}

// demoItems: day of June 2023, hour, title, text.
var demoItems = []struct {
	day, hour   int
	title, text string
}{
	{3, 9, "示范区开展春季农产品抽检", "区农业农村局本周在三个批发市场抽检蔬菜样品 120 批次，结果将向社会公布。"},
	{5, 10, "某批发市场豇豆农药残留超标", "网友反映示范区某批发市场出售的豇豆农药残留超标，食用后出现头晕，希望有关部门尽快调查。"},
	{5, 12, "转：某批发市场豇豆农药残留超标", "网友反映示范区某批发市场出售的豇豆农药残留超标，食用后出现头晕，希望有关部门尽快调查！"},
	{5, 14, "豇豆农药残留超标引关注", "网友反映示范区某批发市场出售的豇豆农药残留超标，食用后出现头晕，希望有关部门尽快调查。转发扩散"},
	{5, 18, "区农业农村局回应豇豆抽检问题", "区农业农村局表示已对涉事批发市场豇豆开展复检，抽检不合格批次已下架封存，将依法查处。"},
	{6, 9, "豇豆抽检不合格批次已下架", "区农业农村局通报，涉事批发市场抽检不合格豇豆已全部下架，复检结果将及时公布。"},
	{6, 11, "市民：买菜更放心了", "不少市民表示，抽检结果公开后买菜更放心了，希望常态化开展农产品检测。"},
	{8, 10, "示范区举办高素质农民培训班", "本期培训班围绕设施蔬菜种植和农产品电商开展，120 名学员参加。"},
	{10, 15, "邻县报告非洲猪瘟疫情", "邻县一养殖场发生非洲猪瘟疫情，当地已启动应急响应，扑杀生猪并设立封锁区。"},
	{10, 17, "示范区加强生猪调运监管", "受邻县非洲猪瘟疫情影响，示范区在主要路口设立临时检查站，加强生猪调运监管和消毒。"},
	{11, 9, "养殖户担心猪价下跌", "部分养殖户担心非洲猪瘟疫情影响销售，区农业农村局表示将做好技术服务和市场监测。"},
	{12, 10, "非洲猪瘟疫情防控问答", "区动物疫病预防控制中心发布防控问答，提醒养殖户不从疫区调入生猪，发现异常及时报告。"},
	{15, 9, "高标准农田建设进展顺利", "今年示范区新建高标准农田 2 万亩，目前已完成八成工程量。"},
	{18, 20, "工地务工人员讨薪", "网友发帖称示范区某农田水利工地拖欠农民工工资三个月，几十名务工人员讨薪无果。"},
	{18, 22, "转发：工地拖欠农民工工资", "网友发帖称示范区某农田水利工地拖欠农民工工资三个月，几十名务工人员讨薪无果，求关注。"},
	{19, 11, "区里回应工地欠薪问题", "区人社局和区农业农村局联合调查，施工单位已承诺本周内结清拖欠的农民工工资。"},
	{21, 10, "夏粮收购有序开展", "示范区夏粮收购进度过半，收购价格稳中有升，农民售粮积极。"},
	{25, 9, "示范区农产品直播带货节开幕", "首届农产品直播带货节吸引 50 家合作社参加，首日销售额突破百万元。"},
}

func loadOpinion(ctx context.Context, s *store.Store, unitID int64, actor store.Actor, sc access.Scope) error {
	existing, err := s.OpinionSchemes(ctx, sc, unitID)
	if err != nil || len(existing) > 0 {
		return err
	}
	svc := service.New(s, service.Config{}, nil)
	for i := range demoSchemes {
		c := demoSchemes[i]
		c.UnitID = unitID
		if err := svc.SaveOpinionScheme(ctx, actor, sc, &c); err != nil {
			return fmt.Errorf("demo scheme %s: %w", c.Name, err)
		}
	}
	var b strings.Builder
	for i, it := range demoItems {
		fmt.Fprintf(&b, `{"id":"demo-%d","title":%q,"text":%q,"published":"2023-06-%02d %02d:00"}`+"\n", i+1, it.title, it.text, it.day, it.hour)
	}
	if _, err := svc.ImportOpinion(ctx, actor, sc, unitID, "演示舆情.jsonl", strings.NewReader(b.String())); err != nil {
		return fmt.Errorf("demo opinion items: %w", err)
	}
	return nil
}
