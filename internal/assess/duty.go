package assess

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
)

// Duty roles: whose responsibility an item of the list is.
const (
	DutyPartyGroup = "party_group" // 党组（党委）主体责任
	DutyFirst      = "first"       // 第一责任人
	DutyDirect     = "direct"      // 直接责任人
	DutyMember     = "member"      // 班子成员一岗双责
	DutyDeptHead   = "dept_head"   // 科室负责人
)

// DutyRoles in list order.
var DutyRoles = []string{DutyPartyGroup, DutyFirst, DutyDirect, DutyMember, DutyDeptHead}

// DutyRoleLabel is the Chinese name of a duty role.
func DutyRoleLabel(r string) string {
	switch r {
	case DutyPartyGroup:
		return "党组主体责任"
	case DutyFirst:
		return "第一责任人"
	case DutyDirect:
		return "直接责任人"
	case DutyMember:
		return "一岗双责"
	case DutyDeptHead:
		return "科室负责人"
	}
	return r
}

// Frequencies of a duty.
var Freqs = []string{"每月", "每季度", "每半年", "每年", "经常性", "发生时"}

// Duty is one item of the responsibility list (责任清单): whose, what, how
// often, by when, and the ledger type that evidences it (the list links to
// those records). Generated items carry Key so that generating again does
// not repeat them; items a unit adds or edits by hand keep their text.
type Duty struct {
	ID       int64
	UnitID   int64
	UserID   int64 // 0: the 党组 as a body
	UserName string
	Role     string
	OrgID    int64 // the 分管 department the item is about (一岗双责)
	OrgName  string
	Key      string // generator key, "" for items added by hand
	What     string
	Freq     string
	Due      string // "每半年末", "12月31日前" — free text
	Evidence string // ledger type code whose records evidence it, or ""
	Source   string
	Sort     int
}

// EvidenceLabel names the evidence type.
func (d Duty) EvidenceLabel() string {
	if d.Evidence == "" {
		return ""
	}
	if t, ok := ledger.TypeByCode(d.Evidence); ok {
		return t.Label
	}
	return d.Evidence
}

// Validate checks a duty's fields.
func (d *Duty) Validate() error {
	d.What = strings.TrimSpace(d.What)
	d.Due = strings.TrimSpace(d.Due)
	var es apperr.Errors
	if !slices.Contains(DutyRoles, d.Role) {
		es = append(es, apperr.Field("责任类别", "无效"))
	}
	if d.What == "" {
		es = append(es, apperr.Field("责任内容", "不能为空"))
	} else if utf8.RuneCountInString(d.What) > 300 {
		es = append(es, apperr.Field("责任内容", "不能超过 300 个字"))
	}
	if !slices.Contains(Freqs, d.Freq) {
		es = append(es, apperr.Field("频次", "请从列表中选择"))
	}
	if utf8.RuneCountInString(d.Due) > 40 {
		es = append(es, apperr.Field("完成时限", "不能超过 40 个字"))
	}
	if d.Evidence != "" {
		if _, ok := ledger.TypeByCode(d.Evidence); !ok {
			es = append(es, apperr.Field("佐证台账类型", "无效"))
		}
	}
	if d.Role != DutyPartyGroup && d.UserID == 0 {
		es = append(es, apperr.Field("责任人", "不能为空"))
	}
	return es.OrNil()
}

// Person is someone of the unit the generator writes duties for: their
// roles in the unit and, for leaders, the departments they are in charge
// of (分管).
type Person struct {
	ID      int64
	Name    string
	Title   string
	Roles   []access.Role
	DeptID  int64 // department a 科室负责人 heads
	Dept    string
	Fenguan []Dept
}

// Dept is a department (科室 or 支部).
type Dept struct {
	ID   int64
	Name string
}

// Fenguan is one leader's charge of one department (分管).
type Fenguan struct {
	UserID int64
	OrgID  int64
}

