package channel

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// MessageRule says how to read an interaction column's messages (留言、咨询)
// from its listing page, for the indicator's 互动回应差: “监测时间点前1年内，
// 政务咨询类栏目存在超过3个月未回应有效留言的，即单项否决”. Like DateRule it is
// written one directive a line and previewed against the live page:
//
//	start: <table class="msg">   only look after this text …
//	end: </table>                … and before this one
//	item: <tr                    each message begins at this text (required)
//	date: 留言时间：(\d{4})-(\d+)-(\d+)   the message's date (default: the first date)
//	reply: 回复时间：(\d{4})-(\d+)-(\d+)  the reply's date (default: a second date)
//	answered: 已回复|已办结        text that marks the message answered
//	pending: 未回复|办理中          text that marks it unanswered (wins over answered)
//
// A message is unanswered when pending matches, or when neither answered
// nor a reply date is found. Tags are removed from each item before the
// patterns run; the title is the item's first link text.
type MessageRule struct {
	Start, End, Item  string
	Date, Reply       DateRule
	replySet          bool
	Answered, Pending *regexp.Regexp
}

// ParseMessageRule reads a rule. Errors are in Chinese and name the line.
func ParseMessageRule(src string) (MessageRule, error) {
	var r MessageRule
	if len(src) > MaxRuleLen {
		return r, errors.New("规则过长")
	}
	datePat, replyPat := DefaultDatePattern, DefaultDatePattern
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if k2, v2, ok2 := strings.Cut(line, "："); ok2 && (!ok || len(k2) < len(key)) {
			key, val, ok = k2, v2, true
		}
		if !ok {
			return r, fmt.Errorf("第 %d 行应以 start、end、item、date、reply、answered 或 pending 开头，后跟冒号", n+1)
		}
		val = strings.TrimSpace(val)
		var err error
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "start":
			r.Start = val
		case "end":
			r.End = val
		case "item":
			r.Item = val
		case "date":
			datePat = val
		case "reply":
			replyPat, r.replySet = val, true
		case "answered":
			if r.Answered, err = regexp.Compile(val); err != nil {
				return r, fmt.Errorf("第 %d 行：已回复标志不是有效的正则表达式", n+1)
			}
		case "pending":
			if r.Pending, err = regexp.Compile(val); err != nil {
				return r, fmt.Errorf("第 %d 行：未回复标志不是有效的正则表达式", n+1)
			}
		default:
			return r, fmt.Errorf("第 %d 行：未知指令“%s”", n+1, strings.TrimSpace(key))
		}
	}
	if r.Item == "" {
		return r, errors.New("须用 item 指明每条留言开始处的文字（如 <tr 或 <li）")
	}
	var err error
	if r.Date, err = ParseDateRule("pattern: " + datePat); err != nil {
		return r, fmt.Errorf("留言日期：%w", err)
	}
	if r.Reply, err = ParseDateRule("pattern: " + replyPat); err != nil {
		return r, fmt.Errorf("回复日期：%w", err)
	}
	return r, nil
}

// Message is one message a rule read.
type Message struct {
	Title    string
	Date     string // when it was left
	Answered bool
	Reply    string // when it was answered ("" when unknown or unanswered)
}

// Overdue reports whether the message is unanswered past the indicator's
// limit on today (more than UnansweredMonths after it was left).
func (m Message) Overdue(today string) bool {
	t, ok := dayOf(today)
	d, ok2 := dayOf(m.Date)
	return ok && ok2 && !m.Answered && t.After(d.AddDate(0, UnansweredMonths, 0))
}

// Late reports whether the message was answered, but more than
// UnansweredMonths after it was left (shown in the preview; the reply
// being there, nothing is left to rectify).
func (m Message) Late() bool {
	d, ok := dayOf(m.Date)
	r, ok2 := dayOf(m.Reply)
	return ok && ok2 && m.Answered && r.After(d.AddDate(0, UnansweredMonths, 0))
}

// Messages is what a rule read from a page.
type Messages struct {
	List []Message
	// Undated counts items without a readable date (skipped).
	Undated int
}

// OldestUnanswered is the date of the oldest unanswered message ("" when
// every message was answered).
func (ms Messages) OldestUnanswered() string {
	old := ""
	for _, m := range ms.List {
		if !m.Answered && (old == "" || m.Date < old) {
			old = m.Date
		}
	}
	return old
}

// MaxMessages bounds the messages read from one page.
const MaxMessages = 500

// Extract reads the messages on a page as of today.
func (r MessageRule) Extract(page string, today time.Time) Messages {
	var out Messages
	if r.Item == "" {
		return out
	}
	body := page
	if r.Start != "" {
		i := strings.Index(body, r.Start)
		if i < 0 {
			return out
		}
		body = body[i+len(r.Start):]
	}
	if r.End != "" {
		if i := strings.Index(body, r.End); i >= 0 {
			body = body[:i]
		}
	}
	parts := strings.Split(body, r.Item)
	for _, part := range parts[1:] {
		if len(out.List) >= MaxMessages {
			break
		}
		text := StripTags(part)
		// The first date in the item's order, not the newest (Extract
		// sorts newest first).
		first := firstDate(r.Date, text, today)
		if first == "" {
			out.Undated++
			continue
		}
		m := Message{Title: itemTitle(part, text), Date: first}
		if r.replySet {
			m.Reply = firstDate(r.Reply, text, today)
		} else {
			for _, d := range orderedDates(r.Reply, text, today) {
				if d != first {
					m.Reply = d
					break
				}
			}
		}
		switch {
		case r.Pending != nil && r.Pending.MatchString(text):
			m.Answered, m.Reply = false, ""
		case r.Answered != nil && r.Answered.MatchString(text):
			m.Answered = true
		default:
			m.Answered = m.Reply != ""
		}
		out.List = append(out.List, m)
	}
	return out
}

// orderedDates are the dates a rule finds in text, in page order.
func orderedDates(r DateRule, text string, today time.Time) []string {
	var out []string
	for _, loc := range r.Pattern.FindAllStringIndex(text, 8) {
		if l := r.Extract(text[loc[0]:loc[1]], today); len(l.Dates) > 0 {
			out = append(out, l.Dates[0])
		}
	}
	return out
}

func firstDate(r DateRule, text string, today time.Time) string {
	if ds := orderedDates(r, text, today); len(ds) > 0 {
		return ds[0]
	}
	return ""
}

var linkText = regexp.MustCompile(`(?is)<a\b[^>]*>(.*?)</a>`)

// itemTitle is the item's first link text, or the start of its text.
func itemTitle(part, text string) string {
	if m := linkText.FindStringSubmatch(part); m != nil {
		if t := strings.Join(strings.Fields(StripTags(m[1])), " "); t != "" {
			return truncate(t, 60)
		}
	}
	return truncate(strings.Join(strings.Fields(text), " "), 40)
}

// UnansweredFinding is the finding for an overdue message.
func UnansweredFinding(c Channel, m Message, today string) Finding {
	d, _ := dayOf(m.Date)
	t, _ := dayOf(today)
	detail := fmt.Sprintf("留言日期 %s，至今 %d 天未回复（指标：超过3个月未回应有效留言即单项否决）", m.Date, daysBetween(d, t))
	return NewFinding(c, FUnanswered, c.URL, m.Date+" "+m.Title, detail, false)
}

// DefaultMessageRule is offered in the form: table rows, a status column
// (written with full-width colons, which the rule reads like ASCII ones).
const DefaultMessageRule = "item：<tr\nanswered：已回复|已答复|已办结\npending：未回复|待回复|办理中|未办结"
