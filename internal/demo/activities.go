package demo

import "zhendi/internal/ledger"

// actSpec is one ledger entry of the demo, with people given by username and
// organisations by node code.
type actSpec struct {
	Type     string
	Org      string // organising node code
	Date     string
	Start    string
	Dur      int // minutes
	Place    string
	Lead     string // username of the lead / host / author
	Title    string
	Audience string // 宣讲对象
	Count    int    // audience head count; 0 means the number present
	Agenda   string
	Content  string
	Tags     []string
	Topics   []string
	Plan     string // key of a plan item
	Attend   []string
	Absent   map[string]string // username → reason
	Speakers []string          // 中心发言
	// Recorded is the day a late entry was recorded (back-filled); empty
	// means recorded 0–3 days after the activity.
	Recorded string
}

// Places used repeatedly.
const (
	room3F   = "局三楼会议室"
	room5F   = "局五楼党员活动室"
	roomHall = "局一楼报告厅"
)

// core is who attends 党组中心组 study and 党政工作会: the leadership, the
// department heads (列席) and the clerk (记录).
func core() []string {
	out := append(leaders(), deptHeads()...)
	return append(out, uClerk)
}

// with appends extra usernames to a list.
func with(list []string, extra ...string) []string {
	return append(append([]string(nil), list...), extra...)
}

