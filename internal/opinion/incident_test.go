package opinion

import (
	"strings"
	"testing"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

func TestDueTimesAtTheEdges(t *testing.T) {
	start := time.Date(2026, 7, 30, 22, 15, 0, 0, cntime.Zone)
	for _, l := range []Level{LevelEspeciallyMajor, LevelMajor} {
		d := DueTimes(l, start)
		if len(d) != 2 || d[0].What != "发布权威信息" || d[1].What != "举行新闻发布会" {
			t.Fatalf("%s: %+v", l, d)
		}
		if !d[0].At.Equal(start.Add(5*time.Hour)) || !d[1].At.Equal(start.Add(24*time.Hour)) {
			t.Errorf("%s: due %v and %v", l, d[0].At, d[1].At)
		}
		if !strings.Contains(d[0].Basis, "国办发〔2016〕80号") || !strings.Contains(d[1].Basis, "国办发〔2016〕61号") {
			t.Errorf("%s: bases %q, %q", l, d[0].Basis, d[1].Basis)
		}
		// Done exactly at the limit is on time; a second later is late.
		if d[0].Overdue(time.Time{}, d[0].At) || !d[0].Overdue(time.Time{}, d[0].At.Add(time.Second)) {
			t.Errorf("%s: 5-hour edge wrong", l)
		}
		if d[1].Overdue(d[1].At, time.Time{}) || !d[1].Overdue(d[1].At.Add(time.Nanosecond), time.Time{}) {
			t.Errorf("%s: 24-hour edge wrong while not done", l)
		}
	}
	d := DueTimes(LevelGeneral, start)
	if len(d) != 1 || d[0].What != "予以回应" || !d[0].At.Equal(start.Add(48*time.Hour)) || !strings.Contains(d[0].Basis, "国办发〔2016〕61号") {
		t.Fatalf("一般: %+v", d)
	}
	// Across a month end: 2026-07-30 22:15 + 48 h = 2026-08-01 22:15.
	if got := cntime.DateTime(d[0].At); got != "2026-08-01 22:15:00" {
		t.Errorf("48 h after %v is %s", start, got)
	}
	if d[0].Overdue(d[0].At.Add(-time.Minute), time.Time{}) {
		t.Error("overdue before the limit")
	}
	// Done late but asked before the limit: still late.
	if !d[0].Overdue(start, d[0].At.Add(time.Minute)) {
		t.Error("a late response is not overdue")
	}
	if DueTimes(Level(0), start) != nil {
		t.Error("unknown level has due times")
	}
	// Reminders come a fifth of the limit early.
	m := DueTimes(LevelMajor, start)
	if got := m[0].RemindAt(start); !got.Equal(start.Add(4 * time.Hour)) {
		t.Errorf("5-hour reminder at %v", got)
	}
	if got := d[0].RemindAt(start); !got.Equal(start.Add(48*time.Hour - 48*time.Hour/5)) {
		t.Errorf("48-hour reminder at %v", got)
	}
}

func TestLevels(t *testing.T) {
	for _, l := range Levels {
		got, err := ParseLevel(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l.String(), got, err)
		}
	}
	if _, err := ParseLevel("较大"); apperr.Message(err) != "级别：应为特别重大、重大或一般" {
		t.Errorf("ParseLevel(较大) error %v", err)
	}
}

func TestStepTransitions(t *testing.T) {
	for _, c := range []struct {
		from, to Step
		want     string // "" allowed
	}{
		{StepCollect, StepConsult, ""},
		{StepConsult, StepAnalyse, ""},
		{StepAnalyse, StepRespond, ""},
		{StepRespond, StepEvaluate, ""},
		{StepAnalyse, StepConsult, ""}, // back one step to redo it
		{StepCollect, StepAnalyse, "请先完成“会商”，不能跳到“研判”"},
		{StepCollect, StepRespond, "请先完成“会商”，不能跳到“回应”"},
		{StepRespond, StepCollect, "只能退回上一步“研判”"},
		{StepCollect, StepCollect, "已处于“收集”步骤"},
		{StepEvaluate, StepRespond, "评估已完成，处置已结束"},
		{StepCollect, Step(9), "步骤：应为收集、会商、研判、回应或评估"},
	} {
		err := CanAdvance(c.from, c.to)
		if got := apperr.Message(err); got != c.want || (c.want == "" && err != nil) {
			t.Errorf("CanAdvance(%s, %s) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
	var names []string
	s := StepCollect
	for {
		names = append(names, s.String())
		next, ok := s.Next()
		if !ok {
			break
		}
		s = next
	}
	if strings.Join(names, "→") != "收集→会商→研判→回应→评估" {
		t.Errorf("steps %v", names)
	}
}

func TestStepRecordValidate(t *testing.T) {
	ok := StepRecord{Step: StepAnalyse, Responsible: "张科长", Note: "研判为一般舆情", At: time.Now()}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	err := StepRecord{Step: 0, Responsible: " "}.Validate()
	want := "步骤：应为收集、会商、研判、回应或评估；责任人：不能为空；时间：不能为空"
	if got := apperr.Message(err); got != want {
		t.Errorf("Validate = %q, want %q", got, want)
	}
}
