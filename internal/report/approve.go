package report

import (
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/org"
)

// ErrNotApprover refuses an approval by someone who is not 第一责任人 or
// 直接责任人 of the report's unit.
var ErrNotApprover = apperr.Rule("只有本单位第一责任人或直接责任人可以审批报告")

// ErrSelfApproval refuses an approval by the author of the version.
var ErrSelfApproval = apperr.Rule("不能审批自己保存的版本")

// CheckApprover says whether u may approve the reports of a unit: only its
// 第一责任人 or 直接责任人 may (ErrNotApprover otherwise).
func CheckApprover(u org.User, unitID int64) error {
	for _, g := range u.Grants {
		if (g.Role == access.FirstResp || g.Role == access.DirectResp) && g.UnitID == unitID {
			return nil
		}
	}
	return ErrNotApprover
}

// CheckApproval is the whole rule for approving one saved version of a
// unit's report: u must be an approver of the unit (CheckApprover) and
// must not be the version's author, whose user id is author
// (ErrSelfApproval), since nobody approves their own text.
func CheckApproval(u org.User, unitID, author int64) error {
	if err := CheckApprover(u, unitID); err != nil {
		return err
	}
	if author == u.ID {
		return ErrSelfApproval
	}
	return nil
}

// ApproverUnits lists the units whose reports u may approve: those where u
// is 第一责任人 or 直接责任人.
func ApproverUnits(u org.User) []int64 {
	var out []int64
	for _, g := range u.Grants {
		if (g.Role == access.FirstResp || g.Role == access.DirectResp) && g.UnitID != 0 && !slices.Contains(out, g.UnitID) {
			out = append(out, g.UnitID)
		}
	}
	return out
}

// Approvers lists the users among users who may approve the unit's
// reports, except author, whose version it is.
func Approvers(users []org.User, unitID, author int64) []int64 {
	var out []int64
	for _, u := range users {
		if u.ID != author && !u.Disabled && CheckApprover(u, unitID) == nil {
			out = append(out, u.ID)
		}
	}
	return out
}
