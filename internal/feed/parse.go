// Package feed reads RSS 0.9x/1.0/2.0 and Atom 1.0 feeds and fetches them
// over HTTP the way a polite, bounded client should: conditional GET with
// ETag and Last-Modified, a timeout, a size cap and a few redirects at most.
//
// Why not gofeed: the module proxy this project builds from serves
// github.com/mmcdole/gofeed only from an earlier copy that is marked "not an
// approved release", and no other feed parser is served. The formats are
// small and stable, so the parser here is encoding/xml (the standard
// library's well-kept XML decoder) mapped onto the few elements zhendi reads,
// with golang.org/x/net/html/charset for GBK/GB18030 feeds and
// golang.org/x/net/html for turning HTML descriptions into text. It keeps
// nothing about authors: opinion monitoring stores no handles (PRODUCT.md).
//
// A feed that is not well-formed XML is an error for that feed only; the
// caller records it on the source and goes on with the others.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// Item is one entry of a feed.
type Item struct {
	// ID is the feed's own id for the entry (RSS guid, Atom id), else its link.
	ID        string
	Title     string
	Text      string // plain text of the content or summary
	URL       string
	Published time.Time // zero when the feed gives no parseable date
}

// Feed is a parsed feed.
type Feed struct {
	Title string
	Items []Item
}

// ErrNotFeed is returned for well-formed XML that is neither RSS nor Atom.
var ErrNotFeed = errors.New("不是 RSS 或 Atom 订阅源")

// MaxItems bounds the entries read from one feed; a feed is a recent
// window, and a document with more entries is not one.
const MaxItems = 5000

// Parse reads a feed. headerCharset is the charset of the HTTP Content-Type
// ("" if none); it applies when the XML declaration names no encoding.
// Times without a zone are read in loc (China time for Chinese sites).
func Parse(r io.Reader, headerCharset string, loc *time.Location) (*Feed, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if hc := strings.ToLower(strings.TrimSpace(headerCharset)); hc != "" && hc != "utf-8" && hc != "utf8" && !declaresEncoding(data) {
		enc, _ := charset.Lookup(hc)
		if enc != nil {
			if data, err = enc.NewDecoder().Bytes(data); err != nil {
				return nil, fmt.Errorf("decode %s: %w", hc, err)
			}
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false
	d.AutoClose = nil
	d.Entity = xml.HTMLEntity
	var root struct {
		XMLName xml.Name
		// RSS 0.9x/2.0
		Channel struct {
			Title string    `xml:"title"`
			Items []rssItem `xml:"item"`
		} `xml:"channel"`
		// RSS 1.0 (RDF): items are siblings of the channel
		RDFItems []rssItem `xml:"item"`
		// Atom
		Title   atomText    `xml:"title"`
		Entries []atomEntry `xml:"entry"`
	}
	if err := d.Decode(&root); err != nil {
		return nil, fmt.Errorf("XML 格式错误：%w", err)
	}
	f := &Feed{}
	switch strings.ToLower(root.XMLName.Local) {
	case "rss":
		f.Title = clean(root.Channel.Title)
		for _, it := range root.Channel.Items {
			f.Items = append(f.Items, it.item(loc))
		}
	case "rdf":
		f.Title = clean(root.Channel.Title)
		for _, it := range root.RDFItems {
			f.Items = append(f.Items, it.item(loc))
		}
	case "feed":
		f.Title = root.Title.text()
		for _, e := range root.Entries {
			f.Items = append(f.Items, e.item(loc))
		}
	default:
		return nil, ErrNotFeed
	}
	if len(f.Items) > MaxItems {
		f.Items = f.Items[:MaxItems]
	}
	return f, nil
}

// declaresEncoding reports whether the XML declaration names an encoding.
func declaresEncoding(data []byte) bool {
	head := data[:min(len(data), 200)]
	if !bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("<?xml")) {
		return false
	}
	end := bytes.Index(head, []byte("?>"))
	return end > 0 && bytes.Contains(head[:end], []byte("encoding"))
}

type rssItem struct {
	Title       string   `xml:"title"`
	Links       []string `xml:"link"` // <link> and atom:link (whose text is empty)
	GUID        string   `xml:"guid"`
	Description string   `xml:"description"`
	Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	PubDate     string   `xml:"pubDate"`
	DCDate      string   `xml:"http://purl.org/dc/elements/1.1/ date"`
	About       string   `xml:"http://www.w3.org/1999/02/22-rdf-syntax-ns# about,attr"`
}

func (it rssItem) item(loc *time.Location) Item {
	out := Item{Title: htmlText(it.Title), URL: strings.TrimSpace(firstNonEmpty(it.Links...))}
	body := it.Content
	if strings.TrimSpace(body) == "" {
		body = it.Description
	}
	out.Text = htmlText(body)
	out.ID = firstNonEmpty(strings.TrimSpace(it.GUID), strings.TrimSpace(it.About), out.URL)
	out.Published = ParseTime(firstNonEmpty(it.PubDate, it.DCDate), loc)
	return out
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",innerxml"`
}

// text is the plain text of an Atom text construct: type="xhtml" holds
// markup as elements, "html" holds escaped markup, "text" plain text.
func (t atomText) text() string {
	switch t.Type {
	case "xhtml", "html":
		body := t.Body
		if t.Type == "html" {
			body = unescapeXML(body)
		}
		return htmlText(body)
	}
	return clean(unescapeXML(t.Body))
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
}

func (e atomEntry) item(loc *time.Location) Item {
	out := Item{Title: e.Title.text()}
	for _, l := range e.Links {
		if l.Rel == "" || l.Rel == "alternate" {
			out.URL = strings.TrimSpace(l.Href)
			break
		}
	}
	out.Text = e.Content.text()
	if out.Text == "" {
		out.Text = e.Summary.text()
	}
	out.ID = firstNonEmpty(strings.TrimSpace(e.ID), out.URL)
	out.Published = ParseTime(firstNonEmpty(e.Published, e.Updated), loc)
	return out
}

// unescapeXML decodes the character data of an innerxml capture (entities
// and CDATA sections), which encoding/xml leaves as written.
func unescapeXML(s string) string {
	if !strings.ContainsAny(s, "&<") {
		return s
	}
	d := xml.NewDecoder(strings.NewReader("<x>" + s + "</x>"))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var b strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			// xhtml or stray markup (not the wrapper): keep it as markup
			// for htmlText.
			if depth++; depth > 1 {
				b.WriteString("<" + t.Name.Local + ">")
			}
		case xml.EndElement:
			if depth--; depth > 0 {
				b.WriteString("</" + t.Name.Local + ">")
			}
		}
	}
	return b.String()
}

// htmlText is the visible text of an HTML fragment, whitespace collapsed;
// script and style contents are dropped.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return clean(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return clean(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4":
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if n := string(name); n == "script" || n == "style" {
				skip = max(0, skip-1)
			}
		}
	}
}

// clean trims each line and drops empty ones.
func clean(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r", ""), "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// timeLayouts are the date forms seen in feeds: RFC 822/1123 with and
// without seconds or weekday, RFC 3339, and the plain forms Chinese sites
// write.
var timeLayouts = []string{
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04 -0700", "Mon, 02 Jan 06 15:04:05 -0700",
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2006/01/02 15:04:05", "2006/1/2 15:04:05", "2006年1月2日 15:04", "2006年01月02日 15:04:05", "2006年1月2日",
}

// ParseTime reads a feed date; the zero time when no layout fits.
func ParseTime(s string, loc *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t
		}
	}
	return time.Time{}
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
