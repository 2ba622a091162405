package form

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestMeetingForm(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	v := url.Values{"type": {"central_group"}, "org_id": {"3"}, "title": {"学习"}, "date": {"2026-12-08"},
		"start": {"09:00"}, "end": {"11:30"}, "attendees": {"5", "6", "x"}}
	m, err := Meeting(v, zone)
	if err != nil {
		t.Fatal(err)
	}
	if m.Start.Format("2006-01-02 15:04") != "2026-12-08 09:00" || m.End.Sub(m.Start) != 150*time.Minute || len(m.Attendees) != 2 || m.OrgID != 3 {
		t.Errorf("%+v", m)
	}
	v.Set("date", "2026/12/08")
	v.Set("end", "25:00")
	_, err = Meeting(v, zone)
	if err == nil || !strings.Contains(err.Error(), "日期：格式应为") || !strings.Contains(err.Error(), "结束时间：格式应为") {
		t.Errorf("bad date and time: %v", err)
	}
}
