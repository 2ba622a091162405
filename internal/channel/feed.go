package channel

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"zhendi/internal/cntime"
)

// Feeds and sitemaps are read for their dates only — the newest item is
// all an update rule needs — so a streaming pass over the XML that picks
// the date elements of RSS (pubDate, dc:date), Atom (updated, published)
// and sitemaps (lastmod) is enough, whatever else the document holds.
// Non-UTF-8 documents (GBK feeds are common on government sites) are
// decoded through x/net/html/charset.

// FeedDates reads the publication dates of an RSS or Atom feed or a
// sitemap, newest first, dropping dates after today. limit bounds how many
// elements are read (a sitemap can list tens of thousands).
func FeedDates(doc []byte, today time.Time, limit int) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false
	y, m, dd := today.In(cntime.Zone).Date()
	last := time.Date(y, m, dd, 23, 59, 59, 0, cntime.Zone)
	var out []string
	inItem := 0
	var elem string
	for len(out) < limit {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(out) > 0 {
				break // a truncated document: keep what was read
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			switch name {
			case "item", "entry", "url":
				inItem++
			}
			elem = name
		case xml.EndElement:
			switch strings.ToLower(t.Name.Local) {
			case "item", "entry", "url":
				inItem--
			}
			elem = ""
		case xml.CharData:
			if inItem <= 0 {
				continue
			}
			switch elem {
			case "pubdate", "date", "updated", "published", "lastmod":
				if tm, ok := ParseFeedTime(strings.TrimSpace(string(t))); ok && !tm.After(last) && tm.Year() >= 1990 {
					out = append(out, cntime.Date(tm))
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return strings.Compare(b, a) })
	return out, nil
}

var feedLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822, time.RFC3339, time.RFC3339Nano,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
	"Mon, 02 Jan 2006 15:04 -0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05", "2006-01-02", "2006/01/02 15:04:05", "2006/01/02",
}

// ParseFeedTime reads the date formats feeds and sitemaps use; a time
// without a zone is China time.
func ParseFeedTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range feedLayouts {
		if t, err := time.ParseInLocation(l, s, cntime.Zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
