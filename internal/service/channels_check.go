package service

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/html/charset"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// The automatic checks of the unit's own web channels (issue 18 part 3): a
// background round (CheckChannels, run by RunEvery from `zhendi serve`) and
// one unit's round on demand (`zhendi channels check`). Each channel is
// claimed before it is checked (store.ClaimDueChannels), so rounds are
// idempotent across restarts and nodes. Channels are grouped by host: each
// host is worked by its own goroutine within the Fetcher's per-host limits,
// so one unreachable or slow site only ever holds its own requests.

// CheckOptions tune a round.
type CheckOptions struct {
	// Every is the interval between two checks of one channel (default 1 h).
	Every time.Duration
	// Hosts is how many hosts are worked at once (default 64): politeness
	// is per host, so more hosts at once only cost goroutines.
	Hosts int
	// Limit bounds the channels claimed in one round (default 2000).
	Limit int
	// Links is how many links of a page are tested (default 20), and
	// Articles how many same-site pages among them are read and screened
	// (default 3).
	Links, Articles int
}

func (o CheckOptions) withDefaults() CheckOptions {
	if o.Every <= 0 {
		o.Every = time.Hour
	}
	if o.Hosts <= 0 {
		o.Hosts = 64
	}
	if o.Limit <= 0 {
		o.Limit = 2000
	}
	if o.Links <= 0 {
		o.Links = 20
	}
	if o.Articles < 0 {
		o.Articles = 0
	} else if o.Articles == 0 {
		o.Articles = 3
	}
	return o
}

// Checked is one channel's result after a round.
type Checked struct {
	Channel channel.Channel
	Result  channel.Result
	Fresh   channel.Fresh
	Opened  []channel.Finding
	Err     error
}

// SetFetcher replaces the fetcher the checks use (tests, benchmarks).
func (s *Service) SetFetcher(f *Fetcher) { s.fetcher = f }

func (s *Service) channelFetcher() *Fetcher {
	s.fetchOnce.Do(func() {
		if s.fetcher == nil {
			s.fetcher = NewFetcher()
		}
	})
	return s.fetcher
}

// CheckChannels is the background round: it checks every due channel of
// every unit, then re-checks findings and failed inspection items whose
// rectification item was closed. Each part runs even when another fails.
func (s *Service) CheckChannels(ctx context.Context) error {
	_, err := s.RunChannelChecks(ctx, 0, CheckOptions{})
	return errors.Join(err, s.RecheckClosed(ctx, 50), s.RecheckInspectionItems(ctx, 50))
}

// RunChannelChecks checks the due channels (unitID 0), or every automatic
// channel of one unit, and returns the results in channel order. A
// channel whose check could not be saved carries its error; the round goes
// on and returns the errors joined.
func (s *Service) RunChannelChecks(ctx context.Context, unitID int64, o CheckOptions) ([]Checked, error) {
	o = o.withDefaults()
	now := s.now()
	chs, err := s.st.ClaimDueChannels(ctx, unitID, now.Unix(), now.Add(o.Every).Unix(), o.Limit)
	if err != nil {
		return nil, err
	}
	byHost := map[string][]int{}
	var hosts []string
	for i, c := range chs {
		h := hostOf(c)
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], i)
	}
	out := make([]Checked, len(chs))
	f := s.channelFetcher()
	rules := map[int64][]channel.Rule{}
	for _, c := range chs {
		if _, ok := rules[c.UnitID]; !ok {
			if rules[c.UnitID], err = s.st.ChannelRules(ctx, c.UnitID); err != nil {
				return nil, err
			}
		}
	}
	sem := make(chan struct{}, o.Hosts)
	var wg sync.WaitGroup
	for _, h := range hosts {
		idx := byHost[h]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// The host's channels, PerHost at a time (the fetcher holds the
			// limit; these workers just keep its slots busy).
			work := make(chan int)
			var hw sync.WaitGroup
			for range max(1, f.PerHost) {
				hw.Add(1)
				go func() {
					defer hw.Done()
					for i := range work {
						out[i] = s.checkOne(ctx, f, chs[i], rules[chs[i].UnitID], o)
					}
				}()
			}
			for _, i := range idx {
				work <- i
			}
			close(work)
			hw.Wait()
		}()
	}
	wg.Wait()
	var errs []error
	for _, c := range out {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("check channel %d: %w", c.Channel.ID, c.Err))
		}
	}
	return out, errors.Join(errs...)
}

