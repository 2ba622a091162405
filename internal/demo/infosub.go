package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// The demo's information submissions (信息报送) for 2023H1: each department's
// 信息员 writes drafts every month; they go through 初审 (the 专干), 复审
// (the department head), 三校 and 终审 (the 分管领导); about a third are
// published on the portal or 公众号 and some are adopted by district, city
// or province media. 计划财务科 submits nothing in March and May and the
// 执法大队 nothing in February (零报送). In late June a few drafts are still
// in review, one was returned, two were withdrawn and two are unsent drafts,
// so every page has something to show.

// infoDept is a department's information officer and monthly output.
type infoDept struct {
	code, officer, head string
	perMonth            [6]int // drafts submitted per month, January–June
	topics              []string
}

var infoDepts = []infoDept{
	{"demo-bgs", "majun", "zhouwenjing", [6]int{4, 3, 5, 4, 5, 4}, []string{"党组理论学习中心组集中学习", "意识形态工作责任制落实", "机关作风建设", "政务公开工作", "“三会一课”制度落实"}},
	{"demo-zcfg", "tangjing", "gaoyuan", [6]int{3, 3, 4, 3, 4, 3}, []string{"农业农村法治宣传", "“八五”普法", "农业行政规范性文件清理", "涉农政策解读"}},
	{"demo-jhcw", "hanlu", "luoguoqing", [6]int{2, 2, 0, 2, 0, 2}, []string{"涉农资金监管", "农业项目资金绩效评价", "惠农补贴发放"}},
	{"demo-cyfz", "dengli", "xujianjun", [6]int{3, 4, 4, 3, 4, 3}, []string{"春耕备耕", "农产品质量安全", "特色产业发展", "农民专业合作社规范提升", "农业品牌建设"}},
	{"demo-shsy", "dingning", "lvhongmei", [6]int{3, 3, 3, 4, 3, 3}, []string{"农村人居环境整治", "乡村振兴示范村建设", "移风易俗", "农村厕所革命"}},
	{"demo-ntjs", "yaolin", "yuhaitao", [6]int{2, 3, 3, 3, 4, 3}, []string{"高标准农田建设", "农田水利设施管护", "耕地保护"}},
	{"demo-zfdd", "yuanli", "fangzhiyuan", [6]int{2, 0, 2, 3, 3, 2}, []string{"农资打假专项行动", "禁渔期执法检查", "动物卫生监督"}},
}

var infoVerbs = []string{"扎实推进", "全力抓好", "持续深化", "多措并举推动", "高质量开展", "积极开展"}
var infoOutlets = map[string][]string{
	"portal": {"区政府门户网站·部门动态", "区政府门户网站·政务公开"}, "wechat": {"“示范农业农村”微信公众号"},
	"district": {"示范区融媒体中心", "区委办《信息快报》"}, "city": {"市农业农村局网站", "市委办《每日要情》"}, "province": {"省农业农村厅《工作动态》"},
}

