package report

import (
	"context"

	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/supervise"
)

// Source is the data a report is composed from, as one reader sees it:
// every count and list is already limited to what that reader may read.
// The service binds the store and the reader's scope into a Source
// (service.ReportSource); tests may pass any other.
//
// The report asks for its data figure by figure instead of being handed a
// snapshot because each figure is defined by its own ledger filter (types,
// topic, lead, audience, late records…), which only this package knows;
// keeping the questions here keeps every definition next to the sentence
// that states it, and keeps this package free of SQL.
type Source interface {
	// Unit is the report's unit; apperr.ErrNotFound when it does not exist
	// or the reader cannot read it in full (a department's 信息员 cannot
	// build the bureau's report).
	Unit(ctx context.Context, id int64) (org.Node, error)
	// Nodes lists the unit's live nodes (itself, departments, branches),
	// ordered as a tree.
	Nodes(ctx context.Context, unitID int64) ([]org.Node, error)
	// Users lists the unit's users with their grants.
	Users(ctx context.Context, unitID int64) ([]org.User, error)
	// Rules lists every version of the unit's supervision rules (the
	// presets when the unit has stored none).
	Rules(ctx context.Context, unitID int64) ([]supervise.Rule, error)
	// Wording is the unit's own text of template paragraphs of a kind, by
	// paragraph key.
	Wording(ctx context.Context, unitID int64, kind Kind) (map[string]string, error)
	// ActivityIDs lists the ids of the live ledger entries matching f, in
	// date order: the provenance of a figure.
	ActivityIDs(ctx context.Context, f ledger.Filter) ([]int64, error)
	// CountByType counts the entries matching f per activity type.
	CountByType(ctx context.Context, f ledger.Filter) (map[string]int, error)
	// CountByOrgType counts the entries matching f per organising node and
	// activity type: counts[orgID][type].
	CountByOrgType(ctx context.Context, f ledger.Filter) (map[int64]map[string]int, error)
	// Activities lists every entry matching f, newest first.
	Activities(ctx context.Context, f ledger.Filter) ([]ledger.Activity, error)
	// PlanItems lists the unit's annual study plan of a year.
	PlanItems(ctx context.Context, unitID int64, year int) ([]ledger.PlanItem, error)
	// InfoFigures counts the unit's information drafts written and
	// published between from and to ("2006-01-02", inclusive).
	InfoFigures(ctx context.Context, unitID int64, from, to string) (InfoCounts, error)
	// ChannelFigures counts the unit's 阵地 registered by to, the problems
	// the checks found between from and to (and those since fixed), and the
	// inspections of the quarters ending in it (issue 18).
	ChannelFigures(ctx context.Context, unitID int64, from, to string) (ChannelCounts, error)
	// InfoBulletin is the unit's monthly information bulletin of month
	// ("2023-05"): the same one the 信息编发月通报 page shows.
	InfoBulletin(ctx context.Context, unitID int64, month string) (infosub.Bulletin, error)
	// Region is the name of the district (区、县、市) above the unit, or ""
	// when the unit has none.
	Region(ctx context.Context, unitID int64) (string, error)
	// Compliance is the unit's obligations of a year judged on day
	// ("2006-01-02"), as the 督导 dashboard and the 通报 judge them.
	Compliance(ctx context.Context, unitID int64, year int, day string) (*supervise.UnitCompliance, error)
	// Rects lists the unit's rectification items (问题清单), open ones first.
	Rects(ctx context.Context, unitID int64) ([]supervise.Rect, error)
	// ScreenPublished screens again, with the unit's current lexicon, the
	// information drafts published or adopted between from and to
	// ("2006-01-02", inclusive): what the 研判 report says of published
	// information. Punctuation and number-format findings are not counted.
	ScreenPublished(ctx context.Context, unitID int64, from, to string) (ScreenSummary, error)
}

// ScreenSummary is the screening of a period's published drafts: how many
// were screened, how many still carry findings, the blocking ones, and the
// findings by category (规范表述, 敏感词 …).
type ScreenSummary struct {
	Drafts, WithFindings, Blocking int
	ByCategory                     map[string]int
}

// InfoCounts are the 信息 figures of one unit and period with the drafts
// behind each number.
type InfoCounts struct {
	Written, Published       int
	WrittenIDs, PublishedIDs []int64
}

// ChannelCounts are the 阵地 figures of a period with their records
// (channel ids, finding ids, inspection ids).
type ChannelCounts struct {
	Channels, Findings, Fixed, Inspections int
	ChannelIDs, FindingIDs, InspectionIDs  []int64
}
