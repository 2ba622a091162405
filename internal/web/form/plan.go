package form

import (
	"net/url"

	"zhendi/internal/ledger"
)

// PlanItem reads the study-plan item form. ID and unit are the caller's to
// set (the unit of a new item comes as "unit", see PlanUnit).
func PlanItem(v url.Values) ledger.PlanItem {
	return ledger.PlanItem{
		Year: Int(v, "year"), Month: Int(v, "month"), Topic: v.Get("topic"),
		RequiredTopics: v["topics"], Form: v.Get("form"), SpeakerID: ID(v, "speaker_id"),
		SpeakerName: v.Get("speaker_name"), Note: v.Get("note"),
	}
}

// PlanUnit is the unit a new plan item is for.
func PlanUnit(v url.Values) int64 { return ID(v, "unit") }
