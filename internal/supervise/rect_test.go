package supervise

import (
	"errors"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

// The people of the rectification tests: a writer of unit 1, the item's
// owner (a member), another member, a district supervisor reading unit 1
// from outside, and a writer of unit 2.
var (
	rectWriter     = access.Scope{UserID: 10, HomeUnit: 1, ReadUnits: []int64{1}, WriteUnits: []int64{1}}
	rectOwner      = access.Scope{UserID: 11, HomeUnit: 1, OwnRecords: true}
	rectMember     = access.Scope{UserID: 12, HomeUnit: 1, OwnRecords: true}
	rectSupervisor = access.Scope{UserID: 13, HomeUnit: 9, ReadUnits: []int64{1, 2}}
	rectOther      = access.Scope{UserID: 14, HomeUnit: 2, ReadUnits: []int64{2}, WriteUnits: []int64{2}}
	rectLeader     = access.Scope{UserID: 15, HomeUnit: 1, ReadUnits: []int64{1}}
)

func rectItem(status string) Rect {
	return Rect{ID: 5, UnitID: 1, OrgID: 3, Title: "栏目未更新", Source: "inspection", OwnerID: 11, Measures: "每周更新",
		Deadline: "2023-07-31", Status: status}
}

func TestRectPermissions(t *testing.T) {
	cases := []struct {
		name                 string
		sc                   access.Scope
		create, edit, verify bool
		createSupervision    bool
	}{
		{"unit writer", rectWriter, true, true, true, true},
		{"owner", rectOwner, false, true, false, false},
		{"other member", rectMember, false, false, false, false},
		{"district supervisor", rectSupervisor, false, false, true, true},
		{"other unit's writer", rectOther, false, false, false, false},
		{"unit's read-only leader", rectLeader, false, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := rectItem(RectOpen)
			if got := CanCreateRect(c.sc, it); got != c.create {
				t.Errorf("CanCreateRect(inspection) = %v", got)
			}
			it.Source = "supervision"
			if got := CanCreateRect(c.sc, it); got != c.createSupervision {
				t.Errorf("CanCreateRect(supervision) = %v", got)
			}
			if got := CanEditRect(c.sc, it); got != c.edit {
				t.Errorf("CanEditRect = %v", got)
			}
			if got := CanVerifyRect(c.sc, it); got != c.verify {
				t.Errorf("CanVerifyRect = %v", got)
			}
		})
	}
}

func TestEditRect(t *testing.T) {
	in := Rect{Title: "新描述", Source: "other", OrgID: 4, OwnerID: 12, Measures: "新措施", Deadline: "2023-08-31", Progress: "已完成一半",
		UnitID: 2, Status: RectClosed}
	// A writer changes the assignment; unit and status never come from the form.
	cur := rectItem(RectDoing)
	if err := Edit(rectWriter, &cur, in); err != nil {
		t.Fatal(err)
	}
	if cur.Title != "新描述" || cur.Source != "other" || cur.OrgID != 4 || cur.OwnerID != 12 || cur.Deadline != "2023-08-31" ||
		cur.Measures != "新措施" || cur.Progress != "已完成一半" || cur.UnitID != 1 || cur.Status != RectDoing {
		t.Errorf("writer's edit: %+v", cur)
	}
	// The owner reports measures and progress; the assignment stays.
	cur = rectItem(RectDoing)
	if err := Edit(rectOwner, &cur, in); err != nil {
		t.Fatal(err)
	}
	if cur.Title != "栏目未更新" || cur.OwnerID != 11 || cur.OrgID != 3 || cur.Deadline != "2023-07-31" || cur.Progress != "已完成一半" {
		t.Errorf("owner's edit: %+v", cur)
	}
	cur = rectItem(RectDoing)
	if err := Edit(rectMember, &cur, in); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("someone else's edit: %v", err)
	}
	cur = rectItem(RectClosed)
	if err := Edit(rectWriter, &cur, in); err != ErrRectClosed || err.Error() != "已销号的整改事项不能再修改" {
		t.Errorf("edit of a closed item: %v", err)
	}
}

