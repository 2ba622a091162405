package form

import (
	"net/url"
	"strconv"
	"strings"

	"zhendi/internal/report"
)

// ReportRequest names a report in a query or form: kind, period, unit
// and, for a 述职 section, subject (the leader's user id). Kind and period
// are kept as posted for report.ParseKind and ledger.ParsePeriod.
type ReportRequest struct {
	Kind, Period  string
	Unit, Subject int64
}

// ParseReportRequest reads the kind, period, unit and subject values.
func ParseReportRequest(v url.Values) ReportRequest {
	return ReportRequest{Kind: v.Get("kind"), Period: v.Get("period"), Unit: ID(v, "unit"), Subject: ID(v, "subject")}
}

// ReportEdit is the edit form of a report page (POST /reports/save).
type ReportEdit struct {
	// Refresh (action=refresh) takes the figures from current data; a
	// plain save keeps those of the version that was edited.
	Refresh bool
	// Version (v) is the saved version that was edited; 0 the latest.
	Version int
	Note    string
	// Edit holds the title, each block's text posted as b<index> and the
	// blocks ticked w<index>=1 to keep as the unit's own wording.
	Edit report.Edit
}

// ParseReportEdit reads the edit form. Only fields named exactly b<n> and
// w<n> (n in decimal without leading zeros, as the page writes them) count
// as block fields; the first value of each is taken.
func ParseReportEdit(v url.Values) ReportEdit {
	e := ReportEdit{Refresh: v.Get("action") == "refresh", Version: Int(v, "v"), Note: Text(v, "note"),
		Edit: report.Edit{Title: Text(v, "title"), Texts: map[int]string{}, Own: map[int]bool{}}}
	for key, vals := range v {
		if len(vals) == 0 {
			continue
		}
		if i, ok := blockIndex(key, "b"); ok {
			e.Edit.Texts[i] = vals[0]
		} else if i, ok := blockIndex(key, "w"); ok && vals[0] == "1" {
			e.Edit.Own[i] = true
		}
	}
	return e
}

// blockIndex reads n from a field named prefix+n.
func blockIndex(key, prefix string) (int, bool) {
	digits, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || strconv.Itoa(n) != digits {
		return 0, false
	}
	return n, true
}