func hostOf(c channel.Channel) string {
	raw := c.URL
	if c.Method == channel.MethodFeed || c.Method == channel.MethodSitemap {
		raw = c.FeedURL
	}
	if u, err := url.Parse(raw); err == nil {
		return strings.ToLower(u.Host)
	}
	return ""
}

// checkOne checks a channel and saves the result.
func (s *Service) checkOne(ctx context.Context, f *Fetcher, c channel.Channel, rules []channel.Rule, o CheckOptions) Checked {
	r := s.inspectChannel(ctx, f, c, o)
	today := cntime.Date(s.now())
	after := c
	if r.OK {
		if n := r.Newest(); n != "" && n > after.LastUpdate {
			after.LastUpdate = n
		}
		after.Items = len(r.Dates)
	}
	after.LastCheckAt, after.LastCheckOK = r.At, r.OK
	if r.MessagesRead {
		after.UnansweredSince = r.Unanswered
	}
	fresh := channel.Judge(after, rules, today)
	if sf := channel.StaleFinding(after, fresh); sf != nil && r.OK {
		r.Findings = append(r.Findings, *sf)
	}
	if r.OK && c.Kind == channel.Column && after.LastUpdate == "" && after.Items == 0 {
		r.Findings = append(r.Findings, channel.NewFinding(c, channel.FEmpty, c.URL, "", "栏目页面未找到任何注明日期的信息（空白栏目）", false))
	}
	opened, err := s.st.SaveCheck(ctx, c, r, fresh)
	return Checked{Channel: after, Result: r, Fresh: fresh, Opened: opened, Err: err}
}

