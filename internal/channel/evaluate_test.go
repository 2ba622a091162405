package channel

import (
	"fmt"
	"testing"
	"time"

	"zhendi/internal/cntime"
)

func day(s string) time.Time {
	t, err := cntime.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// The 2-week rule at its edges: 13 and 14 days after an update are within
// "监测时间点前2周内", 15 is not.
func TestJudgeTwoWeekEdges(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		class Class
		last  string
		light Light
		stale bool
		days  int
	}{
		{Portal, ClassNone, "2024-03-18", Green, false, 10},
		{Portal, ClassNone, "2024-03-15", Amber, false, 13},
		{Portal, ClassNone, "2024-03-14", Amber, false, 14},
		{Portal, ClassNone, "2024-03-13", Red, true, 15},
		{Column, ClassNews, "2024-03-14", Amber, false, 14},
		{Column, ClassNews, "2024-03-13", Red, true, 15},
		{WechatMP, ClassNone, "2024-03-14", Amber, false, 14},
		{WechatMP, ClassNone, "2024-03-13", Red, true, 15},
		{Weibo, ClassNone, "", Red, true, -1},
		// 6 months: 2023-09-28 + 6 months = 2024-03-28, the last good day.
		{Column, ClassNotice, "2023-09-28", Amber, false, 182},
		{Column, ClassNotice, "2023-09-27", Red, true, 183},
		{Column, ClassPolicy, "2023-10-28", Green, false, 152},
		{WechatGroup, ClassNone, "", Grey, false, -1},
	} {
		c := Channel{Kind: tc.kind, Class: tc.class, LastUpdate: tc.last, Status: Running, Method: MethodManual}
		f := Judge(c, nil, "2024-03-28")
		if f.Light != tc.light || f.Stale != tc.stale || f.Days != tc.days {
			t.Errorf("%s %s last %s: light %s stale %v days %d, want %s %v %d", tc.kind, tc.class, tc.last, f.Light, f.Stale, f.Days, tc.light, tc.stale, tc.days)
		}
	}
}

func TestJudgeNotRunningIsGrey(t *testing.T) {
	c := Channel{Kind: Portal, LastUpdate: "2020-01-01", Status: Closed}
	if f := Judge(c, nil, "2024-03-28"); f.Light != Grey || f.Stale {
		t.Fatalf("closed site judged: %+v", f)
	}
}

// A unit's rule judges only from its ValidFrom; before it, the default.
func TestRuleInForceAtTheTime(t *testing.T) {
	unit := []Rule{{Kind: Column, Class: ClassNews, Days: 7, ValidFrom: "2024-03-01"}}
	c := Channel{Kind: Column, Class: ClassNews, LastUpdate: "2024-02-10", Status: Running}
	// 2024-02-20: 10 days since, default 14 days: fresh.
	if f := Judge(c, unit, "2024-02-20"); f.Stale || f.Rule.Days != 14 {
		t.Fatalf("before the unit rule: %+v", f)
	}
	c.LastUpdate = "2024-03-01"
	if f := Judge(c, unit, "2024-03-09"); !f.Stale || f.Rule.Days != 7 {
		t.Fatalf("under the unit rule (7 days), 8 days since must be stale: %+v", f)
	}
	if f := Judge(c, unit, "2024-03-08"); f.Stale {
		t.Fatalf("7 days since is within a 7-day rule: %+v", f)
	}
	ended := []Rule{{Kind: Column, Class: ClassNews, Days: 7, ValidFrom: "2024-03-01", ValidTo: "2024-03-05"}}
	if f := Judge(c, ended, "2024-03-09"); f.Rule.Days != 14 {
		t.Fatalf("a retired version must not judge: %+v", f.Rule)
	}
}

func columns(n int, class Class, last string, from int64) []Channel {
	var out []Channel
	for i := 0; i < n; i++ {
		out = append(out, Channel{ID: from + int64(i), Kind: Column, Class: class, LastUpdate: last, Status: Running, Items: 3, LastCheckAt: 1, LastCheckOK: true})
	}
	return out
}

func vetoOf(vs []Veto, code string) Veto {
	for _, v := range vs {
		if v.Code == code {
			return v
		}
	}
	panic("no veto " + code)
}

