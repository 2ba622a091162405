// Package access defines the roles of PRODUCT.md and turns a user's role
// assignments into a Scope: the organisation nodes whose records the user may
// read and write. Every store query that returns or changes content takes a
// Scope, so a user of one unit cannot reach another unit's records by editing
// an id in a URL.
package access

import "slices"

// Role is one of the roles a user can hold at an organisation node.
type Role string

const (
	SysAdmin     Role = "sysadmin"     // 系统管理员: users, orgs, settings; no content
	SecAdmin     Role = "secadmin"     // 安全保密管理员: security settings
	Auditor      Role = "auditor"      // 审计管理员: read-only audit log
	FirstResp    Role = "first_resp"   // 第一责任人
	DirectResp   Role = "direct_resp"  // 直接责任人 (分管领导)
	LeaderMember Role = "leader"       // 班子成员
	Clerk        Role = "clerk"        // 意识形态专干
	DeptHead     Role = "dept_head"    // 科室负责人
	InfoOfficer  Role = "info_officer" // 信息员
	Member       Role = "member"       // 党员干部
	Supervisor   Role = "supervisor"   // 上级督查 (区委宣传部)
)

// Roles lists every role in the order the admin pages show them.
var Roles = []Role{SysAdmin, SecAdmin, Auditor, FirstResp, DirectResp, LeaderMember, Clerk, DeptHead, InfoOfficer, Member, Supervisor}

