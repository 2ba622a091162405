package form

import (
	"net/url"
	"strings"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/meeting"
)

// Meeting reads the 会议通知 form: type, node, title, place, agenda,
// topics, plan item, date ("2026-12-08"), start and end ("09:00") in zone,
// and the attendees (user ids, "attendees"). The unit is the caller's to
// set. A date or time that does not parse is a field error; the rest is
// meeting.Meeting.Validate's to judge.
func Meeting(v url.Values, zone *time.Location) (meeting.Meeting, error) {
	m := meeting.Meeting{
		Type: v.Get("type"), OrgID: ID(v, "org_id"), Title: v.Get("title"), Place: v.Get("place"),
		Agenda: v.Get("agenda"), RequiredTopics: v["topics"], PlanItemID: ID(v, "plan_item_id"),
	}
	for _, s := range v["attendees"] {
		if id := ParseID(s); id > 0 {
			m.Attendees = append(m.Attendees, meeting.Attendee{UserID: id})
		}
	}
	var errs apperr.Errors
	date := strings.TrimSpace(v.Get("date"))
	day, err := time.ParseInLocation("2006-01-02", date, zone)
	if date == "" {
		errs = append(errs, apperr.Field("日期", "不能为空"))
	} else if err != nil {
		errs = append(errs, apperr.Field("日期", "格式应为 2026-12-08"))
	}
	clock := func(field, name string) time.Time {
		s := strings.TrimSpace(v.Get(name))
		t, err := time.Parse("15:04", s)
		switch {
		case s == "":
			errs = append(errs, apperr.Field(field, "不能为空"))
		case err != nil:
			errs = append(errs, apperr.Field(field, "格式应为 09:30"))
		case !day.IsZero():
			return day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
		}
		return time.Time{}
	}
	m.Start = clock("开始时间", "start")
	m.End = clock("结束时间", "end")
	return m, errs.OrNil()
}
