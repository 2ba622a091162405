package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

// TestProblemsFromData drafts 存在问题 and the plan for a half-year whose
// ledger is made for it: study almost only in 中心组学习, no 专题研究 yet,
// no required topic covered, and everything recorded weeks late.
func TestProblemsFromData(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	actor, sc := scopeOf(t, st, "zhuangan")
	secretary, err := st.UserByUsername(ctx, "wangjianguo")
	if err != nil {
		t.Fatal(err)
	}
	acts := lateStudySessions(info.UnitID, secretary)
	acts = append(acts, ledger.Activity{UnitID: info.UnitID, OrgID: info.UnitID, Type: ledger.SelfStudy, Title: "自学", Date: "2024-03-01",
		LeadID: secretary.ID, LeadName: secretary.Name, CreatedAt: time.Date(2024, 3, 1, 20, 0, 0, 0, cntime.Zone).Unix()})
	if err := st.SeedActivities(ctx, actor, info.UnitID, acts); err != nil {
		t.Fatal(err)
	}
	p, _ := ledger.ParsePeriod("2024H1")
	r, err := report.Build(ctx, source(st, sc), report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: p})
	if err != nil {
		t.Fatal(err)
	}
	text := plain(r)
	for _, want := range []string{
		"一是年度工作要求推进偏慢，截至2024年6月30日尚未开展专题研究意识形态工作，全年不少于2次的要求尚未启动",
		"2024年上半年开展的活动登记台账7条，其中6条的登记日期比活动日期晚7天及以上，占85.7%",
		"政治理论学习形式较为单一，2024年上半年7次理论学习活动中“党组（理论学习中心组）集中学习”6次、占85.7%",
		"学习计划管理不够规范，2024年度学习计划未录入系统",
		"1.全年专题研究意识形态工作不少于2次，截至2024年6月30日尚未开展，须于2024年12月31日前开展2次。",
		"全年意识形态分析研判报告不少于1篇，截至2024年6月30日尚未开展，须于2024年12月31日前开展1篇。",
		"于2024年12月31日前完成学习",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if f := r.Figure("study_top_share"); f.Display != "85.7%" || len(f.IDs) != 6 {
		t.Errorf("dominant form share %s with %d records", f.Display, len(f.IDs))
	}
}

// lateStudySessions are a 中心组学习 led by secretary on the 10th of each
// month of 2024H1, each recorded 20 days late.
func lateStudySessions(unitID int64, secretary org.User) []ledger.Activity {
	var acts []ledger.Activity
	for m := 1; m <= 6; m++ {
		date := fmt.Sprintf("2024-%02d-10", m)
		d, _ := time.ParseInLocation(cntime.DateLayout, date, cntime.Zone)
		acts = append(acts, ledger.Activity{UnitID: unitID, OrgID: unitID, Type: ledger.CentralGroup, Title: fmt.Sprintf("%d月中心组学习", m),
			Date: date, LeadID: secretary.ID, LeadName: secretary.Name, CreatedAt: d.AddDate(0, 0, 20).Unix()})
	}
	return acts
}