// centralGroup is the 党组理论学习中心组 record of the first half: about two a
// month, most of them carrying out a plan item.
var centralGroup = []actSpec{
	{Date: "2023-01-06", Start: "09:00", Dur: 150, Lead: uSecretary, Plan: "p01a", Topics: []string{"ershida"}, Tags: []string{"二十大", "两个确立"},
		Title:    "学习贯彻党的二十大精神专题学习（一）：深刻领悟“两个确立”的决定性意义",
		Speakers: []string{uSecretary, uDirect, "gaoyuan"}, Absent: map[string]string{"fangzhiyuan": "执法检查（元旦春节农资市场专项检查）"},
		Content: "王建国同志领学党的二十大报告第一、二部分，围绕深刻领悟“两个确立”的决定性意义作中心发言。刘志强同志、高远同志结合分管领域和科室工作作交流发言。" +
			"会议要求，全局党员干部要把学习宣传贯彻党的二十大精神作为当前和今后一个时期的首要政治任务，原原本本学、联系实际学，推动党的二十大精神在农业农村领域落地生根。"},
	{Date: "2023-01-17", Start: "14:30", Dur: 120, Lead: uDiscip, Plan: "p01b", Topics: []string{"lianzheng", "zhishi"}, Tags: []string{"全面从严治党", "纪律建设"},
		Title:    "学习习近平总书记在二十届中央纪委二次全会上的重要讲话精神",
		Speakers: []string{uDiscip, uSecretary}, Absent: map[string]string{uDeputy3: "出差（赴省农业农村厅参加全省农业农村工作会议）"},
		Content: "赵卫东同志领学习近平总书记在二十届中央纪委二次全会上的重要讲话，通报近期全省农业农村系统违纪违法典型案例。王建国同志作中心发言，要求坚持以自我革命精神推进全面从严治党，" +
			"严格落实党风廉政建设“两个责任”，盯紧项目资金、执法办案等重点领域和关键环节，驰而不息纠治“四风”。"},
	{Date: "2023-02-10", Start: "09:00", Dur: 150, Lead: uSecretary, Plan: "p02a", Topics: []string{"xiangcun", "zhishi"}, Tags: []string{"三农", "乡村振兴"},
		Title:    "学习中央农村工作会议精神和习近平总书记关于“三农”工作的重要论述",
		Speakers: []string{uSecretary, uDeputy2, "xujianjun"}, Absent: map[string]string{"yuhaitao": "外出培训（全省高标准农田建设业务培训班）"},
		Content: "会议学习了习近平总书记在中央农村工作会议上的重要讲话。王建国同志作中心发言，陈海燕同志、徐建军同志围绕粮食生产、特色产业发展作交流发言。" +
			"会议强调，要锚定建设农业强国目标，守牢确保粮食安全、防止规模性返贫等底线，扎实推进乡村发展、乡村建设、乡村治理重点工作。"},
	{Date: "2023-02-21", Start: "14:30", Dur: 120, Lead: uDeputy2, Plan: "p02b", Topics: []string{"xiangcun"}, Tags: []string{"中央一号文件", "乡村振兴"},
		Title:    "学习2023年中央一号文件精神",
		Speakers: []string{uDeputy2, "lvhongmei"}, Absent: map[string]string{"fangzhiyuan": "执法办案", "luoguoqing": "参加区财政局预算评审会"},
		Content: "陈海燕同志领学《中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见》，逐条对照梳理我局牵头和配合的重点任务。吕红梅同志结合农村人居环境整治作交流发言。" +
			"会议要求各科室对照一号文件细化年度任务清单，明确责任人和完成时限。"},
	{Date: "2023-03-14", Start: "09:00", Dur: 120, Lead: uDirect, Plan: "p03a", Topics: []string{"tiaoli"}, Tags: []string{"宣传工作条例", "意识形态"},
		Title:    "学习《中国共产党宣传工作条例》",
		Speakers: []string{uDirect, uSecretary, "zhouwenjing"}, Absent: map[string]string{"luoguoqing": "病假"},
		Content: "刘志强同志领学《中国共产党宣传工作条例》，重点解读宣传工作的主要任务和领导体制。王建国同志作中心发言，强调要切实担当起举旗帜、聚民心、育新人、兴文化、展形象的使命任务。" +
			"周文静同志就门户网站、公众号信息发布“三审三校”制度落实情况作发言。会议要求严格落实意识形态工作责任制，管好用好各类宣传阵地。"},
	{Date: "2023-03-24", Start: "14:30", Dur: 120, Lead: uSecretary, Plan: "p03b", Topics: []string{"zhishi"}, Tags: []string{"全国两会"},
		Title:    "学习贯彻全国两会精神和习近平总书记在参加江苏代表团审议时的重要讲话精神",
		Speakers: []string{uSecretary, uDeputy3}, Absent: map[string]string{"xujianjun": "外出培训（全省高素质农民培育师资培训班）", "yuhaitao": "出差"},
		Content: "会议传达学习全国两会精神和《政府工作报告》。王建国同志作中心发言，孙丽萍同志结合安全生产和农产品质量安全工作作交流发言。" +
			"会议要求把学习两会精神与推进全年目标任务结合起来，以高质量发展为首要任务，抓好春耕备耕各项工作。"},
	{Date: "2023-04-11", Start: "09:00", Dur: 150, Lead: uSecretary, Plan: "p04a", Topics: []string{"ershida"}, Tags: []string{"主题教育"},
		Title:    "学习习近平新时代中国特色社会主义思想主题教育工作会议精神",
		Speakers: []string{uSecretary, uDirect, uDeputy2}, Absent: map[string]string{"gaoyuan": "病假"},
		Content: "会议学习习近平总书记在学习贯彻习近平新时代中国特色社会主义思想主题教育工作会议上的重要讲话。王建国同志作中心发言，刘志强、陈海燕同志分别交流学习体会。" +
			"会议围绕“学思想、强党性、重实践、建新功”总要求，研究我局主题教育理论学习安排，明确以学铸魂、以学增智、以学正风、以学促干。"},
	{Date: "2023-04-25", Start: "14:30", Dur: 120, Lead: uDeputy3, Plan: "p04b", Topics: []string{"anquan", "zhishi"}, Tags: []string{"安全生产"},
		Title:    "学习习近平总书记关于安全生产的重要论述",
		Speakers: []string{uDeputy3, "fangzhiyuan"}, Absent: map[string]string{uDeputy2: "出差", "lvhongmei": "事假"},
		Content: "孙丽萍同志领学习近平总书记关于安全生产的重要论述，通报近期农机、渔业安全生产形势。方志远同志结合农业综合行政执法作交流发言。" +
			"会议要求坚持人民至上、生命至上，压实“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”责任，深入开展农业安全生产隐患排查整治。"},
	{Date: "2023-05-12", Start: "09:00", Dur: 150, Lead: uSecretary, Plan: "p05a", Topics: []string{"fengxian", "xiangcun"}, Tags: []string{"防范化解重大风险", "粮食安全"},
		Title:    "防范化解重大风险专题学习：统筹发展和安全，守牢粮食安全和防止规模性返贫底线",
		Speakers: []string{uSecretary, uDeputy2, "lvhongmei"}, Absent: map[string]string{uDiscip: "参加区纪委监委专题会议"},
		Content: "会议学习习近平总书记关于防范化解重大风险的重要论述。王建国同志作中心发言，陈海燕同志通报防止返贫动态监测和帮扶情况，吕红梅同志交流发言。" +
			"会议逐项梳理粮食生产、农产品质量安全、农村集体资产、涉农舆情等领域风险点，明确防控措施和责任科室。",
		Recorded: "2023-06-26"},
	{Date: "2023-05-26", Start: "14:30", Dur: 150, Lead: uDirect, Topics: []string{"ershida"}, Tags: []string{"主题教育", "读书班"},
		Title:    "主题教育专题学习：《习近平著作选读》第一卷",
		Speakers: []string{uDirect, uDiscip, "gaoyuan"}, Absent: map[string]string{"luoguoqing": "外出培训（全市财务管理培训班）"},
		Content: "刘志强同志领学《习近平著作选读》第一卷有关篇目。赵卫东、高远同志结合学习原著原文交流体会。会议要求坚持读原著、学原文、悟原理，" +
			"把理论学习同推动本职工作结合起来，在学思践悟中坚定理想信念。"},
	{Date: "2023-06-09", Start: "09:00", Dur: 120, Lead: uSecretary, Topics: []string{"zhishi"}, Tags: []string{"文化传承发展", "意识形态"},
		Title:    "学习习近平总书记在文化传承发展座谈会上的重要讲话精神",
		Speakers: []string{uSecretary, uDirect}, Absent: map[string]string{"fangzhiyuan": "执法检查（夏季农资打假专项行动）", uDeputy3: "出差"},
		Content: "会议学习习近平总书记在文化传承发展座谈会上的重要讲话。王建国同志作中心发言，刘志强同志结合意识形态工作作交流发言。" +
			"会议要求加强乡风文明建设和农耕文化传承保护，守好意识形态主阵地，讲好乡村振兴故事。"},
	{Date: "2023-06-20", Start: "14:30", Dur: 120, Lead: uDiscip, Plan: "p06b", Topics: []string{"lianzheng"}, Tags: []string{"党风廉政", "警示教育"},
		Title:    "党风廉政建设专题学习暨警示教育",
		Speakers: []string{uDiscip, uSecretary, "luoguoqing"}, Absent: map[string]string{"xujianjun": "下乡指导“三夏”生产"},
		Content: "赵卫东同志通报涉农领域违纪违法典型案例，组织观看警示教育片。王建国同志作中心发言，罗国庆同志结合项目资金管理作表态发言。" +
			"会议要求以案为鉴、以案促改，持续加强惠农补贴、项目资金等重点领域监督。"},
}

