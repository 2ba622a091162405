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
	// ErrOwnAdminRole: an administrator would remove their own role.
	ErrOwnAdminRole = apperr.Field("角色", "不能取消自己的系统管理员角色")
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

// CheckOwnGrants keeps an administrator from removing their own
// administrator role: editing oneself (actorID == u.ID) must keep it.
func CheckOwnGrants(actorID int64, u User) error {
	if u.ID != actorID {
		return nil
	}
	for _, g := range u.Grants {
		if g.Role == access.SysAdmin {
			return nil
		}
	}
	return ErrOwnAdminRole
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
// says whether the old password they typed was right.
func CheckPasswordChange(oldOK bool, old, next, confirm string) error {
	switch {
	case !oldOK:
		return apperr.Field("原密码", "不正确")
	case next != confirm:
		return apperr.Field("确认密码", "与新密码不一致")
	case next == old:
		return apperr.Field("新密码", "不能与原密码相同")
	}
	return ValidatePassword(next)
}
