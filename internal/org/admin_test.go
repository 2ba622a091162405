package org

import (
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

func TestCheckCreateUnder(t *testing.T) {
	unitAdmin := access.Scope{AdminUnits: []int64{10}}
	districtAdmin := access.Scope{AdminDistricts: []int64{1}}
	unit := Node{ID: 10, UnitID: 10, Kind: Unit}
	otherUnit := Node{ID: 20, UnitID: 20, Kind: Unit}
	district := Node{ID: 1, Kind: District}
	cases := []struct {
		name   string
		sc     access.Scope
		parent Node
		kind   string
		want   string
	}{
		{"department under own unit", unitAdmin, unit, Department, ""},
		{"branch under own unit", unitAdmin, unit, Branch, ""},
		{"department under other unit", unitAdmin, otherUnit, Department, "上级组织：无效或无权管理"},
		{"unit under own district", districtAdmin, district, Unit, ""},
		{"unit under district by unit admin", unitAdmin, district, Unit, "上级组织：无效或无权管理"},
		{"unit under unit", unitAdmin, unit, Unit, "类型：单位下不能新增单位"},
		{"department under a department", unitAdmin, Node{ID: 11, UnitID: 10, Kind: Department}, Department, "上级组织：无效或无权管理"},
	}
	for _, c := range cases {
		if got := apperr.Message(CheckCreateUnder(c.sc, c.parent, c.kind)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := apperr.Message(CheckChild(Unit, District)); got != "类型：单位下不能建立区（县）" {
		t.Errorf("CheckChild: %q", got)
	}
	if CheckChild("", Unit) != nil || CheckChild(District, Unit) != nil {
		t.Error("CheckChild refuses a unit at the root or under a district")
	}
}

func TestCheckGrants(t *testing.T) {
	sys := access.Grant{Role: access.SysAdmin, OrgID: 10}
	clerk := access.Grant{Role: access.Clerk, OrgID: 10}
	aud := access.Grant{Role: access.Auditor, OrgID: 10}
	sec := access.Grant{Role: access.SecAdmin, OrgID: 10}
	g := func(gs ...access.Grant) []access.Grant { return gs }
	cases := []struct {
		name          string
		actor, user   int64
		before, after []access.Grant
		merge         bool
		want          error
	}{
		{"own roles unchanged", 7, 7, g(sys), g(sys), false, nil},
		{"own content role added", 7, 7, g(sys), g(sys, clerk), false, ErrOwnRoles},
		{"own auditor and secadmin added", 7, 7, g(sys), g(sys, aud, sec), true, ErrOwnRoles},
		{"own admin role dropped", 7, 7, g(sys), g(clerk), false, ErrOwnRoles},
		{"someone else's content role", 7, 8, g(clerk), g(), false, nil},
		{"grant auditor", 7, 8, g(), g(aud), false, ErrGrantAdminRole},
		{"grant secadmin on a new account", 7, 0, nil, g(sec), false, ErrGrantAdminRole},
		{"withdraw auditor", 7, 8, g(aud), g(), false, ErrGrantAdminRole},
		{"sysadmin to an auditor", 7, 8, g(aud), g(aud, sys), false, ErrMergedAdmins},
		{"sysadmin to an auditor, merging allowed", 7, 8, g(aud), g(aud, sys), true, nil},
		{"auditor kept, content role added", 7, 8, g(aud), g(aud, clerk), false, nil},
	}
	for _, c := range cases {
		if got := CheckGrants(c.actor, c.user, c.before, c.after, c.merge); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	kept := KeepAdminGrants(g(aud, sys), g(clerk))
	if len(kept) != 2 || kept[1] != aud {
		t.Errorf("KeepAdminGrants = %+v", kept)
	}
}

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		pw, user string
		min      int
		want     string
	}{
		{"Ab1!xyz", "zhang", 8, "密码：至少 8 位"},
		{"Ab1!xyzw", "zhang", 10, "密码：至少 10 位"},
		{"abcdefgh12", "zhang", 0, "密码：须包含大写字母、小写字母、数字、其他符号中的至少三种"},
		{"Kx7mZhang99", "zhang", 8, "密码：不能包含登录名"},
		{"Password1", "zhang", 8, "密码：是常见弱密码，容易被猜中，请换一个"},
		{"P@ssw0rd", "zhang", 8, "密码：是常见弱密码，容易被猜中，请换一个"},
		{"Qq123456", "zhang", 8, "密码：是常见弱密码，容易被猜中，请换一个"},
		{"Kx7m-Lp2q", "zhang", 8, ""},
		{"kx7m-lp2q", "zhang", 8, ""}, // lower, digit, other
		{"Demo2023zhendi", "zhuangan", 8, ""},
	}
	for _, c := range cases {
		if got := apperr.Message(ValidatePassword(c.pw, c.user, c.min)); got != c.want {
			t.Errorf("%q: %q, want %q", c.pw, got, c.want)
		}
	}
}

func TestGrantNode(t *testing.T) {
	dept := Node{ID: 11, UnitID: 10, Kind: Department}
	if GrantNode(access.SysAdmin, dept) != 10 || GrantNode(access.FirstResp, dept) != 10 || GrantNode(access.Clerk, dept) != 10 {
		t.Error("unit-wide roles sit on the unit")
	}
	if GrantNode(access.DeptHead, dept) != 11 || GrantNode(access.Member, dept) != 11 {
		t.Error("department roles sit on the department")
	}
	if GrantNode(access.Supervisor, Node{ID: 1, Kind: District}) != 1 {
		t.Error("district roles sit on the district")
	}
}

func TestValidateUserRoles(t *testing.T) {
	u := User{Username: "zhao", Name: "赵某", OrgID: 3, Grants: []access.Grant{{Role: "boss", OrgID: 3}}}
	if got := apperr.Message(ValidateUser(&u)); got != "角色：无效的角色“boss”" {
		t.Errorf("unknown role: %q", got)
	}
}

func TestCheckPasswordChange(t *testing.T) {
	cases := []struct {
		oldOK              bool
		old, next, confirm string
		want               string
	}{
		{false, "old-pass-123", "new-pass-456", "new-pass-456", "原密码：不正确"},
		{true, "old-pass-123", "new-pass-456", "new-pass-457", "确认密码：与新密码不一致"},
		{true, "old-pass-123", "old-pass-123", "old-pass-123", "新密码：不能与原密码相同"},
		{true, "old-pass-123", "short1", "short1", "密码：至少 8 位"},
		{true, "old-pass-123", "new-pass-456", "new-pass-456", ""},
	}
	for _, c := range cases {
		if got := apperr.Message(CheckPasswordChange(c.oldOK, c.old, c.next, c.confirm, "zhang", 8)); got != c.want {
			t.Errorf("%+v: %q", c, got)
		}
	}
}
