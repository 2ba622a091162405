package service

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"zhendi/internal/channel"
)

// The availability visits (站点无法访问): the indicator visits a site's
// homepage 20 times a day and more over a week; ProbeSites does the same
// for every running site of every unit, ProbesPerDay times a day at a
// place in each slot of its own (channel.NextProbe), through the checks'
// Fetcher, so robots.txt, the per-host limit and the User-Agent hold. It
// runs every minute from `zhendi serve`; each run claims the sites due,
// so a restart or a second node neither repeats nor loses a slot.

// ProbeOptions tune a round.
type ProbeOptions struct {
	// Limit bounds the sites claimed in one round (default 500).
	Limit int
	// Hosts is how many hosts are visited at once (default 32).
	Hosts int
	// Jitter draws each site's shift in its slot (default: uniform within
	// ±5 min from a source seeded per process); tests fix it.
	Jitter func() time.Duration
}

// Probed is one visit made.
type Probed struct {
	ChannelID int64
	Sample    channel.Sample
	Skipped   string // why no visit was made (robots.txt)
}

// ProbeSitesJob is ProbeSites with the defaults, for RunEvery.
func (s *Service) ProbeSitesJob(ctx context.Context) error {
	_, err := s.ProbeSites(ctx, ProbeOptions{})
	return err
}

// ProbeSites visits the sites due now, records each visit, and drops
// visits past their retention. One site's failure never stops the others.
func (s *Service) ProbeSites(ctx context.Context, o ProbeOptions) ([]Probed, error) {
	if o.Limit <= 0 {
		o.Limit = 500
	}
	if o.Hosts <= 0 {
		o.Hosts = 32
	}
	if o.Jitter == nil {
		o.Jitter = func() time.Duration { return time.Duration(rand.Int64N(int64(10*time.Minute))) - 5*time.Minute }
	}
	now := s.now()
	var mu sync.Mutex // Jitter need not be safe for concurrent use
	sites, err := s.st.ClaimDueProbes(ctx, now.Unix(), func(id, due int64) int64 {
		mu.Lock()
		defer mu.Unlock()
		return nextVisit(id, due, now, o.Jitter())
	}, o.Limit)
	if err != nil {
		return nil, err
	}
	f := s.channelFetcher()
	byHost := map[string][]int{}
	var hosts []string
	for i, c := range sites {
		h := hostOf(c)
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], i)
	}
	out := make([]Probed, len(sites))
	errs := make([]error, len(sites))
	sem := make(chan struct{}, o.Hosts)
	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for _, i := range byHost[h] {
				out[i], errs[i] = s.probeOne(ctx, f, sites[i])
			}
		}()
	}
	wg.Wait()
	start, day := channel.DayStart(now.AddDate(0, 0, -channel.ProbeRetentionDays))
	_, countsDay := channel.DayStart(now.AddDate(0, 0, -channel.ProbeCountDays))
	if _, err := s.st.PurgeProbes(ctx, day, countsDay, start); err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// probeOne visits a site's homepage once: the page must come, with a
// status below 400, in under 15 s (the Fetcher stops it at 15 s).
func (s *Service) probeOne(ctx context.Context, f *Fetcher, c channel.Channel) (Probed, error) {
	p := Probed{ChannelID: c.ID}
	at := s.now().Unix()
	page, err := f.Get(ctx, c.URL)
	if errors.Is(err, ErrRobots) {
		p.Skipped = "robots.txt 不允许访问首页"
		return p, nil
	}
	if ctx.Err() != nil {
		return p, ctx.Err() // shutting down: not the site's failure
	}
	p.Sample = channel.Sample{At: at, Millis: page.Millis, Status: page.Status,
		OK: (err == nil || errors.Is(err, ErrTooLarge)) && page.Status > 0 && page.Status < 400}
	if err := s.st.RecordSample(ctx, c.ID, c.UnitID, p.Sample); err != nil {
		return p, fmt.Errorf("site %d: %w", c.ID, err)
	}
	return p, nil
}

// nextVisit is a site's next visit after the one due at due and made
// now: in the slot after the due one, so a round a few minutes late does
// not skip a slot; from now when the site is new or the job was stopped
// for a slot or more; and never within 2×5 min of this visit.
func nextVisit(id, due int64, now time.Time, jitter time.Duration) int64 {
	base := now
	if due > 0 && now.Unix()-due < int64(channel.ProbeSlot/time.Second) {
		base = time.Unix(due, 0)
	}
	return max(channel.NextProbe(id, base, jitter).Unix(), now.Add(10*time.Minute).Unix())
}
