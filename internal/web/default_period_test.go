package web_test

import (
	"context"
	"strings"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestDefaultPeriodAfterASmallImport: two entries recorded for July 2023
// beside the demo's 2023H1 ledger leave the home page, the report menu
// and 补记情况 on 2023年上半年 (the issue saw the home page jump to a
// near-empty 2023年下半年); one rule, ledger.DefaultHalfYear, for all three.
func TestDefaultPeriodAfterASmallImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		actor, sc := storetest.Login(t, st, "zhuangan")
		for _, d := range []string{"2023-07-01", "2023-07-02"} {
			a := ledger.Activity{UnitID: info.UnitID, OrgID: info.UnitID, Type: ledger.SelfStudy, Title: "七月自学" + d, Date: d, LeadName: "张专干", Content: "学习党的二十大报告。", LateReason: "测试数据补录"}
			if err := svcOf(st).CreateActivity(context.Background(), actor, sc, &a, nil); err != nil {
				t.Fatal(err)
			}
		}
		c := e.client()
		c.demoLogin("zhuangan")
		if _, home := c.get("/"); !strings.Contains(home, "2023年下半年只有 2 条台账记录，显示记录较多的 2023年上半年") {
			t.Errorf("home does not open on 2023年上半年, saying why")
		}
		if _, menu := c.get("/reports"); !strings.Contains(menu, `value="2023H1" selected`) {
			t.Errorf("report menu does not default to 2023H1")
		}
		if _, late := c.get("/supervise/late"); !strings.Contains(late, `value="2023H1" selected`) {
			t.Errorf("补记情况 does not default to 2023H1")
		}
	})
}
