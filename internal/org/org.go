// Package org holds the organisation tree (district → unit → department /
// party branch) and the people in it, with their validation rules.
package org

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

// Kinds of organisation nodes.
const (
	District   = "district"
	Unit       = "unit"
	Department = "department"
	Branch     = "branch"
)

// KindLabel is the Chinese name of a node kind.
func KindLabel(kind string) string {
	switch kind {
	case District:
		return "区（县）"
	case Unit:
		return "单位"
	case Department:
		return "科室"
	case Branch:
		return "党支部"
	}
	return kind
}

// Node is one organisation.
type Node struct {
	ID       int64
	ParentID int64
	UnitID   int64
	Kind     string
	Name     string
	Code     string
	Sort     int
	Path     string
	Depth    int
}

// ChildKindOK says which kinds may sit under which.
func ChildKindOK(parent, child string) bool {
	switch parent {
	case "":
		return child == District || child == Unit
	case District:
		return child == Unit
	case Unit:
		return child == Department || child == Branch
	}
	return false
}

// ValidateNode checks a node's own fields.
func ValidateNode(n *Node) error {
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		return apperr.Field("名称", "不能为空")
	}
	if utf8.RuneCountInString(n.Name) > 60 {
		return apperr.Field("名称", "不能超过 60 个字")
	}
	switch n.Kind {
	case District, Unit, Department, Branch:
	default:
		return apperr.Field("类型", "无效")
	}
	return nil
}

// User is a person with an account.
type User struct {
	ID          int64
	OrgID       int64
	OrgName     string
	UnitID      int64
	Username    string
	Name        string
	Title       string
	PartyMember bool
	MustChange  bool
	Disabled    bool
	Locked      bool
	Sort        int
	Grants      []access.Grant
}

var usernameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{2,32}$`)

// ValidateUser checks a user's own fields.
func ValidateUser(u *User) error {
	u.Username = strings.TrimSpace(u.Username)
	u.Name = strings.TrimSpace(u.Name)
	u.Title = strings.TrimSpace(u.Title)
	if !usernameRE.MatchString(u.Username) {
		return apperr.Field("登录名", "须为 2–32 位字母、数字或 _ . -")
	}
	if u.Name == "" || utf8.RuneCountInString(u.Name) > 30 {
		return apperr.Field("姓名", "不能为空且不超过 30 个字")
	}
	if utf8.RuneCountInString(u.Title) > 40 {
		return apperr.Field("职务", "不能超过 40 个字")
	}
	if u.OrgID == 0 {
		return apperr.Field("所在部门", "不能为空")
	}
	for _, g := range u.Grants {
		if !g.Role.Valid() {
			return apperr.Field("角色", fmt.Sprintf("无效的角色“%s”", g.Role))
		}
	}
	return nil
}

// ValidatePassword enforces the password policy: at least 10 characters
// with letters and digits (等保 requires complexity; length matters most).
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < 10 {
		return apperr.Field("密码", "至少 10 位")
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letter = true
		}
	}
	if !letter || !digit {
		return apperr.Field("密码", "须同时包含字母和数字")
	}
	return nil
}

// IsLeader reports whether the user holds a leadership role.
func (u *User) IsLeader() bool {
	for _, g := range u.Grants {
		if g.Role.IsLeader() {
			return true
		}
	}
	return false
}

// RoleLabels lists the user's roles in Chinese.
func (u *User) RoleLabels() string {
	var out []string
	for _, g := range u.Grants {
		out = append(out, g.Role.Label())
	}
	return strings.Join(out, "、")
}
