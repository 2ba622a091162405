package form

import (
	"net/url"

	"zhendi/internal/supervise"
)

// Rule reads the supervision rule form (督导规则): a new version of an
// obligation of the posted unit, or a new obligation when key is empty.
func Rule(v url.Values) supervise.Rule {
	return supervise.Rule{UnitID: ID(v, "unit"), Key: Text(v, "key"), Name: v.Get("name"), Subject: v.Get("subject"),
		Type: v.Get("type"), Topic: v.Get("topic"), Count: Int(v, "count"), Period: v.Get("period"), PerPlan: v.Get("per_plan") == "1",
		DueMonth: Int(v, "due_month"), GraceDays: Int(v, "grace_days"), RemindDays: Int(v, "remind_days"),
		RespUserID: ID(v, "resp"), Note: Text(v, "note")}
}

// RuleRetire reads the form that ends an obligation: the unit and the
// rule's key.
func RuleRetire(v url.Values) (unitID int64, key string) {
	return ID(v, "unit"), v.Get("key")
}
