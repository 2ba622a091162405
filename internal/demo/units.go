package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
)

// The demo district's two other bureaus, so the district views — the
// matrix of obligations, the ranking, the 月通报 across units and the
// district 通报 — compare three units with different records (issue 14 D):
//
//   - 示范区文化和旅游局 keeps its ledger well: 中心组学习 twice a month,
//     every 党小组会, each leader's 党课, a 研判报告, entries on the day;
//     its information output is steady.
//   - 示范区市场监督管理局 falls behind: no 中心组学习 in April or June,
//     党小组会 missed in three months, no 研判报告, and a batch of entries
//     back-filled on 26 June; one of its departments reports nothing in
//     May (零报送).
//
// They are smaller than the bureau (three departments and one branch,
// seven accounts each) and are loaded after it, in the same idempotent way.

// otherUnit is one of the district's other bureaus.
type otherUnit struct {
	Code, Name, Branch string
	Depts              []nodeSpec
	People             []person
	Issuer, Prefix     string
	// Strong: keeps every obligation; otherwise the gaps above.
	Strong bool
	// InfoPerMonth: drafts per department per month, January–June.
	InfoPerMonth [3][6]int
}

var otherUnits = []otherUnit{
	{Code: "demo-wl", Name: "示范区文化和旅游局", Branch: "demo-wl-zb", Strong: true, Issuer: "中共示范区文化和旅游局党组", Prefix: "文旅发",
		Depts: []nodeSpec{{"demo-wl-bgs", org.Department, "办公室"}, {"demo-wl-ys", org.Department, "艺术和公共服务科"}, {"demo-wl-ly", org.Department, "旅游发展科"}},
		People: []person{
			{"wl_zhaoming", "赵明", "党组书记、局长", "demo-wl", "demo-wl-zb", true, []roleAt{{access.FirstResp, "demo-wl"}}, false},
			{"wl_qianli", "钱莉", "党组成员、副局长", "demo-wl", "demo-wl-zb", true, []roleAt{{access.DirectResp, "demo-wl"}}, false},
			{"wl_sunhao", "孙浩", "党组成员、副局长", "demo-wl", "demo-wl-zb", true, []roleAt{{access.LeaderMember, "demo-wl"}}, false},
			{"wl_zhuanyuan", "周雅", "办公室副主任、意识形态专干", "demo-wl-bgs", "demo-wl-zb", true, []roleAt{{access.Clerk, "demo-wl"}}, true},
			{"wl_wujie", "吴杰", "科员", "demo-wl-bgs", "demo-wl-zb", true, []roleAt{{access.InfoOfficer, "demo-wl-bgs"}}, false},
			{"wl_zhengxin", "郑欣", "科员", "demo-wl-ys", "demo-wl-zb", true, []roleAt{{access.InfoOfficer, "demo-wl-ys"}}, false},
			{"wl_wangfang", "王芳", "科员", "demo-wl-ly", "demo-wl-zb", true, []roleAt{{access.InfoOfficer, "demo-wl-ly"}}, false},
		},
		InfoPerMonth: [3][6]int{{3, 2, 3, 3, 2, 3}, {2, 2, 2, 3, 2, 2}, {3, 3, 4, 3, 3, 3}}},
	{Code: "demo-sj", Name: "示范区市场监督管理局", Branch: "demo-sj-zb", Issuer: "中共示范区市场监督管理局党组", Prefix: "市监发",
		Depts: []nodeSpec{{"demo-sj-bgs", org.Department, "办公室"}, {"demo-sj-zl", org.Department, "质量发展科"}, {"demo-sj-sp", org.Department, "食品安全协调科"}},
		People: []person{
			{"sj_linguo", "林国", "党组书记、局长", "demo-sj", "demo-sj-zb", true, []roleAt{{access.FirstResp, "demo-sj"}}, false},
			{"sj_hewei", "何伟", "党组成员、副局长", "demo-sj", "demo-sj-zb", true, []roleAt{{access.DirectResp, "demo-sj"}}, false},
			{"sj_luoqin", "罗琴", "党组成员、副局长", "demo-sj", "demo-sj-zb", true, []roleAt{{access.LeaderMember, "demo-sj"}}, false},
			{"sj_zhuanyuan", "许诺", "办公室科员、意识形态专干", "demo-sj-bgs", "demo-sj-zb", true, []roleAt{{access.Clerk, "demo-sj"}}, true},
			{"sj_tianye", "田野", "科员", "demo-sj-bgs", "demo-sj-zb", true, []roleAt{{access.InfoOfficer, "demo-sj-bgs"}}, false},
			{"sj_gaoling", "高玲", "科员", "demo-sj-zl", "demo-sj-zb", true, []roleAt{{access.InfoOfficer, "demo-sj-zl"}}, false},
			{"sj_mabin", "马斌", "科员", "demo-sj-sp", "demo-sj-zb", true, []roleAt{{access.InfoOfficer, "demo-sj-sp"}}, false},
		},
		InfoPerMonth: [3][6]int{{2, 1, 2, 1, 2, 1}, {1, 1, 1, 0, 0, 1}, {1, 2, 1, 1, 1, 2}}},
}

