package perf

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

var places = []string{"局三楼会议室", "局五楼党员活动室", "局一楼报告厅", "局二楼小会议室", "党群服务中心"}

var preachPlaces = []string{"新民村党群服务中心", "城东社区活动中心", "青石镇文化站", "区政务服务大厅", "农贸市场", "东湖街道新时代文明实践站"}

var absentReasons = []string{"出差", "病假", "事假", "外出培训", "执法值班", "下乡检查", "参加区里会议", "年休假"}

var tagPool = []string{"二十大", "主题教育", "乡村振兴", "安全生产", "党风廉政", "意识形态", "理论武装", "调查研究", "作风建设", "警示教育"}

var cgTitles = []string{"学习贯彻%s", "%s专题学习", "理论学习中心组集体学习：%s", "深入学习%s研讨交流", "传达学习%s"}

var sentences = []string{
	"会议传达学习了上级有关会议和文件精神，结合本单位实际研究贯彻落实措施。",
	"与会同志围绕学习主题逐一交流发言，联系分管工作谈认识、谈体会、谈打算。",
	"会议强调，要把学习成果转化为推动工作的实际成效，做到学思用贯通、知信行统一。",
	"会议要求各科室对照任务清单，明确责任人和完成时限，确保各项工作落到实处。",
	"会议指出，要严格落实意识形态工作责任制，管好用好各类宣传阵地，守牢意识形态安全底线。",
	"主讲人结合典型案例深入解读，要求党员干部增强政治敏锐性和政治鉴别力。",
	"会议通报了近期重点工作进展情况，分析存在的问题和不足，部署下一阶段任务。",
	"会议要求持续深化理论学习，坚持读原著、学原文、悟原理，不断提高政治判断力、政治领悟力、政治执行力。",
	"会议研究了网络舆情监测和处置工作，要求及时回应群众关切，营造良好舆论氛围。",
	"会议强调要驰而不息纠治“四风”，持续为基层减负，以优良作风保障各项任务完成。",
}

// act starts an entry of the unit on a given day.
func (u *unitRefs) act(typ string, day time.Time, org int64, lead int) ledger.Activity {
	a := ledger.Activity{UnitID: u.unitID, OrgID: org, Type: typ, Date: day.Format(cntime.DateLayout)}
	if lead >= 0 {
		a.LeadID, a.LeadName = u.staff[lead], u.names[lead]
	}
	return a
}

// attend fills the attendance from staff indexes, with a few absentees and
// the given number of speakers among those present.
func (u *unitRefs) attend(rng *rand.Rand, a *ledger.Activity, who []int, speakers int) {
	for _, n := range who {
		at := ledger.Attendance{UserID: u.staff[n], Name: u.names[n], Status: "present"}
		if rng.IntN(100) < 7 && u.staff[n] != a.LeadID {
			at.Status, at.Reason = "absent", pick(rng, absentReasons)
		} else if speakers > 0 && (u.staff[n] == a.LeadID || rng.IntN(4) == 0) {
			at.Speaker = true
			speakers--
		}
		a.Attendance = append(a.Attendance, at)
	}
}

// Who is who, by staff index.
func leaders() []int { return span(firstResp, lastLeader+1) }
func core() []int    { return append(span(firstResp, firstHead+departments), clerkIndex) }
func span(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}
func (u *unitRefs) all() []int { return span(0, len(u.staff)) }
func (u *unitRefs) branch(b int) []int {
	var out []int
	for n := b; n < len(u.staff); n += branches {
		out = append(out, n)
	}
	return out
}
func (u *unitRefs) group(b, g int) []int {
	var out []int
	for i, n := range u.branch(b) {
		if i%groups == g {
			out = append(out, n)
		}
	}
	return out
}

// day picks a working day between day lo and hi of a month.
func day(rng *rand.Rand, y, m, lo, hi int) time.Time {
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, cntime.Zone).Day()
	hi = min(hi, last)
	d := time.Date(y, time.Month(m), lo+rng.IntN(hi-lo+1), 0, 0, 0, 0, cntime.Zone)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	if d.Month() != time.Month(m) {
		d = d.AddDate(0, 0, -3) // Saturday at the month's end: back to Thursday
	}
	return d
}

func topics(rng *rand.Rand, n int) []string {
	var out []string
	for _, i := range rng.Perm(len(ledger.RequiredTopics))[:n] {
		out = append(out, ledger.RequiredTopics[i].Code)
	}
	return out
}

func content(rng *rand.Rand, lead string, n int) string {
	var b strings.Builder
	if lead != "" {
		b.WriteString(lead + "同志主持并讲话。")
	}
	for _, i := range rng.Perm(len(sentences))[:n] {
		b.WriteString(sentences[i])
	}
	return b.String()
}