// inspectChannel fetches a channel's page (and feed), reads its dates, tests
// its links and screens its text. It never fails: what went wrong is in
// the result and its findings.
func (s *Service) inspectChannel(ctx context.Context, f *Fetcher, c channel.Channel, o CheckOptions) channel.Result {
	r := channel.Result{ChannelID: c.ID, UnitID: c.UnitID, At: s.now().Unix()}
	today := s.now()
	page, err := f.Get(ctx, c.URL)
	r.Millis, r.StatusCode = page.Millis, page.Status
	switch {
	case errors.Is(err, ErrRobots):
		r.Error = "robots.txt 不允许抓取该页面，请改用订阅地址或人工检查"
		r.NotVisited = true
		return r
	case err != nil && !errors.Is(err, ErrTooLarge):
		r.Error = err.Error()
		detail := "页面无法打开：" + shortErr(err)
		if page.Millis >= channel.SlowMillis || errors.Is(err, context.DeadlineExceeded) {
			detail = fmt.Sprintf("页面超过 %d 秒仍未打开", channel.SlowMillis/1000)
		}
		r.Findings = append(r.Findings, channel.NewFinding(c, channel.FUnreachable, c.URL, "", detail, false))
		return r
	case page.Status >= 400:
		r.Error = fmt.Sprintf("HTTP %d", page.Status)
		r.Findings = append(r.Findings, channel.NewFinding(c, channel.FUnreachable, c.URL, "", fmt.Sprintf("页面返回错误状态 %d", page.Status), false))
		return r
	}
	if errors.Is(err, ErrTooLarge) {
		r.Error = fmt.Sprintf("页面超过 %d MiB，只读取了前面部分", f.MaxBytes>>20)
	}
	r.OK = true
	if page.Millis >= channel.SlowMillis {
		r.Findings = append(r.Findings, channel.NewFinding(c, channel.FSlow, c.URL, "", fmt.Sprintf("页面打开用时 %.1f 秒（指标：超过（含）15 秒视为打不开）", float64(page.Millis)/1000), false))
	}
	body := utf8Body(page)
	switch c.Method {
	case channel.MethodFeed, channel.MethodSitemap:
		fp, err := f.Get(ctx, c.FeedURL)
		if err != nil && !errors.Is(err, ErrTooLarge) || fp.Status >= 400 {
			r.OK = false
			r.Error = "订阅地址无法读取：" + shortErr(err) + statusText(fp.Status)
			break
		}
		dates, err := channel.FeedDates(fp.Body, today, channel.MaxDates)
		if err != nil {
			r.OK = false
			r.Error = "订阅内容无法解析：" + shortErr(err)
			break
		}
		r.Dates = dates
	default:
		rule, err := channel.ParseDateRule(c.DateRule)
		if err != nil {
			r.Error = "日期提取规则有误：" + err.Error()
			break
		}
		r.Dates = rule.Extract(body, today).Dates
	}
	if c.Kind == channel.Column && c.Class == channel.ClassInteract && c.MessageRule != "" {
		readMessages(&r, c, body, today)
	}
	base, _ := url.Parse(page.URL)
	if base == nil {
		return r
	}
	scr, serr := s.InfoScreener(ctx, c.UnitID)
	if serr != nil {
		scr = infosub.DefaultScreener()
	}
	r.Findings = append(r.Findings, screenPage(c, scr, page.URL, body)...)
	articles := 0
	for _, l := range channel.PageLinks([]byte(body), base, o.Links) {
		if l.URL == page.URL {
			continue
		}
		var lp Page
		var lerr error
		read := l.Same && articles < o.Articles
		if read {
			articles++
			lp, lerr = f.Get(ctx, l.URL)
		} else {
			lp, lerr = f.Head(ctx, l.URL)
		}
		if errors.Is(lerr, ErrRobots) || errors.Is(lerr, ErrTooLarge) || ctx.Err() != nil {
			continue
		}
		if lerr != nil || lp.Status >= 400 {
			where := "站内"
			if !l.Same {
				where = "外部"
			}
			r.Findings = append(r.Findings, channel.NewFinding(c, channel.FDeadLink, page.URL, linkLabel(l),
				fmt.Sprintf("%s链接无法打开（%s）：%s", where, shortErr(lerr)+statusText(lp.Status), l.URL), false))
			continue
		}
		if read {
			r.Findings = append(r.Findings, screenPage(c, scr, lp.URL, utf8Body(lp))...)
		}
	}
	return r
}

// readMessages reads an interaction column's messages with its rule:
// the oldest unanswered one replaces the recorded date, and each one
// unanswered past the indicator's limit is a finding.
func readMessages(r *channel.Result, c channel.Channel, body string, now time.Time) {
	rule, err := channel.ParseMessageRule(c.MessageRule)
	if err != nil {
		r.Error = "留言提取规则有误：" + err.Error()
		return
	}
	ms := rule.Extract(body, now)
	today := cntime.Date(now)
	r.MessagesRead, r.Unanswered = true, ms.OldestUnanswered()
	for _, m := range ms.List {
		if m.Overdue(today) {
			r.Findings = append(r.Findings, channel.UnansweredFinding(c, m, today))
		}
	}
}

func linkLabel(l channel.Link) string {
	if l.Text != "" {
		return "“" + l.Text + "” " + l.URL
	}
	return l.URL
}

func statusText(code int) string {
	if code >= 400 {
		return fmt.Sprintf("HTTP %d", code)
	}
	return ""
}

func shortErr(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "超时"
	}
	// The clerk reads these on the channel page and in the rectification
	// ledger: name the usual network failures in Chinese instead of Go's
	// English text (which also shows the server's own resolver address).
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var badCert x509.CertificateInvalidError
	var ne net.Error
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return "域名无法解析（" + dns.Name + "）"
	case errors.As(err, &dns) && dns.IsTimeout:
		return "域名解析超时（" + dns.Name + "）"
	case errors.As(err, &dns):
		return "域名解析失败（" + dns.Name + "）"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "连接被拒绝"
	case errors.Is(err, syscall.ECONNRESET):
		return "连接被对方重置"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "网络不可达"
	case errors.As(err, &cert), errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &badCert):
		return "HTTPS 证书无效"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "连接意外中断"
	case errors.As(err, &ne) && ne.Timeout():
		return "超时"
	}
	s := err.Error()
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) // by characters: a byte cut would split a Chinese one
	}
	return s
}