func TestColumnVetoEdges(t *testing.T) {
	today := "2024-03-28"
	for _, tc := range []struct {
		name string
		chs  []Channel
		fail bool
	}{
		{"4 stale news columns", columns(4, ClassNews, "2024-03-01", 1), false},
		{"5 stale news columns", columns(5, ClassNews, "2024-03-01", 1), true},
		{"5 news columns at 14 days", columns(5, ClassNews, "2024-03-14", 1), false},
		{"3 stale news + 2 notices past 6 months", append(columns(3, ClassNews, "2024-03-01", 1), columns(2, ClassNotice, "2023-09-27", 10)...), true},
		{"3 stale news + 2 notices at 6 months", append(columns(3, ClassNews, "2024-03-01", 1), columns(2, ClassNotice, "2023-09-28", 10)...), false},
		{"9 long-stale other columns", columns(9, ClassOther, "2022-01-01", 1), false},
		{"10 long-stale other columns", columns(10, ClassOther, "2022-01-01", 1), true},
		{"4 empty", emptyCols(4), false},
		{"5 empty", emptyCols(5), true},
	} {
		v := vetoOf(Evaluate(Input{Today: today, Channels: tc.chs}), "columns")
		if v.Failed != tc.fail {
			t.Errorf("%s: failed %v, want %v (%s)", tc.name, v.Failed, tc.fail, v.Detail)
		}
	}
}

func emptyCols(n int) []Channel {
	out := columns(n, ClassOther, "", 100)
	for i := range out {
		out[i].Items = 0
	}
	return out
}

func TestHomepageAndZombie(t *testing.T) {
	for _, tc := range []struct {
		last string
		fail bool
	}{{"2024-03-15", false}, {"2024-03-14", false}, {"2024-03-13", true}, {"", true}} {
		in := Input{Today: "2024-03-28", Channels: []Channel{
			{ID: 1, Kind: Portal, LastUpdate: tc.last, Status: Running},
			{ID: 2, Kind: WechatMP, LastUpdate: tc.last, Status: Running},
			{ID: 3, Kind: WechatVideo, LastUpdate: tc.last, Status: Closed},
		}}
		vs := Evaluate(in)
		if h := vetoOf(vs, "homepage"); h.Failed != tc.fail {
			t.Errorf("homepage last %q: failed %v", tc.last, h.Failed)
		}
		z := vetoOf(vs, "zombie")
		if z.Failed != tc.fail || (tc.fail && fmt.Sprint(z.Channels) != "[2]") {
			t.Errorf("zombie last %q: failed %v channels %v (closed account 3 must not count)", tc.last, z.Failed, z.Channels)
		}
	}
}

func TestUnreachableVeto(t *testing.T) {
	site := []Channel{{ID: 1, Kind: Portal, LastUpdate: "2024-03-27", Status: Running}}
	// week gives each of the 7 days before 2024-03-28 perDay visits, bad
	// of them failed in all.
	week := func(perDay, bad int) []DayAvail {
		var out []DayAvail
		for i := 1; i <= 7; i++ {
			d := DayAvail{Day: cntime.Date(day("2024-03-28").AddDate(0, 0, -i)), Total: perDay}
			d.Failed = min(bad, perDay)
			bad -= d.Failed
			out = append(out, d)
		}
		return out
	}
	for _, tc := range []struct {
		name         string
		days         []DayAvail
		judged, fail bool
	}{
		{"20 a day, 6 of 140 failed (4.3%)", week(20, 6), true, false},
		{"20 a day, 7 of 140 failed (5%)", week(20, 7), true, true},
		{"24 a day, 8 of 168 failed (4.8%)", week(24, 8), true, false},
		{"24 a day, 9 of 168 failed (5.4%)", week(24, 9), true, true},
		{"19 a day: not enough visits, 6 failed", week(19, 6), false, false},
		// 133 visits + 7 missing counted as successes: 7/140 is 5% whatever
		// the missing ones would have been.
		{"19 a day, 7 failed: certain", week(19, 7), true, true},
		{"visits today and 8 days ago are outside the week", append(week(20, 0), DayAvail{Day: "2024-03-28", Total: 20, Failed: 20}, DayAvail{Day: "2024-03-20", Total: 20, Failed: 20}), true, false},
	} {
		v := vetoOf(Evaluate(Input{Today: "2024-03-28", Channels: site, Avail: map[int64][]DayAvail{1: tc.days}}), "unreachable")
		if v.Judged != tc.judged || v.Failed != tc.fail {
			t.Errorf("%s: judged %v failed %v, want %v %v (%s)", tc.name, v.Judged, v.Failed, tc.judged, tc.fail, v.Detail)
		}
	}
	if v := vetoOf(Evaluate(Input{Today: "2024-03-28", Channels: site}), "unreachable"); v.Judged || v.Failed || v.Detail != "近7天无访问监测记录" {
		t.Errorf("no probes must be unjudged: %+v", v)
	}
}

