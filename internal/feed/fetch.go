package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"time"
)

// Limits bound one fetch.
type Limits struct {
	Timeout      time.Duration // whole request, body included (default 20 s)
	MaxBytes     int64         // body size cap (default 8 MiB)
	MaxRedirects int           // redirects followed (default 3)
}

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = 20 * time.Second
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = 8 << 20
	}
	if l.MaxRedirects <= 0 {
		l.MaxRedirects = 3
	}
	return l
}

// Validators are the conditional-GET state of a feed.
type Validators struct {
	ETag         string
	LastModified string
}

// Result of a fetch: NotModified, or a parsed Feed with the new validators.
type Result struct {
	NotModified bool
	Feed        *Feed
	Validators  Validators
	Status      int
	Bytes       int64
}

// ErrTooLarge is returned when the body passes Limits.MaxBytes.
var ErrTooLarge = errors.New("订阅源内容超过大小上限")

// Fetcher fetches feeds. The zero value is usable; a Fetcher is safe for
// concurrent use.
type Fetcher struct {
	// Client is the HTTP client (nil: a new client per Fetcher with the
	// limits below); its CheckRedirect and Timeout are replaced.
	Client *http.Client
	Limits Limits
	// UserAgent identifies zhendi to the sites it reads.
	UserAgent string
	// Location reads dates without a zone (nil: UTC).
	Location *time.Location
}

func (f *Fetcher) client() *http.Client {
	l := f.Limits.withDefaults()
	c := &http.Client{}
	if f.Client != nil {
		cp := *f.Client
		c = &cp
	}
	c.Timeout = l.Timeout
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > l.MaxRedirects {
			return fmt.Errorf("重定向超过 %d 次", l.MaxRedirects)
		}
		return nil
	}
	return c
}

// Fetch gets url with the validators of the last fetch and parses the feed.
func (f *Fetcher) Fetch(ctx context.Context, url string, v Validators) (*Result, error) {
	l := f.Limits.withDefaults()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("订阅源地址无效：%w", err)
	}
	ua := f.UserAgent
	if ua == "" {
		ua = "zhendi-feed/1"
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client().Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, fmt.Errorf("请求订阅源超时（%s 内未完成）：%w", l.Timeout, err)
		}
		return nil, fmt.Errorf("请求订阅源：%w", err)
	}
	defer resp.Body.Close()
	res := &Result{Status: resp.StatusCode, Validators: v}
	if resp.StatusCode == http.StatusNotModified {
		res.NotModified = true
		return res, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("订阅源返回 HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > l.MaxBytes {
		return nil, fmt.Errorf("%w（%d 字节，上限 %d）", ErrTooLarge, resp.ContentLength, l.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, l.MaxBytes+1))
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, fmt.Errorf("读取订阅源超时（%s 内未完成）：%w", l.Timeout, err)
		}
		return nil, fmt.Errorf("读取订阅源：%w", err)
	}
	if int64(len(body)) > l.MaxBytes {
		return nil, fmt.Errorf("%w（上限 %d 字节）", ErrTooLarge, l.MaxBytes)
	}
	res.Bytes = int64(len(body))
	cs := ""
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil {
		cs = params["charset"]
	}
	feed, err := Parse(bytesReader(body), cs, f.Location)
	if err != nil {
		return nil, err
	}
	res.Feed = feed
	res.Validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	return res, nil
}
