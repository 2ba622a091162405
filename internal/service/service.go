// Package service is zhendi's one orchestration layer: every use case that
// changes something — a clerk saving an activity, a reviewer approving a
// draft, the scheduler sending a reminder — runs here, whether it comes from
// a web handler, a command or a background job. A use case loads what it
// needs from the store, applies the domain rules (ledger, infosub,
// supervise, org, access), and saves through one store call, which is one
// transaction together with its audit entries.
//
// Files are written before the transaction (they are content-addressed, so a
// leftover file is harmless and a retry reuses it); the rows that name them
// are written inside it, so a record never exists without its files.
//
// Background jobs live here too (jobs.go): each takes the Service's clock,
// is idempotent, and can be interrupted and restarted at any point.
//
// Errors: a user error is an *apperr.Error (field and Chinese message), a
// missing or out-of-scope record apperr.ErrNotFound; everything else is a
// server or database failure, classified by store.Classify.
package service

import (
	"log/slog"
	"sync"
	"time"

	"zhendi/internal/chartimg"
	"zhendi/internal/sso"
	"zhendi/internal/store"
)

// Config is what the use cases need beyond the store.
type Config struct {
	// LateDays is how many days after an activity its record counts as 补记
	// (default 7).
	LateDays int
	// BaseURL prefixes links in reminder messages ("http://10.1.2.3:8080").
	BaseURL string
	// BackupDir is where the automatic backups go (BackupRound); "" turns
	// them off.
	BackupDir string
	// ChartFont is the CJK font file the charts of Word documents are
	// drawn with; "" searches the usual places (chartimg.Open).
	ChartFont string
}

// Service runs zhendi's use cases on one store. It holds no per-request
// state and is safe for concurrent use.
type Service struct {
	st  *store.Store
	cfg Config
	log *slog.Logger
	now func() time.Time
	// send delivers reminders outside zhendi (remind_deliver.go); nil sends for
	// real through notify.Sender.
	send Sender
	// screeners caches compiled information-screening lexicons per unit.
	screeners screenerCache
	// compliance keeps Compliance's judgements until the next change
	// (compliance_cache.go).
	compliance complianceCache
	// importing holds the units with an import running (ledger_import.go).
	importing unitLocks
	// fetcher fetches the 阵地 checks' pages (channels_fetch.go), made on
	// first use; fetchOnce guards that.
	fetcher   *Fetcher
	fetchOnce sync.Once
	// op caches opinion intake's compiled schemes and lexicon (opinion_intake.go).
	op opinionState
	// charts draws the charts of Word documents; opened on first use
	// (reading a CJK font costs about 20 MB and a few hundred ms).
	charts     *chartimg.Renderer
	chartsOnce sync.Once
	// rec receives the metrics (nodes.go); node and leaseTTL are this
	// node's name and lease length in the job leases.
	rec      Recorder
	node     string
	leaseTTL time.Duration
	// sso talks to the sign-on platforms and caches their application
	// tokens (sso.go, remind_deliver.go).
	sso *sso.Client
}

// New returns the service on st. A nil log discards.
func New(st *store.Store, cfg Config, log *slog.Logger) *Service {
	if cfg.LateDays <= 0 {
		cfg.LateDays = 7
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{st: st, cfg: cfg, log: log, now: time.Now, rec: nopRecorder{}, node: newNodeID(), leaseTTL: defaultLeaseTTL, sso: sso.NewClient()}
	s.sso.Now = func() time.Time { return s.now() }
	return s
}

// Charts is the renderer of the charts in Word documents, or nil when the
// server has no CJK font (logged once): documents then keep their tables
// and leave the charts out.
func (s *Service) Charts() *chartimg.Renderer {
	s.chartsOnce.Do(func() {
		r, err := chartimg.Open(s.cfg.ChartFont)
		if err != nil {
			s.log.Warn("Word 文档中的图表不可用：未找到中文字体，文档只保留数据表格（安装 fonts-noto-cjk 或用 --chart-font 指定字体文件）", "err", err)
			return
		}
		s.charts = r
	})
	return s.charts
}

// SetClock replaces the clock (tests). It also sets the store's clock, so
// the times a use case judges by and the times it records agree.
func (s *Service) SetClock(now func() time.Time) {
	s.now = now
	s.st.Now = now
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Config returns the configuration the service runs with.
func (s *Service) Config() Config { return s.cfg }

// Store is the store for reads that are a single scoped query (a list page,
// a detail page): those need no orchestration, so handlers call the store
// directly. Every change goes through a Service method.
func (s *Service) Store() *store.Store { return s.st }
