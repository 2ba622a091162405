package form

import (
	"net/url"
	"reflect"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

func TestActivity(t *testing.T) {
	staff := []org.User{{ID: 4, Name: "张专干"}, {ID: 5, Name: "王党员"}, {ID: 6, Name: "李科员"}}
	v := url.Values{
		"type": {ledger.CentralGroup}, "org": {"3"}, "title": {"学习二十大精神"}, "date": {" 2023-07-01 "},
		"start_time": {" 09:30"}, "duration": {"９０"}, "place": {"三楼会议室"}, "lead_id": {"4"}, "lead_name": {"外请专家"},
		"host_id": {"5"}, "audience_type": {"干部职工"}, "audience_count": {"30人"}, "agenda": {" 议题 "},
		"content": {" 纪要 "}, "tags": {"中心组、 专题，中心组"}, "topics": {"ershida", "xiangcun"}, "plan_item": {"12"},
		"att_4": {"present"}, "spk_4": {"1"}, "att_5": {"absent"}, "reason_5": {" 出差 "}, "spk_5": {"1"},
		"att_6": {"maybe"}, "att_99": {"present"}, // unknown status; not on the staff list
	}
	got := Activity(v, staff)
	want := ledger.Activity{
		Type: ledger.CentralGroup, OrgID: 3, Title: "学习二十大精神", Date: "2023-07-01", StartTime: "09:30", DurationMin: 90,
		Place: "三楼会议室", LeadID: 4, HostID: 5, AudienceType: "干部职工", Agenda: "议题", Content: "纪要",
		Tags: []string{"中心组", "专题"}, RequiredTopics: []string{"ershida", "xiangcun"}, PlanItemID: 12,
		Attendance: []ledger.Attendance{
			{UserID: 4, Name: "张专干", Status: "present", Speaker: true},
			{UserID: 5, Name: "王党员", Status: "absent", Reason: "出差"}, // an absentee is never a speaker
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Activity =\n%+v\nwant\n%+v", got, want)
	}
}

func TestActivityOutsideLead(t *testing.T) {
	got := Activity(url.Values{"lead_name": {"某大学李教授"}}, nil)
	if got.LeadID != 0 || got.LeadName != "某大学李教授" || got.Attendance != nil {
		t.Fatalf("outside lead: %+v", got)
	}
}
