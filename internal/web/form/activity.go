package form

import (
	"net/url"
	"strconv"
	"strings"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Activity reads the ledger entry form. Attendance comes as
// att_<userID> = present|absent, reason_<userID> and spk_<userID>=1, for
// the people of staff (the unit's, in their order); anyone else posted is
// ignored. A lead picked from the staff list (lead_id) wins over a typed
// name (lead_name). Type, ID and unit are the caller's to set.
func Activity(v url.Values, staff []org.User) ledger.Activity {
	a := ledger.Activity{
		Type: v.Get("type"), OrgID: ID(v, "org"), Title: v.Get("title"), Date: Text(v, "date"),
		StartTime: Text(v, "start_time"), DurationMin: Int(v, "duration"), Place: v.Get("place"),
		LeadID: ID(v, "lead_id"), LeadName: v.Get("lead_name"), HostID: ID(v, "host_id"),
		AudienceType: v.Get("audience_type"), AudienceCount: Int(v, "audience_count"), Agenda: Text(v, "agenda"),
		Content: Text(v, "content"), LateReason: Text(v, "late_reason"), Tags: ledger.SplitList(v.Get("tags")), RequiredTopics: v["topics"],
		PlanItemID: ID(v, "plan_item"),
	}
	if a.LeadID != 0 {
		a.LeadName = ""
	}
	for _, u := range staff {
		id := strconv.FormatInt(u.ID, 10)
		st := v.Get("att_" + id)
		if st != "present" && st != "absent" {
			continue
		}
		a.Attendance = append(a.Attendance, ledger.Attendance{UserID: u.ID, Name: u.Name, Status: st,
			Reason: strings.TrimSpace(v.Get("reason_" + id)), Speaker: v.Get("spk_"+id) == "1" && st == "present"})
	}
	return a
}