// loadOtherUnits creates the district's other bureaus, their accounts,
// ledgers and information drafts unless they are there; hash is the demo
// password's hash ("" to make one).
func loadOtherUnits(ctx context.Context, s *store.Store, districtID int64, hash string) error {
	for i, u := range otherUnits {
		if err := loadOtherUnit(ctx, s, districtID, i+2, u, &hash); err != nil {
			return fmt.Errorf("demo %s: %w", u.Name, err)
		}
	}
	return nil
}

func loadOtherUnit(ctx context.Context, s *store.Store, districtID int64, sort int, u otherUnit, hash *string) error {
	nodes := map[string]int64{}
	ensure := func(code, kind, name string, parent int64, sort int) error {
		n, err := s.NodeByCode(ctx, code)
		switch {
		case err == nil:
		case errors.Is(err, store.ErrNotFound):
			n = org.Node{ParentID: parent, Kind: kind, Name: name, Code: code, Sort: sort}
			if err := s.CreateNode(ctx, loader, &n); err != nil {
				return fmt.Errorf("create %s: %w", name, err)
			}
		default:
			return err
		}
		nodes[code] = n.ID
		return nil
	}
	if err := ensure(u.Code, org.Unit, u.Name, districtID, sort); err != nil {
		return err
	}
	for i, d := range append(append([]nodeSpec{}, u.Depts...), nodeSpec{u.Branch, org.Branch, "机关党支部"}) {
		if err := ensure(d.Code, d.Kind, d.Name, nodes[u.Code], i+1); err != nil {
			return err
		}
	}
	users := map[string]int64{}
	for i, p := range u.People {
		got, err := s.UserByUsername(ctx, p.Username)
		switch {
		case err == nil:
		case errors.Is(err, store.ErrNotFound):
			got = org.User{OrgID: nodes[p.Home], Username: p.Username, Name: p.Name, Title: p.Title, PartyMember: p.Party, Sort: i + 1}
			for _, r := range p.Roles {
				got.Grants = append(got.Grants, access.Grant{Role: r.Role, OrgID: nodes[r.Code]})
			}
			if *hash == "" {
				if *hash, err = auth.HashPassword(Password); err != nil {
					return err
				}
			}
			if err := s.CreateUserWithHash(ctx, loader, &got, *hash); err != nil {
				return fmt.Errorf("create user %s: %w", p.Username, err)
			}
		default:
			return err
		}
		users[p.Username] = got.ID
	}
	unitID := nodes[u.Code]
	clerk := u.People[3]
	actor := store.Actor{UserID: users[clerk.Username], Name: clerk.Name}
	sc := access.Build(actor.UserID, unitID, []access.Grant{{Role: access.Clerk, OrgID: unitID, UnitID: unitID, Kind: "unit"}}, nil)
	ds, err := s.DocSettings(ctx, unitID)
	if err != nil {
		return err
	}
	if ds == (org.DocSettings{}) {
		ds = org.DocSettings{Issuer: u.Issuer, Recipient: "中共示范区委宣传部", Printer: u.Name + "办公室", Prefix: u.Prefix}
		if err := s.SetDocSettings(ctx, actor, sc, unitID, ds); err != nil {
			return err
		}
	}
	if has, err := s.HasInfoDrafts(ctx, unitID); err != nil {
		return err
	} else if !has {
		if err := s.SeedInfo(ctx, actor, unitID, otherDrafts(u, nodes, users)); err != nil {
			return fmt.Errorf("seed information: %w", err)
		}
	}
	has, err := hasLedger(ctx, s, sc, unitID)
	if err != nil || has {
		return err
	}
	acts := otherLedger(u, unitID, nodes, users)
	validUntil := time.Date(planYear, 12, 31, 23, 0, 0, 0, cntime.Zone)
	for i := range acts {
		if err := acts[i].Validate(validUntil); err != nil {
			return fmt.Errorf("entry %q: %w", acts[i].Title, err)
		}
	}
	return s.SeedActivities(ctx, actor, unitID, acts)
}

