package service_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestComplianceCacheNeverStale: Compliance keeps its judgement only while
// nothing changes. Asked twice it answers from the cache (the same map);
// after a ledger entry, a deletion, or a new day it judges again, and it
// always equals what a service without a cache judges.
func TestComplianceCacheNeverStale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2023, 12, 20, 9, 0, 0, 0, cntime.Zone)
		svc := service.New(st, service.Config{}, nil)
		svc.SetClock(func() time.Time { return now })
		actor, sc := storetest.Login(t, st, "zhuangan")
		units := []int64{info.UnitID}
		fresh := func() any {
			f := service.New(st, service.Config{}, nil)
			f.SetClock(func() time.Time { return now })
			all, err := f.Compliance(ctx, sc, units, 2023)
			if err != nil {
				t.Fatal(err)
			}
			return all
		}
		first, err := svc.Compliance(ctx, sc, units, 2023)
		if err != nil {
			t.Fatal(err)
		}
		again, err := svc.Compliance(ctx, sc, units, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if reflect.ValueOf(first).Pointer() != reflect.ValueOf(again).Pointer() {
			t.Error("nothing changed, yet the judgement was made again")
		}
		// A new 专题研究 entry in a month that had none changes the
		// judgement at once.
		a := ledger.Activity{UnitID: info.UnitID, OrgID: info.UnitID, Type: ledger.TopicStudy, Title: "专题研究意识形态工作（缓存测试）",
			Date: "2023-11-15", LeadName: "张专干", Agenda: "研究意识形态工作", LateReason: "会议记录整理后补录"}
		if err := svc.CreateActivity(ctx, actor, sc, &a, nil); err != nil {
			t.Fatal(err)
		}
		afterCreate, err := svc.Compliance(ctx, sc, units, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if reflect.DeepEqual(afterCreate, first) {
			t.Error("the judgement did not change after a new entry")
		}
		if want := fresh(); !reflect.DeepEqual(afterCreate, want) {
			t.Error("after a new entry the cached judgement differs from a fresh one")
		}

		// Deleting it again brings the first judgement back.
		if err := svc.DeleteActivity(ctx, actor, sc, a.ID); err != nil {
			t.Fatal(err)
		}
		afterDelete, err := svc.Compliance(ctx, sc, units, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(afterDelete, first) {
			t.Error("after deleting the entry the judgement is not the first one")
		}

		// A new day judges again (deadlines pass with the clock).
		now = now.AddDate(0, 0, 12)
		nextDay, err := svc.Compliance(ctx, sc, units, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if reflect.ValueOf(nextDay).Pointer() == reflect.ValueOf(afterDelete).Pointer() {
			t.Error("a new day answered from the previous day's judgement")
		}
		if want := fresh(); !reflect.DeepEqual(nextDay, want) {
			t.Error("on the new day the judgement differs from a fresh one")
		}
	})
}
