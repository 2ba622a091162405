package demo

import "zhendi/internal/ledger"

// planSpec is one line of the 2023 annual study plan (年度学习计划). Key links
// activities to it; Speaker is a username.
type planSpec struct {
	Key     string
	Month   int
	Topic   string
	Topics  []string
	Form    string
	Speaker string
	Note    string
}

const planYear = 2023

// plan is the bureau's 2023 study plan, drawn up in January. The June item on
// the 宣传部长会议 was not carried out in the first half: the coverage page
// shows the gap and the plan-vs-actual page an unfinished item.
var plan = []planSpec{
	{"p01a", 1, "学习贯彻党的二十大精神专题学习（一）：深刻领悟“两个确立”的决定性意义", []string{"ershida"}, ledger.CentralGroup, uSecretary, "原原本本学习党的二十大报告"},
	{"p01b", 1, "学习习近平总书记在二十届中央纪委二次全会上的重要讲话精神", []string{"lianzheng", "zhishi"}, ledger.CentralGroup, uDiscip, ""},
	{"p02a", 2, "学习中央农村工作会议精神和习近平总书记关于“三农”工作的重要论述", []string{"xiangcun", "zhishi"}, ledger.CentralGroup, uSecretary, ""},
	{"p02b", 2, "学习2023年中央一号文件精神", []string{"xiangcun"}, ledger.CentralGroup, uDeputy2, "结合全区乡村振兴重点任务交流"},
	{"p03a", 3, "学习《中国共产党宣传工作条例》", []string{"tiaoli"}, ledger.CentralGroup, uDirect, "逐章学习，对照检视本局宣传思想工作"},
	{"p03b", 3, "学习贯彻全国两会精神", []string{"zhishi"}, ledger.CentralGroup, uSecretary, ""},
	{"p03c", 3, "业务大讲堂：《中华人民共和国乡村振兴促进法》解读", []string{"xiangcun"}, ledger.BusinessLecture, "gaoyuan", ""},
	{"p04a", 4, "学习习近平新时代中国特色社会主义思想主题教育工作会议精神", []string{"ershida"}, ledger.CentralGroup, uSecretary, ""},
	{"p04b", 4, "学习习近平总书记关于安全生产的重要论述", []string{"anquan", "zhishi"}, ledger.CentralGroup, uDeputy3, ""},
	{"p05a", 5, "防范化解重大风险专题学习", []string{"fengxian"}, ledger.CentralGroup, uSecretary, "重点学习粮食安全和防止规模性返贫"},
	{"p06a", 6, "学习全省宣传部长会议精神", []string{"buzhang"}, ledger.CentralGroup, uDirect, "传达学习上级宣传部长会议精神，研究贯彻措施"},
	{"p06b", 6, "党风廉政建设专题学习暨警示教育", []string{"lianzheng"}, ledger.CentralGroup, uDiscip, ""},
	{"p06c", 6, "“七一”专题党课", []string{"ershida", "xiangcun"}, ledger.PartyLecture, uDeputy2, "党组成员到联系支部讲党课"},
	{"p07a", 7, "学习《习近平关于“三农”工作论述摘编》", []string{"xiangcun", "zhishi"}, ledger.CentralGroup, uDeputy2, ""},
	{"p08a", 8, "意识形态工作责任制专题学习", []string{"tiaoli"}, ledger.CentralGroup, uDirect, ""},
	{"p09a", 9, "学习粮食安全和耕地保护有关重要论述", []string{"fengxian", "zhishi"}, ledger.CentralGroup, uDeputy3, ""},
	{"p10a", 10, "学习贯彻党的二十大精神专题学习（二）：中国式现代化", []string{"ershida"}, ledger.CentralGroup, uSecretary, ""},
	{"p11a", 11, "安全生产专题学习：冬春火灾防控和农机安全", []string{"anquan"}, ledger.CentralGroup, uDeputy3, ""},
	{"p12a", 12, "学习区委宣传部长会议精神，总结全年理论学习", []string{"buzhang"}, ledger.CentralGroup, uSecretary, ""},
}