// year builds one unit's ledger of one year: about perYear entries with the
// mix of a busy bureau (中心组 twice a month, 三会一课 in both branches,
// monthly 党政工作会, 宣讲 to several audiences, personal 心得 and 自学).
func (u *unitRefs) year(rng *rand.Rand, y, perYear int) []ledger.Activity {
	var out []ledger.Activity
	unitOrg := u.unitID
	add := func(a ledger.Activity) { out = append(out, a) }
	for m := 1; m <= 12; m++ {
		// 党组理论学习中心组: twice a month, every third one enlarged to all staff.
		for k, r := range [][2]int{{4, 13}, {17, 27}} {
			lead := firstResp
			if rng.IntN(3) == 0 {
				lead = rng.IntN(lastLeader + 1)
			}
			a := u.act(ledger.CentralGroup, day(rng, y, m, r[0], r[1]), unitOrg, lead)
			a.RequiredTopics = topics(rng, 1+rng.IntN(2))
			a.Title = fmt.Sprintf(pick(rng, cgTitles), ledger.TopicLabel(a.RequiredTopics[0]))
			if k == 1 {
				a.Title += fmt.Sprintf("（%d年第%d次）", y, m*2)
			}
			a.Place, a.StartTime, a.DurationMin = pick(rng, places), "09:00", 90+30*rng.IntN(3)
			a.Tags = []string{pick(rng, tagPool)}
			a.Content = content(rng, a.LeadName, 3+rng.IntN(3))
			who := core()
			if (m*2+k)%3 == 0 {
				who, a.Title = u.all(), "（扩大）"+a.Title
			}
			u.attend(rng, &a, who, 2+rng.IntN(2))
			add(a)
		}
		// 党政工作会: monthly, all staff.
		a := u.act(ledger.PartyGovMeeting, day(rng, y, m, 24, 30), unitOrg, firstResp)
		a.Title = fmt.Sprintf("%d年%d月党政工作会", y, m)
		a.Place, a.StartTime, a.DurationMin = places[2], "08:30", 120
		a.Content = content(rng, a.LeadName, 4)
		u.attend(rng, &a, u.all(), 0)
		add(a)
		// Each branch: 主题党日 and 支委会 monthly, 党小组会 every other month per group.
		for b := 0; b < branches; b++ {
			org := u.nodes[departments+b]
			members := u.branch(b)
			a := u.act(ledger.ThemeDay, day(rng, y, m, 1, 10), org, members[0])
			a.Title = fmt.Sprintf("%s%d月主题党日：%s", branchNames[b], m, pick(rng, []string{"重温入党誓词", "学习党章党规", "志愿服务进社区", "参观廉政教育基地", "学习贯彻党的创新理论"}))
			a.Place, a.DurationMin = places[1], 120
			a.Content = content(rng, a.LeadName, 3)
			u.attend(rng, &a, members, 0)
			add(a)
			a = u.act(ledger.BranchCommittee, day(rng, y, m, 1, 20), org, members[0])
			a.Title = fmt.Sprintf("%s%d年%d月支委会", branchNames[b], y, m)
			a.Place, a.DurationMin = places[3], 60
			a.Content = content(rng, a.LeadName, 2)
			u.attend(rng, &a, members[:5], 0)
			add(a)
			for g := 0; g < groups; g++ {
				if (m+g)%2 != 0 {
					continue
				}
				who := u.group(b, g)
				a := u.act(ledger.PartyGroup, day(rng, y, m, 5, 25), org, who[0])
				a.Title = fmt.Sprintf("%s第%d党小组学习会", branchNames[b], g+1)
				a.Place, a.DurationMin = places[3], 60
				a.Content = content(rng, a.LeadName, 2)
				u.attend(rng, &a, who, 0)
				add(a)
			}
			if m%3 == 0 {
				a := u.act(ledger.BranchCongress, day(rng, y, m, 15, 28), org, members[0])
				a.Title = fmt.Sprintf("%s%d年第%d季度党员大会", branchNames[b], y, m/3)
				a.Place, a.DurationMin = places[1], 90
				a.Content = content(rng, a.LeadName, 3)
				u.attend(rng, &a, members, 0)
				add(a)
			}
		}
		// 业务大讲堂: monthly, a department head lectures all staff.
		head := firstHead + rng.IntN(departments)
		a = u.act(ledger.BusinessLecture, day(rng, y, m, 8, 22), u.orgOf[head], head)
		a.Title = fmt.Sprintf("业务大讲堂：%s业务知识讲座", deptNames[head-firstHead])
		a.Place, a.DurationMin = places[2], 90
		a.Content = content(rng, "", 3)
		u.attend(rng, &a, u.all(), 0)
		add(a)
		// 宣讲: a little more than once a month, mostly to 服务对象.
		for k := 0; k < 1+btoi(m%6 == 0); k++ {
			lead := rng.IntN(firstHead + departments)
			a := u.act(ledger.Preach, day(rng, y, m, 3, 27), unitOrg, lead)
			a.AudienceType = []string{"服务对象", "服务对象", "基层", "干部职工"}[rng.IntN(4)]
			a.AudienceCount = 20 + rng.IntN(180)
			a.RequiredTopics = topics(rng, 1)
			a.Title = fmt.Sprintf("%s宣讲进%s", ledger.TopicLabel(a.RequiredTopics[0]), pick(rng, []string{"乡村", "社区", "企业", "机关", "校园"}))
			a.Place, a.DurationMin = pick(rng, preachPlaces), 60+30*rng.IntN(3)
			a.Content = content(rng, "", 3)
			add(a)
		}
	}
	// Yearly items: 党课, 专题研究, 领导小组, 分析研判, 调研.
	for k := 0; k < 10; k++ {
		m := 1 + k*12/10
		lead, org, who := k%(lastLeader+1), unitOrg, u.all()
		if k >= 6 {
			b := k % branches
			org, who = u.nodes[departments+b], u.branch(b)
		}
		a := u.act(ledger.PartyLecture, day(rng, y, m, 10, 28), org, lead)
		a.AudienceType, a.RequiredTopics = "干部职工", topics(rng, 1+rng.IntN(2))
		a.Title = fmt.Sprintf("专题党课：深入学习%s", ledger.TopicLabel(a.RequiredTopics[0]))
		a.Place, a.DurationMin = places[2], 90
		a.Content = content(rng, "", 4)
		u.attend(rng, &a, who, 0)
		add(a)
	}
	for _, m := range []int{3, 7, 11} {
		a := u.act(ledger.TopicStudy, day(rng, y, m, 5, 20), unitOrg, firstResp)
		a.Title = fmt.Sprintf("党组会议专题研究意识形态工作（%d年%d月）", y, m)
		a.Agenda = "传达上级意识形态工作部署；研判本单位意识形态领域形势；研究网络阵地管理"
		a.RequiredTopics = []string{"tiaoli"}
		a.Content = content(rng, a.LeadName, 3)
		u.attend(rng, &a, append(leaders(), firstHead, clerkIndex), 0)
		add(a)
	}
	for _, m := range []int{2, 8} {
		a := u.act(ledger.LeadingGroup, day(rng, y, m, 5, 25), unitOrg, firstResp)
		a.Title = fmt.Sprintf("意识形态工作领导小组%d年第%d次会议", y, m/6+1)
		a.Agenda = "通报意识形态工作情况；部署下一阶段重点任务"
		a.Content = content(rng, a.LeadName, 3)
		u.attend(rng, &a, core(), 0)
		add(a)
	}
	for _, m := range []int{6, 12} {
		a := u.act(ledger.AnalysisReport, day(rng, y, m, 20, 28), unitOrg, directResp)
		a.Title = fmt.Sprintf("%d年%s意识形态领域形势分析研判报告", y, map[int]string{6: "上半年", 12: "下半年"}[m])
		a.RequiredTopics = []string{"fengxian"}
		a.Content = content(rng, "", 5)
		add(a)
	}
	for k := 0; k < 5; k++ {
		lead := rng.IntN(lastLeader + 1)
		a := u.act(ledger.Research, day(rng, y, 2+k*2, 5, 25), unitOrg, lead)
		a.Title = fmt.Sprintf("关于%s的调查研究", pick(rng, []string{"基层意识形态阵地建设", "网络舆情应对", "理论学习成效", "党员教育管理", "政策落实情况"}))
		a.Content = content(rng, "", 4)
		who := []int{lead}
		for _, n := range rng.Perm(len(u.staff))[:5] {
			if n != lead {
				who = append(who, n)
			}
		}
		u.attend(rng, &a, who, 0)
		add(a)
	}
	// Personal records fill the year up to about perYear: 心得 and 自学.
	personal := max(perYear-len(out), 0)
	for k := 0; k < personal; k++ {
		n := rng.IntN(len(u.staff))
		typ, title := ledger.Reflection, "学习%s心得体会"
		if k%9 >= 5 {
			typ, title = ledger.SelfStudy, "个人自学：%s"
		}
		a := u.act(typ, day(rng, y, 1+rng.IntN(12), 1, 28), u.orgOf[n], n)
		a.RequiredTopics = topics(rng, 1)
		a.Title = fmt.Sprintf(title, ledger.TopicLabel(a.RequiredTopics[0]))
		a.Content = content(rng, "", 3+rng.IntN(4))
		a.CreatedBy = u.staff[n]
		add(a)
	}
	for i := range out {
		a := &out[i]
		d, _ := time.ParseInLocation(cntime.DateLayout, a.Date, cntime.Zone)
		// Recorded at about 17:00 within three days; about one in twenty
		// is back-filled one to six weeks later.
		lag := []int{0, 0, 0, 1, 1, 2, 3}[rng.IntN(7)]
		if rng.IntN(20) == 0 {
			lag = 8 + rng.IntN(35)
		}
		a.CreatedAt = d.AddDate(0, 0, lag).Add(17*time.Hour + time.Duration(rng.IntN(120))*time.Minute).Unix()
		if a.CreatedBy == 0 {
			a.CreatedBy = u.staff[clerkIndex]
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
