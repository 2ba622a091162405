package channel

import (
	"fmt"
	"strings"
)

// Result is what one automatic check of a channel saw.
type Result struct {
	ChannelID  int64
	UnitID     int64
	At         int64 // Unix
	OK         bool  // the page (or feed) was fetched and read
	Millis     int
	StatusCode int
	Error      string
	// Dates are the publication dates found, newest first (Listing.Dates).
	Dates []string
	// MessagesRead: an interaction column's message rule read its page,
	// and Unanswered is the oldest unanswered message's date ("" = none),
	// which replaces the one recorded.
	MessagesRead bool
	// NotVisited: the page was not fetched (robots.txt), so the check is
	// no availability visit.
	NotVisited bool
	Unanswered string
	// Findings are every problem the check sees now; a finding open from an
	// earlier check and not among these is gone (see the store's SaveCheck).
	Findings []Finding
}

// Newest is the latest publication date the check saw.
func (r Result) Newest() string {
	if len(r.Dates) == 0 {
		return ""
	}
	return r.Dates[0]
}

// PerDay counts the items found per publication day (the update-frequency
// chart).
func (r Result) PerDay() map[string]int {
	out := map[string]int{}
	for _, d := range r.Dates {
		out[d]++
	}
	return out
}

// Transient reports whether a finding of this kind may be a passing network
// blip: it becomes a rectification item only when a later check confirms
// it (ConfirmAfter).
func (k FindingKind) Transient() bool { return k == FUnreachable || k == FSlow || k == FDeadLink }

// ConfirmAfter is how long after its first sighting a transient finding
// must be seen again to become a rectification item.
const ConfirmAfter = 3600

// NewFinding makes a finding with its key: kind, page and sentence, so the
// same problem seen again is the same finding.
func NewFinding(c Channel, kind FindingKind, page, sentence, detail string, serious bool) Finding {
	key := string(kind) + "|" + page + "|" + sentence
	if len(key) > 400 {
		key = key[:400]
	}
	return Finding{ChannelID: c.ID, UnitID: c.UnitID, Kind: kind, Key: key, PageURL: page, Sentence: sentence, Detail: detail, Serious: serious, Status: "open", ChannelName: c.Name}
}

// StaleFinding is the finding for a channel past its limit (nil when it is
// not): one per channel, keyed without the date so it stays one finding
// while the channel stays stale.
func StaleFinding(c Channel, f Fresh) *Finding {
	if !f.Stale {
		return nil
	}
	detail := fmt.Sprintf("%s，超过更新期限%s（%s）", f.DaysText(), f.Rule.LimitText(), f.Rule.Source)
	if f.Days < 0 {
		detail = "未找到注明发布日期的信息，按指标视为不更新（期限" + f.Rule.LimitText() + "）"
	}
	fd := NewFinding(c, FStale, c.URL, "", detail, false)
	return &fd
}

// RectTitle is the rectification item's title for a finding.
func (f Finding) RectTitle() string {
	t := "【阵地】" + f.ChannelName + "：" + f.Kind.Label()
	if f.Sentence != "" {
		t += "——" + truncate(f.Sentence, 60)
	}
	return truncate(t, 190)
}

// RectMeasures describes the finding for the rectification item.
func (f Finding) RectMeasures() string {
	var b strings.Builder
	b.WriteString(f.Detail)
	if f.PageURL != "" {
		b.WriteString("\n页面：" + f.PageURL)
	}
	if f.Sentence != "" {
		b.WriteString("\n原句：" + f.Sentence)
	}
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
