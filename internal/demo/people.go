package demo

import (
	"zhendi/internal/access"
	"zhendi/internal/org"
)

// Node codes of the demo organisation tree.
const (
	codeDistrict = "demo-district"
	codeUnit     = "demo-unit"
	codeBranch1  = "demo-zb1"
	codeBranch2  = "demo-zb2"
)

// nodeSpec is one node of the demo tree below the unit.
type nodeSpec struct {
	Code string
	Kind string
	Name string
}

const (
	districtName = "示范区"
	unitName     = "示范区农业农村局"
)

// departments and branches of the unit, in display order.
var subNodes = []nodeSpec{
	{"demo-bgs", org.Department, "办公室"},
	{"demo-zcfg", org.Department, "政策法规科"},
	{"demo-jhcw", org.Department, "计划财务科"},
	{"demo-cyfz", org.Department, "产业发展科"},
	{"demo-shsy", org.Department, "农村社会事业科"},
	{"demo-ntjs", org.Department, "农田建设管理科"},
	{"demo-zfdd", org.Department, "农业综合行政执法大队"},
	{codeBranch1, org.Branch, "机关第一党支部"},
	{codeBranch2, org.Branch, "机关第二党支部"},
}

// roleAt is a role held at a node given by code.
type roleAt struct {
	Role access.Role
	Code string
}

// person is one account of the demo. Home is the node code of the person's
// home organisation; Branch is the party branch the person belongs to ("" for
// non-members and administrators). Key accounts are listed in Info.
type person struct {
	Username string
	Name     string
	Title    string
	Home     string
	Branch   string
	Party    bool
	Roles    []roleAt
	Key      bool
}

func unitRole(r access.Role) roleAt { return roleAt{r, codeUnit} }

// Usernames referred to by the activity tables.
const (
	uSecretary = "wangjianguo" // 党组书记、局长
	uDirect    = "liuzhiqiang" // 分管意识形态的副局长
	uDeputy2   = "chenhaiyan"
	uDiscip    = "zhaoweidong" // 纪检组长
	uDeputy3   = "sunliping"
	uClerk     = "zhuangan"
)