// unitMeetings are 党政工作会, 专题研究意识形态工作, 领导小组会议 and the
// half-year 分析研判报告.
var unitMeetings = []actSpec{
	{Type: ledger.PartyGovMeeting, Date: "2023-01-30", Start: "09:00", Dur: 180, Place: roomHall, Lead: uSecretary, Topics: []string{"lianzheng"},
		Title:  "2023年全局工作会议暨党风廉政建设和意识形态工作部署会",
		Attend: staff(), Absent: map[string]string{"jinpeng": "执法值班", "wuxiaofeng": "病假"}, Tags: []string{"年度部署"},
		Content: "会议总结2022年工作，部署2023年农业农村重点工作。王建国同志作工作报告，赵卫东同志部署党风廉政建设工作，刘志强同志部署意识形态和宣传思想工作。" +
			"会上局党组与各科室负责人签订党风廉政建设和意识形态工作责任书。"},
	{Type: ledger.PartyGovMeeting, Date: "2023-02-27", Start: "09:00", Dur: 120, Lead: uSecretary, Tags: []string{"春耕备耕"},
		Title:  "党政工作会：部署春耕备耕和农资市场监管工作",
		Attend: core(), Absent: map[string]string{"yuhaitao": "下乡检查项目"},
		Content:  "会议听取各科室2月份工作情况汇报，研究部署春耕备耕、农资打假和高标准农田建设项目前期工作。会议要求抓紧抓实春季农业生产，确保农资供应充足、质量可靠。",
		Recorded: "2023-03-20"},
	{Type: ledger.PartyGovMeeting, Date: "2023-03-29", Start: "14:30", Dur: 120, Lead: uSecretary,
		Title:  "一季度工作总结暨二季度重点工作推进会",
		Attend: core(), Absent: map[string]string{uDeputy3: "出差"},
		Content: "会议逐项通报一季度重点工作完成情况，分析存在的问题，部署二季度重点任务。会议要求各科室对照年度目标任务倒排工期，确保时间过半、任务过半。"},
	{Type: ledger.PartyGovMeeting, Date: "2023-04-27", Start: "09:00", Dur: 120, Lead: uSecretary, Topics: []string{"anquan"}, Tags: []string{"安全生产", "主题教育"},
		Title:  "党政工作会：部署“五一”假期安全生产和主题教育工作",
		Attend: core(), Absent: map[string]string{"fangzhiyuan": "执法检查"},
		Content: "会议传达全区安全生产工作会议精神，部署“五一”假期农业安全生产、值班值守工作；研究我局主题教育实施方案。会议要求严格落实领导带班和24小时值班制度。"},
	{Type: ledger.PartyGovMeeting, Date: "2023-05-30", Start: "14:30", Dur: 120, Lead: uSecretary, Tags: []string{"三夏", "高标准农田"},
		Title:  "党政工作会：推进“三夏”生产和高标准农田建设项目",
		Attend: core(), Absent: map[string]string{uDeputy2: "带队下乡督导“三夏”生产"},
		Content: "会议研究“三夏”抢收抢种、秸秆禁烧和高标准农田建设项目推进工作，听取项目资金支付进度汇报。会议要求各包联领导深入一线，确保颗粒归仓。"},
	{Type: ledger.PartyGovMeeting, Date: "2023-06-28", Start: "09:00", Dur: 150, Lead: uSecretary, Tags: []string{"半年总结"},
		Title:  "上半年工作总结会暨下半年工作谋划会",
		Attend: core(), Absent: map[string]string{"xujianjun": "外出培训"},
		Content: "会议总结上半年工作，谋划下半年重点任务。会议审议《局党组2023年上半年意识形态工作总结及下半年工作安排》，要求下半年再专题研究意识形态工作不少于1次，抓好主题教育各项任务落实。"},
	{Type: ledger.TopicStudy, Date: "2023-03-07", Start: "09:00", Dur: 90, Lead: uSecretary, Topics: []string{"tiaoli"}, Tags: []string{"党组会议", "意识形态"},
		Title:  "局党组会议专题研究意识形态工作",
		Agenda: "传达上级意识形态工作部署要求；审议《2023年意识形态工作要点》和《意识形态工作责任清单》；研究网络意识形态阵地管理工作",
		Attend: with(leaders(), "zhouwenjing", uClerk),
		Content: "会议审议通过《2023年意识形态工作要点》和《意识形态工作责任清单》，明确党组书记为第一责任人、分管领导为直接责任人、班子成员落实“一岗双责”。" +
			"会议要求办公室牵头对门户网站、公众号、工作微信群开展一次网络安全排查，严格执行“三审三校”制度。"},
	{Type: ledger.LeadingGroup, Date: "2023-02-15", Start: "14:30", Dur: 90, Lead: uSecretary, Tags: []string{"领导小组"},
		Title:  "意识形态工作领导小组2023年第一次会议",
		Agenda: "调整意识形态工作领导小组成员；通报2022年度意识形态工作考核情况；部署2023年意识形态工作重点任务",
		Attend: core(), Absent: map[string]string{"fangzhiyuan": "执法办案"},
		Content: "会议调整了由局党组书记任组长、分管副局长任副组长、各科室负责人为成员的意识形态工作领导小组，通报2022年度意识形态工作考核情况，" +
			"部署2023年意识形态工作重点任务，明确办公室负责日常工作，李晓雯同志任意识形态专干。"},
	{Type: ledger.AnalysisReport, Date: "2023-06-26", Lead: uDirect, Topics: []string{"fengxian", "tiaoli"}, Tags: []string{"分析研判"},
		Title: "2023年上半年意识形态领域形势分析研判报告",
		Content: "报告分析了上半年我局意识形态领域总体形势：干部职工思想稳定，主流舆论积极向上。研判认为，涉农补贴发放、土地流转纠纷、农产品质量安全等问题易引发网络舆情，" +
			"个别工作微信群管理不够规范，理论学习形式较为单一。提出加强涉农舆情监测、规范微信群管理、丰富学习形式等措施。"},
}

