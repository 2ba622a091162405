package service_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// A county bureau's 咨询 column, served in GBK as many still are: a table
// with the status and reply date per message.
const gbkMessages = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>在线咨询</title></head><body>
<div class="top">2023年07月05日 星期三</div>
<table class="zxlist"><tr><th>咨询标题</th><th>咨询时间</th><th>办理状态</th><th>答复时间</th></tr>
<tr><td><a href="/zx/31.html">关于退役军人优待证办理的咨询</a></td><td>2023-04-10</td><td>待答复</td><td></td></tr>
<tr><td><a href="/zx/30.html">关于农村危房改造补助的咨询</a></td><td>2023-03-01</td><td>待答复</td><td></td></tr>
<tr><td><a href="/zx/29.html">咨询社保卡补办地点</a></td><td>2023-02-01</td><td>已答复</td><td>2023-02-10</td></tr>
</table></body></html>`

func TestMessageRuleReadsGBKColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setupInfo(t, s)
		var mu sync.Mutex
		page := gbkMessages
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/robots.txt" {
				http.NotFound(w, r)
				return
			}
			mu.Lock()
			body, err := simplifiedchinese.GBK.NewEncoder().String(page)
			mu.Unlock()
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Content-Type", "text/html; charset=gbk")
			fmt.Fprint(w, body)
		}))
		t.Cleanup(srv.Close)
		fe := service.NewFetcher()
		fe.Gap = 0
		f.svc.SetFetcher(fe)
		c := channel.Channel{UnitID: f.unitA.ID, Name: "在线咨询", Kind: channel.Column, Class: channel.ClassInteract, URL: srv.URL + "/zx/",
			Method: channel.MethodListing, ResponsibleID: f.clerkA.ID, FilingNo: "备2023-2", FilingDate: "2023-01-01"}
		if err := f.svc.CreateChannel(ctx, f.actor(f.clerkA), f.scA, &c); err != nil {
			t.Fatal(err)
		}
		rule := "start: <table class=\"zxlist\">\nend: </table>\nitem: <tr\nanswered: 已答复\npending: 待答复"
		pv, err := f.svc.PreviewMessageRule(ctx, f.scA, c.ID, rule)
		if err != nil || pv.Error != "" || len(pv.Messages.List) != 3 || pv.Overdue != 1 || pv.Messages.List[1].Title != "关于农村危房改造补助的咨询" {
			t.Fatalf("preview %+v %v", pv, err)
		}
		// A bad rule is a user error naming the field; another unit cannot
		// preview or save.
		if _, err := f.svc.PreviewMessageRule(ctx, f.scA, c.ID, "answered: 已答复"); !apperr.IsUser(err) || !strings.Contains(err.Error(), "留言提取规则") {
			t.Errorf("rule without item: %v", err)
		}
		if _, err := f.svc.PreviewMessageRule(ctx, f.scB, c.ID, rule); err != store.ErrNotFound {
			t.Errorf("unit B previews unit A's column: %v", err)
		}
		if err := f.svc.SaveMessageRule(ctx, f.actor(f.clerkB), f.scB, c.ID, rule); err != store.ErrNotFound {
			t.Errorf("unit B saves unit A's rule: %v", err)
		}
		if err := f.svc.SaveMessageRule(ctx, f.actor(f.clerkA), f.scA, c.ID, rule); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'channel.message_rule'"); n != 1 {
			t.Errorf("%d audit entries for the rule", n)
		}
		// Editing the column's registration keeps the rule.
		next, err := s.Channel(ctx, f.scA, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		next.MessageRule, next.Purpose = "", "接受群众咨询"
		if _, err := f.svc.UpdateChannel(ctx, f.actor(f.clerkA), f.scA, c.ID, next, channel.Filing{}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Channel(ctx, f.scA, c.ID); got.MessageRule != rule || got.Purpose != "接受群众咨询" {
			t.Fatalf("after an edit the rule is %q", got.MessageRule)
		}
		res, err := f.svc.RunChannelChecks(ctx, f.unitA.ID, service.CheckOptions{})
		if err != nil || len(res) != 1 {
			t.Fatalf("check: %v %v", res, err)
		}
		var unanswered []channel.Finding
		for _, x := range res[0].Result.Findings {
			if x.Kind == channel.FUnanswered {
				unanswered = append(unanswered, x)
			}
		}
		if len(unanswered) != 1 || !strings.Contains(unanswered[0].Sentence, "2023-03-01 关于农村危房改造补助的咨询") || !strings.Contains(unanswered[0].Detail, "126 天未回复") {
			t.Errorf("overdue message findings: %+v", unanswered)
		}
		got, err := s.Channel(ctx, f.scA, c.ID)
		if err != nil || got.UnansweredSince != "2023-03-01" {
			t.Fatalf("oldest unanswered recorded: %q %v", got.UnansweredSince, err)
		}
		boards, err := f.svc.ChannelBoards(ctx, f.scA, []int64{f.unitA.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range boards[f.unitA.ID].Vetoes {
			if v.Code == "interact" && !v.Failed {
				t.Errorf("互动回应差 must fail: %+v", v)
			}
		}
		// Both answered: the next check clears the date.
		mu.Lock()
		page = strings.ReplaceAll(page, "<td>待答复</td><td></td>", "<td>已答复</td><td>2023-07-04</td>")
		mu.Unlock()
		if _, err := f.svc.CheckChannelNow(ctx, f.scA, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Channel(ctx, f.scA, c.ID); got.UnansweredSince != "" {
			t.Errorf("all answered, still unanswered since %q", got.UnansweredSince)
		}
	})
}
