package channel

import (
	"strings"
	"testing"
)

// A 留言 listing as county sites publish them: a table, one row a message,
// with the status and the reply date in their own cells.
const tablePage = `<html><body><div class="nav">2024-03-01 更新</div>
<table class="lylist"><tr><th>标题</th><th>留言时间</th><th>状态</th><th>回复时间</th></tr>
<tr><td><a href="/ly/101.html">关于小区门口路灯不亮的反映</a></td><td>2024-03-20</td><td>未回复</td><td></td></tr>
<tr><td><a href="/ly/100.html">咨询农村低保申请条件</a></td><td>2023-12-27</td><td><span class="red">未回复</span></td><td></td></tr>
<tr><td><a href="/ly/99.html">建议增设公交站点</a></td><td>2023-12-28</td><td>办理中</td><td></td></tr>
<tr><td><a href="/ly/98.html">关于养老保险转移的咨询</a></td><td>2023-10-08</td><td>已回复</td><td>2024-02-20</td></tr>
<tr><td><a href="/ly/97.html">噪音扰民</a></td><td>2023-09-01</td><td>已回复</td><td>2023-09-05</td></tr>
<tr><td>（无日期的置顶说明）</td></tr>
</table><div class="foot">版权所有 2024-12-31</div></body></html>`

// A 咨询 list where each item says 留言时间 and, once answered, 回复时间.
const listPage = `<ul class="zx">
<li><a href="/zx/1">关于办理居住证的咨询</a><p>留言时间：2024年1月2日</p><p>回复时间：2024年1月9日</p></li>
<li><a href="/zx/2">关于企业开办流程的咨询</a><p>留言时间：2023年11月5日</p></li>
<li><a href="/zx/3">公积金提取</a><p>留言时间：2023年12月28日</p></li>
</ul>`

func TestMessageRuleTable(t *testing.T) {
	r, err := ParseMessageRule("start: <table class=\"lylist\">\nend: </table>\nitem: <tr\nanswered: 已回复\npending: 未回复|办理中")
	if err != nil {
		t.Fatal(err)
	}
	ms := r.Extract(tablePage, day("2024-03-28"))
	if len(ms.List) != 5 || ms.Undated != 2 { // header row and the undated note
		t.Fatalf("messages %+v undated %d", ms.List, ms.Undated)
	}
	want := []struct {
		date     string
		answered bool
		reply    string
		overdue  bool
	}{
		{"2024-03-20", false, "", false},
		{"2023-12-27", false, "", true},  // 3 months and a day on 2024-03-28
		{"2023-12-28", false, "", false}, // exactly 3 months: not yet past
		{"2023-10-08", true, "2024-02-20", false},
		{"2023-09-01", true, "2023-09-05", false},
	}
	for i, w := range want {
		m := ms.List[i]
		if m.Date != w.date || m.Answered != w.answered || m.Reply != w.reply || m.Overdue("2024-03-28") != w.overdue {
			t.Errorf("message %d: %+v overdue %v, want %+v", i, m, m.Overdue("2024-03-28"), w)
		}
	}
	if ms.List[0].Title != "关于小区门口路灯不亮的反映" {
		t.Errorf("title %q", ms.List[0].Title)
	}
	if !ms.List[3].Late() || ms.List[4].Late() {
		t.Error("the reply 4.5 months later is late, the one after 4 days is not")
	}
	if ms.OldestUnanswered() != "2023-12-27" {
		t.Errorf("oldest unanswered %s", ms.OldestUnanswered())
	}
}

func TestMessageRuleReplyDates(t *testing.T) {
	// No status text: a reply date makes a message answered.
	r, err := ParseMessageRule("item: <li\ndate: 留言时间：(\\d{4})年(\\d+)月(\\d+)日\nreply: 回复时间：(\\d{4})年(\\d+)月(\\d+)日")
	if err != nil {
		t.Fatal(err)
	}
	ms := r.Extract(listPage, day("2024-03-28"))
	if len(ms.List) != 3 {
		t.Fatalf("messages %+v", ms.List)
	}
	if m := ms.List[0]; !m.Answered || m.Reply != "2024-01-09" || m.Date != "2024-01-02" {
		t.Errorf("first %+v", m)
	}
	if m := ms.List[1]; m.Answered || !m.Overdue("2024-03-28") || m.Title != "关于企业开办流程的咨询" {
		t.Errorf("second %+v", m)
	}
	if m := ms.List[2]; m.Answered || m.Overdue("2024-03-28") || !m.Overdue("2024-03-29") {
		t.Errorf("third %+v: overdue from 2024-03-29", m)
	}
	// Without a reply pattern, a second date in the item is the reply.
	r2, _ := ParseMessageRule("item: <li")
	if m := r2.Extract(listPage, day("2024-03-28")).List[0]; !m.Answered || m.Reply != "2024-01-09" {
		t.Errorf("second date as reply: %+v", m)
	}
}

func TestMessageRuleErrors(t *testing.T) {
	for src, want := range map[string]string{
		"answered: 已回复":           "item",
		"item: <tr\npending: (":   "第 2 行",
		"item: <tr\nfoo: 1":       "未知指令",
		"item: <tr\ndate: (\\d+)": "留言日期",
		"item <tr":                "第 1 行",
		strings.Repeat("x", 3000): "过长",
	} {
		if _, err := ParseMessageRule(src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.30q: %v, want %q", src, err, want)
		}
	}
	if _, err := ParseMessageRule(DefaultMessageRule); err != nil {
		t.Errorf("default rule: %v", err)
	}
}

func FuzzMessageRule(f *testing.F) {
	f.Add(DefaultMessageRule, tablePage)
	f.Add("item: <li\nreply: 回复时间：(\\d{4})年(\\d+)月(\\d+)日", listPage)
	f.Fuzz(func(t *testing.T, rule, page string) {
		r, err := ParseMessageRule(rule)
		if err != nil {
			return
		}
		ms := r.Extract(page, day("2024-03-28"))
		if len(ms.List) > MaxMessages {
			t.Fatalf("%d messages", len(ms.List))
		}
		for _, m := range ms.List {
			if m.Date == "" || m.Date > "2024-03-28" || !m.Answered && m.Reply != "" {
				t.Fatalf("message %+v", m)
			}
		}
	})
}

func TestDefaultMessageRule(t *testing.T) {
	r, err := ParseMessageRule(DefaultMessageRule)
	if err != nil {
		t.Fatal(err)
	}
	ms := r.Extract(tablePage, day("2024-03-28"))
	if len(ms.List) != 5 || ms.OldestUnanswered() != "2023-12-27" || ms.List[2].Answered || !ms.List[3].Answered {
		t.Errorf("default rule on the table page: %+v", ms)
	}
}
