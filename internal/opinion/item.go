package opinion

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// Limits on one item. They are far above what a news article or a post
// needs and keep one bad record from costing the pipeline.
const (
	MaxTitle = 500     // characters
	MaxText  = 100_000 // characters
	MaxURL   = 2048    // bytes
	MaxExtID = 200     // bytes
)

// Item is one collected piece of public text: a news article, a feed
// entry, a post pushed by a partner system or a row of an import file.
//
// There is deliberately no author field: zhendi stores no author handles
// and builds no per-author view (PRODUCT.md, lines we do not cross).
type Item struct {
	ID       int64  // store id; 0 before it is stored
	UnitID   int64  // the unit that collected it
	SourceID int64  // the source (feed, push client, import) it came from
	ExtID    string // the source's own id (feed guid, push id, import id); idempotency key per source
	Title    string
	Text     string
	URL      string
	// Published is when the source says the item was published (zero when
	// unknown); Fetched is when zhendi received it.
	Published time.Time
	Fetched   time.Time
}

// Prepare returns the item as it should be stored, whatever its source
// (feed, push, import): title, text, URL and id trimmed, and @handles in
// the title and text replaced (RedactHandles), so that no account name of
// a person is stored. Call it before Validate.
func Prepare(it Item) Item {
	it.Title = RedactHandles(strings.TrimSpace(it.Title))
	it.Text = RedactHandles(strings.TrimSpace(it.Text))
	it.URL = strings.TrimSpace(it.URL)
	it.ExtID = strings.TrimSpace(it.ExtID)
	return it
}

// When returns the time the item counts at: Published when known,
// otherwise Fetched.
func (it Item) When() time.Time {
	if !it.Published.IsZero() {
		return it.Published
	}
	return it.Fetched
}

// Validate checks an item as received, before it is stored. It returns
// apperr.Errors with Chinese field names, so an import can prefix the row.
func (it Item) Validate() error {
	var errs apperr.Errors
	if strings.TrimSpace(it.Title) == "" && strings.TrimSpace(it.Text) == "" {
		errs = append(errs, apperr.Field("正文", "标题和正文不能都为空"))
	}
	if !utf8.ValidString(it.Title) || !utf8.ValidString(it.Text) || !utf8.ValidString(it.ExtID) || !utf8.ValidString(it.URL) {
		errs = append(errs, apperr.Field("正文", "含有无效的字符编码，请使用 UTF-8 或 GB18030"))
	}
	if n := utf8.RuneCountInString(it.Title); n > MaxTitle {
		errs = append(errs, apperr.Field("标题", "不能超过 500 个字"))
	}
	if n := utf8.RuneCountInString(it.Text); n > MaxText {
		errs = append(errs, apperr.Field("正文", "不能超过 100000 个字"))
	}
	if len(it.ExtID) > MaxExtID {
		errs = append(errs, apperr.Field("编号", "不能超过 200 个字节"))
	}
	if it.URL != "" {
		if len(it.URL) > MaxURL {
			errs = append(errs, apperr.Field("链接", "不能超过 2048 个字节"))
		} else if u, err := url.Parse(it.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, apperr.Field("链接", "应为 http:// 或 https:// 开头的网址"))
		}
	}
	if !it.Published.IsZero() && !it.Fetched.IsZero() && it.Published.After(it.Fetched.Add(24*time.Hour)) {
		// A day of slack for clocks and time zones; beyond that the date is wrong.
		errs = append(errs, apperr.Field("发布时间", "晚于接收时间"))
	}
	return errs.OrNil()
}
