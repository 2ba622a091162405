package infosub

import (
	"strings"
	"testing"

	"zhendi/internal/docx"
)

// TestBulletinTableCells (issue 14): the 月通报's 合计 row left 完成情况
// blank, and the unit's own row (drafts sent in the bureau's name, no
// monthly task) read "无任务". A row without a task shows "—" for both,
// explained under the table; the 合计 row says how many rows missed
// their task.
func TestBulletinTableCells(t *testing.T) {
	b := Bulletin{Label: "2023年6月", Scope: "示范区农业农村局", Rows: []BulletinRow{
		{Name: "办公室", Submitted: 4, Quota: 3},
		{Name: "计划财务科", Submitted: 1, Quota: 2},
		{Name: "农业综合行政执法大队", Submitted: 0, Quota: 2},
		{Name: "示范区农业农村局", Submitted: 2},
	}}
	b.Finish()
	var table docx.Table
	var notes []string
	for _, blk := range b.Content(Itoa) {
		switch v := blk.(type) {
		case docx.Table:
			table = v
		case docx.Para:
			notes = append(notes, v.Text)
		}
	}
	rows := map[string][]string{}
	for _, r := range table.Rows {
		rows[r[1]] = r
	}
	for name, want := range map[string][2]string{"办公室": {"3", "完成"}, "计划财务科": {"2", "未完成"}, "农业综合行政执法大队": {"2", "零报送"},
		"示范区农业农村局": {"—", "—"}, "合计": {"7", "2个未完成"}} {
		r := rows[name]
		if r == nil || r[7] != want[0] || r[8] != want[1] {
			t.Errorf("%s: 月度任务, 完成情况 = %v, want %v", name, r, want)
		}
	}
	text := strings.Join(notes, "\n")
	if !strings.Contains(text, "示范区农业农村局不设月度报送任务，表中以“—”表示。") || strings.Contains(text, "无任务") {
		t.Errorf("the note under the table:\n%s", text)
	}
	if got := (Bulletin{Rows: []BulletinRow{{Name: "办公室", Submitted: 3, Quota: 3}}}).TotalMet(); got != "全部完成" {
		t.Errorf("every task met: 合计 says %q", got)
	}
}
