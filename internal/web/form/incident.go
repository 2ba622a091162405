package form

import (
	"net/url"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/incident"
)

// Incident reads the incident form (启动处置 and 修改): title, level,
// discovery time (datetime-local, China time) and summary. A time that
// cannot be read is a user error on 发现时间.
func Incident(v url.Values) (incident.Incident, error) {
	in := incident.Incident{Title: v.Get("title"), Level: v.Get("level"), Summary: Text(v, "summary"), EventID: ID(v, "event")}
	at, err := incident.ParseTime(HalfWidthDigits(v.Get("found_at")), cntime.Zone)
	if err != nil {
		return in, apperr.Field("发现时间", "时间格式无效")
	}
	in.FoundAt = at
	return in, nil
}

// IncidentStep reads a step's form: owner, notes, the response text and
// release times (回应), and whether to complete the step and when.
func IncidentStep(v url.Values) (incident.StepInput, error) {
	in := incident.StepInput{OwnerID: ID(v, "owner"), Note: v.Get("note"), Text: v.Get("text"), Done: v.Get("action") == "done"}
	for _, f := range []struct {
		key, field string
		dst        *int64
	}{{"authority_at", "权威信息发布时间", &in.AuthorityAt}, {"presser_at", "新闻发布会时间", &in.PresserAt}, {"done_at", "完成时间", &in.DoneAt}} {
		at, err := incident.ParseTime(HalfWidthDigits(v.Get(f.key)), cntime.Zone)
		if err != nil {
			return in, apperr.Field(f.field, "时间格式无效")
		}
		*f.dst = at
	}
	return in, nil
}
