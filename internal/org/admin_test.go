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

func TestCheckOwnGrants(t *testing.T) {
	admin := User{ID: 7, Grants: []access.Grant{{Role: access.SysAdmin, OrgID: 10}}}
	if err := CheckOwnGrants(7, admin); err != nil {
		t.Errorf("keeping the role: %v", err)
	}
	dropped := User{ID: 7, Grants: []access.Grant{{Role: access.Clerk, OrgID: 10}}}
	if err := CheckOwnGrants(7, dropped); err != ErrOwnAdminRole {
		t.Errorf("dropping own role: %v", err)
	}
	if err := CheckOwnGrants(8, dropped); err != nil {
		t.Errorf("editing someone else: %v", err)
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
		{true, "old-pass-123", "short1", "short1", "密码：至少 10 位"},
		{true, "old-pass-123", "new-pass-456", "new-pass-456", ""},
	}
	for _, c := range cases {
		if got := apperr.Message(CheckPasswordChange(c.oldOK, c.old, c.next, c.confirm)); got != c.want {
			t.Errorf("%+v: %q", c, got)
		}
	}
}
