package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"zhendi/internal/channel"
)

// Fetcher fetches the unit's own pages for the 阵地 checks, politely: it
// names itself in the User-Agent, obeys robots.txt, keeps at most PerHost
// requests open to one host and Gap between their starts, stops each
// request at Timeout (the indicator's 15 s: a slower page counts as not
// opening anyway) and reads at most MaxBytes of a body. It does not log in
// or run scripts. One Fetcher is shared by a round so the per-host limits
// hold across channels; it is safe for concurrent use.
type Fetcher struct {
	Client   *http.Client
	Agent    string
	PerHost  int
	Gap      time.Duration
	Timeout  time.Duration
	MaxBytes int64
	// Now measures response times; tests replace it to make a site slow
	// without waiting.
	Now func() time.Time

	mu    sync.Mutex
	hosts map[string]*hostGate
}

// hostGate holds one host's open-request slots, its next allowed start and
// its robots.txt.
type hostGate struct {
	slots    chan struct{}
	mu       sync.Mutex
	next     time.Time
	robots   *channel.Robots
	robotsAt time.Time
}

// UserAgent names zhendi and what it does (ASCII: header values are
// bytes, and a site's log should read it as sent).
const UserAgent = "zhendi-channel-check/1.0 (zhendi self-check of a public body's own registered pages)"

// NewFetcher returns a fetcher with zhendi's defaults: 2 requests per host,
// 200 ms apart, 15 s timeout, 4 MiB bodies, at most 5 redirects.
func NewFetcher() *Fetcher {
	f := &Fetcher{Agent: UserAgent, PerHost: 2, Gap: 200 * time.Millisecond, Timeout: 15 * time.Second, MaxBytes: 4 << 20, Now: time.Now}
	f.Client = &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("重定向超过 5 次")
		}
		return nil
	}}
	return f
}

// ErrRobots is a page robots.txt asks zhendi not to fetch.
var ErrRobots = errors.New("robots.txt 不允许抓取")

// ErrTooLarge is a body over MaxBytes; what was read is still returned.
var ErrTooLarge = errors.New("页面超过大小上限")

// Page is a fetched page.
type Page struct {
	URL    string // after redirects
	Status int
	Body   []byte
	Millis int
	Type   string
}

func (f *Fetcher) gate(host string) *hostGate {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hosts == nil {
		f.hosts = map[string]*hostGate{}
	}
	g := f.hosts[host]
	if g == nil {
		n := f.PerHost
		if n <= 0 {
			n = 1
		}
		g = &hostGate{slots: make(chan struct{}, n)}
		f.hosts[host] = g
	}
	return g
}

// enter takes a slot on the host and waits out the gap since the last
// start; the returned function gives the slot back.
func (f *Fetcher) enter(ctx context.Context, g *hostGate) (func(), error) {
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	g.mu.Lock()
	now := time.Now()
	wait := g.next.Sub(now)
	start := now
	if wait > 0 {
		start = g.next
	}
	g.next = start.Add(f.Gap)
	g.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-g.slots
			return nil, ctx.Err()
		}
	}
	return func() { <-g.slots }, nil
}

// allowed reads (and caches for an hour) the host's robots.txt and says
// whether u may be fetched. A robots.txt that cannot be read allows all
// (RFC 9309: 4xx means no rules; an unreachable server is reported by the
// page fetch itself).
func (f *Fetcher) allowed(ctx context.Context, g *hostGate, u *url.URL) bool {
	g.mu.Lock()
	r := g.robots
	fresh := r != nil && time.Since(g.robotsAt) < time.Hour
	g.mu.Unlock()
	if !fresh {
		rb := channel.Robots{}
		ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
		if p, err := f.do(ctx, g, http.MethodGet, ru.String(), 512<<10); err == nil && p.Status == http.StatusOK {
			rb = channel.ParseRobots(p.Body, "zhendi")
		}
		g.mu.Lock()
		g.robots, g.robotsAt = &rb, time.Now()
		g.mu.Unlock()
		r = &rb
	}
	return r.Allowed(u.RequestURI())
}

// Get fetches a page (GET) after asking robots.txt.
func (f *Fetcher) Get(ctx context.Context, raw string) (Page, error) {
	return f.fetch(ctx, http.MethodGet, raw, f.MaxBytes)
}

// Head asks for a page's status only (links), falling back to GET for
// servers that refuse HEAD.
func (f *Fetcher) Head(ctx context.Context, raw string) (Page, error) {
	p, err := f.fetch(ctx, http.MethodHead, raw, 0)
	if err == nil && (p.Status == http.StatusMethodNotAllowed || p.Status == http.StatusNotImplemented) {
		return f.fetch(ctx, http.MethodGet, raw, 64<<10)
	}
	return p, err
}

func (f *Fetcher) fetch(ctx context.Context, method, raw string, limit int64) (Page, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Page{URL: raw}, fmt.Errorf("网址无效：%s", raw)
	}
	g := f.gate(strings.ToLower(u.Host))
	if !f.allowed(ctx, g, u) {
		return Page{URL: raw}, ErrRobots
	}
	return f.do(ctx, g, method, raw, limit)
}

func (f *Fetcher) do(ctx context.Context, g *hostGate, method, raw string, limit int64) (Page, error) {
	p := Page{URL: raw}
	leave, err := f.enter(ctx, g)
	if err != nil {
		return p, err
	}
	defer leave()
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, raw, nil)
	if err != nil {
		return p, fmt.Errorf("request %s: %w", raw, err)
	}
	req.Header.Set("User-Agent", f.Agent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5")
	start := f.Now()
	resp, err := f.Client.Do(req)
	if err != nil {
		p.Millis = int(f.Now().Sub(start).Milliseconds())
		return p, err
	}
	defer resp.Body.Close()
	p.Status, p.URL, p.Type = resp.StatusCode, resp.Request.URL.String(), resp.Header.Get("Content-Type")
	if limit > 0 {
		p.Body, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
		if int64(len(p.Body)) > limit {
			p.Body = p.Body[:limit]
			err = ErrTooLarge
		}
	}
	p.Millis = int(f.Now().Sub(start).Milliseconds())
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return p, fmt.Errorf("read %s: %w", raw, err)
	}
	return p, err
}
