package supervise

import (
	"slices"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

func TestReminderKind(t *testing.T) {
	rule := &Rule{RemindDays: 7}
	cases := []struct {
		status   Status
		daysLeft int
		want     string
	}{
		{AtRisk, 7, RemindDue},
		{AtRisk, 0, RemindDue},
		{AtRisk, 8, ""}, // behind pace, but not yet within the window
		{OnTrack, 3, ""},
		{Done, 3, ""},
		{Overdue, -2, RemindOverdue},
		{Missed, -20, ""},
		{Upcoming, 40, ""},
	}
	for _, c := range cases {
		if got := (Result{Rule: rule, Status: c.status, DaysLeft: c.daysLeft}).ReminderKind(); got != c.want {
			t.Errorf("%s with %d days left: %q, want %q", c.status.Label(), c.daysLeft, got, c.want)
		}
	}
}

func TestResponsible(t *testing.T) {
	unitSubject := Subject{Kind: SubjectUnit, ID: unitID, Resp: []int64{99}}
	if got := (Result{Rule: &Rule{RespUserID: 7}, Subject: unitSubject}).Responsible(); !slices.Equal(got, []int64{7}) {
		t.Errorf("unit rule naming a person: %v", got)
	}
	if got := (Result{Rule: &Rule{}, Subject: unitSubject}).Responsible(); !slices.Equal(got, []int64{99}) {
		t.Errorf("unit rule naming nobody: %v", got)
	}
	dept := Subject{Kind: SubjectDepartment, ID: deptA, Resp: []int64{5}}
	if got := (Result{Rule: &Rule{RespUserID: 7}, Subject: dept}).Responsible(); !slices.Equal(got, []int64{5}) {
		t.Errorf("department rule: %v, want the head", got)
	}
}

func TestAutoRect(t *testing.T) {
	u := demoUnit()
	rule := presetByKey("central_group") // grace 5 days
	res := Result{Rule: &rule, Subject: Subject{Kind: SubjectUnit, ID: u.ID, Name: u.Name, Resp: u.Resp},
		Period:   ledger.Period{Key: "2023-11", Label: "2023年11月", From: "2023-11-01", To: "2023-11-30"},
		Deadline: "2023-11-30", Required: 1, Count: 0, Status: Missed}
	// Grace ends 5 December; the window 30 days later, on 4 January.
	r, ok := AutoRect(u, res, "2024-01-04")
	if !ok {
		t.Fatal("no item on the window's last day")
	}
	want := "测试局 2023年11月未完成“党组（理论学习中心组）集中学习”：应1次，实际0次（截止2023年11月30日）"
	if r.Title != want || r.OwnerID != 99 || r.Source != "compliance" || r.SourceRef != res.IdemKey() || r.Deadline != "2024-02-03" || r.OrgID != 0 {
		t.Errorf("item: %+v\nwant title %s", r, want)
	}
	if _, ok := AutoRect(u, res, "2024-01-05"); ok {
		t.Error("item opened after the window")
	}
	res.Status = Overdue
	if _, ok := AutoRect(u, res, "2023-12-02"); ok {
		t.Error("item opened while records can still be entered")
	}
	// A branch without a head: the rule's person, else the unit's 专干.
	res.Status = Missed
	res.Subject = Subject{Kind: SubjectBranch, ID: branch1, Name: "第一支部"}
	if r, ok := AutoRect(u, res, "2023-12-20"); !ok || r.OwnerID != 99 || r.OrgID != branch1 || !strings.HasPrefix(r.Title, "第一支部 ") {
		t.Errorf("branch item: %+v", r)
	}
	u.Resp = nil
	if _, ok := AutoRect(u, res, "2023-12-20"); ok {
		t.Error("item opened with nobody to own it")
	}
}

func TestRemindYears(t *testing.T) {
	cases := []struct {
		at   time.Time
		want []int
	}{
		{time.Date(2024, 3, 31, 23, 0, 0, 0, cntime.Zone), []int{2024, 2023}},
		{time.Date(2024, 3, 31, 16, 30, 0, 0, time.UTC), []int{2024}}, // 1 April in China
		{time.Date(2023, 12, 31, 17, 0, 0, 0, time.UTC), []int{2024, 2023}},
		{time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone), []int{2023}},
	}
	for _, c := range cases {
		if got := RemindYears(c.at); !slices.Equal(got, c.want) {
			t.Errorf("RemindYears(%s) = %v, want %v", c.at, got, c.want)
		}
	}
}
