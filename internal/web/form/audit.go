package form

import (
	"net/url"
	"strconv"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// AuditQuery is the audit page's filter (GET), also used by its export.
type AuditQuery struct {
	From, To   string // dates as typed, YYYY-MM-DD; To is inclusive
	FromT, ToT time.Time
	ActorID    int64
	Action     string
	ObjectType string
	ObjectID   int64
	BeforeID   int64
}

// Audit reads the filter. A date that is not a date is a user error naming
// the field; an end before the start as well.
func Audit(v url.Values) (AuditQuery, error) {
	q := AuditQuery{From: Text(v, "from"), To: Text(v, "to"), ActorID: ID(v, "actor"), Action: Text(v, "action"),
		ObjectType: Text(v, "type"), ObjectID: ID(v, "id"), BeforeID: ID(v, "before")}
	var errs apperr.Errors
	if q.From != "" {
		t, err := cntime.ParseDate(q.From)
		if err != nil {
			errs = append(errs, apperr.Field("开始日期", "应为日期，如 2023-01-31"))
		}
		q.FromT = t
	}
	if q.To != "" {
		t, err := cntime.ParseDate(q.To)
		if err != nil {
			errs = append(errs, apperr.Field("结束日期", "应为日期，如 2023-06-30"))
		} else {
			q.ToT = t.AddDate(0, 0, 1) // the whole end day
		}
	}
	if len(errs) == 0 && !q.FromT.IsZero() && !q.ToT.IsZero() && !q.ToT.After(q.FromT) {
		errs = append(errs, apperr.Field("结束日期", "不能早于开始日期"))
	}
	return q, errs.OrNil()
}

// Values is the filter as query parameters (for paging and export links),
// without the paging position.
func (q AuditQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("from", q.From)
	set("to", q.To)
	set("action", q.Action)
	set("type", q.ObjectType)
	if q.ActorID != 0 {
		v.Set("actor", strconv.FormatInt(q.ActorID, 10))
	}
	if q.ObjectID != 0 {
		v.Set("id", strconv.FormatInt(q.ObjectID, 10))
	}
	return v
}