func TestInteractVeto(t *testing.T) {
	for _, tc := range []struct {
		since string
		fail  bool
	}{{"2023-12-28", false}, {"2023-12-27", true}, {"", false}, {"2022-01-01", true}} {
		in := Input{Today: "2024-03-28", Channels: []Channel{{ID: 1, Kind: Column, Class: ClassInteract, LastUpdate: "2024-03-27", Status: Running, UnansweredSince: tc.since}}}
		if v := vetoOf(Evaluate(in), "interact"); v.Failed != tc.fail {
			t.Errorf("unanswered since %q: failed %v want %v", tc.since, v.Failed, tc.fail)
		}
	}
}

func TestWordingVetoOnlySeriousOpen(t *testing.T) {
	ch := []Channel{{ID: 1, Kind: Portal, LastUpdate: "2024-03-27", Status: Running}}
	for _, tc := range []struct {
		f    Finding
		fail bool
	}{
		{Finding{ChannelID: 1, Kind: FWording, Serious: true, Status: "open"}, true},
		{Finding{ChannelID: 1, Kind: FWording, Serious: false, Status: "open"}, false},
		{Finding{ChannelID: 1, Kind: FWording, Serious: true, Status: "closed"}, false},
	} {
		if v := vetoOf(Evaluate(Input{Today: "2024-03-28", Channels: ch, Findings: []Finding{tc.f}}), "wording"); v.Failed != tc.fail {
			t.Errorf("%+v: failed %v", tc.f, v.Failed)
		}
	}
}

func TestChangesAndFiling(t *testing.T) {
	before := Channel{ID: 7, UnitID: 2, Name: "某局发布", Status: Running}
	after := before
	after.Name = "某局政务"
	after.Status = Closed
	evs := Changes(before, after, Filing{No: "", Date: ""}, "2024-03-28")
	if len(evs) != 2 || evs[0].Kind != EvRename || evs[1].Kind != EvClose || evs[0].Day != "2024-03-28" {
		t.Fatalf("changes: %+v", evs)
	}
	if len(UnfiledEvents(evs)) != 2 {
		t.Fatalf("rename and close without 报备 must both be flagged")
	}
	evs = Changes(before, after, Filing{No: "区网信备〔2024〕3号", Date: "2024-03-20"}, "2024-03-28")
	if len(UnfiledEvents(evs)) != 0 {
		t.Fatalf("filed changes flagged: %+v", evs)
	}
	paused := before
	paused.Status = Paused
	if evs := Changes(before, paused, Filing{}, "2024-03-28"); len(evs) != 1 || evs[0].Kind != EvPause || evs[0].Unfiled() {
		t.Fatalf("a pause needs no 报备: %+v", evs)
	}
	if !OpenEvent(Channel{Name: "x"}, "2024-01-01").Unfiled() {
		t.Fatal("an opening without a 报备 number is unfiled")
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		c    Channel
		want string
	}{
		{Channel{Name: "", Kind: Portal, URL: "https://a.gov.cn/", ResponsibleID: 1}, "名称"},
		{Channel{Name: "栏目", Kind: Column, URL: "https://a.gov.cn/x", ResponsibleID: 1}, "栏目类别"},
		{Channel{Name: "网站", Kind: Portal, ResponsibleID: 1}, "网址"},
		{Channel{Name: "网站", Kind: Portal, URL: "ftp://a", ResponsibleID: 1}, "网址"},
		{Channel{Name: "号", Kind: WechatMP, Method: MethodFeed, FeedURL: "https://a/feed", ResponsibleID: 1}, "检查方式"},
		{Channel{Name: "网站", Kind: Portal, URL: "https://a.gov.cn/", Method: MethodFeed, ResponsibleID: 1}, "订阅地址"},
		{Channel{Name: "栏目", Kind: Column, Class: ClassNews, URL: "https://a.gov.cn/x", DateRule: "pattern: (", ResponsibleID: 1}, "日期提取规则"},
		{Channel{Name: "宣传栏", Kind: Board}, "责任人"},
		{Channel{Name: "宣传栏", Kind: Board, ResponsibleID: 1, FilingDate: "2024/1/1"}, "报备日期"},
	} {
		err := tc.c.Validate()
		if err == nil || !contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error on %s", tc.c, err, tc.want)
		}
	}
	ok := Channel{Name: "门户", Kind: Portal, URL: "https://a.gov.cn/", ResponsibleID: 1}
	if err := ok.Validate(); err != nil || ok.Method != MethodListing || ok.Status != Running {
		t.Fatalf("valid channel: %v %+v", err, ok)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}