// lectures are 党课, 宣讲, 业务大讲堂 and 调查研究.
var lectures = []actSpec{
	{Type: ledger.PartyLecture, Date: "2023-02-24", Start: "14:30", Dur: 90, Place: roomHall, Lead: uSecretary, Audience: "干部职工",
		Topics: []string{"ershida", "xiangcun"}, Tags: []string{"党组书记讲党课"},
		Title:  "学习贯彻党的二十大精神 奋力谱写新时代乡村振兴新篇章",
		Attend: staff(), Absent: map[string]string{"jinpeng": "执法值班", "pengtao": "下乡技术指导"},
		Content: "王建国同志从深刻把握党的二十大主题、全面推进乡村振兴、加强党的建设三个方面讲授专题党课，要求全局党员干部把学习成果转化为推动农业农村现代化的实际行动。"},
	{Type: ledger.PartyLecture, Org: codeBranch1, Date: "2023-04-21", Start: "14:30", Dur: 90, Place: room5F, Lead: uDirect, Audience: "干部职工",
		Topics: []string{"tiaoli"}, Tags: []string{"党组成员到支部讲党课", "意识形态"},
		Title:  "牢牢掌握意识形态工作领导权 守好农业农村宣传阵地",
		Attend: branchMembers(codeBranch1), Absent: map[string]string{"xiemei": "病假"},
		Content: "刘志强同志结合《中国共产党宣传工作条例》，讲授意识形态工作责任制的主要内容，分析网络意识形态领域面临的风险挑战，要求党员干部增强政治敏锐性和鉴别力。"},
	{Type: ledger.PartyLecture, Date: "2023-05-19", Start: "14:30", Dur: 90, Place: roomHall, Lead: uDiscip, Audience: "干部职工",
		Topics: []string{"lianzheng"}, Tags: []string{"警示教育", "廉政党课"},
		Title:  "以案为鉴 警钟长鸣——筑牢党员干部廉洁从政思想防线",
		Attend: staff(), Absent: map[string]string{"shiyong": "执法办案", "qinlei": "外出培训", uDeputy3: "出差"},
		Content: "赵卫东同志剖析近年来涉农领域典型案例，从思想、制度、监督三个方面讲授廉政党课，要求党员干部知敬畏、存戒惧、守底线。"},
	{Type: ledger.PartyLecture, Org: codeBranch2, Date: "2023-06-27", Start: "14:30", Dur: 90, Place: room5F, Lead: uDeputy2, Audience: "干部职工", Plan: "p06c",
		Topics: []string{"ershida", "xiangcun"}, Tags: []string{"七一", "党组成员到支部讲党课"},
		Title:  "“七一”专题党课：牢记初心使命 在乡村振兴一线践行为民宗旨",
		Attend: branchMembers(codeBranch2), Absent: map[string]string{"kongfanwei": "执法值班"},
		Content: "陈海燕同志回顾党的光辉历程，结合主题教育和乡村振兴工作实际，要求支部党员在“三夏”生产、农田建设等急难险重任务中当先锋、作表率。"},
	{Type: ledger.PartyLecture, Org: codeBranch2, Date: "2023-03-31", Start: "15:00", Dur: 60, Place: room5F, Lead: "xujianjun", Audience: "干部职工",
		Topics: []string{"ershida"}, Tags: []string{"支部书记讲党课"},
		Title:  "学习党的二十大精神 做新时代合格共产党员",
		Attend: branchMembers(codeBranch2), Absent: map[string]string{uDeputy2: "出差", "duanfang": "病假"},
		Content: "徐建军同志作为支部书记讲授一季度支部党课，围绕学习党的二十大报告关于全面从严治党的部署，对照党员标准查找差距，提出支部党员学习和履职要求。"},

	{Type: ledger.Preach, Date: "2023-03-08", Start: "09:30", Dur: 120, Place: "青石镇新民村党群服务中心", Lead: uDeputy2, Audience: "服务对象", Count: 126,
		Topics: []string{"ershida", "xiangcun"}, Tags: []string{"理论宣讲", "送理论下乡"},
		Title:   "党的二十大精神进乡村暨强农惠农政策宣讲",
		Content: "陈海燕同志用群众听得懂的语言宣讲党的二十大关于全面推进乡村振兴的部署，解读耕地地力保护补贴、农业保险等惠农政策，现场解答群众提问18个。"},
	{Type: ledger.Preach, Org: "demo-zfdd", Date: "2023-04-13", Start: "09:00", Dur: 90, Place: "城东农资市场", Lead: uDeputy3, Audience: "服务对象", Count: 85,
		Topics: []string{"anquan"}, Tags: []string{"农资打假", "普法宣传"},
		Title:    "春季农资打假暨农业安全生产宣讲",
		Content:  "孙丽萍同志带领执法大队向农资经营户和种植户宣讲《种子法》《农药管理条例》和农机安全生产知识，发放宣传资料300余份。",
		Recorded: "2023-05-04"},
	{Type: ledger.Preach, Date: "2023-05-16", Start: "14:30", Dur: 60, Place: room3F, Lead: uDirect, Audience: "干部职工", Count: 38,
		Topics: []string{"ershida"}, Tags: []string{"理论宣讲"},
		Title:   "党的二十大精神宣讲进机关",
		Content: "刘志强同志作为区委宣讲团成员，面向机关干部职工宣讲党的二十大精神，重点阐释中国式现代化的中国特色和本质要求。"},
	{Type: ledger.Preach, Org: "demo-cyfz", Date: "2023-06-06", Start: "09:00", Dur: 90, Place: "区农业技术推广中心培训室", Lead: "xujianjun", Audience: "基层", Count: 95,
		Topics: []string{"xiangcun"}, Tags: []string{"高素质农民培训"},
		Title:   "高素质农民培训班乡村振兴政策宣讲",
		Content: "徐建军同志在全区高素质农民培训班上宣讲乡村产业振兴政策，介绍家庭农场、农民合作社扶持政策和申报流程。"},
	{Type: ledger.Preach, Date: "2023-06-14", Start: "09:30", Dur: 90, Place: "丰收农机专业合作社", Lead: uDeputy3, Audience: "服务对象", Count: 60,
		Topics: []string{"anquan"}, Tags: []string{"安全生产月"},
		Title:   "“安全生产月”农业安全生产宣讲进合作社",
		Content: "孙丽萍同志结合“人人讲安全、个个会应急”主题，向合作社社员和农机手宣讲农机道路交通安全、“三夏”防火等知识，开展农机安全检查。"},

	{Type: ledger.BusinessLecture, Org: "demo-zcfg", Date: "2023-03-17", Start: "15:00", Dur: 90, Place: roomHall, Lead: "gaoyuan", Plan: "p03c",
		Topics: []string{"xiangcun"}, Tags: []string{"业务大讲堂", "法治"},
		Title:  "《中华人民共和国乡村振兴促进法》解读",
		Attend: staff(), Absent: map[string]string{"jinpeng": "执法值班", uDeputy3: "出差"},
		Content: "高远同志逐章解读《乡村振兴促进法》，结合行政执法和项目管理中的案例讲解依法履职要求。"},
	{Type: ledger.BusinessLecture, Org: "demo-ntjs", Date: "2023-04-28", Start: "15:00", Dur: 90, Place: roomHall, Lead: "yuhaitao",
		Topics: []string{"xiangcun"}, Tags: []string{"业务大讲堂", "高标准农田"},
		Title:  "高标准农田建设政策与工程质量管理",
		Attend: staff(), Absent: map[string]string{"panwei": "下乡检查项目", "kongfanwei": "执法值班"},
		Content:  "于海涛同志讲解高标准农田建设政策、建设标准和工程质量监督要点，介绍建后管护机制。",
		Recorded: "2023-06-26"},
	{Type: ledger.BusinessLecture, Org: "demo-zfdd", Date: "2023-06-08", Start: "15:00", Dur: 90, Place: roomHall, Lead: "fangzhiyuan",
		Topics: []string{"anquan"}, Tags: []string{"业务大讲堂", "执法规范化"},
		Title:  "农业综合行政执法规范化建设与安全生产执法实务",
		Attend: staff(), Absent: map[string]string{uDeputy3: "出差", "jiangbo": "病假", "sujun": "外出培训"},
		Content: "方志远同志讲解行政执法“三项制度”、执法文书规范和农业安全生产执法检查要点。"},

	{Type: ledger.Research, Date: "2023-04-18", Start: "08:30", Dur: 480, Place: "各镇（街道）高标准农田项目区", Lead: uSecretary,
		Topics: []string{"xiangcun"}, Tags: []string{"调查研究", "高标准农田"},
		Title:   "关于全区高标准农田建设和建后管护情况的调研",
		Attend:  []string{uSecretary, "yuhaitao", "panwei", "duanfang"},
		Content: "王建国同志带队深入4个镇（街道）8个项目区，实地查看灌排设施和田间道路，召开座谈会听取镇村干部和种植大户意见。调研发现部分项目建后管护责任不落实，形成调研报告并提出建立管护长效机制的建议。"},
	{Type: ledger.Research, Org: "demo-shsy", Date: "2023-05-23", Start: "08:30", Dur: 420, Place: "青石镇、河湾街道", Lead: uDeputy2,
		Topics: []string{"xiangcun"}, Tags: []string{"调查研究", "乡风文明"},
		Title:   "关于农村人居环境整治和乡风文明建设情况的调研",
		Attend:  []string{uDeputy2, "lvhongmei", "sujun", "dingning"},
		Content: "陈海燕同志带队走访6个行政村，了解农村厕所革命、生活垃圾治理和村规民约执行情况。调研认为乡风文明阵地作用发挥不够均衡，建议整合新时代文明实践站和农家书屋资源。"},
}

