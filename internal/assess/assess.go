// Package assess is module 8 of PRODUCT.md, 考核问责: the responsibility
// list (责任清单) per person and role, the 五个纳入 checklist, the indicator
// tree a district publishes each year and the arithmetic that scores a unit
// against it, the assessment workflow (自评 → 区级审核 → 发布 → 冻结), the
// leaders' 述职 and 民主测评, and accountability cases (问责).
//
// The package is pure: it says what is valid, who may do what and how a
// score is computed from measurements; the service measures (the scorers in
// internal/service/assess_scorers.go read the ledger, supervision,
// information points and rectification) and the store keeps the rows.
//
// Sources of the rules, cited on the pages:
//   - 《党委（党组）意识形态工作责任制实施办法》（中办发〔2015〕52号）: 主体责任,
//     第一责任人, 直接责任人, 一岗双责; 纳入重要议事日程、党建工作责任制、
//     目标管理、纪律监督; 每半年专题研究、每半年向上级报告; 问责. Its text is
//     not published in full; the duties are stated as its published
//     derivatives state them (see SourceMeasures).
//   - the seed report (../shared/seed): "五个纳入", 考核分值权重, 述职报告制度,
//     责任追究办法.
package assess

import (
	"slices"

	"zhendi/internal/access"
)

// Source citations used by the default tree, the duties and the cases.
const (
	SourceMeasures = "《党委（党组）意识形态工作责任制实施办法》（中办发〔2015〕52号）"
	SourceNet      = "《党委（党组）网络意识形态工作责任制实施细则》（2016年）"
	SourceSeed     = "局党组上半年意识形态工作总结（种子文件）"
	SourceBranch   = "《中国共产党支部工作条例（试行）》"
	SourceAccount  = "《中国共产党问责条例》"
	SourceSites    = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
	SourceOpinion  = "《关于在政务公开工作中进一步做好政务舆情回应的通知》（国办发〔2016〕61号）"
	// SourceCaseList is where the default 问责情形 wording is taken from: a
	// published 问责办法 that names the 2015 实施办法 as its basis (第四条).
	SourceCaseList = "《检察机关意识形态工作问责办法（试行）》第四条（依据《党委（党组）意识形态工作责任制实施办法》制定，http://hahz.jsjc.gov.cn/zt/zyzdgf/201909/t20190906_880596.shtml）"
)

// Actor is who acts on an assessment: the user, their scope and their role
// grants (the grants decide district review and who sees cases).
type Actor struct {
	UserID int64
	Scope  access.Scope
	Grants []access.Grant
}

// hasUnitRole reports whether the actor holds role at the unit itself.
func (a Actor) hasUnitRole(unitID int64, roles ...access.Role) bool {
	for _, g := range a.Grants {
		if g.UnitID == unitID && g.Kind == "unit" && slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// District reports whether the actor reviews unitID from above: a 上级督查
// grant at a district node whose units include unitID, and not a member of
// that unit (a unit cannot review itself).
func (a Actor) District(unitID int64) bool {
	if a.Scope.HomeUnit == unitID {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == access.Supervisor && g.Kind == "district" {
			return slices.Contains(a.Scope.ReadUnits, unitID)
		}
	}
	return false
}

// DistrictOrg is the district node the actor supervises (0 when none).
func (a Actor) DistrictOrg() int64 {
	for _, g := range a.Grants {
		if g.Role == access.Supervisor && g.Kind == "district" {
			return g.OrgID
		}
	}
	return 0
}

// CanSelfAssess reports whether the actor fills in the unit's
// self-assessment, its 五个纳入 and its responsibility list: the unit's
// 第一责任人, 直接责任人 and 意识形态专干.
func CanSelfAssess(a Actor, unitID int64) bool {
	return slices.Contains(a.Scope.WriteUnits, unitID) &&
		a.hasUnitRole(unitID, access.FirstResp, access.DirectResp, access.Clerk)
}

// CanRead reports whether the actor sees the unit's assessment, list and
// 述职 records: anyone reading the whole unit (the unit's leaders and clerk,
// the district).
func CanRead(a Actor, unitID int64) bool {
	return slices.Contains(a.Scope.ReadUnits, unitID)
}

// CanSeeCases reports whether the actor sees the unit's accountability
// cases. Cases name persons and their 责任, so only those who decide or
// supervise them do: the unit's 第一责任人 and the district's 上级督查. A
// member, a clerk or another unit sees none (the store answers not found).
func CanSeeCases(a Actor, unitID int64) bool {
	return a.hasUnitRole(unitID, access.FirstResp) || a.District(unitID)
}

// CanManageCases reports whether the actor records and advances cases of
// the unit: the same people who see them.
func CanManageCases(a Actor, unitID int64) bool { return CanSeeCases(a, unitID) }

// Inclusion keys: the 五个纳入 of the seed.
const (
	InAgenda     = "agenda"     // 纳入重要议事日程
	InPartyBuild = "party"      // 纳入党的建设（党建工作责任制）
	InTargets    = "targets"    // 纳入目标绩效（领导班子、领导干部目标管理）
	InDiscipline = "discipline" // 纳入纪律监督（党的纪律检查）
	InCivility   = "civility"   // 纳入文明创建
)

// InclusionKey is one of the five, with what counts as evidence.
type InclusionKey struct {
	Key, Label, Hint, Source string
}

// Inclusions are the 五个纳入 in the seed's order.
var Inclusions = []InclusionKey{
	{InAgenda, "重要议事", "党组会议把意识形态工作列入议程（台账中的专题研究意识形态工作或党组会议纪要）", SourceMeasures + "：纳入重要议事日程"},
	{InPartyBuild, "党的建设", "党建工作要点或党建工作责任制中列有意识形态工作", SourceMeasures + "：纳入党建工作责任制"},
	{InTargets, "目标绩效", "年度目标绩效考核方案中有意识形态工作的分值", SourceMeasures + "：纳入领导班子、领导干部目标管理"},
	{InDiscipline, "纪律监督", "纪检监督检查计划或党风廉政建设责任书中列有意识形态工作", SourceMeasures + "：纳入党的纪律检查范围"},
	{InCivility, "文明创建", "文明单位创建方案或考评中列有意识形态工作", SourceSeed + "：“五个纳入”"},
}

// InclusionLabel is the Chinese name of a key.
func InclusionLabel(key string) string {
	for _, k := range Inclusions {
		if k.Key == key {
			return k.Label
		}
	}
	return key
}

// yearOK checks an assessment year.
func yearOK(y int) bool { return y >= 2000 && y <= 2100 }
