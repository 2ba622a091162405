package org

import (
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

// Who may manage which part of the organisation, and the errors the store
// returns when a user's references do not hold.

var (
	// ErrUsernameTaken: the login name belongs to another account.
	ErrUsernameTaken = apperr.Field("登录名", "已被使用")
	// ErrNoHomeOrg: the user's department does not exist (or is deleted).
	ErrNoHomeOrg = apperr.Field("所在部门", "不存在")
	// ErrNoParent: a new node's parent does not exist (or is deleted).
	ErrNoParent = apperr.Field("上级组织", "不存在")
	// ErrParentNotManaged: the administrator may not add nodes under the parent.
	ErrParentNotManaged = apperr.Field("上级组织", "无效或无权管理")
	// ErrHomeNotManaged: the administrator may not place users in that node.
	ErrHomeNotManaged = apperr.Field("所在部门", "无效或无权管理")
)

// CheckChild refuses a node of kind under a parent of parentKind ("" for
// a root) that the tree does not allow.
func CheckChild(parentKind, kind string) error {
	if !ChildKindOK(parentKind, kind) {
		return apperr.Field("类型", fmt.Sprintf("%s下不能建立%s", KindLabel(parentKind), KindLabel(kind)))
	}
	return nil
}

// CheckCreateUnder says whether the administrator's scope may add a node
// of kind under parent: departments and branches under a unit they
// manage, units under a district they manage.
func CheckCreateUnder(sc access.Scope, parent Node, kind string) error {
	allowed := (parent.Kind == Unit && sc.CanAdmin(parent.UnitID)) ||
		(parent.Kind == District && slices.Contains(sc.AdminDistricts, parent.ID))
	if !allowed {
		return ErrParentNotManaged
	}
	if !ChildKindOK(parent.Kind, kind) {
		return apperr.Field("类型", KindLabel(parent.Kind)+"下不能新增"+KindLabel(kind))
	}
	return nil
}

// CanManage reports whether the administrator's scope may change the node
// or a user of it (district nodes are managed through their units only).
func CanManage(sc access.Scope, n Node) bool { return sc.CanAdmin(n.UnitID) }

// Errors of role changes (三员分立).
var (
	// ErrOwnRoles: nobody changes their own roles, administrators included.
	ErrOwnRoles = apperr.Field("角色", "不能修改自己的角色，请由其他管理员办理")
	// ErrGrantAdminRole: the 系统管理员 neither grants nor withdraws the
	// 审计管理员 and 安全保密管理员 roles that watch over it.
	ErrGrantAdminRole = apperr.Field("角色", "系统管理员不能授予或取消审计管理员、安全保密管理员角色（三员分立），请由安装时的 zhendi user 命令办理")
	// ErrMergedAdmins: one account would hold two of the three
	// administrator roles while the installation does not allow it.
	ErrMergedAdmins = apperr.Field("角色", "系统管理员、安全保密管理员、审计管理员不能由同一账户兼任（三员分立）；确需兼任的小单位，须由安全保密管理员在“安全设置”中开启“允许三员兼任”")
)

// CheckGrants is the rule for an administrator (actorID) changing the roles
// of user u from before to after (before is empty for a new account):
// nobody changes their own roles (ErrOwnRoles); the 审计管理员 and
// 安全保密管理员 roles are neither added nor removed here
// (ErrGrantAdminRole); and the three administrator roles stay on
// different accounts unless mergeAdmins (ErrMergedAdmins).
func CheckGrants(actorID, userID int64, before, after []access.Grant, mergeAdmins bool) error {
	if userID != 0 && userID == actorID && !sameGrants(before, after) {
		return ErrOwnRoles
	}
	had := grantKeys(before)
	has := grantKeys(after)
	for k := range has {
		if k.role == access.Auditor || k.role == access.SecAdmin {
			if !had[k] {
				return ErrGrantAdminRole
			}
		}
	}
	for k := range had {
		if (k.role == access.Auditor || k.role == access.SecAdmin) && !has[k] {
			return ErrGrantAdminRole
		}
	}
	return CheckAdminRoles(after, mergeAdmins)
}

// CheckAdminRoles refuses grants that put two of the three administrator
// roles on one account when the installation does not allow merging them.
func CheckAdminRoles(grants []access.Grant, mergeAdmins bool) error {
	if mergeAdmins {
		return nil
	}
	var held []access.Role
	for _, g := range grants {
		if g.Role.IsAdmin() && !slices.Contains(held, g.Role) {
			held = append(held, g.Role)
		}
	}
	if len(held) > 1 {
		return ErrMergedAdmins
	}
	return nil
}

type grantKey struct {
	role access.Role
	org  int64
}

func grantKeys(gs []access.Grant) map[grantKey]bool {
	m := map[grantKey]bool{}
	for _, g := range gs {
		m[grantKey{g.Role, g.OrgID}] = true
	}
	return m
}

func sameGrants(a, b []access.Grant) bool {
	ka, kb := grantKeys(a), grantKeys(b)
	if len(ka) != len(kb) {
		return false
	}
	for k := range ka {
		if !kb[k] {
			return false
		}
	}
	return true
}

// KeepAdminGrants adds to posted the 审计管理员 and 安全保密管理员 grants of
// before that the form could not post (the administrator's form shows them
// but does not let them change), so an ordinary edit keeps them.
func KeepAdminGrants(before, posted []access.Grant) []access.Grant {
	has := grantKeys(posted)
	out := posted
	for _, g := range before {
		if (g.Role == access.Auditor || g.Role == access.SecAdmin) && !has[grantKey{g.Role, g.OrgID}] {
			out = append(out, g)
		}
	}
	return out
}

// GrantableRoles are the roles a 系统管理员 may give on the user form.
func GrantableRoles() []access.Role {
	var out []access.Role
	for _, r := range access.Roles {
		if r != access.Auditor && r != access.SecAdmin {
			out = append(out, r)
		}
	}
	return out
}

// GrantNode is where a role given to a person of node n is held: roles
// that cover the whole unit (administration, audit, the clerk's and the
// leaders') sit on the unit node, the others on n itself.
func GrantNode(r access.Role, n Node) int64 {
	if n.UnitID != 0 && n.Kind != Unit && (r == access.SysAdmin || r == access.Auditor || r == access.Clerk || r.IsLeader()) {
		return n.UnitID
	}
	return n.ID
}

// CheckPasswordChange checks a user's change of their own password: oldOK
// says whether the old password they typed was right; username and minLen
// are for ValidatePassword.
func CheckPasswordChange(oldOK bool, old, next, confirm, username string, minLen int) error {
	switch {
	case !oldOK:
		return apperr.Field("原密码", "不正确")
	case next != confirm:
		return apperr.Field("确认密码", "与新密码不一致")
	case next == old:
		return apperr.Field("新密码", "不能与原密码相同")
	}
	return ValidatePassword(next, username, minLen)
}