// reflections are 心得体会 written by leaders and staff.
var reflections = []actSpec{
	{Date: "2023-01-12", Lead: uSecretary, Topics: []string{"ershida"}, Title: "深刻领悟“两个确立” 坚决做到“两个维护”——学习党的二十大报告心得体会"},
	{Date: "2023-02-14", Lead: uDeputy2, Topics: []string{"xiangcun"}, Title: "学习2023年中央一号文件心得体会"},
	{Date: "2023-03-20", Lead: uDirect, Topics: []string{"tiaoli"}, Title: "学习《中国共产党宣传工作条例》心得体会"},
	{Date: "2023-03-28", Lead: "zhouwenjing", Topics: []string{"zhishi"}, Title: "学习全国两会精神心得体会"},
	{Date: "2023-04-20", Lead: uDiscip, Topics: []string{"lianzheng"}, Title: "以自我革命精神推进全面从严治党——学习二十届中央纪委二次全会精神体会"},
	{Date: "2023-05-15", Lead: uDeputy3, Topics: []string{"anquan", "fengxian"}, Title: "统筹发展和安全 筑牢农业安全生产防线", Recorded: "2023-06-29"},
	{Date: "2023-05-18", Lead: "gaoyuan", Topics: []string{"ershida"}, Title: "读原著 学原文 悟原理——学习《习近平著作选读》第一卷体会"},
	{Date: "2023-05-31", Lead: uSecretary, Topics: []string{"ershida"}, Title: "以学铸魂 以学促干——主题教育学习体会"},
	{Date: "2023-06-12", Lead: "dengli", Topics: []string{"xiangcun"}, Title: "参加高素质农民培训班政策宣讲有感"},
	{Date: "2023-06-19", Lead: uClerk, Topics: []string{"tiaoli"}, Title: "做好新时代基层意识形态工作的几点思考"},
}

