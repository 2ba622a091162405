package form

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/store"
)

// OpinionSource reads the 舆情来源 form: the interval is posted in minutes,
// the weight as a decimal (empty: 1). ID and unit are the caller's to set.
func OpinionSource(v url.Values) store.OpinionSource {
	o := store.OpinionSource{
		Kind: Text(v, "kind"), Name: Text(v, "name"), URL: Text(v, "url"),
		IntervalSec: Int(v, "interval_min") * 60, Enabled: Bool(v, "enabled"), Weight: 1,
	}
	if w := strings.TrimSpace(HalfWidthDigits(v.Get("weight"))); w != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(w, "．", "."), 64)
		if err != nil {
			f = 0 // the domain rule names the field
		}
		o.Weight = f
	}
	return o
}

// OpinionScheme reads the 监测方案 form. The active window is posted as
// dates (China time): from the start of the first day to the end of the
// last; an unreadable date is left open. ID and unit are the caller's.
func OpinionScheme(v url.Values) store.OpinionScheme {
	c := store.OpinionScheme{
		Name: Text(v, "name"), Rule: strings.TrimSpace(v.Get("rule")), Scope: Text(v, "scope"),
		SourceIDs: IDs(v, "sources"), Enabled: Bool(v, "enabled"),
	}
	if c.Scope != "title" && c.Scope != "text" {
		c.Scope = "all"
	}
	if d, err := cntime.ParseDate(Text(v, "from")); err == nil {
		c.ActiveFrom = d.Unix()
	}
	if d, err := cntime.ParseDate(Text(v, "until")); err == nil {
		c.ActiveUntil = d.Add(24 * time.Hour).Unix()
	}
	return c
}

// OpinionItemFilter reads the item list's query string for unitID.
func OpinionItemFilter(v url.Values, unitID int64) store.ItemFilter {
	f := store.ItemFilter{
		UnitID: unitID, Query: Text(v, "q"), SourceID: ID(v, "source"), SchemeID: ID(v, "scheme"),
		Grouped: v.Get("all") == "", Offset: max(0, Int(v, "page")-1) * 50, Limit: 50,
	}
	if d, err := cntime.ParseDate(Text(v, "from")); err == nil {
		f.From = d.Unix()
	}
	if d, err := cntime.ParseDate(Text(v, "to")); err == nil {
		f.To = d.Add(24 * time.Hour).Unix()
	}
	if v.Get("negative") != "" {
		f.MinNegativity = 0.2
	}
	return f
}