// people lists every demo account. The first five are the leadership (党组);
// they belong to the unit itself, everyone else to a department.
var people = []person{
	// 局领导班子
	{uSecretary, "王建国", "党组书记、局长", codeUnit, codeBranch1, true, []roleAt{unitRole(access.FirstResp)}, true},
	{uDirect, "刘志强", "党组成员、副局长", codeUnit, codeBranch1, true, []roleAt{unitRole(access.DirectResp)}, true},
	{uDeputy2, "陈海燕", "党组成员、副局长", codeUnit, codeBranch2, true, []roleAt{unitRole(access.LeaderMember)}, true},
	{uDiscip, "赵卫东", "党组成员、驻局纪检监察组组长", codeUnit, codeBranch1, true, []roleAt{unitRole(access.LeaderMember)}, true},
	{uDeputy3, "孙丽萍", "党组成员、副局长", codeUnit, codeBranch2, true, []roleAt{unitRole(access.LeaderMember)}, true},

	// 办公室
	{"zhouwenjing", "周文静", "办公室主任、机关第一党支部书记", "demo-bgs", codeBranch1, true,
		[]roleAt{{access.DeptHead, "demo-bgs"}, {access.DeptHead, codeBranch1}}, true},
	{"yanghui", "杨慧", "办公室副主任", "demo-bgs", codeBranch1, true, nil, false},
	{uClerk, "李晓雯", "一级科员、意识形态专干", "demo-bgs", codeBranch1, true, []roleAt{unitRole(access.Clerk)}, true},
	{"majun", "马骏", "科员", "demo-bgs", codeBranch1, true, []roleAt{{access.InfoOfficer, "demo-bgs"}}, false},
	{"chenjing", "陈静", "档案管理员", "demo-bgs", codeBranch1, true, nil, false},

	// 政策法规科
	{"gaoyuan", "高远", "政策法规科科长、机关第一党支部组织委员", "demo-zcfg", codeBranch1, true, []roleAt{{access.DeptHead, "demo-zcfg"}}, true},
	{"linxue", "林雪", "政策法规科副科长", "demo-zcfg", codeBranch1, true, nil, false},
	{"hezhiyong", "何志勇", "一级科员", "demo-zcfg", codeBranch1, true, nil, true},
	{"tangjing", "唐静", "科员", "demo-zcfg", codeBranch1, true, []roleAt{{access.InfoOfficer, "demo-zcfg"}}, true},
	{"songyu", "宋宇", "科员", "demo-zcfg", "", false, nil, false},

	// 计划财务科
	{"luoguoqing", "罗国庆", "计划财务科科长、机关第一党支部宣传委员", "demo-jhcw", codeBranch1, true, []roleAt{{access.DeptHead, "demo-jhcw"}}, false},
	{"xiemei", "谢梅", "计划财务科副科长", "demo-jhcw", codeBranch1, true, nil, false},
	{"hanlu", "韩露", "科员", "demo-jhcw", codeBranch1, true, []roleAt{{access.InfoOfficer, "demo-jhcw"}}, false},
	{"fengjie", "冯杰", "科员", "demo-jhcw", codeBranch1, true, nil, false},
	{"ludan", "陆丹", "会计", "demo-jhcw", codeBranch1, true, nil, false},

	// 产业发展科
	{"xujianjun", "徐建军", "产业发展科科长、机关第二党支部书记", "demo-cyfz", codeBranch2, true,
		[]roleAt{{access.DeptHead, "demo-cyfz"}, {access.DeptHead, codeBranch2}}, false},
	{"caoyan", "曹燕", "产业发展科副科长", "demo-cyfz", codeBranch2, true, nil, false},
	{"pengtao", "彭涛", "农艺师", "demo-cyfz", codeBranch2, true, nil, false},
	{"dengli", "邓丽", "科员", "demo-cyfz", codeBranch2, true, []roleAt{{access.InfoOfficer, "demo-cyfz"}}, false},
	{"jiangbo", "蒋波", "科员", "demo-cyfz", codeBranch2, true, nil, false},

	// 农村社会事业科
	{"lvhongmei", "吕红梅", "农村社会事业科科长、机关第二党支部组织委员", "demo-shsy", codeBranch2, true, []roleAt{{access.DeptHead, "demo-shsy"}}, false},
	{"sujun", "苏军", "农村社会事业科副科长", "demo-shsy", codeBranch2, true, nil, false},
	{"dingning", "丁宁", "科员", "demo-shsy", codeBranch2, true, []roleAt{{access.InfoOfficer, "demo-shsy"}}, false},
	{"weixiaoyu", "魏晓宇", "科员", "demo-shsy", "", false, nil, false},
	{"wuxiaofeng", "吴晓峰", "科员", "demo-shsy", codeBranch2, true, nil, false},

	// 农田建设管理科
	{"yuhaitao", "于海涛", "农田建设管理科科长、机关第二党支部宣传委员", "demo-ntjs", codeBranch2, true, []roleAt{{access.DeptHead, "demo-ntjs"}}, false},
	{"panwei", "潘伟", "农田建设管理科副科长", "demo-ntjs", codeBranch2, true, nil, false},
	{"duanfang", "段芳", "工程师", "demo-ntjs", codeBranch2, true, nil, false},
	{"yaolin", "姚琳", "科员", "demo-ntjs", codeBranch2, true, []roleAt{{access.InfoOfficer, "demo-ntjs"}}, false},
	{"qinlei", "秦磊", "科员", "demo-ntjs", codeBranch2, true, nil, false},

	// 农业综合行政执法大队
	{"fangzhiyuan", "方志远", "执法大队大队长", "demo-zfdd", codeBranch2, true, []roleAt{{access.DeptHead, "demo-zfdd"}}, false},
	{"shiyong", "石勇", "执法大队副大队长", "demo-zfdd", codeBranch2, true, nil, false},
	{"yuanli", "袁莉", "执法队员", "demo-zfdd", codeBranch2, true, []roleAt{{access.InfoOfficer, "demo-zfdd"}}, false},
	{"kongfanwei", "孔繁伟", "执法队员", "demo-zfdd", codeBranch2, true, nil, false},
	{"jinpeng", "金鹏", "执法队员", "demo-zfdd", "", false, nil, false},

	// 三员 and the district supervisor: accounts without content roles.
	{"admin", "何俊峰", "网络管理员", "demo-bgs", "", false, []roleAt{unitRole(access.SysAdmin)}, true},
	{"shenji", "钟华", "审计管理员", "demo-jhcw", "", false, []roleAt{unitRole(access.Auditor)}, true},
	{"baomi", "郑磊", "保密员", "demo-bgs", "", false, []roleAt{{access.SecAdmin, codeDistrict}}, true},
	{"ducha", "黄志明", "区委宣传部督查科科长", codeDistrict, "", true, []roleAt{{access.Supervisor, codeDistrict}}, true},
}