// reflectionText is the body of a 心得体会, a few sentences built from its title.
func reflectionText(title string) string {
	return "通过学习" + "“" + title + "”" + "相关内容，本人进一步深化了对党的创新理论的理解，增强了“四个意识”、坚定了“四个自信”、做到了“两个维护”。" +
		"结合岗位职责，本人将把学习成果转化为做好本职工作的实际行动，在推进乡村振兴和农业农村现代化中担当作为，以实际行动践行为民宗旨。"
}

// selfStudyBooks are the materials leaders study on their own.
var selfStudyBooks = []struct {
	Title  string
	Topics []string
}{
	{"自学党的二十大报告原文", []string{"ershida"}},
	{"自学《习近平谈治国理政》第四卷有关篇目", []string{"zhishi"}},
	{"自学《习近平关于“三农”工作论述摘编》", []string{"xiangcun"}},
	{"自学《中国共产党宣传工作条例》", []string{"tiaoli"}},
	{"自学《习近平著作选读》第一卷", []string{"ershida"}},
	{"自学习近平总书记关于防范化解重大风险的重要论述", []string{"fengxian"}},
	{"自学《中国共产党纪律处分条例》", []string{"lianzheng"}},
	{"通过“学习强国”学习习近平总书记关于安全生产的重要指示", []string{"anquan", "zhishi"}},
}

