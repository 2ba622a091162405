package supervise

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/docx"
	"zhendi/internal/ledger"
)

// TestCircularAggregates: a circular sums each party's obligation over the
// year ("机关第一党支部2023年应开党小组会12次，实开7次"), names the periods not
// done in its annex, counts only the parties of its level and drops columns
// that would be all zero.
func TestCircularAggregates(t *testing.T) {
	group := presetByKey("party_group")
	topic := presetByKey("topic_study")
	lecture := presetByKey("leader_lecture")
	branch := Subject{Kind: SubjectBranch, ID: 10, Name: "机关第一党支部"}
	other := Subject{Kind: SubjectBranch, ID: 11, Name: "机关第二党支部"}
	dept := Subject{Kind: SubjectDepartment, ID: 3, Name: "办公室"}
	leader := Subject{Kind: SubjectLeader, ID: 1, Name: "王建国"}
	var results []Result
	for m := 1; m <= 12; m++ {
		p := ledger.Period{Key: fmt.Sprintf("2023-%02d", m), Label: fmt.Sprintf("2023年%d月", m)}
		dl := fmt.Sprintf("2023-%02d-28", m)
		n := 1
		if m == 1 || m == 3 || m == 5 || m >= 9 { // not done in 1, 3, 5, 9 and 12
			n = 0
		}
		if m == 10 || m == 11 {
			n = 1
		}
		st := Done
		if n == 0 {
			st = Missed
		}
		results = append(results, Result{Rule: &group, Subject: branch, Period: p, Deadline: dl, Required: 1, Count: n, Status: st},
			Result{Rule: &group, Subject: other, Period: p, Deadline: dl, Required: 1, Count: 2, Status: Done})
	}
	year := ledger.Period{Key: "2023", Label: "2023年"}
	results = append(results,
		Result{Rule: &topic, Subject: Subject{Kind: SubjectUnit, ID: unitID, Name: "甲局"}, Period: year, Deadline: "2023-12-31", Required: 2, Count: 1, Status: Missed},
		Result{Rule: &lecture, Subject: leader, Period: year, Deadline: "2023-12-31", Required: 1, Count: 0, Status: Missed})
	uc := &UnitCompliance{Unit: Unit{ID: unitID, Name: "甲局", Departments: []Subject{dept}, Branches: []Subject{branch, other}, Leaders: []Subject{leader}},
		Results: results}
	ci := UnitCircular(uc, 2023, "2024-01-10")
	if ci.Units != 3 || len(ci.Behind) != 1 || strings.Join(ci.Good, "、") != "办公室、机关第二党支部" {
		t.Fatalf("unit circular parties: %d judged, behind %+v, good %v", ci.Units, ci.Behind, ci.Good)
	}
	if want := "机关第一党支部2023年应开党小组会12次，实开7次。"; ci.Behind[0].Text != want {
		t.Errorf("party text %q, want %q", ci.Behind[0].Text, want)
	}
	if !strings.Contains(ci.Intro, "对3个科室（支部）2023年度") || strings.Contains(ci.Intro, "阵地") {
		t.Errorf("intro %s", ci.Intro)
	}
	if want := "截至2023年12月31日，办公室、机关第二党支部2个科室（支部）各项任务均已按要求完成；其余1个科室（支部）有未按要求完成的任务，具体见下表。"; ci.Overview != want {
		t.Errorf("overview %q, want %q", ci.Overview, want)
	}
	if strings.Join(ci.Header, "|") != "序号|科室（支部）|未完成任务（项）|欠缺（次、条）" || strings.Join(ci.Table[0], "|") != "1|机关第一党支部|1|5" {
		t.Errorf("table %v %v", ci.Header, ci.Table)
	}
	if strings.Join(ci.Annex[0], "|") != "1|机关第一党支部|党小组会|12次|7次|1、3、5、9、12月" {
		t.Errorf("annex %v", ci.Annex)
	}
	body := fmt.Sprint(ci)
	for _, leak := range []string{"王建国", "甲局2023年应开"} {
		if strings.Contains(body, leak) {
			t.Errorf("a unit's circular names %s", leak)
		}
	}
	// The district's circular speaks of the unit and its leaders, not of
	// its branches.
	// A past year is spoken of as at its end; two leaders behind alike are
	// named together.
	other2 := Result{Rule: &lecture, Subject: Subject{Kind: SubjectLeader, ID: 2, Name: "刘志强"}, Period: year, Deadline: "2023-12-31", Required: 1, Count: 0, Status: Missed}
	uc.Results = append(uc.Results, other2)
	dc := DistrictCircular([]*UnitCompliance{uc}, 2023, "2024-01-10")
	if dc.Date != "2023年12月31日" || !strings.Contains(dc.Overview, "甲局有未按要求完成的任务") {
		t.Errorf("district circular date %s, overview %s", dc.Date, dc.Overview)
	}
	if len(dc.Behind) != 1 || dc.Behind[0].Text != "甲局2023年应开专题研究意识形态工作2次，实开1次；王建国、刘志强应讲党课1次，实际未讲。" {
		t.Errorf("district circular %+v", dc.Behind)
	}
	if strings.Contains(fmt.Sprint(dc), "党支部") {
		t.Error("the district circular lists a bureau's branches")
	}
	d := dc.Doc()
	var headings []string
	for _, b := range d.Blocks {
		if h, ok := b.(docx.Heading); ok {
			headings = append(headings, h.Text)
		}
	}
	if strings.Join(headings, "/") != "一、总体情况/二、存在的问题/三、有关要求" {
		t.Errorf("document headings %v", headings)
	}
	// The table of what was not done is the annex, after the 落款
	// (GB/T 9704-2012 8), named by the 附件说明 the writer adds.
	if len(d.Annexes) != 1 || d.Annexes[0].Title != "未完成任务明细表" || len(d.Annexes[0].Blocks) != 1 {
		t.Errorf("annexes %+v", d.Annexes)
	}
}

func TestMonthRanges(t *testing.T) {
	for in, want := range map[string]string{"1 3 5 7 8 9 10 11 12": "1、3、5月和7至12月", "7 8": "7、8月", "2 3 4": "2至4月", "12": "12月"} {
		var ms []int
		for _, f := range strings.Fields(in) {
			n, _ := strconv.Atoi(f)
			ms = append(ms, n)
		}
		if got := monthRanges(ms); got != want {
			t.Errorf("monthRanges(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestChineseNum(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 12: "十二", 20: "二十", 35: "三十五", 100: "100"} {
		if got := chineseNum(n); got != want {
			t.Errorf("chineseNum(%d) = %s, want %s", n, got, want)
		}
	}
}
