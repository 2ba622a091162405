package ledger

import (
	"fmt"
	"slices"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

// Who may change which entry, and what an entry's references must be. The
// store reads the facts (Refs) inside the transaction that saves an entry
// and calls these rules there, so a rule is judged on the rows it saves.

// CanWrite reports whether the scope may change the entry: any entry of a
// unit or node the scope writes, and a member's own personal record
// (心得体会, 个人自学) that they lead or recorded.
func CanWrite(sc access.Scope, a Activity) bool {
	if sc.CanWrite(a.UnitID, a.OrgID) {
		return true
	}
	t, _ := TypeByCode(a.Type)
	return t.Personal() && sc.OwnRecords && (a.LeadID == sc.UserID || a.CreatedBy == sc.UserID)
}

// CheckWrite is CanWrite as an error: an entry the scope may not change is
// apperr.ErrNotFound, exactly like one it cannot see, so an id probe learns
// nothing.
func CheckWrite(sc access.Scope, a Activity) error {
	if !CanWrite(sc, a) {
		return apperr.ErrNotFound
	}
	return nil
}

// ErrDeleted refuses a change to an entry in the recycle bin.
var ErrDeleted = apperr.Rule("该记录已删除，请先恢复再修改")

// CheckDocuments enforces that an entry of a report type (分析研判) is
// recorded together with its report document: files is how many files come
// with the new entry. An Excel import carries no files and is not held to
// this rule (see the service's ImportActivities).
func (t Type) CheckDocuments(files int) error {
	if t.Report && files == 0 {
		return apperr.Field("报告文件", "分析研判须上传报告文档")
	}
	return nil
}

// Refs is what the database says about an entry's references, read by the
// store inside the transaction that saves the entry.
type Refs struct {
	// OrgUnitID is the unit of the organising node; 0 when the node does not
	// exist, is deleted or is a district.
	OrgUnitID int64
	// Staff maps the people the entry names (People) who belong to that
	// unit to their names; people of other units are absent.
	Staff map[int64]string
	// PlanUnitID is the unit of the linked plan item; 0 when there is none
	// or it is deleted.
	PlanUnitID int64
}

// People lists the user ids the entry names: lead, host and attendees.
func (a *Activity) People() []int64 {
	var ids []int64
	if a.LeadID != 0 {
		ids = append(ids, a.LeadID)
	}
	if a.HostID != 0 {
		ids = append(ids, a.HostID)
	}
	for _, at := range a.Attendance {
		ids = append(ids, at.UserID)
	}
	return ids
}

// Resolve checks a new entry against its references and the writer's
// scope: the organising node exists and the scope may record there, the
// people belong to that unit, a linked plan item is the unit's own. It sets
// UnitID and the names of the lead and the attendees.
func (a *Activity) Resolve(sc access.Scope, r Refs) error {
	if err := a.placeIn(sc, r); err != nil {
		return err
	}
	return a.resolvePeople(r)
}

// ResolveUpdate is Resolve for a change of the stored entry before: the
// scope must be allowed to change it, it must not be in the recycle bin,
// and it stays in its unit. The type and the recording time and author are
// kept from before.
func (a *Activity) ResolveUpdate(sc access.Scope, before Activity, r Refs) error {
	if err := CheckWrite(sc, before); err != nil {
		return err
	}
	if before.DeletedAt != 0 {
		return ErrDeleted
	}
	a.Type, a.CreatedAt, a.CreatedBy = before.Type, before.CreatedAt, before.CreatedBy
	if err := a.placeIn(sc, r); err != nil {
		return err
	}
	if a.UnitID != before.UnitID {
		return apperr.Field("组织部门", "不能改到其他单位")
	}
	return a.resolvePeople(r)
}

// ResolveImport is Resolve for data row row (1-based) of an import into
// unitID; the errors name the row.
func (a *Activity) ResolveImport(sc access.Scope, unitID int64, row int, r Refs) error {
	where := fmt.Sprintf("第 %d 行", row)
	if err := a.placeIn(sc, r); err != nil {
		return apperr.Within(where, err)
	}
	if a.UnitID != unitID {
		return apperr.Rule(where + "：组织部门不属于本单位")
	}
	if err := a.resolvePeople(r); err != nil {
		return apperr.Within(where, err)
	}
	return nil
}

// placeIn puts the entry in the unit of its organising node and checks
// that the scope may record there.
func (a *Activity) placeIn(sc access.Scope, r Refs) error {
	if r.OrgUnitID == 0 {
		return apperr.Field("组织部门", "不存在")
	}
	a.UnitID = r.OrgUnitID
	if !CanWrite(sc, *a) {
		return apperr.Field("组织部门", "无权在该部门登记台账")
	}
	return nil
}

// resolvePeople checks that the named people and the plan item belong to
// the entry's unit and takes the names as the staff list has them.
func (a *Activity) resolvePeople(r Refs) error {
	if a.LeadID != 0 {
		n, ok := r.Staff[a.LeadID]
		if !ok {
			return apperr.Field("人员", "不是本单位人员")
		}
		a.LeadName = n
	}
	if a.HostID != 0 && r.Staff[a.HostID] == "" {
		return apperr.Field("主持人", "不是本单位人员")
	}
	for i := range a.Attendance {
		n, ok := r.Staff[a.Attendance[i].UserID]
		if !ok {
			return apperr.Field("参加人员", "包含非本单位人员")
		}
		a.Attendance[i].Name = n
	}
	if a.PlanItemID != 0 && r.PlanUnitID != a.UnitID {
		return apperr.Field("学习计划", "所选计划项不存在")
	}
	return nil
}

// CanWritePlan reports whether the scope may change the study plan of a
// unit: that needs write access to the whole unit.
func CanWritePlan(sc access.Scope, unitID int64) bool {
	return slices.Contains(sc.WriteUnits, unitID)
}

// SetSpeaker takes the speaker's name from the staff list; found is false
// when the speaker is not one of the unit's people.
func (p *PlanItem) SetSpeaker(name string, found bool) error {
	if p.SpeakerID == 0 {
		return nil
	}
	if !found {
		return apperr.Field("主讲人", "不是本单位人员")
	}
	p.SpeakerName = name
	return nil
}