// isStaff reports whether p is one of the bureau's staff (attends meetings,
// holds the member role), as opposed to the administrator accounts and the
// district supervisor.
func (p person) isStaff() bool {
	if p.Home == codeDistrict {
		return false
	}
	for _, r := range p.Roles {
		switch r.Role {
		case access.SysAdmin, access.Auditor, access.SecAdmin:
			return false
		}
	}
	return true
}

// grants are the roles of p; every staff member is also a 党员干部 (member)
// of the unit.
func (p person) grants() []roleAt {
	out := append([]roleAt(nil), p.Roles...)
	if p.isStaff() {
		out = append(out, unitRole(access.Member))
	}
	return out
}

// roleLabel describes p's main role for the console list.
func (p person) roleLabel() string {
	r := access.Member
	if len(p.Roles) > 0 {
		r = p.Roles[0].Role
	}
	return r.Label() + "（" + p.Title + "）"
}

// personByUsername finds a demo person.
func personByUsername(username string) (person, bool) {
	for _, p := range people {
		if p.Username == username {
			return p, true
		}
	}
	return person{}, false
}

// leaders are the usernames of the leadership in protocol order.
func leaders() []string {
	var out []string
	for _, p := range people {
		for _, r := range p.Roles {
			if r.Role.IsLeader() {
				out = append(out, p.Username)
				break
			}
		}
	}
	return out
}

// deptHeads are the heads of the seven departments.
func deptHeads() []string {
	var out []string
	for _, p := range people {
		for _, r := range p.Roles {
			if r.Role == access.DeptHead && r.Code != codeBranch1 && r.Code != codeBranch2 {
				out = append(out, p.Username)
				break
			}
		}
	}
	return out
}

// staff are all bureau staff.
func staff() []string {
	var out []string
	for _, p := range people {
		if p.isStaff() {
			out = append(out, p.Username)
		}
	}
	return out
}

// branchMembers are the party members of a branch (leaders included: they
// take part in their branch's 双重组织生活).
func branchMembers(branch string) []string {
	var out []string
	for _, p := range people {
		if p.Party && p.Branch == branch {
			out = append(out, p.Username)
		}
	}
	return out
}

// partyMembersOf are the party members whose home is one of the departments.
func partyMembersOf(depts ...string) []string {
	var out []string
	for _, p := range people {
		if !p.Party || !p.isStaff() {
			continue
		}
		for _, d := range depts {
			if p.Home == d {
				out = append(out, p.Username)
			}
		}
	}
	return out
}

// branchCommittee are the 支委 of each branch: 书记, 组织委员, 宣传委员.
var branchCommittee = map[string][]string{
	codeBranch1: {"zhouwenjing", "gaoyuan", "luoguoqing"},
	codeBranch2: {"xujianjun", "lvhongmei", "yuhaitao"},
}
