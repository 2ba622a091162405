package service_test

import (
	"context"
	"testing"

	"zhendi/internal/channel"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestChannelReminders: a 公众号 updated 11 days ago (3 days before its
// 2-week limit) reminds its responsible person once; one updated 5 days
// ago does not; an inspection past its quarter unsigned reminds the
// inspector once.
func TestChannelReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		for _, c := range []struct {
			name string
			last string
		}{{"临期号", "2023-06-24"}, {"正常号", "2023-06-30"}} {
			ch := channel.Channel{UnitID: f.unitA.ID, Name: c.name, Kind: channel.WechatMP, ResponsibleID: f.author.ID, FilingNo: "备1", FilingDate: "2023-01-01"}
			if err := f.svc.CreateChannel(ctx, f.actor(f.clerkA), f.scA, &ch); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.RecordManualCheck(ctx, f.actor(f.clerkA), f.scA, ch.ID, c.last, ""); err != nil {
				t.Fatal(err)
			}
		}
		in := channel.Inspection{UnitID: f.unitA.ID, Kind: channel.Security, Period: "2023Q2", InspectorID: f.clerkA.ID, RespID: f.leader.ID}
		if err := f.svc.CreateInspection(ctx, f.actor(f.clerkA), f.scA, &in); err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 2; round++ {
			if _, err := f.svc.Remind(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND title LIKE '【阵地临期】%'", f.author.ID); n != 1 {
			t.Errorf("%d channel reminders, want 1 (the 11-day account, once)", n)
		}
		var body string
		s.DB().QueryRow("SELECT body FROM notifications WHERE user_id = $1 AND title LIKE '【阵地临期】%'", f.author.ID).Scan(&body)
		if want := "微信公众号“临期号”距上次更新 11 天，更新期限14天（《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）），须在2023年7月8日前更新，还有3天。"; body != want {
			t.Errorf("reminder body %q\nwant %q", body, want)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND title LIKE '【检查逾期】%'", f.clerkA.ID); n != 1 {
			t.Errorf("%d overdue inspection reminders, want 1", n)
		}
	})
}