// GenerateDuties writes the responsibility list of a unit from its people's
// roles and 分管 departments, as the 2015 实施办法 assigns the duties:
// the 党组's 主体责任, the 第一责任人's lead, the 直接责任人's coordination,
// each member's 一岗双责 for each department in their charge, and each
// department head's part. The result is deterministic (same input, same
// keys and order), so regenerating adds only what is new.
func GenerateDuties(unitID int64, people []Person) []Duty {
	var out []Duty
	add := func(d Duty) {
		d.UnitID = unitID
		d.Sort = len(out) + 1
		out = append(out, d)
	}
	pg := func(key, what, freq, due, ev, src string) {
		add(Duty{Role: DutyPartyGroup, Key: "pg/" + key, What: what, Freq: freq, Due: due, Evidence: ev, Source: src})
	}
	pg("agenda", "把意识形态工作纳入重要议事日程，每半年至少专题研究一次意识形态工作", "每半年", "6月30日、12月31日前", ledger.TopicStudy, SourceMeasures)
	pg("report", "每半年向上级党委报告一次意识形态工作", "每半年", "6月30日、12月31日前", "", SourceMeasures)
	pg("study", "把意识形态工作纳入党组理论学习中心组学习，每季度至少学习一次", "每季度", "每季度末", ledger.CentralGroup, SourceMeasures)
	pg("analysis", "定期分析研判意识形态领域情况，形成分析研判报告", "每年", "12月31日前", ledger.AnalysisReport, SourceMeasures)
	pg("include", "把意识形态工作纳入党建工作责任制、目标绩效考核、纪律监督和文明创建（五个纳入）", "每年", "年初部署", "", SourceSeed)
	people = slices.Clone(people)
	slices.SortStableFunc(people, func(a, b Person) int { return rank(a) - rank(b) })
	for _, p := range people {
		key := func(k string) string { return fmt.Sprintf("u%d/%s", p.ID, k) }
		has := func(r access.Role) bool { return slices.Contains(p.Roles, r) }
		if has(access.FirstResp) {
			mk := func(k, what, freq, due, ev string) {
				add(Duty{Role: DutyFirst, UserID: p.ID, UserName: p.Name, Key: key("first/" + k), What: what, Freq: freq, Due: due, Evidence: ev, Source: SourceMeasures})
			}
			mk("lead", "履行第一责任人职责，重要工作亲自部署、重要问题亲自过问、重大事件亲自处置", "经常性", "", "")
			mk("chair", "主持专题研究意识形态工作会议", "每半年", "6月30日、12月31日前", ledger.TopicStudy)
			mk("lecture", "带头讲党课", "每年", "12月31日前", ledger.PartyLecture)
			mk("research", "带头调查研究", "每年", "12月31日前", ledger.Research)
			mk("debrief", "在年度述职中报告履行意识形态工作责任制情况", "每年", "年度述职时", ledger.Debrief)
		}
		if has(access.DirectResp) {
			mk := func(k, what, freq, due, ev string) {
				add(Duty{Role: DutyDirect, UserID: p.ID, UserName: p.Name, Key: key("direct/" + k), What: what, Freq: freq, Due: due, Evidence: ev, Source: SourceMeasures})
			}
			mk("coord", "协助第一责任人抓好意识形态工作的统筹协调指导", "经常性", "", "")
			mk("analysis", "组织开展意识形态分析研判，撰写或审定分析研判报告", "每年", "12月31日前", ledger.AnalysisReport)
			mk("lecture", "讲党课", "每年", "12月31日前", ledger.PartyLecture)
			mk("debrief", "在年度述职中报告履行意识形态工作责任制情况", "每年", "年度述职时", ledger.Debrief)
		}
		if has(access.FirstResp) || has(access.DirectResp) || has(access.LeaderMember) {
			for _, d := range p.Fenguan {
				add(Duty{Role: DutyMember, UserID: p.ID, UserName: p.Name, OrgID: d.ID, OrgName: d.Name, Key: key(fmt.Sprintf("member/org%d", d.ID)),
					What: "按照“一岗双责”抓好分管的" + d.Name + "的意识形态工作，督促落实信息报送和阵地管理", Freq: "经常性", Source: SourceMeasures})
			}
			if has(access.LeaderMember) && !has(access.FirstResp) && !has(access.DirectResp) {
				add(Duty{Role: DutyMember, UserID: p.ID, UserName: p.Name, Key: key("member/lecture"), What: "讲党课", Freq: "每年", Due: "12月31日前",
					Evidence: ledger.PartyLecture, Source: SourceMeasures})
				add(Duty{Role: DutyMember, UserID: p.ID, UserName: p.Name, Key: key("member/debrief"), What: "在年度述职中报告分管领域意识形态工作落实情况",
					Freq: "每年", Due: "年度述职时", Evidence: ledger.Debrief, Source: SourceMeasures})
			}
		}
		if has(access.DeptHead) && p.DeptID != 0 {
			add(Duty{Role: DutyDeptHead, UserID: p.ID, UserName: p.Name, OrgID: p.DeptID, OrgName: p.Dept, Key: key(fmt.Sprintf("dept/org%d/info", p.DeptID)),
				What: "组织本科室按月完成信息报送任务，初审本科室稿件", Freq: "每月", Due: "每月月底前", Source: SourceSeed})
			add(Duty{Role: DutyDeptHead, UserID: p.ID, UserName: p.Name, OrgID: p.DeptID, OrgName: p.Dept, Key: key(fmt.Sprintf("dept/org%d/channel", p.DeptID)),
				What: "管好本科室负责的宣传阵地和信息发布，落实“三审三校”", Freq: "经常性", Source: SourceNet})
		}
	}
	return out
}

