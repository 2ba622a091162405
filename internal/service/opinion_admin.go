package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// Limits of a source as a user sets it.
const (
	MinFeedInterval = 5 * 60
	MaxFeedInterval = 7 * 24 * 3600
)

// ValidateSource checks a feed or push source as a user wrote it.
func ValidateSource(o *store.OpinionSource) error {
	var errs apperr.Errors
	o.Name = strings.TrimSpace(o.Name)
	switch {
	case o.Name == "":
		errs = append(errs, apperr.Field("名称", "不能为空"))
	case utf8.RuneCountInString(o.Name) > 100:
		errs = append(errs, apperr.Field("名称", "不能超过 100 个字"))
	}
	switch o.Kind {
	case store.SourceFeed:
		o.URL = strings.TrimSpace(o.URL)
		u, err := url.Parse(o.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, apperr.Field("订阅地址", "应为 http:// 或 https:// 开头的 RSS 或 Atom 地址"))
		}
		if o.IntervalSec < MinFeedInterval || o.IntervalSec > MaxFeedInterval {
			errs = append(errs, apperr.Field("采集间隔", "应在 5 分钟到 7 天之间"))
		}
	case store.SourcePush:
		o.URL, o.IntervalSec = "", 0
	default:
		errs = append(errs, apperr.Field("类型", "应为订阅源或推送接口"))
	}
	if o.Weight < 0.1 || o.Weight > 5 {
		errs = append(errs, apperr.Field("来源权重", "应在 0.1 到 5 之间"))
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// SaveOpinionSource creates or updates a feed or push source. A new push
// source gets a token, returned once (only its hash is kept); rotate asks
// for a new one on an existing push source.
func (s *Service) SaveOpinionSource(ctx context.Context, actor store.Actor, sc access.Scope, o *store.OpinionSource, rotate bool) (token string, err error) {
	if o.ID != 0 {
		old, err := s.st.OpinionSource(ctx, sc, o.ID)
		if err != nil {
			return "", err
		}
		if old.UnitID != o.UnitID || old.Kind == store.SourceImport {
			return "", store.ErrNotFound
		}
		o.Kind = old.Kind
	}
	if err := ValidateSource(o); err != nil {
		return "", err
	}
	if o.Kind == store.SourcePush && (o.ID == 0 || rotate) {
		token = newToken()
	}
	if err := s.st.SaveOpinionSource(ctx, actor, sc, o, token); err != nil {
		return "", store.Classify(err)
	}
	return token, nil
}

// newToken is a push token: 32 random bytes, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "zd_" + base64.RawURLEncoding.EncodeToString(b)
}

// DeleteOpinionSource removes a source; its items stay.
func (s *Service) DeleteOpinionSource(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	return store.Classify(s.st.DeleteOpinionSource(ctx, actor, sc, id))
}

// SaveOpinionScheme validates a scheme (the rule compiles, with its
// position on an error; the sources are the unit's) and saves it.
func (s *Service) SaveOpinionScheme(ctx context.Context, actor store.Actor, sc access.Scope, c *store.OpinionScheme) error {
	if c.ID != 0 {
		old, err := s.st.OpinionScheme(ctx, sc, c.ID)
		if err != nil {
			return err
		}
		if old.UnitID != c.UnitID {
			return store.ErrNotFound
		}
	}
	c.Name = strings.TrimSpace(c.Name)
	if err := domainScheme(*c).Validate(); err != nil {
		return err
	}
	err := s.st.SaveOpinionScheme(ctx, actor, sc, c, func(unitSources []int64) error {
		for _, id := range c.SourceIDs {
			if !slices.Contains(unitSources, id) {
				return apperr.Field("来源", "只能选择本单位的来源")
			}
		}
		return nil
	})
	return store.Classify(err)
}

// DeleteOpinionScheme removes a scheme; its hits and events stay.
func (s *Service) DeleteOpinionScheme(ctx context.Context, actor store.Actor, sc access.Scope, id int64) error {
	return store.Classify(s.st.DeleteOpinionScheme(ctx, actor, sc, id))
}

