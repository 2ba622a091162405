package supervise

import (
	"fmt"
	"testing"

	"zhendi/internal/ledger"
)

func TestJudgeEdges(t *testing.T) {
	cases := []struct {
		name          string
		req, n        int
		from, dl      string
		grace, remind int
		today         string
		want          Status
	}{
		{"before period", 1, 0, "2023-02-01", "2023-02-28", 5, 7, "2023-01-31", Upcoming},
		{"first day, nothing yet", 1, 0, "2023-02-01", "2023-02-28", 5, 7, "2023-02-01", OnTrack},
		{"first day done", 1, 1, "2023-02-01", "2023-02-28", 5, 7, "2023-02-01", Done},
		{"last day of Feb, nothing", 1, 0, "2023-02-01", "2023-02-28", 5, 7, "2023-02-28", AtRisk},
		{"day after deadline", 1, 0, "2023-02-01", "2023-02-28", 5, 7, "2023-03-01", Overdue},
		{"last grace day", 1, 0, "2023-02-01", "2023-02-28", 5, 7, "2023-03-05", Overdue},
		{"grace over", 1, 0, "2023-02-01", "2023-02-28", 5, 7, "2023-03-06", Missed},
		{"leap Feb 29 is still in the period", 1, 0, "2024-02-01", "2024-02-29", 0, 0, "2024-02-29", AtRisk},
		{"leap Feb 29 done that day", 1, 1, "2024-02-01", "2024-02-29", 0, 0, "2024-02-29", Done},
		{"leap Mar 1 missed without grace", 1, 0, "2024-02-01", "2024-02-29", 0, 0, "2024-03-01", Missed},
		{"year: 1 of 2 in September", 2, 1, "2023-01-01", "2023-12-31", 15, 30, "2023-09-15", AtRisk},
		{"year: 0 of 1 in February", 1, 0, "2023-01-01", "2023-12-31", 15, 30, "2023-02-10", OnTrack},
		{"year: 1 of 2 in May", 2, 1, "2023-01-01", "2023-12-31", 15, 30, "2023-05-10", OnTrack},
		{"year: reminder window", 1, 0, "2023-01-01", "2023-12-31", 15, 30, "2023-12-02", AtRisk},
		{"year: grace into next year", 2, 1, "2023-01-01", "2023-12-31", 15, 30, "2024-01-15", Overdue},
		{"year: missed after grace", 2, 1, "2023-01-01", "2023-12-31", 15, 30, "2024-01-16", Missed},
		{"done late still done", 2, 2, "2023-01-01", "2023-12-31", 15, 30, "2024-03-01", Done},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Judge(c.req, c.n, c.from, c.dl, c.grace, c.remind, c.today); got != c.want {
				t.Errorf("Judge = %s, want %s", got.Label(), c.want.Label())
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	cases := []struct {
		period string
		due    int
		key    string
		want   string
	}{
		{Monthly, 0, "2024-02", "2024-02-29"},
		{Monthly, 0, "2023-02", "2023-02-28"},
		{Quarterly, 0, "2024Q1", "2024-03-31"},
		{Quarterly, 2, "2024Q1", "2024-02-29"},
		{Yearly, 6, "2023", "2023-06-30"},
		{Yearly, 0, "2023", "2023-12-31"},
		{HalfYear, 0, "2023H2", "2023-12-31"},
	}
	for _, c := range cases {
		p, _ := ledger.ParsePeriod(c.key)
		if got := Deadline(Rule{Period: c.period, DueMonth: c.due}, p); got != c.want {
			t.Errorf("Deadline(%s, due %d, %s) = %s, want %s", c.period, c.due, c.key, got, c.want)
		}
	}
}

const (
	unitID  = 10
	branch1 = 21
	branch2 = 22
	leaderA = 31
	leaderB = 32
	deptA   = 41
)

func demoUnit() Unit {
	return Unit{ID: unitID, Name: "测试局", Resp: []int64{99},
		Departments: []Subject{{Kind: SubjectDepartment, ID: deptA, Name: "办公室"}},
		Branches:    []Subject{{Kind: SubjectBranch, ID: branch1, Name: "第一支部"}, {Kind: SubjectBranch, ID: branch2, Name: "第二支部"}},
		Leaders:     []Subject{{Kind: SubjectLeader, ID: leaderA, Name: "甲", Resp: []int64{leaderA}}, {Kind: SubjectLeader, ID: leaderB, Name: "乙", Resp: []int64{leaderB}}},
	}
}

// entry is one hand-built ledger entry.
type entry struct {
	org, lead int64
	typ       string
	date      string
	topics    []string
}

func tallyOf(year int, entries []entry, plan map[int]int) *Tally {
	t := NewTally(year)
	for _, e := range entries {
		d := parseDay(e.date)
		if d.Year() != year {
			continue
		}
		t.Add(e.org, 0, e.typ, int(d.Month()), e.topics, 1)
		if e.lead != 0 {
			t.Add(0, e.lead, e.typ, int(d.Month()), e.topics, 1)
		}
	}
	for m, n := range plan {
		t.Plan[Key{Type: ledger.CentralGroup, Month: m}] = n
	}
	return t
}

func presetByKey(key string) Rule {
	for _, r := range Presets(unitID, PresetValidFrom) {
		if r.Key == key {
			return r
		}
	}
	panic(key)
}

// find returns the result of a rule key, subject id and period key.
func find(t *testing.T, res []Result, key string, subject int64, period string) Result {
	t.Helper()
	for _, r := range res {
		if r.Rule.Key == key && r.Subject.ID == subject && r.Period.Key == period {
			return r
		}
	}
	t.Fatalf("no result for %s/%d/%s", key, subject, period)
	return Result{}
}

// TestPresetsAtPeriodEdges judges every preset on hand-built ledgers with
// entries on the first and last day of periods, in a leap year.
func TestPresetsAtPeriodEdges(t *testing.T) {
	type check struct {
		key     string
		subject int64
		period  string
		count   int
		want    Status
	}
	cases := []struct {
		name    string
		year    int
		today   string
		entries []entry
		plan    map[int]int
		checks  []check
	}{
		{
			name: "专题研究 and 研判报告 on 1 January and 31 December", year: 2023, today: "2024-01-20",
			entries: []entry{
				{org: deptA, typ: ledger.TopicStudy, date: "2023-01-01"},
				{org: deptA, typ: ledger.TopicStudy, date: "2023-12-31"},
				{org: deptA, typ: ledger.AnalysisReport, date: "2022-12-31"}, // previous year: does not count
				{org: deptA, typ: ledger.AnalysisReport, date: "2024-01-01"}, // next year: does not count
			},
			checks: []check{
				{"topic_study", unitID, "2023", 2, Done},
				{"analysis_report", unitID, "2023", 0, Missed},
			},
		},
		{
			name: "研判报告 within the grace period", year: 2023, today: "2024-01-15",
			checks: []check{{"analysis_report", unitID, "2023", 0, Overdue}},
		},
		{
			name: "支委会 and 党小组会 monthly in a leap February", year: 2024, today: "2024-03-10",
			entries: []entry{
				{org: branch1, typ: ledger.BranchCommittee, date: "2024-02-29"},
				{org: branch1, typ: ledger.PartyGroup, date: "2024-02-01"},
				{org: branch2, typ: ledger.BranchCommittee, date: "2024-03-01"}, // March, not February
			},
			checks: []check{
				{"branch_committee", branch1, "2024-02", 1, Done},
				{"party_group", branch1, "2024-02", 1, Done},
				{"branch_committee", branch2, "2024-02", 0, Missed},
				{"branch_committee", branch2, "2024-03", 1, Done},
				{"party_group", branch2, "2024-03", 0, OnTrack},
			},
		},
		{
			name: "支部党员大会 and 党课 quarterly at quarter edges", year: 2024, today: "2024-04-05",
			entries: []entry{
				{org: branch1, typ: ledger.BranchCongress, date: "2024-03-31"},
				{org: branch1, typ: ledger.PartyLecture, date: "2024-01-01"},
				{org: branch2, typ: ledger.BranchCongress, date: "2024-04-01"},
			},
			checks: []check{
				{"branch_congress", branch1, "2024Q1", 1, Done},
				{"branch_lecture", branch1, "2024Q1", 1, Done},
				{"branch_congress", branch2, "2024Q1", 0, Overdue},
				{"branch_congress", branch2, "2024Q2", 1, Done},
			},
		},
		{
			name: "中心组学习 per plan: 2 planned in March, 1 done", year: 2023, today: "2023-04-20",
			plan: map[int]int{1: 1, 3: 2},
			entries: []entry{
				{org: deptA, typ: ledger.CentralGroup, date: "2023-01-31"},
				{org: deptA, typ: ledger.CentralGroup, date: "2023-03-01"},
			},
			checks: []check{
				{"central_group", unitID, "2023-01", 1, Done},
				{"central_group", unitID, "2023-03", 1, Missed},
			},
		},
		{
			name: "中心组学习 without a plan: once a month", year: 2023, today: "2023-02-28",
			entries: []entry{{org: deptA, typ: ledger.CentralGroup, date: "2023-01-15"}},
			checks: []check{
				{"central_group", unitID, "2023-01", 1, Done},
				{"central_group", unitID, "2023-02", 0, AtRisk},
			},
		},
		{
			name: "班子成员讲党课 per person", year: 2023, today: "2023-09-01",
			entries: []entry{{org: branch1, lead: leaderA, typ: ledger.PartyLecture, date: "2023-06-30"}},
			checks: []check{
				{"leader_lecture", leaderA, "2023", 1, Done},
				{"leader_lecture", leaderB, "2023", 0, AtRisk},
			},
		},
		{
			name: "述职 per leader, on the last day of a leap year and in the grace month", year: 2024, today: "2025-01-20",
			entries: []entry{{org: deptA, lead: leaderA, typ: ledger.Debrief, date: "2024-12-31"}},
			checks: []check{
				{"debrief", leaderA, "2024", 1, Done},
				{"debrief", leaderB, "2024", 0, Overdue},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Evaluate(demoUnit(), Presets(unitID, PresetValidFrom), tallyOf(c.year, c.entries, c.plan), c.today)
			for _, ch := range c.checks {
				r := find(t, res, ch.key, ch.subject, ch.period)
				if r.Count != ch.count || r.Status != ch.want {
					t.Errorf("%s/%d/%s: %d %s, want %d %s", ch.key, ch.subject, ch.period, r.Count, r.Status.Label(), ch.count, ch.want.Label())
				}
			}
		})
	}
	_ = presetByKey
}

// TestRuleChangedMidYear: the 支委会 requirement rises from 1 to 2 a month on
// 1 July; the first half-year keeps being judged by the old rule.
func TestRuleChangedMidYear(t *testing.T) {
	old := presetByKey("branch_committee")
	old.ValidTo = "2023-06-30"
	nw := old
	nw.Count, nw.ValidFrom, nw.ValidTo = 2, "2023-07-01", ""
	var entries []entry
	for m := 1; m <= 8; m++ {
		entries = append(entries, entry{org: branch1, typ: ledger.BranchCommittee, date: "2023-0" + string(rune('0'+m)) + "-10"})
	}
	res := Evaluate(demoUnit(), []Rule{old, nw}, tallyOf(2023, entries, nil), "2023-09-20")
	june := find(t, res, "branch_committee", branch1, "2023-06")
	if june.Required != 1 || june.Status != Done {
		t.Errorf("June judged by %d required (%s), want old rule 1 and done", june.Required, june.Status.Label())
	}
	july := find(t, res, "branch_committee", branch1, "2023-07")
	if july.Required != 2 || july.Status != Missed {
		t.Errorf("July: %d required, %s; want new rule 2 and missed", july.Required, july.Status.Label())
	}
	n := 0
	for _, r := range res {
		if r.Subject.ID == branch1 && r.Period.Key == "2023-03" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("March judged %d times, want exactly once", n)
	}
	// A change retroactive to a past period would have to be stored with a
	// ValidFrom in that period; the rule editor never does that.
	lines := Lines([]Rule{old, nw}, res, "2023-09-20")
	if len(lines) != 1 || lines[0].Rule.Count != 2 {
		t.Fatalf("line shows %+v, want the rule in force today (2)", lines)
	}
}

func TestLinesSummary(t *testing.T) {
	rules := []Rule{presetByKey("central_group")}
	var entries []entry
	for _, d := range []string{"2023-01-05", "2023-02-05", "2023-03-05", "2023-04-05", "2023-05-05", "2023-06-05", "2023-08-05"} {
		entries = append(entries, entry{org: deptA, typ: ledger.CentralGroup, date: d})
	}
	res := Evaluate(demoUnit(), rules, tallyOf(2023, entries, nil), "2023-10-20")
	l := Lines(rules, res, "2023-10-20")[0]
	if l.Summary() != "7/9" || l.Worst != Missed {
		t.Errorf("central group line %s worst %s, want 7/9 missed", l.Summary(), l.Worst.Label())
	}
}

// TestInfoQuota: 信息报送 is judged per department and month against the
// department's own quota, else the unit default, else the rule's count; an
// explicit quota of 0 exempts the department.
func TestInfoQuota(t *testing.T) {
	const deptB, deptC = 42, 43
	u := demoUnit()
	u.Departments = append(u.Departments, Subject{Kind: SubjectDepartment, ID: deptB, Name: "财务科"}, Subject{Kind: SubjectDepartment, ID: deptC, Name: "执法大队"})
	rule := presetByKey("info_quota")
	cases := []struct {
		name    string
		quota   map[int64]int
		def     int
		want    map[int64][2]int // dept -> required, count (absent: no result)
		statusA Status
	}{
		{"rule count when nothing configured", nil, 0, map[int64][2]int{deptA: {1, 2}, deptB: {1, 0}, deptC: {1, 0}}, Done},
		{"unit default", nil, 3, map[int64][2]int{deptA: {3, 2}, deptB: {3, 0}, deptC: {3, 0}}, Missed},
		{"own quota and exemption", map[int64]int{deptA: 2, deptC: 0}, 3, map[int64][2]int{deptA: {2, 2}, deptB: {3, 0}}, Done},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := NewTally(2023)
			tl.Add(deptA, 0, InfoType, 5, nil, 2)
			tl.QuotaDefault = c.def
			for k, v := range c.quota {
				tl.Quota[k] = v
			}
			res := Evaluate(u, []Rule{rule}, tl, "2023-07-10")
			got := map[int64][2]int{}
			for _, r := range res {
				if r.Period.Key == "2023-05" {
					got[r.Subject.ID] = [2]int{r.Required, r.Count}
					if r.Subject.ID == deptA && r.Status != c.statusA {
						t.Errorf("办公室 May: %s, want %s", r.Status.Label(), c.statusA.Label())
					}
					if r.Link() != "/info?unit=10&org="+itoa(r.Subject.ID)+"&month=2023-05" {
						t.Errorf("link %s", r.Link())
					}
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("results %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("dept %d: %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func itoa(n int64) string { return fmt.Sprint(n) }
