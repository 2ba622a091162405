package supervise

import (
	"strings"
	"testing"

	"zhendi/internal/docx"
	"zhendi/internal/ledger"
)

func TestCircular(t *testing.T) {
	rule := presetByKey("topic_study")
	behind := Result{Rule: &rule, Subject: Subject{Kind: SubjectUnit, ID: unitID, Name: "甲局"},
		Period: ledger.Period{Key: "2023", Label: "2023年"}, Deadline: "2023-12-31", Required: 2, Count: 1, Status: AtRisk}
	done := behind
	done.Count, done.Status = 2, Done
	ci := BuildCircular("关于2023年度意识形态工作责任制落实情况的通报", "单位", 2023, "2023-12-05",
		[]CircularGroup{{Name: "甲局", Results: []Result{behind}}, {Name: "乙局", Results: []Result{done}}}, "请整改。")
	if ci.Date != "2023年12月5日" || ci.Units != 2 || len(ci.Good) != 1 || ci.Good[0] != "乙局" || len(ci.Behind) != 1 {
		t.Fatalf("circular: %+v", ci)
	}
	item := "甲局2023年专题研究意识形态工作：应2次，实际1次（截止2023年12月31日，" + AtRisk.Label() + "）"
	if ci.Behind[0].Items[0] != item {
		t.Errorf("item %q, want %q", ci.Behind[0].Items[0], item)
	}
	if strings.Join(ci.Table[0], "|") != "1|甲局|0|0|1" {
		t.Errorf("table row %v", ci.Table[0])
	}
	if !strings.Contains(ci.Intro, "对2个单位2023年度") || !strings.Contains(ci.Intro, "1个单位各项任务按进度落实，1个单位存在") {
		t.Errorf("intro %s", ci.Intro)
	}
	d := ci.Doc()
	var headings []string
	for _, b := range d.Blocks {
		if h, ok := b.(docx.Heading); ok {
			headings = append(headings, h.Text)
		}
	}
	if strings.Join(headings, "/") != "一、总体情况/二、存在的问题/（一）甲局/三、有关要求" {
		t.Errorf("document headings %v", headings)
	}
}

func TestChineseNum(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 12: "十二", 20: "二十", 35: "三十五", 100: "100"} {
		if got := chineseNum(n); got != want {
			t.Errorf("chineseNum(%d) = %s, want %s", n, got, want)
		}
	}
}