func TestTakeStep(t *testing.T) {
	cases := []struct {
		name   string
		sc     access.Scope
		status string
		step   Step
		note   string
		files  int
		want   string // new status
		err    error
	}{
		{"owner starts", rectOwner, RectOpen, StepStart, "", 0, RectDoing, nil},
		{"member cannot start", rectMember, RectOpen, StepStart, "", 0, "", apperr.ErrNotFound},
		{"submit without evidence", rectOwner, RectDoing, StepSubmit, "", 0, "", ErrNoEvidenceFile},
		{"submit with a file", rectOwner, RectDoing, StepSubmit, "", 1, RectReview, nil},
		{"owner cannot verify", rectOwner, RectReview, StepVerify, "", 1, "", ErrOwnVerify},
		{"writer verifies", rectWriter, RectReview, StepVerify, " 已核实 ", 1, RectClosed, nil},
		{"supervisor verifies", rectSupervisor, RectReview, StepVerify, "", 1, RectClosed, nil},
		{"other unit cannot verify", rectOther, RectReview, StepVerify, "", 1, "", apperr.ErrNotFound},
		{"reject needs a reason", rectWriter, RectReview, StepReject, " ", 1, "", ErrNeedReason},
		{"reject", rectWriter, RectReview, StepReject, "佐证不足", 1, RectDoing, nil},
		{"verify before review", rectWriter, RectDoing, StepVerify, "", 1, "", ErrBadStep},
		{"unknown step", rectWriter, RectOpen, Step("close"), "", 1, "", ErrBadStep},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rectItem(c.status)
			if c.step == StepSubmit && c.files == 0 {
				r.Progress = " "
			}
			err := TakeStep(c.sc, RectConfig{}, &r, c.step, c.note, c.files, 1700000000)
			if !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if err != nil {
				if r.Status != c.status {
					t.Errorf("refused step changed the status to %s", r.Status)
				}
				return
			}
			if r.Status != c.want {
				t.Errorf("status %s, want %s", r.Status, c.want)
			}
		})
	}
	r := rectItem(RectReview)
	if err := TakeStep(rectWriter, RectConfig{}, &r, StepVerify, " 已核实 ", 0, 1700000000); err != nil {
		t.Fatal(err)
	}
	if r.VerifiedBy != rectWriter.UserID || r.VerifiedAt != 1700000000 || r.VerifyNote != "已核实" {
		t.Errorf("verification not recorded: %+v", r)
	}
	// Progress without a file is enough only where the unit relaxed the rule.
	r = rectItem(RectDoing)
	r.Progress = "栏目已更新"
	if err := TakeStep(rectOwner, RectConfig{}, &r, StepSubmit, "", 0, 0); err != ErrNoEvidenceFile {
		t.Errorf("submit with progress only, evidence required: %v", err)
	}
	if err := TakeStep(rectOwner, RectConfig{EvidenceOptional: true}, &r, StepSubmit, "", 0, 0); err != nil {
		t.Errorf("submit with progress written, unit relaxed: %v", err)
	}
	r = rectItem(RectDoing)
	r.Progress = " "
	if err := TakeStep(rectOwner, RectConfig{EvidenceOptional: true}, &r, StepSubmit, "", 0, 0); err != ErrNoEvidence {
		t.Errorf("nothing at all, unit relaxed: %v", err)
	}
	// Whoever worked on the item (here a clerk who reported progress and
	// submitted it) cannot verify it, nor send it back.
	r = rectItem(RectReview)
	r.Workers = []int64{rectWriter.UserID}
	for _, step := range []Step{StepVerify, StepReject} {
		if err := TakeStep(rectWriter, RectConfig{}, &r, step, "理由", 1, 0); err != ErrOwnVerify {
			t.Errorf("%s by a worker: %v", step, err)
		}
	}
	if r.Status != RectReview {
		t.Errorf("refused verification changed the status to %s", r.Status)
	}
}

func TestOwnerFrozenInReview(t *testing.T) {
	in := rectItem(RectReview)
	in.OwnerID = rectWriter.UserID
	cur := rectItem(RectReview)
	if err := Edit(rectWriter, &cur, in); err != ErrOwnerFrozen {
		t.Fatalf("new owner while 待验收: %v", err)
	}
	if cur.OwnerID != 11 {
		t.Errorf("owner changed to %d", cur.OwnerID)
	}
	doing := rectItem(RectDoing)
	if err := Edit(rectWriter, &doing, in); err != nil || doing.OwnerID != rectWriter.UserID {
		t.Errorf("new owner while 整改中: %v %d", err, doing.OwnerID)
	}
}

func TestCheckEvidence(t *testing.T) {
	if err := CheckEvidence(rectOwner, rectItem(RectReview)); err != nil {
		t.Errorf("owner adding evidence: %v", err)
	}
	if err := CheckEvidence(rectMember, rectItem(RectDoing)); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("member adding evidence: %v", err)
	}
	if err := CheckEvidence(rectWriter, rectItem(RectClosed)); err != ErrRectClosedFiles {
		t.Errorf("evidence on a closed item: %v", err)
	}
}
