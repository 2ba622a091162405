package access

import (
	"slices"
	"testing"
)

func TestBuild(t *testing.T) {
	under := func(id int64) []int64 {
		if id == 1 {
			return []int64{10, 20}
		}
		return nil
	}
	cases := []struct {
		name   string
		grants []Grant
		check  func(Scope) bool
	}{
		{"clerk reads and writes the unit", []Grant{{Role: Clerk, OrgID: 10, UnitID: 10, Kind: "unit"}},
			func(s Scope) bool {
				return s.CanRead(10, 11) && s.CanWrite(10, 11) && !s.CanRead(20, 21) && len(s.AdminUnits) == 0
			}},
		{"info officer writes own department only", []Grant{{Role: InfoOfficer, OrgID: 11, UnitID: 10, Kind: "department"}},
			func(s Scope) bool { return s.CanWrite(10, 11) && !s.CanWrite(10, 12) && !s.CanRead(10, 12) }},
		{"supervisor reads the district, writes nothing", []Grant{{Role: Supervisor, OrgID: 1, Kind: "district"}},
			func(s Scope) bool {
				return s.CanRead(10, 10) && s.CanRead(20, 21) && s.IsReadOnly() && slices.Equal(s.ReadUnits, []int64{10, 20})
			}},
		{"sysadmin sees no content", []Grant{{Role: SysAdmin, OrgID: 10, UnitID: 10, Kind: "unit"}},
			func(s Scope) bool { return !s.HasContent() && s.CanAdmin(10) && !s.CanAdmin(20) }},
		{"member only own records", []Grant{{Role: Member, OrgID: 10, UnitID: 10, Kind: "unit"}},
			func(s Scope) bool { return s.OwnRecords && !s.CanRead(10, 10) && s.IsReadOnly() }},
		{"auditor reads the log only", []Grant{{Role: Auditor, OrgID: 10, UnitID: 10, Kind: "unit"}},
			func(s Scope) bool { return s.CanAudit(10) && !s.HasContent() }},
	}
	for _, c := range cases {
		if s := Build(5, 10, c.grants, under); !c.check(s) {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
}