// TrialHit is one stored item a scheme under edit would match.
type TrialHit struct {
	Item  store.OpinionItem
	Spans []opinion.Span
}

// TrialResult is a 试运行 of a scheme over stored items.
type TrialResult struct {
	Scanned int        // items read
	Matched int        // of them, matching
	Sample  []TrialHit // the latest matches, at most TrialSample
	Since   time.Time
	Capped  bool // more than TrialMaxItems items in the window: the oldest were not read
}

// Trial limits.
const (
	TrialDays     = 30
	TrialMaxItems = 200_000
	TrialSample   = 50
)

// TrialScheme runs a scheme as written (not saved) over the unit's items of
// the last 30 days, writing nothing. An invalid scheme returns its errors
// to show in place.
func (s *Service) TrialScheme(ctx context.Context, sc access.Scope, c store.OpinionScheme) (TrialResult, error) {
	ds := domainScheme(c)
	if err := ds.Validate(); err != nil {
		return TrialResult{}, err
	}
	set, err := opinion.CompileSchemes([]opinion.Scheme{ds})
	if err != nil {
		return TrialResult{}, err
	}
	since := s.now().Add(-TrialDays * 24 * time.Hour)
	res := TrialResult{Since: since}
	var hits []TrialHit
	err = s.st.RecentItems(ctx, sc, c.UnitID, since.Unix(), TrialMaxItems+1, func(it store.OpinionItem) bool {
		if res.Scanned == TrialMaxItems {
			res.Capped = true
			return false
		}
		res.Scanned++
		oi := opinion.Item{ID: it.ID, UnitID: it.UnitID, SourceID: it.SourceID, Title: it.Title, Text: it.Body, URL: it.URL,
			Published: time.Unix(it.PublishedAt, 0), Fetched: time.Unix(it.FetchedAt, 0)}
		for _, h := range set.Eval(oi) {
			res.Matched++
			hits = append(hits, TrialHit{Item: it, Spans: h.Spans})
			if len(hits) > TrialSample {
				hits = hits[1:]
			}
		}
		return true
	})
	if err != nil {
		return res, err
	}
	slices.Reverse(hits)
	res.Sample = hits
	return res, nil
}

// MergeOpinionEvents merges event from into event into by hand.
func (s *Service) MergeOpinionEvents(ctx context.Context, actor store.Actor, sc access.Scope, into, from int64) error {
	if into == from {
		return apperr.Field("合并到", "不能合并到事件本身")
	}
	return store.Classify(s.st.MergeEvents(ctx, actor, sc, into, from, eventHeat))
}

// SplitOpinionEvent moves the chosen items of an event into a new event.
func (s *Service) SplitOpinionEvent(ctx context.Context, actor store.Actor, sc access.Scope, id int64, itemIDs []int64, title string) (int64, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return 0, apperr.Field("新事件名称", "不能为空")
	}
	if len(itemIDs) == 0 {
		return 0, apperr.Field("信息", "请选择要拆出的信息")
	}
	newID, err := s.st.SplitEvent(ctx, actor, sc, id, itemIDs, title, eventHeat)
	if err != nil {
		return 0, store.Classify(err)
	}
	if newID == 0 {
		return 0, apperr.Field("信息", "所选信息不在本事件中，或选中了全部信息（拆分须留下至少一条）")
	}
	return newID, nil
}

// SetOpinionRetention sets how many days opinion items are kept (30 to
// 3650); only an installation's system administrator may.
func (s *Service) SetOpinionRetention(ctx context.Context, actor store.Actor, sc access.Scope, days int) error {
	if !sc.InstallAdmin {
		return store.ErrNotFound
	}
	if days < 30 || days > 3650 {
		return apperr.Field("舆情信息保存天数", "应在 30 到 3650 天之间")
	}
	cur, err := s.st.OpinionRetentionDays(ctx)
	if err != nil || cur == days {
		return err
	}
	return store.Classify(s.st.SetOpinionRetentionDays(ctx, actor, days))
}
