package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/feed"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Feed polling. FetchRound is a background job (RunEvery, every minute):
// it claims the feeds that are due — a claim is a lease in the database, so
// a second node or an overlapping round skips them — and polls them a few
// at a time, each with its own timeout and size cap, so one slow or broken
// source delays nobody else. Each outcome is written to the source's
// health; a broken feed is an error of that source only.

const (
	// feedWorkers is how many feeds one node polls at once.
	feedWorkers = 4
	// feedLease is how long a claim holds: longer than a fetch's timeout
	// and its intake, so a claim only lapses when its node died.
	feedLease = 5 * 60
	// feedsPerRound bounds one round's claims.
	feedsPerRound = 200
)

// SetFeedFetcher replaces the feed client (tests: shorter limits).
func (s *Service) SetFeedFetcher(f *feed.Fetcher) {
	s.op.mu.Lock()
	s.op.fetcher = f
	s.op.mu.Unlock()
}

func (s *Service) feedFetcher() *feed.Fetcher {
	s.op.mu.Lock()
	defer s.op.mu.Unlock()
	if s.op.fetcher == nil {
		s.op.fetcher = &feed.Fetcher{UserAgent: "zhendi-feed/1 (zhendi ideology-work responsibility system; feed reader)", Location: cntime.Zone}
	}
	return s.op.fetcher
}

// FetchReport counts one collection round.
type FetchReport struct {
	Feeds, Failed, NotModified int
	store.IntakeResult
}

// FetchRound polls every due feed of every unit once.
func (s *Service) FetchRound(ctx context.Context) error {
	_, err := s.fetchFeeds(ctx, 0, false)
	return err
}

// FetchUnit polls every enabled feed of unitID now, due or not (`zhendi
// opinion fetch`: one round for checks and cron-less setups). Feeds
// claimed by a running round are skipped.
func (s *Service) FetchUnit(ctx context.Context, sc access.Scope, unitID int64) (FetchReport, error) {
	if !sc.CanWrite(unitID, unitID) {
		return FetchReport{}, store.ErrNotFound
	}
	return s.fetchFeeds(ctx, unitID, true)
}

func (s *Service) fetchFeeds(ctx context.Context, unitID int64, force bool) (FetchReport, error) {
	var rep FetchReport
	due, err := s.st.ClaimDueFeeds(ctx, unitID, s.now().Unix(), feedLease, feedsPerRound, force)
	if err != nil {
		return rep, err
	}
	rep.Feeds = len(due)
	var mu sync.Mutex
	var errs []error
	work := make(chan store.OpinionSource)
	var wg sync.WaitGroup
	for range min(feedWorkers, len(due)) {
		wg.Go(func() {
			for src := range work {
				res, notMod, err := s.pollFeed(ctx, src)
				mu.Lock()
				rep.IntakeResult.Add(res)
				if notMod {
					rep.NotModified++
				}
				if err != nil {
					rep.Failed++
					// A feed's own failure is on its health; only a
					// database failure fails the round.
					if !errors.Is(err, errFeed) {
						errs = append(errs, err)
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, src := range due {
		work <- src
	}
	close(work)
	wg.Wait()
	return rep, errors.Join(errs...)
}

// errFeed marks a failure of the feed itself (network, HTTP, XML).
var errFeed = errors.New("feed failed")

// pollFeed fetches one claimed feed, hands its items to intake and records
// the outcome on the source, which releases the claim.
func (s *Service) pollFeed(ctx context.Context, src store.OpinionSource) (store.IntakeResult, bool, error) {
	r, err := s.feedFetcher().Fetch(ctx, src.URL, feed.Validators{ETag: src.ETag, LastModified: src.LastModified})
	now := s.now()
	if err != nil {
		msg := truncate(err.Error(), 300)
		if rerr := s.st.FeedFetched(context.WithoutCancel(ctx), src.ID, now.Unix(), "", "", msg); rerr != nil {
			return store.IntakeResult{}, false, rerr
		}
		s.log.Warn("feed failed", "source", src.ID, "url", src.URL, "err", err)
		return store.IntakeResult{}, false, fmt.Errorf("%w: %s", errFeed, msg)
	}
	var res store.IntakeResult
	if !r.NotModified {
		items := make([]opinion.Item, 0, len(r.Feed.Items))
		for _, fi := range r.Feed.Items {
			it := opinion.Item{UnitID: src.UnitID, SourceID: src.ID, ExtID: truncate(fi.ID, 500), Title: fi.Title, Text: fi.Text, URL: fi.URL,
				Published: fi.Published, Fetched: now}
			if it.Validate() != nil {
				continue // an entry without title and text, or oversized: not an item
			}
			items = append(items, it)
		}
		res, err = s.deliverOpinion(ctx, store.System, src.UnitID, items)
		if err != nil {
			// Not stored: keep the old validators so the next poll gets
			// the whole feed again, and say so on the source.
			if rerr := s.st.FeedFetched(context.WithoutCancel(ctx), src.ID, now.Unix(), "", "", "保存失败："+truncate(err.Error(), 200)); rerr != nil {
				return res, false, rerr
			}
			return res, false, err
		}
	}
	if err := s.st.FeedFetched(context.WithoutCancel(ctx), src.ID, now.Unix(), r.Validators.ETag, r.Validators.LastModified, ""); err != nil {
		return res, r.NotModified, err
	}
	return res, r.NotModified, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return strings.TrimSpace(s)
}

// PurgeOpinion deletes items older than the retention setting (default
// one year), in chunks; a housekeeping job (RunEvery, hourly).
func (s *Service) PurgeOpinion(ctx context.Context) error {
	days, err := s.st.OpinionRetentionDays(ctx)
	if err != nil {
		return err
	}
	cutoff := s.now().Add(-time.Duration(days) * 24 * time.Hour).Unix()
	for {
		n, err := s.st.PurgeOpinionItems(ctx, cutoff, 2000)
		if err != nil || n == 0 {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
