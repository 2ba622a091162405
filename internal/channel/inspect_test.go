package channel

import (
	"testing"
	"time"

	"zhendi/internal/cntime"
)

func TestQuarterAndPeriod(t *testing.T) {
	p, end := Quarter(time.Date(2024, 2, 29, 10, 0, 0, 0, cntime.Zone))
	if p != "2024Q1" || end != "2024-03-31" {
		t.Fatalf("%s %s", p, end)
	}
	if _, end := Quarter(time.Date(2024, 12, 1, 0, 0, 0, 0, cntime.Zone)); end != "2024-12-31" {
		t.Fatalf("Q4 end %s", end)
	}
	if end, err := ParsePeriod("2024Q2"); err != nil || end != "2024-06-30" {
		t.Fatalf("%s %v", end, err)
	}
	for _, bad := range []string{"2024Q5", "2024-Q1", "24Q1", "2024Q01"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if PeriodLabel("2024Q3") != "2024年第3季度" {
		t.Fatal(PeriodLabel("2024Q3"))
	}
}

func TestExpandAndSign(t *testing.T) {
	chs := []Channel{
		{ID: 1, Kind: Board, Name: "大厅宣传栏", Status: Running, Method: MethodManual},
		{ID: 2, Kind: Column, Name: "工作动态", Status: Running, Method: MethodListing},
		{ID: 3, Kind: Column, Name: "旧栏目", Status: Closed, Method: MethodListing},
		{ID: 4, Kind: Column, Name: "人工栏目", Status: Running, Method: MethodManual},
	}
	items := Expand(DefaultChecklist(Position), chs)
	var col, board, unit int
	for _, it := range items {
		switch {
		case it.ChannelID == 2:
			col++
			if it.Auto != AutoFresh {
				t.Errorf("automatic column item without its re-check: %+v", it)
			}
		case it.ChannelID == 4:
			if it.Auto != "" {
				t.Errorf("a manually checked column has no automatic re-check: %+v", it)
			}
		case it.ChannelID == 3:
			t.Error("closed channel inspected")
		case it.ChannelID == 1:
			board++
		case it.ChannelID == 0:
			unit++
		}
	}
	if col != 1 || board != 1 || unit != 1 {
		t.Fatalf("column %d board %d unit %d: %+v", col, board, unit, items)
	}
	in := Inspection{InspectorID: 5, RespID: 6, Items: []InspItem{{Result: ResultPass}, {Result: ""}}}
	if _, err := in.Sign(5); err == nil {
		t.Fatal("inspector signed with an item unchecked")
	}
	in.Items[1].Result = ResultFail
	if who, err := in.Sign(5); err != nil || who != "inspector" {
		t.Fatalf("inspector: %s %v", who, err)
	}
	in.InspectorAt = 1
	if _, err := in.Sign(5); err == nil {
		t.Fatal("the inspector signed as the responsible person")
	}
	if _, err := in.Sign(7); err == nil {
		t.Fatal("someone else signed as the responsible person")
	}
	if who, err := in.Sign(6); err != nil || who != "resp" {
		t.Fatalf("resp: %s %v", who, err)
	}
	in.RespAt = 2
	if !in.Signed() || in.Overdue("2099-01-01") {
		t.Fatal("signed inspection overdue")
	}
	if (Inspection{Due: "2024-03-31"}).Overdue("2024-04-01") != true {
		t.Fatal("unsigned past due must be overdue")
	}
}