// utf8Body decodes a page to UTF-8 by its declared or sniffed charset
// (GBK is common on government sites).
func utf8Body(p Page) string {
	rd, err := charset.NewReader(bytes.NewReader(p.Body), p.Type)
	if err != nil {
		return string(p.Body)
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		return string(p.Body)
	}
	return string(b)
}

// screenPage screens a page's text with the unit's pre-publication
// screening (infosub) and returns a finding per problem, pointing at the
// page and quoting the sentence. Punctuation and number-format hints are
// left out: on a published page they are noise beside wording, typos,
// outdated titles and sensitive words.
func screenPage(c channel.Channel, scr *infosub.Screener, pageURL, body string) []channel.Finding {
	text := channel.StripTags(body)
	var out []channel.Finding
	seen := map[string]bool{}
	for _, h := range scr.Screen(text) {
		if h.Category == infosub.CatPunct || h.Category == infosub.CatNumber {
			continue
		}
		sent := channel.Sentence(text, h.Start, h.End)
		key := h.Term + "|" + sent
		if seen[key] || len(out) >= 20 {
			continue
		}
		seen[key] = true
		detail := fmt.Sprintf("%s：“%s”", h.Category, h.Text)
		if sug := h.FirstSuggest(); sug != "" {
			detail += "，应为“" + sug + "”"
		}
		if h.Note != "" {
			detail += "（" + h.Note + "）"
		}
		out = append(out, channel.NewFinding(c, channel.FWording, pageURL, sent, detail, h.Blocking()))
	}
	return out
}