// Label is the Chinese name of a role.
func (r Role) Label() string {
	switch r {
	case SysAdmin:
		return "系统管理员"
	case SecAdmin:
		return "安全保密管理员"
	case Auditor:
		return "审计管理员"
	case FirstResp:
		return "第一责任人"
	case DirectResp:
		return "直接责任人"
	case LeaderMember:
		return "班子成员"
	case Clerk:
		return "意识形态专干"
	case DeptHead:
		return "科室负责人"
	case InfoOfficer:
		return "信息员"
	case Member:
		return "党员干部"
	case Supervisor:
		return "上级督查"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// IsLeader reports whether the role belongs to the unit's leadership (班子),
// whose lectures count as 党组成员上党课 and whose "five leads" are tracked.
func (r Role) IsLeader() bool { return r == FirstResp || r == DirectResp || r == LeaderMember }

// Grant is one role held at one node.
type Grant struct {
	Role   Role
	OrgID  int64
	UnitID int64 // enclosing unit of OrgID; 0 when OrgID is a district
	Kind   string
	// Root: OrgID is a top node of the tree (no parent), so the grant
	// covers the whole installation (see Scope.InstallSecurity).
	Root bool
}

// AdminRoles are the three roles of 三员分立 (等保 2.0: 系统管理员,
// 安全管理员, 审计管理员), which one account may hold together only when the
// installation allows it (Security.MergeAdmins).
var AdminRoles = []Role{SysAdmin, SecAdmin, Auditor}

// IsAdmin reports whether r is one of AdminRoles.
func (r Role) IsAdmin() bool { return slices.Contains(AdminRoles, r) }

// Scope says what a user may see and change. The zero Scope allows nothing.
type Scope struct {
	UserID int64
	// HomeUnit is the unit the user belongs to (0 for district staff). When
	// that unit is fully readable anyway, personal involvement adds nothing
	// and queries can skip those checks.
	HomeUnit int64
	// ReadUnits: every record of these units is readable.
	ReadUnits []int64
	// ReadOrgs: records organised by these nodes (departments, branches) are readable.
	ReadOrgs []int64
	// WriteUnits / WriteOrgs: records there may be created, edited and deleted.
	WriteUnits []int64
	WriteOrgs  []int64
	// OwnRecords: the user may read activities they attended or led and write
	// their own personal records (心得体会, 个人自学).
	OwnRecords bool
	// Admin units: users and org tree may be managed there.
	AdminUnits []int64
	// SuperviseDistricts: district nodes where the user is 上级督查 (the
	// district propaganda department), which issue the district 督导通报
	// and 月通报 and so set the district's 公文设置.
	SuperviseDistricts []int64
	// AdminDistricts: new units may be created under these district nodes.
	AdminDistricts []int64
	// AuditUnits: audit log readable there (a district grant gives every unit, see Build).
	AuditUnits []int64
	// InstallAudit: an auditor of the whole installation (an auditor grant
	// at a node with no parent, see InstallationNode). Only such auditors
	// see entries that belong to no unit: failed logins under names that
	// match no account, installation settings, the audit chain's own events.
	InstallAudit bool
	// InstallAdmin: a system administrator of the whole installation (a
	// sysadmin grant at the top node, see InstallationNode), who sets the
	// installation's backup schedule.
	InstallAdmin bool
	// Security: the user is a 安全保密管理员 somewhere and may read the
	// security settings.
	Security bool
	// InstallSecurity: the user is 安全保密管理员 at a top node of the tree,
	// the installation's, and may change the installation-wide settings
	// (lockout, sessions, passwords, uploads, reminder hosts). A unit's own
	// 安全保密管理员 may not: those settings bind every unit.
	InstallSecurity bool
}

// SetsDocs reports whether the scope may change the 公文设置 of a node:
// a unit it writes, or a district where it is 上级督查.
func (s Scope) SetsDocs(nodeID int64) bool {
	return slices.Contains(s.WriteUnits, nodeID) || slices.Contains(s.SuperviseDistricts, nodeID)
}

// InstallationNode reports whether a grant at a node is installation-level:
// the node is the top of the organisation tree — a district with no parent,
// or the only top-level unit of a single-bureau installation. (Several
// top-level units side by side: none of them speaks for the installation.)
func InstallationNode(parentID int64, kind string, topLevelNodes int) bool {
	return parentID == 0 && (kind == "district" || topLevelNodes == 1)
}

// Unit-wide readers and writers.
var (
	unitReaders = []Role{FirstResp, DirectResp, LeaderMember, Clerk}
	unitWriters = []Role{FirstResp, DirectResp, LeaderMember, Clerk}
	deptRoles   = []Role{DeptHead, InfoOfficer}
)

// Build computes a user's scope from their grants. unitsUnder returns the
// unit ids below a district node (for supervisors and district-level admins).
func Build(userID, homeUnit int64, grants []Grant, unitsUnder func(districtID int64) []int64) Scope {
	s := Scope{UserID: userID, HomeUnit: homeUnit}
	unitsOf := func(g Grant) []int64 {
		if g.Kind == "district" {
			return unitsUnder(g.OrgID)
		}
		if g.UnitID != 0 {
			return []int64{g.UnitID}
		}
		return nil
	}
	for _, g := range grants {
		switch {
		case slices.Contains(unitReaders, g.Role) && (g.Kind == "unit" || g.Kind == "district"):
			s.ReadUnits = append(s.ReadUnits, unitsOf(g)...)
			if slices.Contains(unitWriters, g.Role) {
				s.WriteUnits = append(s.WriteUnits, unitsOf(g)...)
			}
			s.OwnRecords = true
		case slices.Contains(unitReaders, g.Role) || slices.Contains(deptRoles, g.Role):
			// A role held at a department or branch covers that node only.
			if g.Kind == "unit" {
				s.ReadUnits = append(s.ReadUnits, g.UnitID)
				s.WriteUnits = append(s.WriteUnits, g.UnitID)
			} else {
				s.ReadOrgs = append(s.ReadOrgs, g.OrgID)
				s.WriteOrgs = append(s.WriteOrgs, g.OrgID)
			}
			s.OwnRecords = true
		case g.Role == Member:
			s.OwnRecords = true
		case g.Role == Supervisor:
			s.ReadUnits = append(s.ReadUnits, unitsOf(g)...)
			if g.Kind == "district" {
				s.SuperviseDistricts = append(s.SuperviseDistricts, g.OrgID)
			}
		case g.Role == SysAdmin:
			s.AdminUnits = append(s.AdminUnits, unitsOf(g)...)
			if g.Kind == "district" {
				s.AdminDistricts = append(s.AdminDistricts, g.OrgID)
			}
		case g.Role == Auditor:
			s.AuditUnits = append(s.AuditUnits, unitsOf(g)...)
		case g.Role == SecAdmin:
			s.Security = true
			s.InstallSecurity = s.InstallSecurity || g.Root
		}
	}
	s.ReadUnits = uniq(s.ReadUnits)
	s.ReadOrgs = uniq(s.ReadOrgs)
	s.WriteUnits = uniq(s.WriteUnits)
	s.WriteOrgs = uniq(s.WriteOrgs)
	s.AdminUnits = uniq(s.AdminUnits)
	s.AdminDistricts = uniq(s.AdminDistricts)
	s.SuperviseDistricts = uniq(s.SuperviseDistricts)
	s.AuditUnits = uniq(s.AuditUnits)
	return s
}

func uniq(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// HasContent reports whether the user can see any ledger content at all.
func (s Scope) HasContent() bool {
	return len(s.ReadUnits) > 0 || len(s.ReadOrgs) > 0 || s.OwnRecords
}

// CanWrite reports whether a record of unitID organised by orgID may be
// changed by this user (personal records are checked separately by the caller).
func (s Scope) CanWrite(unitID, orgID int64) bool {
	return slices.Contains(s.WriteUnits, unitID) || slices.Contains(s.WriteOrgs, orgID)
}

// CanRead reports whether a record of unitID organised by orgID is readable
// without relying on personal involvement.
func (s Scope) CanRead(unitID, orgID int64) bool {
	return slices.Contains(s.ReadUnits, unitID) || slices.Contains(s.ReadOrgs, orgID)
}

// CanAdmin reports whether users and nodes of unitID may be managed.
func (s Scope) CanAdmin(unitID int64) bool { return slices.Contains(s.AdminUnits, unitID) }

// CanAudit reports whether the audit log of unitID is readable.
func (s Scope) CanAudit(unitID int64) bool { return slices.Contains(s.AuditUnits, unitID) }

// IsReadOnly reports whether the user may change no ledger records at all
// (apart from personal ones, see OwnRecords).
func (s Scope) IsReadOnly() bool {
	return len(s.WriteUnits) == 0 && len(s.WriteOrgs) == 0
}
