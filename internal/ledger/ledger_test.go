package ledger

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"zhendi/internal/cntime"
)

var today = time.Date(2023, 7, 5, 0, 0, 0, 0, time.UTC)

func TestValidate(t *testing.T) {
	ok := func() Activity {
		return Activity{Type: CentralGroup, Title: "学习", Date: "2023-06-01"}
	}
	cases := []struct {
		name  string
		edit  func(*Activity)
		field string
	}{
		{"valid", func(*Activity) {}, ""},
		{"unknown type", func(a *Activity) { a.Type = "x" }, "类型"},
		{"empty title", func(a *Activity) { a.Title = "  " }, "主题"},
		{"long title", func(a *Activity) { a.Title = strings.Repeat("学", 201) }, "主题"},
		{"bad date", func(a *Activity) { a.Date = "2023-13-01" }, "日期"},
		{"future date", func(a *Activity) { a.Date = "2023-07-06" }, "日期"},
		{"bad time", func(a *Activity) { a.StartTime = "25:00" }, "开始时间"},
		{"negative duration", func(a *Activity) { a.DurationMin = -1 }, "时长"},
		{"lecture needs lecturer", func(a *Activity) { a.Type = PartyLecture }, "授课人"},
		{"preach needs audience", func(a *Activity) { a.Type, a.LeadName = Preach, "张三" }, "宣讲对象"},
		{"bad audience", func(a *Activity) { a.Type, a.LeadName, a.AudienceType = Preach, "张三", "路人" }, "宣讲对象"},
		{"topic study needs agenda", func(a *Activity) { a.Type = TopicStudy }, "议题"},
		{"absent needs reason", func(a *Activity) {
			a.Attendance = []Attendance{{UserID: 1, Name: "王五", Status: "absent"}}
		}, "缺席原因"},
		{"duplicate attendee", func(a *Activity) {
			a.Attendance = []Attendance{{UserID: 1, Name: "王五", Status: "present"}, {UserID: 1, Name: "王五", Status: "present"}}
		}, "参加人员"},
		{"unknown topic", func(a *Activity) { a.RequiredTopics = []string{"nope"} }, "必修专题"},
	}
	for _, c := range cases {
		a := ok()
		c.edit(&a)
		err := a.Validate(today)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var es Errors
		if !errors.As(err, &es) || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: want error on %s, got %v", c.name, c.field, err)
		}
	}
}

func TestValidateDropsFieldsTheTypeDoesNotUse(t *testing.T) {
	a := Activity{Type: Reflection, Title: "心得", Date: "2023-06-01", LeadName: "张三", AudienceType: "基层", Agenda: "x",
		Attendance: []Attendance{{UserID: 1, Status: "present"}}}
	if err := a.Validate(today); err != nil {
		t.Fatal(err)
	}
	if a.AudienceType != "" || a.Agenda != "" || a.Attendance != nil {
		t.Fatalf("unused fields kept: %+v", a)
	}
}

func TestParsePeriod(t *testing.T) {
	cases := map[string][3]string{
		"2023H1":  {"2023-01-01", "2023-06-30", "2023年上半年"},
		"2023h2":  {"2023-07-01", "2023-12-31", "2023年下半年"},
		"2024":    {"2024-01-01", "2024-12-31", "2024年"},
		"2024Q1":  {"2024-01-01", "2024-03-31", "2024年第一季度"},
		"2024-02": {"2024-02-01", "2024-02-29", "2024年2月"},
	}
	for key, want := range cases {
		p, err := ParsePeriod(key)
		if err != nil || p.From != want[0] || p.To != want[1] || p.Label != want[2] {
			t.Errorf("%s: %+v %v", key, p, err)
		}
	}
	for _, bad := range []string{"", "23H1", "2023H3", "2023-13", "abcd", "2023Q5"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFilterURLRoundTrip(t *testing.T) {
	f := Filter{UnitID: 3, From: "2023-01-01", To: "2023-06-30", Types: []string{PartyLecture}, LeadIsLeader: true,
		AudienceType: "服务对象", Q: "二十大", Topic: "ershida", Late: 7, SpeakerID: 9, Page: 2}
	u, err := url.Parse(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	g := ParseFilter(u.Query())
	if !reflect.DeepEqual(f, g) {
		t.Fatalf("round trip:\n%+v\n%+v", f, g)
	}
	// Unknown types and topics are dropped, not passed to SQL.
	h := ParseFilter(url.Values{"type": {"drop table"}, "topic": {"x"}, "from": {"2023-1-1"}})
	if len(h.Types) != 0 || h.Topic != "" || h.From != "" {
		t.Fatalf("junk kept: %+v", h)
	}
}

func TestLateDays(t *testing.T) {
	a := Activity{Date: "2023-03-10", CreatedAt: time.Date(2023, 3, 17, 17, 0, 0, 0, cntime.Zone).Unix()}
	if d := a.LateDays(cntime.Zone); d != 7 {
		t.Fatalf("late days %d", d)
	}
}

func TestSplitList(t *testing.T) {
	got := SplitList("张三、李四，王五，张三；赵六")
	want := []string{"张三", "李四", "王五", "赵六"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%v", got)
	}
}
