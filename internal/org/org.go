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
	"zhendi/internal/auth"
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
	ID       int64
	OrgID    int64
	OrgName  string
	UnitID   int64
	Username string
	Name     string
	Title    string
	// Mobile is the person's mobile number (11 digits, "" when not given):
	// a platform account whose verified mobile matches binds on first
	// sign-on (issue 22 part 7).
	Mobile      string
	PartyMember bool
	MustChange  bool
	// MustChangeWhy says why the password must be changed at the next
	// login: MustCreated, MustReset, MustExpired ("" is an older reset).
	MustChangeWhy string
	// PasswordChangedAt is when the password was last set (unix seconds).
	PasswordChangedAt int64
	Disabled          bool
	Locked            bool
	Sort              int
	Grants            []access.Grant
}

// Why a password must be changed at the next login (User.MustChangeWhy).
const (
	MustCreated = "created" // an account an administrator made
	MustReset   = "reset"   // an administrator reset the password
	MustExpired = "expired" // the periodic change is due
)

// MustChangeNote is what the password page says to a user who must change
// their password before going on.
func (u User) MustChangeNote() string {
	switch u.MustChangeWhy {
	case MustCreated:
		return "这是您的新账户，初始密码由管理员设置，请先设置只有您自己知道的新密码。"
	case MustExpired:
		return "您的密码已到定期修改的时间，请先设置新密码。"
	}
	return "管理员已重置您的密码，请先设置新密码。"
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
	m, ok := NormalizeMobile(u.Mobile)
	if !ok {
		return apperr.Field("手机号", "应为11位手机号码（如 13800000000）")
	}
	u.Mobile = m
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

// MinPasswordLen is the shortest password the policy allows; a unit's
// 安全保密管理员 may require more (access.Security.MinPasswordLen), never less.
const MinPasswordLen = 8

// ValidatePassword enforces the password policy of 等保 2.0 (GB/T 22239-2019
// 身份鉴别: 口令具有复杂度要求): at least minLen characters (MinPasswordLen
// when minLen is lower), at least three of the four character classes
// (upper-case letters, lower-case letters, digits, other characters), not
// containing the login name (any letter case), and not on the common-password
// list (auth.IsCommon). The errors name the field 密码.
func ValidatePassword(pw, username string, minLen int) error {
	minLen = max(minLen, MinPasswordLen)
	if utf8.RuneCountInString(pw) < minLen {
		return apperr.Field("密码", fmt.Sprintf("至少 %d 位", minLen))
	}
	var upper, lower, digit, other int
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	if upper+lower+digit+other < 3 {
		return apperr.Field("密码", "须包含大写字母、小写字母、数字、其他符号中的至少三种")
	}
	if name := strings.ToLower(strings.TrimSpace(username)); name != "" && strings.Contains(strings.ToLower(pw), name) {
		return apperr.Field("密码", "不能包含登录名")
	}
	if auth.IsCommon(pw) {
		return apperr.Field("密码", "是常见弱密码，容易被猜中，请换一个")
	}
	return nil
}

// PasswordHint describes the policy for the password forms.
func PasswordHint(minLen int) string {
	return fmt.Sprintf("至少 %d 位，须包含大写字母、小写字母、数字、其他符号中的至少三种，不能包含登录名，不能是常见弱密码。", max(minLen, MinPasswordLen))
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

// NormalizeMobile reads a mainland mobile number as written in forms and
// by the platforms ("138 0000 0000", "+86-13800000000", "8613800000000")
// as its 11 digits; "" is no number. ok is false for anything else.
func NormalizeMobile(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "+")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	if s == "" {
		return "", true
	}
	if len(s) != 11 || s[0] != '1' {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return s, true
}