// rank orders people first 责任人, then 直接责任人, members, heads.
func rank(p Person) int {
	switch {
	case slices.Contains(p.Roles, access.FirstResp):
		return 0
	case slices.Contains(p.Roles, access.DirectResp):
		return 1
	case slices.Contains(p.Roles, access.LeaderMember):
		return 2
	}
	return 3
}

// MissingDuties returns the generated duties whose keys are not among
// existing ones: what "按角色和分管生成" adds to a list already edited.
func MissingDuties(generated, existing []Duty) []Duty {
	have := map[string]bool{}
	for _, d := range existing {
		if d.Key != "" {
			have[d.Key] = true
		}
	}
	var out []Duty
	for _, d := range generated {
		if !have[d.Key] {
			out = append(out, d)
		}
	}
	return out
}

// Inclusion is one of the 五个纳入 for a unit and year: whether it is in
// place, the evidence (a ledger entry, a document, a rule) and who confirmed it.
type Inclusion struct {
	ID          int64
	UnitID      int64
	Year        int
	Key         string
	Done        bool
	Evidence    string // what the evidence is (文件名、文号、会议)
	ActivityID  int64  // a ledger entry that evidences it, when there is one
	ConfirmedBy int64
	Confirmer   string
	ConfirmedAt int64
}

// Validate checks an inclusion entry: a known key, and evidence when it is
// confirmed as in place.
func (in *Inclusion) Validate() error {
	in.Evidence = strings.TrimSpace(in.Evidence)
	if !slices.ContainsFunc(Inclusions, func(k InclusionKey) bool { return k.Key == in.Key }) {
		return apperr.Field("项目", "无效")
	}
	if !yearOK(in.Year) {
		return apperr.Field("年度", "无效")
	}
	if utf8.RuneCountInString(in.Evidence) > 300 {
		return apperr.Field("佐证", "不能超过 300 个字")
	}
	if in.Done && in.Evidence == "" && in.ActivityID == 0 {
		return apperr.Field("佐证", "确认已纳入须写明佐证（文件、会议或台账）")
	}
	return nil
}
