package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/assess"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/incident"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestAssessEmptyUnitBelowPoorUnit is the example seen at the stop-26
// merge: a unit with no records at all scored 30 and ranked above
// 示范区市场监督管理局 (20.75), because "deduct" items gave full marks when
// nothing was judged. Under assess.ScoringRule it scores 0 and ranks last:
// its obligations (述职, 讲党课, 三会一课, 阵地) have nobody registered to
// hold them and count as not done; only 整改 (nothing fell due) and 舆情 (no
// incident) do not apply, for it and for the bureau alike. The bureau's
// 10.75 points of the 87 that apply make 12.36.
//
// Then the empty unit gets 阵地 and 舆情 records and the two new scorers
// measure them, with their records as links.
func TestAssessEmptyUnitBelowPoorUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(st, service.Config{}, nil)
		now := time.Date(2024, 1, 1, 10, 0, 0, 0, cntime.Zone)
		svc.SetClock(func() time.Time { return now })
		water := org.Node{ParentID: info.DistrictID, Kind: org.Unit, Name: "示范区水利局"}
		if err := st.CreateNode(ctx, store.System, &water); err != nil {
			t.Fatal(err)
		}
		_, district := assessLogin(t, st, "ducha")
		district.Scope.ReadUnits = append(district.Scope.ReadUnits, water.ID)
		tr, err := svc.DistrictTree(ctx, district, info.DistrictID, 2023)
		if err != nil {
			t.Fatal(err)
		}
		ranking := func() map[string]assess.Ranked {
			t.Helper()
			ranked, _, err := svc.Ranking(ctx, district.Scope, tr)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]assess.Ranked{}
			for _, r := range ranked {
				out[r.Name] = r
			}
			return out
		}
		rs := ranking()
		poor, empty := rs["示范区市场监督管理局"], rs["示范区水利局"]
		if poor.Result.Total != 12.36 || poor.Result.Raw != 10.75 || poor.Result.NAPoints != 13 {
			t.Fatalf("市场监督管理局: total %v raw %v not applicable %v", poor.Result.Total, poor.Result.Raw, poor.Result.NAPoints)
		}
		if empty.Result.Total != 0 || empty.Rank <= poor.Rank || empty.Rank != len(rs) {
			t.Fatalf("empty unit: total %v rank %d, 市场监督管理局 rank %d of %d", empty.Result.Total, empty.Rank, poor.Rank, len(rs))
		}
		for name, want := range map[string]string{
			"班子成员意识形态工作述职": "本单位未登记班子成员，述职无从核对，按未完成计0分",
			"班子成员讲党课":      "没有可核对的期次：本单位未登记班子成员，按未完成计0分",
			"三会一课按期开展":     "没有可核对的期次：本单位未登记党支部，按未完成计0分",
			"宣传思想阵地管理":     "本单位未登记宣传思想阵地，阵地管理无从核对，按未完成计0分",
		} {
			l := lineOf(t, empty.Result, name)
			if l.Score != 0 || l.NA != "" || l.Item.Measure.Note != want || len(l.Item.Measure.Refs) != 1 || !l.Item.Measure.Refs[0].Miss {
				t.Errorf("%s: score %v NA %q note %q refs %+v", name, l.Score, l.NA, l.Item.Measure.Note, l.Item.Measure.Refs)
			}
		}
		if l := lineOf(t, empty.Result, "问题整改"); l.NA != "全年没有到期的整改事项" {
			t.Errorf("整改: NA %q", l.NA)
		}
		if l := lineOf(t, empty.Result, "舆情"); l.NA != "全年没有舆情处置事件" {
			t.Errorf("舆情: NA %q", l.NA)
		}

		// 水利局 registers a clerk and a leader, two channels, and records
		// a year of 阵地 and 舆情 work.
		mk := func(username, name string, role access.Role) org.User {
			u := org.User{OrgID: water.ID, Username: username, Name: name, Grants: []access.Grant{{Role: role, OrgID: water.ID}}}
			if err := svc.CreateUser(ctx, store.System, &u, "Kx7m-Lp2q9"); err != nil {
				t.Fatal(err)
			}
			return u
		}
		clerk, leader := mk("slzg", "水利专干", access.Clerk), mk("slld", "水利领导", access.DirectResp)
		sc := access.Scope{UserID: clerk.ID, HomeUnit: water.ID, ReadUnits: []int64{water.ID}, WriteUnits: []int64{water.ID}}
		site := channel.Channel{UnitID: water.ID, Name: "水利局门户网站", Kind: channel.Portal, URL: "https://sl.example.gov.cn/", Method: channel.MethodManual,
			ResponsibleID: clerk.ID, FilingNo: "备1", FilingDate: "2023-01-01"}
		mp := channel.Channel{UnitID: water.ID, Name: "示范水利", Kind: channel.WechatMP, Method: channel.MethodManual, ResponsibleID: clerk.ID, FilingNo: "备2", FilingDate: "2023-01-01"}
		for _, c := range []*channel.Channel{&site, &mp} {
			if err := svc.CreateChannel(ctx, store.System, sc, c); err != nil {
				t.Fatal(err)
			}
		}
		// In May the homepage went two weeks without an update (a
		// single-veto finding, counted though put right since); a minor
		// wording slip on the account is not a veto and does not count.
		st.Now = func() time.Time { return time.Date(2023, 5, 20, 9, 0, 0, 0, cntime.Zone) }
		if _, err := st.RecordFinding(ctx, site, channel.Finding{ChannelID: site.ID, UnitID: water.ID, Kind: channel.FStale, Key: "stale:home", Detail: "首页14天未更新"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordFinding(ctx, mp, channel.Finding{ChannelID: mp.ID, UnitID: water.ID, Kind: channel.FWording, Key: "wording:1", Detail: "的地得"}); err != nil {
			t.Fatal(err)
		}
		// The third-quarter 阵地检查 failed one item, still not put right.
		in := channel.Inspection{UnitID: water.ID, Kind: channel.Position, Period: "2023Q3", InspectorID: clerk.ID, RespID: leader.ID}
		if err := svc.CreateInspection(ctx, store.System, sc, &in); err != nil {
			t.Fatal(err)
		}
		for i, it := range in.Items {
			res, note := channel.ResultPass, ""
			if i == 0 {
				res, note = channel.ResultFail, "留言两个月未回复"
			}
			if err := svc.SetInspectionResult(ctx, store.System, sc, in.ID, it.ID, res, note); err != nil {
				t.Fatal(err)
			}
		}
		st.Now = time.Now
		// 舆情: a 重大 incident met both limits; a 一般 one was never
		// answered (48 h passed); one found on New Year's Eve is still
		// within its 48 hours and not counted yet.
		at := func(m, d, h int) int64 { return time.Date(2023, time.Month(m), d, h, 0, 0, 0, cntime.Zone).Unix() }
		incidents := []incident.Incident{
			{UnitID: water.ID, Title: "水库泄洪传言", Level: incident.LevelMajor, FoundAt: at(3, 1, 9)},
			{UnitID: water.ID, Title: "河道整治投诉", Level: incident.LevelGeneral, FoundAt: at(6, 1, 9)},
			{UnitID: water.ID, Title: "供水管网抢修", Level: incident.LevelGeneral, FoundAt: at(12, 31, 20)},
		}
		for i := range incidents {
			if err := svc.StartIncident(ctx, store.System, sc, &incidents[i], clerk.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.SaveIncidentStep(ctx, store.System, sc, incidents[0].ID, incident.StepRespond,
			incident.StepInput{AuthorityAt: at(3, 1, 12), PresserAt: at(3, 2, 8)}); err != nil {
			t.Fatal(err)
		}

		w := ranking()["示范区水利局"].Result
		ch := lineOf(t, w, "阵地")
		m := ch.Item.Measure
		if ch.Score != 3 || m.Required != 2 || m.Failures != 2 || m.Note != "登记阵地2个，检查1次；单项否决问题1个，检查发现未整改1个" {
			t.Fatalf("阵地: score %v measure %+v", ch.Score, m)
		}
		links := map[string]bool{}
		for _, r := range m.Refs {
			links[r.Link] = true
		}
		if len(m.Refs) != 3 || !links[fmt.Sprintf("/inspections/%d", in.ID)] || !strings.Contains(m.Refs[0].Label, "水利局门户网站：更新超期（单项否决指标，未整改）") ||
			!strings.HasPrefix(m.Refs[0].Link, "/findings/") {
			t.Fatalf("阵地 refs: %+v", m.Refs)
		}
		op := lineOf(t, w, "舆情")
		m = op.Item.Measure
		if op.NA != "" || op.Score != 1.5 || m.Count != 1 || m.Required != 2 || m.Note != "已到时限的舆情事件2起，按时处置1起，另1起尚在时限内" {
			t.Fatalf("舆情: score %v NA %q measure %+v", op.Score, op.NA, m)
		}
		if len(m.Refs) != 3 || m.Refs[0].Link != fmt.Sprintf("/opinion/incidents/%d", incidents[0].ID) || m.Refs[0].Miss || !m.Refs[1].Miss ||
			!strings.Contains(m.Refs[2].Label, "尚在时限内，不计入") {
			t.Fatalf("舆情 refs: %+v", m.Refs)
		}
		// Every item applies now: the findings opened rectification items
		// due in 2023 and not closed (整改 0 of 3: two findings, one inspection item), and the leader owes a
		// lecture (讲党课 5 − 2 = 3). 3 + 3 + 1.5 = 7.5.
		if l := lineOf(t, w, "问题整改"); l.NA != "" || l.Item.Measure.Required != 3 || l.Score != 0 {
			t.Fatalf("整改 with items due: %v %+v", l.Score, *l.Item.Measure)
		}
		if w.Raw != 7.5 || w.NAPoints != 0 || w.Total != 7.5 {
			t.Fatalf("水利局 after its records: raw %v not applicable %v total %v", w.Raw, w.NAPoints, w.Total)
		}
	})
}
