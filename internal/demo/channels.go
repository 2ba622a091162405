package demo

import (
	"context"
	"fmt"
	"time"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// demoChannel is one 阵地 of the demo bureau; Ago is how many days before
// the load its last update was (-1: none), Every how often it publishes
// (days, for the update-frequency history), Renamed an unfiled rename.
type demoChannel struct {
	Kind            channel.Kind
	Class           channel.Class
	Name, URL, Acct string
	Location        string
	Owner, Reviewer string
	Org             string
	FilingNo        string
	Ago, Every      int
	Renamed         string
}

// The demo's web channels are checked by hand (MethodManual): the demo
// addresses are not real sites, and a server without network access would
// only record them as unreachable.
var demoChannels = []demoChannel{
	{Kind: channel.Portal, Name: "示范区农业农村局门户网站", URL: "http://nyncj.sfq.gov.cn/", Owner: "majun", Reviewer: "zhouwenjing", Org: "demo-bgs", FilingNo: "区网信备〔2019〕12号", Ago: 2, Every: 2},
	{Kind: channel.Column, Class: channel.ClassNews, Name: "工作动态", URL: "http://nyncj.sfq.gov.cn/gzdt/", Owner: "majun", Reviewer: "zhouwenjing", Org: "demo-bgs", Ago: 3, Every: 3},
	{Kind: channel.Column, Class: channel.ClassNews, Name: "乡村振兴要闻", URL: "http://nyncj.sfq.gov.cn/xczx/", Owner: "hezhiyong", Reviewer: "gaoyuan", Org: "demo-zcfg", Ago: 12, Every: 10},
	{Kind: channel.Column, Class: channel.ClassNews, Name: "农业执法动态", URL: "http://nyncj.sfq.gov.cn/zfdt/", Owner: "majun", Reviewer: "zhouwenjing", Org: "demo-bgs", Ago: 19, Every: 20},
	{Kind: channel.Column, Class: channel.ClassNotice, Name: "通知公告", URL: "http://nyncj.sfq.gov.cn/tzgg/", Owner: "majun", Reviewer: "zhouwenjing", Org: "demo-bgs", Ago: 24, Every: 25},
	{Kind: channel.Column, Class: channel.ClassPolicy, Name: "政策文件", URL: "http://nyncj.sfq.gov.cn/zcwj/", Owner: "tangjing", Reviewer: "gaoyuan", Org: "demo-zcfg", Ago: 61, Every: 45},
	{Kind: channel.Column, Class: channel.ClassInteract, Name: "局长信箱", URL: "http://nyncj.sfq.gov.cn/jzxx/", Owner: "yanghui", Reviewer: "zhouwenjing", Org: "demo-bgs", Ago: 9, Every: 15},
	{Kind: channel.WechatMP, Name: "示范区农业农村", Acct: "sfq_nync", Owner: "majun", Reviewer: "zhouwenjing", Org: "demo-bgs", FilingNo: "区网信备〔2020〕31号", Ago: 1, Every: 2},
	{Kind: channel.WechatVideo, Name: "示范区农业农村视频号", Acct: "sfqnync", Owner: "hanlu", Reviewer: "luoguoqing", Org: "demo-jhcw", FilingNo: "区网信备〔2022〕8号", Ago: 17, Every: 14,
		Renamed: "示范区农业农村局视频号"},
	{Kind: channel.WechatGroup, Name: "局机关工作群", Acct: "约 80 人", Owner: uClerk, Reviewer: "zhouwenjing", Org: "demo-bgs", Ago: -1},
	{Kind: channel.WechatGroup, Name: "机关第一党支部党员群", Acct: "约 40 人", Owner: "zhouwenjing", Reviewer: uClerk, Org: "demo-bgs", Ago: -1},
	{Kind: channel.Board, Name: "一楼大厅宣传栏", Location: "办公楼一楼大厅", Owner: uClerk, Reviewer: "zhouwenjing", Org: "demo-bgs", Ago: 40},
	{Kind: channel.Room, Name: "职工书屋（阅览室）", Location: "办公楼三楼 305 室", Owner: "chenjing", Reviewer: uClerk, Org: "demo-bgs", Ago: -1},
}

// loadChannels registers the demo bureau's 阵地 with a year of publication
// history relative to now, so the dashboard shows green, amber and red
// channels, a 僵尸号 and an unfiled rename. It writes nothing when the unit
// already has channels.
func loadChannels(ctx context.Context, s *store.Store, unitID int64, nodes, users map[string]int64, now time.Time) error {
	clerk, err := s.User(ctx, users[uClerk])
	if err != nil {
		return fmt.Errorf("demo clerk: %w", err)
	}
	svc := service.New(s, service.Config{}, nil)
	svc.SetClock(s.Now) // the store's clock: tests load the demo on a fixed day
	sc, err := svc.ScopeOf(ctx, clerk)
	if err != nil {
		return err
	}
	have, err := s.Channels(ctx, sc, store.ChannelFilter{UnitID: unitID})
	if err != nil || len(have) > 0 {
		return err
	}
	actor := store.Actor{UserID: clerk.ID, Name: clerk.Name}
	day := func(ago int) string { return cntime.Date(now.AddDate(0, 0, -ago)) }
	var portal int64
	for _, d := range demoChannels {
		c := channel.Channel{UnitID: unitID, Kind: d.Kind, Class: d.Class, Name: d.Name, URL: d.URL, Account: d.Acct, Location: d.Location,
			OrgID: nodes[d.Org], ResponsibleID: users[d.Owner], ReviewerID: users[d.Reviewer], Method: channel.MethodManual, Status: channel.Running}
		if d.Kind == channel.Column {
			c.ParentID = portal
		}
		if d.FilingNo != "" {
			c.FilingNo, c.FilingDate = d.FilingNo, "2023-01-10"
		}
		if err := svc.CreateChannel(ctx, actor, sc, &c); err != nil {
			return fmt.Errorf("demo channel %s: %w", d.Name, err)
		}
		if d.Kind == channel.Portal {
			portal = c.ID
		}
		if d.Renamed != "" {
			next := c
			next.Name = d.Renamed
			if _, err := svc.UpdateChannel(ctx, actor, sc, c.ID, next, channel.Filing{Day: day(30), Note: "账号名称调整"}); err != nil {
				return fmt.Errorf("demo rename %s: %w", d.Name, err)
			}
		}
		if d.Ago < 0 {
			continue
		}
		// A year of what a check would have seen: one item every Every days
		// up to the last update.
		var dates []string
		if d.Every > 0 {
			for ago := d.Ago; ago <= 365; ago += d.Every {
				dates = append(dates, day(ago))
			}
		} else {
			dates = []string{day(d.Ago)}
		}
		res := channel.Result{ChannelID: c.ID, UnitID: unitID, At: now.Add(-time.Hour).Unix(), OK: true, Millis: 380, StatusCode: 200, Dates: dates}
		if _, err := s.SaveCheck(ctx, c, res, channel.Fresh{}); err != nil {
			return fmt.Errorf("demo history %s: %w", d.Name, err)
		}
		if _, err := svc.RecordManualCheck(ctx, actor, sc, c.ID, day(d.Ago), ""); err != nil {
			return fmt.Errorf("demo manual check %s: %w", d.Name, err)
		}
	}
	// A week of hourly visits of the portal's homepage, two of them slow
	// (2 of 168: the 站点无法访问 indicator passes, with figures to show).
	if portal != 0 {
		for d := 1; d <= channel.AvailWindowDays; d++ {
			start, _ := channel.DayStart(now.AddDate(0, 0, -d))
			for slot := 0; slot < channel.ProbesPerDay; slot++ {
				sm := channel.Sample{At: start + int64(slot)*3600 + 1260, Millis: 300 + 37*slot, Status: 200, OK: true}
				if d == 3 && slot == 10 || d == 5 && slot == 15 {
					sm.Millis = 15400
				}
				if err := s.RecordSample(ctx, portal, unitID, sm); err != nil {
					return fmt.Errorf("demo visits: %w", err)
				}
			}
		}
	}
	// This quarter's 阵地检查, under way: the clerk has checked the first
	// items; the 宣传栏 failed.
	period, _ := channel.Quarter(now)
	in := channel.Inspection{UnitID: unitID, Kind: channel.Position, Period: period, InspectorID: clerk.ID, RespID: users[uDirect]}
	if err := svc.CreateInspection(ctx, actor, sc, &in); err != nil {
		return fmt.Errorf("demo inspection: %w", err)
	}
	for i, it := range in.Items {
		result, note := channel.ResultPass, ""
		if it.ChannelName == "一楼大厅宣传栏" {
			result, note = channel.ResultFail, "展示内容仍为上季度，部分版面褪色"
		}
		if i >= len(in.Items)-2 {
			break
		}
		if err := svc.SetInspectionResult(ctx, actor, sc, in.ID, it.ID, result, note); err != nil {
			return fmt.Errorf("demo inspection result: %w", err)
		}
	}
	return nil
}
