package form

import (
	"net/url"

	"zhendi/internal/supervise"
)

// Rect reads the rectification item form (登记问题 and 修改): the unit is
// read apart by the create form only, the item's id comes from the path.
func Rect(v url.Values) supervise.Rect {
	return supervise.Rect{Title: v.Get("title"), Source: v.Get("source"), OrgID: ID(v, "org"), OwnerID: ID(v, "owner"),
		Measures: v.Get("measures"), Deadline: v.Get("deadline"), Progress: Text(v, "progress")}
}

// RectStep reads a step of the rectification flow and its remark (the
// verifier's note or the reason for sending the item back).
func RectStep(v url.Values) (supervise.Step, string) {
	return supervise.Step(v.Get("step")), v.Get("note")
}
