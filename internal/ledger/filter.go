package ledger

import (
	"net/url"
	"strconv"
	"strings"
)

// Filter selects ledger entries. The same Filter drives the list page, the
// Excel export and every figure on the home page, so a figure and the list
// behind its link are computed by one query.
type Filter struct {
	UnitID       int64
	From, To     string // YYYY-MM-DD inclusive
	Types        []string
	OrgID        int64  // organising department/branch
	PersonID     int64  // led or attended (present)
	LeadID       int64  // led, lectured or wrote it
	SpeakerID    int64  // led it or gave a 中心发言
	Topic        string // required topic code
	AudienceType string
	LeadIsLeader bool // led by a member of the unit's leadership (党组成员上党课)
	Late         int  // recorded at least this many days after the activity (imported history never is)
	History      bool // only imported history (entries dated before the unit recorded in the system)
	// AtSource keeps entries recorded at the source: turned from a meeting
	// announced in advance at which someone signed in with the code.
	AtSource bool
	// Counted leaves out entries that do not count yet: a report type
	// (分析研判) without its report document (缺报告文档). Figures set it.
	Counted bool
	Q       string
	Deleted bool // the recycle bin instead of live entries
	Page    int
	PerPage int
}

// Values encodes the filter for a URL.
func (f Filter) Values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" && val != "0" {
			v.Set(k, val)
		}
	}
	set("unit", strconv.FormatInt(f.UnitID, 10))
	set("from", f.From)
	set("to", f.To)
	for _, t := range f.Types {
		v.Add("type", t)
	}
	set("org", strconv.FormatInt(f.OrgID, 10))
	set("person", strconv.FormatInt(f.PersonID, 10))
	set("lead", strconv.FormatInt(f.LeadID, 10))
	set("speaker", strconv.FormatInt(f.SpeakerID, 10))
	set("topic", f.Topic)
	set("audience", f.AudienceType)
	if f.LeadIsLeader {
		v.Set("leader", "1")
	}
	set("late", strconv.Itoa(f.Late))
	if f.History {
		v.Set("history", "1")
	}
	if f.Counted {
		v.Set("counted", "1")
	}
	if f.AtSource {
		v.Set("source", "1")
	}
	set("q", f.Q)
	if f.Deleted {
		v.Set("deleted", "1")
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	return v
}

// URL is the ledger list link for this filter.
func (f Filter) URL() string {
	q := f.Values().Encode()
	if q == "" {
		return "/ledger"
	}
	return "/ledger?" + q
}

// ParseFilter reads a filter from URL query values, ignoring what does not parse.
func ParseFilter(v url.Values) Filter {
	id := func(k string) int64 {
		n, _ := strconv.ParseInt(v.Get(k), 10, 64)
		if n < 0 {
			return 0
		}
		return n
	}
	f := Filter{
		UnitID: id("unit"), From: dateOrEmpty(v.Get("from")), To: dateOrEmpty(v.Get("to")),
		OrgID: id("org"), PersonID: id("person"), LeadID: id("lead"), SpeakerID: id("speaker"), Topic: v.Get("topic"), AudienceType: v.Get("audience"),
		LeadIsLeader: v.Get("leader") == "1", Q: strings.TrimSpace(v.Get("q")), Deleted: v.Get("deleted") == "1",
		Late: int(id("late")), History: v.Get("history") == "1", Counted: v.Get("counted") == "1", Page: int(id("page")),
		AtSource: v.Get("source") == "1",
	}
	if p := v.Get("period"); p != "" {
		if per, err := ParsePeriod(p); err == nil {
			f.From, f.To = per.From, per.To
		}
	}
	for _, t := range v["type"] {
		if _, ok := TypeByCode(t); ok {
			f.Types = append(f.Types, t)
		}
	}
	if TopicLabel(f.Topic) == f.Topic {
		f.Topic = ""
	}
	if f.Page < 1 {
		f.Page = 1
	}
	return f
}

func dateOrEmpty(s string) string {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return s
	}
	return ""
}
