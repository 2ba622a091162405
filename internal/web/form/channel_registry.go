package form

import (
	"net/url"

	"zhendi/internal/channel"
)

// Registry forms of the 阵地 module (not to be confused with Channels in
// channels.go, the reminder delivery settings).

// ChannelEntry reads the 阵地 registration form. The unit is the caller's to
// set (a new channel's comes as "unit", see ChannelUnit).
func ChannelEntry(v url.Values) channel.Channel {
	return channel.Channel{
		Kind: channel.Kind(Text(v, "kind")), Class: channel.Class(Text(v, "class")), Name: Text(v, "name"), URL: Text(v, "url"),
		Account: Text(v, "account"), Location: Text(v, "location"), OrgID: ID(v, "org_id"), ParentID: ID(v, "parent_id"),
		ResponsibleID: ID(v, "responsible_id"), ReviewerID: ID(v, "reviewer_id"), Purpose: Text(v, "purpose"),
		FilingDate: HalfWidthDigits(Text(v, "filing_date")), FilingNo: Text(v, "filing_no"), Status: channel.Status(Text(v, "status")),
		Method: channel.Method(Text(v, "method")), FeedURL: Text(v, "feed_url"), DateRule: v.Get("date_rule"),
		UnansweredSince: HalfWidthDigits(Text(v, "unanswered_since")),
	}
}

// ChannelUnit is the unit a new channel is for.
func ChannelUnit(v url.Values) int64 { return ID(v, "unit") }

// ChannelFiling reads the 报备 given with an edit that renames or changes
// the status of a channel.
func ChannelFiling(v url.Values) channel.Filing {
	return channel.Filing{Day: HalfWidthDigits(Text(v, "change_day")), No: Text(v, "change_no"), Date: HalfWidthDigits(Text(v, "change_date")), Note: Text(v, "change_note")}
}

// ChannelRule reads a unit's update-rule version: the limit as days or
// months ("unit" = "day" or "month").
func ChannelRule(v url.Values) channel.Rule {
	r := channel.Rule{Kind: channel.Kind(Text(v, "kind")), Class: channel.Class(Text(v, "class")), ValidFrom: HalfWidthDigits(Text(v, "valid_from"))}
	n := Int(v, "limit")
	if Text(v, "per") == "month" {
		r.Months = n
	} else {
		r.Days = n
	}
	return r
}