// RecheckClosed re-checks up to limit findings whose rectification item
// was closed, and records the result on the item: a finding no longer seen
// passes (and closes), one still seen opens a new item. Only automatic
// kinds are re-checked here; a 未报备 finding passes once the change has
// its 报备 record.
func (s *Service) RecheckClosed(ctx context.Context, limit int) error {
	fs, err := s.st.FindingsToRecheck(ctx, limit)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range fs {
		if err := s.recheck(ctx, f); err != nil {
			errs = append(errs, fmt.Errorf("re-check finding %d: %w", f.ID, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Service) recheck(ctx context.Context, f channel.Finding) error {
	c, err := s.st.ChannelByID(ctx, f.ChannelID)
	if err != nil {
		return err
	}
	if f.Kind == channel.FUnfiled {
		return s.st.RecordRecheck(ctx, c, f, true, "已按整改销号处理（报备情况见阵地报备记录）")
	}
	if c.Status != channel.Running || !c.Method.Automatic() {
		return s.st.RecordRecheck(ctx, c, f, true, "阵地已不在运行或改为人工检查，不再自动复查")
	}
	rules, err := s.st.ChannelRules(ctx, c.UnitID)
	if err != nil {
		return err
	}
	got := s.checkOne(ctx, s.channelFetcher(), c, rules, CheckOptions{}.withDefaults())
	if got.Err != nil {
		return got.Err
	}
	still := slices.ContainsFunc(got.Result.Findings, func(x channel.Finding) bool { return x.Key == f.Key })
	note := "问题已不存在"
	if still {
		note = f.Kind.Label() + "仍然存在：" + f.Detail
	}
	return s.st.RecordRecheck(ctx, c, f, !still, note)
}

// CheckChannelNow checks one channel at once (the detail page's 立即检查):
// the unit's writers or the responsible person may. A channel checked by a
// person is refused with a user error.
func (s *Service) CheckChannelNow(ctx context.Context, sc access.Scope, id int64) (Checked, error) {
	c, err := s.st.Channel(ctx, sc, id)
	if err != nil {
		return Checked{}, err
	}
	if !supervise.CanManage(sc, c.UnitID) && c.ResponsibleID != sc.UserID {
		return Checked{}, apperr.ErrNotFound
	}
	if !c.Method.Automatic() || c.Status != channel.Running {
		return Checked{}, apperr.Field("检查方式", "该阵地由人工检查或已不在运行，请登记人工检查结果")
	}
	rules, err := s.st.ChannelRules(ctx, c.UnitID)
	if err != nil {
		return Checked{}, err
	}
	got := s.checkOne(ctx, s.channelFetcher(), c, rules, CheckOptions{}.withDefaults())
	return got, got.Err
}

// RulePreview is what a date-extraction rule finds on a channel's page now.
type RulePreview struct {
	URL     string
	Status  int
	Millis  int
	Listing channel.Listing
	Error   string
}

// PreviewDateRule fetches a registered channel's page and shows what rule
// (the form's text, not yet saved) reads from it, so the clerk can adjust
// it. Only registered addresses are fetched.
func (s *Service) PreviewDateRule(ctx context.Context, sc access.Scope, id int64, rule string) (RulePreview, error) {
	c, err := s.st.Channel(ctx, sc, id)
	if err != nil {
		return RulePreview{}, err
	}
	if !supervise.CanManage(sc, c.UnitID) {
		return RulePreview{}, apperr.ErrNotFound
	}
	dr, err := channel.ParseDateRule(rule)
	if err != nil {
		return RulePreview{}, apperr.Field("日期提取规则", err.Error())
	}
	p, err := s.channelFetcher().Get(ctx, c.URL)
	out := RulePreview{URL: c.URL, Status: p.Status, Millis: p.Millis}
	if err != nil && !errors.Is(err, ErrTooLarge) {
		out.Error = "页面无法读取：" + shortErr(err)
		return out, nil
	}
	out.Listing = dr.Extract(utf8Body(p), s.now())
	return out, nil
}

// MessagePreview is what a message rule reads from a column's page now.
type MessagePreview struct {
	URL      string
	Status   int
	Messages channel.Messages
	// Overdue are the messages unanswered past the indicator's limit.
	Overdue int
	Error   string
}

// PreviewMessageRule fetches a registered interaction column's page and
// shows the messages rule (the form's text, not yet saved) reads from it,
// with each one's state, so the clerk can adjust it. Only registered
// addresses are fetched.
func (s *Service) PreviewMessageRule(ctx context.Context, sc access.Scope, id int64, rule string) (MessagePreview, error) {
	c, err := s.st.Channel(ctx, sc, id)
	if err != nil {
		return MessagePreview{}, err
	}
	if !supervise.CanManage(sc, c.UnitID) {
		return MessagePreview{}, apperr.ErrNotFound
	}
	if c.Kind != channel.Column || c.Class != channel.ClassInteract {
		return MessagePreview{}, apperr.Field("留言提取规则", "只有互动交流类栏目可设留言提取规则")
	}
	mr, err := channel.ParseMessageRule(rule)
	if err != nil {
		return MessagePreview{}, apperr.Field("留言提取规则", err.Error())
	}
	p, err := s.channelFetcher().Get(ctx, c.URL)
	out := MessagePreview{URL: c.URL, Status: p.Status}
	if err != nil && !errors.Is(err, ErrTooLarge) {
		out.Error = "页面无法读取：" + shortErr(err)
		return out, nil
	}
	now := s.now()
	out.Messages = mr.Extract(utf8Body(p), now)
	for _, m := range out.Messages.List {
		if m.Overdue(cntime.Date(now)) {
			out.Overdue++
		}
	}
	return out, nil
}

// SaveMessageRule sets an interaction column's message rule (the preview's
// 保存): the unit's writers may. The next check reads the messages with it.
func (s *Service) SaveMessageRule(ctx context.Context, actor store.Actor, sc access.Scope, id int64, rule string) error {
	c, err := s.st.Channel(ctx, sc, id)
	if err != nil {
		return err
	}
	if !supervise.CanManage(sc, c.UnitID) {
		return apperr.ErrNotFound
	}
	c.MessageRule = strings.TrimSpace(rule)
	if err := c.Validate(); err != nil {
		return err
	}
	return s.st.SetMessageRule(ctx, actor, sc, id, c.MessageRule)
}