// selfStudyDates are when each leader recorded 个人自学; a date prefixed with
// a recording day ("2023-05-21>2023-06-28") was back-filled.
var selfStudyDates = map[string][]string{
	uSecretary: {"2023-01-08", "2023-02-05", "2023-03-05", "2023-04-09", "2023-05-07", "2023-06-04"},
	uDirect:    {"2023-01-15", "2023-03-12", "2023-04-16", "2023-06-11"},
	uDeputy2:   {"2023-02-12", "2023-03-19", "2023-05-14", "2023-06-18"},
	uDiscip:    {"2023-01-29", "2023-03-26", "2023-04-23", "2023-05-21>2023-06-28"},
	uDeputy3:   {"2023-02-19", "2023-03-12>2023-04-01", "2023-04-16", "2023-06-04"},
}

// selfStudy builds the 个人自学 records, rotating through the books.
func selfStudy() []actSpec {
	var out []actSpec
	for i, u := range leaders() {
		for k, d := range selfStudyDates[u] {
			date, rec := d, ""
			if len(d) > 10 {
				date, rec = d[:10], d[11:]
			}
			b := selfStudyBooks[(i*3+k)%len(selfStudyBooks)]
			out = append(out, actSpec{Type: ledger.SelfStudy, Date: date, Dur: 90, Lead: u, Title: b.Title, Topics: b.Topics,
				Content:  b.Title + "，逐段研读并摘抄重点论述，撰写读书笔记，结合分管工作思考贯彻落实举措。",
				Recorded: rec})
		}
	}
	return out
}

// monthTasks are what each month's 支委会 decides.
var monthTasks = []string{
	"研究2022年度组织生活会准备工作和2023年支部工作计划",
	"研究支部学习计划和党员积分管理工作",
	"研究一季度党费收缴和学雷锋志愿服务活动安排",
	"研究主题教育学习安排和清明主题党日活动",
	"研究主题教育读书班安排和发展党员工作",
	"研究“七一”系列活动和上半年支部工作总结",
}

// themeDays are the monthly 主题党日 themes.
var themeDays = []struct {
	Title, Place string
	Topics       []string
}{
	{"新春走访慰问困难党员和老党员", "各结对社区", nil},
	{"重温入党誓词 学习党的二十大报告", room5F, []string{"ershida"}},
	{"学雷锋志愿服务：送科技下乡", "青石镇新民村", []string{"xiangcun"}},
	{"清明祭英烈 缅怀革命先烈", "区烈士陵园", nil},
	{"主题教育读书班：读原著 学原文 悟原理", room5F, []string{"ershida"}},
	{"“安全生产月”志愿服务暨“七一”重温入党誓词", "区安全生产宣传咨询日现场", []string{"anquan"}},
}

// branchPlan gives each branch's dates: 支委会 per month (empty: not held),
// 党员大会, 党小组会 and 主题党日 per month. A date may carry a recording day
// after ">" when it was back-filled.
type branchPlan struct {
	Code       string
	Committee  [6]string
	Congress   []string
	Groups     []string
	GroupDepts [][]string
	ThemeDays  [6]string
}

var branchPlans = []branchPlan{
	{Code: codeBranch1,
		Committee:  [6]string{"2023-01-10", "2023-02-08", "2023-03-09", "2023-04-06", "2023-05-09", "2023-06-07"},
		Congress:   []string{"2023-01-13", "2023-04-14"},
		Groups:     []string{"2023-02-16", "2023-04-19", "2023-06-15"},
		GroupDepts: [][]string{{"demo-bgs"}, {"demo-zcfg"}, {"demo-jhcw"}},
		ThemeDays:  [6]string{"2023-01-19", "2023-02-28>2023-03-17", "2023-03-03", "2023-04-04", "2023-05-25", "2023-06-29"}},
	// The second branch held no 支委会 in April: the one missed obligation.
	{Code: codeBranch2,
		Committee:  [6]string{"2023-01-11", "2023-02-09", "2023-03-10", "", "2023-05-10>2023-06-27", "2023-06-08"},
		Congress:   []string{"2023-02-03>2023-03-06", "2023-06-02"},
		Groups:     []string{"2023-02-17", "2023-05-08>2023-06-27", "2023-06-21"},
		GroupDepts: [][]string{{"demo-cyfz"}, {"demo-ntjs", "demo-zfdd"}, {"demo-shsy"}},
		ThemeDays:  [6]string{"2023-01-18", "2023-02-22", "2023-03-06", "2023-04-03", "2023-05-26>2023-06-28", "2023-06-30"}},
}

