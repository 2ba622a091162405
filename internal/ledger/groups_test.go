package ledger

import (
	"strings"
	"testing"
)

// TestGroups: every type is in exactly one category, the categories keep
// the order of Types, and 三会一课 holds its four meetings.
func TestGroups(t *testing.T) {
	seen := map[string]int{}
	var names []string
	for _, g := range Groups() {
		names = append(names, g.Name)
		for _, c := range g.Types {
			seen[c]++
			if tt, _ := TypeByCode(c); tt.Group != g.Name {
				t.Errorf("%s in %s, its group is %s", c, g.Name, tt.Group)
			}
		}
	}
	for _, tt := range Types {
		if seen[tt.Code] != 1 {
			t.Errorf("%s in %d categories", tt.Code, seen[tt.Code])
		}
	}
	if got := strings.Join(names, ","); got != "理论学习,会议,宣传宣讲,分析研判,三会一课,个人学习,调查研究,考核述职" {
		t.Errorf("categories %s", got)
	}
	for _, g := range Groups() {
		if g.Name == "三会一课" && strings.Join(g.Types, ",") != "branch_congress,branch_committee,party_group,theme_day" {
			t.Errorf("三会一课 %v", g.Types)
		}
	}
}
