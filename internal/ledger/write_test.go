package ledger

import (
	"errors"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

func TestCanWrite(t *testing.T) {
	clerk := access.Scope{UserID: 1, WriteUnits: []int64{10}, OwnRecords: true}
	dept := access.Scope{UserID: 2, WriteOrgs: []int64{11}, OwnRecords: true}
	member := access.Scope{UserID: 3, OwnRecords: true}
	cases := []struct {
		name string
		sc   access.Scope
		a    Activity
		want bool
	}{
		{"clerk, own unit", clerk, Activity{UnitID: 10, OrgID: 11, Type: CentralGroup}, true},
		{"clerk, other unit", clerk, Activity{UnitID: 20, OrgID: 21, Type: CentralGroup}, false},
		{"department head, own node", dept, Activity{UnitID: 10, OrgID: 11, Type: BranchCongress}, true},
		{"department head, unit node", dept, Activity{UnitID: 10, OrgID: 10, Type: CentralGroup}, false},
		{"member, own reflection", member, Activity{UnitID: 10, OrgID: 11, Type: Reflection, LeadID: 3}, true},
		{"member, reflection recorded by them", member, Activity{UnitID: 10, Type: Reflection, LeadID: 9, CreatedBy: 3}, true},
		{"member, someone else's reflection", member, Activity{UnitID: 10, Type: Reflection, LeadID: 9}, false},
		{"member, a meeting they lead", member, Activity{UnitID: 10, Type: CentralGroup, LeadID: 3}, false},
	}
	for _, c := range cases {
		if got := CanWrite(c.sc, c.a); got != c.want {
			t.Errorf("%s: CanWrite = %v", c.name, got)
		}
		if err := CheckWrite(c.sc, c.a); (err == nil) != c.want || (err != nil && !errors.Is(err, apperr.ErrNotFound)) {
			t.Errorf("%s: CheckWrite = %v", c.name, err)
		}
	}
}

func TestCheckDocuments(t *testing.T) {
	report, _ := TypeByCode(AnalysisReport)
	if err := report.CheckDocuments(0); apperr.Message(err) != "报告文件：分析研判须上传报告文档" {
		t.Errorf("report without file: %v", err)
	}
	if err := report.CheckDocuments(1); err != nil {
		t.Errorf("report with file: %v", err)
	}
	meeting, _ := TypeByCode(CentralGroup)
	if err := meeting.CheckDocuments(0); err != nil {
		t.Errorf("meeting without file: %v", err)
	}
}

func TestResolve(t *testing.T) {
	clerk := access.Scope{UserID: 1, WriteUnits: []int64{10}}
	refs := func() Refs {
		return Refs{OrgUnitID: 10, Staff: map[int64]string{1: "张专干", 2: "王党员"}, PlanUnitID: 10}
	}
	entry := func() Activity {
		return Activity{Type: CentralGroup, OrgID: 11, LeadID: 1, LeadName: "typed", HostID: 2, PlanItemID: 7,
			Attendance: []Attendance{{UserID: 2, Status: "present"}}}
	}
	a := entry()
	if err := a.Resolve(clerk, refs()); err != nil {
		t.Fatal(err)
	}
	if a.UnitID != 10 || a.LeadName != "张专干" || a.Attendance[0].Name != "王党员" {
		t.Fatalf("resolved entry: %+v", a)
	}
	cases := []struct {
		name string
		edit func(*Activity, *Refs)
		want string
	}{
		{"node missing", func(a *Activity, r *Refs) { r.OrgUnitID = 0 }, "组织部门：不存在"},
		{"other unit", func(a *Activity, r *Refs) { r.OrgUnitID = 20 }, "组织部门：无权在该部门登记台账"},
		{"lead elsewhere", func(a *Activity, r *Refs) { delete(r.Staff, 1) }, "人员：不是本单位人员"},
		{"host elsewhere", func(a *Activity, r *Refs) { a.HostID = 9 }, "主持人：不是本单位人员"},
		{"attendee elsewhere", func(a *Activity, r *Refs) { a.Attendance[0].UserID = 9 }, "参加人员：包含非本单位人员"},
		{"plan of another unit", func(a *Activity, r *Refs) { r.PlanUnitID = 20 }, "学习计划：所选计划项不存在"},
		{"plan missing", func(a *Activity, r *Refs) { r.PlanUnitID = 0 }, "学习计划：所选计划项不存在"},
	}
	for _, c := range cases {
		a, r := entry(), refs()
		c.edit(&a, &r)
		if err := a.Resolve(clerk, r); apperr.Message(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
}

func TestResolveUpdate(t *testing.T) {
	clerk := access.Scope{UserID: 1, WriteUnits: []int64{10}}
	before := Activity{ID: 5, UnitID: 10, OrgID: 10, Type: CentralGroup, CreatedAt: 100, CreatedBy: 1}
	refs := Refs{OrgUnitID: 10}
	a := Activity{ID: 5, OrgID: 10, Type: Preach}
	if err := a.ResolveUpdate(clerk, before, refs); err != nil || a.Type != CentralGroup || a.CreatedAt != 100 || a.UnitID != 10 {
		t.Fatalf("update: %v %+v", err, a)
	}
	if err := a.ResolveUpdate(access.Scope{UserID: 2, WriteUnits: []int64{20}}, before, refs); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("other unit's clerk: %v", err)
	}
	gone := before
	gone.DeletedAt = 200
	if err := a.ResolveUpdate(clerk, gone, refs); !errors.Is(err, ErrDeleted) {
		t.Errorf("deleted entry: %v", err)
	}
	both := access.Scope{UserID: 1, WriteUnits: []int64{10, 20}}
	if err := a.ResolveUpdate(both, before, Refs{OrgUnitID: 20}); apperr.Message(err) != "组织部门：不能改到其他单位" {
		t.Errorf("moved to another unit: %v", err)
	}
}

func TestResolveImport(t *testing.T) {
	clerk := access.Scope{UserID: 1, WriteUnits: []int64{10, 20}}
	a := Activity{OrgID: 21, Type: BusinessLecture}
	if err := a.ResolveImport(clerk, 10, 11, Refs{OrgUnitID: 20}); apperr.Message(err) != "第 11 行：组织部门不属于本单位" {
		t.Errorf("row of another unit: %v", err)
	}
	if err := a.ResolveImport(clerk, 10, 3, Refs{}); apperr.Message(err) != "第 3 行：组织部门：不存在" {
		t.Errorf("row with a missing node: %v", err)
	}
	if err := a.ResolveImport(clerk, 20, 3, Refs{OrgUnitID: 20}); err != nil {
		t.Errorf("good row: %v", err)
	}
}

func TestPlanRules(t *testing.T) {
	sc := access.Scope{WriteUnits: []int64{10}, WriteOrgs: []int64{20}}
	if !CanWritePlan(sc, 10) || CanWritePlan(sc, 20) {
		t.Error("CanWritePlan: needs the whole unit")
	}
	p := PlanItem{SpeakerID: 4, SpeakerName: "typed"}
	if err := p.SetSpeaker("", false); apperr.Message(err) != "主讲人：不是本单位人员" {
		t.Errorf("speaker elsewhere: %v", err)
	}
	if err := p.SetSpeaker("张专干", true); err != nil || p.SpeakerName != "张专干" {
		t.Errorf("speaker: %v %q", err, p.SpeakerName)
	}
	none := PlanItem{SpeakerName: "外请专家"}
	if err := none.SetSpeaker("", false); err != nil || none.SpeakerName != "外请专家" {
		t.Errorf("no speaker id: %v %q", err, none.SpeakerName)
	}
}