// otherLedger is a bureau's 2023H1 ledger: the strong one keeps every
// obligation on time; the other has the gaps named in the file comment.
func otherLedger(u otherUnit, unitID int64, nodes, users map[string]int64) []ledger.Activity {
	leaders := u.People[:3]
	everyone := func(skip string) []ledger.Attendance {
		var out []ledger.Attendance
		for _, p := range u.People {
			at := ledger.Attendance{UserID: users[p.Username], Status: "present"}
			if p.Username == skip {
				at.Status, at.Reason = "absent", "出差（参加市局业务培训）"
			}
			out = append(out, at)
		}
		return out
	}
	var out []ledger.Activity
	add := func(typ, org, date, title, lead, content string, late string) {
		leadP := u.People[0]
		for _, p := range u.People {
			if p.Username == lead {
				leadP = p
			}
		}
		day, _ := time.ParseInLocation(cntime.DateLayout, date, cntime.Zone)
		rec := day.Add(17 * time.Hour)
		if late != "" {
			d, _ := time.ParseInLocation(cntime.DateLayout, late, cntime.Zone)
			rec = d.Add(16 * time.Hour)
		}
		a := ledger.Activity{UnitID: unitID, OrgID: nodes[org], Type: typ, Title: title, Date: date, StartTime: "09:00", DurationMin: 90,
			Place: "局会议室", LeadID: users[leadP.Username], LeadName: leadP.Name, Content: content,
			CreatedAt: rec.Unix(), CreatedBy: users[u.People[3].Username]}
		t, _ := ledger.TypeByCode(typ)
		if t.Attendance {
			a.Attendance = everyone(u.People[2].Username)
		}
		if t.Audience {
			a.AudienceType, a.AudienceCount = "干部职工", len(u.People)-1
			if typ == ledger.Preach {
				a.AudienceType, a.AudienceCount = "服务对象", 60
			}
		}
		if typ == ledger.LeadingGroup || typ == ledger.TopicStudy {
			a.Agenda = "研究部署意识形态工作"
		}
		out = append(out, a)
	}
	topics := []string{"学习贯彻党的二十大精神", "学习习近平总书记关于文化建设的重要论述", "学习《中国共产党宣传工作条例》", "学习全国两会精神",
		"学习习近平新时代中国特色社会主义思想主题教育工作会议精神", "防范化解重大风险专题学习", "党风廉政建设专题学习", "学习全省宣传部长会议精神",
		"学习中央经济工作会议精神", "学习习近平总书记关于安全生产的重要论述", "学习习近平总书记关于意识形态工作的重要论述", "学习“七一”重要讲话精神"}
	codes := []string{"ershida", "zhishi", "tiaoli", "zhishi", "ershida", "fengxian", "lianzheng", "buzhang", "zhishi", "anquan", "zhishi", "ershida"}
	backfill := "2023-06-26"
	for m := 1; m <= 6; m++ {
		// 中心组学习: twice a month for the strong bureau; the other
		// misses April and June and records March and May late.
		if u.Strong || (m != 4 && m != 6) {
			for k := range 2 {
				if !u.Strong && k == 1 {
					break
				}
				late := ""
				if !u.Strong && (m == 3 || m == 5) {
					late = backfill
				}
				i := (2*(m-1) + k) % len(topics)
				add(ledger.CentralGroup, u.Code, fmt.Sprintf("2023-%02d-%02d", m, 8+k*12), topics[i], leaders[0].Username,
					"党组书记领学，班子成员结合分管工作交流发言。", late)
				out[len(out)-1].RequiredTopics = []string{codes[i]}
			}
		}
		// 党小组会 monthly; the weaker bureau misses February, April and May.
		if u.Strong || (m != 2 && m != 4 && m != 5) {
			add(ledger.PartyGroup, u.Branch, fmt.Sprintf("2023-%02d-%02d", m, 15), fmt.Sprintf("%d月党小组会", m), leaders[1].Username,
				"学习上级文件精神，交流思想和工作情况。", "")
		}
		// 支委会 monthly.
		add(ledger.BranchCommittee, u.Branch, fmt.Sprintf("2023-%02d-%02d", m, 5), fmt.Sprintf("%d月支委会", m), leaders[1].Username,
			"研究支部本月学习和组织生活安排。", "")
	}
	add(ledger.BranchCongress, u.Branch, "2023-03-28", "第一季度支部党员大会", leaders[1].Username, "通报支部工作，开展党员教育。", "")
	add(ledger.BranchCongress, u.Branch, "2023-06-27", "第二季度支部党员大会", leaders[1].Username, "总结上半年支部工作。", "")
	add(ledger.LeadingGroup, u.Code, "2023-02-20", "意识形态工作领导小组会议", leaders[0].Username, "研究部署全年意识形态工作。", "")
	add(ledger.PartyGovMeeting, u.Code, "2023-01-30", "党组会议", leaders[0].Username, "传达学习上级会议精神，研究意识形态工作。", "")
	add(ledger.PartyLecture, u.Branch, "2023-06-28", "“七一”专题党课", leaders[0].Username, "讲授学习贯彻党的二十大精神专题党课。", "")
	if u.Strong {
		add(ledger.LeadingGroup, u.Code, "2023-06-19", "意识形态工作领导小组会议", leaders[0].Username, "听取上半年意识形态工作情况汇报。", "")
		add(ledger.PartyLecture, u.Branch, "2023-04-25", "专题党课：坚定文化自信", leaders[1].Username, "围绕坚定文化自信讲党课。", "")
		add(ledger.PartyLecture, u.Branch, "2023-05-23", "专题党课：推进文旅融合", leaders[2].Username, "围绕文旅融合高质量发展讲党课。", "")
		add(ledger.TopicStudy, u.Code, "2023-03-14", "专题研究意识形态工作", leaders[0].Username, "分析研判文旅领域意识形态形势，部署网络阵地管理。", "")
		add(ledger.Preach, u.Code, "2023-05-10", "党的二十大精神进景区宣讲", leaders[1].Username, "面向景区从业人员宣讲党的二十大精神。", "")
	} else {
		add(ledger.PartyGovMeeting, u.Code, "2023-04-17", "党组会议", leaders[0].Username, "研究市场监管领域舆情应对。", backfill)
	}
	return out
}

