package incident

import (
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
)

var found = time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone).Unix()

// TestDeadlinesAtTheEdges: each level's limits, met at the limit itself,
// late one second after, overdue only once the limit has passed, and
// reminded from a fifth of the window before it.
func TestDeadlinesAtTheEdges(t *testing.T) {
	h := int64(3600)
	for _, c := range []struct {
		level string
		keys  []string
		dues  []int64
		leads []int64
	}{
		{LevelEspecially, []string{"authority", "presser"}, []int64{5 * h, 24 * h}, []int64{h, 24 * h / 5}},
		{LevelMajor, []string{"authority", "presser"}, []int64{5 * h, 24 * h}, []int64{h, 24 * h / 5}},
		{LevelGeneral, []string{"response"}, []int64{48 * h}, []int64{48 * h / 5}},
	} {
		in := Incident{Level: c.level, FoundAt: found, Status: StatusOpen, Steps: NewSteps(1)}
		ds := in.Deadlines()
		if len(ds) != len(c.keys) {
			t.Fatalf("%s: %d limits, want %d", c.level, len(ds), len(c.keys))
		}
		for i, d := range ds {
			due := found + c.dues[i]
			if d.Key != c.keys[i] || d.Due != due || d.RemindAt != due-c.leads[i] || d.Basis == "" {
				t.Errorf("%s %d: %+v, want key %s due %d remind %d", c.level, i, d, c.keys[i], due, due-c.leads[i])
			}
			if d.Overdue(due) || !d.Overdue(due+1) {
				t.Errorf("%s %s: overdue at the limit or not one second after", c.level, d.Key)
			}
			if d.Remind(d.RemindAt-1) || !d.Remind(d.RemindAt) || !d.Remind(due) || d.Remind(due+1) {
				t.Errorf("%s %s: reminder window wrong", c.level, d.Key)
			}
			d.Done = due
			if !d.Met() || d.Late() || d.Overdue(due+3600) || d.State(due+3600) != "按时完成" {
				t.Errorf("%s %s: done at the limit is on time", c.level, d.Key)
			}
			d.Done = due + 1
			if d.Met() || !d.Late() || d.State(due+3600) != "超时完成" {
				t.Errorf("%s %s: done one second after the limit is late", c.level, d.Key)
			}
		}
		if in.Overdue(found+c.dues[0]) || !in.Overdue(found+c.dues[0]+1) {
			t.Errorf("%s: incident overdue edge", c.level)
		}
		in.Status = StatusClosed
		if in.Overdue(found + 100*h) {
			t.Errorf("%s: a closed incident is not overdue", c.level)
		}
	}
	// The 一般 limit is met by completing 回应.
	in := Incident{Level: LevelGeneral, FoundAt: found, Steps: NewSteps(1)}
	in.Steps[3].DoneAt = found + 48*3600
	if !in.OnTime() {
		t.Error("回应 at 48 h is on time")
	}
	in.Steps[3].DoneAt++
	if in.OnTime() {
		t.Error("回应 after 48 h is late")
	}
}

func TestStateText(t *testing.T) {
	d := Deadline{Due: found + 5*3600}
	if s := d.State(found); s != "剩余 5小时" {
		t.Errorf("state %q", s)
	}
	if s := d.State(found + 5*3600 + 90*60); s != "已逾期 1小时30分钟" {
		t.Errorf("state %q", s)
	}
}

// TestSaveStep: order, owners, screening, the 重大 authority time, and
// closing on 评估.
func TestSaveStep(t *testing.T) {
	clerk := access.Scope{UserID: 1, ReadUnits: []int64{7}, WriteUnits: []int64{7}}
	owner := access.Scope{UserID: 2}
	stranger := access.Scope{UserID: 3}
	now := found + 3600
	none := func(string) []string { return nil }
	in := Incident{UnitID: 7, Level: LevelMajor, FoundAt: found, Status: StatusOpen, Steps: NewSteps(1)}
	in.Steps[1].OwnerID = 2
	if err := SaveStep(stranger, &in, StepCollect, StepInput{Note: "x"}, now, none); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("stranger: %v", err)
	}
	if err := SaveStep(owner, &in, StepConsult, StepInput{Done: true}, now, none); err != ErrOrder {
		t.Errorf("out of order: %v", err)
	}
	if err := SaveStep(owner, &in, StepConsult, StepInput{OwnerID: 3}, now, none); err == nil || !strings.Contains(err.Error(), "责任人") {
		t.Errorf("owner reassigning: %v", err)
	}
	if err := SaveStep(clerk, &in, StepCollect, StepInput{Done: true, DoneAt: found - 1}, now, none); err == nil || !strings.Contains(err.Error(), "不能早于发现时间") {
		t.Errorf("done before found: %v", err)
	}
	if err := SaveStep(clerk, &in, StepCollect, StepInput{Done: true}, now, none); err != nil {
		t.Fatal(err)
	}
	if err := SaveStep(owner, &in, StepConsult, StepInput{Done: true}, now, none); err != nil {
		t.Fatalf("the step's owner completes it: %v", err)
	}
	if err := SaveStep(clerk, &in, StepJudge, StepInput{Done: true}, now, none); err != nil {
		t.Fatal(err)
	}
	block := func(s string) []string {
		if strings.Contains(s, "坏词") {
			return []string{"坏词"}
		}
		return nil
	}
	if err := SaveStep(clerk, &in, StepRespond, StepInput{Done: true, AuthorityAt: now}, now, block); err != ErrNoText {
		t.Errorf("no text: %v", err)
	}
	if err := SaveStep(clerk, &in, StepRespond, StepInput{Done: true, Text: "含坏词", AuthorityAt: now}, now, block); err == nil || !strings.Contains(err.Error(), "“坏词”") {
		t.Errorf("blocked text: %v", err)
	}
	if in.Step(StepRespond).Done() {
		t.Fatal("blocked response completed")
	}
	if err := SaveStep(clerk, &in, StepRespond, StepInput{Done: true, Text: "通报"}, now, block); err != ErrNoAuthority {
		t.Errorf("no authority time: %v", err)
	}
	if err := SaveStep(clerk, &in, StepRespond, StepInput{Done: true, Text: "通报", AuthorityAt: now + 7200}, now, block); err == nil || !strings.Contains(err.Error(), "权威信息发布时间") {
		t.Errorf("authority time in the future: %v", err)
	}
	if err := SaveStep(clerk, &in, StepRespond, StepInput{Done: true, Text: "通报", AuthorityAt: now}, now, block); err != nil {
		t.Fatal(err)
	}
	if err := SaveStep(clerk, &in, StepAssess, StepInput{Done: true}, now, none); err != nil || in.Status != StatusClosed || in.ClosedAt != now {
		t.Fatalf("assess closes: %v %+v", err, in)
	}
	if err := SaveStep(clerk, &in, StepAssess, StepInput{Note: "x"}, now, none); err != ErrClosed {
		t.Errorf("closed: %v", err)
	}
}