// loadInfo seeds the demo unit's drafts unless it has some.
func loadInfo(ctx context.Context, s *store.Store, unitID int64, nodes, users map[string]int64) error {
	has, err := s.HasInfoDrafts(ctx, unitID)
	if err != nil || has {
		return err
	}
	name := map[int64]string{}
	for _, p := range people {
		name[users[p.Username]] = p.Name
	}
	clerk, direct := users[uClerk], users[uDirect]
	cfg := infosub.DefaultConfig()
	rng := rand.New(rand.NewPCG(7, 2023))
	day := func(month, d int, hour int) time.Time {
		return time.Date(2023, time.Month(month), d, hour, rng.IntN(60), 0, 0, cntime.Zone)
	}
	var drafts []store.SeedDraft
	n := 0
	for _, dept := range infoDepts {
		org, author, head := nodes[dept.code], users[dept.officer], users[dept.head]
		for m := 1; m <= 6; m++ {
			for k := 0; k < dept.perMonth[m-1]; k++ {
				n++
				topic := dept.topics[(m+k)%len(dept.topics)]
				title := fmt.Sprintf("%s%s%s", deptShort(dept.code), infoVerbs[(n+k)%len(infoVerbs)], topic)
				body, text := infoBody(topic, m, n)
				sub := day(m, 1+(k*7+n)%27, 9+k%6)
				d := infosub.Draft{OrgID: org, AuthorID: author, AuthorName: name[author], Title: title, Body: body, BodyText: text,
					Category: infosub.Categories[n%4], Chain: cfg.Chain, Version: 1, Cycle: 1,
					SubmittedDate: sub.Format(cntime.DateLayout), SubmittedAt: sub.Unix(), CreatedAt: sub.Add(-3 * time.Hour).Unix()}
				sd := store.SeedDraft{Versions: []infosub.Version{{Version: 1, Title: title, Body: body, BodyText: text, CreatedAt: sub.Unix(), ByName: name[author], Note: "提交"}}}
				dec := func(step int, act infosub.Action, who int64, at time.Time, round int, comment string) {
					stepName := ""
					if step >= 0 {
						stepName = cfg.Chain[step].Name
					}
					sd.Decisions = append(sd.Decisions, infosub.Decision{Cycle: d.Cycle, Step: max(step, 0), StepName: stepName, Action: act, Round: round,
						UserID: who, UserName: name[who], Comment: comment, Version: d.Version, At: at.Unix()})
				}
				dec(0, infosub.ActSubmit, author, sub, 0, "")
				late := m == 6 && sub.Day() >= 20
				switch {
				case n%41 == 0: // withdrawn before 初审
					d.Status = infosub.StatusWithdrawn
					dec(0, infosub.ActWithdraw, author, sub.Add(2*time.Hour), 0, "与办公室已报信息重复")
					d.UpdatedAt = sub.Add(2 * time.Hour).Unix()
				case late && k%2 == 0: // still at 复审
					dec(0, infosub.ActApprove, clerk, sub.Add(20*time.Hour), 0, "同意")
					d.Status, d.Step, d.StepDue = infosub.StatusReview, 1, sub.Add(68*time.Hour).Unix()
					d.UpdatedAt = sub.Add(20 * time.Hour).Unix()
				case late: // waiting for 初审
					d.Status, d.Step, d.StepDue = infosub.StatusReview, 0, sub.Add(48*time.Hour).Unix()
					d.UpdatedAt = sub.Unix()
				default:
					t := sub.Add(5 * time.Hour)
					if n%9 == 0 { // returned once, then resubmitted with changes
						dec(0, infosub.ActReturn, clerk, t, 0, "数据口径请与计划财务科核对，标题请突出成效")
						t = t.Add(20 * time.Hour)
						d.Cycle, d.Version = 2, 2
						text2 := text + "\n截至目前，相关数据已与计划财务科逐项核对。"
						body2 := body + "<p>截至目前，相关数据已与计划财务科逐项核对。</p>"
						sd.Versions = append(sd.Versions, infosub.Version{Version: 2, Title: title, Body: body2, BodyText: text2, CreatedAt: t.Unix(), ByName: name[author], Note: "退回后重新提交"})
						d.Body, d.BodyText = body2, text2
						dec(0, infosub.ActSubmit, author, t, 0, "已按意见修改")
						t = t.Add(3 * time.Hour)
					}
					dec(0, infosub.ActApprove, clerk, t, 0, "同意")
					t = t.Add(18 * time.Hour)
					dec(1, infosub.ActApprove, head, t, 0, "同意报送")
					for r, who := range []int64{clerk, head, direct} {
						t = t.Add(time.Hour)
						dec(2, infosub.ActProof, who, t, r+1, "")
					}
					t = t.Add(20 * time.Hour)
					dec(2, infosub.ActApprove, direct, t, 0, "同意发布")
					d.Status, d.Step, d.ApprovedAt = infosub.StatusApproved, 2, t.Unix()
					d.UpdatedAt = t.Unix()
					if n%2 == 1 && t.Month() <= 6 {
						d.Status = infosub.StatusPublished
						lvl := []string{"portal", "wechat"}[n%2]
						pub := t.Add(24 * time.Hour)
						if pub.Month() > 6 {
							pub = t
						}
						sd.Pubs = append(sd.Pubs, infosub.Publication{Kind: "publish", Level: lvl, Outlet: infoOutlets[lvl][n%len(infoOutlets[lvl])],
							Date: pub.Format(cntime.DateLayout), Points: cfg.Points[lvl]})
						dec(-1, infosub.ActPublish, clerk, pub, 0, "")
						if n%8 == 1 || n%8 == 5 && n%3 == 0 {
							adopt := "district"
							switch {
							case n%19 == 0:
								adopt = "province"
							case n%5 == 0:
								adopt = "city"
							}
							at := pub.Add(72 * time.Hour)
							if at.Month() > 6 {
								at = pub
							}
							sd.Pubs = append(sd.Pubs, infosub.Publication{Kind: "adopt", Level: adopt, Outlet: infoOutlets[adopt][n%len(infoOutlets[adopt])],
								Date: at.Format(cntime.DateLayout), Points: cfg.Points[adopt]})
							dec(-1, infosub.ActAdopt, clerk, at, 0, "")
						}
						d.UpdatedAt = pub.Unix()
					}
				}
				if d.Status != infosub.StatusReview {
					d.Step = min(d.Step, len(cfg.Chain)-1)
				}
				sd.Draft = d
				drafts = append(drafts, sd)
			}
		}
	}
	// Two unsent drafts and one returned draft with screening findings, so
	// the screening panel shows its work on the demo.
	extra := []struct {
		dept, title, text string
		returned          bool
	}{
		{"demo-cyfz", "产业发展科推进农产品质量安全追溯", "截止目前,全区已有86家农业企业纳入追溯平台。区环保局与我局联合开展农资包装废弃物回收检查, 确保“一带一路战略”相关出口农产品质量。\n下一步将于2023.7.15前完成第二批企业入驻。", false},
		{"demo-shsy", "农村社会事业科开展移风易俗宣传", "我科深入各村开展移风易俗宣传,发放倡议书3000余份。小编获悉, 群众反响良好。", false},
		{"demo-ntjs", "农田建设管理科推进高标准农田建设", "今年计划建设高标准农田2万亩, 截止目前已完成1.2万亩。", true},
	}
	for i, x := range extra {
		author := users[infoDeptByCode(x.dept).officer]
		body, text := paragraphs(x.text)
		t := day(6, 26+i, 10)
		d := infosub.Draft{OrgID: nodes[x.dept], AuthorID: author, AuthorName: name[author], Title: x.title, Body: body, BodyText: text,
			Category: infosub.Categories[0], Status: infosub.StatusDraft, CreatedAt: t.Unix(), UpdatedAt: t.Unix()}
		sd := store.SeedDraft{}
		if x.returned {
			d.Status, d.Chain, d.Version, d.Cycle, d.SubmittedDate, d.SubmittedAt = infosub.StatusReturned, cfg.Chain, 1, 1, t.Format(cntime.DateLayout), t.Unix()
			sd.Versions = []infosub.Version{{Version: 1, Title: x.title, Body: body, BodyText: text, CreatedAt: t.Unix(), ByName: name[author], Note: "提交"}}
			sd.Decisions = []infosub.Decision{
				{Cycle: 1, StepName: "初审", Action: infosub.ActSubmit, UserID: author, UserName: name[author], Version: 1, At: t.Unix()},
				{Cycle: 1, StepName: "初审", Action: infosub.ActReturn, UserID: clerk, UserName: name[clerk], Comment: "“截止目前”应为“截至目前”，请补充建设进度的数据来源", Version: 1, At: t.Add(3 * time.Hour).Unix()},
			}
			d.UpdatedAt = t.Add(3 * time.Hour).Unix()
		}
		sd.Draft = d
		drafts = append(drafts, sd)
	}
	actor := store.Actor{UserID: clerk, Name: name[clerk]}
	if err := s.SeedInfo(ctx, actor, unitID, drafts); err != nil {
		return fmt.Errorf("seed demo information: %w", err)
	}
	// 办公室 has a higher monthly quota than the unit default.
	sc := access.Build(clerk, unitID, []access.Grant{{Role: access.Clerk, OrgID: unitID, UnitID: unitID, Kind: "unit"}}, nil)
	return s.SetInfoQuota(ctx, actor, sc, unitID, nodes["demo-bgs"], 4)
}

func infoDeptByCode(code string) infoDept {
	for _, d := range infoDepts {
		if d.code == code {
			return d
		}
	}
	return infoDept{}
}

func deptShort(code string) string {
	for _, n := range subNodes {
		if n.Code == code {
			return n.Name
		}
	}
	return ""
}

// infoBody writes a short, plausible information text about topic.
func infoBody(topic string, month, n int) (body, text string) {
	lines := []string{
		fmt.Sprintf("%d月以来，我局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，把%s作为服务乡村振兴的重要抓手，周密部署、压实责任。", month, topic),
		fmt.Sprintf("一是加强组织领导，成立工作专班，明确责任分工和时间节点；二是深入基层一线，累计开展实地督导%d次，解决实际问题%d个；三是强化宣传引导，通过门户网站、微信公众号等平台及时发布工作动态。", 3+n%7, 5+n%11),
		"下一步，我局将持续跟踪问效，推动各项任务落地见效，为全区农业农村高质量发展提供有力支撑。",
	}
	return paragraphs(strings.Join(lines, "\n"))
}

func paragraphs(text string) (body, plain string) {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		b.WriteString("<p>" + htmlEscape(l) + "</p>")
	}
	return b.String(), text
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
