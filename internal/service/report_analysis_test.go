package service_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/incident"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestAnalysisReportOpinionEvents (issue 23): the 研判报告's 二、舆情及热点
// is drawn from the opinion module's events on the demo's June 2023: each
// event with its heat, negativity and handling — one handled on time and
// now at 评估, one 重大 whose 5-hour limit passed with nothing done, the
// rest not handled — every number a figure citing the event or incident;
// a month the module holds nothing for says so plainly.
func TestAnalysisReportOpinionEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		info, err := demo.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(st, service.Config{}, nil)
		svc.SetClock(func() time.Time { return time.Date(2023, 7, 10, 9, 0, 0, 0, cntime.Zone) })
		clerk, sc := reportActor(t, st, "zhuangan")
		june := time.Date(2023, 6, 1, 0, 0, 0, 0, cntime.Zone)
		evs, _, err := st.OpinionEvents(ctx, sc, store.EventFilter{UnitID: info.UnitID, From: june.Unix(), To: june.AddDate(0, 1, 0).Unix(), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) < 3 {
			t.Fatalf("the demo has %d June events, want at least 3", len(evs))
		}
		handled, missed := evs[0], evs[1]
		onTime := incident.Incident{UnitID: info.UnitID, EventID: handled.ID, Title: handled.Title, Level: incident.LevelGeneral, FoundAt: handled.FirstAt}
		if err := svc.StartIncident(ctx, clerk, sc, &onTime, clerk.UserID); err != nil {
			t.Fatal(err)
		}
		for i, step := range []string{incident.StepCollect, incident.StepConsult, incident.StepJudge, incident.StepRespond} {
			in := incident.StepInput{OwnerID: clerk.UserID, Note: "已办", Done: true, DoneAt: handled.FirstAt + int64(i+1)*3600}
			if step == incident.StepRespond {
				in.Text = "区农业农村局已对涉事批发市场开展复检，不合格批次已下架。"
			}
			if _, err := svc.SaveIncidentStep(ctx, clerk, sc, onTime.ID, step, in); err != nil {
				t.Fatalf("step %s: %v", step, err)
			}
		}
		late := incident.Incident{UnitID: info.UnitID, EventID: missed.ID, Title: missed.Title, Level: incident.LevelMajor, FoundAt: missed.FirstAt}
		if err := svc.StartIncident(ctx, clerk, sc, &late, clerk.UserID); err != nil {
			t.Fatal(err)
		}

		p, _ := ledger.ParsePeriod("2023-06")
		r, err := svc.BuildReport(ctx, sc, report.Request{Kind: report.Analysis, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		var text []string
		for _, b := range r.Blocks {
			if strings.HasPrefix(b.Key, "auto.opinion") {
				text = append(text, r.Plain(b.Text))
			}
		}
		all := strings.Join(text, "\n")
		t.Logf("二、舆情及热点:\n%s", all)
		items := r.Figure("opinion_items")
		if items == nil || items.Value == 0 {
			t.Fatalf("no opinion_items figure: %+v", items)
		}
		lead := fmt.Sprintf("2023年6月，舆情监测采集涉及本单位的信息%d条，新形成舆情事件%d个，发现并启动舆情处置2件，其中各项时限均按时完成的1件；期间有信息的舆情事件%d个，按期间最高热度排列",
			items.Value, r.Figure("opinion_events").Value, len(evs))
		if len(text) == 0 || !strings.HasPrefix(text[0], lead) {
			t.Fatalf("lead:\n%s\nwant it to start %s", all, lead)
		}
		if len(text) != 1+min(len(evs), 10) {
			t.Errorf("%d event paragraphs for %d events", len(text)-1, len(evs))
		}
		// The events hottest first, each with its handling.
		para := func(e store.OpinionEvent) string {
			for _, p := range text[1:] {
				if strings.Contains(p, "“"+e.Title+"”：") {
					return p
				}
			}
			t.Fatalf("no paragraph on event %q:\n%s", e.Title, all)
			return ""
		}
		prev := 101.0
		for _, e := range evs {
			f := r.Figure(fmt.Sprintf("opinion_event_%d_heat", e.ID))
			p := para(e)
			want := fmt.Sprintf("“%s”：%s首次出现，相关信息%d条，期间最高热度%s，平均负面倾向%.2f（", e.Title,
				ledger.FormatDate(cntime.Date(time.Unix(e.FirstAt, 0))), e.Items, f.Display, e.Negativity)
			if !strings.Contains(p, want) {
				t.Errorf("event paragraph:\n%s\nwant %s", p, want)
			}
			if i := slices.Index(text, p); i > 0 && i <= len(evs) {
				if h, _ := strconv.ParseFloat(f.Display, 64); h > prev || h <= 0 {
					t.Errorf("heat %s after %.1f: not hottest first, or no heat", f.Display, prev)
				} else {
					prev = h
				}
			}
		}
		if p := para(handled); !strings.HasSuffix(p, "；已按一般舆情启动处置，五个环节已完成4个，正处于“评估”环节，各项时限均按时完成。") {
			t.Errorf("handled event: %s", p)
		}
		if p := para(missed); !strings.HasSuffix(p, "；已按重大舆情启动处置，五个环节已完成0个，正处于“收集”环节，有时限未按时完成。") {
			t.Errorf("missed event: %s", p)
		}
		if p := para(evs[2]); !strings.HasSuffix(p, "；未启动舆情处置。") {
			t.Errorf("event without handling: %s", p)
		}
		// Every number cites its record.
		for key, want := range map[string]struct {
			id   int64
			link string
		}{
			fmt.Sprintf("opinion_event_%d_heat", handled.ID):    {handled.ID, fmt.Sprintf("/opinion/events/%d", handled.ID)},
			fmt.Sprintf("opinion_event_%d_neg", missed.ID):      {missed.ID, fmt.Sprintf("/opinion/events/%d", missed.ID)},
			fmt.Sprintf("opinion_incident_%d_steps", onTime.ID): {onTime.ID, fmt.Sprintf("/opinion/incidents/%d", onTime.ID)},
			fmt.Sprintf("opinion_event_%d_items", evs[2].ID):    {evs[2].ID, fmt.Sprintf("/opinion/events/%d", evs[2].ID)},
		} {
			f := r.Figure(key)
			if f == nil || !slices.Equal(f.IDs, []int64{want.id}) || f.RecordLink(want.id) != want.link {
				t.Errorf("figure %s: %+v, want record %d at %s", key, f, want.id, want.link)
			}
		}
		if strings.Contains(all, "尚未启用") || strings.Contains(all, "〔") {
			t.Errorf("placeholder wording with data:\n%s", all)
		}

		// March: the module holds nothing; said plainly, not as zeros.
		p, _ = ledger.ParsePeriod("2023-03")
		r, err = svc.BuildReport(ctx, sc, report.Request{Kind: report.Analysis, UnitID: info.UnitID, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		var march []string
		for _, b := range r.Blocks {
			if strings.HasPrefix(b.Key, "auto.opinion") {
				march = append(march, r.Plain(b.Text))
			}
		}
		if len(march) != 1 || march[0] != "2023年3月，舆情监测没有采集到涉及本单位的信息，没有形成舆情事件。" {
			t.Errorf("March: %q", march)
		}
	})
}