// otherDrafts are a bureau's information drafts of 2023H1, approved
// through its three steps; every other one published on the portal.
func otherDrafts(u otherUnit, nodes, users map[string]int64) []store.SeedDraft {
	cfg := infosub.DefaultConfig()
	var out []store.SeedDraft
	n := 0
	for di, d := range u.Depts {
		author := u.People[4+di]
		for m := 1; m <= 6; m++ {
			for k := range u.InfoPerMonth[di][m-1] {
				n++
				sub := time.Date(2023, time.Month(m), 3+k*6+di, 10, 0, 0, 0, cntime.Zone)
				title := fmt.Sprintf("%s%s%d月工作动态（%d）", u.Name, d.Name, m, k+1)
				text := fmt.Sprintf("%d月，%s%s围绕中心工作扎实推进各项任务，取得阶段性成效。", m, u.Name, d.Name)
				body, plain := paragraphs(text)
				approved := sub.Add(30 * time.Hour)
				dr := infosub.Draft{OrgID: nodes[d.Code], AuthorID: users[author.Username], AuthorName: author.Name, Title: title, Body: body, BodyText: plain,
					Category: infosub.Categories[n%4], Chain: cfg.Chain, Version: 1, Cycle: 1, Status: infosub.StatusApproved, Step: len(cfg.Chain) - 1,
					SubmittedDate: sub.Format(cntime.DateLayout), SubmittedAt: sub.Unix(), ApprovedAt: approved.Unix(),
					CreatedAt: sub.Add(-2 * time.Hour).Unix(), UpdatedAt: approved.Unix()}
				sd := store.SeedDraft{Versions: []infosub.Version{{Version: 1, Title: title, Body: body, BodyText: plain, CreatedAt: sub.Unix(), ByName: author.Name, Note: "提交"}},
					Decisions: []infosub.Decision{{Cycle: 1, StepName: cfg.Chain[0].Name, Action: infosub.ActSubmit, UserID: dr.AuthorID, UserName: author.Name, Version: 1, At: sub.Unix()}}}
				if n%2 == 1 {
					pub := approved.Add(20 * time.Hour)
					dr.Status, dr.UpdatedAt = infosub.StatusPublished, pub.Unix()
					sd.Pubs = []infosub.Publication{{Kind: "publish", Level: "portal", Outlet: "区政府门户网站·部门动态", Date: pub.Format(cntime.DateLayout), Points: cfg.Points["portal"]}}
				}
				sd.Draft = dr
				out = append(out, sd)
			}
		}
	}
	return out
}