// splitDate separates "date>recorded".
func splitDate(d string) (date, recorded string) {
	if len(d) > 10 {
		return d[:10], d[11:]
	}
	return d, ""
}

// branchLife builds each branch's 三会一课 and 主题党日 (the branches' 党课
// are in lectures, given by leaders and a branch secretary).
func branchLife() []actSpec {
	var out []actSpec
	for _, b := range branchPlans {
		secretary := branchCommittee[b.Code][0]
		members := branchMembers(b.Code)
		for m, d := range b.Committee {
			if d == "" {
				continue
			}
			date, rec := splitDate(d)
			out = append(out, actSpec{Type: ledger.BranchCommittee, Org: b.Code, Date: date, Start: "16:00", Dur: 60, Place: room5F, Lead: secretary,
				Title: "支委会：" + monthTasks[m], Attend: branchCommittee[b.Code], Recorded: rec, Tags: []string{"三会一课"},
				Content: "支委会" + monthTasks[m] + "。会议对照支部年度工作计划检查上月任务落实情况，明确本月学习内容和责任分工。"})
		}
		congressTitles := []string{"召开2022年度组织生活会和民主评议党员大会", "支部党员大会：传达学习主题教育部署要求"}
		if b.Code == codeBranch2 {
			congressTitles[1] = "支部党员大会：推选“两优一先”候选人，学习主题教育读书班内容"
		}
		for i, d := range b.Congress {
			date, rec := splitDate(d)
			out = append(out, actSpec{Type: ledger.BranchCongress, Org: b.Code, Date: date, Start: "14:30", Dur: 120, Place: room5F, Lead: secretary,
				Title: congressTitles[i], Attend: members, Absent: map[string]string{members[len(members)-1-i]: "病假"}, Recorded: rec,
				Topics: []string{"ershida"}, Tags: []string{"三会一课"},
				Content: "支部书记主持会议。党员逐一对照党章党规和党的二十大精神开展学习交流，会议通报支部工作情况，党员进行表决。"})
		}
		for i, d := range b.Groups {
			date, rec := splitDate(d)
			att := partyMembersOf(b.GroupDepts[i]...)
			lead := att[0]
			out = append(out, actSpec{Type: ledger.PartyGroup, Org: b.Code, Date: date, Start: "16:30", Dur: 60, Place: room3F, Lead: lead,
				Title: "党小组会：学习党的二十大报告有关章节并开展交流讨论", Attend: att, Recorded: rec, Topics: []string{"ershida"}, Tags: []string{"三会一课"},
				Content: "党小组组长领学，组员结合岗位工作逐一发言，查找在学习和工作中的差距，提出改进措施。"})
		}
		for m, d := range b.ThemeDays {
			date, rec := splitDate(d)
			td := themeDays[m]
			out = append(out, actSpec{Type: ledger.ThemeDay, Org: b.Code, Date: date, Start: "09:00", Dur: 120, Place: td.Place, Lead: secretary,
				Title: td.Title, Attend: members, Absent: map[string]string{members[(m*5+3)%len(members)]: "外出公干"}, Recorded: rec,
				Topics: td.Topics, Tags: []string{"主题党日"},
				Content: "支部组织党员开展“" + td.Title + "”主题党日活动。活动前集体学习习近平总书记重要讲话精神，活动中党员亮身份、作表率，活动后交流心得。"})
		}
	}
	return out
}

// specs is every demo ledger entry, with defaults filled in.
func specs() []actSpec {
	var out []actSpec
	for _, a := range centralGroup {
		a.Type = ledger.CentralGroup
		if a.Place == "" {
			a.Place = room3F
		}
		if a.Attend == nil {
			a.Attend = core()
		}
		out = append(out, a)
	}
	for _, a := range unitMeetings {
		if a.Place == "" && a.Type != ledger.AnalysisReport {
			a.Place = room3F
		}
		out = append(out, a)
	}
	out = append(out, lectures...)
	out = append(out, branchLife()...)
	for _, a := range reflections {
		a.Type = ledger.Reflection
		a.Content = reflectionText(a.Title)
		a.Tags = []string{"心得体会"}
		out = append(out, a)
	}
	out = append(out, selfStudy()...)
	for i := range out {
		if out[i].Org == "" {
			if out[i].Type == ledger.Reflection || out[i].Type == ledger.SelfStudy {
				p, _ := personByUsername(out[i].Lead)
				out[i].Org = p.Home
			} else {
				out[i].Org = codeUnit
			}
		}
	}
	return out
}
