package assess

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// Debrief is a leader's annual 述职 (ideology part) with the 民主测评 held
// on it and the follow-up items it left.
type Debrief struct {
	ID       int64
	UnitID   int64
	UserID   int64
	UserName string
	Year     int
	Date     string // YYYY-MM-DD
	Meeting  string // 会议名称（民主生活会、年度考核大会…）
	Text     string
	// 民主测评 counts: 好, 较好, 一般, 差.
	Good, Fair, Average, Poor int
	FollowUps                 string // one item per line
}

// Votes is the number of ballots.
func (d Debrief) Votes() int { return d.Good + d.Fair + d.Average + d.Poor }

// GoodRate is the share of 好 and 较好 ("95.0%"), "" with no ballots.
func (d Debrief) GoodRate() string {
	if d.Votes() == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f%%", float64(d.Good+d.Fair)*100/float64(d.Votes()))
}

// FollowUpList splits the follow-up items.
func (d Debrief) FollowUpList() []string {
	var out []string
	for _, l := range strings.Split(d.FollowUps, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks a 述职 record.
func (d *Debrief) Validate() error {
	d.Meeting = strings.TrimSpace(d.Meeting)
	d.Text = strings.TrimSpace(d.Text)
	var es apperr.Errors
	if d.UserID == 0 {
		es = append(es, apperr.Field("述职人", "不能为空"))
	}
	if !yearOK(d.Year) {
		es = append(es, apperr.Field("年度", "无效"))
	}
	if len(d.Date) != 10 || d.Date[4] != '-' || d.Date[7] != '-' {
		es = append(es, apperr.Field("述职日期", "格式应为 2024-01-15"))
	} else if y := d.Date[:4]; y != fmt.Sprint(d.Year) && y != fmt.Sprint(d.Year+1) {
		es = append(es, apperr.Field("述职日期", "应在述职年度内或次年年初"))
	}
	if d.Meeting == "" || utf8.RuneCountInString(d.Meeting) > 60 {
		es = append(es, apperr.Field("会议", "不能为空且不超过 60 个字"))
	}
	if utf8.RuneCountInString(d.Text) > 10000 {
		es = append(es, apperr.Field("述职内容", "不能超过 1 万字"))
	}
	if d.Good < 0 || d.Fair < 0 || d.Average < 0 || d.Poor < 0 || d.Votes() > 10000 {
		es = append(es, apperr.Field("测评票数", "不能为负数"))
	}
	if utf8.RuneCountInString(d.FollowUps) > 2000 {
		es = append(es, apperr.Field("整改事项", "不能超过 2000 个字"))
	}
	return es.OrNil()
}
