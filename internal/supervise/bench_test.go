package supervise

import (
	"testing"

	"zhendi/internal/ledger"
)

// BenchmarkEvaluateUnit judges every preset for one unit of the benchmark
// district's shape (6 departments, 2 branches, 6 leaders) over a year with
// entries in every month; the district roll-up does this 100 times.
func BenchmarkEvaluateUnit(b *testing.B) {
	u := Unit{ID: unitID, Name: "测试局"}
	for i := range 6 {
		u.Departments = append(u.Departments, Subject{Kind: SubjectDepartment, ID: int64(100 + i), Name: "科室"})
		u.Leaders = append(u.Leaders, Subject{Kind: SubjectLeader, ID: int64(200 + i), Name: "领导"})
	}
	u.Branches = []Subject{{Kind: SubjectBranch, ID: 301, Name: "一支部"}, {Kind: SubjectBranch, ID: 302, Name: "二支部"}}
	t := NewTally(2025)
	for m := 1; m <= 12; m++ {
		for _, typ := range []string{ledger.CentralGroup, ledger.TopicStudy, ledger.BranchCommittee, ledger.PartyGroup, ledger.BranchCongress, ledger.PartyLecture} {
			t.Add(301, 0, typ, m, []string{"ershida"}, 1)
		}
		t.Add(100, 0, InfoType, m, nil, 2)
	}
	rules := Presets(unitID, PresetValidFrom)
	var n int
	for b.Loop() {
		res := Evaluate(u, rules, t, "2025-09-15")
		n = len(Lines(rules, res, "2025-09-15"))
	}
	_ = n
}
